"""The full export of demands (every field, for host staff and Torch Center): scoped to the
user's host units, formula-like cells neutralised in CSV and XLSX, filters of the organiser
list, and the export read back by the import."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from audit.models import ActivityLog
from demands.enums import DemandStatus
from demands.importing.format import COL_BUDGET, COL_INDICATORS, COL_REF, COL_STATUS, COL_TITLE
from demands.models import Demand
from tests.demands.collection import *  # noqa: F403  (client: signs staff in with their 2FA)
from tests.demands.import_support import run_import
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db


def export_url(fmt, **params):
    url = reverse("demands:export_full", args=[fmt])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response):
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows())
    headers = [cell.value for cell in rows[0]]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def two_hosts_demands(host_unit, other_host_unit):
    ours = DemandFactory(
        host_unit=host_unit,
        status=DemandStatus.SUBMITTED,
        title="我们的需求",
        contact_person="我方联系人",
        hidden_fields=["contact_person"],
    )
    theirs = DemandFactory(
        host_unit=other_host_unit, status=DemandStatus.PUBLISHED, title="别人的需求CANARY"
    )
    draft = DemandFactory(
        host_unit=host_unit,
        status=DemandStatus.DRAFT,
        entered_by_host=False,
        title="公司尚未提交的草稿",
    )
    return ours, theirs, draft


def test_export_holds_the_users_units_demands_only(client, host_organiser, two_hosts_demands):
    ours, _theirs, _draft = two_hosts_demands
    client.force_login(host_organiser)

    rows = csv_rows(client.get(export_url("csv")))

    assert [row[COL_REF] for row in rows] == [ours.ref]
    row = rows[0]
    # the full record, hidden fields included (host staff see everything of their demands)
    assert (row[COL_TITLE], row["联系人"], row["需求单位"]) == (
        "我们的需求",
        "我方联系人",
        ours.organisation.name,
    )
    assert row["统一社会信用代码"] == ours.organisation.credit_code
    assert row["隐去信息"] == "联系人"
    assert row[COL_STATUS] == "已提交"
    assert row[COL_INDICATORS] == "电芯最大温差|≤3|℃|8\n系统能耗降低|≥15|%|0"
    body = client.get(export_url("xlsx")).content
    assert b"CANARY" not in body


def test_export_for_torch_staff_holds_every_units_demands(client, torch_staff, two_hosts_demands):
    ours, theirs, _draft = two_hosts_demands
    client.force_login(torch_staff)

    rows = xlsx_rows(client.get(export_url("xlsx")))

    assert {row[COL_REF].value for row in rows} == {ours.ref, theirs.ref}


def test_export_follows_the_organiser_list_filters(
    client, torch_staff, two_hosts_demands, other_host_unit
):
    _ours, theirs, _draft = two_hosts_demands
    client.force_login(torch_staff)

    by_status = csv_rows(client.get(export_url("csv", status="published")))
    by_unit = csv_rows(client.get(export_url("csv", host_unit=other_host_unit.pk)))

    assert [row[COL_REF] for row in by_status] == [theirs.ref]
    assert [row[COL_REF] for row in by_unit] == [theirs.ref]


def test_export_unknown_format_is_404(client, host_organiser):
    client.force_login(host_organiser)

    assert client.get(export_url("pdf")).status_code == 404


def test_export_is_audited(client, host_organiser, two_hosts_demands):
    client.force_login(host_organiser)

    client.get(export_url("xlsx"))

    entry = ActivityLog.objects.get(action="portal.export")
    assert (entry.actor, entry.data["resource"], entry.data["rows"]) == (
        host_organiser,
        "demands.demand",
        1,
    )


FORMULAS = {
    "title": '=HYPERLINK("http://evil.example","点击")',
    "key_problem": "+1+2 问题",
    "current_base": "-2+3 基础",
    "challenger_conditions": "@SUM(A1:A2)",
    "time_requirement": "\t=1+1",
    "address": "\r=1+1",
}
COLUMNS = {
    "title": "需求名称",
    "key_problem": "拟解决的关键技术问题",
    "current_base": "现有基础",
    "challenger_conditions": "揭榜方条件",
    "time_requirement": "时限要求",
    "address": "地址",
}


def test_export_csv_neutralises_formula_cells(client, host_organiser, host_unit):
    DemandFactory(host_unit=host_unit, status=DemandStatus.SUBMITTED, **FORMULAS)
    client.force_login(host_organiser)

    row = csv_rows(client.get(export_url("csv")))[0]

    for name, value in FORMULAS.items():
        assert row[COLUMNS[name]] == "'" + value, name


def test_export_xlsx_neutralises_formula_cells_and_keeps_numbers(client, host_organiser, host_unit):
    DemandFactory(
        host_unit=host_unit, status=DemandStatus.SUBMITTED, budget=Decimal("250.5"), **FORMULAS
    )
    client.force_login(host_organiser)

    row = xlsx_rows(client.get(export_url("xlsx")))[0]

    for name, value in FORMULAS.items():
        cell = row[COLUMNS[name]]
        assert cell.data_type == "s", name
        # XML reads a stored CR back as LF
        assert cell.value == "'" + value.replace("\r", "\n"), name
    assert row[COL_BUDGET].data_type == "n" and row[COL_BUDGET].value == 250.5


def test_export_reads_back_as_an_import_of_the_same_demands(client, host_organiser, host_unit):
    demand = DemandFactory(
        host_unit=host_unit, status=DemandStatus.RETURNED, entered_by_host=True, title="原标题"
    )
    client.force_login(host_organiser)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(export_url("xlsx")).content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index(COL_TITLE) + 1, value="导出后修改的标题")
    buffer = io.BytesIO()
    workbook.save(buffer)

    _result, errors = run_import(host_organiser, buffer.getvalue())

    assert errors == []
    demand.refresh_from_db()
    assert (demand.title, demand.status) == ("导出后修改的标题", DemandStatus.SUBMITTED)
    assert Demand.objects.count() == 1
