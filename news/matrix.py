"""What each persona gets from publicity (vocabulary in ``common.permission_matrix``): the
public reads what is published; Torch staff and host staff write (host staff for their units).
The world holds a published item of host unit A and a draft of host unit A."""

from common.permission_matrix import route

EDITORS = "host other_host torch"

ROUTES = {
    "list": route(get={"*": "200"}),
    "feed": route(get={"*": "200"}),
    "detail": (
        route(get={"*": "200"}, kwargs={"pk": "@news.pk"}),
        route(get={"host torch": "200", "*": "404"}, kwargs={"pk": "@news_draft.pk"},
              note="A draft (or a scheduled item) is its editors' until it is published."),
    ),
    "manage": route(get={"visitor": "login", EDITORS: "200", "*": "404"}),
    "manage_create": route(
        get={"visitor": "login", EDITORS: "200", "*": "404"},
        post={"visitor": "login", EDITORS: "400", "*": "404"},
        note="POSTed empty: the editor gets the form back with its errors.",
    ),
    "manage_edit": route(
        get={"visitor": "login", "host torch": "200", "*": "404"},
        post={"visitor": "login", "host torch": "400", "*": "404"},
        kwargs={"pk": "@news_draft.pk"},
    ),
}

ADMIN = {}
