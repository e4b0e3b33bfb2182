from django.urls import path

from . import views
from .importing.urls import urlpatterns as importing_urlpatterns
from .organiser import urls as organiser_urls

app_name = "demands"
urlpatterns = [
    # --- the collection side (owner, host staff, experts); before any <ref>/ pattern ---
    path("mine/", views.my_demands, name="mine"),
    path("new/", views.create, name="create"),
    path("assigned/", views.assigned_list, name="assigned"),
    *organiser_urls.list_urlpatterns,
    # standard-format import and export (demands/importing/)
    *importing_urlpatterns,
    path("manage/<str:ref>/", views.detail, name="manage_detail"),
    path("manage/<str:ref>/edit/", views.edit, name="edit"),
    path("manage/<str:ref>/attachments/<uuid:key>/remove/", views.remove_attachment,
         name="remove_attachment"),
    path("manage/<str:ref>/preview/", views.preview, name="preview"),
    path("manage/<str:ref>/status/", views.change_status, name="change_status"),
    *organiser_urls.demand_urlpatterns,
    path("manage/<str:ref>/analysis/", views.analysis, name="analysis"),
    path("manage/<str:ref>/wording/", views.propose_wording, name="propose_wording"),
    path("manage/<str:ref>/proposals/<int:pk>/", views.proposal, name="proposal"),
    path("manage/<str:ref>/contact-consent/", views.contact_consent_request,
         name="contact_consent_request"),
    # the link e-mailed to a demand's contact person (services.contacts)
    path("contact-consent/<str:token>/", views.contact_consent, name="contact_consent"),
]

# --- the public side (demands/public/urls.py) ---
from .public.urls import urlpatterns as public_urlpatterns  # noqa: E402

urlpatterns += public_urlpatterns
