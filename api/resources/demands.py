"""Published demands, read from their stored public projection (``Demand.public_snapshot``,
written by ``demands.public.projection``) and never from the model's own fields: what the
owner hid cannot reach the API. Filters are the public list's own form; ``q`` is the portal's
Chinese search."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError

from contests.public_cache import PUBLIC_PAGES as CONTEST_PAGES
from contests.selectors import current_contest
from demands.enums import CooperationMode, DemandStatus, DemandType, IPOwnership, OutcomeForm
from demands.public import search
from demands.public.cache import PUBLIC_PAGES as DEMAND_PAGES
from demands.public.forms import STATE_CHOICES, DemandFilterForm
from demands.public.projection import from_snapshot, public_demands

from ..base import PublicDataView, absolute, updated_since
from ..pagination import keyset_page, position_page
from .common import NOT_FOUND, page_serializer, paging_parameters

SNAPSHOT_FIELDS = ("public_snapshot", "public_indexed_at")


class IndicatorSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Name of the technical indicator.")
    target_value = serializers.CharField(help_text="The value the demand asks for.")
    unit = serializers.CharField(help_text="Unit of the values.")
    current_value = serializers.CharField(help_text="Today's value, if given.")


def _text(help_text):
    return serializers.CharField(help_text=help_text)


class DemandSerializer(serializers.Serializer):
    ref = _text("The demand's reference, e.g. 6-07-0042 (event-host unit-number).")
    url = serializers.URLField(help_text="The demand's public page.")
    api_url = serializers.URLField(help_text="This demand in the API.")
    status = serializers.ChoiceField(
        choices=[DemandStatus.PUBLISHED, DemandStatus.CLOSED],
        help_text="published: open for solutions; closed: no longer.")
    title = _text("Title (hidden passages replaced by 「※已隐去※」).")
    public_name = _text("Who posted it as the public may know: the organisation's name, or "
                        "a substitute such as 某西安新材料产业企业 when hidden.")
    organisation_kind = _text("enterprise, university, institute or team.")
    region_code = _text("GB/T 2260 code of the region.")
    region_name = _text("Name of the region.")
    industry_code = _text("Code of the industry field.")
    industry_name = _text("Name of the industry field.")
    event_number = serializers.IntegerField(allow_null=True, help_text="Number of the event.")
    event_name = _text("Name of the event.")
    host_unit_name = _text("Name of the host unit.")
    host_unit_slug = _text("Slug of the host unit (see /api/v1/host-units/).")
    demand_type = serializers.ChoiceField(choices=DemandType.values, allow_blank=True,
                                          help_text="Kind of demand.")
    keywords = serializers.ListField(child=serializers.CharField(), help_text="Keywords.")
    current_base = _text("What the company has today.")
    key_problem = _text("The key technical problem.")
    expected_outcome = _text("The outcome the company expects.")
    outcome_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=OutcomeForm.values),
        help_text="Accepted forms of outcome.")
    time_requirement = _text("When the outcome is needed.")
    cooperation_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=CooperationMode.values),
        help_text="Accepted modes of cooperation.")
    ip_ownership = serializers.ChoiceField(choices=IPOwnership.values, allow_blank=True,
                                           help_text="Who owns the resulting IP.")
    challenger_conditions = _text("Conditions a challenger must meet.")
    indicators = IndicatorSerializer(many=True, help_text="Technical indicators.")
    budget = _text("Budget in 万元 (empty when hidden or not given).")
    prize = _text("Prize in 万元 (empty when hidden or not given).")
    solution_deadline = serializers.DateField(allow_null=True,
                                              help_text="Deadline for solutions.")
    contact_person = _text("Contact person (empty when hidden).")
    contact_mobile = _text("Contact mobile, always masked (138****5678).")
    contact_landline = _text("Contact landline, always masked.")
    contact_email = _text("Contact e-mail, always masked.")
    address = _text("Address (empty when hidden).")
    attachments = serializers.ListField(child=serializers.CharField(),
                                        help_text="Names of the attached files.")
    national = serializers.BooleanField(help_text="Published nationally (集中发布).")
    published_at = serializers.DateTimeField(allow_null=True, help_text="When published.")
    closed_at = serializers.DateTimeField(allow_null=True, help_text="When closed.")
    matched = serializers.BooleanField(
        help_text="An intention agreement was confirmed (合作意向协议); nobody is named.")
    organisation_hidden = serializers.BooleanField(help_text="The organisation is hidden.")
    contact_person_hidden = serializers.BooleanField(help_text="The contact person is hidden.")
    phone_hidden = serializers.BooleanField(help_text="The telephone numbers are hidden.")
    email_hidden = serializers.BooleanField(help_text="The e-mail address is hidden.")
    address_hidden = serializers.BooleanField(help_text="The address is hidden.")
    budget_hidden = serializers.BooleanField(help_text="The budget is hidden.")
    prize_hidden = serializers.BooleanField(help_text="The prize is hidden.")
    attachments_hidden = serializers.BooleanField(help_text="The attachments are hidden.")
    text_redacted = serializers.BooleanField(help_text="Passages of the texts are hidden.")
    updated_at = serializers.DateTimeField(
        help_text="When the public projection last changed (what updated_since compares).")


def demand_data(snapshot, indexed_at):
    """The API's view of one public snapshot."""
    projection = from_snapshot(snapshot)
    data = projection.to_dict()
    data.pop("snapshot_format", None)
    data["url"] = absolute(projection.url)
    data["api_url"] = absolute(reverse("api:demands-detail", kwargs={"ref": projection.ref}))
    data["updated_at"] = indexed_at
    return DemandSerializer(data).data


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Keywords, searched with the portal's "
                     "Chinese search; results best match first (at most the best "
                     f"{search.CANDIDATE_CAP} of the newest matches)."),
    OpenApiParameter("event", OpenApiTypes.INT, description="Event number."),
    OpenApiParameter("host", OpenApiTypes.STR, description="Host unit slug."),
    OpenApiParameter("field", OpenApiTypes.STR, description="Industry field code."),
    OpenApiParameter("region", OpenApiTypes.STR, description="GB/T 2260 region code; a "
                     "province or city includes its districts."),
    OpenApiParameter("mode", OpenApiTypes.STR, enum=CooperationMode.values,
                     description="Cooperation mode."),
    OpenApiParameter("state", OpenApiTypes.STR, enum=[v for v, _label in STATE_CHOICES if v],
                     description="open or closed (default both)."),
    OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description="Only demands whose "
                     "public projection changed at or after this moment, oldest change first "
                     "(for incremental sync)."),
]


