"""The award as a complaint target, registered from awards' own ready() (complaints may not
import awards): it resolves only for whom may see the award, goes to the unit that made it, and
both sides answer for it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from awards import services
from common.references import complaint_target
from complaints import services as complaints

pytestmark = pytest.mark.django_db


def test_an_award_is_a_complaint_target_seen_only_by_its_sides_and_staff(
        live_round, host_organiser, other_host_organiser, contenders, demand_owner, stranger):
    member, solution = contenders[0]
    award = services.make_award(live_round.demand, solution.organisation, title="现场赛一等奖",
                                amount="20", due_on=timezone.localdate() + timedelta(days=30),
                                live_round=live_round, actor=host_organiser)
    assert complaint_target("awards.award").recheck is None
    for outsider in (stranger, other_host_organiser, contenders[1][0]):
        with pytest.raises(complaints.ComplaintError) as error:
            complaints.file_complaint(complainant=outsider, target_key="awards.award",
                                      reference=str(award.pk), category="process",
                                      description="奖金逾期未付")
        assert error.value.code == "no_target"
    with pytest.raises(complaints.ComplaintError) as error:
        complaints.file_complaint(complainant=host_organiser, target_key="awards.award",
                                  reference=str(award.pk), category="process", description="x")
    assert error.value.code == "own_target"
    complaint = complaints.file_complaint(complainant=member, target_key="awards.award",
                                          reference=str(award.pk), category="process",
                                          description="奖金逾期未付")
    assert complaint.handling_unit_id == award.host_unit_id
    assert set(complaint.parties.all()) == {demand_owner}
