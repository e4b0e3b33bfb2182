"""The achievement import pages, in the ``matching`` namespace (included by
``matching/urls.py`` before ``achievements/<int:pk>/``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("achievements/import/", views.import_achievements, name="achievement_import"),
    path("achievements/import/template.xlsx", views.import_template,
         name="achievement_import_template"),
    path("achievements/export.<str:fmt>", views.export_achievements,
         name="achievement_export"),
]
