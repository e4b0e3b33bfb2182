"""A re-check is reviewed by nobody who judged the result or has a conflict with a side. The
rules come from the target's app; here a test-only target stands for a live round."""

import pytest
from django.contrib.auth import get_user_model

from common.references import (
    ComplaintTarget,
    RecheckRules,
    register_complaint_target,
    unregister_complaint_target,
)
from complaints import services
from contests.models import HostUnit
from tests.factories.accounts import UserFactory


@pytest.fixture
def round_target(host_unit):
    judges = {"ids": set()}
    conflicts = {"ids": set()}
    register_complaint_target(ComplaintTarget(
        key="tests.live_round", label="a live round", model="contests.HostUnit",
        resolve=lambda user, reference: HostUnit.objects.filter(slug=reference).first(),
        reference_of=lambda unit: unit.slug, describe=lambda unit: f"路演 {unit.name}",
        host_unit_of=lambda unit: unit.pk,
        recheck=RecheckRules(
            excluded_reviewers=lambda unit: judges["ids"] | conflicts["ids"],
            reviewer_pool=lambda unit: get_user_model().objects.filter(roles__code="expert"),
            score_sheets=lambda unit: [("SS-1", "评分表 1"), ("SS-2", "评分表 2")],
        ),
    ))
    yield judges, conflicts
    unregister_complaint_target("tests.live_round")


def test_recheck_only_for_targets_that_declare_it(challenger, host_unit, demand):
    with pytest.raises(services.ComplaintError) as error:
        services.file_complaint(complainant=challenger, target_key="demands.demand",
                                reference=demand.ref, category="recheck", description="复核")
    assert error.value.field == "category"


def test_reviewers_exclude_judges_and_conflicts(round_target, challenger, host_unit,
                                                host_organiser):
    judges, conflicts = round_target
    judge, conflicted, free = (UserFactory(roles=["expert"]) for _ in range(3))
    judges["ids"].add(judge.pk)
    conflicts["ids"].add(conflicted.pk)
    complaint = services.file_complaint(
        complainant=challenger, target_key="tests.live_round", reference=host_unit.slug,
        category="recheck", description="请求复核路演结果")
    assert complaint.score_sheets == [["SS-1", "评分表 1"], ["SS-2", "评分表 2"]]
    assert list(services.reviewer_candidates(complaint)) == [free]
    for excluded in (judge, conflicted):
        with pytest.raises(services.ComplaintError) as error:
            services.assign_reviewer(complaint, actor=host_organiser, reviewer=excluded)
        assert error.value.code == "excluded_reviewer"
    services.assign_reviewer(complaint, actor=host_organiser, reviewer=free)
    complaint.refresh_from_db()
    assert complaint.reviewer == free
    # Only the handler assigns.
    with pytest.raises(services.ComplaintError):
        services.assign_reviewer(complaint, actor=challenger, reviewer=free)
