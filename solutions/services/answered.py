"""每个需求都有回应: host staff's written responses, and the working-day reminder of overdue
unanswered demands."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from audit.services import log_action
from common.workdays import is_working_day
from contests.models import HostMembership, HostUnit
from demands.enums import PUBLIC_STATES

from .. import permissions
from ..enums import ResponseKind
from ..models import HostResponse, ReminderSent
from .base import SolutionError, notify_ids
from .responses import record_response


def respond_as_host(demand, *, actor, text, request=None):
    """Host staff write a response to a published demand; it counts as an answer."""
    text = (text or "").strip()
    if not text:
        raise SolutionError(gettext("Write the response."), code="empty", field="text")
    if not permissions.demand_permissions.is_host_staff_of_demand(actor, demand):
        raise SolutionError(gettext("Only the demand's host unit may respond here."),
                            code="denied")
    if demand.status not in PUBLIC_STATES:
        raise SolutionError(gettext("Only published demands are answered."), code="not_open")
    with transaction.atomic():
        response = HostResponse.objects.create(demand=demand, author=actor, text=text)
        record_response(demand, kind=ResponseKind.HOST_RESPONSE,
                        source_ref=f"solutions.HostResponse:{response.pk}", actor=actor,
                        at=response.created_at)
        log_action("portal.solutions.host_response", actor=actor, obj=demand, request=request,
                   data={"response": response.pk})
    return response


def remind_overdue(*, now=None):
    """The beat task: on a working day, tell each host unit's staff how many of its published
    demands are unanswered past the unit's response deadline; once per unit and day. Returns
    the number of units reminded."""
    from ..selectors import overdue_for_unit

    now = now or timezone.now()
    today = timezone.localdate(now)
    if not is_working_day(today):
        return 0
    reminded = 0
    for unit in HostUnit.objects.order_by("pk"):
        overdue = overdue_for_unit(unit, now=now)
        count = overdue.count()
        if not count:
            continue
        staff = list(HostMembership.objects.filter(host_unit=unit, user__is_active=True)
                     .values_list("user_id", flat=True))
        try:
            with transaction.atomic():
                ReminderSent.objects.create(host_unit=unit, day=today, overdue=count)
                oldest = overdue.order_by("published_at").values_list("ref", flat=True)[:5]
                notify_ids(staff, kind="solution.overdue", key=f"overdue:{unit.pk}:{today}",
                           url=reverse("solutions:board"), obj=unit,
                           context={"unit": unit.name, "count": count,
                                    "refs": "、".join(oldest),
                                    "days": unit.response_deadline_days})
                log_action("portal.solutions.overdue_reminder", obj=unit,
                           data={"overdue": count, "day": today.isoformat()})
        except IntegrityError:
            continue  # already reminded today
        reminded += 1
    return reminded


__all__ = ["is_working_day", "remind_overdue", "respond_as_host"]
