"""Exports neutralise every cell a spreadsheet would run as a formula, stay inside the user's
host units, and need their own permission."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from allauth.mfa.models import Authenticator
from django.urls import reverse
from import_export.fields import Field
from import_export.widgets import DecimalWidget

from audit.models import ActivityLog
from common.importexport.formats import SafeXLSX
from common.importexport.resources import DANGEROUS_PREFIXES, neutralise
from contests.models import ComplaintChannel
from contests.resources import ComplaintChannelResource

KEY = "contests.complaintchannel"

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "\0=1+1",
]
# PostgreSQL cannot store NUL in text; the NUL case is exported from an unsaved row below.
STORED = [payload for payload in PAYLOADS if "\0" not in payload]


def login(client, user):
    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                        defaults={"data": {"secret": "test"}})
    client.force_login(user)
    return client


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise_prefixes_dangerous_text_with_quote(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("value", ["西安市科技局", "029-86786000", "a=b", "", None, -5,
                                   Decimal("-1.5"), 3.0])
def test_neutralise_leaves_safe_values_alone(value):
    assert neutralise(value) == value


def test_dangerous_prefixes_cover_the_issue_list():
    assert set(DANGEROUS_PREFIXES) == {"=", "+", "-", "@", "\t", "\r", "\0"}


@pytest.fixture
def formula_channels(host_unit):
    return [
        ComplaintChannel.objects.create(host_unit=host_unit, name=payload, phone="029-1234567",
                                        address=payload, position=index)
        for index, payload in enumerate(STORED)
    ]


@pytest.mark.django_db
def test_export_resource_neutralises_every_text_cell(host_organiser, formula_channels):
    dataset = ComplaintChannelResource(user=host_organiser).export()
    name_col = dataset.headers.index(str(ComplaintChannel._meta.get_field("name").verbose_name))
    assert [row[name_col] for row in dataset] == ["'" + p for p in STORED]


@pytest.mark.django_db
def test_export_negative_numbers_stay_numeric_but_negative_text_does_not(
        host_organiser, host_unit):
    class WithNumbers(ComplaintChannelResource):
        balance = Field(attribute="balance", column_name="balance", widget=DecimalWidget())
        note = Field(attribute="note", column_name="note")

        class Meta(ComplaintChannelResource.Meta):
            fields = ["id", "balance", "note"]

    channel = ComplaintChannel(host_unit=host_unit, name="x", phone="029-1234567")
    channel.balance = Decimal("-12.50")
    channel.note = "-12.50"
    resource = WithNumbers(user=host_organiser)
    headers = resource.get_export_headers()
    as_text = dict(zip(headers, resource.export_resource(channel), strict=True))
    native = dict(zip(headers, resource.export_resource(channel, force_native_type=True),
                      strict=True))
    assert as_text["balance"] == "-12.50" and as_text["note"] == "'-12.50"
    assert native["balance"] == Decimal("-12.50") and native["note"] == "'-12.50"

    dataset = tablib.Dataset(headers=["balance", "note"])
    dataset.append([native["balance"], native["note"]])
    sheet = openpyxl.load_workbook(io.BytesIO(SafeXLSX().export_data(dataset))).active
    assert sheet["A2"].data_type == "n" and sheet["A2"].value == -12.5
    assert sheet["B2"].data_type == "s" and sheet["B2"].value == "'-12.50"


@pytest.mark.django_db
def test_export_nul_prefixed_cell_is_neutralised_in_csv_and_xlsx(host_organiser, host_unit):
    channel = ComplaintChannel(host_unit=host_unit, name="\0=1+1", phone="029-1234567")
    resource = ComplaintChannelResource(user=host_organiser)
    name_col = resource.get_export_headers().index(
        str(ComplaintChannel._meta.get_field("name").verbose_name))
    dataset = tablib.Dataset(headers=resource.get_export_headers())
    dataset.append(resource.export_resource(channel, force_native_type=True))
    assert dataset[0][name_col] == "'\0=1+1"
    assert next(csv.reader(io.StringIO(dataset.export("csv").splitlines()[1])))[name_col] == (
        "'\0=1+1")
    sheet = openpyxl.load_workbook(io.BytesIO(SafeXLSX().export_data(dataset))).active
    # XLSX cannot hold NUL: it becomes U+FFFD, behind the quote all the same
    assert sheet.cell(row=2, column=name_col + 1).value == "'\ufffd=1+1"


@pytest.mark.django_db
def test_export_csv_download_is_neutralised_and_scoped(
        client, host_organiser, formula_channels, other_host_unit):
    ComplaintChannel.objects.create(host_unit=other_host_unit, name="乙方机密受理处",
                                    phone="010-66660000")
    login(client, host_organiser)
    response = client.get(reverse("importexport:export", args=[KEY, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "乙方机密受理处" not in body
    rows = list(csv.reader(io.StringIO(body, newline="")))
    name_col = rows[0].index(str(ComplaintChannel._meta.get_field("name").verbose_name))
    assert [row[name_col] for row in rows[1:]] == ["'" + p for p in STORED]
    assert not any(cell.startswith(DANGEROUS_PREFIXES) for row in rows[1:] for cell in row)
    assert ActivityLog.objects.filter(action="portal.export").count() == 1


@pytest.mark.django_db
def test_export_xlsx_download_has_no_formula_cells(client, host_organiser, formula_channels):
    login(client, host_organiser)
    response = client.get(reverse("importexport:export", args=[KEY, "xlsx"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    names = [row[2].value for row in sheet.iter_rows(min_row=2)]
    # XML reads a stored CR back as LF; the quote stays in front
    assert names == ["'" + p.replace("\r", "\n") for p in STORED]
    assert all(isinstance(row[0].value, int) for row in sheet.iter_rows(min_row=2))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["stranger", "demand_owner", "expert"])
def test_export_without_permission_is_404(request, client, persona, formula_channels):
    login(client, request.getfixturevalue(persona))
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("importexport:export", args=[KEY, fmt]))
        assert response.status_code == 404
        assert b"calc" not in response.content
    assert not ActivityLog.objects.filter(action="portal.export").exists()


@pytest.mark.django_db
def test_export_other_host_sees_none_of_unit_a(client, other_host_organiser, formula_channels):
    login(client, other_host_organiser)
    body = client.get(reverse("importexport:export", args=[KEY, "csv"])).content.decode(
        "utf-8-sig")
    assert body.strip().count("\n") == 0  # headers only
    assert "calc" not in body


@pytest.mark.django_db
def test_export_unknown_format_is_404(client, host_organiser):
    login(client, host_organiser)
    assert client.get(reverse("importexport:export", args=[KEY, "json"])).status_code == 404


@pytest.mark.django_db
def test_import_and_export_are_separate_permissions(client, host_organiser, formula_channels):
    import rules

    from common.importexport import registry

    class ExportOnly(ComplaintChannelResource):
        resource_key = "tests.exportonly"
        import_rule = rules.always_deny

    registry.register(ExportOnly)
    try:
        login(client, host_organiser)
        assert not host_organiser.has_perm("contests.import_complaintchannel")
        assert host_organiser.has_perm("contests.export_complaintchannel")
        assert client.get(reverse("importexport:import_start",
                                  args=["tests.exportonly"])).status_code == 404
        assert client.get(reverse("admin:contests_complaintchannel_import")).status_code == 403
        assert client.get(reverse("importexport:export",
                                  args=["tests.exportonly", "csv"])).status_code == 200
    finally:
        registry._resources.pop("tests.exportonly", None)
        registry.register(ComplaintChannelResource)
    assert host_organiser.has_perm("contests.import_complaintchannel")
