"""Host registration (seed A2): host units are preloaded from the notice, their staff are not.

A registered person applies to join a host unit as its administrator with the unit's
authorisation letter (a private file); Torch staff approve or decline (a :class:`Workflow`);
an approved administrator invites colleagues by e-mail and removes them. An invitation is a
signed, expiring, single-use link e-mailed through the outbox (to a person without an account
too, who registers with the invited address fixed: ``registration_views.InvitedSignupView``);
the administrator may revoke it before use. Every step is audited and notified in its own
transaction."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from accounts.enums import RoleCode
from accounts.permissions import is_torch_staff
from accounts.services import grant_role, revoke_role
from audit.services import log_action
from common.errors import DomainError
from common.masking import mask_email
from common.workflow import Edge, Workflow

from .enums import HostApplicationState
from .models import HostApplication, HostApplicationTransition, HostInvitation, HostMembership
from .permissions import forget_host_units


class RegistrationError(DomainError):
    """A refused registration step; ``message`` is shown to the user as is."""


def is_host_admin_of(user, host_unit):
    return bool(user and user.is_authenticated and user.is_active) and (
        HostMembership.objects.filter(user=user, host_unit=host_unit, is_admin=True).exists())


def _torch(user, application):
    return is_torch_staff(user)


APPLICATION_EDGES = (
    Edge(HostApplicationState.PENDING, HostApplicationState.APPROVED, _torch),
    Edge(HostApplicationState.PENDING, HostApplicationState.DECLINED, _torch),
)


def _torch_staff_ids():
    return list(get_user_model().objects.filter(roles__code=RoleCode.TORCH_STAFF,
                                                is_active=True)
                .values_list("pk", flat=True).distinct())


def _notify(kind, user_ids, key, context, *, url, obj):
    from notifications.services import notify_many

    if user_ids:
        notify_many(recipient_ids=user_ids, kind=kind, context=context, idempotency_key=key,
                    url=url, obj=obj)


def _context(application, event, reason=""):
    return {"event": event, "host_unit": application.host_unit.name,
            "applicant": application.user.get_full_name() or application.user.email,
            "reason": reason}


def _decided(step):
    """After approval or decline: the membership (approval), and the applicant is told."""
    application, target = step.obj, step.target
    if target == HostApplicationState.APPROVED:
        membership, _created = HostMembership.objects.get_or_create(
            user=application.user, host_unit=application.host_unit)
        if not membership.is_admin:
            membership.is_admin = True
            membership.save(update_fields=["is_admin"])
        grant_role(application.user, RoleCode.HOST_ORGANISER, actor=step.actor)
        forget_host_units(application.user)
    _notify("host.application", [application.user_id],
            f"host-application-{application.pk}-{target}",
            _context(application, target, step.reason),
            url=reverse("contests:host_apply"), obj=application)


def _record_decision(step):
    step.changes.update(decided_by=step.actor, decided_at=timezone.now())


APPLICATION_WORKFLOW = Workflow(
    model=HostApplication, states=HostApplicationState, edges=APPLICATION_EDGES,
    history=HostApplicationTransition, audit="portal.host_application",
    select_related=("user", "host_unit"), error=RegistrationError,
    before=_record_decision, after=_decided,
)


def apply(user, *, host_unit, position, letter, message="", request=None):
    """``user`` applies to join ``host_unit`` as its administrator; ``letter`` (an upload) is
    the unit's authorisation letter, stored as a private file of the application."""
    from files.enums import FileKind
    from files.services import store_upload

    if not (user and user.is_authenticated):
        raise RegistrationError(gettext("Sign in first."))
    if HostMembership.objects.filter(user=user, host_unit=host_unit).exists():
        raise RegistrationError(gettext("You are already on this host unit's staff."))
    with transaction.atomic():
        if HostApplication.objects.select_for_update().filter(
                user=user, host_unit=host_unit, state=HostApplicationState.PENDING).exists():
            raise RegistrationError(gettext("You have applied to this host unit already; the "
                                            "Torch Center has not decided yet."))
        application = HostApplication.objects.create(user=user, host_unit=host_unit,
                                                     position=position.strip(),
                                                     message=(message or "").strip())
        store_upload(letter, kind=FileKind.ATTACHMENT, uploaded_by=user,
                     attach_to=application)
        log_action("portal.host_application.submitted", actor=user, obj=application,
                   data={"host_unit": host_unit.pk}, request=request)
        _notify("host.application", _torch_staff_ids(),
                f"host-application-{application.pk}-submitted",
                _context(application, "submitted"),
                url=reverse("contests:host_application", kwargs={"pk": application.pk}),
                obj=application)
    return application


