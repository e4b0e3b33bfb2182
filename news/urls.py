from django.urls import path

from . import views

app_name = "news"
urlpatterns = [
    path("", views.news_list, name="list"),
    path("feed/", views.NewsFeed(), name="feed"),
    path("<int:pk>/", views.news_detail, name="detail"),
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.manage_edit, name="manage_create"),
    path("manage/<int:pk>/", views.manage_edit, name="manage_edit"),
]
