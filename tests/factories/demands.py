"""Factories of the demands app. ``DemandFactory`` builds a complete demand in the standard
format (ready to submit); pass ``status=`` to place it anywhere in the workflow without
going through it (tests of the workflow itself use ``demands.services``)."""

import datetime

import factory
from django.utils import timezone

from demands.enums import (
    AnalysisVerdict,
    CooperationMode,
    DemandStatus,
    DemandType,
    IPOwnership,
    OutcomeForm,
    ProposalState,
)
from demands.models import (
    Analysis,
    Demand,
    DemandTransition,
    ExpertAssignment,
    Indicator,
    WordingProposal,
)
from demands.services import format_reference
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.contests import HostUnitFactory, IndustryFieldFactory


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demand
        skip_postgeneration_save = True

    host_unit = factory.SubFactory(HostUnitFactory)
    organisation = factory.SubFactory(OrganisationFactory, region="610100")
    created_by = factory.SubFactory(UserFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    ref = factory.LazyAttribute(lambda o: format_reference(
        o.host_unit.event.contest.edition, o.host_unit.event.number, o.sequence))
    status = DemandStatus.DRAFT
    title = factory.Sequence(lambda n: f"动力电池包热管理系统优化{n}")
    industry_field = factory.SubFactory(IndustryFieldFactory)
    demand_type = DemandType.RESEARCH
    keywords = factory.LazyFunction(lambda: ["热管理", "动力电池", "液冷"])
    current_base = "公司现有液冷板设计与试制能力，电池包年产能2万套。"
    key_problem = "快充工况下电芯温差超过8℃，需要将温差控制在3℃以内，同时降低液冷系统能耗。"
    expected_outcome = "形成可量产的热管理方案并完成样机验证。"
    outcome_forms = factory.LazyFunction(lambda: [OutcomeForm.PROTOTYPE, OutcomeForm.PATENT])
    time_requirement = "12个月内完成样机"
    cooperation_modes = factory.LazyFunction(lambda: [CooperationMode.JOINT])
    ip_ownership = IPOwnership.SHARED
    challenger_conditions = "具备电池热管理仿真与实验能力。"
    budget = 200
    prize = 10
    solution_deadline = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=60))
    region = "610100"
    address = "西安市高新区锦业路1号"
    contact_person = "王工"
    contact_mobile = "13800138000"
    contact_landline = "029-88886666"
    contact_email = "wang@example.cn"
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == DemandStatus.DRAFT else timezone.now())
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in (DemandStatus.PUBLISHED, DemandStatus.CLOSED)
        else None)

    @factory.post_generation
    def indicators(self, create, extracted, **kwargs):
        if not create:
            return
        rows = extracted if extracted is not None else [
            ("电芯最大温差", "≤3", "℃", "8"), ("系统能耗降低", "≥15", "%", "0")]
        for position, (name, target, unit, current) in enumerate(rows):
            Indicator.objects.create(demand=self, position=position, name=name,
                                     target_value=target, unit=unit, current_value=current)


class DemandTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemandTransition

    demand = factory.SubFactory(DemandFactory)
    from_state = DemandStatus.DRAFT
    to_state = DemandStatus.SUBMITTED


class ExpertAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertAssignment

    demand = factory.SubFactory(DemandFactory, status=DemandStatus.IN_ANALYSIS)
    expert = factory.SubFactory(UserFactory, roles=["expert"])
    assigned_by = factory.SubFactory(UserFactory)


class AnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Analysis

    demand = factory.SubFactory(DemandFactory, status=DemandStatus.IN_ANALYSIS)
    expert = factory.SubFactory(UserFactory, roles=["expert"])
    analysis = "需求边界清晰，关键指标可量化。"
    recommendations = "建议补充电芯型号与快充倍率。"
    verdict = AnalysisVerdict.PUBLISH


class WordingProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WordingProposal

    demand = factory.SubFactory(DemandFactory, status=DemandStatus.APPROVED)
    proposed_by = factory.SubFactory(UserFactory)
    texts = factory.LazyFunction(lambda: {"title": "动力电池快充热管理技术攻关"})
    state = ProposalState.PROPOSED
