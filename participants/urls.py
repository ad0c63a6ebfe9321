from django.urls import path

from . import views

urlpatterns = [
    path("", views.participant_list, name="participant-list"),
    path("<slug:slug>/", views.participant_detail, name="participant-detail"),
]
