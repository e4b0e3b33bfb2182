import datetime

import factory
from django.utils import timezone

from contests.enums import REQUIRED_STAGES, Stage, SummaryState, WorkPlanState
from contests.models import (
    ChallengeNotice,
    ComplaintChannel,
    Contest,
    Event,
    HostMembership,
    HostUnit,
    IndustryField,
    SummaryReport,
    WorkPlan,
    WorkPlanStage,
)


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest
        django_get_or_create = ("edition",)

    edition = 6
    name = "第六届中国创新挑战赛"
    document_number = "国科发火〔2021〕138号"
    year = 2021
    is_current = True


class IndustryFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryField
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name = factory.Sequence(lambda n: f"产业领域{n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        django_get_or_create = ("contest", "number")

    contest = factory.SubFactory(ContestFactory)
    # Demand references carry the event number in two or three digits (6-04-0001): a long
    # session's sequence wraps instead of growing past 999.
    number = factory.Sequence(lambda n: n % 999 + 1)
    name = factory.LazyAttribute(lambda o: f"第六届中国创新挑战赛（赛事{o.number}）")


class HostUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostUnit
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"示例市人民政府{n}")
    slug = factory.Sequence(lambda n: f"host-{n}")
    region = "610100"
    region_name = "西安"

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create:
            self.fields.add(*(extracted or [IndustryFieldFactory()]))


class HostMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostMembership

    # Host staff work in Django admin, so they are staff (as services.add_host_member makes them).
    user = factory.SubFactory("tests.factories.accounts.UserFactory", roles=["host_organiser"],
                             is_staff=True)
    host_unit = factory.SubFactory(HostUnitFactory)


class WorkPlanFactory(factory.django.DjangoModelFactory):
    """A complete draft: every key field filled, ready to be submitted once stages exist
    (``with_stages=True`` adds the dates of every required stage)."""

    class Meta:
        model = WorkPlan
        skip_postgeneration_save = True

    host_unit = factory.SubFactory(HostUnitFactory)
    state = WorkPlanState.DRAFT
    focus_areas = "光电芯片、人工智能"
    goals = "征集企业技术需求，组织揭榜比拼"
    target_demands = 100
    target_agreements = 20
    organisation = "市科技局具体承办"

    @factory.post_generation
    def with_stages(self, create, extracted, **kwargs):
        if create and extracted:
            for index, stage in enumerate(REQUIRED_STAGES):
                WorkPlanStageFactory(work_plan=self, stage=stage,
                                     starts_on=datetime.date(2021, 6, 1 + 3 * index),
                                     ends_on=datetime.date(2021, 6, 3 + 3 * index))


class WorkPlanStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlanStage

    work_plan = factory.SubFactory(WorkPlanFactory)
    stage = Stage.DEMAND_COLLECTION
    starts_on = datetime.date(2021, 6, 1)
    ends_on = datetime.date(2021, 7, 31)


class ChallengeNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChallengeNotice

    host_unit = factory.SubFactory(HostUnitFactory)
    title = factory.Sequence(lambda n: f"挑战须知{n}")
    body = "面向全社会征集挑战者。"
    is_published = False

    class Params:
        published = factory.Trait(
            is_published=True,
            published_at=factory.LazyFunction(timezone.now),
        )


class ComplaintChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintChannel

    host_unit = factory.SubFactory(HostUnitFactory)
    name = factory.Sequence(lambda n: f"投诉受理机构{n}")
    phone = "029-86786000"
    email = "complaints@example.cn"
    address = "陕西省西安市未央区凤城八路109号"


class SummaryReportFactory(factory.django.DjangoModelFactory):
    """A draft with its four sections written, ready to be submitted (``submitted=True``: a
    submitted report with one frozen figure, written directly, without the workflow)."""

    class Meta:
        model = SummaryReport

    host_unit = factory.SubFactory(HostUnitFactory)
    state = SummaryState.DRAFT
    implementation = "征集技术需求120项，发布86项，组织对接会5场。"
    results = "“征集一批、发布一批、对接一批”的滚动机制效果明显。"
    shortcomings = "部分需求描述不够量化，专家梳理时间偏紧。"
    suggestions = "建议延长方案征集期，加强跨区域需求共享。"

    class Params:
        submitted = factory.Trait(
            state=SummaryState.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            figures_at=factory.LazyFunction(timezone.now),
            figures=factory.LazyFunction(lambda: [
                {"key": "demands_collected", "label": "Demands collected", "value": 3,
                 "unit": ""}]),
        )
