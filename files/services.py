"""Every write to private files: storing an upload, attaching it to its object and removing
it."""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import log_action

from .enums import FileKind
from .metadata import strip_metadata
from .models import PrivateFile
from .validators import sanitise_name, validate_upload


@transaction.atomic
def store_upload(uploaded_file, *, kind, uploaded_by, attach_to=None, public_safe=False):
    """Validate and store an upload; return the new ``PrivateFile``.

    The type is recognised by content and must be one ``kind`` accepts, with a matching
    extension and within ``settings.FILE_LIMITS[kind]``; otherwise a ``ValidationError`` says
    why. With ``public_safe`` the file is rewritten without personal metadata (EXIF, PDF and
    Office author fields) before it is stored. ``attach_to`` attaches it to its object at once.
    """
    kind = FileKind(kind)
    detected = validate_upload(uploaded_file, kind)
    data = strip_metadata(detected.code, detected.data) if public_safe else detected.data
    private_file = PrivateFile(
        kind=kind,
        original_name=sanitise_name(uploaded_file.name),
        content_type=detected.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=uploaded_by,
        public_safe=public_safe,
    )
    if attach_to is not None:
        _set_object(private_file, attach_to)
    private_file.detected_code = detected.code
    # The storage write is not part of the transaction: if the transaction rolls back, the
    # stored bytes stay behind unreferenced (never served, since nothing points at them).
    private_file.file.save(private_file.uuid.hex, ContentFile(data), save=False)
    private_file.save()
    log_action("portal.file.upload", actor=uploaded_by, obj=private_file, data={
        "kind": kind.value, "size": private_file.size, "content_type": detected.content_type,
        "sha256": private_file.sha256, "public_safe": public_safe,
        "attached_to": _object_label(attach_to),
    })
    return private_file


@transaction.atomic
def attach(private_file, obj, *, actor=None):
    """Attach a stored file to the object it belongs to (once; moving it is refused)."""
    private_file = PrivateFile.objects.select_for_update().get(pk=private_file.pk)
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    if private_file.object_id is not None:
        if (private_file.object_type_id, private_file.object_id) == (content_type.pk, obj.pk):
            return private_file
        raise ValidationError(_("This file already belongs to another record."),
                              code="already_attached")
    _set_object(private_file, obj)
    private_file.save(update_fields=["object_type", "object_id"])
    log_action("portal.file.attach", actor=actor, obj=private_file,
               data={"attached_to": _object_label(obj)})
    return private_file


@transaction.atomic
def detach_file(private_file, *, actor, request=None):
    """Remove an attached file for good: its row now, its stored bytes once the transaction
    commits. Returns the removed (unsaved) ``PrivateFile``.

    Only whoever may change the object the file is attached to may
    (``files.remove_privatefile``); anyone else, or a file attached to nothing, gets a
    ``ValidationError``. The audit entry keeps the name, size and hash of what was removed.
    This function knows nothing of the object: an object with a public projection (a demand)
    is removed from through its own service, which refreshes that projection.
    """
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to object_type.
    private_file = (PrivateFile.objects.select_for_update(of=("self",))
                    .select_related("object_type").get(pk=private_file.pk))
    if private_file.object_id is None:
        raise ValidationError(_("This file is not attached to anything."), code="not_attached")
    if not actor.has_perm("files.remove_privatefile", private_file):
        raise ValidationError(_("You may not remove this file."), code="not_allowed")
    log_action("portal.file.remove", actor=actor, obj=private_file, request=request, data={
        "name": private_file.original_name, "kind": private_file.kind,
        "size": private_file.size, "sha256": private_file.sha256,
        "attached_to": _object_label(private_file.content_object),
    })
    storage, name = private_file.file.storage, private_file.file.name
    private_file.delete()
    # After commit only: a rollback must find the bytes still there for the row it restores.
    # Robust: the removal stands even when the storage fails (the bytes stay orphaned, as after
    # a rolled-back upload, and are never served).
    transaction.on_commit(lambda: storage.delete(name), robust=True)
    return private_file


def _set_object(private_file, obj):
    if obj.pk is None:
        raise ValueError("attach the file to a saved object")
    private_file.object_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    private_file.object_id = obj.pk


def _object_label(obj):
    if obj is None:
        return None
    return f"{obj._meta.label_lower}:{obj.pk}"
