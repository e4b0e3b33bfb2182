"""States of the awards app and its workflow as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.workflow import Edge


class AwardState(models.TextChoices):
    OFFERED = "offered", pgettext_lazy("award state", "Awaiting the clause acknowledgements")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("award state", "Awaiting payment")
    PAID = "paid", pgettext_lazy("award state", "Paid, awaiting receipt")
    RECEIVED = "received", pgettext_lazy("award state", "Received")


AWARD_EDGES = (
    # Taken by the system when the second side acknowledges the clause.
    Edge(AwardState.OFFERED, AwardState.ACKNOWLEDGED, None, action="acknowledged", system=True),
    Edge(AwardState.ACKNOWLEDGED, AwardState.PAID, "can_record_payment", action="pay"),
    Edge(AwardState.PAID, AwardState.RECEIVED, "can_confirm_receipt", action="receive"),
)

# The rule shown beside every award and acknowledged by both sides (seed 三(五)).
CLAUSE = _("The prize only rewards the challenger for its solution. It is never a condition for "
           "technology transfer, licensing or any exclusive cooperation, and neither side may "
           "make it one.")


class ContractKind(models.TextChoices):
    DEVELOPMENT = "development", pgettext_lazy("technology contract", "Technology development")
    TRANSFER = "transfer", pgettext_lazy("technology contract", "Technology transfer")
    LICENSE = "license", pgettext_lazy("technology contract", "Technology licensing")
    CONSULTING = "consulting", pgettext_lazy("technology contract", "Technology consulting")
    SERVICE = "service", pgettext_lazy("technology contract", "Technology service")


class ServiceKind(models.TextChoices):
    POLICY = "policy", pgettext_lazy("service kind", "S&T policy consulting")
    STRATEGY = "strategy", pgettext_lazy("service kind", "Corporate strategy consulting")
    IP = "ip", pgettext_lazy("service kind", "Intellectual property")
    TRADING = "trading", pgettext_lazy("service kind", "Technology trading")
    FINANCE = "finance", pgettext_lazy("service kind", "Investment and financing")


class ServiceState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("service request state", "Awaiting assignment")
    ASSIGNED = "assigned", pgettext_lazy("service request state", "Assigned to a provider")
    COMPLETED = "completed", pgettext_lazy("service request state", "Completed")


SERVICE_EDGES = (
    Edge(ServiceState.SUBMITTED, ServiceState.ASSIGNED, "can_assign_service", action="assign"),
    Edge(ServiceState.ASSIGNED, ServiceState.COMPLETED, "can_complete_service",
         action="complete"),
)


# --- subsidies (seed 三(五)) -------------------------------------------------------------------
class SubsidyState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("subsidy application state", "Awaiting decision")
    APPROVED = "approved", pgettext_lazy("subsidy application state", "Approved")
    DECLINED = "declined", pgettext_lazy("subsidy application state", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("subsidy application state", "Withdrawn")


SUBSIDY_EDGES = (
    Edge(SubsidyState.SUBMITTED, SubsidyState.APPROVED, "can_decide_subsidy", action="approve"),
    Edge(SubsidyState.SUBMITTED, SubsidyState.DECLINED, "can_decide_subsidy", action="decline"),
    Edge(SubsidyState.SUBMITTED, SubsidyState.WITHDRAWN, "can_withdraw_subsidy",
         action="withdraw"),
)
# An application still counting against its policy (one per agreement and policy).
LIVE_SUBSIDY_STATES = (SubsidyState.SUBMITTED, SubsidyState.APPROVED)
