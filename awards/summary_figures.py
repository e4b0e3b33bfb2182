"""The awards' figures in the host units' summary reports (``contests.summary``): awards made
by the unit and their amount, subsidies approved and their amount, technology contracts
registered."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from .models import Award, TechnologyContract
from .selectors import subsidies_approved


def awards(host_unit):
    return Award.objects.filter(host_unit=host_unit).count()


def award_amount(host_unit):
    """The total of the unit's awards (万元), paid or not."""
    total = Award.objects.filter(host_unit=host_unit).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def subsidies(host_unit):
    return subsidies_approved([host_unit])["count"]


def subsidy_amount(host_unit):
    """The total approved subsidies of the unit (万元)."""
    return subsidies_approved([host_unit])["amount"]


def contracts(host_unit):
    return TechnologyContract.objects.filter(host_unit=host_unit).count()


def register():
    from contests.summary import register_figure

    register_figure("awards", _("Awards"), awards, order=80)
    register_figure("award_amount", _("Amount of awards"), award_amount, order=81,
                    unit=_("10k yuan"))
    register_figure("subsidies", _("Subsidies approved"), subsidies, order=85)
    register_figure("subsidy_amount", _("Amount of subsidies approved"), subsidy_amount,
                    order=86, unit=_("10k yuan"))
    register_figure("contracts", _("Technology contracts"), contracts, order=90)
