"""National publishing (集中发布), feeds, sitemap and the public export."""

import csv
import io

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from audit.models import ActivityLog
from demands.enums import DemandStatus
from demands.models import Demand
from demands.services.national import NationalError, national_demands, set_national
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import publish
from tests.factories.contests import IndustryFieldFactory
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db


def _published(**kwargs):
    kwargs.setdefault("status", DemandStatus.PUBLISHED)
    return publish(DemandFactory(**kwargs))


def _text(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


# --- national publishing ----------------------------------------------------------------------
def test_torch_staff_mark_a_demand_nationally_and_it_is_logged(torch_staff):
    demand = _published(title="国家集中发布的需求")

    set_national(demand, actor=torch_staff)

    demand.refresh_from_db()
    assert demand.national and demand.national_marked_at is not None
    assert demand.public_snapshot["national"] is True
    assert [entry.actor_id for entry in ActivityLog.objects.filter(
        action="portal.demand.national_marked", object_id=str(demand.pk))] == [torch_staff.pk]
    assert [item.ref for item in national_demands()] == [demand.ref]


@pytest.mark.parametrize("who", ["host_organiser", "demand_owner", "stranger"])
def test_others_cannot_mark_nationally(request, who):
    demand = _published()

    with pytest.raises(NationalError):
        set_national(demand, actor=request.getfixturevalue(who))
    assert not Demand.objects.get(pk=demand.pk).national


@pytest.mark.parametrize("status", [DemandStatus.APPROVED, DemandStatus.CLOSED])
def test_only_open_published_demands_are_marked(torch_staff, status):
    demand = DemandFactory(status=status)

    with pytest.raises(NationalError):
        set_national(demand, actor=torch_staff)
    assert not Demand.objects.get(pk=demand.pk).national


def test_detail_page_button_for_torch_staff(client, torch_staff):
    demand = _published()
    client.force_login(torch_staff)

    page = client.get(demand.get_absolute_url()).content.decode()
    response = client.post(reverse("demands:national", kwargs={"ref": demand.ref}),
                           {"national": "1"})

    assert reverse("demands:national", kwargs={"ref": demand.ref}) in page
    assert response.status_code == 302
    assert Demand.objects.get(pk=demand.pk).national


@pytest.mark.parametrize("who", ["host_organiser", "challenger", "stranger"])
def test_national_button_is_404_for_others(client, request, who):
    demand = _published()
    client.force_login(request.getfixturevalue(who))

    page = client.get(demand.get_absolute_url()).content.decode()
    response = client.post(reverse("demands:national", kwargs={"ref": demand.ref}),
                           {"national": "1"})

    assert reverse("demands:national", kwargs={"ref": demand.ref}) not in page
    assert response.status_code == 404
    assert not Demand.objects.get(pk=demand.pk).national


def test_admin_action_marks_nationally_for_torch_staff_only(rf, torch_staff, host_organiser):
    from django.contrib.messages.storage.fallback import FallbackStorage

    admin = site._registry[Demand]
    demand = _published()

    def request_of(user):
        request = rf.post("/admin/demands/demand/")
        request.user = user
        request.session = {}
        request._messages = FallbackStorage(request)
        return request

    assert "mark_national_action" in admin.get_actions(request_of(torch_staff))
    assert "mark_national_action" not in admin.get_actions(request_of(host_organiser))
    admin.get_actions(request_of(torch_staff))["mark_national_action"][0](
        admin, request_of(torch_staff), Demand.objects.filter(pk=demand.pk))
    assert Demand.objects.get(pk=demand.pk).national


def test_home_page_lists_national_demands_only(client, torch_staff):
    national = _published(title="集中发布的需求甲")
    _published(title="普通发布的需求乙")
    set_national(national, actor=torch_staff)

    page = client.get(reverse("home")).content.decode()
    # The home page lists the newest demands too; its national section only the national.
    national_section = page.split('class="national-demands"')[1].split("</section>")[0]

    assert "集中发布的需求甲" in national_section
    assert "普通发布的需求乙" not in national_section
    assert reverse("demands:feed_national") in national_section


def test_closing_drops_a_demand_from_the_national_list(torch_staff, host_organiser):
    from demands.services import transition

    demand = _published(host_unit=host_organiser.host_memberships.get().host_unit)
    set_national(demand, actor=torch_staff)

    transition(demand, DemandStatus.CLOSED, actor=host_organiser)

    assert national_demands() == []


# --- feeds ------------------------------------------------------------------------------------
def test_feed_lists_open_demands_newest_first(client):
    older = _published(title="较早的需求")
    newer = _published(title="较新的需求")
    _published(title="已关闭的需求", status=DemandStatus.CLOSED)
    DemandFactory(title="草稿需求")

    rss = _text(client.get(reverse("demands:feed")))
    atom = _text(client.get(reverse("demands:feed_atom")))

    assert rss.index(newer.title) < rss.index(older.title)
    assert "已关闭的需求" not in rss and "草稿需求" not in rss
    assert "<feed" in atom and newer.title in atom


def test_feed_links_use_the_portal_address(client, settings):
    settings.SITE_URL = "https://challenge.example.cn"
    demand = _published()

    atom = _text(client.get(reverse("demands:feed_atom")))

    assert f"https://challenge.example.cn{demand.get_absolute_url()}" in atom
    assert f'href="https://challenge.example.cn{reverse("demands:feed_atom")}"' in atom
    assert "example.com" not in atom


def test_field_and_event_feeds_are_scoped(client):
    field = IndustryFieldFactory(code="bio", name="生物产业")
    wanted = _published(title="生物医药需求", industry_field=field)
    other = _published(title="其他领域需求")

    by_field = _text(client.get(reverse("demands:feed_field", kwargs={"code": "bio"})))
    by_event = _text(client.get(reverse("demands:feed_event", kwargs={
        "number": other.host_unit.event.number})))

    assert wanted.title in by_field and other.title not in by_field
    assert other.title in by_event and wanted.title not in by_event


@pytest.mark.parametrize(("name", "kwargs"), [("demands:feed_field", {"code": "nope"}),
                                              ("demands:feed_event", {"number": 999})])
def test_unknown_feed_object_is_404(client, name, kwargs):
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_feed_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        _published()

    with django_assert_num_queries(2):  # the site, then the projections
        response = client.get(reverse("demands:feed"))

    assert _text(response).count("<item>") == count


# --- sitemap ----------------------------------------------------------------------------------
def test_sitemap_lists_published_demands_events_and_hosts(client, settings):
    settings.SITE_URL = "https://challenge.example.cn"
    demand = _published()
    draft = DemandFactory()

    page = _text(client.get("/sitemap.xml"))

    assert f"https://challenge.example.cn{demand.get_absolute_url()}" in page
    assert draft.get_absolute_url() not in page
    assert demand.host_unit.get_absolute_url() in page
    assert demand.host_unit.event.get_absolute_url() in page
    assert reverse("demands:list") in page


# --- export -----------------------------------------------------------------------------------
def test_export_neutralises_formulas(client):
    _published(title="=HYPERLINK(\"http://evil.example\")", key_problem="+1+1",
               keywords=["@SUM(A1)"])

    rows = list(csv.reader(io.StringIO(_text(client.get(reverse("demands:export")))
                                       .lstrip("\ufeff"))))
    header, row = rows[0], rows[1]

    cells = dict(zip(header, row, strict=True))
    assert cells["Title"].startswith("'=")
    assert cells["Key technical problem"] == "'+1+1"
    assert cells["Keywords"] == "'@SUM(A1)"


def test_export_follows_the_list_filters(client):
    field = IndustryFieldFactory(code="bio", name="生物产业")
    wanted = _published(title="生物医药需求", industry_field=field)
    _published(title="其他领域需求")

    rows = list(csv.reader(io.StringIO(_text(client.get(reverse("demands:export"),
                                                        {"field": "bio"})).lstrip("\ufeff"))))

    assert [row[0] for row in rows[1:]] == [wanted.ref]


def test_export_is_linked_from_the_list(client):
    _published()

    page = client.get(reverse("demands:list"), {"field": "bio"}).content.decode()

    assert f'{reverse("demands:export")}?field=bio' in page
