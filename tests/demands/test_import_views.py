"""The organiser pages of the demand import: the upload page and its import jobs (dry run, then
confirm), the .xlsx template and its round trip, the links from the organiser list, and the
Demand admin's import and export."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.importexport.enums import ImportJobState
from common.importexport.models import ImportJob
from common.importexport.template import SHEET_NOTES, SHEET_VALUES
from demands.enums import DemandStatus
from demands.importing.format import COL_COOPERATION_MODES, COL_TITLE
from demands.importing.template import HEADERS
from demands.models import Demand
from tests.demands.collection import *  # noqa: F403  (client: signs staff in with their 2FA)
from tests.demands.import_support import csv_bytes, demand_row, run_import, xlsx_bytes
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager_celery():
    """Import jobs run in the test process, whatever REDIS_URL says."""
    from challenge_portal.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


IMPORT_URL = reverse("demands:import")
TEMPLATE_URL = reverse("demands:import_template")


def upload(client, data, name="demands.csv", capture=None):
    with capture(execute=True):
        return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


# --- the upload page and jobs -----------------------------------------------------------------
def test_import_page_opens_for_host_staff_with_template_and_columns(
    client, host_organiser, host_unit
):
    client.force_login(host_organiser)

    response = client.get(IMPORT_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert TEMPLATE_URL in page
    assert "拟解决的关键技术问题" in page and "技术指标" in page
    assert host_unit.name in page  # among the allowed values of 承办单位


@pytest.mark.parametrize("persona", ["demand_owner", "challenger", "expert", "stranger"])
def test_import_pages_answer_404_to_others(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(IMPORT_URL).status_code == 404
    assert client.get(TEMPLATE_URL).status_code == 404
    assert client.get(reverse("demands:export_full", args=["xlsx"])).status_code == 404


def test_import_page_sends_anonymous_users_to_sign_in(client):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302 and "login" in response.url


def test_import_upload_checks_then_confirm_imports(
    client, host_organiser, host_unit, django_capture_on_commit_callbacks
):
    client.force_login(host_organiser)
    data = xlsx_bytes([demand_row(host_unit, n) for n in range(4)])

    response = upload(client, data, "需求.xlsx", capture=django_capture_on_commit_callbacks)

    dry = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == dry.get_absolute_url()
    assert (dry.dry_run, dry.state, dry.total_rows, dry.totals["new"]) == (
        True,
        ImportJobState.DONE,
        4,
        4,
    )
    assert Demand.objects.count() == 0
    assert "4" in client.get(dry.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("importexport:job_confirm", args=[dry.pk]))

    real = ImportJob.objects.get(dry_run=False)
    assert confirmed.url == real.get_absolute_url()
    assert real.state == ImportJobState.DONE
    assert Demand.objects.filter(status=DemandStatus.SUBMITTED, host_unit=host_unit).count() == 4


def test_import_upload_with_row_errors_lists_them_and_cannot_be_confirmed(
    client, host_organiser, host_unit, django_capture_on_commit_callbacks
):
    client.force_login(host_organiser)
    rows = [
        demand_row(host_unit, 0),
        demand_row(host_unit, 1, **{COL_COOPERATION_MODES: "合资经营"}),
    ]

    upload(client, xlsx_bytes(rows), capture=django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert (job.state, job.error_count) == (ImportJobState.FAILED, 1)
    assert (job.errors[0]["row"], job.errors[0]["column"]) == (3, COL_COOPERATION_MODES)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "合资经营" in page and "委托开发" in page
    client.post(reverse("importexport:job_confirm", args=[job.pk]))
    assert Demand.objects.count() == 0
    assert ImportJob.objects.count() == 1


def test_import_upload_of_a_file_that_is_no_spreadsheet_keeps_the_form(
    client, host_organiser, django_capture_on_commit_callbacks
):
    client.force_login(host_organiser)

    response = upload(
        client,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00binary",
        "photo.csv",
        capture=django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert ImportJob.objects.count() == 0


# --- the template -----------------------------------------------------------------------------
def _template(client):
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_template_has_headers_example_allowed_values_and_drop_downs(
    client, host_organiser, host_unit
):
    client.force_login(host_organiser)

    workbook = openpyxl.load_workbook(io.BytesIO(_template(client)))

    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    example = dict(zip(HEADERS, [cell.value for cell in sheet[2]], strict=True))
    assert example["承办单位"] == host_unit.name
    assert example[COL_TITLE].startswith("【示例】")
    values = workbook[SHEET_VALUES]
    columns = {
        values.cell(row=1, column=index).value: index for index in range(1, values.max_column + 1)
    }
    modes = [values.cell(row=row, column=columns["合作方式"]).value for row in range(2, 8)]
    assert modes == ["委托开发", "合作开发", "技术转让", "技术许可", "技术咨询", "技术服务"]
    units = [
        values.cell(row=row, column=columns["承办单位"]).value
        for row in range(2, values.max_row + 1)
    ]
    assert host_unit.name in units
    assert {"需求类型", "知识产权归属意向", "单位类型", "所属领域", "隐去信息", "成果形式"} <= set(
        columns
    )
    validations = sheet.data_validations.dataValidation
    assert any(f"'{SHEET_VALUES}'" in (validation.formula1 or "") for validation in validations)
    assert workbook[SHEET_NOTES].max_row > len(HEADERS)


def test_template_lists_only_the_users_host_units(client, host_organiser, other_host_unit):
    client.force_login(host_organiser)

    workbook = openpyxl.load_workbook(io.BytesIO(_template(client)))

    values = workbook[SHEET_VALUES]
    listed = {cell.value for column in values.iter_cols() for cell in column}
    assert other_host_unit.name not in listed


def test_template_round_trips(client, host_organiser, host_unit):
    client.force_login(host_organiser)
    workbook = openpyxl.load_workbook(io.BytesIO(_template(client)))
    sheet = workbook.worksheets[0]
    title_column = HEADERS.index(COL_TITLE) + 1
    sheet.cell(row=2, column=title_column, value="激光熔覆修复轧辊技术")
    buffer = io.BytesIO()
    workbook.save(buffer)

    _result, errors = run_import(host_organiser, buffer.getvalue())

    assert errors == []
    demand = Demand.objects.get()
    assert (demand.title, demand.host_unit, demand.status) == (
        "激光熔覆修复轧辊技术",
        host_unit,
        DemandStatus.SUBMITTED,
    )
    assert demand.indicators.count() == 2
    assert demand.hidden_fields == ["organisation", "contact_person", "phone"]


def test_template_imports_unchanged_as_the_example(client, host_organiser, host_unit):
    client.force_login(host_organiser)

    _result, errors = run_import(host_organiser, _template(client))

    assert errors == []
    assert Demand.objects.get().title.startswith("【示例】")


# --- links ------------------------------------------------------------------------------------
def test_organiser_list_links_to_import_and_export(client, host_organiser, host_unit):
    client.force_login(host_organiser)

    page = client.get(reverse("demands:manage")).content.decode()

    assert IMPORT_URL in page
    assert reverse("demands:export_full", args=["xlsx"]) in page


# --- admin ------------------------------------------------------------------------------------
ADMIN_IMPORT = reverse("admin:demands_demand_import")
ADMIN_PROCESS = reverse("admin:demands_demand_process_import")


def test_admin_changelist_offers_import_and_export(client, host_organiser):
    client.force_login(host_organiser)

    page = client.get(reverse("admin:demands_demand_changelist")).content.decode()

    assert ADMIN_IMPORT in page
    assert reverse("admin:demands_demand_export") in page


def test_admin_import_dry_run_then_confirm_runs_a_job(
    client, host_organiser, host_unit, django_capture_on_commit_callbacks
):
    client.force_login(host_organiser)
    upload_file = SimpleUploadedFile(
        "demands.csv", csv_bytes([demand_row(host_unit, 0), demand_row(host_unit, 1)])
    )

    response = client.post(
        ADMIN_IMPORT, {"resource": "0", "format": "0", "import_file": upload_file}
    )

    assert response.status_code == 200
    assert Demand.objects.count() == 0
    initial = response.context["confirm_form"].initial
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            ADMIN_PROCESS,
            {
                key: initial[key]
                for key in ("import_file_name", "original_file_name", "format", "resource")
            },
        )
    job = ImportJob.objects.get()
    assert confirmed.url == job.get_absolute_url()
    assert job.state == ImportJobState.DONE
    assert Demand.objects.filter(host_unit=host_unit).count() == 2


def test_admin_import_shows_row_errors_and_saves_nothing(
    client, host_organiser, host_unit, other_host_unit
):
    client.force_login(host_organiser)
    upload_file = SimpleUploadedFile("demands.csv", csv_bytes([demand_row(other_host_unit)]))

    response = client.post(
        ADMIN_IMPORT, {"resource": "0", "format": "0", "import_file": upload_file}
    )

    assert response.status_code == 200
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert other_host_unit.name in response.content.decode()
    assert Demand.objects.count() == 0


def test_admin_export_holds_only_the_users_units(
    client, host_organiser, host_unit, other_host_unit
):
    DemandFactory(host_unit=host_unit, status=DemandStatus.SUBMITTED, title="我们的需求")
    DemandFactory(host_unit=other_host_unit, status=DemandStatus.SUBMITTED, title="别人的需求")
    client.force_login(host_organiser)

    response = client.post(
        reverse("admin:demands_demand_export"),
        {
            "format": "0",
            "resource": "0",
            **{f"demandresource_{name}": "on" for name in ("ref", "title", "host_unit")},
        },
    )

    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "我们的需求" in body and "别人的需求" not in body


def test_make_demand_template_command_writes_the_template(
    tmp_path, host_organiser, host_unit, other_host_unit
):
    from django.core.management import call_command

    everyone, mine = tmp_path / "all.xlsx", tmp_path / "mine.xlsx"
    call_command("make_demand_template", str(everyone))
    call_command("make_demand_template", str(mine), user=host_organiser.email)

    def units(path):
        values = openpyxl.load_workbook(path)[SHEET_VALUES]
        return {
            row[0] for row in values.iter_rows(min_row=2, max_col=1, values_only=True) if row[0]
        }

    assert units(everyone) == {host_unit.name, other_host_unit.name}
    assert units(mine) == {host_unit.name}
    _result, errors = run_import(host_organiser, mine.read_bytes())
    assert errors == []
