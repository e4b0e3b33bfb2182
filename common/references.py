"""The registry of complaint targets: what a complaint may be about, in any app.

``complaints`` sits beside ``awards`` and under ``dashboards``: it may not import the apps
whose objects people complain about when they are above or beside it (solutions, matching,
awards). So each app describes its own targets here, from its ``AppConfig.ready()``::

    from common.references import ComplaintTarget, register_complaint_target

    register_complaint_target(ComplaintTarget(
        key="solutions.solution",
        label=_("a solution"),
        model="solutions.Solution",
        resolve=lambda user, reference: <the solution with this number that user may see>,
        reference_of=lambda solution: solution.number,
        describe=lambda solution: f"{solution.number} {solution.title}",
        host_unit_of=lambda solution: solution.demand.host_unit_id,
        parties_of=lambda solution: <ids of the users answering for it>,
        may_complain=lambda user, solution: <whether this user may complain about it>,
    ))

- ``resolve(user, reference)``: the object a complainant names (a number, a slug), or
  ``None`` when there is none the user may see; ``reference_of(obj)`` is its inverse.
- ``host_unit_of(obj)``: the id of the host unit the complaint goes to; ``None`` sends it to
  Torch staff (a complaint about a host unit itself, an event with several host units);
  ``unit_concerned(obj)`` the unit it concerns, for the figures, when that differs.
  ``ask_host_unit``: the target belongs to no host unit (a participant); the complainant
  names the host unit whose event it concerns.
- ``parties_of(obj)``: ids of the users who answer for the object (the party complained
  about); they see only what staff decide to share.
- ``may_complain(user, obj)``: who may complain (default: any signed-in user).
- ``recheck``: a :class:`RecheckRules` when a complaint about this target may ask for a
  re-check (a live-round result over its score sheets): the target's app says who may not
  review it.

The kernel imports no domain app: everything here is a callable the registering app supplies.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RecheckRules:
    """How a re-check of a result is reviewed, supplied by the app that owns the result.

    ``excluded_reviewers(obj)``: ids of the users who may not review it (those who judged
    it, and those with a declared conflict with either side); ``reviewer_pool(obj)``: a
    queryset of the users who could be asked (filtered by the exclusion before it is offered);
    ``score_sheets(obj)``: ``[(reference, label)]`` of the exact score sheets the re-check is
    tied to, recorded on the complaint when it is filed."""

    excluded_reviewers: Callable[[Any], set]
    reviewer_pool: Callable[[Any], Any]
    score_sheets: Callable[[Any], list] = field(default=lambda obj: [])


def _anyone_signed_in(user, obj):
    return bool(user is not None and user.is_authenticated and user.is_active)


def _nobody(obj):
    return set()


@dataclass(frozen=True)
class ComplaintTarget:
    key: str
    label: Any
    model: str
    resolve: Callable[[Any, str], Any]
    reference_of: Callable[[Any], str]
    describe: Callable[[Any], str]
    host_unit_of: Callable[[Any], int | None]
    parties_of: Callable[[Any], set] = _nobody
    may_complain: Callable[[Any, Any], bool] = _anyone_signed_in
    ask_host_unit: bool = False
    # The host unit the complaint concerns, for the figures (defaults to host_unit_of): a
    # complaint about a host unit concerns it but goes to Torch staff.
    unit_concerned: Callable[[Any], int | None] | None = None
    recheck: RecheckRules | None = None
    help_text: Any = ""
    order: int = 100


_targets: dict[str, ComplaintTarget] = {}


def register_complaint_target(target):
    """Add (or replace, by key) a kind of complaint target."""
    _targets[target.key] = target
    return target


def unregister_complaint_target(key):
    _targets.pop(key, None)


def complaint_target(key):
    """The target kind with this key, or ``None``."""
    return _targets.get(key)


def complaint_targets():
    """Every registered target kind, in ``order`` then by key."""
    return sorted(_targets.values(), key=lambda target: (target.order, target.key))


__all__ = ["ComplaintTarget", "RecheckRules", "complaint_target", "complaint_targets",
           "register_complaint_target", "unregister_complaint_target"]
