"""What each persona gets from the contest pages (public events and hosts, the organiser
pages of host unit A, the Torch Center's work-plan review).

Declared for the permission matrix (vocabulary and outcomes in ``common.permission_matrix``;
checked by ``tests/harness``). Object paths such as ``"@demand.ref"`` name objects of the
harness's world: host unit A's published demand of the owner, and so on.
"""

from common.permission_matrix import AdminModel, route

ROUTES = {
    # host registration (contests.registration)
    "host_apply": route(
        get={"visitor": "login", "*": "200"},
        post={"visitor": "login", "*": "400"},
        note="POSTed without a unit, position or letter: the form comes back with its errors.",
    ),
    "host_invitation_accept": route(
        get={"*": "405"},
        post={"visitor": "login", "challenger": "302", "*": "404"},
        kwargs={"pk": "@host_invitation.pk"},
        note="Only the invited account (the challenger's e-mail) may accept.",
    ),
    # The e-mailed link: the token is the credential, but only for the invited address (the
    # challenger's); a visitor is asked to sign in (the address has an account).
    "host_invitation_join": route(
        get={"visitor": "200", "challenger": "200", "*": "403"},
        post={"visitor": "login", "challenger": "302", "*": "403"},
        kwargs={"token": "@host_invitation_token"},
        note="Signed in with another address: a page saying the link is for someone else.",
    ),
    "host_invitation_revoke": route(
        get={"*": "405"},
        post={"visitor": "login", "host": "302", "*": "404"},
        kwargs={"slug": "@unit.slug", "pk": "@host_invitation.pk"},
    ),
    "colleagues": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        post={"visitor": "login", "host": "400", "*": "404"},
        kwargs={"slug": "@unit.slug"},
        note="Host unit A's administrator only; POSTed without an address: 400.",
    ),
    "colleague_remove": route(
        get={"*": "405"},
        post={"visitor": "login", "host": "302", "*": "404"},
        kwargs={"slug": "@unit.slug", "pk": "@colleague.pk"},
    ),
    "host_applications": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
    ),
    "host_application": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
        post={"visitor": "login", "torch": "400", "*": "404"},
        kwargs={"pk": "@host_application.pk"},
        note="POSTed without a decision: Torch staff get the form back (400).",
    ),
    "home": route(
        get={"*": "200"},
    ),
    "event_list": route(
        get={"*": "200"},
    ),
    "event_detail": route(
        get={"*": "200"},
        kwargs={"number": "@event.number"},
    ),
    "host_detail": route(
        get={"*": "200"},
        kwargs={"slug": "@unit.slug"},
    ),
    "organiser_home": route(
        get={"visitor": "login", "host other_host": "200", "*": "404"},
    ),
    "work_plan_edit": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"slug": "@unit.slug"},
    ),
    "notice_list": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"slug": "@unit.slug"},
    ),
    "notice_create": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"slug": "@unit.slug"},
    ),
    "notice_edit": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"slug": "@unit.slug", "pk": "@notice.pk"},
    ),
    "notice_publish": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "host": "302", "*": "404"},
        kwargs={"slug": "@unit.slug", "pk": "@notice.pk"},
    ),
    "complaint_channels": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"slug": "@unit.slug"},
    ),
    "complaint_channel_edit": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"slug": "@unit.slug", "pk": "@channel.pk"},
    ),
    "complaint_channel_delete": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "host": "302", "*": "404"},
        kwargs={"slug": "@unit.slug", "pk": "@channel.pk"},
    ),
    "torch_work_plans": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
    ),
    "torch_work_plan": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
        kwargs={"pk": "@work_plan.pk"},
    ),
    # summary reports (contests.summary_views): unit A's report is submitted in the world
    "summary_edit": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        post={"visitor": "login", "host": "400", "*": "404"},
        kwargs={"slug": "@unit.slug"},
        note="Unit A's report is submitted, so its staff read it; a POST is refused (400).",
    ),
    "summary_print": route(
        get={"visitor": "login", "host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
        kwargs={"pk": "@summary_report.pk"},
    ),
    "torch_summaries": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
    ),
    "torch_summary": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
        post={"visitor": "login", "torch": "400", "*": "404"},
        kwargs={"pk": "@summary_report.pk"},
        note="POSTed without an action or a rating: the page comes back (400).",
    ),
}

ADMIN = {
    "Contest": AdminModel(scope="shared", own="@contest"),
    "IndustryField": AdminModel(scope="shared", own="@field"),
    "Event": AdminModel(
        scope="host", own="@event", foreign="@foreign_event"
    ),
    "HostUnit": AdminModel(
        scope="host", own="@unit", foreign="@foreign_unit"
    ),
    "HostMembership": AdminModel(
        scope="host",
        own="@host_membership",
        foreign="@foreign_host_membership",
    ),
    "WorkPlan": AdminModel(
        scope="host", own="@work_plan", foreign="@foreign_plan"
    ),
    "ChallengeNotice": AdminModel(
        scope="host", own="@notice", foreign="@foreign_notice"
    ),
    "ComplaintChannel": AdminModel(
        scope="host",
        own="@channel",
        foreign="@foreign_channel",
    ),
    "SummaryReport": AdminModel(
        scope="host", own="@summary_report", foreign="@foreign_summary_report"
    ),
}
