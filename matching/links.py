"""The links the matching app offers on the demand pages (``demands.hooks.register_links``):
the demand's live rounds the user may open, and "New live round" for the unit's staff."""

from django.urls import reverse
from django.utils.translation import gettext as _

from demands.models import Demand
from solutions.enums import SolutionStatus
from solutions.models import Solution

from . import permissions, selectors
from .models import LiveRound


def demand_links(user, *, ref, demand=None, page):
    if not isinstance(demand, Demand):
        demand = Demand.objects.filter(ref=ref).only("pk", "ref", "host_unit_id",
                                                     "organisation_id").first()
    if demand is None:
        return []
    visible = selectors.public_rounds().filter(demand=demand).values("pk")
    if user is not None and user.is_authenticated:
        mine = selectors.rounds_visible_to(user).filter(demand=demand).values("pk")
        rounds = LiveRound.objects.filter(pk__in=visible) | LiveRound.objects.filter(
            pk__in=mine)
    else:
        rounds = LiveRound.objects.filter(pk__in=visible)
    links = [(_("Live round: %(title)s") % {"title": live_round.title},
              live_round.get_absolute_url())
             for live_round in rounds.only("pk", "title").order_by("starts_at", "pk")]
    if (page == "private" and permissions.is_host_staff_of_demand(user, demand)
            and Solution.objects.filter(demand=demand,
                                        status=SolutionStatus.SHORTLISTED).count() >= 2):
        links.append((_("New live round"), reverse("matching:round_create", args=[demand.ref])))
    return links
