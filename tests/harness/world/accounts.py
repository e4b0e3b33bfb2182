"""The personas and their organisations; pending memberships of both companies."""

from accounts.enums import OrganisationKind
from demands.enums import HideableField
from tests.factories.accounts import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    sign_current_agreements,
)
from tests.factories.contests import HostMembershipFactory

from .canaries import CANARIES, FOREIGN_MARK

PERSONAS = (
    "visitor",
    "owner",
    "other_company",
    "challenger",
    "challenger_granted",
    "expert",
    "expert_assigned",
    "host",
    "other_host",
    "agency",
    "torch",
)


def _with_totp(user):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )
    return user


def personas(contest, unit_a, unit_b):
    """Every persona of ``PERSONAS`` (the visitor is ``None``), with an authenticator where the
    role needs one and the contest's agreements signed; and the organisations and host
    memberships they hold, by name."""
    from accounts.security import requires_mfa

    users = {"visitor": None}
    owner_org = OrganisationFactory(
        name=CANARIES[HideableField.ORGANISATION], kind=OrganisationKind.ENTERPRISE
    )
    users["owner"] = MembershipFactory(
        user=UserFactory(roles=["demand_company"], email="owner@matrix.cn"), organisation=owner_org
    ).user
    # Not yet verified: verifying it is a change a foreign host organiser must not make.
    other_org = OrganisationFactory(name=f"乙方科技有限公司{FOREIGN_MARK}", verified=False)
    users["other_company"] = MembershipFactory(
        user=UserFactory(roles=["demand_company"], email="other@matrix.cn"), organisation=other_org
    ).user
    university = OrganisationFactory(kind=OrganisationKind.UNIVERSITY, name="挑战大学")
    users["challenger"] = MembershipFactory(
        user=UserFactory(roles=["challenger"], email="challenger@matrix.cn"),
        organisation=university,
    ).user
    users["challenger_granted"] = MembershipFactory(
        user=UserFactory(roles=["challenger"], email="granted@matrix.cn"),
        organisation=OrganisationFactory(kind=OrganisationKind.INSTITUTE, name="授权研究院"),
    ).user
    users["expert"] = UserFactory(roles=["expert"], email="expert@matrix.cn")
    users["expert_assigned"] = UserFactory(roles=["expert"], email="assigned@matrix.cn")
    # Host unit A's administrator (approved on application): invites and removes colleagues.
    host_membership = HostMembershipFactory(host_unit=unit_a, user__email="host@matrix.cn",
                                            is_admin=True)
    users["host"] = host_membership.user
    foreign_host_membership = HostMembershipFactory(
        host_unit=unit_b, user__email="otherhost@matrix.cn"
    )
    users["other_host"] = foreign_host_membership.user
    users["agency"] = UserFactory(roles=["service_agency"], email="agency@matrix.cn")
    # A member of a service agency that unit A commissions for the world's demand (below).
    agency_org = OrganisationFactory(kind=OrganisationKind.SERVICE_AGENCY, name="矩阵服务机构")
    MembershipFactory(user=users["agency"], organisation=agency_org)
    users["torch"] = UserFactory(roles=["torch_staff"], is_staff=True, email="torch@matrix.cn")
    for user in users.values():
        if user is not None and requires_mfa(user):
            _with_totp(user)
    for persona in ("challenger_granted", "expert_assigned", "expert", "challenger"):
        sign_current_agreements(users[persona], contest)
    # The agency's members act on a commission after signing the NDA (matching.permissions).
    sign_current_agreements(users["agency"], contest, kinds=("nda",))
    held = {
        "owner_org": owner_org,
        "other_org": other_org,
        "university": university,
        "agency_org": agency_org,
        "host_membership": host_membership,
        "foreign_host_membership": foreign_host_membership,
    }
    return users, held


def pending_memberships(owner_org, other_org):
    """An applicant waiting to join each company."""
    applicant = UserFactory(email="applicant@matrix.cn")
    pending_membership = MembershipFactory(
        user=applicant, organisation=owner_org, role="member", state="pending"
    )
    foreign_membership = MembershipFactory(
        user=UserFactory(email="applicant2@matrix.cn"),
        organisation=other_org,
        role="member",
        state="pending",
    )
    return pending_membership, foreign_membership
