"""Links the awards app offers on the demand pages (``demands.hooks.register_links``): the
demand's awards the user may open, and "Make an award" on each finished live round for the
unit's staff."""

from django.urls import reverse
from django.utils.translation import gettext as _

from contests.permissions import is_host_staff_of
from demands.models import Demand
from matching.enums import RoundState
from matching.models import LiveRound

from .selectors import awards_visible_to


def demand_links(user, *, ref, demand=None, page):
    if page != "private" or user is None or not user.is_authenticated:
        return []
    if not isinstance(demand, Demand):
        demand = Demand.objects.filter(ref=ref).only("pk", "host_unit_id").first()
    if demand is None:
        return []
    links = [(_("Award: %(title)s") % {"title": award.title}, award.get_absolute_url())
             for award in awards_visible_to(user).filter(demand=demand).only("pk", "title")]
    from matching.enums import AgreementState
    from matching.selectors import agreements_visible_to

    links += [(_("Register a technology contract"),
               reverse("awards:contract_create", args=[agreement.pk]))
              for agreement in agreements_visible_to(user).filter(
                  demand=demand, state=AgreementState.CONFIRMED).only("pk")]
    if is_host_staff_of(user, demand.host_unit_id):
        links += [(_("Make an award: %(title)s") % {"title": live_round.title},
                   reverse("awards:create", args=[live_round.pk]))
                  for live_round in LiveRound.objects.filter(
                      demand=demand, state=RoundState.FINISHED).only("pk", "title")]
    return links
