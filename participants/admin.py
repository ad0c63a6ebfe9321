from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Dialogue,
    ExternalIdentifier,
    FocalPoint,
    Membership,
    Participant,
    ParticipantName,
    Person,
    Region,
    RoleAssignment,
)


class ParticipantNameInline(admin.TabularInline):
    model = ParticipantName
    extra = 0
    fields = ["name", "sort_name", "prose_name", "valid_from", "valid_to", "note"]


class ExternalIdentifierInline(admin.TabularInline):
    model = ExternalIdentifier
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["participant", "dialogue"]


@admin.register(Dialogue)
class DialogueAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "secretariat"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["secretariat"]
    inlines = [MembershipInline]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "iso_code", "acronym", "organisation_type"]
    list_filter = ["kind", "organisation_type"]
    search_fields = ["name", "sort_name", "acronym", "iso_code", "names__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ParticipantNameInline, ExternalIdentifierInline, MembershipInline]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "dialogue"]
    list_filter = ["dialogue"]
    search_fields = ["name"]
    filter_horizontal = ["states"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["participant", "dialogue", "status", "valid_from", "valid_to"]
    list_filter = ["dialogue", "status"]
    search_fields = ["participant__name"]
    autocomplete_fields = ["participant"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["participant", "role", "dialogue", "valid_from", "valid_to"]
    list_filter = ["dialogue", "role"]
    search_fields = ["participant__name"]
    autocomplete_fields = ["participant"]


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    extra = 0
    autocomplete_fields = ["participant", "dialogue"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "position", "affiliation", "retired_on"]
    list_filter = ["affiliation__kind", "focal_points__dialogue"]
    search_fields = ["given_name", "family_name", "email", "affiliation__name"]
    autocomplete_fields = ["affiliation", "user"]
    inlines = [FocalPointInline]
