"""Awards: the clause acknowledged by both sides before payment, payment with its proof and the
challenger's receipt, overdue reminders once a day (frozen clock), 404 for strangers, the list's
query count pinned."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import ActivityLog
from awards import services
from awards.enums import AwardState
from awards.models import Award
from notifications.models import Notification
from tests.factories.files import PrivateFileFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def award(live_round, host_organiser, contenders):
    _member, solution = contenders[0]
    return services.make_award(live_round.demand, solution.organisation, title="现场赛一等奖",
                               amount="20", due_on=timezone.localdate() + timedelta(days=30),
                               live_round=live_round, actor=host_organiser)


def test_only_the_units_staff_award_a_challenger_of_the_round(live_round, other_host_organiser,
                                                              host_organiser, contenders):
    _member, solution = contenders[0]
    with pytest.raises(services.AwardError):
        services.make_award(live_round.demand, solution.organisation, title="x", amount="1",
                            due_on=date(2027, 1, 1), live_round=live_round,
                            actor=other_host_organiser)
    with pytest.raises(services.AwardError) as error:
        services.make_award(live_round.demand, live_round.demand.organisation, title="x",
                            amount="1", due_on=date(2027, 1, 1), live_round=live_round,
                            actor=host_organiser)
    assert error.value.field == "recipient"


def test_payment_waits_for_both_acknowledgements_then_receipt(award, demand_owner, contenders):
    member = contenders[0][0]
    proof = PrivateFileFactory(uploaded_by=demand_owner)
    assert award.payer_id == award.demand.organisation_id
    with pytest.raises(services.AwardError):
        services.record_payment(award, paid_on=timezone.localdate(), amount="20", proof=proof,
                                actor=demand_owner)
    services.acknowledge(award, actor=demand_owner)
    assert award.state == AwardState.OFFERED and award.payer_ack_at
    with pytest.raises(services.AwardError) as error:
        services.acknowledge(award, actor=demand_owner)
    assert error.value.code == "done"
    services.acknowledge(award, actor=member)
    assert award.state == AwardState.ACKNOWLEDGED
    assert ActivityLog.objects.filter(action="portal.awards.award.acknowledge").count() == 2
    # the challenger cannot record the payment, nor confirm a receipt before it
    with pytest.raises(services.AwardError):
        services.record_payment(award, paid_on=timezone.localdate(), amount="20", proof=proof,
                                actor=member)
    with pytest.raises(services.AwardError):
        services.confirm_receipt(award, actor=member)
    with pytest.raises(services.AwardError):
        services.record_payment(award, paid_on=timezone.localdate() + timedelta(days=1),
                                amount="20", proof=proof, actor=demand_owner)
    services.record_payment(award, paid_on=timezone.localdate(), amount="20", proof=proof,
                            actor=demand_owner)
    assert award.state == AwardState.PAID and award.paid_amount == Decimal("20")
    with pytest.raises(services.AwardError):
        services.confirm_receipt(award, actor=demand_owner)
    services.confirm_receipt(award, actor=member)
    assert award.state == AwardState.RECEIVED and award.received_by == member
    assert list(award.transitions.values_list("to_state", flat=True)) == [
        AwardState.ACKNOWLEDGED, AwardState.PAID, AwardState.RECEIVED]


def test_strangers_cannot_acknowledge(award, stranger):
    with pytest.raises(services.AwardError) as error:
        services.acknowledge(award, actor=stranger)
    assert error.value.code == "permission_denied"


def test_overdue_payment_is_reminded_once_a_day(award, demand_owner, contenders):
    """The clock is the task's ``today`` (what beat's run date would be)."""
    due = award.due_on
    assert services.remind_overdue(today=due) == 0  # due today is not overdue
    assert services.remind_overdue(today=due + timedelta(days=1)) == 1
    assert services.remind_overdue(today=due + timedelta(days=1)) == 0
    assert Notification.objects.filter(kind="awards.award", recipient=demand_owner,
                                       text__contains=due.isoformat()).count() == 1
    assert not Notification.objects.filter(kind="awards.award", recipient=contenders[0][0],
                                           text__contains=due.isoformat()).exists()
    assert services.remind_overdue(today=due + timedelta(days=2)) == 1
    Award.objects.filter(pk=award.pk).update(state=AwardState.PAID)
    assert services.remind_overdue(today=due + timedelta(days=3)) == 0


def test_pages_flow_and_404_for_strangers(client, award, demand_owner, contenders, stranger,
                                          other_host_organiser):
    member = contenders[0][0]
    detail = reverse("awards:detail", kwargs={"pk": award.pk})
    for user in (stranger, other_host_organiser, contenders[1][0]):
        client.force_login(user)
        assert client.get(detail).status_code == 404
        assert client.post(reverse("awards:acknowledge", kwargs={"pk": award.pk}),
                           {"clause": "read"}).status_code == 404
    for user in (demand_owner, member):
        client.force_login(user)
        body = client.get(detail).content.decode()
        assert award.clause in body
        client.post(reverse("awards:acknowledge", kwargs={"pk": award.pk}), {"clause": "read"})
    award.refresh_from_db()
    assert award.state == AwardState.ACKNOWLEDGED
    client.force_login(demand_owner)
    response = client.post(reverse("awards:payment", kwargs={"pk": award.pk}), {
        "paid_on": timezone.localdate().isoformat(), "paid_amount": "20",
        "proof": SimpleUploadedFile("转账凭证.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    award.refresh_from_db()
    assert award.state == AwardState.PAID and award.proof.original_name == "转账凭证.pdf"
    client.force_login(member)
    assert client.get(reverse("files:download", kwargs={"key": award.proof.uuid})
                      ).status_code == 200
    client.post(reverse("awards:receipt", kwargs={"pk": award.pk}))
    award.refresh_from_db()
    assert award.state == AwardState.RECEIVED
    client.force_login(stranger)
    assert client.get(reverse("files:download", kwargs={"key": award.proof.uuid})
                      ).status_code == 404


def test_award_list_query_count_is_pinned(client, award, host_organiser, live_round,
                                          contenders, django_assert_max_num_queries):
    client.force_login(host_organiser)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("awards:list")).status_code == 200
    for _member, solution in contenders[1:]:
        for n in range(3):
            services.make_award(live_round.demand, solution.organisation, title=f"奖{n}",
                                amount="1", due_on=date(2027, 1, 1), live_round=live_round,
                                actor=host_organiser)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("awards:list")).content.decode()
    assert body.count("奖") >= 7


def test_links_on_the_demand_page_and_the_workspace(client, award, host_organiser,
                                                    live_round, demand_owner, stranger):
    from awards.links import demand_links
    from matching.enums import RoundState
    from matching.models import LiveRound

    demand = live_round.demand
    LiveRound.objects.filter(pk=live_round.pk).update(state=RoundState.FINISHED)
    links = demand_links(host_organiser, ref=demand.ref, demand=demand, page="private")
    assert (award.get_absolute_url() == links[0][1]
            and links[-1][1] == reverse("awards:create", args=[live_round.pk]))
    assert [u for _l, u in demand_links(demand_owner, ref=demand.ref, page="private")] == [
        award.get_absolute_url()]
    assert demand_links(stranger, ref=demand.ref, page="private") == []
    client.force_login(demand_owner)
    assert reverse("awards:list") in client.get(reverse("accounts:dashboard")).content.decode()
