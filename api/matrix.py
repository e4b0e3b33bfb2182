"""What each persona gets from the API (vocabulary in ``common.permission_matrix``): the
open-data API answers everyone alike; the keys pages are Torch staff's."""

from common.permission_matrix import route

OPEN = {"*": "200"}
READ_ONLY = {"*": "405"}

ROUTES = {
    "index": route(get=OPEN, post=READ_ONLY),
    "demands-list": route(get=OPEN, post=READ_ONLY),
    "demands-detail": (
        route(get=OPEN, post=READ_ONLY, kwargs={"ref": "@demand.ref"}),
        # A draft is nobody's business here, not even its owner's: the API is the public's.
        route(get={"*": "404"}, post=READ_ONLY, kwargs={"ref": "@draft.ref"}),
    ),
    "events-list": route(get=OPEN, post=READ_ONLY),
    "events-detail": route(get=OPEN, post=READ_ONLY, kwargs={"number": "@event.number"}),
    "host-units-list": route(get=OPEN, post=READ_ONLY),
    "host-units-detail": route(get=OPEN, post=READ_ONLY, kwargs={"slug": "@unit.slug"}),
    "notices-list": route(get=OPEN, post=READ_ONLY),
    "notices-detail": (
        route(get=OPEN, post=READ_ONLY, kwargs={"id": "@published_notice.pk"}),
        route(get={"*": "404"}, post=READ_ONLY, kwargs={"id": "@notice.pk"},
              note="An unpublished notice is not in the API."),
    ),
    "achievements-list": route(get=OPEN, post=READ_ONLY),
    "achievements-detail": (
        route(get=OPEN, post=READ_ONLY, kwargs={"id": "@achievement.pk"}),
        # Staff-only: not even host or Torch staff see it here; the API is the public's.
        route(get={"*": "404"}, post=READ_ONLY, kwargs={"id": "@staff_achievement.pk"}),
    ),
    "schema": route(get=OPEN, post=READ_ONLY),
    "docs": route(get=OPEN, post=READ_ONLY),
    "keys": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
        post={"visitor": "login", "torch": "400", "*": "404"},
        note="POSTed without a partner: Torch staff get the form back with its error.",
    ),
    "key_revoke": route(
        get={"*": "405"},
        post={"visitor": "login", "torch": "302", "*": "404"},
        kwargs={"pk": "@api_key.pk"},
    ),
}

ADMIN = {}
