"""Personal-data rights under PIPL: download one's own data, and erase one's account.

Both are built from one registry of the models that hold a person's data, so every app
contributes what it holds without this module importing it (apps to the right of ``accounts``
may not be imported here). Every model with a relation to the user or a personal field (e-mail,
mobile, phone, name of a person, IP address...) must be registered, by the app that owns it, in
its ``AppConfig.ready()``; ``tests/accounts/test_privacy_registry.py`` finds every such model by
introspection and fails for one that is missing::

    from accounts.privacy import DELETE, KEEP, declare_not_personal, register_model

    # Rows whose `user` is the person: exported as they are, deleted on erasure.
    register_model("myapp.Thing", user_fields=["user"], erase=DELETE)
    # Rows the portal must keep (they point at the anonymised account, nothing else of the
    # person is in them): exported, kept, with the reason.
    register_model("myapp.Decision", user_fields=["decided_by"], erase=KEEP,
                   reason="the record of who decided; the account is anonymised")
    # Anything else: your own export(user) and erase(user) functions.
    register_model("myapp.Contact", export=export_contacts, erase=erase_contacts)
    # Matched by the test but holding nobody's personal data (a public hotline...).
    declare_not_personal("myapp.Office", reason="the phone of a public office")

The older ``register_exporter`` / ``register_eraser`` (a named section and a function) still
work and add a section beside the models'.

Exporters return what the app holds about ``user`` (and only about them). Erasers remove or
anonymise it; they run inside the erasure's transaction, before the account itself is
anonymised (the user's e-mail address is still readable then), and must not delete audit
entries: the audit log is kept for its legal period whatever happens to the account.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import FileField, Q
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


# --- the registry of models holding a person's data -------------------------------------------
DELETE = "delete"   # the person's rows are deleted
KEEP = "keep"       # kept, pointing at the anonymised account (give the reason)
NULL = "null"       # the relation to the person is emptied (nullable foreign keys)


@dataclass(frozen=True)
class PersonalModel:
    label: str
    section: str
    user_fields: tuple = ()
    erase: Any = DELETE
    reason: str = ""
    exclude: tuple = ()
    personal: bool = True
    export: Any = field(default=None, compare=False)


_models: dict[str, PersonalModel] = {}


def _model(label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError) as error:
        raise ImproperlyConfigured(f"No model {label!r} to register for privacy") from error


def _rows_of(entry, user):
    model = _model(entry.label)
    condition = reduce(or_, (Q(**{name: user}) for name in entry.user_fields))
    return model._default_manager.filter(condition)


def _default_export(entry):
    def export(user):
        model = _model(entry.label)
        names = [f for f in model._meta.concrete_fields if f.name not in entry.exclude]
        return [
            {f.attname: _exportable(f, row) for f in names}
            for row in _rows_of(entry, user).distinct().order_by("pk")
        ]
    return export


def _exportable(model_field, row):
    value = model_field.value_from_object(row)
    if isinstance(model_field, FileField):
        return value.name if value else ""
    return value


def _default_eraser(entry):
    if callable(entry.erase):
        return entry.erase
    if entry.erase == KEEP:
        return None
    if entry.erase == DELETE:
        return lambda user: _rows_of(entry, user).delete()
    if entry.erase == NULL:
        def null(user):
            model = _model(entry.label)
            for name in entry.user_fields:
                model._default_manager.filter(**{name: user}).update(**{name: None})
        return null
    raise ImproperlyConfigured(f"Unknown erasure {entry.erase!r} for {entry.label}")


def register_model(label, *, user_fields=(), erase=DELETE, export=None, section=None,
                   reason="", exclude=()):
    """Declare that model ``label`` ("app.Model") holds a person's data, and how the data
    download and the erasure reach it.

    ``user_fields`` are the lookups (``"user"``, ``"email_address__user"``) that find the
    person's rows; without a custom ``export`` those rows are exported field by field (minus
    ``exclude``). ``erase`` is ``DELETE``, ``KEEP`` (with a ``reason``), ``NULL`` or a function
    ``erase(user)``. Registering the same declaration twice is harmless; a different one under
    a registered label is refused."""
    user_fields = tuple(user_fields)
    if export is None and not user_fields:
        raise ImproperlyConfigured(f"{label}: give user_fields or an export function")
    if erase in (DELETE, NULL) and not user_fields:
        raise ImproperlyConfigured(f"{label}: {erase} needs user_fields")
    if erase == KEEP and not reason:
        raise ImproperlyConfigured(f"{label}: say why the rows are kept (reason=...)")
    entry = PersonalModel(label=label, section=section or label, user_fields=user_fields,
                          erase=erase, reason=reason, exclude=tuple(exclude), export=export)
    existing = _models.get(label)
    if existing is not None:
        if existing == entry:
            return existing
        raise ImproperlyConfigured(f"{label} is already registered for privacy differently")
    _models[label] = entry
    register_exporter(entry.section, export or _default_export(entry))
    eraser = _default_eraser(entry)
    if eraser is not None:
        register_eraser(entry.section, eraser)
    return entry


def declare_not_personal(label, *, reason):
    """A model the registry test matches (a phone or e-mail field...) that holds no person's
    data: a public office's hotline, an organisation's address."""
    if not reason:
        raise ImproperlyConfigured(f"{label}: say why it holds no personal data")
    entry = PersonalModel(label=label, section="", reason=reason, personal=False, erase=KEEP)
    existing = _models.get(label)
    if existing is not None and existing != entry:
        raise ImproperlyConfigured(f"{label} is already registered for privacy differently")
    _models[label] = entry
    return entry


def registered_models():
    return dict(_models)


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


register_exporter("roles", _roles)


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


def _erase_admin_log(user):
    # Django admin's own change list: the person's own actions, and entries about their account
    # (whose text names them). The portal's audit log (audit.ActivityLog) is the record kept.
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get_for_model(get_user_model())
    LogEntry.objects.filter(Q(user=user) | Q(content_type=user_type, object_id=str(user.pk))
                            ).delete()


def _erase_outbound_emails(user):
    # Mail to the person, queued or sent, by account or by address.
    from notifications.models import OutboundEmail

    OutboundEmail.objects.filter(Q(recipient=user) | Q(to_address__iexact=user.email)).delete()


def _identifiers(user):
    """What names the person in text others received: e-mail, name, mobile (the shortest a name
    may be is two characters, as Chinese names are)."""
    return [value for value in (user.email, user.full_name, user.mobile)
            if value and len(value) >= 2]


def _scrub_mentions(user):
    """Other people's notifications and e-mails that name the person (a request "from 陈静")
    keep their meaning but lose the name: it becomes "[erased user]"."""
    from django.utils.translation import gettext

    from notifications.models import Notification, OutboundEmail

    replacement = gettext("[erased user]")
    for model, fields in ((Notification, ("text",)), (OutboundEmail, ("subject", "body"))):
        for value in _identifiers(user):
            condition = reduce(or_, (Q(**{f"{name}__icontains": value}) for name in fields))
            changed = []
            for row in model._default_manager.filter(condition).only("pk", *fields):
                for name in fields:
                    text = getattr(row, name)
                    setattr(row, name, _replace_case_insensitive(text, value, replacement))
                changed.append(row)
            model._default_manager.bulk_update(changed, list(fields), batch_size=500)


def _replace_case_insensitive(text, value, replacement):
    import re

    return re.sub(re.escape(value), replacement, text, flags=re.IGNORECASE)


def _end_sessions(user):
    from .security import end_other_sessions

    end_other_sessions(user)


register_eraser("sessions", _end_sessions)
register_eraser("mentions_in_notifications", _scrub_mentions)

ANONYMISED = "the row points at the anonymised account and holds nothing else of the person"


def register_models():
    """The models of accounts, of the kernel apps (which may not import accounts) and of the
    libraries, each declared once (called from ``AccountsConfig.ready``)."""
    register_model("accounts.User", section="profile", export=_profile, erase=KEEP,
                   reason="anonymised by erase_user itself: e-mail, name and mobile emptied")
    register_model("account.EmailAddress", section="email_addresses", user_fields=["user"],
                   export=_email_addresses, erase=_erase_email_addresses)
    register_model("account.EmailConfirmation", user_fields=["email_address__user"],
                   erase=DELETE, exclude=["key"])
    register_model("mfa.Authenticator", section="two_factor", user_fields=["user"],
                   export=_two_factor, erase=_erase_authenticators)
    register_model("accounts.Membership", section="memberships", user_fields=["user"],
                   export=_memberships, erase=_end_memberships)
    register_model("accounts.MembershipTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("accounts.OrganisationVerificationChange", user_fields=["actor"],
                   erase=KEEP, reason=ANONYMISED)
    register_model("accounts.Organisation", user_fields=["verified_by"], erase=KEEP,
                   reason="the organisation's record (its members are ended above); who "
                          "verified it is the anonymised account")
    register_model("accounts.Agreement", user_fields=["published_by"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("accounts.AgreementSignature", section="agreement_signatures",
                   user_fields=["user"], export=_signatures, erase=KEEP,
                   reason="proof that the agreement was accepted, kept like the audit log; "
                          "it points at the anonymised account")
    register_model("admin.LogEntry", user_fields=["user"], erase=_erase_admin_log,
                   exclude=["change_message"])
    register_model("audit.ActivityLog", section="audit_log", user_fields=["actor"], erase=KEEP,
                   exclude=["prev_hash", "entry_hash"],
                   reason="kept for its legal period (at least 180 days, Cybersecurity Law art. "
                          "21); entries name the person only by a pseudonymous id (user #id)")
    register_model("files.PrivateFile", user_fields=["uploaded_by"], erase=NULL)
    register_model("importexport.ImportJob", user_fields=["user"], erase=DELETE,
                   exclude=["file_token"])
    register_model("notifications.Notification", user_fields=["recipient"], erase=DELETE)
    register_model("notifications.NotificationPreference", user_fields=["user"],
                   erase=DELETE)
    register_model("notifications.OutboundEmail", user_fields=["recipient"],
                   erase=_erase_outbound_emails)
    declare_not_personal("notifications.OutboundAttachment",
                         reason="a file sent with an outbound e-mail (its 'email' is that row, "
                                "not an address); deleted with the e-mail, which the erasure "
                                "deletes")


def erase_user(user, *, request=None):
    """Erase ``user``'s personal data and close the account, for good.

    The row stays (agreement signatures and audit entries point at it, and must be kept), but
    nothing identifies the person any more: the e-mail address becomes
    ``deleted-<id>@invalid``, name and mobile are emptied, the password becomes unusable, roles
    and staff rights go, and the account is inactive, so it can never sign in again and every
    open session of it ends. Each app's registered eraser runs first. Audit entries are kept.
    """
    with transaction.atomic():
        # Written before the anonymisation, so it names the account by its pseudonym only.
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
