"""The public export (/demands/export.csv) of an imported demand whose owner hid its name and
contacts: no hidden value, the substitute name instead, formula-like text neutralised."""

import csv
import io

import pytest
from django.urls import reverse

from demands.importing.format import (
    COL_CONTACT_PERSON,
    COL_EMAIL,
    COL_HIDDEN_FIELDS,
    COL_KEY_PROBLEM,
    COL_MOBILE,
    COL_ORGANISATION,
    COL_PRIZE,
    COL_TITLE,
)
from demands.models import Demand
from demands.public.projection import public_name_for
from tests.demands.import_support import csv_bytes, demand_row, run_import
from tests.demands.public_support import publish

pytestmark = pytest.mark.django_db

CANARIES = {
    COL_ORGANISATION: "金丝雀导入科技有限公司CANARYORG",
    COL_CONTACT_PERSON: "雀鸣导CANARYP",
    COL_MOBILE: "13987654321",
    COL_EMAIL: "canary.import@canary-mail.cn",
    COL_PRIZE: "876.54",
}


@pytest.fixture
def published_import(host_organiser, host_unit):
    row = demand_row(
        host_unit,
        **CANARIES,
        **{
            COL_HIDDEN_FIELDS: "单位名称、联系人、电话、邮箱、奖励资金",
            COL_TITLE: '=HYPERLINK("http://evil.example","点击")',
            COL_KEY_PROBLEM: "@SUM(A1:A2) 需要解决的散热问题",
        },
    )
    _result, errors = run_import(host_organiser, csv_bytes([row]))
    assert errors == []
    return publish(Demand.objects.get())


def test_public_export_of_an_imported_demand_leaks_nothing_hidden(client, published_import):
    response = client.get(reverse("demands:export"))

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    for column, value in CANARIES.items():
        assert value not in text, column
    for piece in ("CANARY", "金丝雀", "canary-mail", "139****4321"):
        assert piece not in text
    substitute = public_name_for(
        region_code="610100",
        industry_name=published_import.industry_field.name,
        organisation_kind="enterprise",
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert substitute in rows[1]
    assert published_import.ref in rows[1]


def test_public_export_neutralises_imported_formula_text(client, published_import):
    text = b"".join(client.get(reverse("demands:export")).streaming_content).decode("utf-8-sig")

    row = list(csv.reader(io.StringIO(text)))[1]

    assert '\'=HYPERLINK("http://evil.example","点击")' in row
    assert "'@SUM(A1:A2) 需要解决的散热问题" in row
