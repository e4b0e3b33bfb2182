"""Helpers of the import/export tests: rows in the standard format, files made from them, and
an import run straight through ``DemandResource`` (the job path is tested separately)."""

import csv
import io

import openpyxl

from common.importexport.formats import read_dataset
from demands.importing.format import (
    COL_BUDGET,
    COL_CHALLENGER_CONDITIONS,
    COL_CONTACT_PERSON,
    COL_COOPERATION_MODES,
    COL_CREDIT_CODE,
    COL_CURRENT_BASE,
    COL_DEADLINE,
    COL_DEMAND_TYPE,
    COL_EMAIL,
    COL_EXPECTED_OUTCOME,
    COL_HIDDEN_FIELDS,
    COL_HOST_UNIT,
    COL_INDICATORS,
    COL_INDUSTRY_FIELD,
    COL_IP_OWNERSHIP,
    COL_KEY_PROBLEM,
    COL_KEYWORDS,
    COL_LANDLINE,
    COL_MOBILE,
    COL_ORGANISATION,
    COL_ORGANISATION_KIND,
    COL_OUTCOME_FORMS,
    COL_PRIZE,
    COL_REF,
    COL_REGION,
    COL_TIME_REQUIREMENT,
    COL_TITLE,
)
from demands.importing.resources import DemandResource
from tests.factories.accounts import credit_code

STANDARD_HEADERS = [
    COL_REF,
    COL_TITLE,
    COL_HOST_UNIT,
    COL_ORGANISATION,
    COL_CREDIT_CODE,
    COL_ORGANISATION_KIND,
    COL_REGION,
    COL_INDUSTRY_FIELD,
    COL_DEMAND_TYPE,
    COL_KEYWORDS,
    COL_CURRENT_BASE,
    COL_KEY_PROBLEM,
    COL_INDICATORS,
    COL_EXPECTED_OUTCOME,
    COL_OUTCOME_FORMS,
    COL_TIME_REQUIREMENT,
    COL_COOPERATION_MODES,
    COL_IP_OWNERSHIP,
    COL_CHALLENGER_CONDITIONS,
    COL_BUDGET,
    COL_PRIZE,
    "征集截止日期",
    COL_CONTACT_PERSON,
    COL_MOBILE,
    COL_LANDLINE,
    COL_EMAIL,
    COL_HIDDEN_FIELDS,
]


def _field_name(host_unit):
    # cached on the instance: rows of a large file are built without a query each
    if not hasattr(host_unit, "_test_field_name"):
        host_unit._test_field_name = host_unit.fields.first().name
    return host_unit._test_field_name


def demand_row(host_unit, n=0, **overrides):
    """A complete row of the standard format for ``host_unit`` (the n-th company)."""
    row = {
        COL_REF: "",
        COL_TITLE: f"高功率激光器散热模组研制{n}",
        COL_HOST_UNIT: host_unit.name,
        COL_ORGANISATION: f"西安光电科技有限公司{n}",
        COL_CREDIT_CODE: credit_code(700000 + n),
        COL_ORGANISATION_KIND: "企业",
        COL_REGION: "610100",
        COL_INDUSTRY_FIELD: _field_name(host_unit),
        COL_DEMAND_TYPE: "技术研发",
        COL_KEYWORDS: "激光器、散热、微通道",
        COL_CURRENT_BASE: "已建成年产500台激光器产线。",
        COL_KEY_PROBLEM: "千瓦级激光器连续工作时热沉温升过高，需要新型微通道散热结构。",
        COL_INDICATORS: "热阻|≤0.05|K/W|0.12\n连续工作时长|≥1000|h|300",
        COL_EXPECTED_OUTCOME: "完成散热模组样机并通过1000小时老化测试。",
        COL_OUTCOME_FORMS: "样机、专利",
        COL_TIME_REQUIREMENT: "12个月",
        COL_COOPERATION_MODES: "合作开发、技术转让",
        COL_IP_OWNERSHIP: "共有",
        COL_CHALLENGER_CONDITIONS: "具备微通道加工能力。",
        COL_BUDGET: "300",
        COL_PRIZE: "10",
        COL_DEADLINE: "2099-12-31",
        COL_CONTACT_PERSON: "李工",
        COL_MOBILE: "13912345678",
        COL_LANDLINE: "029-88886666",
        COL_EMAIL: f"li{n}@example.cn",
        COL_HIDDEN_FIELDS: "单位名称、联系人",
    }
    row.update(overrides)
    return row


def _headers(rows, headers=None):
    if headers is not None:
        return headers
    result = list(STANDARD_HEADERS)
    for row in rows:
        for key in row:
            if key not in result:
                result.append(key)
    return result


def csv_bytes(rows, *, encoding="utf-8", headers=None):
    headers = _headers(rows, headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, headers=None):
    headers = _headers(rows, headers)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                # typed as text, not as a formula
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(user, data, *, dry_run=False):
    """Import ``data`` (file bytes) as ``user``; returns ``(result, errors)`` where errors are
    the resource's row errors ({"row", "column", "message"})."""
    dataset = read_dataset(data)
    resource = DemandResource(user=user)
    result = resource.import_data(dataset, dry_run=dry_run)
    return result, resource.row_errors(result, dataset)


def messages_of(errors):
    return [(error["row"], error["column"], error["message"]) for error in errors]
