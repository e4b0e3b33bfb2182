"""Service requests: asked of a host unit, assigned to a service agency, completed, rated once."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import log_action
from common.workflow import Workflow
from notifications.services import notify_many

from .. import permissions
from ..enums import SERVICE_EDGES, ServiceState
from ..models import ServiceRequest, ServiceRequestTransition
from .base import AwardError, _host_staff, _members

SERVICE_WORKFLOW = Workflow(
    model=ServiceRequest, states=ServiceState, edges=SERVICE_EDGES, permissions=permissions,
    history=ServiceRequestTransition, audit="portal.awards.service",
    messages={"illegal": gettext_lazy("The request is not at this step."),
              "denied": gettext_lazy("You may not take this step of the request.")},
    error=AwardError)


def _tell_service(service, user_ids, key, message):
    notify_many(recipient_ids=sorted(set(user_ids)), kind="awards.service",
                context={"kind": str(service.get_kind_display()), "message": str(message)},
                idempotency_key=f"service:{service.pk}:{key}",
                url=service.get_absolute_url(), obj=service)


def ask_service(*, host_unit, kind, description, actor, request=None):
    """Any signed-in participant asks a host unit for one of the five services."""
    from ..enums import ServiceKind

    if kind not in ServiceKind.values:
        raise AwardError(_("Choose a service."), field="kind")
    description = (description or "").strip()
    if not description:
        raise AwardError(_("Say what you need."), field="description")
    with transaction.atomic():
        service = ServiceRequest.objects.create(host_unit=host_unit, kind=kind,
                                                description=description, requester=actor)
        log_action("portal.awards.service.ask", actor=actor, obj=service,
                   data={"kind": kind, "host_unit": host_unit.pk}, request=request)
        _tell_service(service, _host_staff(host_unit.pk), "asked",
                      _("A new service request awaits assignment."))
    return service


def assign_service(service, provider, *, actor, request=None):
    """Host staff assign the request to a provider (a service agency)."""
    from accounts.enums import OrganisationKind

    if provider.kind != OrganisationKind.SERVICE_AGENCY:
        raise AwardError(_("The provider is a service agency."), field="provider")
    with transaction.atomic():
        locked = SERVICE_WORKFLOW.transition(service, "assign", actor=actor,
                                                request=request, provider=provider,
                                                assigned_by=actor,
                                                data={"provider": provider.pk})
        _tell_service(locked, _members(provider.pk) | {locked.requester_id}, "assigned",
                      _("The request is assigned to %(name)s.") % {"name": provider.name})
    service.refresh_from_db()
    return service


def complete_service(service, *, outcome, actor, request=None):
    outcome = (outcome or "").strip()
    if not outcome:
        raise AwardError(_("Describe the outcome."), field="outcome")
    with transaction.atomic():
        locked = SERVICE_WORKFLOW.transition(service, "complete", actor=actor,
                                                request=request, outcome=outcome)
        _tell_service(locked, {locked.requester_id}, "completed",
                      _("The service is completed; please rate it."))
    service.refresh_from_db()
    return service


def rate_service(service, *, rating, comment, actor, request=None):
    """The requester rates a completed service (1–5), once."""
    if service.requester_id != actor.pk:
        raise AwardError(_("Only the requester rates the service."), code="permission_denied")
    if rating not in range(1, 6):
        raise AwardError(_("Rate from 1 to 5."), field="rating")
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=service.pk)
        if locked.state != ServiceState.COMPLETED:
            raise AwardError(_("Only a completed service is rated."), code="state")
        if locked.rating is not None:
            raise AwardError(_("You have rated this service already."), code="rated")
        locked.rating, locked.rating_comment = rating, (comment or "").strip()
        locked.save(update_fields=["rating", "rating_comment", "updated_at"])
        log_action("portal.awards.service.rate", actor=actor, obj=locked,
                   data={"rating": rating}, request=request)
    service.refresh_from_db()
    return service
