from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.national, name="national"),
    path("export.xlsx", views.export, name="export"),
    path("mine/", views.mine, name="mine"),
    path("list/<slug:stage>/", views.drill, name="drill"),
]
