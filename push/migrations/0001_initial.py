"""The push's tables, created by the notifications app (its migration 0002), move here with
their rows: the models enter this app's state over the existing tables (nothing is created),
their content types follow them (so permissions and audit entries keep pointing at them),
and the tables take this app's names."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import push.models

MODELS = [
    "subscription",
    "webhook",
    "webhookdelivery",
    "webhookattempt",
    "publicationpush",
    "subscriptionkeyword",
    "subscriptionregion",
]


def move_content_types(apps, schema_editor, *, source="notifications", target="push"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(
        ContentType.objects.using(db)
        .filter(app_label=target, model__in=MODELS)
        .values_list("model", flat=True)
    )
    (
        ContentType.objects.using(db)
        .filter(app_label=source, model__in=MODELS)
        .exclude(model__in=taken)
        .update(app_label=target)
    )


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="push", target="notifications")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("contests", "0003_work_plans_notices_channels"),
        ("demands", "0003_public_snapshot_search"),
        ("notifications", "0003_push_moves_out"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Subscription",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(blank=True, max_length=80, verbose_name="name")),
                        (
                            "regions",
                            models.JSONField(blank=True, default=list, verbose_name="regions"),
                        ),
                        (
                            "keywords",
                            models.JSONField(blank=True, default=list, verbose_name="keywords"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="created at"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "fields",
                            models.ManyToManyField(
                                blank=True,
                                related_name="+",
                                to="contests.industryfield",
                                verbose_name="industry fields",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="demand_subscriptions",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_subscription",
                        "verbose_name": "demand subscription",
                        "verbose_name_plural": "demand subscriptions",
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Webhook",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "url",
                            models.URLField(
                                help_text="HTTPS address that receives a POST for each event.",
                                max_length=500,
                                verbose_name="URL",
                            ),
                        ),
                        (
                            "secret",
                            models.CharField(
                                default=push.models.generate_webhook_secret,
                                editable=False,
                                max_length=100,
                                verbose_name="signing secret",
                            ),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="active")),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="created at"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "fields",
                            models.ManyToManyField(
                                blank=True,
                                help_text="Leave empty to receive demands of every field.",
                                related_name="+",
                                to="contests.industryfield",
                                verbose_name="only these industry fields",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_webhook",
                        "verbose_name": "webhook",
                        "verbose_name_plural": "webhooks",
                        "ordering": ["name", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="WebhookDelivery",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("event", models.CharField(max_length=64, verbose_name="event")),
                        (
                            "uuid",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                unique=True,
                                verbose_name="delivery id",
                            ),
                        ),
                        (
                            "idempotency_key",
                            models.CharField(
                                max_length=255, unique=True, verbose_name="idempotency key"
                            ),
                        ),
                        ("payload", models.JSONField(verbose_name="payload")),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "waiting"),
                                    ("sending", "sending"),
                                    ("delivered", "delivered"),
                                    ("failed", "failed"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="state",
                            ),
                        ),
                        (
                            "attempts",
                            models.PositiveIntegerField(default=0, verbose_name="attempts"),
                        ),
                        (
                            "last_status_code",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="last HTTP status"
                            ),
                        ),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        (
                            "next_attempt_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="next attempt at"
                            ),
                        ),
                        (
                            "claimed_until",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="claimed until"
                            ),
                        ),
                        ("claim_token", models.UUIDField(blank=True, editable=False, null=True)),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="created at"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "delivered_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="delivered at"
                            ),
                        ),
                        (
                            "demand",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="demands.demand",
                                verbose_name="demand",
                            ),
                        ),
                        (
                            "webhook",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to="push.webhook",
                                verbose_name="webhook",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_webhookdelivery",
                        "verbose_name": "webhook delivery",
                        "verbose_name_plural": "webhook deliveries",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["state", "next_attempt_at"], name="webhook_delivery_due_idx"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="WebhookAttempt",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("number", models.PositiveIntegerField(verbose_name="attempt")),
                        (
                            "started_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="started at"
                            ),
                        ),
                        (
                            "duration_ms",
                            models.PositiveIntegerField(default=0, verbose_name="duration (ms)"),
                        ),
                        (
                            "status_code",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="HTTP status"
                            ),
                        ),
                        ("error", models.TextField(blank=True, verbose_name="error")),
                        ("succeeded", models.BooleanField(default=False, verbose_name="succeeded")),
                        (
                            "delivery",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attempt_log",
                                to="push.webhookdelivery",
                                verbose_name="delivery",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_webhookattempt",
                        "verbose_name": "webhook attempt",
                        "verbose_name_plural": "webhook attempts",
                        "ordering": ["delivery", "number", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="PublicationPush",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "waiting"),
                                    ("running", "running"),
                                    ("done", "done"),
                                    ("failed", "failed"),
                                    ("cancelled", "cancelled"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="state",
                            ),
                        ),
                        (
                            "matched",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="matching subscribers"
                            ),
                        ),
                        (
                            "notified",
                            models.PositiveIntegerField(default=0, verbose_name="notified"),
                        ),
                        (
                            "webhooks",
                            models.PositiveIntegerField(
                                default=0, verbose_name="webhook deliveries"
                            ),
                        ),
                        (
                            "last_user_id",
                            models.BigIntegerField(
                                default=0, verbose_name="checkpoint (last user id)"
                            ),
                        ),
                        ("runs", models.PositiveIntegerField(default=0, verbose_name="runs")),
                        (
                            "failures",
                            models.PositiveIntegerField(
                                default=0, verbose_name="failures in a row"
                            ),
                        ),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        (
                            "next_attempt_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="next attempt at"
                            ),
                        ),
                        (
                            "claimed_until",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="claimed until"
                            ),
                        ),
                        ("claim_token", models.UUIDField(blank=True, editable=False, null=True)),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="created at"
                            ),
                        ),
                        (
                            "started_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="started at"),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "demand",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="demands.demand",
                                verbose_name="demand",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_publicationpush",
                        "verbose_name": "publication push",
                        "verbose_name_plural": "publication pushes",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(fields=["state", "next_attempt_at"], name="push_due_idx")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SubscriptionKeyword",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("keyword", models.CharField(max_length=40)),
                        ("anchor", models.CharField(max_length=40)),
                        (
                            "subscription",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="keyword_index",
                                to="push.subscription",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_subscriptionkeyword",
                        "indexes": [
                            models.Index(
                                fields=["anchor", "keyword"], name="subscription_anchor_idx"
                            ),
                            models.Index(
                                fields=["keyword", "subscription"], name="subscription_keyword_idx"
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("subscription", "keyword"),
                                name="unique_subscription_keyword",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SubscriptionRegion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.CharField(max_length=6)),
                        (
                            "subscription",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="region_index",
                                to="push.subscription",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_subscriptionregion",
                        "indexes": [
                            models.Index(
                                fields=["code", "subscription"], name="subscription_region_idx"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("subscription", "code"), name="unique_subscription_region"
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.AlterModelTable(name="subscription", table=None),
        migrations.AlterModelTable(name="webhook", table=None),
        migrations.AlterModelTable(name="webhookdelivery", table=None),
        migrations.AlterModelTable(name="webhookattempt", table=None),
        migrations.AlterModelTable(name="publicationpush", table=None),
        migrations.AlterModelTable(name="subscriptionkeyword", table=None),
        migrations.AlterModelTable(name="subscriptionregion", table=None),
    ]
