import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.enums import AgreementKind
from accounts.models import Agreement
from contests import services
from contests.enums import EventKind
from contests.models import Contest, Event, HostUnit, IndustryField

pytestmark = pytest.mark.django_db

ANNEX_COUNTS = {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 2, 7: 1, 8: 1, 9: 4, 10: 1, 11: 1, 12: 2,
                13: 1, 14: 5, 15: 2, 16: 2, 17: 1, 18: 1, 19: 1, 20: 1, 21: 1, 22: 1}


def test_load_contest_creates_the_edition_with_22_events_and_33_host_units(contest6):
    assert (contest6.edition, contest6.name, contest6.document_number, contest6.year) == (
        6, "第六届中国创新挑战赛", "国科发火〔2021〕138号", 2021)
    assert contest6.is_current is True
    assert Event.objects.filter(contest=contest6).count() == 22
    assert HostUnit.objects.filter(event__contest=contest6).count() == 33
    assert sorted(Event.objects.values_list("number", flat=True)) == list(range(1, 23))


def test_load_contest_event_names_are_the_annex_names(contest6):
    names = dict(Event.objects.values_list("number", "name"))
    assert names[1] == "第六届中国创新挑战赛（中关村）技术融合专题赛"
    assert names[2] == "第六届中国创新挑战赛（上海）长三角区域一体化发展专题赛"
    assert names[4] == "第六届中国创新挑战赛（西安）硬科技发展专题赛"
    assert names[5] == "第六届中国创新挑战赛（北京）"
    assert names[14] == "第六届中国创新挑战赛（广东）"
    assert names[22] == "第六届中国创新挑战赛（青岛）"
    assert all(" " not in name and "\n" not in name for name in names.values())


def test_load_contest_thematic_events_are_the_first_four(contest6):
    thematic = Event.objects.filter(kind=EventKind.THEMATIC).values_list("number", flat=True)
    assert sorted(thematic) == [1, 2, 3, 4]


def test_load_contest_host_units_per_event_match_the_annex(contest6):
    counts = {event.number: event.host_units.count() for event in Event.objects.all()}
    assert counts == ANNEX_COUNTS
    assert list(HostUnit.objects.filter(event__number=14).order_by("pk")
                .values_list("name", flat=True)) == [
        "广州市人民政府", "韶关市人民政府", "惠州市人民政府", "佛山高新区管委会",
        "东莞松山湖高新区管委会"]
    assert list(HostUnit.objects.filter(event__number=9).order_by("pk")
                .values_list("name", flat=True)) == [
        "南京市江宁区人民政府", "张家港市人民政府", "盐城市人民政府", "扬州市人民政府"]


def test_load_contest_beijing_is_two_host_units_for_events_1_and_5(contest6):
    beijing = HostUnit.objects.filter(name="北京市科委、中关村管委会").order_by("event__number")
    assert [(unit.event.number, unit.region, unit.region_name) for unit in beijing] == [
        (1, "110000", "北京"), (5, "110000", "北京")]
    assert beijing[0].slug != beijing[1].slug


def test_load_contest_region_codes_come_from_the_domain_list(contest6):
    regions = {unit.name: (unit.region, unit.region_name) for unit in HostUnit.objects.all()}
    assert regions["天津滨海高新区管委会"] == ("120000", "天津")
    assert regions["天津港保税区管委会"] == ("120000", "天津")
    assert regions["佛山高新区管委会"] == ("440600", "佛山")
    assert regions["南京市江宁区人民政府"] == ("320115", "南京江宁区")
    assert regions["西安市人民政府"] == ("610100", "西安")
    assert regions["宁夏回族自治区科技厅"] == ("640000", "宁夏")
    assert regions["大连市科技局"] == ("210200", "大连")


def test_load_contest_fields_of_host_units_and_events(contest6):
    assert IndustryField.objects.count() == 9
    ningxia = HostUnit.objects.get(name="宁夏回族自治区科技厅")
    assert sorted(ningxia.fields.values_list("name", flat=True)) == sorted(
        ["新材料产业", "节能环保产业"])
    tianjin = Event.objects.get(number=6)
    # An event's fields are those of its host units together.
    assert sorted(tianjin.fields.values_list("name", flat=True)) == sorted(
        ["新一代信息技术产业", "生物产业"])
    assert list(HostUnit.objects.get(slug="zhongguancun").fields.values_list(
        "name", flat=True)) == ["民用与国防两用技术"]


def test_load_contest_slugs_and_codes_are_ascii_and_unique(contest6):
    slugs = list(HostUnit.objects.values_list("slug", flat=True))
    codes = list(IndustryField.objects.values_list("code", flat=True))
    assert len(set(slugs)) == 33
    assert all(re.fullmatch(r"[a-z0-9-]+", value) for value in slugs + codes)


def test_load_contest_twice_changes_nothing(contest6):
    xian = HostUnit.objects.get(slug="xian")
    event = Event.objects.get(number=14)
    counts = (Contest.objects.count(), IndustryField.objects.count(), Event.objects.count(),
              HostUnit.objects.count(), Agreement.objects.count())

    report = services.load_contest_file()

    assert not report.changed
    assert (Contest.objects.count(), IndustryField.objects.count(), Event.objects.count(),
            HostUnit.objects.count(), Agreement.objects.count()) == counts
    again = HostUnit.objects.get(slug="xian")
    assert (again.pk, again.updated_at, again.name) == (xian.pk, xian.updated_at, xian.name)
    assert Event.objects.get(number=14).updated_at == event.updated_at
    assert report.counts["host_units"].unchanged == 33


def test_load_contest_restores_a_changed_row_in_place(contest6):
    xian = HostUnit.objects.get(slug="xian")
    HostUnit.objects.filter(pk=xian.pk).update(name="改过的名字", region="610000")
    xian.fields.clear()

    report = services.load_contest_file()

    restored = HostUnit.objects.get(slug="xian")
    assert (restored.pk, restored.name, restored.region) == (xian.pk, "西安市人民政府", "610100")
    assert list(restored.fields.values_list("name", flat=True)) == ["硬科技"]
    assert report.counts["host_units"].updated == 1


def test_load_contest_publishes_agreements_only_when_the_contest_has_none(contest6):
    agreements = Agreement.objects.for_scope(contest6)
    assert sorted(agreements.values_list("kind", "version")) == [
        (AgreementKind.DISCLAIMER, 1), (AgreementKind.NDA, 1)]
    assert all(agreement.published_at for agreement in agreements)
    nda = agreements.get(kind=AgreementKind.NDA)
    assert "保密信息" in nda.body and nda.title == "第六届中国创新挑战赛保密协议"

    nda.delete()
    Agreement.objects.create(scope=contest6, kind=AgreementKind.NDA, version=2,
                             title="员工修订版", body="新的文本")
    services.load_contest_file()

    assert sorted(Agreement.objects.filter(kind=AgreementKind.NDA).values_list(
        "version", flat=True)) == [2]


def test_load_contest_command_prints_counts():
    out = StringIO()
    call_command("load_contest", stdout=out)
    first = out.getvalue()
    out = StringIO()
    call_command("load_contest", stdout=out)

    assert "Events: 22 created, 0 updated, 0 unchanged" in first
    assert "Host units: 33 created, 0 updated, 0 unchanged" in first
    assert "Host units: 0 created, 0 updated, 33 unchanged" in out.getvalue()
    assert "Nothing to change." in out.getvalue()


def test_load_contest_command_refuses_a_malformed_file(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"contest": {"edition": 7}}), "utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_contest", file=str(broken), stdout=StringIO())
    assert not Contest.objects.filter(edition=7).exists()
