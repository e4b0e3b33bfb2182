"""What reaches people: the owner's notification and subscription, a partner's webhook with a
failed delivery."""

from notifications.models import Notification
from push.models import Webhook, WebhookDelivery
from push.subscriptions import create_subscription


def notices_and_push(users, *, foreign):
    """The notification, subscription, webhook and delivery, by name."""
    notification = Notification.objects.create(
        recipient=users["owner"],
        kind="demand.status_changed",
        text="您的需求状态已更新",
        url="/",
        idempotency_key="harness:notification:owner",
    )
    subscription = create_subscription(
        users["owner"], name="矩阵订阅", keywords=["涂层"]
    )
    webhook = Webhook.objects.create(
        name="合作媒体", url="https://partner.example.cn/hook", created_by=users["torch"]
    )
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event="demand.published",
        demand=foreign,
        idempotency_key="harness:delivery:1",
        payload={"ref": foreign.ref},
        state="failed",
    )
    return {"notification": notification, "subscription": subscription, "webhook": webhook,
            "delivery": delivery}