def approve(application, *, actor, reason="", request=None):
    return APPLICATION_WORKFLOW.transition(application, HostApplicationState.APPROVED,
                                           actor=actor, reason=reason, request=request)


def decline(application, *, actor, reason, request=None):
    if not (reason or "").strip():
        raise RegistrationError(gettext("Say why the application is declined."),
                                field="reason")
    return APPLICATION_WORKFLOW.transition(application, HostApplicationState.DECLINED,
                                           actor=actor, reason=reason, request=request)


# --- colleagues -------------------------------------------------------------------------------
INVITATION_DAYS = 14
_LINK_SALT = "contests.host-invitation"


class InvitationRefused(RegistrationError):
    """An invitation link that cannot be used; ``code`` says why: invalid, expired, used,
    revoked."""


def invitation_token(invitation):
    """The signed token of ``invitation``'s link (its id and current nonce, timestamped)."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=_LINK_SALT)


def invitation_path(invitation):
    return reverse("contests:host_invitation_join",
                   kwargs={"token": invitation_token(invitation)})


def _refusal(invitation):
    """Why ``invitation`` cannot be used now, or None."""
    if invitation.revoked_at is not None:
        return InvitationRefused(gettext("The host unit's administrator has withdrawn this "
                                         "invitation."), code="revoked")
    if invitation.accepted_at is not None:
        return InvitationRefused(gettext("This invitation has been used already."),
                                 code="used")
    if invitation.is_expired:
        return InvitationRefused(gettext("This invitation has expired. Ask the host unit's "
                                         "administrator to invite you again."), code="expired")
    return None


def invitation_for_token(token):
    """The open invitation of a link's ``token``; raises :class:`InvitationRefused`."""
    invalid = InvitationRefused(gettext("This invitation link is not valid. Open the latest "
                                        "link you were sent, whole."), code="invalid")
    try:
        data = signing.loads(token, salt=_LINK_SALT, max_age=INVITATION_DAYS * 86400)
    except signing.SignatureExpired:
        raise InvitationRefused(gettext("This invitation has expired. Ask the host unit's "
                                        "administrator to invite you again."),
                                code="expired") from None
    except signing.BadSignature:
        raise invalid from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or not data.get("n"):
        raise invalid
    invitation = (HostInvitation.objects.select_related("host_unit", "invited_by")
                  .filter(pk=data["i"], nonce=str(data["n"])).first())
    if invitation is None:
        raise invalid
    refusal = _refusal(invitation)
    if refusal is not None:
        raise refusal
    return invitation


def _send_link(invitation, *, actor, invitee):
    """The link to ``invitation``: in the invitee's inbox and e-mail when the address has an
    account, else by e-mail to the address (through the outbox either way)."""
    path = invitation_path(invitation)
    context = {"event": "invited", "host_unit": invitation.host_unit.name,
               "actor": actor.get_full_name() or actor.email}
    key = f"host-invitation-{invitation.pk}-{invitation.nonce}"
    if invitee is not None:
        _notify("host.staff", [invitee.pk], key, context, url=path, obj=invitation)
        return
    from notifications.services import send_to_address

    mail = {**context, "link": settings.SITE_URL.rstrip("/") + path, "days": INVITATION_DAYS,
            "expires_at": invitation.expires_at, "portal_name": settings.PORTAL_NAME}
    send_to_address(
        to_address=invitation.email, kind="host.staff", idempotency_key=key,
        subject=render_to_string("contests/email/host_invitation_subject.txt", mail).strip(),
        body=render_to_string("contests/email/host_invitation_body.txt", mail),
        language=get_language() or "")


def invite(host_unit, *, actor, email, request=None):
    """The unit's administrator invites ``email`` to its staff: a new link (valid
    ``INVITATION_DAYS`` days) is sent; inviting an address again sends a fresh link and the
    old one stops working."""
    email = (email or "").strip().lower()
    if not is_host_admin_of(actor, host_unit):
        raise RegistrationError(gettext("Only the host unit's administrator invites colleagues."))
    invitee = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if invitee is not None and HostMembership.objects.filter(user=invitee,
                                                             host_unit=host_unit).exists():
        raise RegistrationError(gettext("This colleague is on the staff already."),
                                field="email")
    now = timezone.now()
    with transaction.atomic():
        invitation = HostInvitation.objects.select_for_update().filter(
            host_unit=host_unit, email__iexact=email, accepted_at__isnull=True,
            revoked_at__isnull=True).first()
        resent = invitation is not None
        if invitation is None:
            invitation = HostInvitation(host_unit=host_unit, email=email, invited_by=actor)
        invitation.nonce = secrets.token_hex(16)
        invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
        invitation.save()
        log_action("portal.host_staff.invited", actor=actor, obj=invitation,
                   data={"host_unit": host_unit.pk,
                         "invitee": invitee.pk if invitee is not None else None,
                         "email": mask_email(email), "resent": resent},
                   request=request)
        _send_link(invitation, actor=actor, invitee=invitee)
    return invitation


