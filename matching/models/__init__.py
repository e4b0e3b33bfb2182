"""The models of the matching app, a module each by what they hold: the achievement library
(:mod:`.library`), agencies' commissions (:mod:`.agencies`), invitations (:mod:`.invitations`),
intention agreements (:mod:`.agreements`), docking sessions (:mod:`.docking`) and live rounds
(:mod:`.rounds`). Every model is imported here, so Django finds it and
``from matching.models import X`` works."""

from .agencies import Commission, CommissionTransition
from .agreements import IntentionAgreement, IntentionAgreementTransition
from .docking import CalendarFeed, DockingParticipant, DockingSession
from .invitations import Invitation, InvitationTransition
from .library import (
    PATENT_NUMBER,
    SEARCH_COLUMNS,
    Achievement,
    AchievementManager,
    MatchProfile,
    Recommendation,
    TermEntry,
)
from .rounds import (
    AgendaItem,
    JudgeConflict,
    LiveRound,
    LiveRoundTransition,
    RoundConsent,
    RoundCriterion,
    RoundEntry,
    RoundJudge,
    Score,
    ScoreSheet,
)

__all__ = [
    "PATENT_NUMBER", "SEARCH_COLUMNS", "Achievement", "AchievementManager", "AgendaItem",
    "CalendarFeed", "Commission", "CommissionTransition", "DockingParticipant", "DockingSession",
    "IntentionAgreement", "IntentionAgreementTransition", "Invitation", "InvitationTransition",
    "JudgeConflict", "LiveRound", "LiveRoundTransition", "MatchProfile", "Recommendation",
    "RoundConsent", "RoundCriterion", "RoundEntry", "RoundJudge", "Score", "ScoreSheet",
    "TermEntry",
]
