from django.urls import path

from . import views

app_name = "importexport"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("new/<str:resource_key>/", views.import_start, name="import_start"),
    path("export/<str:resource_key>/<str:fmt>/", views.export_download, name="export"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/status/", views.job_status, name="job_status"),
    path("<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
]
