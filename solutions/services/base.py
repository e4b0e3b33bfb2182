"""Shared pieces of the solutions services: the error, the deadline and the notifications."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.enums import MembershipState
from accounts.models import Membership
from common.errors import DomainError
from demands.enums import DemandStatus
from notifications.services import notify_many

CONTEST_TZ = ZoneInfo("Asia/Shanghai")


class SolutionError(DomainError):
    """A refused operation on a solution or a clarification; the message is for the user."""


def deadline_end(demand):
    """The moment the demand stops taking solutions: the end of its deadline day in
    Asia/Shanghai (the first instant of the next day), or None without a deadline."""
    if demand.solution_deadline is None:
        return None
    next_day = demand.solution_deadline + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time.min, tzinfo=CONTEST_TZ)


def deadline_passed(demand, now=None):
    end = deadline_end(demand)
    return end is not None and (now or timezone.now()) >= end


def accepting(demand, now=None):
    """Whether the demand takes new and changed solutions now."""
    return demand.status == DemandStatus.PUBLISHED and not deadline_passed(demand, now)


def member_ids(organisation_id):
    return list(Membership.objects.filter(organisation_id=organisation_id,
                                          state=MembershipState.ACTIVE, user__is_active=True)
                .values_list("user_id", flat=True))


def notify_ids(user_ids, *, kind, key, context, url, obj, skip=None):
    ids = [pk for pk in dict.fromkeys(user_ids) if skip is None or pk != skip.pk]
    if ids:
        notify_many(recipient_ids=ids, kind=kind, context=context, idempotency_key=key,
                    url=url, obj=obj)
