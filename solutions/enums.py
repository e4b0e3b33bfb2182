from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.workflow import Edge, successors


class ResponseKind(models.TextChoices):
    """How a published demand was answered: a challenger's solution, an invitation sent by the
    matching side, or the host unit's own response."""

    SOLUTION = "solution", _("Solution submitted")
    INVITATION = "invitation", _("Invitation sent")
    HOST_RESPONSE = "host_response", _("Host unit's response")


class SolutionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("solution status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("solution status", "Submitted")
    SHORTLISTED = "shortlisted", pgettext_lazy("solution status", "Shortlisted")
    DECLINED = "declined", pgettext_lazy("solution status", "Declined")
    SELECTED = "selected", pgettext_lazy("solution status", "Selected")
    WITHDRAWN = "withdrawn", pgettext_lazy("solution status", "Withdrawn")


# States in which the solution has reached the demand's owner.
SUBMITTED_STATES = (SolutionStatus.SUBMITTED, SolutionStatus.SHORTLISTED,
                    SolutionStatus.DECLINED, SolutionStatus.SELECTED)
# A live solution: the organisation's one answer to the demand (withdrawn ones make room).
LIVE_STATES = (SolutionStatus.DRAFT, *SUBMITTED_STATES)

_S = SolutionStatus
SOLUTION_EDGES = (
    Edge(_S.DRAFT, _S.SUBMITTED, "can_write_solution"),
    Edge(_S.DRAFT, _S.WITHDRAWN, "can_write_solution"),
    Edge(_S.SUBMITTED, _S.WITHDRAWN, "can_write_solution"),
    Edge(_S.SHORTLISTED, _S.WITHDRAWN, "can_write_solution"),
    Edge(_S.SUBMITTED, _S.SHORTLISTED, "can_decide_solution"),
    Edge(_S.SUBMITTED, _S.DECLINED, "can_decide_solution"),
    Edge(_S.SHORTLISTED, _S.DECLINED, "can_decide_solution"),
    Edge(_S.SHORTLISTED, _S.SELECTED, "can_decide_solution"),
)
SOLUTION_TRANSITIONS = successors(SOLUTION_EDGES, SolutionStatus)
# Decisions the owner (or host staff on its behalf) takes from the list and the comparison.
DECISIONS = (SolutionStatus.SHORTLISTED, SolutionStatus.DECLINED, SolutionStatus.SELECTED)


class TRL(models.IntegerChoices):
    """Technology readiness levels with the standard Chinese descriptions (GB/T 22900-2022)."""

    L1 = 1, _("TRL 1: basic principles observed and reported (发现基本原理或看到基本原理的报道)")
    L2 = 2, _("TRL 2: technology concept and application formulated (形成技术概念或开发方案)")
    L3 = 3, _("TRL 3: key functions proven by analysis and experiment "
              "(关键功能分析和实验结论成立)")
    L4 = 4, _("TRL 4: components validated in the laboratory (研究室环境中关键功能仿真结论成立)")
    L5 = 5, _("TRL 5: components validated in a relevant environment (相关环境中关键功能验证)")
    L6 = 6, _("TRL 6: system prototype demonstrated in a relevant environment "
              "(相关环境中演示验证)")
    L7 = 7, _("TRL 7: system prototype demonstrated in the operational environment "
              "(实际环境中演示验证)")
    L8 = 8, _("TRL 8: actual system completed and qualified (系统完成技术实验和验证)")
    L9 = 9, _("TRL 9: actual system proven in operation (系统通过实际应用验证)")


class IPStatus(models.TextChoices):
    NONE = "none", _("No patents involved")
    FILED = "filed", _("Patents applied for")
    GRANTED = "granted", _("Patents granted")
    LICENSED = "licensed", _("Used under licence from a third party")


class Verification(models.TextChoices):
    TEST_REPORT = "test_report", _("Test report")
    PILOT = "pilot", _("Pilot application")
    THIRD_PARTY = "third_party", _("Third-party measurement")
    SIMULATION = "simulation", _("Simulation and calculation")
    ACCEPTANCE = "acceptance", _("Acceptance by the demand side")
    OTHER = "other", pgettext_lazy("verification", "Other")
