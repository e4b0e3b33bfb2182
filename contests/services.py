"""Every write to contest data: loading the edition, host staff, work plans, challenge notices
and complaint channels.

Views, admin and commands call these functions. Refusals raise
:class:`contests.exceptions.ContestsError` (shown to the user as a message) or
:class:`django.core.exceptions.PermissionDenied` (answered with 404 by views).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import RoleCode
from accounts.models import Agreement
from accounts.permissions import is_torch_staff
from accounts.services import grant_role
from audit.services import log_action
from common.workflow import Workflow

from . import permissions
from .enums import (
    REQUIRED_STAGES,
    WORK_PLAN_EDGES,
    WORK_PLAN_REQUIRED_FIELDS,
    WorkPlanAction,
    WorkPlanState,
)
from .exceptions import ContestsError, IllegalTransition
from .models import (
    ChallengeNotice,
    ComplaintChannel,
    Contest,
    Event,
    HostMembership,
    HostUnit,
    IndustryField,
    WorkPlan,
    WorkPlanStage,
    WorkPlanTransition,
)
from .permissions import forget_host_units, is_host_staff_of
from .public_cache import PUBLIC_PAGES

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_DATA_FILE = DATA_DIR / "contest6.json"


# --- loading the edition ----------------------------------------------------------------------
@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class LoadReport:
    counts: dict = field(default_factory=dict)

    def count(self, name, outcome):
        setattr(self.counts.setdefault(name, LoadCounts()), outcome,
                getattr(self.counts.setdefault(name, LoadCounts()), outcome) + 1)

    @property
    def changed(self):
        return any(c.created or c.updated for c in self.counts.values())


def _upsert(model, lookup, values):
    """update_or_create that saves only when a value differs, so loading the same data twice
    leaves every row (and its ``updated_at``) as it was. Returns (object, outcome)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    update_fields = changed + (["updated_at"] if hasattr(obj, "updated_at") else [])
    obj.save(update_fields=update_fields)
    return obj, "updated"


def _set_m2m(manager, wanted):
    """Replace an M2M set; True when it changed."""
    current = set(manager.values_list("pk", flat=True))
    target = {obj.pk for obj in wanted}
    if current == target:
        return False
    manager.set(list(wanted))
    return True


def validate_contest_data(data):
    """Raise ValueError naming the first problem of a contest data file, before any write."""
    for key in ("contest", "fields", "events", "host_units"):
        if key not in data:
            raise ValueError(f"missing top-level key {key!r}")
    for key in ("edition", "name", "year"):
        if key not in data["contest"]:
            raise ValueError(f"contest: missing {key!r}")
    codes = {item["code"] for item in data["fields"]}
    numbers = [item["number"] for item in data["events"]]
    if len(set(numbers)) != len(numbers):
        raise ValueError("events: duplicate numbers")
    for item in data["events"]:
        if set(item.get("fields", [])) - codes:
            raise ValueError(f"event {item['number']}: unknown field codes")
    slugs = [item["slug"] for item in data["host_units"]]
    if len(set(slugs)) != len(slugs):
        raise ValueError("host units: duplicate slugs")
    for item in data["host_units"]:
        if item["event"] not in numbers:
            raise ValueError(f"host unit {item['slug']}: unknown event {item['event']}")
        if not item["fields"] or set(item["fields"]) - codes:
            raise ValueError(f"host unit {item['slug']}: missing or unknown field codes")


