"""What each persona gets from the solutions pages. In the harness's world the granted
challenger's institute has submitted ``@solution`` to the owner's published demand (host unit
A, expert_assigned assigned); the challenger's university has ``@draft_solution`` on it and
``@foreign_solution`` on unit B's demand; ``@thread`` is the granted challenger's question on
the demand, its answer published.

Declared for the permission matrix (vocabulary in ``common.permission_matrix``).
"""

from common.permission_matrix import AdminModel, route

# Who sees a submitted solution: its organisation, the owner, the host unit, Torch staff and
# the assigned experts.
_SOLUTION_CIRCLE = "owner challenger_granted expert_assigned host torch"

ROUTES = {
    "mine": route(get={"visitor": "login", "*": "200"}, post={"visitor": "login", "*": "405"}),
    "board": route(
        get={"visitor": "login", "host other_host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
    ),
    "create": route(
        get={"visitor": "login", "challenger challenger_granted": "200", "*": "404"},
        kwargs={"ref": "@demand.ref"},
        data={"title": "越权方案", "ip_status": "none"},
        note="Both challengers' organisations already answered the demand: a POST shows the "
        "form again with the refusal.",
    ),
    "detail": (
        route(
            get={"visitor": "login", _SOLUTION_CIRCLE: "200", "*": "404"},
            post={"visitor": "login", "*": "405"},
            kwargs={"pk": "@solution.pk"},
        ),
        # A draft is its organisation's own.
        route(
            get={"visitor": "login", "challenger": "200", "*": "404"},
            post={"visitor": "login", "*": "405"},
            kwargs={"pk": "@draft_solution.pk"},
        ),
        route(
            get={"visitor": "login", "challenger other_company other_host torch expert": "200",
                 "*": "404"},
            post={"visitor": "login", "*": "405"},
            kwargs={"pk": "@foreign_solution.pk"},
        ),
    ),
    "edit": route(
        get={"visitor": "login", "challenger_granted": "200", "*": "404"},
        kwargs={"pk": "@solution.pk"},
        data={"title": "越权修改的方案"},
    ),
    "submit": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "challenger": "302", "*": "404"},
        kwargs={"pk": "@draft_solution.pk"},
    ),
    "withdraw": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "challenger_granted": "302", "*": "404"},
        kwargs={"pk": "@solution.pk"},
    ),
    "decide": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner host": "302", "*": "404"},
        kwargs={"pk": "@solution.pk"},
        data={"to_status": "shortlisted"},
        note="Torch staff and experts read solutions; the owner decides, host staff on its "
        "behalf.",
    ),
    "version": route(
        get={"visitor": "login", _SOLUTION_CIRCLE: "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
        kwargs={"pk": "@solution.pk", "number": 1},
    ),
    "demand_list": route(
        get={"visitor": "login", "owner expert_assigned host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
        kwargs={"ref": "@demand.ref"},
    ),
    "compare": route(
        get={"visitor": "login", "owner expert_assigned host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
        kwargs={"ref": "@demand.ref"},
        query={"ids": "@solution.pk"},
    ),
    "export": route(
        get={"visitor": "login", "owner host torch": "200", "*": "404"},
        post={"visitor": "login", "*": "405"},
        kwargs={"ref": "@demand.ref"},
    ),
    "respond": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "host": "302", "*": "404"},
        kwargs={"ref": "@demand.ref"},
        data={"text": "已联系两家高校对接"},
    ),
    "questions": route(
        get={"*": "200"},
        post={"visitor": "login", "challenger challenger_granted": "302", "*": "200"},
        kwargs={"ref": "@demand.ref"},
        data={"text": "样件尺寸是多少？"},
        note="Everyone reads the published answers of a public demand; challengers who signed "
        "the NDA ask; anyone else signed in sees the refusal on the form.",
    ),
    "thread": route(
        get={"visitor": "login", "owner challenger_granted host torch": "200", "*": "404"},
        post={"visitor": "login", "owner challenger_granted host": "302", "torch": "200",
              "*": "404"},
        kwargs={"pk": "@thread.pk"},
        data={"text": "请补充说明"},
        note="Torch staff read threads but are not a side of them.",
    ),
    "publish": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner host": "302", "*": "404"},
        kwargs={"pk": "@thread.pk"},
        data={"question": "样件由谁提供？", "answer": "由需求方提供样件。"},
    ),
}

ADMIN = {
    "Solution": AdminModel(
        scope="host",
        own="@solution",
        foreign="@foreign_solution",
        hidden="@draft_solution",
    ),
}
