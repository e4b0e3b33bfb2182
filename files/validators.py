"""What an upload is, decided by its content; and what its name may be.

Nothing here trusts the client: not the name's extension, not the Content-Type header. The
content is recognised by magic bytes (``filetype``) and by our own checks for Office
containers and text, then it must be a type the kind accepts and the name's extension must
agree with it.
"""

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

from .enums import DEFAULT_FILE_LIMITS, FILE_TYPES, KIND_TYPES, FileKind

MAX_NAME_LENGTH = 120
HEAD_BYTES = 8192
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Executables and scripts, refused whatever the name says.
EXECUTABLE_MAGICS = (
    b"MZ",                                   # Windows PE / DOS
    b"\x7fELF",                              # Linux
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf",  # Mach-O
    b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",                     # Mach-O universal / Java class
    b"#!",                                   # scripts with an interpreter line
)
HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe",
                b"<meta", b"<object", b"<embed", b"<a href", b"<img", b"<form", b"<style")
# An OOXML package's parts may not expand beyond this many times the kind's limit.
MAX_EXPANSION = 20
MAX_ZIP_MEMBERS = 5000


@dataclass(frozen=True)
class Detected:
    code: str            # key of FILE_TYPES
    content_type: str    # what the download view sends, charset included for text
    data: bytes          # the whole content, read once

    @property
    def file_type(self):
        return FILE_TYPES[self.code]


def file_limit(kind):
    limits = {**DEFAULT_FILE_LIMITS, **getattr(settings, "FILE_LIMITS", {})}
    return limits[FileKind(kind)]


# --- names ------------------------------------------------------------------------------------
_WINDOWS_RESERVED = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")


def sanitise_name(name, max_length=MAX_NAME_LENGTH):
    """A display name safe to store and to send back in Content-Disposition.

    Directories (``/`` or ``\\``) are dropped, so are control and format characters (which
    include the bidi overrides U+202A–U+202E, U+2066–U+2069 and the marks U+200E/U+200F that
    make ``invoice\\u202efdp.exe`` look like ``invoiceexe.pdf``), characters Windows refuses and
    leading dots; the length is limited with the extension kept. Chinese stays as it is.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs",
                                                                          "Co", "Zl", "Zp"})
    name = _WINDOWS_RESERVED.sub("", name)
    name = _SPACES.sub(" ", name).strip().lstrip(".").strip().rstrip(". ")
    if len(name) > max_length:
        suffix = PurePosixPath(name).suffix
        if len(suffix) > 10:
            suffix = ""
        name = name[: max_length - len(suffix)].rstrip(". ") + suffix
    return name or "file"


def extension_of(name):
    return PurePosixPath(name).suffix.lower()


# --- content ----------------------------------------------------------------------------------
def read_upload(uploaded_file, kind):
    """All the bytes of an upload, refusing empty and oversize files before reading on."""
    limit = file_limit(kind)
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _too_large(size, limit, kind)
    uploaded_file.seek(0)
    chunks, total = [], 0
    for chunk in uploaded_file.chunks():
        total += len(chunk)
        if total > limit:
            raise _too_large(total, limit, kind)
        chunks.append(chunk)
    uploaded_file.seek(0)
    if total == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    return b"".join(chunks)


def _too_large(size, limit, kind):
    return ValidationError(
        _("The file is too large (%(size)s); the limit for %(kind)s is %(limit)s.")
        % {"size": filesizeformat(size), "kind": FileKind(kind).label,
           "limit": filesizeformat(limit)},
        code="too_large",
    )


def detect_type(data, name, kind=FileKind.ATTACHMENT):
    """The ``Detected`` type of ``data``, or a ValidationError saying why it is refused."""
    _refuse_executables_and_markup(data)
    head = data[:HEAD_BYTES]
    if data.startswith(OLE_MAGIC):
        code = _ole_type(data)
    elif data.startswith(b"PK\x03\x04"):
        code = _ooxml_type(data, kind)
    else:
        guess = filetype.guess(head)
        if guess is None:
            return _text_type(data, name)
        code = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpeg",
                "image/webp": "webp"}.get(guess.mime)
        if code is None:
            raise ValidationError(
                _("Files of type .%(ext)s are not accepted.") % {"ext": guess.extension},
                code="type_not_allowed",
            )
        if code in ("png", "jpeg", "webp"):
            _check_image(data, code)
    return Detected(code=code, content_type=FILE_TYPES[code].mime, data=data)


def _refuse_executables_and_markup(data):
    stripped = data.removeprefix(b"\xef\xbb\xbf")
    if stripped.startswith(EXECUTABLE_MAGICS):
        raise ValidationError(_("Programs and scripts are not accepted."), code="executable")
    start = _markup_head(stripped)
    if b"<svg" in start:
        raise ValidationError(_("SVG images are not accepted; upload a PNG or JPEG image."),
                              code="svg")
    if start.startswith(b"<") and (any(marker in start for marker in HTML_MARKERS)
                                   or start.startswith(b"<?xml")):
        raise ValidationError(_("HTML and XML files are not accepted."), code="html")


def _markup_head(data):
    """The first 4 KB, lower-cased and without leading blanks; UTF-16 text is decoded first so
    that ``<\x00h\x00t\x00m\x00l\x00`` is seen as ``<html``."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data[:8192].decode("utf-16", "ignore")
    elif data[1:2] == b"\x00" and data[:1] == b"<":
        text = data[:8192].decode("utf-16-le", "ignore")
    else:
        return data.lstrip()[:4096].lower()
    return text.lstrip("\ufeff \t\r\n")[:4096].lower().encode("utf-8", "ignore")


