"""The downloadable import template (.xlsx) of the achievement format: the Chinese headers
with an example row, a sheet of the allowed values of the choice columns (drop-down lists on
the single-choice ones) and a sheet explaining each column. Built with openpyxl on request, so
the host units and industry fields listed are the current ones and the example row is one
that imports cleanly."""

import io

import openpyxl
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

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
SHEET_VALUES = "可选值"
SHEET_NOTES = "填写说明"
PREPARED_ROWS = 1000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_COLUMNS = (COL_CREDIT_CODE, COL_REGION)
MULTI_VALUE_COLUMNS = (COL_COOPERATION_MODES,)
WIDE_COLUMNS = (COL_TITLE, COL_ABSTRACT, COL_OWNER)


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
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_ACHIEVEMENTS
    _main_sheet(sheet, example_row(units))
    _values_sheet(workbook.create_sheet(SHEET_VALUES), values, sheet)
    _notes_sheet(workbook.create_sheet(SHEET_NOTES))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _main_sheet(sheet, example):
    sheet.append(HEADERS)
    required_fill = PatternFill("solid", fgColor="FDE9D9")
    for index, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if header in REQUIRED else "000000")
        if header in REQUIRED:
            cell.fill = required_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = (
            32 if header in WIDE_COLUMNS else 16)
    for index, header in enumerate(HEADERS, start=1):
        value = example.get(header, "")
        cell = sheet.cell(row=2, column=index, value=value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, str):
            cell.data_type = "s"
    for header in TEXT_COLUMNS:
        letter = get_column_letter(HEADERS.index(header) + 1)
        for row in range(2, PREPARED_ROWS + 2):
            sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "B2"


def _values_sheet(sheet, values, main_sheet):
    for index, (column, items) in enumerate(values, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=column).font = Font(bold=True)
        sheet.column_dimensions[letter].width = 24
        for row, item in enumerate(items, start=2):
            sheet.cell(row=row, column=index, value=item).data_type = "s"
        if not items:
            continue
        target = get_column_letter(HEADERS.index(column) + 1)
        multiple = column in MULTI_VALUE_COLUMNS
        validation = DataValidation(
            type="list", formula1=f"'{SHEET_VALUES}'!${letter}$2:${letter}${len(items) + 1}",
            allow_blank=True, showErrorMessage=not multiple, errorStyle="stop",
            errorTitle=force_str(_("Not an allowed value")),
            error=force_str(_("Choose a value from the list on the sheet “%(sheet)s”.")
                            % {"sheet": SHEET_VALUES}),
            showInputMessage=multiple, promptTitle=column,
            prompt=force_str(_("Several values are separated by 、.")) if multiple else None,
        )
        validation.add(f"{target}2:{target}{PREPARED_ROWS + 1}")
        main_sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def _notes_sheet(sheet):
    sheet.append([force_str(_("Column")), force_str(_("Required")), force_str(_("What to write"))])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    yes, no = force_str(_("yes")), force_str(_("no"))
    for column in COLUMNS:
        sheet.append([column.header, yes if column.required else no, force_str(column.note)])
    sheet.append([])
    for line in (
        _("Fill one row per achievement on the first sheet and replace the example row."),
        _("The whole file is checked first and nothing is saved until you confirm; if any row "
          "has an error, nothing is saved."),
        _("Imported achievements enter the achievement library and its recommendations."),
        _("Save as .xlsx, or as .csv in UTF-8 or GBK."),
    ):
        sheet.append([force_str(line)])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 90
