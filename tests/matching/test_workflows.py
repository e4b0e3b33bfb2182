from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind
from audit.models import ActivityLog
from demands.enums import DemandStatus
from demands.models import AccessRequest
from matching.enums import AgreementState, CommissionScope, InvitationState
from matching.services import MatchingError
from matching.services.agencies import commission_agency, end_commission
from matching.services.agreements import confirm, record_agreement
from matching.services.invitations import accept, decline, invite
from notifications.models import Notification
from solutions.models import DemandResponse
from tests.factories.accounts import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    sign_current_agreements,
)

from .conftest import make_achievement


# --- the library -------------------------------------------------------------------------------
def test_staff_only_achievement_is_404_for_a_stranger_and_seen_by_its_holder(
        client, library, stranger, holder_member):
    url = library["staff"].get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(holder_member)
    assert client.get(url).status_code == 200


def test_library_search_expands_abbreviations(client, library):
    page = client.get(reverse("matching:library"), {"q": "IGBT"}).content.decode()
    # Written 绝缘栅双极型晶体管 only: found through the term table.
    assert library["igbt"].get_absolute_url() in page
    assert library["staff"].get_absolute_url() not in page  # staff-only, for a visitor


def test_library_list_query_count_does_not_grow(client, holder, field_,
                                                django_assert_num_queries):
    make_achievement(holder, field_, title="成果一", abstract="摘要")
    client.get(reverse("matching:library"))
    with django_assert_num_queries(3) as one:
        client.get(reverse("matching:library"))
    for n in range(2):
        make_achievement(holder, field_, title=f"成果{n}", abstract="摘要")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("matching:library"))


def test_malformed_patent_number_is_an_error_on_its_field_and_input_is_kept(
        client, holder_member, field_):
    client.force_login(holder_member)
    response = client.post(reverse("matching:achievement_create"), {
        "owner": holder_member.organisations.first().pk, "title": "新成果", "abstract": "摘要",
        "industry_field": field_.pk, "trl": 5, "region": "610100", "visibility": "public",
        "patent_numbers": "ZL2020-bad"})
    assert response.status_code == 200
    assert "新成果" in response.content.decode()
    assert "patent_numbers" in response.context["form"].errors


# --- invitations --------------------------------------------------------------------------------
def test_host_invites_holder_is_told_and_acceptance_is_a_response(
        published_demand, host_organiser, holder, holder_member, library):
    invitation = invite(published_demand, holder, actor=host_organiser,
                        achievement=library["igbt"], message="诚邀")
    assert Notification.objects.filter(recipient=holder_member, kind="matching.invited").exists()
    accept(invitation, actor=holder_member)
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED
    assert DemandResponse.objects.filter(
        demand=published_demand, source_ref=f"matching.Invitation:{invitation.pk}").count() == 1


def test_only_the_holder_answers_and_only_once(published_demand, host_organiser, holder,
                                               holder_member):
    invitation = invite(published_demand, holder, actor=host_organiser)
    with pytest.raises(MatchingError):
        decline(invitation, actor=host_organiser)
    decline(invitation, actor=holder_member)
    with pytest.raises(MatchingError):
        accept(invitation, actor=holder_member)
    assert not DemandResponse.objects.filter(demand=published_demand).exists()


def test_strangers_and_other_hosts_may_not_invite(published_demand, holder, stranger,
                                                  other_host_organiser, torch_staff):
    for user in (stranger, other_host_organiser, torch_staff):
        with pytest.raises(MatchingError):
            invite(published_demand, holder, actor=user)


# --- agencies ---------------------------------------------------------------------------------
@pytest.fixture
def agency_member(db, published_demand):
    agency = OrganisationFactory(kind=OrganisationKind.SERVICE_AGENCY, name="科创服务中心")
    user = MembershipFactory(user=UserFactory(roles=["service_agency"]),
                             organisation=agency).user
    sign_current_agreements(user, published_demand.host_unit.event.contest, kinds=("nda",))
    return user


def _commission(published_demand, host_organiser, agency_member, **dates):
    today = timezone.localdate()
    return commission_agency(
        host_unit=published_demand.host_unit, agency=agency_member.organisations.first(),
        scopes=[CommissionScope.HOLDER_SEARCH], demands=[published_demand],
        starts_on=dates.get("starts_on", today), ends_on=dates.get("ends_on", today),
        actor=host_organiser)


