"""What the live-round services share: the refusal they raise and whom they tell."""

from django.utils import timezone

from accounts.enums import MembershipState
from accounts.models import Membership
from notifications.services import notify_many

from .. import permissions
from .base import MatchingError


class RoundError(MatchingError):
    default_code = "round_refused"


def _tell(live_round, user_ids, key, message):
    notify_many(
        recipient_ids=sorted(set(user_ids)),
        kind="matching.live_round",
        context={
            "title": live_round.title,
            "message": str(message),
            "starts_at": timezone.localtime(live_round.starts_at).strftime("%Y-%m-%d %H:%M"),
        },
        idempotency_key=f"round:{live_round.pk}:{key}",
        url=live_round.get_absolute_url(),
        obj=live_round,
    )


def _members(organisation_ids):
    return set(
        Membership.objects.filter(
            organisation_id__in=organisation_ids, state=MembershipState.ACTIVE, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _parties(live_round):
    return _members(permissions.round_organisation_ids(live_round))

