import logging
from urllib.parse import quote

import rules
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe

from audit.services import log_action, log_denied

from .models import PrivateFile

logger = logging.getLogger("portal.files")


def content_disposition(name):
    """``attachment`` with an ASCII fallback and the real (e.g. Chinese) name in RFC 6266's
    ``filename*``."""
    fallback = "".join(ch for ch in name if 32 <= ord(ch) < 127 and ch not in '"\\;%')
    stem = fallback.rsplit(".", 1)[0].strip(" ._-")
    if not stem:
        extension = fallback.rsplit(".", 1)[1] if "." in fallback else ""
        fallback = f"download.{extension}" if extension else "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@require_safe
def download(request, key):
    """Stream a private file to whoever may see it; anyone else gets the same 404 as for a
    key that does not exist."""
    private_file = PrivateFile.objects.select_related("object_type").filter(uuid=key).first()
    # The rule itself, not ``user.has_perm``, which lets a superuser open anything: a company's
    # draft and its attachments are its own until submitted, for everyone.
    if private_file is None or not rules.has_perm("files.view_privatefile", request.user,
                                                  private_file):
        log_denied(request, obj=private_file, data={"file": str(key)})
        raise Http404
    accel = settings.PRIVATE_FILES_ACCEL_REDIRECT
    if accel and isinstance(private_file.file.storage, FileSystemStorage):
        # nginx sends the bytes from its internal location (deploy/nginx/portal.conf).
        if not private_file.file.storage.exists(private_file.file.name):
            logger.error("private file %s is missing from storage", private_file.uuid)
            raise Http404
        response = HttpResponse(content_type=private_file.content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(private_file.file.name)
    else:
        try:
            handle = private_file.file.open("rb")
        except OSError as error:
            logger.error("private file %s is missing from storage: %s", private_file.uuid,
                         error)
            raise Http404 from error
        response = FileResponse(handle, content_type=private_file.content_type)
    log_action("portal.file.download", request=request, obj=private_file)
    response["Content-Disposition"] = content_disposition(private_file.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
