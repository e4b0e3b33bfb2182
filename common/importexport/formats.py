"""Reading uploaded spreadsheets with limits checked before any parser sees the bytes, and the
formats offered in the admin.

``read_dataset`` is the only way a file becomes a ``tablib.Dataset`` in the portal:

- the byte cap is checked on the declared size before reading, and again on what was read;
- XLSX is a zip: the declared sizes of its members are summed and their compression ratios
  checked before openpyxl opens it (a zip bomb is refused without inflating anything;
  Python's zipfile never yields more than a member's declared size, so declared sizes bound
  what openpyxl can read);
- rows are counted while streaming (openpyxl read-only mode) and reading stops at
  ``max_rows + 1``;
- CSV is decoded as UTF-8 (with or without BOM) or GB18030 (a superset of GBK), in that order.
"""

import csv
import io
import zipfile

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
# A member above this size may not be compressed more than MAX_COMPRESSION_RATIO : 1. Real
# worksheets compress about 5-20 : 1; bombs compress 1000 : 1 and more.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 1000
# utf-8-sig decodes plain UTF-8 as well and drops a BOM; GB18030 covers GBK and GB2312, which
# Excel on Chinese Windows writes by default.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
CSV_DELIMITERS = ",;\t|"


class ImportFileError(ValidationError):
    """The file was refused before or while reading it; ``message`` says why, for the user."""


def max_bytes_default():
    return settings.IMPORT_MAX_BYTES


def max_rows_default():
    return settings.IMPORT_MAX_ROWS


def read_dataset(uploaded_file, *, max_bytes=None, max_rows=None):
    """Read an uploaded CSV or XLSX file into a ``tablib.Dataset`` with headers.

    ``uploaded_file`` is a Django ``File``/``UploadedFile`` (or any binary file object; a
    ``bytes`` value is accepted too). The kind is recognised from the content, not the name.
    Blank rows are skipped, text cells and headers are stripped. Raises ``ImportFileError``
    with a message for the user when the file is too large, has too many rows, is a zip bomb,
    is not CSV/XLSX, cannot be decoded, or has no usable header row.
    """
    max_bytes = max_bytes_default() if max_bytes is None else max_bytes
    max_rows = max_rows_default() if max_rows is None else max_rows
    data = read_bytes(uploaded_file, max_bytes=max_bytes)
    if not data.strip():
        raise ImportFileError(_("The file is empty."), code="empty")
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data, max_rows)
    if data.startswith(OLE2_MAGIC):
        raise ImportFileError(
            _("Old Excel files (.xls) are not supported. Save the sheet as .xlsx or .csv."),
            code="format",
        )
    return _read_csv(data, max_rows)


def _too_large(max_bytes):
    return ImportFileError(
        _("The file is larger than %(limit)s. Split it into smaller files."),
        code="too_large", params={"limit": filesizeformat(max_bytes)},
    )


def read_bytes(uploaded_file, *, max_bytes=None):
    """The file's bytes, refused with ``ImportFileError`` beyond ``max_bytes`` (by default
    ``IMPORT_MAX_BYTES``), checked on the declared size before reading."""
    max_bytes = max_bytes_default() if max_bytes is None else max_bytes
    if isinstance(uploaded_file, bytes | bytearray):
        data = bytes(uploaded_file)
    else:
        size = getattr(uploaded_file, "size", None)
        if size is not None and size > max_bytes:
            raise _too_large(max_bytes)
        if hasattr(uploaded_file, "seek"):
            uploaded_file.seek(0)
        # Never more than one byte past the cap, whatever the declared size said.
        data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def _too_many_rows(max_rows):
    return ImportFileError(
        _("The file has more than %(limit)s data rows. Split it into smaller files."),
        code="too_many_rows", params={"limit": max_rows},
    )


def _clean_cell(value):
    if isinstance(value, str):
        return value.strip()
    return value


def _headers(row):
    headers = ["" if cell is None else str(cell).strip() for cell in row]
    while headers and headers[-1] == "":
        headers.pop()
    if not headers:
        raise ImportFileError(
            _("The first row must contain the column headers."), code="no_headers"
        )
    if "" in headers:
        raise ImportFileError(
            _("Column %(number)s has no header in the first row."),
            code="blank_header", params={"number": headers.index("") + 1},
        )
    seen = set()
    for header in headers:
        if header in seen:
            raise ImportFileError(
                _("The column “%(header)s” appears twice in the first row."),
                code="duplicate_header", params={"header": header},
            )
        seen.add(header)
    return headers


