"""What each persona gets from the push pages: a user's subscriptions (the world's is the
demand owner's) and the Torch Center's webhooks. Keys are bare URL names, so the entries
hold whether the routes are served under ``notifications:`` or ``push:``.

Declared for the permission matrix (vocabulary and outcomes in ``common.permission_matrix``;
checked by ``tests/harness``). Object paths such as ``"@demand.ref"`` name objects of the
harness's world: host unit A's published demand of the owner, and so on.
"""

from common.permission_matrix import AdminModel, route

ROUTES = {
    "subscriptions": route(
        get={"visitor": "login", "*": "200"},
    ),
    "subscription_create": route(
        get={"visitor": "login", "*": "200"},
    ),
    "subscription_delivery": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "*": "302"},
    ),
    "subscription_edit": route(
        get={"visitor": "login", "owner": "200", "*": "404"},
        kwargs={"pk": "@subscription.pk"},
    ),
    "subscription_delete": route(
        get={"visitor": "login", "owner": "200", "*": "404"},
        post={"visitor": "login", "owner": "302", "*": "404"},
        kwargs={"pk": "@subscription.pk"},
    ),
    "webhooks": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
    ),
    "webhook_create": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
    ),
    "webhook_detail": route(
        get={"visitor": "login", "torch": "200", "*": "404"},
        kwargs={"pk": "@webhook.pk"},
    ),
    "webhook_toggle": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "torch": "302", "*": "404"},
        kwargs={"pk": "@webhook.pk"},
    ),
    "webhook_delivery_retry": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "torch": "302", "*": "404"},
        kwargs={"pk": "@webhook.pk", "delivery_pk": "@delivery.pk"},
    ),
}

ADMIN = {
    "Subscription": AdminModel(scope="torch", foreign="@subscription"),
    "PublicationPush": AdminModel(scope="torch"),
    "Webhook": AdminModel(scope="torch", foreign="@webhook"),
    "WebhookDelivery": AdminModel(scope="torch", foreign="@delivery"),
}
