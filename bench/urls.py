"""The portal's URLs plus the raw-SQL reference view, served by the same gunicorn during a
benchmark run (``ROOT_URLCONF=bench.urls``). Never used by the portal itself."""

from django.urls import path

from challenge_portal.urls import urlpatterns as portal_urlpatterns

from . import views

urlpatterns = [
    path("bench/reference/list/", views.reference_list, name="bench_reference_list"),
    path("bench/reference/api/", views.reference_api, name="bench_reference_api"),
    path("bench/bump/", views.bump_public_pages, name="bench_bump"),
    *portal_urlpatterns,
]
