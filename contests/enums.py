from django.db import models
from django.utils.translation import pgettext_lazy

from common.workflow import Edge


class EventKind(models.TextChoices):
    THEMATIC = "thematic", pgettext_lazy("event kind", "Thematic event")
    REGIONAL = "regional", pgettext_lazy("event kind", "Regional event")


# Headings of the event lists, one group per kind.
EVENT_KIND_GROUPS = {
    EventKind.THEMATIC: pgettext_lazy("event group", "Thematic events"),
    EventKind.REGIONAL: pgettext_lazy("event group", "Regional events"),
}


class WorkPlanState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("work plan state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("work plan state", "Submitted")
    RETURNED = "returned", pgettext_lazy("work plan state", "Returned for revision")
    RESUBMITTED = "resubmitted", pgettext_lazy("work plan state", "Resubmitted")
    APPROVED = "approved", pgettext_lazy("work plan state", "Approved")


class WorkPlanAction(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("work plan action", "Submit")
    APPROVE = "approve", pgettext_lazy("work plan action", "Approve")
    RETURN = "return", pgettext_lazy("work plan action", "Return with comments")


# The work plan's state machine: each edge with its action and the predicate (in
# ``permissions``) its actor must pass. Anything not listed is refused. Submitting a returned plan
# is a resubmission, so Torch staff can tell first submissions from revised ones.
WORK_PLAN_EDGES = (
    Edge(WorkPlanState.DRAFT, WorkPlanState.SUBMITTED, "is_host_staff_of",
         action=WorkPlanAction.SUBMIT),
    Edge(WorkPlanState.RETURNED, WorkPlanState.RESUBMITTED, "is_host_staff_of",
         action=WorkPlanAction.SUBMIT),
    Edge(WorkPlanState.SUBMITTED, WorkPlanState.APPROVED, "is_torch_staff",
         action=WorkPlanAction.APPROVE),
    Edge(WorkPlanState.RESUBMITTED, WorkPlanState.APPROVED, "is_torch_staff",
         action=WorkPlanAction.APPROVE),
    Edge(WorkPlanState.SUBMITTED, WorkPlanState.RETURNED, "is_torch_staff",
         action=WorkPlanAction.RETURN),
    Edge(WorkPlanState.RESUBMITTED, WorkPlanState.RETURNED, "is_torch_staff",
         action=WorkPlanAction.RETURN),
)

# Host staff may change the plan's content only while it is with them.
WORK_PLAN_EDITABLE_STATES = frozenset({WorkPlanState.DRAFT, WorkPlanState.RETURNED})
# States in which a plan waits for Torch staff.
WORK_PLAN_REVIEW_STATES = frozenset({WorkPlanState.SUBMITTED, WorkPlanState.RESUBMITTED})


class Stage(models.TextChoices):
    """Lifecycle stages of an event (seed section 三), in their natural order."""

    DEMAND_COLLECTION = "demand_collection", pgettext_lazy("stage", "Demand collection")
    EXPERT_ANALYSIS = "expert_analysis", pgettext_lazy("stage", "Expert analysis of demands")
    DEMAND_PUBLISHING = "demand_publishing", pgettext_lazy("stage", "Demand publishing")
    SOLUTION_COLLECTION = "solution_collection", pgettext_lazy("stage", "Solution collection")
    DOCKING = "docking", pgettext_lazy("stage", "Docking")
    LIVE_ROUND = "live_round", pgettext_lazy("stage", "Live round")
    AWARDS_AND_SERVICES = "awards_and_services", pgettext_lazy("stage", "Awards and services")
    SUMMARY = "summary", pgettext_lazy("stage", "Summary and evaluation")


STAGE_ORDER = list(Stage.values)

# A live round is held only when docking leaves the demand side unable to choose (seed 三(四)),
# so its dates are optional; every other stage must be scheduled before a plan is submitted.
OPTIONAL_STAGES = frozenset({Stage.LIVE_ROUND})
REQUIRED_STAGES = [stage for stage in Stage if stage not in OPTIONAL_STAGES]

# Fields of a work plan that must be filled in before it can be submitted.
WORK_PLAN_REQUIRED_FIELDS = (
    "focus_areas",
    "goals",
    "target_demands",
    "target_agreements",
    "organisation",
)


# --- host registration (seed A2): a person applies to join a host unit ---------------------------
class HostApplicationState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("host application", "Waiting for the Torch Center")
    APPROVED = "approved", pgettext_lazy("host application", "Approved")
    DECLINED = "declined", pgettext_lazy("host application", "Declined")


# --- summary reports (seed 三(六)): each host unit's 总结报告, reviewed by Torch staff ----------
class SummaryState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("summary report state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("summary report state", "Submitted")
    RETURNED = "returned", pgettext_lazy("summary report state", "Returned for revision")
    REVIEWED = "reviewed", pgettext_lazy("summary report state", "Reviewed")


class SummaryAction(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("summary report action", "Submit")
    REVIEW = "review", pgettext_lazy("summary report action", "Rate and comment")
    RETURN = "return", pgettext_lazy("summary report action", "Return for revision")


class SummaryRating(models.TextChoices):
    EXCELLENT = "excellent", pgettext_lazy("summary report rating", "Excellent")
    GOOD = "good", pgettext_lazy("summary report rating", "Good")
    PASS = "pass", pgettext_lazy("summary report rating", "Pass")
    FAIL = "fail", pgettext_lazy("summary report rating", "Fail")


# Submitting freezes the figures; a returned report is submitted again (and its figures frozen
# again, from the data of that moment). A reviewed report is final.
SUMMARY_EDGES = (
    Edge(SummaryState.DRAFT, SummaryState.SUBMITTED, "is_host_staff_of",
         action=SummaryAction.SUBMIT),
    Edge(SummaryState.RETURNED, SummaryState.SUBMITTED, "is_host_staff_of",
         action=SummaryAction.SUBMIT),
    Edge(SummaryState.SUBMITTED, SummaryState.REVIEWED, "is_torch_staff",
         action=SummaryAction.REVIEW),
    Edge(SummaryState.SUBMITTED, SummaryState.RETURNED, "is_torch_staff",
         action=SummaryAction.RETURN),
)

SUMMARY_EDITABLE_STATES = frozenset({SummaryState.DRAFT, SummaryState.RETURNED})
# The four sections of the report, in the order the seed lists them.
SUMMARY_SECTIONS = ("implementation", "results", "shortcomings", "suggestions")