def load_contest_data(data, *, base_dir=DATA_DIR):
    """Create or update the contest, its industry fields, events and host units from ``data``
    (the structure of ``contests/data/contest6.json``), matched by natural keys: contest by
    edition, field by code, event by (contest, number), host unit by slug. Also creates the
    first published version of each agreement whose kind has no version yet. Idempotent."""
    validate_contest_data(data)
    report = LoadReport()
    with transaction.atomic():
        contest_data = dict(data["contest"])
        edition = contest_data.pop("edition")
        contest, outcome = _upsert(Contest, {"edition": edition}, contest_data)
        report.count("contest", outcome)
        if contest.is_current:
            Contest.objects.filter(is_current=True).exclude(pk=contest.pk).update(
                is_current=False, updated_at=timezone.now()
            )

        fields = {}
        for item in data["fields"]:
            fields[item["code"]], outcome = _upsert(IndustryField, {"code": item["code"]},
                                                    {"name": item["name"]})
            report.count("fields", outcome)

        events = {}
        for item in data["events"]:
            event, outcome = _upsert(
                Event, {"contest": contest, "number": item["number"]},
                {"name": item["name"], "kind": item.get("kind", Event._meta.get_field(
                    "kind").default)},
            )
            if _set_m2m(event.fields, [fields[code] for code in item["fields"]]) and (
                    outcome == "unchanged"):
                outcome = "updated"
            events[item["number"]] = event
            report.count("events", outcome)

        for item in data["host_units"]:
            host, outcome = _upsert(
                HostUnit, {"slug": item["slug"]},
                {"event": events[item["event"]], "name": item["name"],
                 "region": item["region"], "region_name": item["region_name"]},
            )
            if _set_m2m(host.fields, [fields[code] for code in item["fields"]]) and (
                    outcome == "unchanged"):
                outcome = "updated"
            report.count("host_units", outcome)

        for item in data.get("agreements", []):
            created = ensure_agreement(contest, item["kind"], title=item["title"],
                                       body=(base_dir / item["body_file"]).read_text("utf-8"))
            report.count("agreements", "created" if created else "unchanged")
        PUBLIC_PAGES.invalidate()
    return report


def load_contest_file(path=DEFAULT_DATA_FILE):
    path = Path(path)
    data = json.loads(path.read_text("utf-8"))
    return load_contest_data(data, base_dir=path.parent)


def ensure_agreement(contest, kind, *, title, body):
    """Create and publish version 1 of the contest's NDA or disclaimer, only when no version
    of that kind exists (staff-made versions are never touched). True when created."""
    with transaction.atomic():
        if Agreement.objects.select_for_update().for_scope(contest).filter(kind=kind).exists():
            return False
        Agreement.objects.create(scope=contest, kind=kind, version=1, title=title,
                                 body=body.strip() + "\n", published_at=timezone.now())
    return True


# --- host staff -------------------------------------------------------------------------------
def add_host_member(host_unit, user, *, actor=None):
    """Make the user a staff member of the host unit: the host organiser role and the staff
    flag come with it, since host staff work in Django admin. Adding twice changes nothing."""
    if actor is not None and not is_torch_staff(actor):
        raise PermissionDenied
    with transaction.atomic():
        membership, created = HostMembership.objects.get_or_create(user=user,
                                                                   host_unit=host_unit)
        # the role makes the user staff too (accounts.services.grant_role)
        grant_role(user, RoleCode.HOST_ORGANISER, actor=actor)
        if created:
            log_action("portal.host_membership.add", actor=actor, obj=membership,
                       data={"host_unit": host_unit.pk, "user": user.pk})
    forget_host_units(user)
    return membership


def remove_host_member(membership, *, actor):
    """Torch staff remove a member from a host unit's staff."""
    if not is_torch_staff(actor):
        raise PermissionDenied
    user = membership.user
    with transaction.atomic():
        log_action("portal.host_membership.remove", actor=actor, obj=membership,
                   data={"host_unit": membership.host_unit_id, "user": user.pk})
        membership.delete()
    forget_host_units(user)


# --- work plans -------------------------------------------------------------------------------
def _require_host_staff(user, host_unit):
    if not is_host_staff_of(user, host_unit):
        raise PermissionDenied


def start_work_plan(host_unit, *, actor):
    """The host unit's work plan, created as an empty draft the first time."""
    _require_host_staff(actor, host_unit)
    with transaction.atomic():
        plan, created = WorkPlan.objects.get_or_create(host_unit=host_unit,
                                                       defaults={"created_by": actor})
        if created:
            log_action("portal.work_plan.create", actor=actor, obj=plan)
    return plan


