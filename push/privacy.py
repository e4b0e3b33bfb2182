"""The push's part of a person's data (PIPL): their demand subscriptions."""

from accounts.privacy import NULL, register_model

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
    register_model("push.Subscription", section="demand_subscriptions", user_fields=["user"],
                   export=export_subscriptions, erase=erase_subscriptions)
    # A webhook belongs to its organisation; who created it is forgotten.
    register_model("push.Webhook", user_fields=["created_by"], erase=NULL, exclude=["secret"])
