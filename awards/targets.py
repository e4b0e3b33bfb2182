"""The award as a complaint target (``common.references``): complaints may not import awards,
so awards registers it from its own ``ready()``."""

from django.utils.translation import gettext_lazy as _

from accounts.enums import MembershipState
from accounts.models import Membership
from common.references import ComplaintTarget, register_complaint_target
from contests.permissions import staffed_host_unit_ids

from .selectors import awards_visible_to


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def _award(user, reference):
    """An award the user may see (payer's and recipient's members, the unit's staff, Torch)."""
    reference = str(reference).strip()
    if not reference.isdigit() or not _active(user):
        return None
    return awards_visible_to(user).filter(pk=int(reference)).first()


def _sides(award):
    """Both sides answer for an award: the payer and the recipient."""
    return set(Membership.objects.filter(
        organisation_id__in=[award.payer_id, award.recipient_id], state=MembershipState.ACTIVE,
        user__is_active=True).values_list("user_id", flat=True))


def _not_its_staff(user, award):
    return _active(user) and award.host_unit_id not in staffed_host_unit_ids(user)


def register():
    register_complaint_target(ComplaintTarget(
        key="awards.award", label=_("an award"), model="awards.Award",
        resolve=_award, reference_of=lambda award: str(award.pk),
        describe=lambda award: f"{award.title} · {award.recipient.name}",
        # The unit that proposed it handles the complaint (every award has one).
        host_unit_of=lambda award: award.host_unit_id, parties_of=_sides,
        may_complain=_not_its_staff,
        help_text=_("The award's number, as in its page address (/awards/<number>/)."),
        order=70,
    ))
