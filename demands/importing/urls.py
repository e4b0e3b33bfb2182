"""The standard-format import and export pages, in the ``demands`` namespace (included by
``demands/urls.py`` before any ``manage/<ref>/`` pattern)."""

from django.urls import path

from . import views

urlpatterns = [
    path("manage/import/", views.import_demands, name="import"),
    path("manage/import/template.xlsx", views.import_template, name="import_template"),
    path("manage/export.<str:fmt>", views.export_demands, name="export_full"),
]
