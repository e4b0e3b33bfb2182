"""Every write to a demand: creation and editing (:mod:`.content`), the workflow
(:mod:`.workflow`), expert analysis (:mod:`.experts`), public wordings (:mod:`.wording`) and
their bulk forms for the standard-format import (:mod:`.bulk`).

Views, admin, tasks and commands call these functions; none of them writes the models
directly. A refused operation raises :class:`DemandError` (a ``common.errors.DomainError``),
which the view shows with ``common.errors.show_error``.
:func:`transition` is the only function that changes ``Demand.status``; it is the step of
``common.workflow`` over ``enums.DEMAND_EDGES`` (``DEMAND_WORKFLOW``).
"""

from .base import (
    CONTENT_FIELDS,
    FREE_TEXT_FIELDS,
    MAX_KEYWORDS,
    REQUIRED_FOR_SUBMISSION,
    WORDING_FIELDS,
    DemandError,
)
from .bulk import UPDATABLE_FIELDS, create_demands, update_demands
from .content import (
    create_demand,
    current_wording,
    format_reference,
    next_sequence,
    passages_missing,
    remove_attachment,
    split_keywords,
    stale_wordings,
    submission_problems,
    update_demand,
)
from .experts import assign_experts, record_acting_view, save_analysis
from .wording import decide_proposal, propose_wording
from .workflow import (
    DEMAND_WORKFLOW,
    WRITE_BATCH,
    close_expired,
    mark_matched,
    on_published,
    on_unpublished,
    submit,
    submit_demands,
    transition,
)

__all__ = [
    "CONTENT_FIELDS", "DEMAND_WORKFLOW", "FREE_TEXT_FIELDS", "MAX_KEYWORDS",
    "REQUIRED_FOR_SUBMISSION", "UPDATABLE_FIELDS", "WRITE_BATCH",
    "WORDING_FIELDS", "DemandError", "assign_experts", "close_expired", "create_demand",
    "create_demands", "current_wording", "decide_proposal", "format_reference", "mark_matched",
    "next_sequence", "on_published", "on_unpublished", "passages_missing", "propose_wording",
    "record_acting_view", "remove_attachment", "save_analysis", "split_keywords", "stale_wordings",
    "submission_problems", "submit", "submit_demands", "transition", "update_demand",
    "update_demands",
]
