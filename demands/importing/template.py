"""The downloadable import template (.xlsx) of the standard format: the headers with an
example row, a sheet of the allowed values of every choice column (with drop-down lists on
the choice columns), and a sheet explaining each column. Built with openpyxl on request,
so the host units and industry fields listed are the current ones. The workbook is laid out by
``common.importexport.template``; this module gives the format's columns, example row and
allowed values."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.credit_code import check_character
from common.importexport.template import TemplateLayout
from common.importexport.template import build_template as build_workbook
from contests.models import HostUnit, IndustryField
from contests.selectors import current_contest, host_units_of

from .format import (
    COL_ADDRESS,
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
    COL_HIDDEN_PASSAGES,
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
    COOPERATION_WORDS,
    DEMAND_TYPE_WORDS,
    HEADERS,
    HIDDEN_WORDS,
    IMPORT_COLUMNS,
    IP_WORDS,
    ORGANISATION_KIND_WORDS,
    OUTCOME_WORDS,
    REQUIRED,
)

SHEET_DEMANDS = "技术需求"

# (column, required, what to write), in the order of the template.
COLUMNS = tuple((column.header, column.required, column.note) for column in IMPORT_COLUMNS)
# Columns holding digits that Excel must keep as text (leading zeros, long numbers).
TEXT_COLUMNS = (COL_REF, COL_CREDIT_CODE, COL_REGION, COL_MOBILE, COL_LANDLINE)
MULTI_VALUE_COLUMNS = (COL_OUTCOME_FORMS, COL_COOPERATION_MODES, COL_HIDDEN_FIELDS)
LAYOUT = TemplateLayout(
    sheet=SHEET_DEMANDS,
    headers=HEADERS,
    required=REQUIRED,
    columns=IMPORT_COLUMNS,
    notes=(
        _("Fill one row per demand on the first sheet and replace the example row."),
        _(
            "The whole file is checked first and nothing is saved until you confirm; if any row "
            "has an error, nothing is saved."
        ),
        _("Imported demands are submitted to their host unit for analysis."),
        _("Save as .xlsx, or as .csv in UTF-8 or GBK."),
    ),
    text_columns=TEXT_COLUMNS,
    multi_value_columns=MULTI_VALUE_COLUMNS,
    wide_columns=(
        COL_KEY_PROBLEM,
        COL_INDICATORS,
        COL_EXPECTED_OUTCOME,
        COL_CURRENT_BASE,
        COL_CHALLENGER_CONDITIONS,
        COL_TITLE,
    ),
    wide_width=28,
    date_columns=(COL_DEADLINE,),
)


def template_host_units(user=None):
    """The current edition's host units ``user`` may import for (all of them without a
    user)."""
    contest = current_contest()
    if contest is None:
        return HostUnit.objects.none()
    units = host_units_of(user) if user is not None else HostUnit.objects.all()
    return (
        units.filter(event__contest=contest)
        .select_related("event")
        .prefetch_related("fields")
        .order_by("event__number", "pk")
    )


def allowed_values(user=None):
    """``([(column, [values])], host units)``: the allowed values of every choice column,
    for the template and the import page."""
    units = list(template_host_units(user))
    return [
        (COL_HOST_UNIT, [unit.name for unit in units]),
        (COL_ORGANISATION_KIND, ORGANISATION_KIND_WORDS.allowed()),
        (
            COL_INDUSTRY_FIELD,
            list(IndustryField.objects.order_by("code").values_list("name", flat=True)),
        ),
        (COL_DEMAND_TYPE, DEMAND_TYPE_WORDS.allowed()),
        (COL_OUTCOME_FORMS, OUTCOME_WORDS.allowed()),
        (COL_COOPERATION_MODES, COOPERATION_WORDS.allowed()),
        (COL_IP_OWNERSHIP, IP_WORDS.allowed()),
        (COL_HIDDEN_FIELDS, HIDDEN_WORDS.allowed()),
    ], units


def example_credit_code():
    """A made-up code with a valid check character, to be replaced by the real one."""
    body = "91610131MA6TG0000"
    return body + check_character(body)


def example_row(units):
    unit = units[0] if units else None
    field = None
    if unit is not None:
        field = next(iter(unit.fields.all()), None)
    if field is None:
        field = IndustryField.objects.order_by("code").first()
    deadline = timezone.localdate() + datetime.timedelta(days=60)
    return {
        COL_REF: "",
        COL_TITLE: "【示例】动力电池包快充热管理技术攻关",
        COL_HOST_UNIT: unit.name if unit else "",
        COL_ORGANISATION: "示例新能源科技有限公司",
        COL_CREDIT_CODE: example_credit_code(),
        COL_ORGANISATION_KIND: "企业",
        COL_REGION: unit.region if unit else "610100",
        COL_INDUSTRY_FIELD: field.name if field else "",
        COL_DEMAND_TYPE: "技术研发",
        COL_KEYWORDS: "热管理、动力电池、液冷",
        COL_CURRENT_BASE: "公司现有液冷板设计与试制能力，电池包年产能2万套。",
        COL_KEY_PROBLEM: "快充工况下电芯温差超过8℃，需要将温差控制在3℃以内，同时降低液冷系统能耗。",
        COL_INDICATORS: "电芯最大温差|≤3|℃|8\n系统能耗降低|≥15|%|0",
        COL_EXPECTED_OUTCOME: "形成可量产的热管理方案并完成样机验证。",
        COL_OUTCOME_FORMS: "样机、专利",
        COL_TIME_REQUIREMENT: "12个月内完成样机",
        COL_COOPERATION_MODES: "合作开发、技术转让",
        COL_IP_OWNERSHIP: "共有",
        COL_CHALLENGER_CONDITIONS: "具备电池热管理仿真与实验能力。",
        COL_BUDGET: 200,
        COL_PRIZE: 10,
        COL_DEADLINE: deadline,
        COL_CONTACT_PERSON: "王工",
        COL_MOBILE: "13800138000",
        COL_LANDLINE: "029-88886666",
        COL_EMAIL: "contact@example.cn",
        COL_HIDDEN_FIELDS: "单位名称、联系人、电话",
        COL_ADDRESS: "西安市高新区锦业路1号",
        COL_HIDDEN_PASSAGES: "",
    }


def build_template(*, user=None):
    """The template workbook as bytes, listing the host units ``user`` may import for (every
    unit of the current edition without a user)."""
    values, units = allowed_values(user)
    return build_workbook(LAYOUT, example=example_row(units), values=values)
