"""The push's part of a person's data (PIPL): their demand subscriptions."""

from accounts.privacy import register_eraser, register_exporter

from .models import Subscription


def export_subscriptions(user):
    return [
        {"name": subscription.name,
         "industry_fields": [field.name for field in subscription.fields.all()],
         "regions": subscription.regions,
         "keywords": subscription.keywords,
         "created_at": subscription.created_at}
        for subscription in Subscription.objects.filter(user=user).prefetch_related("fields")
    ]


def erase_subscriptions(user):
    """What someone follows says something about them: it goes with the account."""
    Subscription.objects.filter(user=user).delete()


def register():
    register_exporter("demand_subscriptions", export_subscriptions)
    register_eraser("demand_subscriptions", erase_subscriptions)
