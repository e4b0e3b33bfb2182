from decimal import Decimal

import pytest
from django.urls import reverse

from demands.enums import HideableField
from notifications.models import Notification
from solutions.models import ClarificationThread
from solutions.selectors import unread_count, with_unread
from solutions.services import clarifications
from solutions.services.base import SolutionError
from tests.factories.files import PrivateFileFactory
from tests.solutions.support import challenger, owner_of, published_demand

pytestmark = pytest.mark.django_db

CANARIES = {
    HideableField.ORGANISATION: "金丝雀问答科技有限公司",
    HideableField.CONTACT_PERSON: "雀问答",
    HideableField.PHONE: "13912345678",
    HideableField.EMAIL: "qa.canary@canary.cn",
    HideableField.ADDRESS: "西安市金丝雀路88号",
    HideableField.BUDGET: "876.54",
    HideableField.PRIZE: "234.56",
    HideableField.ATTACHMENTS: "金丝雀问答附件.pdf",
}


@pytest.fixture
def hiding_demand():
    demand = published_demand(
        contact_person=CANARIES[HideableField.CONTACT_PERSON],
        contact_mobile=CANARIES[HideableField.PHONE], contact_email=CANARIES[HideableField.EMAIL],
        address=CANARIES[HideableField.ADDRESS], budget=Decimal(CANARIES[HideableField.BUDGET]),
        prize=Decimal(CANARIES[HideableField.PRIZE]), hidden_fields=list(HideableField.values),
        hidden_passages=["钽铌配方QX9"])
    demand.organisation.name = CANARIES[HideableField.ORGANISATION]
    demand.organisation.save()
    PrivateFileFactory(name=CANARIES[HideableField.ATTACHMENTS], attach_to=demand)
    return demand


@pytest.mark.parametrize("field", list(HideableField.values) + ["passage"])
def test_a_published_answer_never_carries_a_hidden_value(hiding_demand, field):
    demand = hiding_demand
    owner = owner_of(demand)
    asker = challenger(demand)
    thread = clarifications.ask(demand, asker=asker, text="样件由谁提供？")
    canary = "钽铌配方QX9" if field == "passage" else CANARIES[field]
    with pytest.raises(SolutionError) as refused:
        clarifications.publish(thread, actor=owner, question="样件由谁提供？",
                               answer=f"请联系 {canary} 获取。")
    assert refused.value.code == "hidden_value"
    thread.refresh_from_db()
    assert thread.published_at is None


def test_published_answer_shows_to_everyone_without_the_asker(client, hiding_demand):
    from demands.public.projection import refresh_public_index

    demand = hiding_demand
    refresh_public_index(demand)
    owner = owner_of(demand)
    asker = challenger(demand)
    asker.full_name = "提问者张三"
    asker.save()
    thread = clarifications.ask(demand, asker=asker, text="私下的问题QX")
    with pytest.raises(SolutionError):
        clarifications.publish(thread, actor=owner, question="张三问：样件？",
                               answer=f"见 {asker.email}")
    clarifications.publish(thread, actor=owner, question="样件由谁提供？", answer="需求方提供。")
    page = client.get(reverse("solutions:questions", args=[demand.ref])).content.decode()
    assert "需求方提供。" in page
    assert "私下的问题QX" not in page and asker.email not in page and "提问者张三" not in page
    other = challenger(demand)
    client.force_login(other)
    page = client.get(reverse("solutions:questions", args=[demand.ref])).content.decode()
    assert "需求方提供。" in page and "私下的问题QX" not in page
    assert client.get(reverse("solutions:thread", args=[thread.pk])).status_code == 404


def test_replies_unread_counts_and_notifications_once(hiding_demand):
    demand = hiding_demand
    owner = owner_of(demand)
    asker = challenger(demand)
    thread = clarifications.ask(demand, asker=asker, text="问题一")
    assert Notification.objects.filter(kind="solution.question", recipient=owner).count() == 1
    assert unread_count(owner) == 1 and unread_count(asker) == 0
    clarifications.reply(thread, author=owner, text="答复一")
    clarifications.reply(thread, author=owner, text="答复二")
    assert unread_count(asker) == 2
    assert with_unread(ClarificationThread.objects.all(), asker).get().unread == 2
    assert Notification.objects.filter(kind="solution.clarification_reply",
                                       recipient=asker).count() == 2
    clarifications.mark_read(thread, asker)
    assert unread_count(asker) == 0
    clarifications.reply(thread, author=asker, text="追问")
    assert unread_count(owner) == 1  # replying marked the earlier ones read
    stranger = challenger(demand)
    with pytest.raises(SolutionError):
        clarifications.reply(thread, author=stranger, text="插话")


def test_unsigned_challenger_cannot_ask(hiding_demand):
    with pytest.raises(SolutionError) as refused:
        clarifications.ask(hiding_demand, asker=challenger(hiding_demand, signed=False),
                           text="问题")
    assert refused.value.code == "agreements"
