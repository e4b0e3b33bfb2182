from django.urls import path

from . import privacy_views, views

app_name = "accounts"
urlpatterns = [
    path("workspace/", views.dashboard, name="dashboard"),
    path("profile/", views.profile_edit, name="profile"),
    path("roles/", views.roles_edit, name="roles"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/join/", views.organisation_join, name="organisation_join"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("memberships/<int:pk>/decide/", views.membership_decide, name="membership_decide"),
    path("agreements/", views.signatures, name="signatures"),
    path("agreements/sign/", views.agreements_sign, name="agreements_sign"),
    # privacy (PIPL): notice, data download, account erasure
    path("privacy/", privacy_views.privacy_notice, name="privacy"),
    path("privacy/export/", privacy_views.privacy_export, name="privacy_export"),
    path("privacy/delete/", privacy_views.privacy_delete, name="privacy_delete"),
]
