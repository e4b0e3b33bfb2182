"""Shared pieces of the demand services: the error, the field lists, audit and notifications."""

from accounts.enums import MembershipState
from accounts.models import Membership
from common.errors import DomainError
from notifications.services import notify

MAX_KEYWORDS = 5

# The standard-format fields a form may set (never status, ref, dates or search columns).
CONTENT_FIELDS = (
    "title", "industry_field", "demand_type", "keywords", "current_base", "key_problem",
    "expected_outcome", "outcome_forms", "time_requirement", "cooperation_modes",
    "ip_ownership", "challenger_conditions", "budget", "prize", "solution_deadline", "region",
    "address", "contact_person", "contact_mobile", "contact_landline", "contact_email",
    "contact_consents_sharing", "hidden_fields", "hidden_passages",
)

# Free text in which the owner may mark passages to hide; each marked passage must occur in
# one of them.
FREE_TEXT_FIELDS = (
    "title", "current_base", "key_problem", "expected_outcome", "time_requirement",
    "challenger_conditions",
)

# Texts for which an expert or host staff may propose a clearer public wording.
WORDING_FIELDS = ("title", "current_base", "key_problem", "expected_outcome",
                  "challenger_conditions")

# What submitting requires beyond a draft's title and host unit.
REQUIRED_FOR_SUBMISSION = (
    "industry_field", "demand_type", "key_problem", "expected_outcome", "region",
    "contact_person", "contact_mobile", "contact_email",
)

class DemandError(DomainError):
    """A refused operation on a demand; ``problems`` lists (field, message) pairs when the
    refusal is about several fields at once (an incomplete demand)."""

    def __init__(self, message, *, code=None, field=None, problems=None):
        super().__init__(message, code=code, field=field)
        self.problems = problems or []


# --- side effects -----------------------------------------------------------------------------
def _notify_members(demand, *, kind, key, context, skip=None):
    """Notify the owner organisation's active members (except ``skip``, who made the change)."""
    members = (Membership.objects.filter(organisation_id=demand.organisation_id,
                                         state=MembershipState.ACTIVE, user__is_active=True)
               .select_related("user"))
    url = demand.get_private_url()
    for membership in members:
        if skip is not None and membership.user_id == skip.pk:
            continue
        notify(recipient=membership.user, kind=kind, context=context, idempotency_key=key,
               url=url, obj=demand)


def _title(demand):
    return f"{demand.ref} {demand.title}"
