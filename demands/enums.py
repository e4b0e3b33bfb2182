from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.workflow import Edge, successors


class DemandStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("demand status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("demand status", "Submitted")
    IN_ANALYSIS = "in_analysis", pgettext_lazy("demand status", "In expert analysis")
    RETURNED = "returned", pgettext_lazy("demand status", "Returned for revision")
    APPROVED = "approved", pgettext_lazy("demand status", "Approved")
    REJECTED = "rejected", pgettext_lazy("demand status", "Rejected")
    PUBLISHED = "published", pgettext_lazy("demand status", "Published")
    CLOSED = "closed", pgettext_lazy("demand status", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("demand status", "Withdrawn")


# Only these states are public; anything else is never projected into a public page.
PUBLIC_STATES = (DemandStatus.PUBLISHED, DemandStatus.CLOSED)


# The workflow as data: each allowed change and the predicate (in ``permissions``) its actor
# must pass. The system (a beat task) may only close a published demand.
_S = DemandStatus
DEMAND_EDGES = (
    Edge(_S.DRAFT, _S.SUBMITTED, "is_author"),
    Edge(_S.DRAFT, _S.WITHDRAWN, "can_withdraw"),
    Edge(_S.SUBMITTED, _S.IN_ANALYSIS, "is_reviewer"),
    Edge(_S.SUBMITTED, _S.RETURNED, "is_reviewer"),
    Edge(_S.SUBMITTED, _S.APPROVED, "is_reviewer"),
    Edge(_S.SUBMITTED, _S.REJECTED, "is_reviewer"),
    Edge(_S.SUBMITTED, _S.WITHDRAWN, "can_withdraw"),
    Edge(_S.IN_ANALYSIS, _S.RETURNED, "is_reviewer"),
    Edge(_S.IN_ANALYSIS, _S.APPROVED, "is_reviewer"),
    Edge(_S.IN_ANALYSIS, _S.REJECTED, "is_reviewer"),
    Edge(_S.IN_ANALYSIS, _S.WITHDRAWN, "can_withdraw"),
    Edge(_S.RETURNED, _S.SUBMITTED, "is_author"),
    Edge(_S.RETURNED, _S.WITHDRAWN, "can_withdraw"),
    Edge(_S.APPROVED, _S.PUBLISHED, "is_reviewer"),
    Edge(_S.APPROVED, _S.RETURNED, "is_reviewer"),
    Edge(_S.APPROVED, _S.WITHDRAWN, "can_withdraw"),
    Edge(_S.PUBLISHED, _S.CLOSED, "is_reviewer", system=True),
    Edge(_S.PUBLISHED, _S.WITHDRAWN, "can_withdraw"),
)
# The same, as ``{state: {states it may move to}}``.
TRANSITIONS = successors(DEMAND_EDGES, DemandStatus)

# States whose demand the owner may still edit.
EDITABLE_STATES = {DemandStatus.DRAFT, DemandStatus.RETURNED}


class DemandType(models.TextChoices):
    RESEARCH = "research", _("Technology R&D")            # 技术研发
    PRODUCT = "product", _("Product development")         # 产品研发
    PROCESS = "process", _("Process improvement")         # 工艺改进
    SUPPORTING = "supporting", _("Supporting technology") # 技术配套
    ACQUISITION = "acquisition", _("Acquiring results")   # 成果引进
    OTHER = "other", pgettext_lazy("demand type", "Other")  # 其他


class CooperationMode(models.TextChoices):
    """Civil Code arts. 843, 851, 863 (四技合同)."""

    COMMISSIONED = "commissioned", _("Commissioned development")  # 委托开发
    JOINT = "joint", _("Joint development")                       # 合作开发
    TRANSFER = "transfer", _("Technology transfer")               # 技术转让
    LICENSE = "license", _("Technology licensing")                # 技术许可
    CONSULTING = "consulting", _("Technical consulting")          # 技术咨询
    SERVICE = "service", _("Technical service")                   # 技术服务


class OutcomeForm(models.TextChoices):
    PROTOTYPE = "prototype", _("Prototype")   # 样机
    PROCESS = "process", _("Process")         # 工艺
    SOFTWARE = "software", _("Software")      # 软件
    PATENT = "patent", _("Patent")            # 专利
    STANDARD = "standard", _("Standard")      # 标准
    REPORT = "report", _("Report")            # 研究报告
    OTHER = "other", pgettext_lazy("outcome form", "Other")


class IPOwnership(models.TextChoices):
    DEMAND_SIDE = "demand_side", _("Owned by the demand side")  # 需求方所有
    SHARED = "shared", _("Jointly owned")                       # 共有
    DEVELOPER = "developer", _("Owned by the developer")        # 研发方所有
    NEGOTIABLE = "negotiable", _("To be negotiated")            # 协商


class HideableField(models.TextChoices):
    """What the owner may keep from the public (seed 四(三))."""

    ORGANISATION = "organisation", _("Organisation name")
    CONTACT_PERSON = "contact_person", _("Contact person")
    PHONE = "phone", _("Phone numbers")
    EMAIL = "email", _("E-mail")
    ADDRESS = "address", _("Address")
    BUDGET = "budget", _("Budget")
    PRIZE = "prize", _("Prize")
    ATTACHMENTS = "attachments", _("Attachments")


class AnalysisVerdict(models.TextChoices):
    PUBLISH = "publish", _("Suitable for publishing")
    REVISE = "revise", _("Publish after revision")
    UNSUITABLE = "unsuitable", _("Not suitable for the contest")


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("wording proposal", "Awaiting the owner")
    ACCEPTED = "accepted", pgettext_lazy("wording proposal", "Accepted")
    DECLINED = "declined", pgettext_lazy("wording proposal", "Declined")


class AccessState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("access request", "Requested")
    GRANTED = "granted", pgettext_lazy("access request", "Granted")
    DECLINED = "declined", pgettext_lazy("access request", "Declined")
    REVOKED = "revoked", pgettext_lazy("access request", "Revoked")


# A wording proposal is answered once, by the demand's owner.
PROPOSAL_EDGES = (
    Edge(ProposalState.PROPOSED, ProposalState.ACCEPTED, "can_decide_proposal_of",
         action="wording_accepted"),
    Edge(ProposalState.PROPOSED, ProposalState.DECLINED, "can_decide_proposal_of",
         action="wording_declined"),
)

# An access request is decided by the owner's administrators or the host unit's staff; a
# declined challenger may ask again.
ACCESS_EDGES = (
    Edge(AccessState.REQUESTED, AccessState.GRANTED, "can_manage_access_of",
         action="access_granted"),
    Edge(AccessState.REQUESTED, AccessState.DECLINED, "can_manage_access_of",
         action="access_declined"),
    Edge(AccessState.GRANTED, AccessState.REVOKED, "can_manage_access_of",
         action="access_revoked"),
    Edge(AccessState.DECLINED, AccessState.REQUESTED, "is_requester", action="access_requested"),
)
ACCESS_TRANSITIONS = successors(ACCESS_EDGES, AccessState)
