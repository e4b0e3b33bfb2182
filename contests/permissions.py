"""Who may do what with contest data; predicates composed with | and & (django-rules).

``is_host_staff_of`` is the one host-scoping predicate every later app reuses: pass it a
HostUnit, a HostUnit primary key, or any object with a ``host_unit_id`` attribute.
"""

import rules

from accounts.permissions import is_torch_staff

from .enums import (
    SUMMARY_EDITABLE_STATES,
    WORK_PLAN_EDITABLE_STATES,
    WORK_PLAN_REVIEW_STATES,
    SummaryState,
)

__all__ = [
    "staffed_host_unit_ids",
    "forget_host_units",
    "is_host_staff",
    "is_host_staff_of",
    "is_torch_staff",
    "can_see_host_unit_data",
    "can_edit_work_plan",
    "can_submit_work_plan",
    "can_review_work_plan",
    "can_see_summary_report",
    "can_edit_summary_report",
    "can_review_summary_report",
]


def _active(user):
    return bool(user and user.is_authenticated and user.is_active)


def staffed_host_unit_ids(user):
    """Ids of the host units the user is a staff member of, cached on the user instance so
    checks in a list cost one query in all. Torch staff get no ids here unless they are also
    members: "all units" is decided by :func:`is_torch_staff`, never by this set."""
    if not _active(user):
        return frozenset()
    if not hasattr(user, "_host_unit_ids"):
        from .models import HostMembership

        user._host_unit_ids = frozenset(
            HostMembership.objects.filter(user=user).values_list("host_unit_id", flat=True)
        )
    return user._host_unit_ids


def forget_host_units(user):
    """Drop the cached ids after the user's host memberships changed."""
    user.__dict__.pop("_host_unit_ids", None)


def _host_unit_id(target):
    if target is None:
        return None
    if isinstance(target, int):
        return target
    from .models import HostUnit

    if isinstance(target, HostUnit):
        return target.pk
    return getattr(target, "host_unit_id", None)


@rules.predicate
def is_host_staff(user):
    """A staff member of at least one host unit."""
    return bool(staffed_host_unit_ids(user))


@rules.predicate
def is_host_staff_of(user, host_unit):
    """A staff member of this host unit (a HostUnit, its pk, or an object with host_unit_id)."""
    unit_id = _host_unit_id(host_unit)
    return unit_id is not None and unit_id in staffed_host_unit_ids(user)


can_see_host_unit_data = is_host_staff_of | is_torch_staff


@rules.predicate
def _plan_is_editable(user, plan):
    return plan is not None and plan.state in WORK_PLAN_EDITABLE_STATES


@rules.predicate
def _plan_awaits_review(user, plan):
    return plan is not None and plan.state in WORK_PLAN_REVIEW_STATES


@rules.predicate
def _staff_of_plans_unit(user, plan):
    return plan is not None and is_host_staff_of(user, plan.host_unit_id)


can_edit_work_plan = _staff_of_plans_unit & _plan_is_editable
can_submit_work_plan = _staff_of_plans_unit & _plan_is_editable
can_review_work_plan = is_torch_staff & _plan_awaits_review

rules.add_perm("contests.manage_host_unit", is_host_staff_of)
rules.add_perm("contests.edit_work_plan", can_edit_work_plan)
rules.add_perm("contests.review_work_plan", can_review_work_plan)


# --- summary reports: the unit's staff write it, Torch staff rate it; nobody else sees it -----
@rules.predicate
def _report_is_editable(user, report):
    return report is not None and report.state in SUMMARY_EDITABLE_STATES


@rules.predicate
def _report_awaits_review(user, report):
    return report is not None and report.state == SummaryState.SUBMITTED


@rules.predicate
def _staff_of_reports_unit(user, report):
    return report is not None and is_host_staff_of(user, report.host_unit_id)


can_see_summary_report = _staff_of_reports_unit | is_torch_staff
can_edit_summary_report = _staff_of_reports_unit & _report_is_editable
can_review_summary_report = is_torch_staff & _report_awaits_review

rules.add_perm("contests.view_summaryreport", can_see_summary_report)
rules.add_perm("contests.edit_summaryreport", can_edit_summary_report)
rules.add_perm("contests.review_summaryreport", can_review_summary_report)
