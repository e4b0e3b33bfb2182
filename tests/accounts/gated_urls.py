"""The portal's URLs plus three gated pages, to test the agreement gate as other apps use it."""

from django.http import HttpResponse
from django.urls import include, path
from django.views import View

from accounts.agreements import AgreementsRequiredMixin, agreements_required


@agreements_required
def secret(request):
    return HttpResponse("hidden demand details")


@agreements_required("nda")
def nda_only(request):
    return HttpResponse("expert analysis")


class SecretView(AgreementsRequiredMixin, View):
    def get(self, request):
        return HttpResponse("solution text")


urlpatterns = [
    path("gated/secret/", secret, name="gated_secret"),
    path("gated/nda/", nda_only, name="gated_nda"),
    path("gated/class/", SecretView.as_view(), name="gated_class"),
    path("", include("challenge_portal.urls")),
]
