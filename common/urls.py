from django.urls import include, path

from . import views

urlpatterns = [
    path("favicon.ico", views.favicon),
    path("healthz", views.healthz, name="healthz"),
    path("imports/", include("common.importexport.urls")),
]
