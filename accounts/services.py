"""Every write to accounts data: profiles, roles, organisations, memberships, agreements.

Views, admin, forms and other apps call these functions; none of them writes the models
directly. Refusals raise :class:`accounts.exceptions.AccountsError` (shown to the user as a
message) or :class:`django.core.exceptions.PermissionDenied` (answered with 404 by views).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_ipv46_address
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from common.workflow import ILLEGAL, STALE, Workflow

from . import permissions
from .credit_code import normalise as normalise_credit_code
from .enums import (
    ADMIN_ROLES,
    MEMBERSHIP_EDGES,
    SELF_SERVICE_ROLES,
    VERIFICATION_EDGES,
    MembershipRole,
    MembershipState,
    RoleCode,
    VerificationState,
)
from .exceptions import AccountsError, DuplicateCreditCode
from .mobile import normalise_mobile
from .models import (
    Agreement,
    AgreementSignature,
    Membership,
    MembershipTransition,
    Organisation,
    OrganisationVerificationChange,
    Role,
)
from .permissions import (
    can_manage_organisation,
    can_verify_organisation,
    forget_cached_memberships,
    is_torch_staff,
)


# --- profile ----------------------------------------------------------------------------------
def update_profile(user, *, full_name, mobile, language=None):
    """Change the user's own name, mobile (normalised) and preferred language."""
    user.full_name = full_name.strip()
    user.mobile = normalise_mobile(mobile)
    fields = ["full_name", "mobile"]
    if language:
        user.language = language
        fields.append("language")
    with transaction.atomic():
        user.save(update_fields=fields)
        log_action("portal.account.profile_update", actor=user, obj=user,
                   data={"fields": fields})
    return user


def complete_signup(user, *, full_name, mobile, roles=(), language=None):
    """What the sign-up form adds to allauth's account: profile and self-service roles."""
    with transaction.atomic():
        update_profile(user, full_name=full_name, mobile=mobile, language=language)
        set_self_service_roles(user, roles)
    return user


# --- roles ------------------------------------------------------------------------------------
def _role(code):
    try:
        code = RoleCode(code)
    except ValueError as error:
        raise AccountsError(_("Unknown role: %(code)s") % {"code": code}) from error
    role, _created = Role.objects.get_or_create(code=code)
    return role


def grant_role(user, code, *, actor=None):
    """Give the user a role. Host organisers and Torch staff work in Django admin, so they also
    become staff (``is_staff``). Granting a role the user holds changes nothing."""
    role = _role(code)
    with transaction.atomic():
        held = user.roles.filter(pk=role.pk).exists()
        user.roles.add(role)
        if role.code in ADMIN_ROLES and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        if not held:
            log_action("portal.account.role_grant", actor=actor, obj=user,
                       data={"role": role.code, "is_staff": user.is_staff})
    forget_cached_memberships(user)
    return user


def revoke_role(user, code, *, actor=None):
    """Take a role away; a user left without any admin role stops being staff (superusers
    keep their flag)."""
    role = _role(code)
    with transaction.atomic():
        held = user.roles.filter(pk=role.pk).exists()
        user.roles.remove(role)
        if (role.code in ADMIN_ROLES and user.is_staff and not user.is_superuser
                and not user.roles.filter(code__in=ADMIN_ROLES).exists()):
            user.is_staff = False
            user.save(update_fields=["is_staff"])
        if held:
            log_action("portal.account.role_revoke", actor=actor, obj=user,
                       data={"role": role.code, "is_staff": user.is_staff})
    forget_cached_memberships(user)
    return user


def set_self_service_roles(user, codes):
    """Set which self-service roles (demand company, challenger) the user acts in. Other roles
    are granted by staff only and are neither added nor removed here."""
    wanted = set(codes)
    refused = wanted - set(SELF_SERVICE_ROLES)
    if refused:
        raise AccountsError(_("These roles are granted by the organisers only: %(roles)s")
                            % {"roles": ", ".join(sorted(refused))}, field="roles")
    held = set(user.role_codes())
    for code in SELF_SERVICE_ROLES:
        if code in wanted and code not in held:
            grant_role(user, code, actor=user)
        elif code not in wanted and code in held:
            revoke_role(user, code, actor=user)
    return user


