"""What each persona gets from the inbox and the notification settings (the world's
notification is the demand owner's).

Declared for the permission matrix (vocabulary and outcomes in ``common.permission_matrix``;
checked by ``tests/harness``). Object paths such as ``"@demand.ref"`` name objects of the
harness's world: host unit A's published demand of the owner, and so on.
"""

from common.permission_matrix import AdminModel, route

ROUTES = {
    "inbox": route(
        get={"visitor": "login", "*": "200"},
    ),
    "mark_read": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner": "302", "*": "404"},
        kwargs={"pk": "@notification.pk"},
    ),
    "mark_all_read": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "*": "302"},
    ),
    "preferences": route(
        get={"visitor": "login", "*": "200"},
    ),
}

ADMIN = {
    "OutboundEmail": AdminModel(scope="torch"),
    "Notification": AdminModel(scope="torch", foreign="@notification"),
}
