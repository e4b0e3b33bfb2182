"""The API's index, its documentation pages, the JSON 404 of unknown paths, and Torch staff's
pages for partner keys."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from common.errors import DomainError, show_error

from . import permissions, selectors, services
from .base import ApiView, absolute
from .forms import ApiKeyForm
from .models import ApiKeyUsage
from .resources import resources

USAGE_DAYS = 14


class ApiIndex(ApiView):
    @extend_schema(summary="The API's resources", responses={200: inline_serializer(
        "Index", {
            "resources": serializers.DictField(child=serializers.URLField(),
                                               help_text="Each resource's list, by name."),
            "schema": serializers.URLField(help_text="The OpenAPI 3 document."),
            "docs": serializers.URLField(help_text="Interactive documentation."),
        })})
    def get(self, request):
        from rest_framework.response import Response

        return Response({
            "resources": {resource.name: absolute(reverse(f"api:{resource.name}-list"))
                          for resource in resources()},
            "schema": absolute(reverse("api:schema")),
            "docs": absolute(reverse("api:docs")),
        })


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document (YAML, or JSON with ``?format=json`` / ``Accept``)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its assets served by the portal (drf-spectacular-sidecar) and its setup
    script as a separate file, so the page runs under the portal's CSP."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


class UnknownPath(ApiView):
    """Any other path under /api/v1/: a JSON 404, like an unknown reference."""

    @extend_schema(exclude=True)
    def get(self, request, rest=""):
        raise NotFound(gettext("There is no such resource in this API."))


# --- Torch staff's pages ----------------------------------------------------------------------
def _torch_or_404(request):
    if not permissions.can_manage_keys(request.user):
        raise Http404


@never_cache
@login_required
def key_list(request):
    """The partners' keys with their use over the last days, and the form to issue one. The
    new key is shown once, on the answer to the form, and never stored."""
    _torch_or_404(request)
    form = ApiKeyForm(request.POST if request.method == "POST" else None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            key, raw = services.issue_key(actor=request.user, request=request,
                                          **form.cleaned_data)
        except DomainError as error:
            show_error(request, error, form)
        else:
            issued = {"key": key, "raw": raw}
            form = ApiKeyForm()
    since = timezone.localdate() - timezone.timedelta(days=USAGE_DAYS - 1)
    keys = selectors.keys_visible_to(request.user).prefetch_related(Prefetch(
        "usage", queryset=ApiKeyUsage.objects.filter(day__gte=since).order_by("day"),
        to_attr="recent_usage"))
    return render(request, "api/keys.html", {
        "form": form, "issued": issued, "keys": keys, "usage_days": USAGE_DAYS,
        "docs_url": reverse("api:docs"),
    }, status=400 if request.method == "POST" and form.errors else 200)


@require_POST
@login_required
def key_revoke(request, pk):
    _torch_or_404(request)
    key = get_object_or_404(selectors.keys_visible_to(request.user), pk=pk)
    try:
        services.revoke_key(key, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, gettext("The key of %(partner)s is revoked.")
                         % {"partner": key.partner})
    return redirect("api:keys")
