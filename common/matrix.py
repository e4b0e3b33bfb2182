"""What each persona gets from the project-wide URLs: the health probe, the language switch and
the admin site's own pages (keyed by full names). Per-model admin pages are declared in each
app's ``ADMIN``.

Declared for the permission matrix (vocabulary and outcomes in ``common.permission_matrix``;
checked by ``tests/harness``). Object paths such as ``"@demand.ref"`` name objects of the
harness's world: host unit A's published demand of the owner, and so on.
"""

from common.permission_matrix import route

ROUTES = {
    "healthz": route(
        get={"*": "200"},
    ),
    "set_language": route(
        get={"*": "302"},
    ),
    "admin:index": route(
        get={"host other_host torch": "200", "*": "login"},
    ),
    "admin:login": route(
        get={"visitor": "login", "host other_host torch": "302", "*": "403"},
        post={"visitor": "login", "host other_host torch": "200", "*": "403"},
    ),
    "admin:logout": route(
        get={"host other_host torch": "405", "*": "302"},
        post={"host other_host torch": "200", "*": "302"},
    ),
    "admin:password_change": route(
        get={"host other_host torch": "200", "*": "login"},
    ),
    "admin:password_change_done": route(
        get={"host other_host torch": "200", "*": "login"},
        post={"host other_host torch": "405", "*": "login"},
    ),
    "admin:autocomplete": route(
        get={"host other_host torch": "403", "*": "login"},
        post={"host other_host torch": "405", "*": "login"},
    ),
    "admin:jsi18n": route(
        get={"host other_host torch": "200", "*": "login"},
        post={"host other_host torch": "405", "*": "login"},
    ),
    "admin:view_on_site": route(
        get={"host other_host torch": "404", "*": "login"},
        kwargs={"content_type_id": "1", "object_id": "1"},
    ),
    "admin:app_list": route(
        get={"host other_host torch": "200", "*": "login"},
        kwargs={"app_label": "demands"},
    ),
}
