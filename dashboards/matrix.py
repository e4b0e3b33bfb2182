"""What each persona gets from the dashboards (``common.permission_matrix``): the national one
for Torch staff and, scoped to their units, host organisers; the small one for companies and
challengers."""

from common.permission_matrix import route

STAFF = {"visitor": "login", "host other_host torch": "200", "*": "404"}

ROUTES = {
    "national": route(get=STAFF),
    "export": route(get=STAFF),
    "drill": route(get=STAFF, kwargs={"stage": "collected"}),
    "responses": route(get=STAFF),
    "refresh": route(
        get={"visitor": "login", "torch": "405", "*": "404"},
        post={"visitor": "login", "torch": "302", "*": "404"},
        note="Torch staff ask for the national snapshot to be counted again.",
    ),
    "calendar": route(get={"*": "200"}),
    "scorecards": route(get=STAFF),
    "evaluate": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
        post={"visitor": "login", "torch": "302", "*": "404"},
        kwargs={"slug": "@unit.slug"}, data={"rating": "4", "comments": "矩阵评价"},
    ),
    "training": route(
        get=STAFF,
        post={"visitor": "login", "torch": "200", "*": "404"},
        note="Host staff read; only Torch staff publish (POSTed empty: the form comes back).",
    ),
    "training_material": route(get={"visitor": "login", "torch": "200", "*": "404"},
                               kwargs={"pk": "@training_material.pk"}),
    "training_read": route(
        get={"visitor": "login", "host other_host torch": "405", "*": "404"},
        post={"visitor": "login", "host other_host torch": "302", "*": "404"},
        kwargs={"pk": "@training_material.pk"},
    ),
    "training_session": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
        post={"visitor": "login", "torch": "302", "*": "404"},
        kwargs={"pk": "@training_session.pk"}, data={"attended": "@user_host.pk"},
    ),
    "training_register": route(
        get={"visitor": "login", "host other_host torch": "405", "*": "404"},
        post={"visitor": "login", "host other_host torch": "302", "*": "404"},
        kwargs={"pk": "@training_session.pk"},
    ),
    "mine": route(get={"visitor": "login",
                       "owner other_company challenger challenger_granted": "200", "*": "404"}),
}
