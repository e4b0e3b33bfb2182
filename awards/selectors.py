"""Reads of the awards app."""

from django.db.models import Exists, OuterRef, Q

from accounts.enums import MembershipState
from accounts.models import Membership
from accounts.permissions import is_torch_staff
from contests.permissions import staffed_host_unit_ids
from contests.selectors import of_host_units

from .models import Award


def _member_of(user, field):
    return Exists(Membership.objects.filter(user=user, organisation_id=OuterRef(field),
                                            state=MembershipState.ACTIVE))


def awards_visible_to(user):
    """The payer's and the recipient's members, the unit's staff; Torch: all."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Award.objects.none()
    if is_torch_staff(user):
        return Award.objects.all()
    return Award.objects.filter(Q(host_unit_id__in=staffed_host_unit_ids(user))
                                | Q(_member_of(user, "payer_id"))
                                | Q(_member_of(user, "recipient_id")))


def for_list(queryset):
    return queryset.select_related("recipient", "payer", "demand", "host_unit").order_by(
        "-created_at", "-pk")


def contracts_visible_to(user):
    """Both sides of the agreement, the unit's staff; Torch: all."""
    from .models import TechnologyContract

    if user is None or not user.is_authenticated or not user.is_active:
        return TechnologyContract.objects.none()
    if is_torch_staff(user):
        return TechnologyContract.objects.all()
    return TechnologyContract.objects.filter(
        Q(host_unit_id__in=staffed_host_unit_ids(user))
        | Q(_member_of(user, "agreement__partner_id"))
        | Q(_member_of(user, "agreement__demand__organisation_id")))


def services_visible_to(user):
    """The requester, the unit's staff, the provider's members; Torch: all."""
    from .models import ServiceRequest

    if user is None or not user.is_authenticated or not user.is_active:
        return ServiceRequest.objects.none()
    if is_torch_staff(user):
        return ServiceRequest.objects.all()
    return ServiceRequest.objects.filter(
        Q(requester=user) | Q(host_unit_id__in=staffed_host_unit_ids(user))
        | Q(_member_of(user, "provider_id")))


def follow_ups_visible_to(user):
    """The demand side, the unit's staff; Torch: all."""
    from .models import FollowUp

    if user is None or not user.is_authenticated or not user.is_active:
        return FollowUp.objects.none()
    if is_torch_staff(user):
        return FollowUp.objects.all()
    return FollowUp.objects.filter(Q(host_unit_id__in=staffed_host_unit_ids(user))
                                   | Q(_member_of(user, "agreement__demand__organisation_id")))


# --- host staff's scope (their units' rows; Torch: all): the host pages and Django admin -------
def awards_managed_by(user):
    """The awards of the user's host units (the unit's-staff half of ``awards_visible_to``)."""
    return of_host_units(Award.objects.all(), user)


def contracts_managed_by(user):
    from .models import TechnologyContract

    return of_host_units(TechnologyContract.objects.all(), user)


def services_managed_by(user):
    from .models import ServiceRequest

    return of_host_units(ServiceRequest.objects.all(), user)


def follow_ups_managed_by(user):
    from .models import FollowUp

    return of_host_units(FollowUp.objects.all(), user)


# --- subsidies ----------------------------------------------------------------------------------
def policies_of_unit(host_unit):
    """A unit's subsidy policies, as anyone may read them in summary, newest first."""
    from .models import SubsidyPolicy

    return SubsidyPolicy.objects.filter(host_unit=host_unit).order_by("-opens_on", "-pk")


def policies_managed_by(user):
    """The policies of the user's host units (Torch: all)."""
    from .models import SubsidyPolicy

    return of_host_units(SubsidyPolicy.objects.all(), user)


def subsidy_applications_visible_to(user):
    """The applying organisation's members, the unit's staff; Torch: all."""
    from .models import SubsidyApplication

    if user is None or not user.is_authenticated or not user.is_active:
        return SubsidyApplication.objects.none()
    if is_torch_staff(user):
        return SubsidyApplication.objects.all()
    return SubsidyApplication.objects.filter(Q(host_unit_id__in=staffed_host_unit_ids(user))
                                             | Q(_member_of(user, "organisation_id")))


def subsidy_applications_managed_by(user):
    """The host staff's queue: the applications to the user's units (Torch: all)."""
    from .models import SubsidyApplication

    return of_host_units(SubsidyApplication.objects.all(), user)


def own_subsidy_applications(user):
    """The applications of the user's organisations (the applicant's list)."""
    from .models import SubsidyApplication

    if user is None or not user.is_authenticated or not user.is_active:
        return SubsidyApplication.objects.none()
    return SubsidyApplication.objects.filter(_member_of(user, "organisation_id"))


def for_subsidy_list(queryset):
    return queryset.select_related("policy", "host_unit", "organisation",
                                   "agreement__demand").order_by("-created_at", "-pk")


def matched_agreements(user, host_unit):
    """The confirmed intention agreements of demands at ``host_unit`` whose organisation the
    user is an active member of: what the user may apply for a subsidy with."""
    from matching.enums import AgreementState
    from matching.models import IntentionAgreement

    if user is None or not user.is_authenticated or not user.is_active:
        return IntentionAgreement.objects.none()
    return (IntentionAgreement.objects
            .filter(_member_of(user, "demand__organisation_id"),
                    state=AgreementState.CONFIRMED, demand__host_unit=host_unit)
            .select_related("demand", "partner").order_by("-signed_on", "-pk"))


def open_policies_for(user, day):
    """The policies open on ``day`` at the host units where a demand of one of the user's
    organisations was matched: what the user may apply to now (the applicant's list offers
    them)."""
    from matching.enums import AgreementState
    from matching.models import IntentionAgreement

    from .models import SubsidyPolicy

    if user is None or not user.is_authenticated or not user.is_active:
        return SubsidyPolicy.objects.none()
    units = (IntentionAgreement.objects
             .filter(_member_of(user, "demand__organisation_id"),
                     state=AgreementState.CONFIRMED)
             .values("demand__host_unit_id"))
    return (SubsidyPolicy.objects.filter(host_unit_id__in=units, opens_on__lte=day,
                                         closes_on__gte=day)
            .select_related("host_unit").order_by("closes_on", "pk"))


def subsidies_approved(host_units):
    """``{"count": n, "amount": Decimal}``: the approved subsidy applications of these host
    units (a queryset or iterable of units or their ids) and the sum of the approved amounts,
    for the hosts' summary figures."""
    from decimal import Decimal

    from django.db.models import Count, Sum

    from .enums import SubsidyState
    from .models import SubsidyApplication

    if hasattr(host_units, "values_list"):
        ids = host_units.values("pk")
    else:
        ids = [getattr(unit, "pk", unit) for unit in host_units]
    figures = SubsidyApplication.objects.filter(
        host_unit_id__in=ids, state=SubsidyState.APPROVED).aggregate(
        count=Count("pk"), amount=Sum("amount_approved"))
    return {"count": figures["count"], "amount": figures["amount"] or Decimal("0")}
