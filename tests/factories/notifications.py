import factory

from notifications.enums import DeliveryMode, EmailState
from notifications.models import Notification, NotificationPreference, OutboundEmail
from tests.factories.accounts import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "demand.status_changed"
    text = factory.Sequence(lambda n: f"您的需求 {n} 状态已更新")
    url = "/"
    idempotency_key = factory.Sequence(lambda n: f"test:notification:{n}")


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboundEmail

    recipient = factory.SubFactory(UserFactory)
    to_address = factory.LazyAttribute(lambda email: email.recipient.email)
    kind = "demand.status_changed"
    language = "zh-hans"
    subject = factory.Sequence(lambda n: f"需求状态更新 {n}")
    body = "您的需求状态已更新。\n"
    idempotency_key = factory.Sequence(lambda n: f"test:email:{n}")
    state = EmailState.PENDING


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    kind = "demand.status_changed"
    mode = DeliveryMode.DIGEST
