from django.contrib import admin
from django.urls import include, path

from contests.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("common.urls")),
    path("", include("contests.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("files/", include("files.urls")),
    path("notifications/", include("notifications.urls")),
    path("demands/", include("demands.urls")),
    path("admin/", admin.site.urls),
]

