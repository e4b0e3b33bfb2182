"""The downloadable import template (.xlsx) of a standard format, for any import: the headers
with an example row on the first sheet, a sheet of the allowed values of every choice column
(with drop-down lists on the choice columns of the first sheet) and a sheet explaining each
column. Built with openpyxl on request; the app gives its columns, example row and allowed
values (``demands.importing.template``, ``matching.importing.template``)."""

import io
from dataclasses import dataclass

import openpyxl
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

SHEET_VALUES = "可选值"
SHEET_NOTES = "填写说明"
# Rows of the first sheet that get drop-down lists and text formats.
PREPARED_ROWS = 1000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class TemplateLayout:
    """What differs between the templates of two formats."""

    sheet: str  # the first sheet's name (技术需求, 科技成果)
    headers: tuple  # the headers, in the order of the file
    required: frozenset | tuple  # the headers that must be filled
    columns: tuple  # objects with ``header``, ``required`` and ``note``, for the notes sheet
    notes: tuple  # the lines under the columns on the notes sheet
    text_columns: tuple = ()  # digits that Excel must keep as text (leading zeros, long numbers)
    multi_value_columns: tuple = ()  # several values separated by 、: the list only helps
    wide_columns: tuple = ()
    wide_width: int = 28
    date_columns: tuple = ()  # shown as yyyy-mm-dd


def build_template(layout, *, example, values):
    """The template workbook as bytes: ``example`` maps headers to the example row's values,
    ``values`` is ``[(column, [allowed values])]``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = layout.sheet
    _main_sheet(sheet, layout, example)
    _values_sheet(workbook.create_sheet(SHEET_VALUES), layout, values, sheet)
    _notes_sheet(workbook.create_sheet(SHEET_NOTES), layout)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _main_sheet(sheet, layout, example):
    headers = layout.headers
    sheet.append(headers)
    required_fill = PatternFill("solid", fgColor="FDE9D9")
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if header in layout.required else "000000")
        if header in layout.required:
            cell.fill = required_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = (
            layout.wide_width if header in layout.wide_columns else 16)
    for index, header in enumerate(headers, start=1):
        value = example.get(header, "")
        cell = sheet.cell(row=2, column=index, value=value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if header in layout.date_columns:
            cell.number_format = "yyyy-mm-dd"
        # Text stays text, even when it starts with "=".
        if isinstance(value, str):
            cell.data_type = "s"
    for header in layout.text_columns:
        letter = get_column_letter(headers.index(header) + 1)
        for row in range(2, PREPARED_ROWS + 2):
            sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "B2"


def _values_sheet(sheet, layout, values, main_sheet):
    for index, (column, items) in enumerate(values, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=column).font = Font(bold=True)
        sheet.column_dimensions[letter].width = 24
        for row, item in enumerate(items, start=2):
            sheet.cell(row=row, column=index, value=item).data_type = "s"
        if not items:
            continue
        target = get_column_letter(layout.headers.index(column) + 1)
        multiple = column in layout.multi_value_columns
        validation = DataValidation(
            type="list", formula1=f"'{SHEET_VALUES}'!${letter}$2:${letter}${len(items) + 1}",
            allow_blank=True,
            # Several values separated by 、 are typed by hand: the list only helps.
            showErrorMessage=not multiple, errorStyle="stop",
            errorTitle=force_str(_("Not an allowed value")),
            error=force_str(_("Choose a value from the list on the sheet “%(sheet)s”.")
                            % {"sheet": SHEET_VALUES}),
            showInputMessage=multiple, promptTitle=column,
            prompt=force_str(_("Several values are separated by 、.")) if multiple else None,
        )
        validation.add(f"{target}2:{target}{PREPARED_ROWS + 1}")
        main_sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def _notes_sheet(sheet, layout):
    sheet.append([force_str(_("Column")), force_str(_("Required")), force_str(_("What to write"))])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    yes, no = force_str(_("yes")), force_str(_("no"))
    for column in layout.columns:
        sheet.append([column.header, yes if column.required else no, force_str(column.note)])
    sheet.append([])
    for line in layout.notes:
        sheet.append([force_str(line)])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 90