def sync_admin_roles(user, before, *, actor=None):
    """After staff edited the user's roles in admin (``before``: the codes held until then),
    apply the staff flag rules of :func:`grant_role` / :func:`revoke_role` to what changed."""
    forget_cached_memberships(user)
    after = set(user.role_codes())
    for code in after - set(before):
        grant_role(user, code, actor=actor)
        log_action("portal.account.role_grant", actor=actor, obj=user,
                   data={"role": code, "is_staff": user.is_staff})
    for code in set(before) - after:
        revoke_role(user, code, actor=actor)
        log_action("portal.account.role_revoke", actor=actor, obj=user,
                   data={"role": code, "is_staff": user.is_staff})


# --- organisations ----------------------------------------------------------------------------
def _raise_if_code_taken(code, exclude_pk=None):
    if not code:
        return
    existing = Organisation.objects.filter(credit_code=code).exclude(pk=exclude_pk).first()
    if existing is not None:
        raise DuplicateCreditCode(existing)


def create_organisation(creator, *, name, kind, credit_code, region, address=""):
    """Register an organisation; its creator becomes its active administrator.

    Raises ``ValidationError`` (per field) for a bad credit code or region, and
    :class:`DuplicateCreditCode` when the code is already registered.
    """
    code = normalise_credit_code(credit_code) or None
    _raise_if_code_taken(code)
    organisation = Organisation(name=name.strip(), kind=kind, credit_code=code, region=region,
                                address=address.strip())
    organisation.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            organisation.save()
            Membership.objects.create(
                user=creator, organisation=organisation, role=MembershipRole.ADMIN,
                state=MembershipState.ACTIVE, decided_at=timezone.now(), decided_by=creator,
            )
            log_action("portal.organisation.create", actor=creator, obj=organisation,
                       data={"kind": organisation.kind, "credit_code": organisation.credit_code,
                             "region": organisation.region})
    except IntegrityError:
        # Another request registered the same code between the check and the insert.
        existing = Organisation.objects.filter(credit_code=code).first()
        if existing is None:
            raise
        raise DuplicateCreditCode(existing) from None
    forget_cached_memberships(creator)
    return organisation


def save_organisation(organisation, *, actor):
    """Save an organisation edited by Torch staff in admin (the only place where
    ``credit_code_override`` can be set); the model's rules are checked again here."""
    if not is_torch_staff(actor):
        raise PermissionDenied
    organisation.full_clean(validate_unique=False)
    _raise_if_code_taken(organisation.credit_code, exclude_pk=organisation.pk)
    with transaction.atomic():
        organisation.save()
        log_action("portal.organisation.change", actor=actor, obj=organisation,
                   data={"credit_code": organisation.credit_code,
                         "credit_code_override": organisation.credit_code_override})
    return organisation


def _verification(organisation):
    return VerificationState.VERIFIED if organisation.verified else VerificationState.UNVERIFIED


def _set_verification(organisation, state):
    organisation.verified = state == VerificationState.VERIFIED


VERIFICATION_WORKFLOW = Workflow(
    model=Organisation, states=VerificationState, edges=VERIFICATION_EDGES, field="verified",
    get_state=_verification, set_state=_set_verification, permissions=permissions,
    history=OrganisationVerificationChange, audit="portal.organisation", touch=[],
    error=AccountsError,
)


def _verification_step(organisation, target, *, actor, **changes):
    """True when the organisation moved to ``target``; False when it was there already."""
    try:
        VERIFICATION_WORKFLOW.transition(organisation, target, actor=actor, **changes)
    except AccountsError as error:
        if error.code not in (ILLEGAL, STALE):
            raise
        organisation.refresh_from_db(fields=["verified", "verified_by", "verified_at"])
        return False
    return True


