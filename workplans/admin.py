from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bpdialogue.admin import EditedInTheWorkspace

from .models import Activity, CooperationFramework, FrameworkCadence, Workplan


class FrameworkCadenceInline(EditedInTheWorkspace, admin.TabularInline):
    model = FrameworkCadence
    extra = 0


class ActivityInline(EditedInTheWorkspace, admin.StackedInline):
    model = Activity
    extra = 0
    autocomplete_fields = ["countries", "responsible", "realised_by", "project"]


@admin.register(CooperationFramework)
class CooperationFrameworkAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["title", "first_year", "last_year", "status"]
    list_filter = ["dialogue", "status"]
    search_fields = ["title"]
    inlines = [FrameworkCadenceInline]


@admin.register(Workplan)
class WorkplanAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["title", "year", "status", "thematic_focus"]
    list_filter = ["dialogue", "status"]
    search_fields = ["title"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["title", "workplan", "kind", "status", "realised_by"]
    list_filter = ["status", "kind", "workplan"]
    search_fields = ["title", "outcome"]
    autocomplete_fields = ["countries", "responsible", "realised_by", "project"]
