"""What each persona gets from the demand pages: collection (owner, host staff, experts) and
the public side. The world's demand is published at host unit A, hides every hideable field,
is assigned to ``expert_assigned`` and opened to ``challenger_granted``.

Declared for the permission matrix (vocabulary and outcomes in ``common.permission_matrix``;
checked by ``tests/harness``). Object paths such as ``"@demand.ref"`` name objects of the
harness's world: host unit A's published demand of the owner, and so on.
"""

from common.permission_matrix import AdminModel, route

ROUTES = {
    "mine": route(
        get={"visitor": "login", "*": "200"},
    ),
    "create": route(
        get={"visitor": "login", "owner other_company": "200", "*": "302"},
    ),
    # The world's agency is commissioned for demand analysis at unit A: it has the list (of the
    # demands it is assigned to: none), like an expert.
    "assigned": route(
        get={"visitor": "login", "expert expert_assigned agency": "200", "*": "404"},
    ),
    "manage": route(
        get={"visitor": "login", "host other_host torch": "200", "*": "404"},
    ),
    "host_create": route(
        get={"visitor": "login", "host other_host": "200", "*": "404"},
    ),
    "import": route(
        get={"visitor": "login", "host other_host torch": "200", "*": "404"},
    ),
    "import_template": route(
        get={"visitor": "login", "host other_host torch": "200", "*": "404"},
    ),
    "export_full": route(
        get={"visitor": "login", "host other_host torch": "200", "*": "404"},
        kwargs={"fmt": "csv"},
    ),
    "manage_detail": (
        route(
            get={"visitor": "login", "owner expert_assigned host torch": "200", "*": "404"},
            kwargs={"ref": "@demand.ref"},
        ),
        # A draft is its company's own until submitted.
        route(
            get={"visitor": "login", "owner": "200", "*": "404"},
            kwargs={"ref": "@draft.ref"},
        ),
        # Another unit's demand, of another company.
        route(
            get={"visitor": "login", "other_company expert other_host torch": "200", "*": "404"},
            kwargs={"ref": "@foreign_demand.ref"},
        ),
    ),
    "edit": route(
        get={"visitor": "login", "owner": "200", "*": "404"},
        kwargs={"ref": "@draft.ref"},
        data={"title": "越权修改的标题", "host_unit": "@unit.pk"},
    ),
    "remove_attachment": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner": "302", "*": "404"},
        kwargs={"ref": "@demand.ref", "key": "@attachment.uuid"},
    ),
    "preview": route(
        get={"visitor": "login", "owner": "200", "*": "404"},
        kwargs={"ref": "@draft.ref"},
    ),
    "change_status": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner expert_assigned host torch": "302", "*": "404"},
        kwargs={"ref": "@submitted.ref"},
        data={"to_status": "in_analysis", "comment": "矩阵"},
    ),
    "assign_experts": route(
        get={"visitor": "login", "host torch": "200", "*": "404"},
        post={"visitor": "login", "host torch": "302", "*": "404"},
        kwargs={"ref": "@submitted.ref"},
        data={"experts": "@user_expert.pk"},
    ),
    "analysis": route(
        get={
            "visitor": "login",
            # The agency persona signed the NDA (its commission needs it): past the gate.
            "challenger challenger_granted expert agency": "404",
            "expert_assigned": "302",
            "*": "sign",
        },
        kwargs={"ref": "@submitted.ref"},
        data={"analysis": "越权分析", "recommendations": "越权建议", "verdict": "publish"},
        note="The agreements gate comes before the object: anyone signed in who has not signed "
        "is sent to sign (for any reference, so it tells nothing about the demand).",
    ),
    "propose_wording": route(
        get={"visitor": "login", "expert_assigned host torch": "302", "*": "404"},
        kwargs={"ref": "@demand.ref"},
        data={"title": "越权改写的标题", "note": "矩阵"},
    ),
    "proposal": route(
        get={"visitor": "login", "owner expert_assigned host torch": "200", "*": "404"},
        post={"visitor": "login", "owner expert_assigned host torch": "302", "*": "404"},
        kwargs={"ref": "@demand.ref", "pk": "@proposal.pk"},
        data={"decision": "accept"},
    ),
    "contact_consent_request": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner": "302", "*": "404"},
        kwargs={"ref": "@demand.ref"},
    ),
    # The link e-mailed to the contact person: the token is the credential, whoever holds it.
    "contact_consent": route(
        get={"*": "200"},
        post={"*": "302"},
        kwargs={"token": "@consent_token"},
        data={"decision": "agree"},
    ),
    "list": route(
        get={"*": "200"},
    ),
    "export": route(
        get={"*": "200"},
    ),
    "feed": route(
        get={"*": "200"},
    ),
    "feed_atom": route(
        get={"*": "200"},
    ),
    "feed_national": route(
        get={"*": "200"},
    ),
    "feed_event": route(
        get={"*": "200"},
        kwargs={"number": "@event.number"},
    ),
    "feed_field": route(
        get={"*": "200"},
        kwargs={"code": "@field.code"},
    ),
    "detail": route(
        get={"*": "200"},
        kwargs={"ref": "@demand.ref"},
    ),
    "full": (
        route(
            get={"visitor": "login", "challenger challenger_granted": "200", "*": "404"},
            kwargs={"ref": "@demand.ref"},
            note="The challengers' page of hidden details; a challenger without access gets "
            "the page that explains the NDA and offers the request. The owner, host staff "
            "and experts read them on the manage pages.",
        ),
        # Granted on the world's demand only: another demand stays closed (explained).
        route(
            get={"visitor": "login", "challenger challenger_granted": "200", "*": "404"},
            kwargs={"ref": "@foreign_demand.ref"},
        ),
    ),
    "national": route(
        get={"*": "405"},
        post={"visitor": "login", "torch": "302", "*": "404"},
        kwargs={"ref": "@demand.ref"},
        data={"national": "1"},
    ),
    "access_manage": route(
        get={"visitor": "login", "owner host torch": "200", "*": "404"},
        kwargs={"ref": "@demand.ref"},
    ),
    "access_request": route(
        get={
            "visitor": "login",
            "challenger challenger_granted expert expert_assigned": "200",
            "*": "sign",
        },
        kwargs={"ref": "@demand.ref"},
        note="Behind the agreements gate, like the analysis.",
    ),
    "access_decide": route(
        get={"*": "405"},
        post={"visitor": "login", "owner host torch": "302", "*": "404"},
        kwargs={"ref": "@demand.ref", "pk": "@access_pending.pk"},
        data={"decision": "grant"},
    ),
    "sitemap": route(
        get={"*": "200"},
    ),
}

ADMIN = {
    "Demand": AdminModel(
        scope="host",
        own="@demand",
        foreign="@foreign_demand",
        hidden="@draft",
    ),
    "Analysis": AdminModel(
        scope="host",
        own="@analysis",
        foreign="@foreign_analysis",
    ),
    "ExpertAssignment": AdminModel(
        scope="host",
        own="@assignment",
        foreign="@foreign_assignment",
    ),
    "WordingProposal": AdminModel(
        scope="host",
        own="@proposal",
        foreign="@foreign_proposal",
    ),
}
