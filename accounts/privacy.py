"""Personal-data rights under PIPL: download one's own data, and erase one's account.

Both are built from registries, so every app contributes the data it holds about a person
without this module importing it (apps to the right of ``accounts`` may not be imported here).
An app registers in its ``AppConfig.ready()``::

    from accounts.privacy import register_eraser, register_exporter

    register_exporter("demands", lambda user: [...])   # JSON-able (DjangoJSONEncoder)
    register_eraser("demands", erase_demand_contacts)  # erase_demand_contacts(user) -> None

Exporters return what the app holds about ``user`` (and only about them). Erasers remove or
anonymise it; they run inside the erasure's transaction, before the account itself is
anonymised (the user's e-mail address is still readable then), and must not delete audit
entries: the audit log is kept for its legal period whatever happens to the account.
"""

import json
from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.services import log_action

from .models import AgreementSignature, Membership

EXPORT_FORMAT = "challenge-portal-personal-data/1"
ACTION_EXPORT = "portal.privacy.export"
ACTION_ERASE = "portal.privacy.erase"
ANONYMOUS_DOMAIN = "invalid"

_exporters: dict[str, Callable[[Any], Any]] = {}
_erasers: dict[str, Callable[[Any], None]] = {}


def _register(registry, kind, name, func):
    if not callable(func):
        raise ImproperlyConfigured(f"The {kind} {name!r} must be callable")
    existing = registry.get(name)
    if existing is not None and existing is not func:
        raise ImproperlyConfigured(f"A different {kind} is already registered as {name!r}")
    registry[name] = func


def register_exporter(name, func):
    """Add section ``name`` to every data download: ``func(user)`` returns a JSON-able value
    (``DjangoJSONEncoder``: datetimes, decimals and UUIDs are fine). Registering the same
    function twice under one name is harmless; another function under a taken name is refused.
    """
    _register(_exporters, "exporter", name, func)


def register_eraser(name, func):
    """Run ``func(user)`` when ``user`` erases their account; it removes or anonymises what the
    app holds about them, inside the erasure's transaction."""
    _register(_erasers, "eraser", name, func)


def exporters():
    return dict(_exporters)


def erasers():
    return dict(_erasers)


# --- download ---------------------------------------------------------------------------------
def export_user_data(user):
    """Everything the portal holds about ``user``, as a dict of registered sections."""
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now(),
        "user_id": user.pk,
        "sections": {name: func(user) for name, func in _exporters.items()},
    }


def export_user_data_json(user, *, request=None):
    """The download as UTF-8 JSON text; the export itself is written to the audit log."""
    text = json.dumps(export_user_data(user), cls=DjangoJSONEncoder, ensure_ascii=False,
                      indent=2)
    log_action(ACTION_EXPORT, actor=user, obj=user, request=request,
               data={"sections": sorted(_exporters)})
    return text


def _profile(user):
    return {
        "email": user.email,
        "full_name": user.full_name,
        "mobile": user.mobile,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
    }


def _roles(user):
    return sorted(user.roles.values_list("code", flat=True))


def _email_addresses(user):
    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("email")
    ]


def _memberships(user):
    return [
        {
            "organisation": membership.organisation.name,
            "credit_code": membership.organisation.credit_code,
            "role": membership.role,
            "state": membership.state,
            "requested_at": membership.created_at,
            "decided_at": membership.decided_at,
        }
        for membership in Membership.objects.filter(user=user)
        .select_related("organisation").order_by("created_at", "pk")
    ]


def _signatures(user):
    return [
        {
            "agreement": signature.agreement.title,
            "kind": signature.agreement.kind,
            "version": signature.agreement.version,
            signature.agreement.scope_type.model: str(signature.agreement.scope),
            "signed_at": signature.signed_at,
            "ip_address": signature.ip_address,
            "text_hash": signature.text_hash,
        }
        for signature in AgreementSignature.objects.filter(user=user)
        .select_related("agreement__scope_type").prefetch_related("agreement__scope")
        .order_by("signed_at", "pk")
    ]


def _two_factor(user):
    # Which factors are set up and when they were used; never their secrets.
    return [
        {"type": authenticator.type, "created_at": authenticator.created_at,
         "last_used_at": authenticator.last_used_at}
        for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
    ]


register_exporter("profile", _profile)
register_exporter("roles", _roles)
register_exporter("email_addresses", _email_addresses)
register_exporter("memberships", _memberships)
register_exporter("agreement_signatures", _signatures)
register_exporter("two_factor", _two_factor)


# --- erasure ----------------------------------------------------------------------------------
def anonymous_email(user):
    return f"deleted-{user.pk}@{ANONYMOUS_DOMAIN}"


def is_erased(user):
    return user.email == anonymous_email(user)


def _erase_email_addresses(user):
    EmailAddress.objects.filter(user=user).delete()


def _erase_authenticators(user):
    Authenticator.objects.filter(user=user).delete()


def _end_memberships(user):
    # Leaving an organisation deletes the membership row (accounts.enums); requests go too.
    Membership.objects.filter(user=user).delete()


register_eraser("email_addresses", _erase_email_addresses)
register_eraser("two_factor", _erase_authenticators)
register_eraser("memberships", _end_memberships)


def erase_user(user, *, request=None):
    """Erase ``user``'s personal data and close the account, for good.

    The row stays (agreement signatures and audit entries point at it, and must be kept), but
    nothing identifies the person any more: the e-mail address becomes
    ``deleted-<id>@invalid``, name and mobile are emptied, the password becomes unusable, roles
    and staff rights go, and the account is inactive, so it can never sign in again and every
    open session of it ends. Each app's registered eraser runs first. Audit entries are kept.
    """
    with transaction.atomic():
        log_action(ACTION_ERASE, actor=user, obj=user, request=request,
                   data={"erasers": sorted(_erasers)})
        for func in _erasers.values():
            func(user)
        user.email = anonymous_email(user)
        user.full_name = ""
        user.mobile = ""
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.roles.clear()
        user.groups.clear()
        user.user_permissions.clear()
    # Role and membership caches kept on the instance for one request (accounts.permissions).
    for name in ("_role_codes", "_active_org_roles"):
        user.__dict__.pop(name, None)
    return user