def save_work_plan(plan, *, actor, stages=None):
    """Save the content of a work plan (and, when ``stages`` is given, replace its stage rows
    with those: an iterable of dicts with stage, starts_on, ends_on and optional note).

    Host staff edit their unit's plan while it is a draft or returned; Torch staff may
    correct any plan. The state is never changed here."""
    with transaction.atomic():
        if plan.pk:
            stored = WorkPlan.objects.select_for_update().get(pk=plan.pk)
            state, host_unit_id = stored.state, stored.host_unit_id
        else:
            state, host_unit_id = WorkPlanState.DRAFT, plan.host_unit_id
        if not is_torch_staff(actor):
            _require_host_staff(actor, host_unit_id)
            if plan.host_unit_id != host_unit_id:
                raise PermissionDenied
            if state not in (WorkPlanState.DRAFT, WorkPlanState.RETURNED):
                raise ContestsError(
                    _("This work plan is %(state)s and cannot be changed now.")
                    % {"state": WorkPlanState(state).label},
                    code="locked",
                )
        plan.state = state
        if plan.created_by_id is None and plan.pk is None:
            plan.created_by = actor
        plan.full_clean(exclude=["state"])
        plan.save()
        if stages is not None:
            _replace_stages(plan, stages)
        log_action("portal.work_plan.save", actor=actor, obj=plan)
    return plan


def _replace_stages(plan, stages):
    keep = []
    for row in stages:
        obj, _outcome = _upsert(
            WorkPlanStage, {"work_plan": plan, "stage": row["stage"]},
            {"starts_on": row["starts_on"], "ends_on": row["ends_on"],
             "note": row.get("note", "") or ""},
        )
        keep.append(obj.pk)
    plan.stages.exclude(pk__in=keep).delete()


