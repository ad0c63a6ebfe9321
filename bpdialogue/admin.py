from django.contrib import admin, messages
from django.utils import timezone

from .api.services import api_key_create, api_key_revoke
from .models import ApiKey, Deletion


class EditedInTheWorkspace:
    """For the admin classes of what the secretariat edits in the workspace (meetings and
    their records, documents, projects, workplans): shown here, changed only there, where
    every write goes through the services that hold the rules, the version check and the
    record's lifecycle. The admin itself is for superusers only (adminsite.py)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "scope_list",
        "dialogue",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["revoked_at", "dialogue"]
    search_fields = ["name", "prefix"]
    fields = ["name", "scopes", "dialogue", "expires_at"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description="scopes")
    def scope_list(self, api_key):
        return ", ".join(api_key.scopes)

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return [*self.fields, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new key gets its secret from the service, which shows it this once only.
        created, secret = api_key_create(
            name=obj.name,
            scopes=obj.scopes,
            dialogue=obj.dialogue,
            expires_at=obj.expires_at,
            created_by=request.user,
        )
        obj.pk, obj.prefix, obj.secret_hash = created.pk, created.prefix, created.secret_hash
        obj._state.adding = False
        messages.warning(
            request,
            f"The key for '{created.name}' is {secret} — copy it now: it is stored only as "
            "a hash and will not be shown again.",
        )

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request, queryset):
        for api_key in queryset.filter(revoked_at__isnull=True):
            api_key_revoke(api_key=api_key)
        messages.success(request, f"Revoked at {timezone.now():%Y-%m-%d %H:%M}.")


@admin.register(Deletion)
class DeletionAdmin(admin.ModelAdmin):
    list_display = ["model", "object_uid", "deleted_at", "audience"]
    list_filter = ["model", "audience"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
