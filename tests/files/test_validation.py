import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from files.models import PrivateFile
from files.services import store_upload
from files.validators import sanitise_name, validate_upload
from tests.factories.files import docx_bytes, jpeg_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
                   b"<script>alert(document.cookie)</script></svg>")
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def refused(name, content, kind="attachment"):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content), kind)
    return error.value


def test_store_upload_disguised_executable_named_pdf_is_refused(demand_owner):
    with pytest.raises(ValidationError) as error:
        store_upload(upload("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,
                            "application/pdf"), kind="attachment", uploaded_by=demand_owner)

    assert error.value.code == "executable"
    assert PrivateFile.objects.count() == 0


@pytest.mark.parametrize("name, content", [
    ("photo.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 100),
    ("notes.txt", b"#!/bin/sh\nrm -rf /\n"),
    ("data.csv", b"\xef\xbb\xbf#!/usr/bin/env python\nprint(1)\n"),
])
def test_validate_upload_executables_and_scripts_refused_whatever_the_name(name, content):
    assert refused(name, content).code == "executable"


@pytest.mark.parametrize("name", ["logo.svg", "logo.png", "logo.txt"])
def test_validate_upload_svg_with_script_refused_for_any_name(name):
    assert refused(name, SVG_WITH_SCRIPT).code == "svg"


def test_validate_upload_svg_refused_for_images_too():
    assert refused("logo.svg", SVG_WITH_SCRIPT, kind="image").code == "svg"


@pytest.mark.parametrize("name", ["page.png", "page.html", "page.txt"])
def test_validate_upload_html_refused_whatever_the_name(name):
    assert refused(name, HTML_PAGE).code == "html"


def test_validate_upload_utf16_html_refused():
    assert refused("page.txt", "\ufeff<html><script>x</script></html>".encode("utf-16")).code \
        == "html"


def test_validate_upload_oversize_refused(settings):
    settings.FILE_LIMITS = {"attachment": 1024}

    error = refused("big.pdf", pdf_bytes() + b"%" * 2048)

    assert error.code == "too_large"
    assert "1.0 KB" in error.message or "1.0\xa0KB" in error.message


def test_validate_upload_image_limit_is_per_kind(settings):
    settings.FILE_LIMITS = {"image": 100, "attachment": 10_000}
    content = png_bytes(size=(64, 64), color=(1, 2, 3)) + b""

    assert refused("a.png", content, kind="image").code == "too_large"
    assert validate_upload(upload("a.png", content), "attachment").code == "png"


def test_validate_upload_empty_file_refused():
    assert refused("empty.pdf", b"").code == "empty"


def test_validate_upload_extension_must_match_content():
    error = refused("scan.jpg", png_bytes())

    assert error.code == "extension_mismatch"
    assert ".jpg" in error.message


def test_validate_upload_type_not_allowed_for_kind():
    assert refused("report.pdf", pdf_bytes(), kind="image").code == "type_not_allowed"


# Builders, not bytes: zip-based samples embed the time, and xdist workers must collect
# identical test ids.
@pytest.mark.parametrize("name, build, code, content_type", [
    ("需求说明.pdf", pdf_bytes, "pdf", "application/pdf"),
    ("photo.JPG", jpeg_bytes, "jpeg", "image/jpeg"),
    ("logo.png", png_bytes, "png", "image/png"),
    ("方案.docx", docx_bytes, "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("名单.csv", lambda: "名称,地区\n西安示例,610100\n".encode("gbk"), "csv",
     "text/csv; charset=gbk"),
    ("说明.txt", lambda: "纯文本说明\n".encode(), "txt", "text/plain; charset=utf-8"),
], ids=["pdf", "jpeg", "png", "docx", "csv-gbk", "txt"])
def test_validate_upload_accepts_allowed_types(name, build, code, content_type):
    detected = validate_upload(upload(name, build()), "attachment")

    assert (detected.code, detected.content_type) == (code, content_type)


def test_validate_upload_text_with_nul_refused():
    assert refused("data.csv", b"a,b\n1,\x00\n").code == "type_not_allowed"


def test_validate_upload_text_in_unknown_encoding_refused():
    assert refused("data.csv", "名称".encode("utf-16-le") + b"\xff\xd8\x81").code \
        == "type_not_allowed"


def test_validate_upload_plain_zip_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("a.txt", "x")

    assert refused("archive.docx", output.getvalue()).code == "type_not_allowed"


def test_validate_upload_macro_document_refused():
    content = docx_bytes(extra={"word/vbaProject.bin": b"\x00macro"})

    assert refused("方案.docx", content).code == "macro"


def test_validate_upload_ole_word_document_accepted_and_installer_refused():
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    word = header + "WordDocument".encode("utf-16-le") + b"\x00" * 64
    installer = header + "\x4840\x3f3f".encode("utf-16-le") + b"\x00" * 64

    assert validate_upload(upload("旧版方案.doc", word), "attachment").code == "doc"
    assert refused("setup.doc", installer).code == "type_not_allowed"


def test_validate_upload_gif_refused_with_its_type():
    error = refused("anim.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")

    assert error.code == "type_not_allowed"
    assert ".gif" in error.message


def test_validate_upload_damaged_image_refused():
    assert refused("broken.png", png_bytes()[:40]).code == "damaged"


@pytest.mark.parametrize("raw, clean", [
    ("../../etc/passwd", "passwd"),
    ("C:\\x\\a.pdf", "a.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ("\u2066报告\u2069\u200e.pdf", "报告.pdf"),
    ("..hidden.pdf", "hidden.pdf"),
    ("a\x00b\r\n.pdf", "ab.pdf"),
    ('合作意向协议<草案>:"最终".pdf', "合作意向协议草案最终.pdf"),
    ("", "file"),
    ("...", "file"),
])
def test_sanitise_name(raw, clean):
    assert sanitise_name(raw) == clean


def test_sanitise_name_limits_length_and_keeps_extension():
    name = sanitise_name("技" * 300 + ".pdf")

    assert len(name) == 120
    assert name.endswith("技.pdf")


def test_store_upload_path_in_name_is_stripped(demand_owner):
    stored = store_upload(upload("C:\\x\\a.pdf", pdf_bytes()), kind="attachment",
                          uploaded_by=demand_owner)

    assert stored.original_name == "a.pdf"


def test_store_upload_directory_traversal_name_without_extension_refused(demand_owner):
    with pytest.raises(ValidationError) as error:
        store_upload(upload("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n"),
                     kind="attachment", uploaded_by=demand_owner)

    assert error.value.code == "extension_mismatch"
    assert PrivateFile.objects.count() == 0


def test_store_upload_right_to_left_override_name_refused(demand_owner):
    # Shown as "invoiceexe.pdf" by a bidi-aware display; really ends in .exe.
    with pytest.raises(ValidationError) as error:
        store_upload(upload("invoice\u202efdp.exe", pdf_bytes()), kind="attachment",
                     uploaded_by=demand_owner)

    assert error.value.code == "extension_mismatch"
    assert "\u202e" not in error.value.message
    assert PrivateFile.objects.count() == 0