def test_commissioned_agency_invites_on_the_hosts_behalf_logged_under_the_agency(
        published_demand, host_organiser, agency_member, holder):
    commission = _commission(published_demand, host_organiser, agency_member)
    invitation = invite(published_demand, holder, actor=agency_member)
    assert invitation.commission == commission
    entry = ActivityLog.objects.get(action="portal.matching.invitation.create")
    assert entry.data["agency"] == commission.agency_id


def test_agency_outside_its_period_or_after_the_end_may_not_invite(
        published_demand, host_organiser, agency_member, holder):
    yesterday = timezone.localdate() - timedelta(days=1)
    _commission(published_demand, host_organiser, agency_member, starts_on=yesterday - timedelta(
        days=5), ends_on=yesterday)
    with pytest.raises(MatchingError):
        invite(published_demand, holder, actor=agency_member)
    agency_member.__dict__.pop("_matching_commissions", None)
    commission = _commission(published_demand, host_organiser, agency_member)
    end_commission(commission, actor=host_organiser)
    agency_member.__dict__.pop("_matching_commissions", None)
    with pytest.raises(MatchingError):
        invite(published_demand, holder, actor=agency_member)


def test_only_service_agencies_are_commissioned_by_their_own_hosts(
        published_demand, host_organiser, other_host_organiser, holder, agency_member):
    today = timezone.localdate()
    with pytest.raises(MatchingError):
        commission_agency(host_unit=published_demand.host_unit, agency=holder,
                          scopes=["analysis"], starts_on=today, ends_on=today,
                          actor=host_organiser)
    with pytest.raises(MatchingError):
        commission_agency(host_unit=published_demand.host_unit,
                          agency=agency_member.organisations.first(), scopes=["analysis"],
                          starts_on=today, ends_on=today, actor=other_host_organiser)


# --- intention agreements ---------------------------------------------------------------------
def test_agreement_needs_both_confirmations_then_the_demand_closes_and_is_answered(
        published_demand, demand_owner, holder, holder_member, challenger):
    AccessRequest.objects.create(demand=published_demand, user=challenger)
    agreement = record_agreement(published_demand, holder, cooperation_mode="license",
                                 amount="120", signed_on=timezone.localdate(),
                                 actor=demand_owner)
    confirm(agreement, actor=demand_owner)
    published_demand.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT
    assert published_demand.status == DemandStatus.PUBLISHED
    with pytest.raises(MatchingError):
        confirm(agreement, actor=demand_owner)
    confirm(agreement, actor=holder_member)
    published_demand.refresh_from_db()
    assert agreement.state == AgreementState.CONFIRMED
    assert published_demand.status == DemandStatus.CLOSED
    assert DemandResponse.objects.filter(demand=published_demand).count() == 1
    told = Notification.objects.get(kind="matching.demand_matched")
    assert told.recipient == challenger


def test_the_public_page_says_matched_and_names_nobody(client, published_demand, demand_owner,
                                                       holder, holder_member,
                                                       django_capture_on_commit_callbacks):
    agreement = record_agreement(published_demand, holder, cooperation_mode="license",
                                 amount="120", signed_on=timezone.localdate(),
                                 actor=demand_owner)
    page = client.get(published_demand.get_absolute_url(),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Matched: an intention agreement was signed" not in page

    with django_capture_on_commit_callbacks(execute=True):  # the cached page is dropped
        confirm(agreement, actor=demand_owner)
        confirm(agreement, actor=holder_member)

    page = client.get(published_demand.get_absolute_url(),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Matched: an intention agreement was signed" in page
    assert holder.name not in page


def test_a_stranger_neither_records_nor_confirms(published_demand, demand_owner, holder,
                                                 stranger):
    with pytest.raises(MatchingError):
        record_agreement(published_demand, holder, cooperation_mode="license", amount="1",
                         signed_on=timezone.localdate(), actor=stranger)
    agreement = record_agreement(published_demand, holder, cooperation_mode="license",
                                 amount="1", signed_on=timezone.localdate(), actor=demand_owner)
    with pytest.raises(MatchingError):
        confirm(agreement, actor=stranger)
