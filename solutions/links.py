"""The links the solutions app offers on the demand pages (``demands.hooks.register_links``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import is_challenger
from demands.enums import PUBLIC_STATES, DemandStatus
from demands.models import Demand

from . import permissions
from .enums import LIVE_STATES
from .models import Solution


def demand_links(user, *, ref, demand=None, page):
    if not isinstance(demand, Demand):
        demand = None
    if demand is None:
        demand = (Demand.objects.filter(ref=ref, status__in=PUBLIC_STATES)
                  .only("pk", "ref", "status", "organisation_id", "host_unit_id").first())
    if demand is None or demand.status not in PUBLIC_STATES:
        return []
    links = [(_("Questions and answers"), reverse("solutions:questions", args=[ref]))]
    if user is None or not user.is_authenticated:
        return links
    if page == "private" and permissions.can_review_solutions_of(user, demand):
        count = Solution.objects.filter(demand=demand, submitted_at__isnull=False).count()
        links.insert(0, (_("Solutions (%(count)d)") % {"count": count},
                         reverse("solutions:demand_list", args=[ref])))
    if is_challenger(user):
        mine = (Solution.objects.filter(demand=demand, status__in=LIVE_STATES,
                                        organisation__memberships__user=user)
                .values_list("pk", flat=True).first())
        if mine:
            links.insert(0, (_("My solution"), reverse("solutions:detail", args=[mine])))
        elif demand.status == DemandStatus.PUBLISHED and demand.organisation_id not in set(
                user.memberships.values_list("organisation_id", flat=True)):
            links.insert(0, (_("Submit a solution"), reverse("solutions:create", args=[ref])))
    return links
