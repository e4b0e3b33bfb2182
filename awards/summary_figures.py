"""The awards' figures in the host units' summary reports (``contests.summary``): awards made
by the unit and their amount, technology contracts registered. Subsidies are not built in
this app yet; their figures are registered here once they are."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from .models import Award, TechnologyContract


def awards(host_unit):
    return Award.objects.filter(host_unit=host_unit).count()


def award_amount(host_unit):
    """The total of the unit's awards (万元), paid or not."""
    total = Award.objects.filter(host_unit=host_unit).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def contracts(host_unit):
    return TechnologyContract.objects.filter(host_unit=host_unit).count()


def register():
    from contests.summary import register_figure

    register_figure("awards", _("Awards"), awards, order=80)
    register_figure("award_amount", _("Amount of awards"), award_amount, order=81,
                    unit=_("10k yuan"))
    register_figure("contracts", _("Technology contracts"), contracts, order=90)
