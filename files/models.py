import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import FILE_TYPES, FileKind


def storage_path(instance, filename):
    """``<kind>/<year>/<month>/<uuid><ext>``: the uploader's file name never reaches the
    storage (it is kept, sanitised, in ``original_name``); the extension is the one of the
    detected type."""
    extension = PurePosixPath(filename).suffix.lower()
    if instance.detected_code and instance.detected_code in FILE_TYPES:
        extension = FILE_TYPES[instance.detected_code].extensions[0]
    return f"{instance.kind}/{timezone.now():%Y/%m}/{instance.uuid.hex}{extension}"


class PrivateFile(models.Model):
    """An uploaded file, stored in the private storage and served only by ``files:download``
    after a permission check. Create them with ``files.services.store_upload``."""

    uuid = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=storage_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=FileKind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="private_files", verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    public_safe = models.BooleanField(
        _("cleaned for the public"), default=False,
        help_text=_("Metadata (EXIF, author, company) was removed so it may be shown publicly."),
    )
    # The object the file belongs to (a demand, a solution...); empty until attached.
    object_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("attached to type"),
    )
    object_id = models.PositiveBigIntegerField(_("attached to id"), null=True, blank=True)
    content_object = GenericForeignKey("object_type", "object_id")

    class Meta:
        verbose_name = _("private file")
        verbose_name_plural = _("private files")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="files_object_idx")]

    detected_code = ""  # set by store_upload before saving, read by storage_path

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("files:download", args=[self.uuid])

    @property
    def extension(self):
        return PurePosixPath(self.original_name).suffix.lower()
