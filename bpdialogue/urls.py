from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bpdialogue import health
from bpdialogue import views as site_views
from meetings import document_views
from meetings import views as meeting_views
from participants import views as participant_views
from participants.forms import QueuedPasswordResetForm

handler500 = "bpdialogue.outage.server_error"

urlpatterns = [
    path("", meeting_views.home, name="home"),
    path("meetings/", meeting_views.meeting_list, name="meeting-list"),
    path("meetings/<slug:slug>/", meeting_views.meeting_detail, name="meeting-detail"),
    path("calendar/", meeting_views.meeting_calendar, name="meeting-calendar"),
    path("documents/<uuid:uid>/", document_views.document_download, name="document-download"),
    path("render-jobs/<uuid:uid>/", document_views.render_job_status, name="render-job-status"),
    path("participants/", include("participants.urls")),
    path("projects/", include("projects.urls")),
    path("workplans/", include("workplans.urls")),
    path("search/", site_views.search, name="search"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", participant_views.account, name="account"),
    path(
        "accounts/calendar/regenerate/",
        participant_views.calendar_regenerate,
        name="calendar-regenerate",
    ),
    # Password reset and change: Django's views with the portal's templates; the reset
    # e-mail goes out from a task, after the answer (participants/forms.py).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path(
        "calendar/feed/<str:token>.ics",
        participant_views.personal_calendar,
        name="personal-calendar",
    ),
    path("api/v1/", include("bpdialogue.api.urls")),
    path("secretariat/", include("secretariat.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