def revoke_invitation(invitation, *, actor, request=None):
    """The unit's administrator withdraws an invitation not used yet; its link stops working.
    The invitee is told when the address has an account."""
    if not is_host_admin_of(actor, invitation.host_unit):
        raise RegistrationError(gettext("Only the host unit's administrator revokes "
                                        "invitations."))
    with transaction.atomic():
        locked = HostInvitation.objects.select_for_update().select_related("host_unit").get(
            pk=invitation.pk)
        if locked.accepted_at is not None or locked.revoked_at is not None:
            raise RegistrationError(gettext("This invitation is no longer open."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        log_action("portal.host_staff.invitation_revoked", actor=actor, obj=locked,
                   data={"host_unit": locked.host_unit_id, "email": mask_email(locked.email)},
                   request=request)
        invitee = get_user_model().objects.filter(email__iexact=locked.email,
                                                  is_active=True).first()
        if invitee is not None:
            _notify("host.staff", [invitee.pk], f"host-invitation-{locked.pk}-revoked",
                    {"event": "revoked", "host_unit": locked.host_unit.name,
                     "actor": actor.get_full_name() or actor.email},
                    url=reverse("contests:host_apply"), obj=locked)
    return locked


def open_invitations_for(user):
    if not (user and user.is_authenticated):
        return HostInvitation.objects.none()
    from django.db.models import Q

    return (HostInvitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True,
                                          revoked_at__isnull=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
            .select_related("host_unit", "invited_by"))


def open_invitations_of(host_unit):
    """The invitations of ``host_unit`` not used nor revoked (expired ones too, marked)."""
    return host_unit.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)


def accept(invitation, *, user, request=None):
    """The invited colleague joins the unit's staff (from their account or the link)."""
    with transaction.atomic():
        locked = HostInvitation.objects.select_for_update().select_related("host_unit").get(
            pk=invitation.pk)
        refusal = _refusal(locked)
        if refusal is not None:
            raise refusal
        if locked.email.lower() != (user.email or "").lower():
            raise InvitationRefused(gettext("This invitation is for another e-mail address."),
                                    code="other_email")
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        membership, _created = HostMembership.objects.get_or_create(
            user=user, host_unit=locked.host_unit)
        grant_role(user, RoleCode.HOST_ORGANISER, actor=user)
        log_action("portal.host_staff.joined", actor=user, obj=membership,
                   data={"host_unit": locked.host_unit_id, "invitation": locked.pk},
                   request=request)
        _notify("host.staff", [locked.invited_by_id], f"host-invitation-{locked.pk}-accepted",
                {"event": "accepted", "host_unit": locked.host_unit.name,
                 "actor": user.get_full_name() or user.email},
                url=reverse("contests:colleagues", kwargs={"slug": locked.host_unit.slug}),
                obj=membership)
    forget_host_units(user)
    return membership


def remove(membership, *, actor, request=None):
    """The unit's administrator removes a colleague (not themselves) from its staff; a user
    left on no host unit's staff loses the host organiser role."""
    host_unit, user = membership.host_unit, membership.user
    if not is_host_admin_of(actor, host_unit):
        raise RegistrationError(gettext("Only the host unit's administrator removes colleagues."))
    if user.pk == actor.pk:
        raise RegistrationError(gettext("You cannot remove yourself; ask the Torch Center."))
    with transaction.atomic():
        log_action("portal.host_staff.removed", actor=actor, obj=membership,
                   data={"host_unit": host_unit.pk, "user": user.pk}, request=request)
        membership.delete()
        if not HostMembership.objects.filter(user=user).exists():
            revoke_role(user, RoleCode.HOST_ORGANISER, actor=actor)
        _notify("host.staff", [user.pk], f"host-removed-{host_unit.pk}-{user.pk}-"
                f"{timezone.now().timestamp():.0f}",
                {"event": "removed", "host_unit": host_unit.name,
                 "actor": actor.get_full_name() or actor.email},
                url=reverse("accounts:dashboard"), obj=host_unit)
    forget_host_units(user)


# --- reads ------------------------------------------------------------------------------------
def applications_visible_to(user):
    """Torch staff see every application; anyone else their own."""
    queryset = HostApplication.objects.select_related("user", "host_unit__event", "decided_by")
    if is_torch_staff(user):
        return queryset
    if not (user and user.is_authenticated):
        return queryset.none()
    return queryset.filter(user=user)


def colleagues_of(host_unit):
    return (HostMembership.objects.filter(host_unit=host_unit).select_related("user")
            .order_by("-is_admin", "pk"))

