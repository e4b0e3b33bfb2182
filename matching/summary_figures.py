"""Matching's figures in the host units' summary reports (``contests.summary``): docking
sessions held or planned (not cancelled), confirmed intention agreements, live rounds —
counted as the dashboards' funnel counts them."""

from django.utils.translation import gettext_lazy as _

from .enums import AgreementState, DockingState
from .models import DockingSession, IntentionAgreement, LiveRound


def dockings(host_unit):
    return DockingSession.objects.filter(host_unit=host_unit).exclude(
        state=DockingState.CANCELLED).count()


def agreements(host_unit):
    return IntentionAgreement.objects.filter(demand__host_unit=host_unit,
                                             state=AgreementState.CONFIRMED).count()


def live_rounds(host_unit):
    return LiveRound.objects.filter(host_unit=host_unit).count()


def register():
    from contests.summary import register_figure

    register_figure("dockings", _("Docking sessions"), dockings, order=50)
    register_figure("agreements", _("Intention agreements"), agreements, order=60)
    register_figure("live_rounds", _("Live rounds"), live_rounds, order=70)
