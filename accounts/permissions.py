"""Predicates on roles, composed with | and & (django-rules)."""

import rules

from .enums import RoleCode


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
