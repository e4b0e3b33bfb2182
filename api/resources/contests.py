"""Events, host units (with the stage dates of their approved work plans) and published
challenge notices of the current contest: what their public pages show."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError

from contests.enums import EventKind, Stage, WorkPlanState
from contests.models import Event, HostUnit, WorkPlanStage
from contests.public_cache import PUBLIC_PAGES as CONTEST_PAGES
from contests.selectors import current_contest, published_notices

from ..base import PublicDataView, absolute, updated_since
from ..pagination import keyset_page
from .common import NOT_FOUND, page_serializer, paging_parameters


class FieldSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code of the industry field.")
    name = serializers.CharField(help_text="Name of the industry field.")


class StageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.values, help_text="The lifecycle stage.")
    starts_on = serializers.DateField(help_text="First day of the stage.")
    ends_on = serializers.DateField(help_text="Last day of the stage.")
    note = serializers.CharField(help_text="The host unit's note on the stage.")


class HostUnitSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="The host unit's slug (its reference).")
    name = serializers.CharField(help_text="Name of the host unit.")
    event_number = serializers.IntegerField(help_text="Number of its event.")
    region_code = serializers.CharField(help_text="GB/T 2260 code of its region.")
    region_name = serializers.CharField(help_text="Name of its region.")
    introduction = serializers.CharField(help_text="Its introduction.")
    fields = FieldSerializer(many=True, help_text="Its industry fields.")
    stages = StageSerializer(many=True, help_text="Stage dates of its approved work plan "
                             "(empty until approved).")
    url = serializers.URLField(help_text="Its public page.")
    api_url = serializers.URLField(help_text="This host unit in the API.")
    updated_at = serializers.DateTimeField(help_text="When its record last changed.")


class EventHostSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="The host unit's slug.")
    name = serializers.CharField(help_text="Name of the host unit.")
    api_url = serializers.URLField(help_text="The host unit in the API.")


class EventSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="Number of the event in the contest.")
    name = serializers.CharField(help_text="Name of the event.")
    kind = serializers.ChoiceField(choices=EventKind.values, help_text="thematic or regional.")
    contest = serializers.CharField(help_text="Name of the contest.")
    fields = FieldSerializer(many=True, help_text="Its industry fields.")
    host_units = EventHostSerializer(many=True, help_text="Its host units.")
    url = serializers.URLField(help_text="Its public page.")
    api_url = serializers.URLField(help_text="This event in the API.")
    updated_at = serializers.DateTimeField(help_text="When its record last changed.")


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The notice's reference.")
    title = serializers.CharField(help_text="Title of the challenge notice (挑战须知).")
    body = serializers.CharField(help_text="Its text.")
    host_unit = serializers.CharField(help_text="Slug of the host unit that published it.")
    host_unit_name = serializers.CharField(help_text="Name of that host unit.")
    event_number = serializers.IntegerField(help_text="Number of the host unit's event.")
    published_at = serializers.DateTimeField(help_text="When it was published.")
    url = serializers.URLField(help_text="Where the public reads it.")
    api_url = serializers.URLField(help_text="This notice in the API.")
    updated_at = serializers.DateTimeField(help_text="When it last changed.")


def _fields(obj):
    return [{"code": field.code, "name": field.name} for field in obj.fields.all()]


def _api(name, **kwargs):
    from django.urls import reverse

    return absolute(reverse(f"api:{name}-detail", kwargs=kwargs))


def event_data(event):
    return EventSerializer({
        "number": event.number, "name": event.name, "kind": event.kind,
        "contest": event.contest.name, "fields": _fields(event),
        "host_units": [{"slug": unit.slug, "name": unit.name,
                        "api_url": _api("host-units", slug=unit.slug)}
                       for unit in event.host_units.all()],
        "url": absolute(event.get_absolute_url()), "api_url": _api("events", number=event.number),
        "updated_at": event.updated_at,
    }).data


def host_unit_data(unit):
    stages = unit.approved_stage_rows
    return HostUnitSerializer({
        "slug": unit.slug, "name": unit.name, "event_number": unit.event.number,
        "region_code": unit.region, "region_name": unit.region_name,
        "introduction": unit.introduction, "fields": _fields(unit),
        "stages": [{"stage": row.stage, "starts_on": row.starts_on, "ends_on": row.ends_on,
                    "note": row.note} for row in stages],
        "url": absolute(unit.get_absolute_url()), "api_url": _api("host-units", slug=unit.slug),
        "updated_at": unit.updated_at,
    }).data


def notice_data(notice):
    unit = notice.host_unit
    return NoticeSerializer({
        "id": notice.pk, "title": notice.title, "body": notice.body, "host_unit": unit.slug,
        "host_unit_name": unit.name, "event_number": unit.event.number,
        "published_at": notice.published_at, "url": absolute(notice.get_absolute_url()),
        "api_url": _api("notices", id=notice.pk), "updated_at": notice.updated_at,
    }).data


def _events():
    return (Event.objects.filter(contest=current_contest()).select_related("contest")
            .prefetch_related("fields", Prefetch("host_units",
                                                 queryset=HostUnit.objects.order_by("pk")))
            .order_by("number"))


def _host_units():
    from contests.enums import STAGE_ORDER

    approved = WorkPlanStage.objects.filter(work_plan__state=WorkPlanState.APPROVED)
    units = (HostUnit.objects.filter(event__contest=current_contest())
             .select_related("event").prefetch_related("fields")
             .order_by("event__number", "pk"))
    return units, approved, STAGE_ORDER


def _with_stages(units, approved, order):
    units = list(units)
    rows = {}
    for row in approved.filter(work_plan__host_unit__in=[unit.pk for unit in units]).values(
            "work_plan__host_unit_id", "stage", "starts_on", "ends_on", "note"):
        rows.setdefault(row["work_plan__host_unit_id"], []).append(row)
    for unit in units:
        unit.approved_stage_rows = [
            _Row(**{k: v for k, v in row.items() if k != "work_plan__host_unit_id"})
            for row in sorted(rows.get(unit.pk, []), key=lambda r: order.index(r["stage"]))
        ]
    return units


class _Row:
    def __init__(self, **values):
        self.__dict__.update(values)


EVENT_PARAMETERS = [
    OpenApiParameter("updated_since", OpenApiTypes.DATETIME,
                     description="Only records changed at or after this moment."),
]


class EventList(PublicDataView):
    caches = (CONTEST_PAGES,)

    @extend_schema(
        operation_id="events_list",
        summary="Events", description="Every event of the current contest (a few "
                   "dozen, on one page), by number.",
                   parameters=EVENT_PARAMETERS,
                   responses={200: page_serializer("EventPage", EventSerializer)})
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request):
        events = _events()
        if (since := updated_since(request)) is not None:
            events = events.filter(updated_at__gte=since)
        return {"next": None, "results": [event_data(event) for event in events]}


class EventDetail(PublicDataView):
    caches = (CONTEST_PAGES,)

    @extend_schema(
        operation_id="events_retrieve",
        summary="One event", responses={200: EventSerializer, 404: NOT_FOUND},
                   parameters=[OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH,
                                                description="The event's number.")])
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, number):
        event = _events().filter(number=number).first()
        if event is None:
            raise NotFound(_("No event has this number."))
        return event_data(event)


HOST_PARAMETERS = EVENT_PARAMETERS + [
    OpenApiParameter("event", OpenApiTypes.INT, description="Only this event's host units."),
]


def _event_number(request):
    value = request.query_params.get("event", "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 4:
        raise ValidationError({"event": [_("Give an event number.")]})
    return int(value)


class HostUnitList(PublicDataView):
    caches = (CONTEST_PAGES,)

    @extend_schema(
        operation_id="host_units_list",
        summary="Host units", description="Every host unit of the current contest "
                   "(on one page), by event.", parameters=HOST_PARAMETERS,
                   responses={200: page_serializer("HostUnitPage", HostUnitSerializer)})
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request):
        units, approved, order = _host_units()
        if (number := _event_number(request)) is not None:
            units = units.filter(event__number=number)
        if (since := updated_since(request)) is not None:
            units = units.filter(updated_at__gte=since)
        return {"next": None, "results": [host_unit_data(unit) for unit in
                                          _with_stages(units, approved, order)]}


class HostUnitDetail(PublicDataView):
    caches = (CONTEST_PAGES,)

    @extend_schema(
        operation_id="host_units_retrieve",
        summary="One host unit", responses={200: HostUnitSerializer,
                                                       404: NOT_FOUND},
                   parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH,
                                                description="The host unit's slug.")])
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, slug):
        units, approved, order = _host_units()
        units = _with_stages(units.filter(slug=slug), approved, order)
        if not units:
            raise NotFound(_("No host unit has this slug."))
        return host_unit_data(units[0])


NOTICE_PARAMETERS = HOST_PARAMETERS + [
    OpenApiParameter("host", OpenApiTypes.STR, description="Only this host unit's notices."),
]


def _notices():
    return (published_notices().filter(host_unit__event__contest=current_contest())
            .select_related("host_unit__event"))


class NoticeList(PublicDataView):
    caches = (CONTEST_PAGES,)

    @extend_schema(
        operation_id="notices_list",
        summary="Challenge notices", description="Published challenge notices, "
                   "newest first (or oldest change first with updated_since).",
                   parameters=NOTICE_PARAMETERS + paging_parameters(),
                   responses={200: page_serializer("NoticePage", NoticeSerializer)})
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request):
        notices = _notices()
        if (number := _event_number(request)) is not None:
            notices = notices.filter(host_unit__event__number=number)
        if host := request.query_params.get("host", ""):
            notices = notices.filter(host_unit__slug=host[:60])
        if (since := updated_since(request)) is not None:
            rows, next_url = keyset_page(request, notices.filter(updated_at__gte=since),
                                         field="updated_at", descending=False)
        else:
            rows, next_url = keyset_page(request, notices, field="published_at")
        return {"next": next_url, "results": [notice_data(notice) for notice in rows]}


class NoticeDetail(PublicDataView):
    caches = (CONTEST_PAGES,)

    @extend_schema(
        operation_id="notices_retrieve",
        summary="One challenge notice", responses={200: NoticeSerializer,
                                                              404: NOT_FOUND},
                   parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                                description="The notice's number.")])
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, id):  # noqa: A002  (the path parameter's documented name)
        notice = _notices().filter(pk=id).first()
        if notice is None:
            raise NotFound(_("No published notice has this number."))
        return notice_data(notice)

