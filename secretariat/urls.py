from django.urls import path

from . import views

app_name = "secretariat"

meeting = "meetings/<slug:slug>/"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path(meeting, views.meeting_details, name="meeting-details"),
    *(
        path(
            f"{meeting}{action}/", views.meeting_undo, {"action": action}, name=f"meeting-{action}"
        )
        for action in views.MEETING_UNDO
    ),
    path(f"{meeting}agenda/", views.meeting_agenda, name="meeting-agenda"),
    path(f"{meeting}attendance/", views.meeting_attendance_grid, name="meeting-attendance"),
    path(
        f"{meeting}attendance/<int:participant_id>/",
        views.meeting_attendance_row,
        name="attendance-row",
    ),
    path(f"{meeting}record/", views.meeting_record, name="meeting-record"),
    path(f"{meeting}record/<int:item_id>/", views.record_save, name="record-save"),
    path(f"{meeting}record/<int:item_id>/statements/", views.statement_add, name="statement-add"),
    path(f"{meeting}conclusions/", views.meeting_conclusions, name="meeting-conclusions"),
    path(f"{meeting}documents/", views.meeting_documents, name="meeting-documents"),
    path(f"{meeting}documents/generate/", views.document_generate, name="document-generate"),
    path(
        f"{meeting}documents/<uuid:uid>/publication/",
        views.document_publication,
        name="document-publication",
    ),
    path(f"{meeting}documents/<uuid:uid>/delete/", views.document_delete, name="document-delete"),
    path(f"{meeting}workflow/", views.meeting_workflow, name="meeting-workflow"),
    path(f"{meeting}history/", views.meeting_history_view, name="meeting-history"),
    path("preview/", views.record_preview, name="preview"),
    path("new/<str:part>/", views.part_create, name="create"),
    path("edit/<str:part>/<int:pk>/", views.part_edit, name="edit"),
    path("delete/<str:part>/<int:pk>/", views.part_delete, name="delete"),
    path("move/<str:part>/<int:pk>/", views.part_move, name="move"),
    path("order/<str:part>/", views.part_order, name="order"),
    path("projects/", views.project_list, name="projects"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("workplans/", views.workplan_index, name="workplans"),
    path("workplans/frameworks/<int:pk>/", views.framework_detail, name="framework"),
    path("workplans/<int:pk>/", views.workplan_detail, name="workplan"),
]
