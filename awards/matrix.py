"""What each persona gets from the award pages. In the harness's world, unit A's staff made an
award from the world's live round to the granted challenger's institute, paid by the owner's
company; nobody has acknowledged its clause yet.

Vocabulary in ``common.permission_matrix``; checked by ``tests/harness``."""

from common.permission_matrix import AdminModel, route

SIDES = "owner challenger_granted host torch"

ROUTES = {
    "list": route(get={"visitor": "login", "*": "200"}, post={"visitor": "login", "*": "405"}),
    "create": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"round_pk": "@live_round.pk"},
        note="The round's host staff; an empty POST is the form with its errors."),
    "detail": route(
        get={"visitor": "login", SIDES: "200", "*": "404"},
        post={"visitor": "login", "*": "405"}, kwargs={"pk": "@award.pk"}),
    "acknowledge": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", SIDES: "302", "*": "404"},
        kwargs={"pk": "@award.pk"}, data={"clause": "read"},
        note="The two sides acknowledge; host and Torch staff are told they may not."),
    "payment": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", SIDES: "302", "*": "404"},
        kwargs={"pk": "@award.pk"}, data={"paid_on": "2026-01-05", "paid_amount": "10"},
        note="Not payable before both acknowledgements: everyone who sees it is told so."),
    "receipt": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", SIDES: "302", "*": "404"},
        kwargs={"pk": "@award.pk"}),
    # Technology contracts: one registered against the world's intention agreement (the owner's
    # company and the university).
    "contracts": route(get={"visitor": "login", "*": "200"},
                       post={"visitor": "login", "*": "405"}),
    "contract_create": route(
        get={"visitor": "login", "owner challenger host torch": "200", "*": "404"},
        kwargs={"agreement_pk": "@intention_agreement.pk"},
        note="Those who see the agreement; an empty POST is the form with its errors."),
    "contract_detail": route(
        get={"visitor": "login", "owner challenger host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"}, kwargs={"pk": "@contract.pk"}),
    "contract_flag": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner challenger host torch": "302", "*": "404"},
        kwargs={"pk": "@contract.pk"}, data={"priority": "on", "note": "矩阵"},
        note="Only the unit's staff flag; the sides are told so."),
    # Service requests: the owner asked unit A for IP advice; assigned to the agency persona's
    # service agency.
    "services": route(get={"visitor": "login", "*": "200"},
                      post={"visitor": "login", "*": "405"}),
    "service_create": route(get={"visitor": "login", "*": "200"},
                            note="Any signed-in participant; an empty POST is the form."),
    "service_detail": route(
        get={"visitor": "login", "owner host agency torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"}, kwargs={"pk": "@service_request.pk"}),
    "service_step": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner host agency torch": "302", "*": "404"},
        kwargs={"pk": "@service_request.pk"}, data={"step": "rate", "rating": "5"},
        note="Only the requester rates, and only a completed service: the others are told."),
    # Follow-ups: the world's intention agreement has its 3-month follow-up, not yet reported.
    "follow_ups": route(get={"visitor": "login", "*": "200"},
                        post={"visitor": "login", "*": "405"}),
    "follow_up": route(
        get={"visitor": "login", "owner host torch": "200", "*": "404"},
        post={"visitor": "login", "owner host torch": "302", "*": "404"},
        kwargs={"pk": "@follow_up.pk"}, data={"step": "evaluate", "evaluation": "矩阵"},
        note="The demand side reports, the unit's staff evaluate once reported: told so."),
    # Subsidies: unit A's open policy; the world's demand is matched (a confirmed agreement with
    # the granted challenger's institute) and the owner's company applied under the policy.
    "subsidies": route(get={"visitor": "login", "*": "200"},
                       post={"visitor": "login", "*": "405"},
                       note="The applications of the user's organisations (maybe none)."),
    "subsidy_queue": route(get={"visitor": "login", "host other_host torch": "200", "*": "404"},
                           post={"visitor": "login", "*": "405"},
                           note="Host staff's queue of their units; Torch: all."),
    "subsidy_policies": route(get={"*": "200"}, post={"*": "405"},
                              kwargs={"slug": "@unit.slug"},
                              note="Public in summary."),
    "subsidy_policy_create": route(
        get={"visitor": "login", "host": "200", "*": "404"}, kwargs={"slug": "@unit.slug"},
        note="The unit's staff; an empty POST is the form with its errors."),
    "subsidy_policy_edit": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"pk": "@subsidy_policy.pk"},
        note="The unit's staff; an empty POST is the form with its errors."),
    "subsidy_apply": route(
        get={"visitor": "login", "owner": "200", "*": "404"},
        kwargs={"pk": "@subsidy_policy.pk"},
        note="Only a member of a matched demand's organisation at the unit; an empty POST is "
             "the form with its errors."),
    "subsidy_detail": route(
        get={"visitor": "login", "owner host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"}, kwargs={"pk": "@subsidy_application.pk"}),
    "subsidy_step": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner host torch": "302", "*": "404"},
        kwargs={"pk": "@subsidy_application.pk"}, data={"step": "approve", "amount": "20"},
        note="Only the unit's staff approve: the applicant and Torch staff are told so."),
}

ADMIN = {
    "Award": AdminModel(scope="host", own="@award", foreign="@foreign_award"),
    "TechnologyContract": AdminModel(scope="host", own="@contract",
                                     foreign="@foreign_contract"),
    "ServiceRequest": AdminModel(scope="host", own="@service_request",
                                 foreign="@foreign_service_request"),
    "FollowUp": AdminModel(scope="host", own="@follow_up", foreign="@foreign_follow_up"),
    "SubsidyPolicy": AdminModel(scope="host", own="@subsidy_policy",
                                foreign="@foreign_subsidy_policy"),
    "SubsidyApplication": AdminModel(scope="host", own="@subsidy_application",
                                     foreign="@foreign_subsidy_application"),
}
