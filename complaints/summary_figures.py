"""The complaints' figure in the host units' summary reports (``contests.summary``): the
complaints the unit received, as on the host scorecard."""

from django.utils.translation import gettext_lazy as _

from .models import Complaint


def complaints(host_unit):
    return Complaint.objects.filter(host_unit=host_unit).count()


def register():
    from contests.summary import register_figure

    register_figure("complaints", _("Complaints received"), complaints, order=110)
