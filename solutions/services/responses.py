"""Responses to published demands: the one record that says a demand was answered."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import log_action

from ..enums import ResponseKind
from ..models import DemandResponse


def record_response(demand, *, kind, source_ref, actor=None, at=None):
    """Record that ``demand`` was answered by ``source_ref`` (``"app.Model:pk"``) and return the
    ``DemandResponse``. Idempotent on ``(kind, source_ref)``: recording the same source again
    returns the existing row and writes nothing."""
    kind = ResponseKind(kind)
    existing = DemandResponse.objects.filter(kind=kind, source_ref=source_ref).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            response = DemandResponse.objects.create(
                demand=demand, kind=kind, source_ref=source_ref, actor=actor,
                at=at or timezone.now())
            log_action("portal.solutions.response_recorded", actor=actor, obj=demand,
                       data={"kind": kind.value, "source": source_ref})
    except IntegrityError:
        # A concurrent call recorded it first.
        return DemandResponse.objects.get(kind=kind, source_ref=source_ref)
    return response
