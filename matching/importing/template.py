"""The downloadable import template (.xlsx) of the achievement format: the Chinese headers
with an example row, a sheet of the allowed values of the choice columns (drop-down lists on
the single-choice ones) and a sheet explaining each column. Built with openpyxl on request, so
the host units and industry fields listed are the current ones and the example row is one
that imports cleanly. Laid out by ``common.importexport.template``, as the demand template."""

from django.utils.translation import gettext_lazy as _

from common.importexport.template import TemplateLayout
from common.importexport.template import build_template as build_workbook
from contests.models import IndustryField
from demands.importing.template import example_credit_code, template_host_units

from .format import (
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
    COLUMNS,
    COOPERATION_WORDS,
    HEADERS,
    ORGANISATION_KIND_WORDS,
    REQUIRED,
    VISIBILITY_WORDS,
)

SHEET_ACHIEVEMENTS = "科技成果"
TEXT_COLUMNS = (COL_CREDIT_CODE, COL_REGION)
MULTI_VALUE_COLUMNS = (COL_COOPERATION_MODES,)
WIDE_COLUMNS = (COL_TITLE, COL_ABSTRACT, COL_OWNER)
LAYOUT = TemplateLayout(
    sheet=SHEET_ACHIEVEMENTS,
    headers=HEADERS,
    required=REQUIRED,
    columns=COLUMNS,
    notes=(
        _("Fill one row per achievement on the first sheet and replace the example row."),
        _("The whole file is checked first and nothing is saved until you confirm; if any row "
          "has an error, nothing is saved."),
        _("Imported achievements enter the achievement library and its recommendations."),
        _("Save as .xlsx, or as .csv in UTF-8 or GBK."),
    ),
    text_columns=TEXT_COLUMNS,
    multi_value_columns=MULTI_VALUE_COLUMNS,
    wide_columns=WIDE_COLUMNS,
    wide_width=32,
)


def allowed_values(user=None):
    """``([(column, [values])], host units)``: the allowed values of every choice column."""
    units = list(template_host_units(user))
    return [
        (COL_HOST_UNIT, [unit.name for unit in units]),
        (COL_OWNER_KIND, ORGANISATION_KIND_WORDS.allowed()),
        (COL_INDUSTRY_FIELD,
         list(IndustryField.objects.order_by("code").values_list("name", flat=True))),
        (COL_COOPERATION_MODES, COOPERATION_WORDS.allowed()),
        (COL_VISIBILITY, VISIBILITY_WORDS.allowed()),
    ], units


def example_row(units):
    unit = units[0] if units else None
    field = next(iter(unit.fields.all()), None) if unit is not None else None
    if field is None:
        field = IndustryField.objects.order_by("code").first()
    return {
        COL_TITLE: "【示例】绝缘栅双极型晶体管（IGBT）模块双面冷却封装技术",
        COL_HOST_UNIT: unit.name if unit else "",
        COL_OWNER: "示例功率电子研究院",
        COL_CREDIT_CODE: example_credit_code(),
        COL_OWNER_KIND: "科研院所",
        COL_REGION: unit.region if unit else "610100",
        COL_INDUSTRY_FIELD: field.name if field else "",
        COL_KEYWORDS: "IGBT、功率模块、双面冷却",
        COL_ABSTRACT: ("采用银烧结与氮化硅覆铜基板的双面冷却封装，功率模块结壳热阻降低35%，"
                       "已完成车规级可靠性验证。"),
        COL_TRL: 6,
        COL_PATENTS: "ZL202010123456.7、CN112345678A",
        COL_COOPERATION_MODES: "技术许可、合作开发",
        COL_VISIBILITY: "公开",
    }


def build_template(*, user=None):
    """The template workbook as bytes, listing the host units ``user`` may import for."""
    values, units = allowed_values(user)
    return build_workbook(LAYOUT, example=example_row(units), values=values)
