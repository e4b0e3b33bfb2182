"""What each persona gets from the complaint pages. The world's complaint was filed by
``expert`` about the owner's published demand at host unit A (anonymous to the owner, who is
the party complained about); the foreign one by ``expert_assigned`` about unit B's demand. The
world's dispute, at unit A, is between ``owner`` and ``challenger``.

Declared for the permission matrix (``common.permission_matrix``; checked by
``tests/harness``)."""

from common.permission_matrix import AdminModel, route

VIEWERS = "expert host torch"

# A POST-only page of the case: the login first, 405 to a GET, and to a POST a redirect for
# those who see the case (the service then decides and says why) and 404 for everyone else.
def _case_post(data=None, viewers=VIEWERS, number="@complaint.number"):
    return route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", viewers: "302", "*": "404"},
        kwargs={"number": number}, data=data or {},
    )


ROUTES = {
    "index": route(get={"*": "200"}, post={"*": "200"}),
    "create": route(
        get={"visitor": "login", "*": "200"},
        note="POSTed without a target: the form comes back with its errors.",
    ),
    "mine": route(get={"visitor": "login", "*": "200"}, post={"visitor": "login", "*": "200"}),
    "handle": route(get={"visitor": "login", "host other_host torch": "200", "*": "404"}),
    "detail": (
        route(get={"visitor": "login", VIEWERS: "200", "*": "404"},
              kwargs={"number": "@complaint.number"}),
        route(get={"visitor": "login", "expert_assigned other_host torch": "200", "*": "404"},
              kwargs={"number": "@foreign_complaint.number"}),
    ),
    "act": _case_post({"to": "accepted", "reason": "矩阵"}),
    "feedback": _case_post({"satisfied": "yes", "feedback": "矩阵"}),
    "add": _case_post({"text": "矩阵补充"}),
    "note": _case_post({"text": "矩阵备注"}),
    "share": _case_post({"text": "矩阵共享"}),
    "take_over": _case_post(),
    "assign_reviewer": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "*": "404"},
        kwargs={"number": "@complaint.number"}, data={"reviewer": "@user_expert_assigned.pk"},
        note="The world's complaint asks for no re-check: nobody assigns a reviewer to it.",
    ),
    "audit_export": route(get={"visitor": "login", "host torch": "200", "*": "404"},
                          kwargs={"number": "@complaint.number"}),
    "party": route(
        get={"visitor": "login", "owner": "200", "*": "404"},
        post={"visitor": "login", "owner": "302", "*": "404"},
        kwargs={"number": "@complaint.number"}, data={"text": "矩阵答复"},
    ),
    "dispute_create": route(
        get={"visitor": "login", "*": "200"},
        note="POSTed empty: the form comes back with its errors.",
    ),
    "dispute_detail": route(
        get={"visitor": "login", "owner challenger host torch": "200", "*": "404"},
        kwargs={"number": "@dispute.number"},
    ),
    "dispute_position": _case_post({"text": "矩阵立场"}, "owner challenger host torch",
                                   "@dispute.number"),
    "dispute_mediation": _case_post({"held_on": "2026-05-01", "text": "矩阵调解"},
                                    "owner challenger host torch", "@dispute.number"),
    "dispute_close": _case_post({"settled": "yes", "outcome": "矩阵"},
                                "owner challenger host torch", "@dispute.number"),
}

ADMIN = {
    "Complaint": AdminModel(scope="torch"),
    "Dispute": AdminModel(scope="torch"),
}
