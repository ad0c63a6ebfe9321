from django.urls import path

from . import views

urlpatterns = [
    path("", views.workplan_list, name="workplan-list"),
    path("<uuid:uid>/", views.workplan_detail, name="workplan-detail"),
]
