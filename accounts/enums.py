from django.db import models
from django.utils.translation import pgettext_lazy

from common.workflow import Edge, successors


class RoleCode(models.TextChoices):
    DEMAND_COMPANY = "demand_company", pgettext_lazy("role", "Demand company")
    CHALLENGER = "challenger", pgettext_lazy("role", "Challenger")
    EXPERT = "expert", pgettext_lazy("role", "Expert")
    SERVICE_AGENCY = "service_agency", pgettext_lazy("role", "Service agency")
    HOST_ORGANISER = "host_organiser", pgettext_lazy("role", "Host organiser")
    TORCH_STAFF = "torch_staff", pgettext_lazy("role", "Torch Center staff")


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", pgettext_lazy("organisation kind", "Enterprise")
    UNIVERSITY = "university", pgettext_lazy("organisation kind", "University")
    INSTITUTE = "institute", pgettext_lazy("organisation kind", "Research institute")
    TEAM = "team", pgettext_lazy("organisation kind", "Team")
    # 服务机构: commissioned by host units (matching.Commission).
    SERVICE_AGENCY = "service_agency", pgettext_lazy("organisation kind", "Service agency")


# Kinds that are legal entities and so carry a unified social credit code.
LEGAL_ENTITY_KINDS = {
    OrganisationKind.ENTERPRISE, OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE,
    OrganisationKind.SERVICE_AGENCY,
}


class MembershipRole(models.TextChoices):
    ADMIN = "admin", pgettext_lazy("membership role", "Administrator")
    MEMBER = "member", pgettext_lazy("membership role", "Member")


class MembershipState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("membership state", "Requested")
    ACTIVE = "active", pgettext_lazy("membership state", "Active")
    DECLINED = "declined", pgettext_lazy("membership state", "Declined")


class AgreementKind(models.TextChoices):
    NDA = "nda", pgettext_lazy("agreement kind", "Non-disclosure agreement")
    DISCLAIMER = "disclaimer", pgettext_lazy("agreement kind", "Disclaimer")


# Roles a user may take or drop on their own, at sign-up or in the workspace.
SELF_SERVICE_ROLES = (RoleCode.DEMAND_COMPANY, RoleCode.CHALLENGER)

# Roles whose holders work in Django admin, so granting them also sets ``is_staff``.
ADMIN_ROLES = (RoleCode.HOST_ORGANISER, RoleCode.TORCH_STAFF)

# Allowed membership transitions, with the predicate (in ``permissions``) of each: a request is
# approved or declined by the organisation's administrators (or Torch staff); a declined request
# may be made again by its user; an active member may leave (the row is deleted, not a state).
MEMBERSHIP_EDGES = (
    Edge(MembershipState.PENDING, MembershipState.ACTIVE, "can_decide_membership",
         action="approve"),
    Edge(MembershipState.PENDING, MembershipState.DECLINED, "can_decide_membership",
         action="decline"),
    Edge(MembershipState.DECLINED, MembershipState.PENDING, "is_membership_user",
         action="request"),
)
MEMBERSHIP_TRANSITIONS = successors(MEMBERSHIP_EDGES, MembershipState)


class VerificationState(models.TextChoices):
    """Whether an organisation was checked against its licence (kept as ``verified``)."""

    UNVERIFIED = "unverified", pgettext_lazy("organisation verification", "Not verified")
    VERIFIED = "verified", pgettext_lazy("organisation verification", "Verified")


# Host organisers and Torch staff verify; only Torch staff withdraw a verification.
VERIFICATION_EDGES = (
    Edge(VerificationState.UNVERIFIED, VerificationState.VERIFIED, "can_verify_organisation",
         action="verify"),
    Edge(VerificationState.VERIFIED, VerificationState.UNVERIFIED, "is_torch_staff",
         action="unverify"),
)

AGREEMENT_KINDS = (AgreementKind.NDA, AgreementKind.DISCLAIMER)
