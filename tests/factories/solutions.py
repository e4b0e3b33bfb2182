"""Factories of the solutions app. ``SolutionFactory`` builds a complete solution; pass
``status=`` to place it in the workflow without going through it (workflow tests use the
services)."""

import factory
from django.utils import timezone

from demands.enums import CooperationMode, DemandStatus
from solutions.enums import SUBMITTED_STATES, IPStatus, SolutionStatus, Verification
from solutions.models import IndicatorAnswer, Solution
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.demands import DemandFactory


class SolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Solution
        skip_postgeneration_save = True

    demand = factory.SubFactory(DemandFactory, status=DemandStatus.PUBLISHED)
    organisation = factory.SubFactory(OrganisationFactory, kind="university")
    created_by = factory.SubFactory(UserFactory)
    status = SolutionStatus.DRAFT
    title = factory.Sequence(lambda n: f"基于微通道液冷的电池包均温方案{n}")
    summary = "采用微通道液冷板与相变材料复合的热管理架构。"
    approach = "第一阶段完成仿真，第二阶段试制样机并在快充工况下测试。"
    trl = 5
    ip_status = IPStatus.FILED
    patent_numbers = factory.LazyFunction(lambda: ["ZL200310102344.5"])
    team_lead = "李教授"
    team_members = "张博士、王工"
    team_institution = "挑战大学"
    cost = 150
    duration_months = 12
    cooperation_mode = CooperationMode.JOINT
    submitted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in SUBMITTED_STATES
        or (o.status == SolutionStatus.WITHDRAWN) else None)
    version = factory.LazyAttribute(lambda o: 1 if o.submitted_at else 0)

    @factory.post_generation
    def answers(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for indicator in self.demand.indicators.all()[:1]:
            IndicatorAnswer.objects.create(solution=self, indicator=indicator,
                                           promised_value="≤2.5",
                                           verification=Verification.TEST_REPORT,
                                           note="第三方检测报告")
