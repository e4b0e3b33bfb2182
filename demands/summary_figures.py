"""The demands' figures in the host units' summary reports (``contests.summary``): counted as
the dashboards' funnel counts them, so a report and the dashboard agree."""

from django.utils.translation import gettext_lazy as _

from .models import Demand
from .selectors import _REACHED_HOST


def collected(host_unit):
    """Demands that reached the unit: submitted by their company or entered by its staff."""
    return Demand.objects.filter(host_unit=host_unit).filter(_REACHED_HOST).count()


def published(host_unit):
    return Demand.objects.filter(host_unit=host_unit, published_at__isnull=False).count()


def register():
    from contests.summary import register_figure

    register_figure("demands_collected", _("Demands collected"), collected, order=10)
    register_figure("demands_published", _("Demands published"), published, order=20)
