"""What each persona gets from the dashboards (``common.permission_matrix``): the national one
for Torch staff and, scoped to their units, host organisers; the small one for companies and
challengers."""

from common.permission_matrix import route

STAFF = {"visitor": "login", "host other_host torch": "200", "*": "404"}

ROUTES = {
    "national": route(get=STAFF),
    "export": route(get=STAFF),
    "drill": route(get=STAFF, kwargs={"stage": "collected"}),
    "mine": route(get={"visitor": "login",
                       "owner other_company challenger challenger_granted": "200", "*": "404"}),
}
