"""Sample uploads built in memory (no fixtures on disk) and a factory for stored files."""

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from files.models import PrivateFile


def png_bytes(size=(8, 8), color=(200, 30, 30)):
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, "PNG")
    return output.getvalue()


def jpeg_bytes(exif=None, size=(16, 16)):
    output = io.BytesIO()
    image = Image.new("RGB", size, (20, 120, 200))
    if exif is None:
        image.save(output, "JPEG")
    else:
        image.save(output, "JPEG", exif=exif)
    return output.getvalue()


def jpeg_with_exif(artist="Zhang San", gps_latitude_ref="N"):
    """A JPEG whose EXIF names an artist and a camera and carries a GPS block."""
    exif = Image.Exif()
    exif[0x013B] = artist             # Artist
    exif[0x010F] = "ExampleCam"       # Make
    exif[0x0110] = "Model X"          # Model
    exif[0x0112] = 1                  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = gps_latitude_ref         # GPSLatitudeRef
    gps[2] = (34.0, 15.0, 30.0)       # GPSLatitude
    return jpeg_bytes(exif=exif)


def pdf_bytes(author=None, title=None):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    metadata = {}
    if author:
        metadata["/Author"] = author
        metadata["/Creator"] = f"{author}'s word processor"
    if title:
        metadata["/Title"] = title
    if metadata:
        writer.add_metadata(metadata)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>技术需求说明</dc:title><dc:creator>{author}</dc:creator>"
    "<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-05T08:00:00Z</dcterms:created>'
    "</cp:coreProperties>"
)
APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    'properties"><Application>Microsoft Office Word</Application>'
    "<Company>{company}</Company></Properties>"
)
CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    "</Types>"
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)
RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx_bytes(author="李四", company="示例科技有限公司", text="需求正文", extra=None):
    """A minimal Word package with author, last editor and company set."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        archive.writestr("_rels/.rels", RELS_XML)
        archive.writestr("word/document.xml", DOCUMENT_XML.format(text=text))
        archive.writestr("docProps/core.xml", CORE_XML.format(author=author))
        archive.writestr("docProps/app.xml", APP_XML.format(company=company))
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return output.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    """What Django hands a view for one uploaded file (the client's content type is ignored)."""
    return SimpleUploadedFile(name, content, content_type=content_type)


class PrivateFileFactory(factory.Factory):
    """A file stored through files.services.store_upload (a PDF unless ``content`` says)."""

    class Meta:
        model = PrivateFile

    name = "需求说明.pdf"
    content = factory.LazyFunction(pdf_bytes)
    kind = "attachment"
    uploaded_by = factory.SubFactory("tests.factories.accounts.UserFactory")
    attach_to = None
    public_safe = False

    @classmethod
    def _create(cls, model_class, *, name, content, **kwargs):
        from files.services import store_upload

        return store_upload(upload(name, content), **kwargs)

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("private files exist only once stored; use create()")