class DemandList(PublicDataView):
    caches = (DEMAND_PAGES,)

    @extend_schema(
        operation_id="demands_list", summary="Published demands",
        description="Newest first; filters as on the public list page.",
        parameters=FILTER_PARAMETERS + paging_parameters(),
        responses={200: page_serializer("DemandPage", DemandSerializer),
                   400: inline_serializer("FilterErrors", {
                       "detail": serializers.DictField(
                           help_text="Errors by parameter.")})},
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request):
        form = DemandFilterForm(request.query_params, contest=current_contest())
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        queryset = form.filtered(public_demands(), current_contest())
        since = updated_since(request)
        query = form.cleaned_data.get("q", "")
        if query:
            if since is not None:
                queryset = queryset.filter(public_indexed_at__gte=since)
            ranked = search.search(queryset, query).values(*SNAPSHOT_FIELDS)
            rows, next_url = position_page(request, lambda start, stop: ranked[start:stop])
        elif since is not None:
            rows, next_url = keyset_page(request, queryset.filter(public_indexed_at__gte=since),
                                         field="public_indexed_at", descending=False,
                                         fields=("public_snapshot",))
        else:
            rows, next_url = keyset_page(request, queryset, field="published_at",
                                         fields=SNAPSHOT_FIELDS)
        return {"next": next_url,
                "results": [demand_data(row["public_snapshot"], row["public_indexed_at"])
                            for row in rows]}


class DemandDetail(PublicDataView):
    caches = (DEMAND_PAGES,)

    @extend_schema(
        operation_id="demands_retrieve",
        summary="One published demand", responses={200: DemandSerializer,
                                                              404: NOT_FOUND},
                   parameters=[OpenApiParameter("ref", OpenApiTypes.STR, OpenApiParameter.PATH,
                                                description="The demand's reference.")])
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, ref):
        row = public_demands().filter(ref=ref).values(*SNAPSHOT_FIELDS).first()
        if row is None:
            raise NotFound(_("No published demand has this reference."))
        return demand_data(row["public_snapshot"], row["public_indexed_at"])


# Both namespaces: event and host unit names appear in the demand's projection.
DemandList.caches = DemandDetail.caches = (DEMAND_PAGES, CONTEST_PAGES)
