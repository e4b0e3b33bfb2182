"""Every write of the awards app: host staff make an award to the winning challenger; both sides
acknowledge the clause (the prize only rewards the challenger, it is never a condition for
technology transfer, licensing or exclusive cooperation); the demand side records the payment
(date, amount, proof file); the challenger confirms receipt; overdue payments are reminded once a
day (Celery beat). Each change is audited, its notifications written in the same transaction.

By what they hold: prizes (:mod:`.prizes`), technology contracts (:mod:`.contracts`), service
requests (:mod:`.service_requests`), follow-ups (:mod:`.follow_ups`) and subsidies
(:mod:`.subsidies`); a refused operation raises :class:`AwardError` (:mod:`.base`).
"""

from .base import AwardError
from .contracts import flag_contract, register_contract
from .follow_ups import FOLLOW_UP_MONTHS, evaluate_follow_up, report_progress, schedule_follow_ups
from .prizes import (
    AWARD_WORKFLOW,
    acknowledge,
    confirm_receipt,
    make_award,
    record_payment,
    remind_overdue,
)
from .service_requests import (
    SERVICE_WORKFLOW,
    ask_service,
    assign_service,
    complete_service,
    rate_service,
)
from .subsidies import (
    POLICY_FIELDS,
    SUBSIDY_WORKFLOW,
    apply_for_subsidy,
    approve_subsidy,
    check_policy,
    decline_subsidy,
    delete_policy,
    save_policy,
    withdraw_subsidy,
)

__all__ = [
    "AWARD_WORKFLOW", "FOLLOW_UP_MONTHS", "POLICY_FIELDS", "SERVICE_WORKFLOW", "SUBSIDY_WORKFLOW",
    "AwardError", "acknowledge", "apply_for_subsidy", "approve_subsidy", "ask_service",
    "assign_service", "check_policy", "complete_service", "confirm_receipt", "decline_subsidy",
    "delete_policy", "evaluate_follow_up", "flag_contract", "make_award", "rate_service",
    "record_payment", "register_contract", "remind_overdue", "report_progress", "save_policy",
    "schedule_follow_ups", "withdraw_subsidy",
]
