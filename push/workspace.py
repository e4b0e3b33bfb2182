"""The push's section of the workspace dashboard: the user's subscriptions, and for Torch
Center staff the webhooks and anything of the push that failed."""

from accounts.workspace import register_section
from notifications import services as outbox_services
from notifications.kinds import get_kind

from . import selectors
from .enums import DeliveryState
from .matching import KIND
from .models import WebhookDelivery
from .permissions import may_manage_webhooks


def push_context(request):
    user = request.user
    mode = outbox_services.preferences_of(user)[KIND]
    context = {
        "subscription_count": selectors.subscriptions_of(user).count(),
        "delivery_mode": dict((m.value, m.label) for m in get_kind(KIND).modes).get(mode, mode),
        "is_webhook_staff": False,
    }
    if may_manage_webhooks(user):
        context.update({
            "is_webhook_staff": True,
            "failed_deliveries": WebhookDelivery.objects.filter(
                state=DeliveryState.FAILED).count(),
            "failed_pushes": selectors.failed_pushes().count(),
        })
    return context


def register():
    register_section("subscriptions", "push/subscriptions/workspace_section.html",
                     push_context, order=16)
