"""What each persona gets from the matching pages. In the harness's world, unit A commissions
the ``agency`` persona's service agency (analysis and holder search) for the world's demand;
the challenger's university holds a public and a staff-only achievement and is invited to that
demand; the owner and the university have an intention agreement awaiting both confirmations.

Vocabulary in ``common.permission_matrix``; checked by ``tests/harness``."""

from common.permission_matrix import AdminModel, route

MEMBERS = "owner other_company challenger challenger_granted agency"

ROUTES = {
    "library": route(get={"*": "200"}, post={"*": "405"}),
    "my_achievements": route(get={"visitor": "login", "*": "200"},
                             post={"visitor": "login", "*": "405"}),
    "achievement_create": route(
        get={"visitor": "login", MEMBERS: "200", "*": "302"},
        note="Without an organisation the page sends the user to the workspace.",
    ),
    # the standard-format import (matching/importing/): host and Torch staff; a POST without a
    # file is the form with its error
    "achievement_import": route(
        get={"visitor": "login", "host other_host torch": "200", "*": "404"},
    ),
    "achievement_import_template": route(
        get={"visitor": "login", "host other_host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
    ),
    "achievement_export": route(
        get={"visitor": "login", "host other_host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
        kwargs={"fmt": "csv"},
    ),
    "achievement_detail": (
        route(get={"*": "200"}, post={"*": "405"}, kwargs={"pk": "@achievement.pk"}),
        route(get={"host other_host torch": "200", "*": "404"},
              post={"*": "405"}, kwargs={"pk": "@staff_achievement.pk"},
              note="Staff-only: its holder's members (none among the personas), host and "
                   "Torch staff."),
    ),
    "achievement_edit": (
        route(get={"visitor": "login", "torch": "200", "*": "404"},
              kwargs={"pk": "@staff_achievement.pk"}),
        route(get={"visitor": "login", "challenger torch": "200", "*": "404"},
              kwargs={"pk": "@achievement.pk"}, note="The holder's members edit it."),
    ),
    "demands": route(
        get={"visitor": "login", "host other_host torch agency": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
    ),
    "recommendations": (
        route(get={"visitor": "login", "owner host torch agency": "200", "*": "404"},
              post={"visitor": "login", "*": "405"},
              kwargs={"ref": "@demand.ref"},
              note="The commissioned agency reads them (public achievements only)."),
        route(get={"visitor": "login", "other_company other_host torch": "200", "*": "404"},
              post={"visitor": "login", "*": "405"},
              kwargs={"ref": "@foreign_demand.ref"},
              note="The agency's commission does not cover another unit's demand."),
    ),
    "invite": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "host agency": "302", "*": "404"},
        kwargs={"ref": "@demand.ref"},
        data={"holder": "@foreign_org.pk", "message": "矩阵邀请"},
        note="Host staff, or the agency commissioned for holder search on this demand.",
    ),
    "agreement_create": route(
        get={"visitor": "login", "owner host": "200", "*": "404"},
        kwargs={"ref": "@demand.ref"},
    ),
    "invitations": route(get={"visitor": "login", "*": "200"},
                         post={"visitor": "login", "*": "405"}),
    "invitation_detail": route(
        get={"visitor": "login", "challenger host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
        kwargs={"pk": "@invitation.pk"},
    ),
    "invitation_answer": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "challenger host torch": "302", "*": "404"},
        kwargs={"pk": "@invitation.pk"},
        data={"to": "decline"},
        note="Only the holder's members answer; host and Torch staff are told why.",
    ),
    "commissions": route(
        get={"visitor": "login", "host other_host torch agency": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
    ),
    "commission_create": route(
        get={"visitor": "login", "host other_host": "200", "*": "404"},
    ),
    "commission_detail": route(
        get={"visitor": "login", "host torch agency": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
        kwargs={"pk": "@commission.pk"},
    ),
    "commission_end": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "host torch agency": "302", "*": "404"},
        kwargs={"pk": "@commission.pk"},
        note="The agency sees its commission but may not end it (told so).",
    ),
    "agreement_detail": route(
        get={"visitor": "login", "owner challenger host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
        kwargs={"pk": "@intention_agreement.pk"},
    ),
    "agreement_confirm": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner challenger host torch": "302", "*": "404"},
        kwargs={"pk": "@intention_agreement.pk"},
    ),
    "docking": route(get={"visitor": "login", "*": "200"},
                     post={"visitor": "login", "*": "405"}),
    "docking_create": route(get={"visitor": "login", "host other_host": "200", "*": "404"}),
    "docking_edit": route(get={"visitor": "login", "host": "200", "*": "404"},
                          kwargs={"pk": "@docking.pk"}),
    "docking_detail": route(
        get={"visitor": "login", "owner challenger host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"}, kwargs={"pk": "@docking.pk"},
        note="Participants, the unit's staff and Torch staff."),
    "docking_ics": route(
        get={"visitor": "login", "owner challenger host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"}, kwargs={"pk": "@docking.pk"}),
    "docking_answer": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner challenger host torch": "302", "*": "404"},
        kwargs={"pk": "@docking.pk"}, data={"answer": "confirm"}),
    "docking_cancel": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "host": "302", "*": "404"}, kwargs={"pk": "@docking.pk"}),
    "docking_minutes": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "host": "302", "*": "404"}, kwargs={"pk": "@docking.pk"},
        data={"minutes": "纪要", "outcome": "达成意向"}),
    "feed_settings": route(get={"visitor": "login", "*": "200"},
                           post={"visitor": "login", "*": "302"}),
    "feed": route(get={"*": "200"}, post={"*": "405"},
                  kwargs={"token": "@calendar_feed.token"},
                  note="The secret address is the credential (revocable)."),
    # --- live rounds: the world's round is closed (not every side consented) and scoring; the
    # institute (challenger_granted) and a rival institute compete, the expert judges.
    "rounds": route(get={"*": "200"}, post={"*": "405"},
                    note="Public rounds for everyone, one's own rounds besides."),
    "round_create": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"ref": "@demand.ref"},
        note="Host staff of the demand's unit; an empty POST is the form with its errors."),
    "round_detail": route(
        get={"owner challenger_granted expert host torch": "200", "*": "404"},
        post={"*": "405"}, kwargs={"pk": "@live_round.pk"},
        note="A closed round: both sides, its judges, the unit's staff and Torch staff."),
    "round_consent": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner challenger_granted expert host torch": "302",
              "*": "404"},
        kwargs={"pk": "@live_round.pk"}, data={"organisation": "@owner_org.pk", "given": "yes"},
        note="Those who see the round are told when they may not answer (or that it started)."),
    "round_criteria": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"pk": "@live_round.pk"}, data={"criteria": "技术性 | 100"},
        note="Scoring is open: the host's change is refused on the form."),
    "round_judge": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "host": "302", "*": "404"},
        kwargs={"pk": "@live_round.pk"},
        data={"user": "@user_expert_assigned.pk", "kind": "expert"}),
    "round_unwanted": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "challenger_granted": "302", "*": "404"},
        kwargs={"pk": "@live_round.pk", "entry": "@round_entry.pk"},
        data={"organisations": "@foreign_org.pk"},
        note="Only the challenger's members name unwanted judges."),
    "round_declare": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "expert": "302", "*": "404"},
        kwargs={"pk": "@live_round.pk"},
        data={"entry": "@round_entry.pk", "reason": "矩阵利益冲突"}),
    "round_state": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "host": "302", "*": "404"},
        kwargs={"pk": "@live_round.pk"}, data={"to": "finish"}),
    "round_select": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner challenger_granted expert host torch": "302",
              "*": "404"},
        kwargs={"pk": "@live_round.pk"}, data={"entry": "@round_entry.pk"},
        note="Only the demand side of a finished round selects; the others are told so."),
    "round_score_start": route(
        get={"visitor": "login", "expert": "302", "*": "404"},
        post={"visitor": "login", "*": "405"}, kwargs={"pk": "@live_round.pk"}),
    "round_score": route(
        get={"visitor": "login", "expert": "200", "*": "404"},
        post={"visitor": "login", "expert": "302", "*": "404"},
        kwargs={"pk": "@live_round.pk", "entry": "@round_entry.pk"},
        data={"action": "save", "comment": "矩阵评语"},
        note="The judge only; a saved sheet returns to the same challenger."),
    "round_sheet": route(
        get={"visitor": "login", "expert host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
        kwargs={"pk": "@live_round.pk", "judge": "@round_judge.pk"}),
    "round_progress": route(
        get={"visitor": "login", "host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"}, kwargs={"pk": "@live_round.pk"}),
}

ADMIN = {
    "TermEntry": AdminModel(scope="torch"),
    "Achievement": AdminModel(scope="torch", foreign="@staff_achievement"),
    "Recommendation": AdminModel(scope="torch", foreign="@recommendation"),
    "Commission": AdminModel(scope="torch", foreign="@commission"),
    "Invitation": AdminModel(scope="torch", foreign="@invitation"),
    "IntentionAgreement": AdminModel(scope="torch", foreign="@intention_agreement"),
}
