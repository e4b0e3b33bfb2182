import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader, PdfWriter

from files.services import store_upload
from tests.factories.files import docx_bytes, jpeg_with_exif, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def stored_bytes(private_file):
    with private_file.file.open("rb") as handle:
        return handle.read()


def test_public_safe_jpeg_loses_its_exif(demand_owner):
    original = jpeg_with_exif(artist="Zhang San")
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif()[0x013B] == "Zhang San"  # the sample really carries EXIF

    stored = store_upload(upload("现场照片.jpg", original), kind="image",
                          uploaded_by=demand_owner, public_safe=True)

    content = stored_bytes(stored)
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG"
        assert image.size == (16, 16)
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert b"Zhang San" not in content
    assert b"ExampleCam" not in content
    assert stored.public_safe is True
    assert stored.size == len(content)


def test_jpeg_not_for_the_public_is_stored_unchanged(demand_owner):
    original = jpeg_with_exif()

    stored = store_upload(upload("现场照片.jpg", original), kind="image",
                          uploaded_by=demand_owner)

    assert stored_bytes(stored) == original
    assert stored.public_safe is False


def test_public_safe_png_loses_its_text_chunks(demand_owner):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "王五")
    output = io.BytesIO()
    Image.new("RGB", (4, 4)).save(output, "PNG", pnginfo=info)

    stored = store_upload(upload("图.png", output.getvalue()), kind="image",
                          uploaded_by=demand_owner, public_safe=True)

    with Image.open(io.BytesIO(stored_bytes(stored))) as image:
        assert "Author" not in image.info


def test_public_safe_pdf_loses_author_creator_and_title(demand_owner):
    original = pdf_bytes(author="赵六", title="内部草稿")
    assert PdfReader(io.BytesIO(original)).metadata.author == "赵六"

    stored = store_upload(upload("需求.pdf", original), kind="attachment",
                          uploaded_by=demand_owner, public_safe=True)

    reader = PdfReader(io.BytesIO(stored_bytes(stored)))
    metadata = reader.metadata or {}
    assert metadata.get("/Author") is None
    assert metadata.get("/Creator") is None
    assert metadata.get("/Title") is None
    assert metadata.get("/Producer") is None
    assert len(reader.pages) == 1


def test_public_safe_encrypted_pdf_refused(demand_owner):
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret")
    output = io.BytesIO()
    writer.write(output)

    with pytest.raises(ValidationError) as error:
        store_upload(upload("加密.pdf", output.getvalue()), kind="attachment",
                     uploaded_by=demand_owner, public_safe=True)
    assert error.value.code == "encrypted"


def test_public_safe_docx_author_and_company_cleared(demand_owner):
    original = docx_bytes(author="李四", company="示例科技有限公司", text="需求正文")

    stored = store_upload(upload("方案.docx", original), kind="attachment",
                          uploaded_by=demand_owner, public_safe=True)

    with zipfile.ZipFile(io.BytesIO(stored_bytes(stored))) as archive:
        core = archive.read("docProps/core.xml").decode()
        app = archive.read("docProps/app.xml").decode()
        document = archive.read("word/document.xml").decode()
        names = archive.namelist()
    assert "李四" not in core
    assert "<dc:creator/>" in core
    assert "<cp:lastModifiedBy/>" in core
    assert "<dc:title>技术需求说明</dc:title>" in core  # other properties untouched
    assert "示例科技有限公司" not in app
    assert "需求正文" in document
    assert names[0] == "[Content_Types].xml"


def test_public_safe_old_word_file_refused_with_advice(demand_owner):
    content = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
               + "WordDocument".encode("utf-16-le"))

    with pytest.raises(ValidationError) as error:
        store_upload(upload("旧.doc", content), kind="attachment", uploaded_by=demand_owner,
                     public_safe=True)
    assert ".docx" in error.value.message
