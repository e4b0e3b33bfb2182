"""The demands: at unit A the owner's published demand (every hideable field hidden, each
holding a canary) with an attachment, a draft and a submitted one; at unit B another company's
published demand and draft. Around them: expert assignments and analyses, wording proposals,
access requests (one granted, one pending, one foreign), and a demand import job."""

from decimal import Decimal

from django.utils import timezone

from common.importexport.models import ImportJob
from demands.enums import DemandStatus, HideableField
from demands.models import AccessRequest
from tests.factories.demands import (
    AnalysisFactory,
    DemandFactory,
    ExpertAssignmentFactory,
    WordingProposalFactory,
)
from tests.factories.files import PrivateFileFactory

from .canaries import CANARIES, FOREIGN_MARK, HIDDEN_PASSAGE, PUBLIC_TITLE


def demands(users, *, unit_a, unit_b, field_, owner_org, other_org):
    """The demands of both units and what hangs on them, by name."""
    demand = DemandFactory(
        host_unit=unit_a,
        organisation=owner_org,
        created_by=users["owner"],
        status=DemandStatus.PUBLISHED,
        industry_field=field_,
        title=PUBLIC_TITLE,
        current_base=f"已有等离子喷涂产线，采用{HIDDEN_PASSAGE}制备粘结层。",
        key_problem=f"涂层在1100℃热循环500次后剥落，需改进{HIDDEN_PASSAGE}或替代工艺。",
        contact_person=CANARIES[HideableField.CONTACT_PERSON],
        contact_mobile=CANARIES[HideableField.PHONE],
        contact_email=CANARIES[HideableField.EMAIL],
        address=CANARIES[HideableField.ADDRESS],
        budget=Decimal(CANARIES[HideableField.BUDGET]),
        prize=Decimal(CANARIES[HideableField.PRIZE]),
        hidden_fields=list(HideableField.values),
        hidden_passages=[HIDDEN_PASSAGE],
    )
    attachment = PrivateFileFactory(
        name=CANARIES[HideableField.ATTACHMENTS], attach_to=demand, uploaded_by=users["owner"]
    )
    from demands.public.projection import refresh_public_index

    refresh_public_index(demand)
    demand.refresh_from_db()
    draft = DemandFactory(
        host_unit=unit_a,
        organisation=owner_org,
        created_by=users["owner"],
        status=DemandStatus.DRAFT,
        title="企业草稿矩阵",
    )
    submitted = DemandFactory(
        host_unit=unit_a,
        organisation=owner_org,
        created_by=users["owner"],
        status=DemandStatus.SUBMITTED,
        title="已提交需求矩阵",
    )
    foreign = DemandFactory(
        host_unit=unit_b,
        organisation=other_org,
        created_by=users["other_company"],
        status=DemandStatus.PUBLISHED,
        title=f"外单位公开需求{FOREIGN_MARK}",
        industry_field=field_,
    )
    refresh_public_index(foreign)
    foreign.refresh_from_db()
    foreign_draft = DemandFactory(
        host_unit=unit_b,
        organisation=other_org,
        created_by=users["other_company"],
        status=DemandStatus.DRAFT,
        title=f"外单位草稿{FOREIGN_MARK}",
        contact_mobile="13700009999",
    )
    assignment = ExpertAssignmentFactory(
        demand=demand, expert=users["expert_assigned"], assigned_by=users["host"]
    )
    ExpertAssignmentFactory(
        demand=submitted, expert=users["expert_assigned"], assigned_by=users["host"]
    )
    foreign_assignment = ExpertAssignmentFactory(
        demand=foreign, expert=users["expert"], assigned_by=users["other_host"]
    )
    analysis = AnalysisFactory(demand=demand, expert=users["expert_assigned"])
    foreign_analysis = AnalysisFactory(
        demand=foreign, expert=users["expert"], analysis=f"外单位分析{FOREIGN_MARK}"
    )
    proposal = WordingProposalFactory(demand=demand, proposed_by=users["host"])
    foreign_proposal = WordingProposalFactory(demand=foreign, proposed_by=users["other_host"])

    access_request = AccessRequest
    granted = access_request.objects.create(
        demand=demand,
        user=users["challenger_granted"],
        state="granted",
        decided_by=users["owner"],
        decided_at=timezone.now(),
    )
    pending_access = access_request.objects.create(
        demand=demand, user=users["challenger"], message="请授权查看"
    )
    foreign_access = access_request.objects.create(
        demand=foreign, user=users["challenger"], message="请授权查看外单位"
    )
    return {
        "demand": demand,
        "attachment": attachment,
        "draft": draft,
        "submitted": submitted,
        "foreign": foreign,
        "foreign_draft": foreign_draft,
        "assignment": assignment,
        "foreign_assignment": foreign_assignment,
        "analysis": analysis,
        "foreign_analysis": foreign_analysis,
        "proposal": proposal,
        "foreign_proposal": foreign_proposal,
        "granted": granted,
        "pending_access": pending_access,
        "foreign_access": foreign_access,
    }


def import_job(users):
    """A demand import job of unit A's host."""
    return ImportJob.objects.create(
        user=users["host"],
        resource_key="demands.demand",
        file="imports/harness.csv",
        file_token="harness",
        extension="csv",
        original_name="需求导入.csv",
    )
