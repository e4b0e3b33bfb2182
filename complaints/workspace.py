"""The complaints section of the workspace dashboard (``accounts.workspace``)."""

from django.utils import timezone

from accounts.workspace import register_section

from . import selectors
from .enums import OPEN_STATES


def complaints_context(request):
    user = request.user
    mine = selectors.complaints_visible_to(user).filter(complainant=user)
    handled = selectors.complaints_handled_by(user)
    against = selectors.complaints_against(user)
    handles = handled.exists()
    if not (mine.exists() or handles or against.exists()):
        return {"empty": True}
    return {
        "mine_open": mine.filter(state__in=OPEN_STATES).count(),
        "against": against.filter(state__in=OPEN_STATES).count(),
        "handles": handles,
        "handled_open": handled.filter(state__in=OPEN_STATES).count() if handles else 0,
        "overdue": selectors.overdue(handled, today=timezone.localdate()).count()
        if handles else 0,
    }


def register():
    register_section("complaints", "complaints/workspace_section.html", complaints_context,
                     order=80)
