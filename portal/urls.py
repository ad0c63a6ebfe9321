"""The site's URL map (ROOT_URLCONF): the portal's pages here, the other faces (the secretariat
workspace, the partner API, the admin) included by module path, so the portal imports none of
them.

Pages (the portal's, the workspace's, signing in) are under `i18n_patterns` without a prefix
for the default language: `/meetings/` in English, `/ru/meetings/` in Russian. What is not a
page in a language stays without a prefix (`bpdialogue.language`): the API, downloads and
exports, calendar feeds, the admin, the probes."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bpdialogue import health
from meetings import document_views

from . import action_points, sign_out, two_factor, views
from .forms import QueuedPasswordResetForm

handler500 = "bpdialogue.outage.server_error"

urlpatterns = i18n_patterns(
    path("", views.home, name="home"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting-detail"),
    path(
        "meetings/<slug:slug>/registration/",
        views.meeting_registration,
        name="meeting-registration",
    ),
    path("calendar/", views.meeting_calendar, name="meeting-calendar"),
    path("action-points/", action_points.action_point_list, name="action-point-list"),
    path("render-jobs/<uuid:uid>/", document_views.render_job_status, name="render-job-status"),
    path("participants/", views.participant_list, name="participant-list"),
    path("participants/<slug:slug>/", views.participant_detail, name="participant-detail"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<slug:slug>/", views.project_detail, name="project-detail"),
    path("workplans/", views.workplan_list, name="workplan-list"),
    path("workplans/<uuid:uid>/", views.workplan_detail, name="workplan-detail"),
    path("analytics/", views.analytics, name="analytics"),
    path("search/", views.search, name="search"),
    # The switch is posted from a page to that page's language's address: Django's
    # set_language resolves `next` in the active language to translate it.
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", two_factor.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", views.account, name="account"),
    path("accounts/two-factor/", two_factor.two_factor, name="two-factor"),
    path("accounts/two-factor/verify/", two_factor.two_factor_verify, name="two-factor-verify"),
    path(
        "accounts/two-factor/recovery-codes/",
        two_factor.recovery_codes_replace,
        name="two-factor-recovery-codes",
    ),
    path("accounts/two-factor/remove/", two_factor.two_factor_remove, name="two-factor-remove"),
    path("accounts/calendar/regenerate/", views.calendar_regenerate, name="calendar-regenerate"),
    path(
        "accounts/sign-out-everywhere/",
        sign_out.sign_out_everywhere,
        name="sign-out-everywhere",
    ),
    # Password reset and change: Django's views with the portal's templates; the reset
    # e-mail goes out from a task, after the answer (QueuedPasswordResetForm).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("secretariat/", include("secretariat.urls")),
    prefix_default_language=False,
)

# The same in every language: data, files, feeds and machinery, not pages to read.
urlpatterns += [
    path("action-points.csv", action_points.action_points_csv, name="action-points-csv"),
    path("action-points.ics", action_points.action_points_ics, name="action-points-ics"),
    path("documents/<uuid:uid>/", document_views.document_download, name="document-download"),
    path("calendar/feed/<str:token>.ics", views.personal_calendar, name="personal-calendar"),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("readyz", health.readyz, name="readyz"),
]
