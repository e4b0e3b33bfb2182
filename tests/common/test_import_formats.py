"""read_dataset: caps checked before parsing, zip bombs refused, CSV encodings, clear errors."""

import io
import os
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.importexport.formats import ImportFileError, read_dataset

HEADERS = ["承办单位", "受理机构", "电话"]
ROWS = [["西安市人民政府", "西安市科技局", "029-86786000"],
        ["深圳市科技创新局", "深圳市科技创新局投诉受理处", "0755-88102000"]]


def csv_bytes(encoding, rows=ROWS, headers=HEADERS, newline="\r\n", delimiter=","):
    lines = [delimiter.join(headers)] + [delimiter.join(row) for row in rows]
    return (newline.join(lines) + newline).encode(encoding)


def xlsx_bytes(rows=ROWS, headers=HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data, name="channels.csv"):
    return SimpleUploadedFile(name, data)


def test_read_dataset_utf8_csv_reads_headers_and_rows():
    dataset = read_dataset(upload(csv_bytes("utf-8")))
    assert dataset.headers == HEADERS
    assert [list(row) for row in dataset] == ROWS
    assert dataset.line_numbers == [2, 3]


def test_read_dataset_utf8_with_bom_csv_drops_the_bom():
    data = csv_bytes("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    dataset = read_dataset(upload(data))
    assert dataset.headers == HEADERS
    assert dataset[1][1] == "深圳市科技创新局投诉受理处"


def test_read_dataset_gbk_csv_is_decoded():
    data = csv_bytes("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    dataset = read_dataset(upload(data))
    assert dataset.headers == HEADERS
    assert [list(row) for row in dataset] == ROWS


def test_read_dataset_semicolon_csv_sniffs_delimiter():
    dataset = read_dataset(upload(csv_bytes("utf-8", delimiter=";")))
    assert dataset.headers == HEADERS
    assert dataset[0][2] == "029-86786000"


def test_read_dataset_skips_blank_lines_and_keeps_spreadsheet_line_numbers():
    data = "承办单位,受理机构,电话\n\n西安,科技局,029-1\n,,\n深圳,科创局,0755-2\n".encode()
    dataset = read_dataset(upload(data))
    assert dataset.height == 2
    assert dataset.line_numbers == [3, 5]


def test_read_dataset_xlsx_reads_first_sheet():
    dataset = read_dataset(upload(xlsx_bytes(), "channels.xlsx"))
    assert dataset.headers == HEADERS
    assert [list(row) for row in dataset] == ROWS


def test_read_dataset_recognises_xlsx_by_content_not_name():
    dataset = read_dataset(upload(xlsx_bytes(), "channels.csv"))
    assert dataset.headers == HEADERS


def test_read_dataset_over_byte_cap_is_refused_before_reading():
    class Unreadable(io.BytesIO):
        size = 11

        def read(self, *args):
            raise AssertionError("a file over the cap must not be read")

    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(Unreadable(b""), max_bytes=10)
    assert excinfo.value.code == "too_large"


def test_read_dataset_lying_size_is_still_capped():
    data = csv_bytes("utf-8")
    lying = upload(data)
    lying.size = 5
    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(lying, max_bytes=len(data) - 1)
    assert excinfo.value.code == "too_large"


def test_read_dataset_default_byte_cap_comes_from_settings(settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(upload(b"a,b\n" + b"1,2\n" * 30))
    assert excinfo.value.code == "too_large"
    assert "100" in excinfo.value.messages[0]


def test_read_dataset_over_row_cap_is_refused_csv(settings):
    settings.IMPORT_MAX_ROWS = 3
    data = ("a,b\n" + "".join(f"{i},x\n" for i in range(4))).encode()
    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(upload(data))
    assert excinfo.value.code == "too_many_rows"
    assert read_dataset(upload(data), max_rows=4).height == 4


def test_read_dataset_over_row_cap_is_refused_xlsx():
    data = xlsx_bytes(rows=[[f"单位{i}", "机构", "029-1"] for i in range(6)])
    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(upload(data, "big.xlsx"), max_rows=5)
    assert excinfo.value.code == "too_many_rows"


def _bomb(member_bytes):
    """An .xlsx-looking zip with one huge, highly compressed worksheet member."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(member_bytes // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def test_read_dataset_zip_bomb_is_refused_before_openpyxl(monkeypatch):
    data = _bomb(64 * 1024 * 1024)
    assert len(data) < 1024 * 1024  # tiny upload, 64 MB inside

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl must not see a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(upload(data, "bomb.xlsx"))
    assert excinfo.value.code == "zip_bomb"


def test_read_dataset_zip_unpacking_beyond_limit_is_refused(settings, monkeypatch):
    # Incompressible content: the ratio is harmless, the declared total is not.
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", os.urandom(2 * 1024 * 1024))
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened"))
    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(upload(out.getvalue(), "big.xlsx"))
    assert excinfo.value.code == "zip_bomb"


def test_read_dataset_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(upload(out.getvalue(), "x.xlsx"))
    assert excinfo.value.code == "format"


def test_read_dataset_corrupt_xlsx_is_refused_with_message():
    data = xlsx_bytes()
    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(upload(data[: len(data) // 2], "broken.xlsx"))
    assert excinfo.value.code == "format"


def test_read_dataset_legacy_xls_is_refused():
    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls"))
    assert excinfo.value.code == "format"
    assert ".xlsx" in excinfo.value.messages[0]


def test_read_dataset_undecodable_text_is_refused():
    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(upload(b"a,b\n\xff\xfe\xfa,\x81\x20\n"))
    assert excinfo.value.code == "encoding"


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b"   \n", "empty"),
    ("承办单位,,电话\n西安,科技局,029\n".encode(), "blank_header"),
    ("电话,电话\n1,2\n".encode(), "duplicate_header"),
    (b"a,b\n1,2,3\n", "ragged"),
])
def test_read_dataset_bad_shapes_are_refused(data, code):
    with pytest.raises(ImportFileError) as excinfo:
        read_dataset(upload(data))
    assert excinfo.value.code == code


def test_read_dataset_short_rows_are_padded():
    dataset = read_dataset(upload(b"a,b,c\n1\n"))
    assert list(dataset[0]) == ["1", None, None]


def test_a_multi_line_cell_does_not_shift_the_row_numbers():
    """Row numbers are the spreadsheet's rows (header = 1), not the file's text lines: a cell
    holding line breaks is one row in Excel, so the rows after it keep their numbers."""
    data = b'a,b\n1,"first line\nsecond line\nthird line"\n\n2,x\n3,"y\r\nz"\n4,w\n'
    dataset = read_dataset(upload(data))
    assert dataset.height == 4
    assert dataset.line_numbers == [2, 4, 5, 6]
    assert dataset[0][1] == "first line\nsecond line\nthird line"
