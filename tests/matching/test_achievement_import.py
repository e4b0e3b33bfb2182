"""The standard-format import of achievements (matching.importing): GBK CSV and xlsx, a dry
run that writes nothing, all-or-nothing with errors on the spreadsheet's own row numbers,
holders matched by credit code or created, host-unit scoping, the template that re-imports
cleanly, one recommendation refresh per import, the pages and the audit entry."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Organisation
from audit.models import ActivityLog
from common.importexport.enums import ImportJobState
from common.importexport.formats import read_dataset
from common.importexport.services import confirm_import, run_job, start_import
from matching import tasks
from matching.enums import Visibility
from matching.importing.format import (
    COL_ABSTRACT,
    COL_COOPERATION_MODES,
    COL_CREDIT_CODE,
    COL_HOST_UNIT,
    COL_INDUSTRY_FIELD,
    COL_KEYWORDS,
    COL_OWNER,
    COL_OWNER_KIND,
    COL_PATENTS,
    COL_REGION,
    COL_TITLE,
    COL_TRL,
    COL_VISIBILITY,
    HEADERS,
)
from matching.importing.resources import RESOURCE_KEY, AchievementResource
from matching.importing.template import build_template
from matching.models import Achievement
from tests.factories.accounts import OrganisationFactory, credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def refreshes(monkeypatch):
    """The recommendation refresh tasks queued (instead of run)."""
    queued = []
    monkeypatch.setattr(tasks, "_enqueue", lambda task, **ids: queued.append((task.name, ids)))
    return queued


def row(host_unit, n=0, **overrides):
    data = {
        COL_TITLE: f"绝缘栅双极型晶体管双面冷却封装技术{n}",
        COL_HOST_UNIT: host_unit.name,
        COL_OWNER: f"西安功率电子研究院{n}",
        COL_CREDIT_CODE: credit_code(800000 + n),
        COL_OWNER_KIND: "科研院所",
        COL_REGION: "610100",
        COL_INDUSTRY_FIELD: host_unit.fields.first().name,
        COL_KEYWORDS: "IGBT、功率模块、热阻",
        COL_ABSTRACT: "银烧结与氮化硅覆铜基板的双面冷却封装，功率模块结壳热阻降低35%。",
        COL_TRL: "6",
        COL_PATENTS: "ZL202010123456.7、CN112345678A",
        COL_COOPERATION_MODES: "技术许可、合作开发",
        COL_VISIBILITY: "公开",
    }
    data.update(overrides)
    return data


def csv_bytes(rows, *, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for item in rows:
        writer.writerow([item.get(header, "") for header in HEADERS])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for item in rows:
        sheet.append([item.get(header, "") for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(user, data, *, dry_run=False):
    dataset = read_dataset(data)
    resource = AchievementResource(user=user)
    result = resource.import_data(dataset, dry_run=dry_run)
    return result, resource.row_errors(result, dataset)


# --- good files -------------------------------------------------------------------------------
@pytest.mark.parametrize("make_file", [
    lambda rows: csv_bytes(rows, encoding="gbk"),
    lambda rows: csv_bytes(rows, encoding="gb18030"),
    lambda rows: csv_bytes(rows, encoding="utf-8-sig"),
    xlsx_bytes,
], ids=["csv-gbk", "csv-gb18030", "csv-utf8-bom", "xlsx"])
def test_a_good_file_lists_achievements_with_every_field(make_file, host_organiser, host_unit,
                                                         refreshes):
    rows = [row(host_unit, 0), row(host_unit, 1, **{COL_VISIBILITY: "仅工作人员可见",
                                                    COL_PATENTS: ""})]

    _result, errors = run_import(host_organiser, make_file(rows))

    assert errors == []
    first, second = Achievement.objects.order_by("pk")
    assert first.title == "绝缘栅双极型晶体管双面冷却封装技术0"
    assert first.host_unit == host_unit and first.created_by == host_organiser
    assert first.owner.name == "西安功率电子研究院0"
    assert first.owner.credit_code == credit_code(800000)
    assert first.owner.kind == "institute"
    assert first.industry_field == host_unit.fields.first()
    assert first.keywords == ["IGBT", "功率模块", "热阻"]
    assert first.trl == 6 and first.region == "610100"
    assert first.patent_numbers == ["ZL202010123456.7", "CN112345678A"]
    assert first.cooperation_modes == ["license", "joint"]
    assert first.visibility == Visibility.PUBLIC
    assert second.visibility == Visibility.STAFF and second.patent_numbers == []
    # indexed like an edit: searchable and ranked
    assert first.search_title and first.match_terms


def test_the_import_queues_one_refresh_for_the_whole_file_after_commit(
        host_organiser, host_unit, refreshes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(host_organiser, csv_bytes([row(host_unit, n) for n in range(30)]))

    ids = sorted(Achievement.objects.values_list("pk", flat=True))
    assert refreshes == [("portal.matching.refresh_for_achievements", {"achievement_ids": ids})]


def test_the_refresh_of_an_import_ranks_the_new_achievements_for_published_demands(
        host_organiser, host_unit, published_demand, library):
    from matching.models import Recommendation
    from matching.services import recommend

    recommend.refresh_demand(published_demand)
    run_import(host_organiser, csv_bytes([row(host_unit, n, **{
        COL_INDUSTRY_FIELD: published_demand.industry_field.name}) for n in range(25)]))
    imported = list(Achievement.objects.filter(host_unit=host_unit).values_list("pk", flat=True))

    recommend.refresh_for_achievements(imported)

    ranked = set(Recommendation.objects.filter(demand=published_demand)
                 .values_list("achievement_id", flat=True))
    assert ranked & set(imported)


def test_the_audit_log_records_the_import(host_organiser, host_unit, refreshes):
    run_import(host_organiser, csv_bytes([row(host_unit, 0), row(host_unit, 1)]))

    entry = ActivityLog.objects.get(action="portal.matching.achievement.import")
    assert entry.actor == host_organiser
    assert entry.data["created"] == 2
    assert entry.data["organisations_created"] == 2
    assert entry.data["host_units"] == [host_unit.pk]


# --- nothing written --------------------------------------------------------------------------
def test_a_dry_run_writes_nothing(host_organiser, host_unit, refreshes):
    before = Organisation.objects.count()

    result, errors = run_import(host_organiser, csv_bytes([row(host_unit, 0)]), dry_run=True)

    assert errors == [] and result.totals["new"] == 1
    assert Achievement.objects.count() == 0
    assert Organisation.objects.count() == before
    assert not ActivityLog.objects.filter(action="portal.matching.achievement.import").exists()
    assert refreshes == []


def test_one_bad_row_rolls_back_every_row(host_organiser, host_unit, refreshes):
    rows = [row(host_unit, n) for n in range(4)]
    rows[2][COL_PATENTS] = "ZL2020-ABC"
    before = Organisation.objects.count()

    _result, errors = run_import(host_organiser, csv_bytes(rows))

    assert [(error["row"], error["column"]) for error in errors] == [(4, COL_PATENTS)]
    assert "ZL2020-ABC" in errors[0]["message"]
    assert Achievement.objects.count() == 0
    assert Organisation.objects.count() == before


def test_every_kind_of_bad_cell_is_a_row_error_on_its_column(host_organiser, host_unit):
    rows = [
        row(host_unit, 0, **{COL_REGION: "61010"}),
        row(host_unit, 1, **{COL_REGION: "990100"}),
        row(host_unit, 2, **{COL_INDUSTRY_FIELD: "不存在的领域"}),
        row(host_unit, 3, **{COL_TRL: "10"}),
        row(host_unit, 4, **{COL_COOPERATION_MODES: "入股"}),
        row(host_unit, 5, **{COL_VISIBILITY: "半公开"}),
        row(host_unit, 6, **{COL_TITLE: ""}),
        row(host_unit, 7, **{COL_ABSTRACT: ""}),
        row(host_unit, 8, **{COL_KEYWORDS: "、".join(f"词{n}" for n in range(9))}),
    ]

    _result, errors = run_import(host_organiser, xlsx_bytes(rows))

    assert sorted((error["row"], error["column"]) for error in errors) == [
        (2, COL_REGION), (3, COL_REGION), (4, COL_INDUSTRY_FIELD), (5, COL_TRL),
        (6, COL_COOPERATION_MODES), (7, COL_VISIBILITY), (8, COL_TITLE), (9, COL_ABSTRACT),
        (10, COL_KEYWORDS)]
    assert Achievement.objects.count() == 0


def test_a_multi_line_cell_keeps_the_row_numbers_of_the_spreadsheet(host_organiser, host_unit):
    """A quoted cell spanning three lines is one spreadsheet row: the error below it names the
    row Excel shows, not the line of the text file."""
    rows = [row(host_unit, 0, **{COL_ABSTRACT: "第一行\n第二行\n第三行"}),
            row(host_unit, 1),
            row(host_unit, 2, **{COL_TRL: "十"})]

    _result, errors = run_import(host_organiser, csv_bytes(rows))

    assert [(error["row"], error["column"]) for error in errors] == [(4, COL_TRL)]


# --- holders by credit code -------------------------------------------------------------------
def test_a_known_credit_code_names_the_existing_holder_whatever_the_name_says(
        host_organiser, host_unit, refreshes):
    known = OrganisationFactory(name="已注册大学", credit_code=credit_code(800000),
                                kind="university")
    before = Organisation.objects.count()

    _result, errors = run_import(host_organiser, csv_bytes([
        row(host_unit, 0, **{COL_OWNER: "别的名字", COL_OWNER_KIND: ""}),
        row(host_unit, 1), row(host_unit, 1, **{COL_TITLE: "同一新单位的第二项成果"})]))

    assert errors == []
    assert Achievement.objects.get(title__endswith="技术0").owner == known
    # the new code of rows 2 and 3 makes one organisation
    assert Organisation.objects.count() == before + 1
    new = Organisation.objects.get(credit_code=credit_code(800001))
    assert new.name == "西安功率电子研究院1" and new.region == "610100"
    assert Achievement.objects.filter(owner=new).count() == 2


def test_a_bad_checksum_or_a_new_code_without_name_or_kind_is_refused(host_organiser, host_unit):
    good = credit_code(800003)
    bad_checksum = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        row(host_unit, 0, **{COL_CREDIT_CODE: bad_checksum}),
        row(host_unit, 1, **{COL_OWNER: ""}),
        row(host_unit, 2, **{COL_OWNER_KIND: ""}),
        row(host_unit, 3, **{COL_CREDIT_CODE: ""}),
    ]

    _result, errors = run_import(host_organiser, csv_bytes(rows))

    assert sorted((error["row"], error["column"]) for error in errors) == [
        (2, COL_CREDIT_CODE), (3, COL_OWNER), (4, COL_OWNER_KIND), (5, COL_CREDIT_CODE)]
    assert not Organisation.objects.filter(credit_code__startswith="91110108000800").exists()


# --- scoping ----------------------------------------------------------------------------------
def test_another_units_name_is_refused_as_if_it_did_not_exist(host_organiser, host_unit,
                                                               other_host_unit):
    _result, errors = run_import(host_organiser, csv_bytes([
        row(host_unit, 0), row(other_host_unit, 1)]))

    assert [(error["row"], error["column"]) for error in errors] == [(3, COL_HOST_UNIT)]
    assert Achievement.objects.count() == 0


def test_torch_staff_import_for_any_unit_and_others_may_not_import(
        torch_staff, host_unit, other_host_unit, demand_owner, refreshes):
    _result, errors = run_import(torch_staff, csv_bytes([row(host_unit, 0),
                                                         row(other_host_unit, 1)]))
    assert errors == []
    assert not demand_owner.has_perm("matching.import_achievement")
    assert torch_staff.has_perm("matching.import_achievement")


def test_the_export_holds_only_the_units_own_imports(host_organiser, other_host_organiser,
                                                     host_unit, other_host_unit, refreshes):
    run_import(host_organiser, csv_bytes([row(host_unit, 0)]))
    run_import(other_host_organiser, csv_bytes([row(other_host_unit, 1)]))

    mine = AchievementResource(user=host_organiser).export()

    assert [line[COL_TITLE] for line in mine.dict] == ["绝缘栅双极型晶体管双面冷却封装技术0"]


# --- the template -----------------------------------------------------------------------------
def test_the_template_has_chinese_headers_and_an_example_that_imports_cleanly(
        host_organiser, host_unit, refreshes):
    data = build_template(user=host_organiser)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS

    _result, errors = run_import(host_organiser, data)

    assert errors == []
    achievement = Achievement.objects.get()
    assert achievement.title.startswith("【示例】") and achievement.host_unit == host_unit


def test_an_export_imports_again_as_new_rows(host_organiser, host_unit, refreshes):
    run_import(host_organiser, csv_bytes([row(host_unit, 0)]))
    exported = AchievementResource(user=host_organiser).export()
    data = exported.export("csv").encode("utf-8-sig")

    _result, errors = run_import(host_organiser, data)

    assert errors == []
    assert Achievement.objects.filter(title="绝缘栅双极型晶体管双面冷却封装技术0").count() == 2


# --- through the pages and the job ------------------------------------------------------------
def test_the_pages_check_then_confirm_through_an_import_job(client, host_organiser, host_unit,
                                                            refreshes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(host_organiser)
    page = client.get(reverse("matching:achievement_import"))
    assert page.status_code == 200
    template = client.get(reverse("matching:achievement_import_template"))
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")

    upload = SimpleUploadedFile("成果.csv", csv_bytes([row(host_unit, 0)], encoding="gbk"))
    response = client.post(reverse("matching:achievement_import"), {"file": upload})
    assert response.status_code == 302
    from common.importexport.models import ImportJob

    check = ImportJob.objects.get(resource_key=RESOURCE_KEY)
    run_job(check.pk)
    check.refresh_from_db()
    assert check.state == ImportJobState.DONE and check.dry_run
    assert Achievement.objects.count() == 0

    real = confirm_import(job=check, user=host_organiser)
    run_job(real.pk)
    real.refresh_from_db()
    assert real.state == ImportJobState.DONE
    assert Achievement.objects.count() == 1
    assert ActivityLog.objects.filter(action="portal.import.run").exists()


def test_the_import_pages_are_a_404_for_those_who_may_not_import(client, demand_owner):
    client.force_login(demand_owner)
    for name in ("matching:achievement_import", "matching:achievement_import_template"):
        assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse("matching:achievement_export", args=["csv"])).status_code == 404


def test_a_job_with_errors_cannot_be_confirmed(host_organiser, host_unit):
    from common.importexport.services import ImportJobError

    check = start_import(user=host_organiser, resource_key=RESOURCE_KEY,
                         upload=csv_bytes([row(host_unit, 0, **{COL_TRL: "0"})]),
                         original_name="bad.csv")
    run_job(check.pk)
    check.refresh_from_db()
    assert check.state == ImportJobState.FAILED
    assert check.errors[0]["row"] == 2 and check.errors[0]["column"] == COL_TRL
    with pytest.raises(ImportJobError):
        confirm_import(job=check, user=host_organiser)


def test_the_admin_offers_the_import_to_torch_staff_only(client, torch_staff, host_organiser):
    url = reverse("admin:matching_achievement_import")
    client.force_login(torch_staff)
    page = client.get(url)
    assert page.status_code == 200
    assert "csv" in page.content.decode().lower()
    client.force_login(host_organiser)
    assert client.get(url).status_code in (302, 403)
