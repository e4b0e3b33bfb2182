"""The workflow step: the one way any object's state changes.

An app writes its state machine as data beside its states enum, a tuple of :class:`Edge`::

    DEMAND_EDGES = (
        Edge(DemandStatus.DRAFT, DemandStatus.SUBMITTED, "is_author"),
        Edge(DemandStatus.PUBLISHED, DemandStatus.CLOSED, "is_reviewer", system=True),
        ...
    )

and declares one :class:`Workflow` for its model (in its services), naming the permissions
module where the edges' predicate names are found, its history model (a concrete
:class:`common.models.TransitionRecord`) and its hooks. Then :func:`transition` does, in one
transaction:

1. lock the object's row, and that row only (``select_for_update(of=("self",))``);
2. find the edge from the locked state (refused with code ``illegal_transition``, or
   ``stale`` when the caller's copy was in another state than the row);
3. check the actor's permission for that edge (code ``permission_denied``); ``actor=None`` is
   the system, allowed only on edges marked ``system=True``;
4. run the workflow's ``before`` hook (guards that need the locked row, extra field changes);
5. save the state and the changes with ``update_fields``;
6. record the history row and write the audit entry (``<audit>.<action>``, from, to, reason);
7. run the ``after`` hook inside the transaction (notifications: outbox rows written with the
   change) and register the ``on_commit`` hooks.

Refusals are :class:`common.errors.DomainError` (the workflow's ``error`` subclass, so each
app's callers keep catching their own); nothing is written then.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from audit.services import log_action

from .errors import DomainError

# The codes of the step's own refusals.
ILLEGAL = "illegal_transition"
STALE = "stale"
DENIED = "permission_denied"


@dataclass(frozen=True)
class Edge:
    """One allowed change: from ``source`` to ``target``, for actors that pass ``permission``
    (a predicate ``(user, obj) -> bool``, a django-rules predicate, or the name of one in the
    workflow's permissions module). ``action`` names the change in the audit log and lets a
    caller ask for it when the target depends on the source (a returned work plan is
    *submitted* to "resubmitted"); it defaults to the target. ``system`` lets the system
    (``actor=None``) take the edge."""

    source: str
    target: str
    permission: Any = None
    action: str = ""
    system: bool = False

    @property
    def name(self):
        return str(self.action or self.target)


def successors(edges, states):
    """``{state: {targets}}`` for every state of ``states``: the edges as a plain mapping."""
    result = {state: set() for state in states}
    for edge in edges:
        result[states(edge.source)].add(states(edge.target))
    return result


@dataclass
class Step:
    """What the hooks see: the locked object, the edge taken and what goes with it.

    ``before`` may add to ``changes`` (saved with the state) and ``data`` (audit data), or
    raise a :class:`DomainError`; ``after`` finds ``record``, the history row."""

    obj: Any
    edge: Edge
    source: Any
    target: Any
    actor: Any
    reason: str
    changes: dict
    data: dict
    request: Any = None
    record: Any = None
    on_commit: list = field(default_factory=list)


DEFAULT_MESSAGES = {
    "illegal": gettext_lazy("This cannot go from “%(from)s” to “%(to)s”."),
    "denied": gettext_lazy("You may not make this change."),
    "system": gettext_lazy("Only people may make this change."),
}

_REGISTRY = {}


class Workflow:
    """The state machine of one model: its edges and what a step does besides the state.

    - ``model``, ``states`` (a TextChoices), ``edges`` (a tuple of :class:`Edge`);
    - ``field``: the state column (``"state"``); ``get_state``/``set_state`` for a state kept
      in another shape (a boolean flag), with ``state_fields`` then naming the columns saved;
    - ``permissions``: the module in which edge predicate names are looked up;
    - ``history``: the concrete ``TransitionRecord`` model (``None``: the audit log only);
    - ``audit``: the audit action prefix (``"portal.demand"``); ``audit_object(obj)`` the
      object the entry is about (the object itself by default);
    - ``select_related``: what the hooks read through the locked row (joined, not locked);
    - ``touch``: auto-updated columns saved with every step (``updated_at`` when present);
    - ``messages``: the wording of refusals (``illegal``, ``denied``, ``system`` and, when
      given, ``stale``: used when the caller's copy was in another state than the row),
      formatted with ``from``, ``to``, ``action`` and ``allowed`` (states the action is
      allowed from);
    - ``action_labels``: how ``%(action)s`` reads for each action;
    - ``error``: the :class:`DomainError` subclass raised on refusal, ``errors`` one per
      refusal (``{"illegal": IllegalTransition}``) where an app has finer classes;
    - ``before``, ``after``, ``on_commit``: hooks taking the :class:`Step`;
    - ``register``: whether :func:`transition` finds it by the model (one per model).
    """

    def __init__(self, *, model, states, edges, field="state", get_state=None, set_state=None,
                 state_fields=None, permissions=None, history=None, audit, audit_object=None,
                 select_related=(), touch=None, messages=None, action_labels=None,
                 error=DomainError, errors=None, before: Callable | None = None,
                 after: Callable | None = None, on_commit: Callable | None = None,
                 register=True):
        self.model = model
        self.states = states
        self.edges = tuple(edges)
        self.field = field
        self._get_state = get_state
        self._set_state = set_state
        self.state_fields = list(state_fields or [field])
        self.permissions = permissions
        self.history = history
        self.history_fk = self._history_fk(history, model) if history is not None else None
        self.audit = audit
        self.audit_object = audit_object
        self.select_related = tuple(select_related)
        names = {f.name for f in model._meta.concrete_fields}
        self.touch = [name for name in (touch if touch is not None else ["updated_at"])
                      if name in names]
        self.messages = {**DEFAULT_MESSAGES, **(messages or {})}
        self.action_labels = action_labels or {}
        self.errors = {key: error for key in ("illegal", "stale", "denied", "system")}
        self.errors.update(errors or {})
        self.before, self.after, self.on_commit = before, after, on_commit
        for edge in self.edges:
            # A typo in the data fails when the workflow is declared, not on the first step.
            states(edge.source), states(edge.target)
            if isinstance(edge.permission, str) and not hasattr(permissions, edge.permission):
                raise ValueError(f"{edge}: no predicate {edge.permission!r} in {permissions}")
        if register:
            if _REGISTRY.get(model, self) is not self:
                raise ValueError(f"{model.__name__} already has a workflow")
            _REGISTRY[model] = self

    @staticmethod
    def _history_fk(history, model):
        for candidate in history._meta.concrete_fields:
            if candidate.is_relation and candidate.related_model is model:
                return candidate.name
        raise ValueError(f"{history.__name__} has no foreign key to {model.__name__}")

    # --- reading -------------------------------------------------------------------------------
    def state_of(self, obj):
        value = self._get_state(obj) if self._get_state else getattr(obj, self.field)
        return self.states(value)

    def edge(self, source, to):
        """The edge leaving ``source`` whose target (or action) is ``to``, or ``None``."""
        for edge in self.edges:
            if edge.source == source and (edge.target == to or (edge.action and
                                                                 edge.action == to)):
                return edge
        return None

    def targets(self, source):
        return {self.states(edge.target) for edge in self.edges if edge.source == source}

    def permits(self, edge, user, obj):
        """Whether ``user`` holds the permission of ``edge`` on ``obj`` (``None``: the system)."""
        if user is None:
            return edge.system
        predicate = edge.permission
        if predicate is None:
            return False
        if isinstance(predicate, str):
            predicate = getattr(self.permissions, predicate)
        test = getattr(predicate, "test", predicate)
        return bool(test(user, obj))

    def allows(self, user, obj, to):
        """Whether ``user`` may take ``obj`` to ``to`` now, as far as the unlocked copy tells
        (for showing buttons; :func:`transition` checks again under the lock)."""
        edge = self.edge(self.state_of(obj), to)
        return edge is not None and self.permits(edge, user, obj)

    def available(self, user, obj):
        """The targets ``user`` may take ``obj`` to now."""
        source = self.state_of(obj)
        return [self.states(edge.target) for edge in self.edges
                if edge.source == source and self.permits(edge, user, obj)]

    # --- the step ------------------------------------------------------------------------------
    def _label(self, value):
        try:
            return self.states(value).label
        except ValueError:
            return value

    def _refuse(self, key, *, source, to):
        allowed = [edge.source for edge in self.edges if to in (edge.target, edge.action)]
        message = self.messages[key] % {
            "from": self._label(source),
            "to": self._label(to),
            "action": self.action_labels.get(to, self._label(to)),
            "allowed": "、".join(str(self._label(state)) for state in allowed),
        }
        code = {"illegal": ILLEGAL, "stale": STALE}.get(key, DENIED)
        return self.errors[key](message, code=code)

    def transition(self, obj, to, *, actor, reason="", request=None, data=None, **changes):
        reason = (reason or "").strip()
        with transaction.atomic():
            queryset = self.model._default_manager.select_for_update(of=("self",))
            if self.select_related:
                queryset = queryset.select_related(*self.select_related)
            locked = queryset.get(pk=obj.pk)
            source = self.state_of(locked)
            edge = self.edge(source, to)
            if edge is None:
                stale = ("stale" in self.messages
                         and self.state_of(obj) != source)
                raise self._refuse("stale" if stale else "illegal", source=source, to=to)
            if actor is None and not edge.system:
                raise self._refuse("system", source=source, to=to)
            if not self.permits(edge, actor, locked):
                raise self._refuse("denied", source=source, to=to)
            target = self.states(edge.target)
            step = Step(obj=locked, edge=edge, source=source, target=target, actor=actor,
                        reason=reason, changes=dict(changes), data=dict(data or {}),
                        request=request)
            if self.before is not None:
                self.before(step)
            for name, value in step.changes.items():
                setattr(locked, name, value)
            if self._set_state:
                self._set_state(locked, target)
            else:
                setattr(locked, self.field, target)
            update_fields = list(dict.fromkeys([*self.state_fields, *step.changes, *self.touch]))
            locked.save(update_fields=update_fields)
            if self.history is not None:
                step.record = self.history._default_manager.create(
                    **{self.history_fk: locked}, from_state=source, to_state=target,
                    actor=actor, reason=reason,
                )
            audit_data = {**step.data, **({"reason": reason} if reason else {})}
            log_action(f"{self.audit}.{edge.name}", actor=actor,
                       obj=self.audit_object(locked) if self.audit_object else locked,
                       from_state=source, to_state=target, data=audit_data or None,
                       request=request)
            if self.after is not None:
                self.after(step)
            hooks = [*step.on_commit, *([self.on_commit] if self.on_commit else [])]
            for hook in hooks:
                transaction.on_commit(lambda hook=hook: hook(step))
        # The caller's copy reflects the change too.
        for name in update_fields:
            setattr(obj, name, getattr(locked, name))
        return locked


def workflow_of(obj_or_model):
    """The :class:`Workflow` declared for this object's model."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    model = model._meta.concrete_model
    try:
        return _REGISTRY[model]
    except KeyError:
        raise LookupError(f"No workflow is declared for {model.__name__}") from None


def transition(obj, to, *, actor, reason="", request=None, data=None, **changes):
    """Move ``obj`` to the state ``to`` (or along the edge whose action is ``to``) as
    ``actor`` (``None``: the system), with ``reason`` kept in its history and the audit log,
    saving ``changes`` (other fields) with the state. Returns the locked, saved copy; the
    caller's ``obj`` is updated too. Raises the workflow's :class:`DomainError` (code
    ``illegal_transition``, ``stale`` or ``permission_denied``, or a hook's own) and writes
    nothing then."""
    return workflow_of(obj).transition(obj, to, actor=actor, reason=reason, request=request,
                                       data=data, **changes)


__all__ = ["DENIED", "ILLEGAL", "STALE", "Edge", "Step", "Workflow", "successors", "transition",
           "workflow_of"]
