"""The solutions' figures in the host units' summary reports (``contests.summary``), counted
as the dashboards' funnel counts them."""

from django.utils.translation import gettext_lazy as _

from demands.models import Demand

from .enums import SolutionStatus
from .models import Solution
from .selectors import answered


def demands_answered(host_unit):
    """The unit's demands with at least one response (每个需求都有回应)."""
    return answered(Demand.objects.filter(host_unit=host_unit)).count()


def solutions(host_unit):
    """Solutions submitted to the unit's demands (drafts are the challenger's own)."""
    return (Solution.objects.filter(demand__host_unit=host_unit, submitted_at__isnull=False)
            .exclude(status=SolutionStatus.DRAFT).count())


def register():
    from contests.summary import register_figure

    register_figure("demands_answered", _("Demands answered"), demands_answered, order=30)
    register_figure("solutions", _("Solutions"), solutions, order=40)