def verify_organisation(organisation, actor):
    """Mark the organisation as verified (checked against its licence) by Torch staff or by a
    host organiser it is tied to (a demand at, or a member on the staff of, one of its units).
    Verifying it again keeps the first verification."""
    if not can_verify_organisation(actor, organisation):
        raise PermissionDenied
    return _verification_step(organisation, VerificationState.VERIFIED, actor=actor,
                              verified_by=actor, verified_at=timezone.now())


def unverify_organisation(organisation, actor):
    """Withdraw a verification (Torch staff only)."""
    if not is_torch_staff(actor):
        raise PermissionDenied
    return _verification_step(organisation, VerificationState.UNVERIFIED, actor=actor,
                              verified_by=None, verified_at=None)


# --- memberships ------------------------------------------------------------------------------
def request_membership(user, organisation):
    """Ask to join an organisation: a pending membership its administrators decide on. A
    declined request may be made again."""
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(user=user, organisation=organisation,
                                                       role=MembershipRole.MEMBER,
                                                       state=MembershipState.PENDING)
                log_action("portal.membership.request", actor=user, obj=membership,
                           to_state=MembershipState.PENDING)
                return membership
        except IntegrityError:
            membership = Membership.objects.get(user=user, organisation=organisation)
    if membership.state == MembershipState.ACTIVE:
        raise AccountsError(_("You are already a member of %(name)s.")
                            % {"name": organisation.name}, code="already_member")
    if membership.state == MembershipState.PENDING:
        raise AccountsError(_("You have already asked to join %(name)s; its administrators "
                              "have not decided yet.") % {"name": organisation.name},
                            code="already_requested")
    MEMBERSHIP_WORKFLOW.transition(membership, MembershipState.PENDING, actor=user,
                                   decided_at=None, decided_by=None)
    return membership


def _forget(step):
    forget_cached_memberships(step.obj.user)


MEMBERSHIP_WORKFLOW = Workflow(
    model=Membership, states=MembershipState, edges=MEMBERSHIP_EDGES, permissions=permissions,
    history=MembershipTransition, audit="portal.membership",
    select_related=("organisation", "user"), touch=[],
    messages={
        "illegal": _("This request cannot go from “%(from)s” to “%(to)s”."),
        "stale": _("This request has already been decided."),
    },
    error=AccountsError, after=_forget,
)


def approve_membership(membership, actor):
    """An administrator of the organisation (or Torch staff) accepts a join request."""
    if not can_manage_organisation(actor, membership.organisation):
        raise PermissionDenied
    return MEMBERSHIP_WORKFLOW.transition(membership, MembershipState.ACTIVE, actor=actor,
                                          decided_at=timezone.now(), decided_by=actor)


def decline_membership(membership, actor):
    """An administrator of the organisation (or Torch staff) declines a join request."""
    if not can_manage_organisation(actor, membership.organisation):
        raise PermissionDenied
    return MEMBERSHIP_WORKFLOW.transition(membership, MembershipState.DECLINED, actor=actor,
                                          decided_at=timezone.now(), decided_by=actor)


def set_membership_role(membership, role, *, actor):
    """Make an active member an administrator of its organisation, or a plain member again
    (the organisation's administrators or Torch staff). The last administrator stays one."""
    if not can_manage_organisation(actor, membership.organisation):
        raise PermissionDenied
    role = MembershipRole(role)
    stored = Membership.objects.filter(pk=membership.pk).values_list("role", flat=True).first()
    if stored == role:
        return membership
    if membership.state != MembershipState.ACTIVE:
        raise AccountsError(_("Only active members can be made administrators."),
                            code="not_active")
    with transaction.atomic():
        if role == MembershipRole.MEMBER:
            others = (Membership.objects.select_for_update()
                      .filter(organisation=membership.organisation, role=MembershipRole.ADMIN,
                              state=MembershipState.ACTIVE).exclude(pk=membership.pk))
            if not others.exists():
                raise AccountsError(_("An organisation needs at least one administrator."),
                                    code="last_admin")
        Membership.objects.filter(pk=membership.pk).update(role=role)
        log_action("portal.membership.role", actor=actor, obj=membership,
                   data={"from": stored, "to": role})
    membership.role = role
    forget_cached_memberships(membership.user)
    return membership


