from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FileKind(models.TextChoices):
    ATTACHMENT = "attachment", pgettext_lazy("file kind", "Attachment")
    IMAGE = "image", pgettext_lazy("file kind", "Image")
    IMPORT = "import", pgettext_lazy("file kind", "Import file")
    AGREEMENT = "agreement", pgettext_lazy("file kind", "Signed agreement")


@dataclass(frozen=True)
class FileType:
    code: str
    mime: str
    extensions: tuple
    label: str


# Every type the portal accepts, recognised by content (validators.detect_type), never by name.
FILE_TYPES = {
    t.code: t
    for t in (
        FileType("pdf", "application/pdf", (".pdf",), _("PDF")),
        FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 (".docx",), _("Word (.docx)")),
        FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 (".xlsx",), _("Excel (.xlsx)")),
        FileType("pptx",
                 "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                 (".pptx",), _("PowerPoint (.pptx)")),
        FileType("doc", "application/msword", (".doc",), _("Word 97-2003 (.doc)")),
        FileType("xls", "application/vnd.ms-excel", (".xls",), _("Excel 97-2003 (.xls)")),
        FileType("png", "image/png", (".png",), _("PNG image")),
        FileType("jpeg", "image/jpeg", (".jpg", ".jpeg"), _("JPEG image")),
        FileType("webp", "image/webp", (".webp",), _("WebP image")),
        FileType("txt", "text/plain", (".txt",), _("plain text (.txt)")),
        FileType("csv", "text/csv", (".csv",), _("CSV")),
    )
}

KIND_TYPES = {
    FileKind.ATTACHMENT: ("pdf", "docx", "xlsx", "pptx", "doc", "xls", "png", "jpeg", "txt",
                          "csv"),
    FileKind.IMAGE: ("png", "jpeg", "webp"),
    FileKind.IMPORT: ("xlsx", "xls", "csv"),
    FileKind.AGREEMENT: ("pdf", "png", "jpeg"),
}

MB = 1024 * 1024
# Defaults for settings.FILE_LIMITS (bytes per kind).
DEFAULT_FILE_LIMITS = {
    FileKind.ATTACHMENT: 20 * MB,
    FileKind.IMAGE: 5 * MB,
    FileKind.IMPORT: 10 * MB,
    FileKind.AGREEMENT: 10 * MB,
}

IMAGE_TYPES = ("png", "jpeg", "webp")
OOXML_TYPES = ("docx", "xlsx", "pptx")
OLE_TYPES = ("doc", "xls")
TEXT_TYPES = ("txt", "csv")
