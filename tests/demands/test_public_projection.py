"""The public projection: substitutes, masking, redaction, accepted wording, region names, and
the stored snapshot that lists render from."""

import pytest

from accounts.enums import OrganisationKind
from common.regions import PROVINCES, region_name, region_prefix
from demands.enums import DemandStatus, HideableField
from demands.models import Demand
from demands.public.projection import (
    REDACTION_MARK,
    PublicDemand,
    project,
    public_name_for,
    rebuild_public_index,
    refresh_public_index,
)
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import publish
from tests.factories.accounts import OrganisationFactory
from tests.factories.contests import IndustryFieldFactory
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db

# Every region code of the host units in DOMAIN.md, with its expected short name.
HOST_REGIONS = {
    "110000": "北京", "120000": "天津", "310000": "上海", "210000": "辽宁", "210200": "大连",
    "131100": "衡水", "320115": "南京江宁区", "320582": "张家港", "320900": "盐城",
    "321000": "扬州", "330000": "浙江", "330200": "宁波", "360600": "鹰潭", "370200": "青岛",
    "371100": "日照", "371500": "聊城", "420000": "湖北", "440100": "广州", "440200": "韶关",
    "440600": "佛山", "441300": "惠州", "441900": "东莞", "510700": "绵阳", "511300": "南充",
    "511500": "宜宾", "610100": "西安", "610400": "咸阳", "610600": "延安", "620100": "兰州",
    "630100": "西宁", "640000": "宁夏",
}


@pytest.mark.parametrize(("code", "name"), sorted(HOST_REGIONS.items()))
def test_region_names_of_every_host_region(code, name):
    assert region_name(code) == name


@pytest.mark.parametrize(("code", "name"), [
    ("610113", "西安"),      # a district of a listed city: the city
    ("652900", "新疆"),      # an unlisted prefecture: the province
    ("110108", "北京"),      # a district of a municipality
    ("990000", ""), ("", ""), ("abc", ""),
])
def test_region_name_falls_back_to_city_then_province(code, name):
    assert region_name(code) == name


def test_all_31_provinces_are_named():
    assert len(PROVINCES) == 31
    assert all(code.endswith("0000") and name for code, name in PROVINCES.items())


@pytest.mark.parametrize(("code", "prefix"), [("610000", "61"), ("610100", "6101"),
                                              ("610113", "610113"), ("bad", "")])
def test_region_prefix(code, prefix):
    assert region_prefix(code) == prefix


@pytest.mark.parametrize(("kind", "word"), [(OrganisationKind.ENTERPRISE, "企业"),
                                            (OrganisationKind.UNIVERSITY, "高校"),
                                            (OrganisationKind.INSTITUTE, "科研院所"),
                                            (OrganisationKind.TEAM, "团队")])
def test_public_name_reads_like_a_region_field_kind(kind, word):
    assert public_name_for(region_code="610100", industry_name="新材料产业",
                           organisation_kind=kind) == f"某西安新材料产业{word}"


def test_public_name_of_a_university_demand(host_unit):
    university = OrganisationFactory(name="某某理工大学", kind=OrganisationKind.UNIVERSITY)
    demand = DemandFactory(organisation=university, host_unit=host_unit, region="440100",
                           industry_field=IndustryFieldFactory(name="生物产业"),
                           hidden_fields=[HideableField.ORGANISATION])

    assert project(demand).public_name == "某广州生物产业高校"


def test_organisation_name_shown_when_not_hidden(host_unit):
    demand = DemandFactory(host_unit=host_unit, hidden_fields=[])

    projection = project(demand)

    assert projection.public_name == demand.organisation.name
    assert not projection.organisation_hidden


def test_contact_is_masked_even_when_not_hidden(host_unit):
    demand = DemandFactory(host_unit=host_unit, contact_mobile="13812345678",
                           contact_email="zhang.san@example.com",
                           contact_landline="029-88886666", hidden_fields=[])

    projection = project(demand)

    assert (projection.contact_mobile, projection.contact_email, projection.contact_landline) \
        == ("138****5678", "z***@example.com", "***-****6666")
    assert projection.contact_person == demand.contact_person


