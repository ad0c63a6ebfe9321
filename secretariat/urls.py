from django.urls import path

from .views import (
    api_keys,
    attendance,
    documents,
    imports,
    invitations,
    meetings,
    participants,
    parts,
    people,
    projects,
    record,
    signin,
    tracker,
    translations,
    webhooks,
    workplans,
)
from .views.personal_data import person_data_download, person_data_erase

app_name = "secretariat"

meeting = "meetings/<slug:slug>/"

urlpatterns = [
    path("", meetings.dashboard, name="dashboard"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("action-points/", tracker.action_point_tracker, name="action-points"),
    path("action-points/<int:pk>/status/", tracker.action_point_status, name="action-point-status"),
    path("meetings/new/", meetings.meeting_create, name="meeting-create"),
    path(meeting, meetings.meeting_details, name="meeting-details"),
    *(
        path(
            f"{meeting}{action}/",
            meetings.meeting_undo,
            {"action": action},
            name=f"meeting-{action}",
        )
        for action in meetings.MEETING_UNDO
    ),
    path(f"{meeting}copy/", meetings.meeting_copy, name="meeting-copy"),
    path(f"{meeting}agenda/", meetings.meeting_agenda, name="meeting-agenda"),
    path(f"{meeting}attendance/", attendance.meeting_attendance_grid, name="meeting-attendance"),
    path(
        f"{meeting}attendance/<int:participant_id>/",
        attendance.meeting_attendance_row,
        name="attendance-row",
    ),
    path(f"{meeting}registrations/", attendance.registration_add, name="registration-add"),
    path(
        f"{meeting}registrations/<uuid:uid>/",
        attendance.registration_decide,
        name="registration-decide",
    ),
    path(f"{meeting}invitations/", invitations.meeting_invitations, name="meeting-invitations"),
    path(
        f"{meeting}invitations/<uuid:uid>/resend/",
        invitations.invitation_resend,
        name="invitation-resend",
    ),
    path(f"{meeting}record/", record.meeting_record, name="meeting-record"),
    path(f"{meeting}record/<int:item_id>/", record.record_save, name="record-save"),
    path(f"{meeting}record/<int:item_id>/statements/", record.statement_add, name="statement-add"),
    path(f"{meeting}conclusions/", record.meeting_conclusions, name="meeting-conclusions"),
    path(
        f"{meeting}conclusions/references/<int:pk>/remove/",
        record.conclusion_reference_remove,
        name="conclusion-reference-remove",
    ),
    path(f"{meeting}documents/", documents.meeting_documents, name="meeting-documents"),
    path(f"{meeting}documents/generate/", documents.document_generate, name="document-generate"),
    path(
        f"{meeting}documents/<uuid:uid>/publication/",
        documents.document_publication,
        name="document-publication",
    ),
    path(
        f"{meeting}documents/<uuid:uid>/delete/", documents.document_delete, name="document-delete"
    ),
    path(f"{meeting}workflow/", record.meeting_workflow, name="meeting-workflow"),
    path(f"{meeting}delegations/import/", imports.delegations_import, name="delegations-import"),
    path(f"{meeting}history/", meetings.meeting_history_view, name="meeting-history"),
    path(
        f"{meeting}translations/", translations.meeting_translations, name="meeting-translations"
    ),
    path("translations/", translations.translations_index, name="translations"),
    path(
        "translations/<str:kind>/<int:pk>/<str:field>/<str:language>/",
        translations.translation_save,
        name="translation-save",
    ),
    path(
        "projects/<slug:slug>/translations/",
        translations.project_translations,
        name="project-translations",
    ),
    path("people/<int:pk>/data.json", person_data_download, name="person-data"),
    path("people/<int:pk>/erase/", person_data_erase, name="person-erase"),
    path("preview/", record.record_preview, name="preview"),
    path("new/<str:part>/", parts.part_create, name="create"),
    path("edit/<str:part>/<int:pk>/", parts.part_edit, name="edit"),
    path("delete/<str:part>/<int:pk>/", parts.part_delete, name="delete"),
    path("move/<str:part>/<int:pk>/", parts.part_move, name="move"),
    path("order/<str:part>/", parts.part_order, name="order"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/<slug:slug>/", projects.project_detail, name="project"),
    path("workplans/", workplans.workplan_index, name="workplans"),
    path("workplans/frameworks/<int:pk>/", workplans.framework_detail, name="framework"),
    path("workplans/<int:pk>/", workplans.workplan_detail, name="workplan"),
    path("sign-in/locks/", signin.sign_in_locks, name="sign-in-locks"),
    path("people/", people.people_list, name="people"),
    path("people/new/", people.person_create, name="person-create"),
    path("people/import/", imports.people_import, name="people-import"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/retire/", people.person_retire, name="person-retire"),
    path("people/<int:pk>/reinstate/", people.person_reinstate, name="person-reinstate"),
    path("people/<int:pk>/merge/", people.person_merge, name="person-merge"),
    path("people/<int:pk>/invite/", people.person_invite, name="person-invite"),
    path("focal-points/<int:pk>/end/", people.focal_point_end, name="focal-point-end"),
    path("participants/", participants.participant_list, name="participants"),
    path("participants/<slug:slug>/", participants.participant_detail, name="participant"),
    path("working-groups-and-regions/", participants.groups, name="groups"),
    path("api-keys/", api_keys.api_key_list, name="api-keys"),
    path("api-keys/issued/", api_keys.api_key_issued, name="api-key-issued"),
    path("api-keys/<int:pk>/revoke/", api_keys.api_key_revoke, name="api-key-revoke"),
    path("webhooks/", webhooks.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/", webhooks.webhook_detail, name="webhook"),
    path("webhooks/<int:pk>/rotate/", webhooks.webhook_rotate, name="webhook-rotate"),
    path("webhooks/<int:pk>/toggle/", webhooks.webhook_toggle, name="webhook-toggle"),
    path("webhooks/deliveries/<int:pk>/resend/", webhooks.webhook_resend, name="webhook-resend"),
]
