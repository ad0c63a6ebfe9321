from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bpdialogue import health
from meetings import views as meeting_views

handler500 = "bpdialogue.outage.server_error"

urlpatterns = [
    path("", meeting_views.home, name="home"),
    path("meetings/<slug:slug>/", meeting_views.meeting_detail, name="meeting-detail"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", include("bpdialogue.api.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
