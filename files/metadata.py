"""Removal of personal metadata from files that may be shown to the public.

Photos carry GPS positions and camera serials in EXIF; PDFs and Office documents carry the
author's name, company and the last person who saved them. A file uploaded with
``public_safe=True`` is rewritten without them before it is stored.
"""

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject

from .enums import IMAGE_TYPES, OLE_TYPES, OOXML_TYPES, TEXT_TYPES

PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}


def strip_metadata(code, data):
    """``data`` rewritten without personal metadata, for a file of type ``code``."""
    if code in IMAGE_TYPES:
        return strip_image(data, code)
    if code == "pdf":
        return strip_pdf(data)
    if code in OOXML_TYPES:
        return strip_ooxml(data)
    if code in TEXT_TYPES:
        return data
    if code in OLE_TYPES:
        raise ValidationError(
            _("Word and Excel 97-2003 files cannot be cleaned of their author data; save the "
              "file as .docx or .xlsx (or PDF) and upload it again."),
            code="cannot_clean",
        )
    raise ValueError(f"no metadata rule for {code!r}")


def strip_image(data, code):
    """Re-encode the pixels only: EXIF (GPS, camera, owner), XMP and text chunks are left
    behind. The EXIF orientation is applied first so the picture stays upright."""
    try:
        with Image.open(io.BytesIO(data)) as original:
            original.load()
            image = ImageOps.exif_transpose(original) or original
            icc_profile = original.info.get("icc_profile")
            options = {}
            if icc_profile:
                options["icc_profile"] = icc_profile
            if code == "jpeg":
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                options.update(quality=90, optimize=True)
            elif code == "webp":
                options.update(quality=90)
            else:
                options.update(optimize=True)
            output = io.BytesIO()
            image.save(output, PIL_FORMATS[code], **options)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The image is damaged and cannot be read."),
                              code="damaged") from error
    return output.getvalue()


def strip_pdf(data):
    """Drop the document information dictionary (Author, Creator, Producer, Title...) and the
    XMP metadata stream."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _("Password-protected PDFs cannot be published; remove the password first."),
                code="encrypted",
            )
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        writer.root_object.pop(NameObject("/Metadata"), None)
        output = io.BytesIO()
        writer.write(output)
    except ValidationError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(_("The PDF is damaged and cannot be read."),
                              code="damaged") from error
    return output.getvalue()


# Elements cleared in docProps/core.xml and docProps/app.xml, whatever their namespace prefix.
_CLEARED = ("creator", "lastModifiedBy", "Company", "Manager")
_ELEMENT = re.compile(
    rb"<((?:[\w.-]+:)?(?:" + b"|".join(name.encode() for name in _CLEARED) + rb"))"
    rb"(\s[^>]*?)?(?:/>|>.*?</\1\s*>)",
    re.S,
)


def _clear_elements(xml):
    def empty(match):
        return b"<" + match.group(1) + (match.group(2) or b"").rstrip(b"/") + b"/>"

    return _ELEMENT.sub(empty, xml)


def strip_ooxml(data):
    """Rewrite the package with author, last editor, company and manager emptied."""
    output = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source, \
                zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info)
                if info.filename in ("docProps/core.xml", "docProps/app.xml"):
                    content = _clear_elements(content)
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                copy.compress_type = zipfile.ZIP_DEFLATED
                copy.external_attr = info.external_attr
                target.writestr(copy, content)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(_("The file is damaged and cannot be read."),
                              code="damaged") from error
    return output.getvalue()