def _append(dataset, headers, cells, line, max_rows):
    cells = [_clean_cell(cell) for cell in cells]
    if all(cell is None or cell == "" for cell in cells):
        return
    width = len(headers)
    extra = cells[width:]
    if any(cell is not None and cell != "" for cell in extra):
        raise ImportFileError(
            _("Row %(row)s has more cells than there are column headers."),
            code="ragged", params={"row": line},
        )
    cells = cells[:width] + [None] * (width - len(cells))
    if dataset.height >= max_rows:
        raise _too_many_rows(max_rows)
    dataset.append(cells)
    dataset.line_numbers.append(line)


def _new_dataset(headers):
    dataset = tablib.Dataset(headers=headers)
    # The spreadsheet line of each data row (blank lines are skipped), for error messages.
    dataset.line_numbers = []
    return dataset


# --- XLSX -------------------------------------------------------------------------------------
def check_zip(data):
    """Refuse a zip whose declared contents are too large or suspiciously compressed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise ImportFileError(_("The file is not a valid .xlsx workbook."), code="format") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ImportFileError(_("The workbook has too many parts."), code="zip_bomb")
        limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
                raise ImportFileError(
                    _("The workbook is compressed suspiciously strongly and was refused."),
                    code="zip_bomb",
                )
        if total > limit:
            raise ImportFileError(
                _("The workbook unpacks to more than %(limit)s and was refused."),
                code="zip_bomb", params={"limit": filesizeformat(limit)},
            )
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or not any(
            name.startswith("xl/") for name in names
        ):
            raise ImportFileError(_("The file is not a valid .xlsx workbook."), code="format")


def _read_xlsx(data, max_rows):
    import openpyxl  # imported late: only XLSX uploads pay for it

    check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors) on bad input
        raise ImportFileError(
            _("The workbook could not be read. Save it again from Excel as .xlsx."),
            code="format",
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            raise ImportFileError(_("The file is empty."), code="empty")
        headers = _headers(header_row)
        dataset = _new_dataset(headers)
        for line, row in enumerate(rows, start=2):
            _append(dataset, headers, row, line, max_rows)
        return dataset
    except ImportFileError:
        raise
    except Exception as exc:  # a malformed sheet part surfaces while streaming its rows
        raise ImportFileError(
            _("The workbook could not be read. Save it again from Excel as .xlsx."),
            code="format",
        ) from exc
    finally:
        workbook.close()


# --- CSV --------------------------------------------------------------------------------------
def decode_text(data):
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("The file's text encoding was not recognised. Save it as CSV (UTF-8)."),
        code="encoding",
    )


def _sniff_delimiter(text):
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        return ","


def _read_csv(data, max_rows):
    text = decode_text(data)
    if "\x00" in text:
        raise ImportFileError(
            _("The file is not a CSV text file. Upload a .csv or .xlsx file."), code="format"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        header_row = next(reader, None)
        if header_row is None:
            raise ImportFileError(_("The file is empty."), code="empty")
        headers = _headers(header_row)
        dataset = _new_dataset(headers)
        # The spreadsheet's own row number (as Excel and WPS show the file): one per record,
        # however many lines its quoted cells span, blank records counted.
        for line, row in enumerate(reader, start=2):
            _append(dataset, headers, row, line, max_rows)
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)s."),
            code="format", params={"line": reader.line_num},
        ) from exc
    return dataset


# --- formats for the admin --------------------------------------------------------------------
class _CappedImportFormat:
    """Reads through ``read_dataset``; binary so the admin hands over the raw bytes, which lets
    ``read_dataset`` pick the encoding (the admin would decode everything as UTF-8)."""

    def create_dataset(self, in_stream, **kwargs):
        return read_dataset(in_stream)

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"


class CappedCSV(_CappedImportFormat, base_formats.CSV):
    def get_title(self):
        return "csv"


class CappedXLSX(_CappedImportFormat, base_formats.XLSX):
    def get_title(self):
        return "xlsx"


class SafeXLSX(base_formats.XLSX):
    """XLSX export that replaces characters Excel cannot store (NUL and other control
    characters) instead of failing; formula prefixes are neutralised by the resource."""

    def export_data(self, dataset, **kwargs):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cleaned = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            cleaned.append([
                ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", cell)
                if isinstance(cell, str) else cell
                for cell in row
            ])
        return super().export_data(cleaned, **kwargs)


IMPORT_FORMATS = [CappedCSV, CappedXLSX]
EXPORT_FORMATS = [base_formats.CSV, SafeXLSX]
# Excel on Chinese Windows reads a CSV without BOM as GBK; the BOM makes it read UTF-8.
CSV_EXPORT_ENCODING = "utf-8-sig"
