from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("workspace/", views.dashboard, name="dashboard"),
]
