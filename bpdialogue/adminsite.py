"""The admin is for superusers only. The secretariat's daily work (people, participants and
their names, memberships, roles, working groups, API keys) is done in the workspace, through
the services and the access policy; a secretariat account needs no `is_staff` flag, and one
that has it is still refused here."""

from django.contrib import admin
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class SuperuserAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # The same answer for a wrong password and a right one without the flag, as Django's
        # own admin form gives, so the form does not confirm a password.
        "invalid_login": "Please enter the correct %(username)s and password for a superuser "
        "account. The secretariat works in the workspace, at /secretariat/.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class SuperuserAdminSite(admin.AdminSite):
    login_form = SuperuserAuthenticationForm

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
