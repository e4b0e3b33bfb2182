"""The accounts app's own sections of the workspace dashboard (see accounts.workspace), and
those of the kernel apps below it, which cannot reach the dashboard themselves."""

from .agreements import agreement_status, current_scope
from .enums import SELF_SERVICE_ROLES, RoleCode
from .selectors import memberships_of, pending_requests_for_admin
from .workspace import register_section


def profile_context(request):
    return {"profile_user": request.user}


def roles_context(request):
    # role_codes() is cached on the user for the request (the context processor read it).
    return {
        "roles": [RoleCode(code) for code in sorted(request.user.role_codes())],
        "self_service_codes": [str(code) for code in SELF_SERVICE_ROLES],
    }


def organisations_context(request):
    return {
        "memberships": list(memberships_of(request.user)),
        "pending_requests": list(pending_requests_for_admin(request.user)),
    }


def agreements_context(request):
    scope = current_scope()
    statuses = agreement_status(request.user, scope)
    return {
        "scope": scope,
        "statuses": statuses,
        "all_signed": bool(statuses) and all(status.signed for status in statuses),
    }


def register():
    register_section("profile", "accounts/workspace/profile.html", profile_context, order=10)
    register_section("roles", "accounts/workspace/roles.html", roles_context, order=20)
    register_section("organisations", "accounts/workspace/organisations.html",
                     organisations_context, order=30)
    register_section("agreements", "accounts/workspace/agreements.html", agreements_context,
                     order=40)


def register_kernel_sections():
    from common.importexport import workspace as imports
    from notifications import workspace as notifications

    notifications.register(register_section)
    imports.register(register_section)
