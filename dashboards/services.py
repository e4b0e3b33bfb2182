"""Writes of the dashboards app: host evaluations and training. One function per change, each
with its audit entry (and notifications) in the same transaction."""

from django.db import transaction
from django.utils.translation import gettext

from accounts.permissions import is_torch_staff
from audit.services import log_action
from common.errors import DomainError
from contests.models import HostMembership
from files.enums import FileKind
from files.services import store_upload
from notifications.services import notify_many

from .models import (
    HostEvaluation,
    MaterialRead,
    SessionAttendance,
    TrainingMaterial,
    TrainingSession,
)


class DashboardError(DomainError):
    pass


def _torch_only(actor):
    if not is_torch_staff(actor):
        raise DashboardError(gettext("Only Torch Center staff may do this."),
                             code="permission_denied")


def host_staff_ids():
    return list(HostMembership.objects.values_list("user_id", flat=True).distinct())


def evaluate_host(host_unit, *, actor, rating, comments, request=None):
    """Torch staff rate a host unit and comment (replacing their earlier evaluation)."""
    _torch_only(actor)
    if rating not in range(1, 6):
        raise DashboardError(gettext("Rate from 1 to 5."), field="rating")
    with transaction.atomic():
        evaluation, _created = HostEvaluation.objects.update_or_create(
            host_unit=host_unit,
            defaults={"rating": rating, "comments": (comments or "").strip(),
                      "evaluated_by": actor})
        log_action("portal.dashboards.evaluate_host", actor=actor, obj=host_unit,
                   request=request, data={"rating": rating})
    return evaluation


def publish_material(*, actor, title, description, upload, request=None):
    _torch_only(actor)
    with transaction.atomic():
        material = TrainingMaterial.objects.create(title=title.strip(),
                                                   description=(description or "").strip(),
                                                   published_by=actor)
        if upload:
            store_upload(upload, kind=FileKind.ATTACHMENT, uploaded_by=actor,
                         attach_to=material)
        log_action("portal.training.publish_material", actor=actor, obj=material,
                   request=request)
        ids = host_staff_ids()
        if ids:
            notify_many(recipient_ids=ids, kind="training.published",
                        context={"title": material.title},
                        idempotency_key=f"training:material:{material.pk}", obj=material,
                        url="/dashboards/training/")
    return material


def schedule_session(*, actor, title, description, starts_at, place, request=None):
    _torch_only(actor)
    with transaction.atomic():
        session = TrainingSession.objects.create(
            title=title.strip(), description=(description or "").strip(), starts_at=starts_at,
            place=place.strip(), created_by=actor)
        log_action("portal.training.schedule_session", actor=actor, obj=session,
                   request=request)
        ids = host_staff_ids()
        if ids:
            notify_many(recipient_ids=ids, kind="training.published",
                        context={"title": session.title},
                        idempotency_key=f"training:session:{session.pk}", obj=session,
                        url="/dashboards/training/")
    return session


def mark_read(material, *, user):
    """A host staff member has read the material (once; later reads change nothing)."""
    with transaction.atomic():
        read, created = MaterialRead.objects.get_or_create(material=material, user=user)
        if created:
            log_action("portal.training.read", actor=user, obj=material)
    return read


def register_for(session, *, user):
    with transaction.atomic():
        attendance, created = SessionAttendance.objects.get_or_create(session=session,
                                                                      user=user)
        if created:
            log_action("portal.training.register", actor=user, obj=session)
    return attendance


def record_attendance(session, *, actor, attended_user_ids, request=None):
    """Torch staff record who attended: those listed attended, the other registered did not;
    someone listed who had not registered is added."""
    _torch_only(actor)
    attended_user_ids = set(attended_user_ids)
    with transaction.atomic():
        existing = set(session.attendances.values_list("user_id", flat=True))
        SessionAttendance.objects.bulk_create(
            [SessionAttendance(session=session, user_id=pk)
             for pk in attended_user_ids - existing])
        session.attendances.filter(user_id__in=attended_user_ids).update(attended=True)
        session.attendances.exclude(user_id__in=attended_user_ids).update(attended=False)
        log_action("portal.training.attendance", actor=actor, obj=session, request=request,
                   data={"attended": len(attended_user_ids)})