def test_hidden_money_and_contact_are_absent(host_unit):
    demand = DemandFactory(host_unit=host_unit, hidden_fields=[
        HideableField.BUDGET, HideableField.PRIZE, HideableField.PHONE, HideableField.EMAIL,
        HideableField.ADDRESS, HideableField.CONTACT_PERSON])

    projection = project(demand)

    assert (projection.budget, projection.prize, projection.contact_mobile,
            projection.contact_landline, projection.contact_email, projection.address,
            projection.contact_person) == ("", "", "", "", "", "", "")
    assert projection.budget_hidden and projection.prize_hidden and projection.phone_hidden


def test_visible_money_is_plain_text(host_unit):
    demand = DemandFactory(host_unit=host_unit, budget="200.00", prize="12.50")

    projection = project(demand)

    assert (projection.budget, projection.prize) == ("200", "12.5")


def test_passages_are_redacted_everywhere_longest_first(host_unit):
    demand = DemandFactory(
        host_unit=host_unit, title="镍钴锰三元正极改性", keywords=["三元正极", "镍钴锰"],
        key_problem="镍钴锰三元正极在高温下衰减，镍钴锰配比待定。",
        indicators=[("镍钴锰比例", "8:1:1", "", "6:2:2")],
        hidden_passages=["镍钴", "镍钴锰"],
    )

    projection = project(demand)

    texts = [projection.title, *projection.keywords, projection.key_problem,
             projection.indicators[0].name]
    assert all("镍" not in text and "钴" not in text for text in texts)
    assert projection.title == f"{REDACTION_MARK}三元正极改性"
    assert projection.key_problem.count(REDACTION_MARK) == 2


def test_accepted_wording_replaces_the_text_and_passages_still_apply(host_unit):
    demand = DemandFactory(
        host_unit=host_unit, key_problem="原始问题描述。",
        public_wording={"key_problem": "专家改写：提高XK-7号工艺的良率。",
                        "title": "更清楚的标题"},
        hidden_passages=["XK-7"],
    )

    projection = project(demand)

    assert projection.key_problem == f"专家改写：提高{REDACTION_MARK}号工艺的良率。"
    assert projection.title == "更清楚的标题"


def test_empty_passages_change_nothing(host_unit):
    demand = DemandFactory(host_unit=host_unit, hidden_passages=["", "  "])

    projection = project(demand)

    assert projection.key_problem == demand.key_problem
    assert not projection.text_redacted


def test_to_dict_round_trips(host_unit):
    projection = project(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED))

    assert PublicDemand.from_dict(projection.to_dict()) == projection


def test_to_dict_holds_only_public_keys(host_unit):
    data = project(DemandFactory(host_unit=host_unit)).to_dict()

    assert not {"organisation", "organisation_id", "contact_consents_sharing",
                "hidden_passages", "hidden_fields", "public_wording", "created_by",
                "status_history"} & data.keys()


def test_refresh_writes_snapshot_and_search_columns(host_unit):
    demand = DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED,
                           title="锂电池隔膜")

    projection = refresh_public_index(demand)
    demand.refresh_from_db()

    assert demand.public_snapshot == projection.to_dict()
    assert "电池" in demand.search_tokens.split()
    assert "电池" in demand.search_bigrams.split()
    assert "电池" in demand.search_title.split()
    assert demand.public_indexed_at is not None


def test_refresh_of_a_draft_writes_nothing_public(host_unit):
    demand = DemandFactory(host_unit=host_unit, status=DemandStatus.APPROVED)

    assert refresh_public_index(demand) is None
    demand.refresh_from_db()
    assert (demand.public_snapshot, demand.search_tokens, demand.public_indexed_at) == (
        {}, "", None)


def test_rebuild_reindexes_every_public_demand(host_unit):
    published = publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED))
    Demand.objects.filter(pk=published.pk).update(public_snapshot={}, search_tokens="")

    assert rebuild_public_index() == 1
    published.refresh_from_db()
    assert published.public_snapshot["ref"] == published.ref
    assert published.search_tokens


def test_publishing_through_the_workflow_indexes_the_demand(host_unit, host_organiser):
    from demands.services import transition

    demand = DemandFactory(host_unit=host_unit, status=DemandStatus.APPROVED, title="芯片封装")

    transition(demand, DemandStatus.PUBLISHED, actor=host_organiser)
    demand.refresh_from_db()

    assert demand.public_snapshot["title"] == "芯片封装"
    assert "芯片" in demand.search_bigrams