# --- agreements -------------------------------------------------------------------------------
def create_agreement_version(scope, kind, *, title, body, actor):
    """A new, unpublished version of the NDA or disclaimer of ``scope`` (a contest; Torch staff
    only); its number follows the highest existing one."""
    if not is_torch_staff(actor):
        raise PermissionDenied
    try:
        with transaction.atomic():
            # Lock the highest version row (PostgreSQL refuses FOR UPDATE on an aggregate); the
            # unique constraint catches two first versions created at once.
            highest = (Agreement.objects.select_for_update()
                       .for_scope(scope).filter(kind=kind).order_by("-version")
                       .values_list("version", flat=True).first())
            agreement = Agreement(scope=scope, kind=kind, version=(highest or 0) + 1,
                                  title=title.strip(), body=body)
            agreement.full_clean(validate_constraints=False)
            agreement.save()
            log_action("portal.agreement.create", actor=actor, obj=agreement,
                       data={"kind": agreement.kind, "version": agreement.version})
    except IntegrityError:
        raise AccountsError(_("Another version was created at the same moment; please try "
                              "again."), code="conflict") from None
    return agreement


def update_agreement_draft(agreement, *, actor):
    """Save edits to an unpublished version. A published text is what people signed and is
    never changed: publish a new version instead."""
    if not is_torch_staff(actor):
        raise PermissionDenied
    stored = Agreement.objects.filter(pk=agreement.pk).values_list("published_at",
                                                                     flat=True).first()
    if stored is not None:
        raise AccountsError(_("A published agreement cannot be changed; create a new "
                              "version instead."), code="published")
    agreement.full_clean()
    with transaction.atomic():
        agreement.save()
        log_action("portal.agreement.change", actor=actor, obj=agreement,
                   data={"kind": agreement.kind, "version": agreement.version})
    return agreement


def publish_agreement(agreement, *, actor):
    """Publish a version: from now on it is the current one, and everyone must sign it before
    reaching gated pages again."""
    if not is_torch_staff(actor):
        raise PermissionDenied
    with transaction.atomic():
        updated = Agreement.objects.filter(pk=agreement.pk, published_at__isnull=True).update(
            published_at=timezone.now(), published_by=actor
        )
        if updated:
            log_action("portal.agreement.publish", actor=actor, obj=agreement,
                       from_state="draft", to_state="published",
                       data={"kind": agreement.kind, "version": agreement.version,
                             "text_hash": agreement.text_hash})
    agreement.refresh_from_db(fields=["published_at", "published_by"])
    if not updated:
        raise AccountsError(_("This version is already published."), code="published")
    return agreement


def _clean_ip(ip):
    try:
        validate_ipv46_address(ip or "")
    except ValidationError:
        return None
    return ip


def sign_agreement(user, agreement, ip):
    """Record that the user accepted this version, with the SHA-256 of its text and the client
    address (``request.META["REMOTE_ADDR"]``). Only the current published version of its kind
    can be signed; signing it twice returns the first signature."""
    from .agreements import current_agreement

    if not agreement.is_published:
        raise AccountsError(_("This agreement has not been published."), code="unpublished")
    current = current_agreement(agreement.scope, agreement.kind)
    if current is None or current.pk != agreement.pk:
        raise AccountsError(_("A newer version of this agreement has been published; please "
                              "read and sign that one."), code="outdated")
    try:
        with transaction.atomic():
            signature, created = AgreementSignature.objects.get_or_create(
                user=user, agreement=agreement,
                defaults={"text_hash": agreement.text_hash, "ip_address": _clean_ip(ip)},
            )
            if created:
                log_action("portal.agreement.sign", actor=user, obj=agreement,
                           data={"kind": agreement.kind, "version": agreement.version,
                                 "text_hash": signature.text_hash,
                                 "ip": signature.ip_address})
    except IntegrityError:
        signature = AgreementSignature.objects.get(user=user, agreement=agreement)
    return signature
