"""Host registration (seed A2): host units are preloaded from the notice, their staff are not.

A registered person applies to join a host unit as its administrator with the unit's
authorisation letter (a private file); Torch staff approve or decline (a :class:`Workflow`);
an approved administrator invites colleagues by the e-mail address of their account and
removes them. Every step is audited and notified in its own transaction."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.enums import RoleCode
from accounts.permissions import is_torch_staff
from accounts.services import grant_role, revoke_role
from audit.services import log_action
from common.errors import DomainError
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
def invite(host_unit, *, actor, email, request=None):
    """The unit's administrator invites the holder of the account ``email`` to its staff."""
    email = (email or "").strip().lower()
    if not is_host_admin_of(actor, host_unit):
        raise RegistrationError(gettext("Only the host unit's administrator invites colleagues."))
    invitee = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if invitee is None:
        raise RegistrationError(gettext("No account uses this e-mail address. Ask your "
                                        "colleague to register first, then invite them."),
                                field="email")
    if HostMembership.objects.filter(user=invitee, host_unit=host_unit).exists():
        raise RegistrationError(gettext("This colleague is on the staff already."),
                                field="email")
    with transaction.atomic():
        invitation, created = HostInvitation.objects.get_or_create(
            host_unit=host_unit, email=email, accepted_at=None,
            defaults={"invited_by": actor})
        if created:
            log_action("portal.host_staff.invited", actor=actor, obj=invitation,
                       data={"host_unit": host_unit.pk, "invitee": invitee.pk},
                       request=request)
            _notify("host.staff", [invitee.pk], f"host-invitation-{invitation.pk}",
                    {"event": "invited", "host_unit": host_unit.name,
                     "actor": actor.get_full_name() or actor.email},
                    url=reverse("contests:host_apply"), obj=invitation)
    return invitation


def open_invitations_for(user):
    if not (user and user.is_authenticated):
        return HostInvitation.objects.none()
    return (HostInvitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True)
            .select_related("host_unit", "invited_by"))


def accept(invitation, *, user, request=None):
    """The invited colleague joins the unit's staff."""
    with transaction.atomic():
        locked = HostInvitation.objects.select_for_update().select_related("host_unit").get(
            pk=invitation.pk)
        if locked.accepted_at is not None or locked.email.lower() != user.email.lower():
            raise RegistrationError(gettext("This invitation is not open for you."))
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

