"""What the awards app's services share: the refusal they raise, whom they tell, how an amount
is read."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.enums import MembershipState
from accounts.models import Membership
from common.errors import DomainError


class AwardError(DomainError):
    default_code = "award_refused"


def _members(*organisation_ids):
    return set(Membership.objects.filter(organisation_id__in=organisation_ids,
                                         state=MembershipState.ACTIVE, user__is_active=True)
               .values_list("user_id", flat=True))


def _host_staff(host_unit_id):
    from contests.models import HostMembership

    return set(HostMembership.objects.filter(host_unit_id=host_unit_id)
               .values_list("user_id", flat=True))


def _amount(value, field):
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise AwardError(_("Give an amount."), field=field) from None
    if not amount.is_finite() or amount <= 0:
        raise AwardError(_("The amount must be above zero."), field=field)
    return amount
