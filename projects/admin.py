from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bpdialogue.admin import EditedInTheWorkspace

from .models import Project, ProjectPartner, Site


class ProjectPartnerInline(EditedInTheWorkspace, admin.TabularInline):
    model = ProjectPartner
    extra = 0
    autocomplete_fields = ["participant"]


class SiteInline(EditedInTheWorkspace, admin.TabularInline):
    model = Site
    extra = 0
    autocomplete_fields = ["country"]


@admin.register(Project)
class ProjectAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["title", "kind", "parent", "status", "budget_amount", "budget_currency"]
    list_filter = ["dialogue", "kind", "status"]
    search_fields = ["title", "acronym", "description"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent", "beneficiary_countries"]
    filter_horizontal = ["regions"]
    inlines = [ProjectPartnerInline, SiteInline]


@admin.register(ProjectPartner)
class ProjectPartnerAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["participant", "project", "role", "contribution_amount"]
    list_filter = ["role"]
    search_fields = ["participant__name", "project__title"]


@admin.register(Site)
class SiteAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["name", "city", "country", "status", "project"]
    list_filter = ["status", "country"]
    search_fields = ["name", "city"]
