"""Routes of host staff's demand pages, included by ``demands/urls.py`` (``manage/`` and
``manage/new/`` before the ``manage/<ref>/`` patterns)."""

from django.urls import path

from . import views

list_urlpatterns = [
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.host_create, name="host_create"),
]
demand_urlpatterns = [
    path("manage/<str:ref>/experts/", views.assign_experts, name="assign_experts"),
]
