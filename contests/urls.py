from django.urls import path

from . import views

app_name = "contests"
urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/<int:number>/", views.event_detail, name="event_detail"),
    path("hosts/<slug:slug>/", views.host_detail, name="host_detail"),
]
