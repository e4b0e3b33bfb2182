from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.national, name="national"),
    path("export.xlsx", views.export, name="export"),
    path("mine/", views.mine, name="mine"),
    path("list/<slug:stage>/", views.drill, name="drill"),
    path("responses/", views.responses, name="responses"),
    path("refresh/", views.refresh, name="refresh"),
    path("calendar/", views.calendar, name="calendar"),
    path("hosts/", views.scorecards, name="scorecards"),
    path("hosts/<slug:slug>/evaluate/", views.evaluate, name="evaluate"),
    path("training/", views.training, name="training"),
    path("training/materials/<int:pk>/", views.training_material, name="training_material"),
    path("training/materials/<int:pk>/read/", views.training_read, name="training_read"),
    path("training/sessions/<int:pk>/", views.training_session, name="training_session"),
    path("training/sessions/<int:pk>/register/", views.training_register,
         name="training_register"),
]
