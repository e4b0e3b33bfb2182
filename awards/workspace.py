"""The awards section of the workspace dashboard (``accounts.workspace``)."""

from accounts.workspace import register_section
from contests.permissions import staffed_host_unit_ids

from .enums import AwardState
from .selectors import (
    awards_visible_to,
    contracts_visible_to,
    follow_ups_visible_to,
    own_subsidy_applications,
)


def awards_context(request):
    awards = awards_visible_to(request.user)
    return {"open_awards": awards.exclude(state=AwardState.RECEIVED).count(),
            "has_awards": awards.exists(),
            "has_contracts": contracts_visible_to(request.user).exists(),
            "has_follow_ups": follow_ups_visible_to(request.user).exists(),
            "has_subsidies": own_subsidy_applications(request.user).exists(),
            "is_unit_staff": bool(staffed_host_unit_ids(request.user))}


def register():
    register_section("awards", "awards/workspace.html", awards_context, order=65)
