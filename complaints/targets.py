"""The complaint targets of the apps under ``complaints``: events, host units, demands and
participants (organisations). Apps beside or above (solutions, matching, awards) register
theirs from their own ``ready()`` (``common.references``)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.enums import MembershipState
from accounts.models import Membership, Organisation
from common.references import ComplaintTarget, register_complaint_target
from contests.models import Event, HostMembership, HostUnit
from contests.selectors import current_contest
from demands.models import Demand
from demands.selectors import demands_visible_to


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def _member_ids(organisation_id):
    return set(Membership.objects.filter(organisation_id=organisation_id,
                                         state=MembershipState.ACTIVE, user__is_active=True)
               .values_list("user_id", flat=True))


def _staff_ids(host_unit_id):
    return set(HostMembership.objects.filter(host_unit_id=host_unit_id)
               .values_list("user_id", flat=True))


# --- events -------------------------------------------------------------------------------------
def _event(user, reference):
    contest = current_contest()
    if contest is None or not str(reference).strip().isdigit():
        return None
    return Event.objects.filter(contest=contest, number=int(reference)).first()


def _event_unit(event):
    """An event run by one host unit goes to it; one shared by several, to Torch staff."""
    units = list(event.host_units.values_list("pk", flat=True)[:2])
    return units[0] if len(units) == 1 else None


# --- host units ---------------------------------------------------------------------------------
def _host_unit(user, reference):
    return HostUnit.objects.filter(slug=str(reference).strip()).first()


def _not_its_staff(user, unit):
    return _active(user) and unit.pk not in _staff_ids_cached(user)


def _staff_ids_cached(user):
    from contests.permissions import staffed_host_unit_ids

    return staffed_host_unit_ids(user)


# --- demands ------------------------------------------------------------------------------------
def _demand(user, reference):
    reference = str(reference).strip()
    if not reference or not _active(user):
        return None
    return (Demand.objects.filter(ref=reference)
            .filter(Q(published_at__isnull=False)
                    | Q(pk__in=demands_visible_to(user).values("pk")))
            .first())


def _not_owner(user, demand):
    return _active(user) and user.pk not in _member_ids(demand.organisation_id)


def _demand_label(demand):
    """The public title: a complaint's label is read by staff and the complainant, who know
    the demand by its public page."""
    snapshot = demand.public_snapshot or {}
    return f"{demand.ref} {snapshot.get('title') or demand.title}"


# --- participants -------------------------------------------------------------------------------
def _organisation(user, reference):
    reference = str(reference).strip()
    if not reference or not _active(user):
        return None
    return (Organisation.objects.filter(Q(credit_code__iexact=reference) | Q(name=reference))
            .order_by("pk").first())


def _not_member(user, organisation):
    return _active(user) and user.pk not in _member_ids(organisation.pk)


def register():
    register_complaint_target(ComplaintTarget(
        key="contests.event", label=_("an event"), model="contests.Event",
        resolve=_event, reference_of=lambda event: str(event.number),
        describe=lambda event: f"{event.number} {event.name}",
        host_unit_of=_event_unit,
        help_text=_("The event's number, as on the events page."), order=10,
    ))
    register_complaint_target(ComplaintTarget(
        key="contests.hostunit", label=_("a host unit"), model="contests.HostUnit",
        resolve=_host_unit, reference_of=lambda unit: unit.slug, describe=str,
        # A complaint about a host unit goes to Torch staff; the unit answers for it.
        host_unit_of=lambda unit: None, unit_concerned=lambda unit: unit.pk,
        parties_of=lambda unit: _staff_ids(unit.pk), may_complain=_not_its_staff,
        help_text=_("The last part of the host unit's page address."), order=20,
    ))
    register_complaint_target(ComplaintTarget(
        key="demands.demand", label=_("a demand"), model="demands.Demand",
        resolve=_demand, reference_of=lambda demand: demand.ref, describe=_demand_label,
        host_unit_of=lambda demand: demand.host_unit_id,
        parties_of=lambda demand: _member_ids(demand.organisation_id),
        may_complain=_not_owner,
        help_text=_("The demand's reference number, such as D-2026-000123."), order=30,
    ))
    register_complaint_target(ComplaintTarget(
        key="accounts.organisation", label=_("another participant"),
        model="accounts.Organisation", resolve=_organisation,
        reference_of=lambda organisation: organisation.credit_code or organisation.name,
        describe=lambda organisation: organisation.name,
        host_unit_of=lambda organisation: None, ask_host_unit=True,
        parties_of=lambda organisation: _member_ids(organisation.pk),
        may_complain=_not_member,
        help_text=_("The organisation's unified social credit code or its exact name."),
        order=90,
    ))
