"""The push's models leave this app for ``push`` (its migration 0001 takes them over, rows
and all); only the state changes here, the tables stay until push renames them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_push_subscriptions_webhooks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WebhookAttempt"),
                migrations.DeleteModel(name="WebhookDelivery"),
                migrations.DeleteModel(name="Webhook"),
                migrations.DeleteModel(name="PublicationPush"),
                migrations.DeleteModel(name="SubscriptionKeyword"),
                migrations.DeleteModel(name="SubscriptionRegion"),
                migrations.DeleteModel(name="Subscription"),
            ],
        ),
    ]
