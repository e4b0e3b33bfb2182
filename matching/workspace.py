"""The matching section of the workspace dashboard (see ``accounts.workspace``): achievements,
invitations received, commissions and agreements, each counted in one query."""

from django.utils import timezone

from accounts.permissions import is_torch_staff
from accounts.workspace import register_section
from contests.permissions import is_host_staff

from . import selectors
from .enums import AgreementState, DockingState, InvitationState


def matching_context(request):
    user = request.user
    commissions = selectors.commissions_visible_to(user)
    context = {
        "achievement_count": selectors.achievements_of_user(user).count(),
        "open_invitations": selectors.invitations_received_by(user).filter(
            state=InvitationState.SENT).count(),
        "open_agreements": selectors.agreements_visible_to(user).filter(
            state=AgreementState.DRAFT).count(),
        "may_see_commissions": is_host_staff(user) or is_torch_staff(user)
        or commissions.exists(),
        "commissioned": [demand for commission in
                         selectors.current_commissions(user)
                         for demand in commission.demands.all()],
    }
    context["upcoming_sessions"] = selectors.sessions_visible_to(user).filter(
        state=DockingState.SCHEDULED, starts_at__gte=timezone.now()).count()
    from .enums import RoundState
    from .models import RoundJudge

    context["judging_rounds"] = RoundJudge.objects.filter(
        user=user, recused_at__isnull=True, round__state=RoundState.SCORING).count()
    context["my_rounds"] = selectors.rounds_visible_to(user).exclude(
        state=RoundState.FINISHED).count()
    return context


def register():
    register_section("matching", "matching/workspace.html", matching_context, order=60)
