from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bpdialogue.admin import EditedInTheWorkspace

from .models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    Document,
    Meeting,
    RenderJob,
    Statement,
    ThematicFocus,
    WorkingGroup,
    chosen_participants,
)


def _in_chosen_order(name: str, label: str):
    # The admin leaves out a many-to-many field with a through model of its own (a list
    # that keeps its order), so the list is shown, read-only like the rest, as the record has it.
    @admin.display(description=label)
    def shown(self, obj):
        return ", ".join(str(p) for p in chosen_participants(obj, name)) if obj.pk else ""

    return shown


class AgendaItemInline(EditedInTheWorkspace, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "parent", "title", "session_label", "statement_layout"]
    show_change_link = True


class DelegationInline(EditedInTheWorkspace, admin.TabularInline):
    model = Delegation
    extra = 0
    fields = ["participant", "role", "headcount", "headcount_is_illustrative"]
    autocomplete_fields = ["participant"]


class ConclusionInline(EditedInTheWorkspace, admin.TabularInline):
    model = Conclusion
    extra = 0


class ActionPointInline(EditedInTheWorkspace, admin.StackedInline):
    model = ActionPoint
    fk_name = "meeting"
    extra = 0
    autocomplete_fields = ["fulfilled_by"]
    readonly_fields = ["responsible_in_order"]
    responsible_in_order = _in_chosen_order("responsible", "Responsible participants")


class StatementInline(EditedInTheWorkspace, admin.StackedInline):
    model = Statement
    extra = 0
    readonly_fields = ["speakers_in_order"]
    speakers_in_order = _in_chosen_order("speakers", "Speakers")


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "dialogue", "region"]
    list_filter = ["dialogue"]
    search_fields = ["name", "acronym"]


@admin.register(Meeting)
class MeetingAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["title", "kind", "start_date", "city", "status", "visibility", "record_status"]
    list_filter = ["dialogue", "kind", "status", "visibility", "record_status", "working_group"]
    search_fields = ["title", "city", "topic"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host_country", "chair", "co_chair"]
    inlines = [AgendaItemInline, DelegationInline, ConclusionInline, ActionPointInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["title", "meeting", "position", "parent"]
    list_filter = ["meeting__dialogue"]
    search_fields = ["title", "record", "meeting__title"]
    readonly_fields = ["presenters_in_order"]
    presenters_in_order = _in_chosen_order("presenters", "Presenters")
    inlines = [StatementInline]


@admin.register(Statement)
class StatementAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["__str__", "agenda_item", "position"]
    search_fields = ["text", "speakers__name"]
    list_filter = ["agenda_item__meeting__dialogue"]
    readonly_fields = ["speakers_in_order"]
    speakers_in_order = _in_chosen_order("speakers", "Speakers")


@admin.register(Delegation)
class DelegationAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["participant", "meeting", "role", "headcount"]
    list_filter = ["role", "meeting__dialogue"]
    search_fields = ["participant__name", "meeting__title"]
    autocomplete_fields = ["participant"]


@admin.register(Conclusion)
class ConclusionAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "kind", "position"]
    list_filter = ["kind"]
    search_fields = ["text", "meeting__title"]


@admin.register(ActionPoint)
class ActionPointAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "status", "due_date", "due_text"]
    list_filter = ["status"]
    search_fields = ["text", "place"]
    autocomplete_fields = ["fulfilled_by"]
    readonly_fields = ["responsible_in_order"]
    responsible_in_order = _in_chosen_order("responsible", "Responsible participants")


@admin.register(Document)
class DocumentAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["title", "kind", "meeting", "project", "visibility", "revision", "published_at"]
    list_filter = ["kind", "visibility", "generated", "language"]
    search_fields = ["title"]
    readonly_fields = ["size", "sha256", "source_hash"]


@admin.register(RenderJob)
class RenderJobAdmin(EditedInTheWorkspace, admin.ModelAdmin):
    list_display = ["meeting", "document_kind", "status", "created_at", "finished_at"]
    list_filter = ["status", "document_kind"]
    readonly_fields = [f.name for f in RenderJob._meta.fields]


@admin.register(ThematicFocus)
class ThematicFocusAdmin(EditedInTheWorkspace, SimpleHistoryAdmin):
    list_display = ["year", "title", "status", "thematic_chair"]
    list_filter = ["dialogue", "status"]
    search_fields = ["title"]
