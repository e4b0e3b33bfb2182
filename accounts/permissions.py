"""Predicates on roles and organisations, composed with | and & (django-rules)."""

import rules

from .enums import MembershipRole, MembershipState, RoleCode


def _has_role(code):
    @rules.predicate(name=f"has_role_{code}")
    def predicate(user):
        return bool(user and user.is_authenticated and user.is_active and code in user.role_codes())

    return predicate


is_demand_company = _has_role(RoleCode.DEMAND_COMPANY)
is_challenger = _has_role(RoleCode.CHALLENGER)
is_expert = _has_role(RoleCode.EXPERT)
is_service_agency = _has_role(RoleCode.SERVICE_AGENCY)
is_host_organiser = _has_role(RoleCode.HOST_ORGANISER)


@rules.predicate
def is_torch_staff(user):
    return bool(
        user and user.is_authenticated and user.is_active
        and (user.is_superuser or RoleCode.TORCH_STAFF in user.role_codes())
    )


is_staff_member = is_host_organiser | is_torch_staff


# --- organisations ----------------------------------------------------------------------------
def _active_org_roles(user):
    """``{organisation id: membership role}`` of the user's active memberships, cached on the
    user instance for one request so predicates in a list cost one query in all."""
    if not hasattr(user, "_active_org_roles"):
        from .models import Membership

        user._active_org_roles = dict(
            Membership.objects.filter(user=user, state=MembershipState.ACTIVE)
            .values_list("organisation_id", "role")
        )
    return user._active_org_roles


def _org_id(org):
    return org if isinstance(org, int) else getattr(org, "pk", None)


@rules.predicate
def is_org_member(user, org):
    """An active member (of any membership role) of the organisation."""
    if not (user and user.is_authenticated and user.is_active) or org is None:
        return False
    return _org_id(org) in _active_org_roles(user)


@rules.predicate
def is_org_admin(user, org):
    """An active administrator of the organisation."""
    if not (user and user.is_authenticated and user.is_active) or org is None:
        return False
    return _active_org_roles(user).get(_org_id(org)) == MembershipRole.ADMIN


def forget_cached_memberships(user):
    """Drop the per-request caches after a change to the user's memberships or roles."""
    for name in ("_active_org_roles", "_role_codes"):
        user.__dict__.pop(name, None)


@rules.predicate
def deals_with_organisation(user, organisation):
    """The organisation is one the user deals with as staff (a demand at one of the user's host
    units, a member on their staff: ``selectors.organisations_managed_by``)."""
    if organisation is None:
        return False
    from .selectors import organisations_managed_by

    return organisations_managed_by(user).filter(pk=_org_id(organisation)).exists()


# Who may open the organisations in admin (each sees those it deals with).
may_list_organisations = is_host_organiser | is_torch_staff
# Who may mark an organisation as verified: Torch Center staff, and host organisers for the
# organisations they deal with.
can_verify_organisation = is_torch_staff | (is_host_organiser & deals_with_organisation)
# Who may decide join requests: the organisation's administrators, and Torch staff.
can_manage_organisation = is_org_admin | is_torch_staff



@rules.predicate
def can_decide_membership(user, membership):
    """Who decides a join request (a predicate on the membership)."""
    return can_manage_organisation.test(user, membership.organisation)


@rules.predicate
def is_membership_user(user, membership):
    """The user a membership belongs to."""
    return bool(user and user.is_authenticated) and membership.user_id == user.pk


rules.add_perm("accounts.verify_organisation", can_verify_organisation)
rules.add_perm("accounts.manage_organisation", can_manage_organisation)
rules.add_perm("accounts.view_organisation_members", is_org_member | is_torch_staff)
