"""/api/v1/: the resources (from :mod:`api.resources`), the OpenAPI document and its docs, a
JSON 404 for anything else; /api/keys/: Torch staff's pages for partner keys."""

from django.urls import include, path, re_path

from . import views
from .resources import resources

app_name = "api"


def _resource_urls():
    for resource in resources():
        yield path(f"{resource.name}/", resource.list_view.as_view(),
                   name=f"{resource.name}-list")
        yield path(f"{resource.name}/{resource.lookup}/", resource.detail_view.as_view(),
                   name=f"{resource.name}-detail")


v1 = [
    path("", views.ApiIndex.as_view(), name="index"),
    *_resource_urls(),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    re_path(r"^(?P<rest>.*)$", views.UnknownPath.as_view()),
]

urlpatterns = [
    path("keys/", views.key_list, name="keys"),
    path("keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
    path("v1/", include(v1)),
]