def _ole_type(data):
    # Office 97-2003 files are OLE containers, like installers (.msi); the stream that holds
    # the document says which it is. Directory entry names are UTF-16LE.
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return "xls"
    raise ValidationError(_("This Office 97-2003 file is not a Word or Excel document."),
                          code="type_not_allowed")


def _ooxml_type(data, kind):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if len(infos) > MAX_ZIP_MEMBERS or (
                sum(info.file_size for info in infos) > MAX_EXPANSION * file_limit(kind)
            ):
                raise ValidationError(_("The file expands to more than we accept."),
                                      code="too_large")
            if "[Content_Types].xml" not in names:
                raise ValidationError(_("ZIP archives are not accepted."),
                                      code="type_not_allowed")
            content_types = archive.read("[Content_Types].xml")
    except zipfile.BadZipFile as error:
        raise ValidationError(_("The file is damaged and cannot be read."),
                              code="damaged") from error
    if any(name.lower().endswith("vbaproject.bin") for name in names) or (
        b"macroEnabled" in content_types
    ):
        raise ValidationError(_("Office files with macros are not accepted."), code="macro")
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    raise ValidationError(_("ZIP archives are not accepted."), code="type_not_allowed")


def _check_image(data, code):
    expected = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}[code]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    raise ValidationError(_("The image is damaged and cannot be read."),
                                          code="damaged")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("The image has too many pixels."), code="too_large") from error
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds on broken input
        raise ValidationError(_("The image is damaged and cannot be read."),
                              code="damaged") from error


def _text_type(data, name):
    if b"\x00" in data:
        raise ValidationError(_("This type of file is not accepted."), code="type_not_allowed")
    for encoding, charset in (("utf-8-sig", "utf-8"), ("gbk", "gbk")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc"
                       and ch not in "\t\n\r\f\v\x1a")
        if controls > len(text) // 200:
            break
        code = "csv" if extension_of(name) == ".csv" else "txt"
        return Detected(code=code, content_type=f"{FILE_TYPES[code].mime}; charset={charset}",
                        data=data)
    raise ValidationError(
        _("This type of file is not accepted (text must be UTF-8 or GBK)."),
        code="type_not_allowed",
    )


def allowed_description(kind):
    """"PDF, Word (.docx), ..." for help texts and error messages."""
    return ", ".join(str(FILE_TYPES[code].label) for code in KIND_TYPES[FileKind(kind)])


def accept_attribute(kind):
    return ",".join(ext for code in KIND_TYPES[FileKind(kind)]
                    for ext in FILE_TYPES[code].extensions)


def validate_upload(uploaded_file, kind):
    """Check an upload for ``kind``: size, type by content, type allowed, extension agrees.

    Returns ``Detected`` (with the bytes read); raises ValidationError with a message for the
    form field.
    """
    kind = FileKind(kind)
    name = sanitise_name(getattr(uploaded_file, "name", ""))
    data = read_upload(uploaded_file, kind)
    detected = detect_type(data, name, kind)
    if detected.code not in KIND_TYPES[kind]:
        raise ValidationError(
            _("%(type)s files are not accepted here. Accepted: %(allowed)s.")
            % {"type": detected.file_type.label, "allowed": allowed_description(kind)},
            code="type_not_allowed",
        )
    extension = extension_of(name)
    if extension not in detected.file_type.extensions:
        raise ValidationError(
            _("The file name ends in “%(ext)s” but the content is %(type)s. Rename the file to "
              "%(expected)s or choose the right one.")
            % {"ext": extension or _("(no extension)"), "type": detected.file_type.label,
               "expected": " / ".join(detected.file_type.extensions)},
            code="extension_mismatch",
        )
    return detected