def missing_for_submission(plan):
    """What must still be filled in before the plan can be submitted (labels)."""
    missing = []
    for name in WORK_PLAN_REQUIRED_FIELDS:
        value = getattr(plan, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(str(WorkPlan._meta.get_field(name).verbose_name))
    scheduled = set(plan.stages.values_list("stage", flat=True))
    missing += [str(stage.label) for stage in REQUIRED_STAGES if stage not in scheduled]
    return missing


_ACTION_PAST = {
    WorkPlanAction.SUBMIT: _("submitted"),
    WorkPlanAction.APPROVE: _("approved"),
    WorkPlanAction.RETURN: _("returned"),
}


def _record_decision(step):
    """Submitting dates the plan; a decision records who decided, when, and the comment."""
    now = timezone.now()
    if step.edge.action == WorkPlanAction.SUBMIT:
        step.changes["submitted_at"] = now
    else:
        step.changes.update(decided_at=now, decided_by=step.actor, review_comment=step.reason)


WORK_PLAN_WORKFLOW = Workflow(
    model=WorkPlan, states=WorkPlanState, edges=WORK_PLAN_EDGES, permissions=permissions,
    history=WorkPlanTransition, audit="portal.work_plan",
    messages={
        "illegal": _("A work plan that is “%(from)s” cannot be %(action)s. Allowed from: "
                     "%(allowed)s."),
    },
    action_labels=_ACTION_PAST, error=ContestsError, errors={"illegal": IllegalTransition},
    before=_record_decision,
    after=lambda step: PUBLIC_PAGES.invalidate(),  # the host page lists the approved plan's stages
)


def submit_work_plan(plan, *, actor):
    """Host staff submit their unit's plan to the Torch Center (a returned plan becomes
    resubmitted). Refused while key fields or required stage dates are missing."""
    _require_host_staff(actor, plan.host_unit_id)
    missing = missing_for_submission(plan)
    if missing:
        raise ContestsError(
            _("The work plan cannot be submitted yet; please fill in: %(missing)s.")
            % {"missing": "、".join(missing)},
            code="incomplete",
        )
    return WORK_PLAN_WORKFLOW.transition(plan, WorkPlanAction.SUBMIT, actor=actor)


def approve_work_plan(plan, *, actor, comment=""):
    """Torch Center staff approve a submitted or resubmitted plan."""
    if not is_torch_staff(actor):
        raise PermissionDenied
    return WORK_PLAN_WORKFLOW.transition(plan, WorkPlanAction.APPROVE, actor=actor, reason=comment)


def return_work_plan(plan, *, actor, comment):
    """Torch Center staff return a submitted plan to its host unit with comments."""
    if not is_torch_staff(actor):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not comment:
        raise ContestsError(_("Please say what the host unit should change."),
                            code="comment_required")
    return WORK_PLAN_WORKFLOW.transition(plan, WorkPlanAction.RETURN, actor=actor, reason=comment)


# --- challenge notices ------------------------------------------------------------------------
def _require_notice_access(user, host_unit_id):
    if not (is_host_staff_of(user, host_unit_id) or is_torch_staff(user)):
        raise PermissionDenied


def save_notice(notice, *, actor):
    """Create or edit a challenge notice of one of the user's host units."""
    if notice.pk:
        stored_unit = ChallengeNotice.objects.values_list("host_unit_id", flat=True).get(
            pk=notice.pk)
        _require_notice_access(actor, stored_unit)
        if stored_unit != notice.host_unit_id:
            raise PermissionDenied
    _require_notice_access(actor, notice.host_unit_id)
    with transaction.atomic():
        if notice.pk is None:
            notice.created_by = actor
        notice.full_clean(exclude=["is_published", "published_at", "published_by"])
        notice.save()
        log_action("portal.challenge_notice.save", actor=actor, obj=notice)
        PUBLIC_PAGES.invalidate()
    return notice


def publish_notice(notice, *, actor):
    """Publish a challenge notice on the host unit's public page."""
    _require_notice_access(actor, notice.host_unit_id)
    with transaction.atomic():
        updated = ChallengeNotice.objects.filter(pk=notice.pk, is_published=False).update(
            is_published=True, published_at=timezone.now(), published_by=actor,
            updated_at=timezone.now(),
        )
        if not updated:
            raise IllegalTransition(_("This notice is already published."), code="published")
        notice.refresh_from_db(fields=["is_published", "published_at", "published_by",
                                       "updated_at"])
        log_action("portal.challenge_notice.publish", actor=actor, obj=notice)
        PUBLIC_PAGES.invalidate()
    return notice


def unpublish_notice(notice, *, actor):
    """Withdraw a published challenge notice from the public page."""
    _require_notice_access(actor, notice.host_unit_id)
    with transaction.atomic():
        updated = ChallengeNotice.objects.filter(pk=notice.pk, is_published=True).update(
            is_published=False, updated_at=timezone.now(),
        )
        if not updated:
            raise IllegalTransition(_("This notice is not published."), code="unpublished")
        notice.refresh_from_db(fields=["is_published", "updated_at"])
        log_action("portal.challenge_notice.unpublish", actor=actor, obj=notice)
        PUBLIC_PAGES.invalidate()
    return notice


# --- complaint channels -----------------------------------------------------------------------
def save_complaint_channel(channel, *, actor):
    """Create or edit a complaint-receiving agency of one of the user's host units."""
    if channel.pk:
        stored_unit = ComplaintChannel.objects.values_list("host_unit_id", flat=True).get(
            pk=channel.pk)
        _require_notice_access(actor, stored_unit)
        if stored_unit != channel.host_unit_id:
            raise PermissionDenied
    _require_notice_access(actor, channel.host_unit_id)
    with transaction.atomic():
        channel.full_clean()
        channel.save()
        log_action("portal.complaint_channel.save", actor=actor, obj=channel)
        PUBLIC_PAGES.invalidate()
    return channel


def delete_complaint_channel(channel, *, actor):
    _require_notice_access(actor, channel.host_unit_id)
    with transaction.atomic():
        log_action("portal.complaint_channel.delete", actor=actor, obj=channel,
                   data={"name": channel.name, "host_unit": channel.host_unit_id})
        channel.delete()
        PUBLIC_PAGES.invalidate()
