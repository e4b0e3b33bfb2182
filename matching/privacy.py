"""What the matching app holds about a person, for the data download and the erasure
(``accounts.privacy``). Commissions, invitations, docking sessions and intention agreements are
contest records of organisations; an erased person's rows stay, pointing at the anonymised
account. The personal calendar feed is deleted."""

from accounts.privacy import DELETE, KEEP, NULL, register_model

ANONYMISED = "the row points at the anonymised account and holds nothing else of the person"


def register():
    register_model("matching.Achievement", section="achievements", user_fields=["created_by"],
                   erase=NULL)
    register_model("matching.Commission", user_fields=["created_by"], erase=KEEP,
                   reason="host staff's commission of an agency; " + ANONYMISED)
    register_model("matching.CommissionTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("matching.Invitation", section="invitations_sent",
                   user_fields=["invited_by"], erase=KEEP, reason=ANONYMISED)
    register_model("matching.InvitationTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("matching.IntentionAgreement", section="intention_agreements",
                   user_fields=["created_by", "owner_confirmed_by", "partner_confirmed_by"],
                   erase=KEEP, reason="a cooperation agreement between organisations; "
                                      + ANONYMISED)
    register_model("matching.IntentionAgreementTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("matching.DockingSession", user_fields=["created_by"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("matching.DockingParticipant", section="docking_sessions",
                   user_fields=["user"], erase=KEEP,
                   reason="who took part in a docking session, kept with its minutes; "
                          + ANONYMISED)
    register_model("matching.CalendarFeed", user_fields=["user"], erase=DELETE)
    register_model("matching.LiveRound", user_fields=["created_by", "selected_by"], erase=KEEP,
                   reason="a live round of the contest; " + ANONYMISED)
    register_model("matching.LiveRoundTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("matching.RoundConsent", section="round_consents",
                   user_fields=["answered_by"], erase=KEEP,
                   reason="an organisation's recorded consent to a public round; " + ANONYMISED)
    register_model("matching.RoundJudge", section="rounds_judged",
                   user_fields=["user", "invited_by"], erase=KEEP,
                   reason="a judge's signed score sheets stay verifiable; " + ANONYMISED)
