"""Public achievements of the achievement library, read from matching's public projection
(``matching.public``): never a staff-only achievement, never a column the public page does not
show. Filters are the library page's own form; ``q`` is the portal's Chinese search with the
term table's expansion (IGBT also finds 绝缘栅双极型晶体管)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError

from demands.enums import CooperationMode
from matching.forms import AchievementFilterForm
from matching.public import COLUMNS, PUBLIC_ACHIEVEMENTS, project, public_achievements
from matching.search import search
from matching.terms import current_table

from ..base import PublicDataView, absolute, updated_since
from ..pagination import keyset_page, position_page
from .common import NOT_FOUND, page_serializer, paging_parameters


class AchievementSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The achievement's reference (its public page's "
                                  "number).")
    url = serializers.URLField(help_text="The achievement's public page.")
    api_url = serializers.URLField(help_text="This achievement in the API.")
    title = serializers.CharField(help_text="Title.")
    abstract = serializers.CharField(help_text="Abstract.")
    holder_name = serializers.CharField(help_text="The holder: the university, institute or "
                                        "company that owns it.")
    industry_code = serializers.CharField(help_text="Code of the industry field.")
    industry_name = serializers.CharField(help_text="Name of the industry field.")
    trl = serializers.IntegerField(help_text="Maturity, technology readiness level 1–9.")
    keywords = serializers.ListField(child=serializers.CharField(), help_text="Keywords.")
    patent_numbers = serializers.ListField(child=serializers.CharField(),
                                           help_text="Chinese patent numbers.")
    region_code = serializers.CharField(help_text="GB/T 2260 code of the holder's region.")
    region_name = serializers.CharField(help_text="Name of the region.")
    cooperation_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=CooperationMode.values),
        help_text="Modes of cooperation the holder offers.")
    listed_at = serializers.DateTimeField(help_text="When it was listed in the library.")
    updated_at = serializers.DateTimeField(
        help_text="When it last changed (what updated_since compares).")


def achievement_data(row):
    data = project(row)
    data["url"] = absolute(reverse("matching:achievement_detail", kwargs={"pk": data["id"]}))
    data["api_url"] = absolute(reverse("api:achievements-detail", kwargs={"id": data["id"]}))
    return AchievementSerializer(data).data


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Keywords, searched with the portal's "
                     "Chinese search and the term table (an abbreviation also finds its full "
                     "term); results best match first."),
    OpenApiParameter("field", OpenApiTypes.STR, description="Industry field code."),
    OpenApiParameter("region", OpenApiTypes.STR, description="Province: the first two digits "
                     "of a GB/T 2260 code (61 for Shaanxi)."),
    OpenApiParameter("trl", OpenApiTypes.INT, description="Maturity at least this TRL (1–9)."),
    OpenApiParameter("mode", OpenApiTypes.STR, enum=CooperationMode.values,
                     description="Cooperation mode offered."),
    OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description="Only achievements "
                     "changed at or after this moment, oldest change first (for incremental "
                     "sync)."),
]


class AchievementList(PublicDataView):
    caches = (PUBLIC_ACHIEVEMENTS,)

    @extend_schema(
        operation_id="achievements_list", summary="Public achievements",
        description="Newest listed first; filters as on the achievement library page.",
        parameters=FILTER_PARAMETERS + paging_parameters(),
        responses={200: page_serializer("AchievementPage", AchievementSerializer),
                   400: inline_serializer("AchievementFilterErrors", {
                       "detail": serializers.DictField(help_text="Errors by parameter.")})},
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request):
        form = AchievementFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        queryset = form.filter(public_achievements())
        since = updated_since(request)
        if since is not None:
            queryset = queryset.filter(updated_at__gte=since)
        query = form.cleaned_data.get("q") or ""
        if query:
            ranked = search(queryset, query, current_table()).values(*COLUMNS)
            rows, next_url = position_page(request, lambda start, stop: ranked[start:stop])
        elif since is not None:
            rows, next_url = keyset_page(request, queryset, field="updated_at",
                                         descending=False, fields=COLUMNS)
        else:
            rows, next_url = keyset_page(request, queryset, field="listed_at", fields=COLUMNS)
        return {"next": next_url, "results": [achievement_data(row) for row in rows]}


class AchievementDetail(PublicDataView):
    caches = (PUBLIC_ACHIEVEMENTS,)

    @extend_schema(
        operation_id="achievements_retrieve", summary="One public achievement",
        responses={200: AchievementSerializer, 404: NOT_FOUND},
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                     description="The achievement's reference (id).")])
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, id):  # noqa: A002  (the URL's name, as in the schema)
        row = public_achievements().filter(pk=id).values(*COLUMNS).first()
        if row is None:
            raise NotFound(_("No public achievement has this reference."))
        return achievement_data(row)
