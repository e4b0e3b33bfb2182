"""Creating and editing demands: references, drafts, membership, host staff on behalf."""

import pytest

from audit.models import ActivityLog
from demands import services
from demands.enums import DemandStatus
from demands.models import Demand
from tests.demands.collection import *  # noqa: F403
from tests.factories.accounts import OrganisationFactory
from tests.factories.contests import ContestFactory, EventFactory, HostUnitFactory
from tests.factories.demands import DemandFactory


def _create(actor, organisation, host_unit, **fields):
    fields.setdefault("title", "工业视觉检测芯片国产化")
    return services.create_demand(actor=actor, organisation=organisation, host_unit=host_unit,
                                  fields=fields)


def test_reference_is_edition_event_and_sequence_per_event(demand_owner, owner_org):
    event7 = EventFactory(number=7)
    unit_a, unit_b = HostUnitFactory(event=event7), HostUnitFactory(event=event7)
    unit_other = HostUnitFactory(event=EventFactory(number=12))

    refs = [_create(demand_owner, owner_org, unit).ref
            for unit in (unit_a, unit_b, unit_other, unit_a)]

    assert refs == ["6-07-0001", "6-07-0002", "6-12-0001", "6-07-0003"]


def test_reference_skips_a_number_already_taken(demand_owner, owner_org):
    event = EventFactory(number=7)
    unit = HostUnitFactory(event=event)
    # A row whose sequence disagrees with its reference (as an import might leave it): the
    # next number by sequence is taken, so creation moves on to the one after.
    DemandFactory(host_unit=unit, sequence=5, ref="6-07-0006")

    demand = _create(demand_owner, owner_org, unit)

    assert (demand.ref, demand.sequence) == ("6-07-0007", 7)
    assert Demand.objects.filter(ref="6-07-0006").count() == 1


def test_create_draft_accepts_incomplete_data(demand_owner, owner_org, host_unit):
    demand = _create(demand_owner, owner_org, host_unit, title="高强铝合金焊接工艺")

    demand.refresh_from_db()
    assert demand.status == DemandStatus.DRAFT
    assert (demand.title, demand.key_problem, demand.industry_field) == (
        "高强铝合金焊接工艺", "", None)
    assert demand.created_by == demand_owner and not demand.entered_by_host
    assert demand.region == owner_org.region
    assert ActivityLog.objects.filter(action="portal.demand.create",
                                      object_id=str(demand.pk)).exists()


def test_create_without_title_is_refused(demand_owner, owner_org, host_unit):
    with pytest.raises(services.DemandError):
        _create(demand_owner, owner_org, host_unit, title="  ")
    assert not Demand.objects.exists()


def test_create_for_an_organisation_the_user_is_not_active_in_is_refused(
        demand_owner, host_unit):
    other = OrganisationFactory()
    with pytest.raises(services.DemandError):
        _create(demand_owner, other, host_unit)
    assert not Demand.objects.exists()


def test_create_with_a_host_unit_of_a_past_edition_is_refused(demand_owner, owner_org):
    old_unit = HostUnitFactory(event=EventFactory(contest=ContestFactory(
        edition=5, is_current=False, name="第五届"), number=3))
    with pytest.raises(services.DemandError):
        _create(demand_owner, owner_org, old_unit)
    assert not Demand.objects.exists()


def test_host_staff_enter_a_demand_on_behalf_of_a_company(host_organiser, host_unit):
    company = OrganisationFactory(name="宁波示例新材料有限公司")

    demand = services.create_demand(actor=host_organiser, organisation=company,
                                    host_unit=host_unit, fields={"title": "碳纤维复合材料回收"},
                                    entered_by_host=True)

    assert (demand.organisation, demand.created_by, demand.entered_by_host) == (
        company, host_organiser, True)


def test_host_staff_cannot_enter_for_another_host_unit(host_organiser, other_host_unit):
    with pytest.raises(services.DemandError):
        services.create_demand(actor=host_organiser, organisation=OrganisationFactory(),
                               host_unit=other_host_unit, fields={"title": "x"},
                               entered_by_host=True)
    assert not Demand.objects.exists()


def test_keywords_are_split_on_chinese_and_latin_separators():
    assert services.split_keywords("动力电池，热管理、液冷;BMS  快充,热管理") == [
        "动力电池", "热管理", "液冷", "BMS", "快充"]


def test_mobile_is_normalised_on_save(demand_owner, owner_org, host_unit):
    demand = _create(demand_owner, owner_org, host_unit, contact_mobile="+86 138-0013-8000")
    assert Demand.objects.get(pk=demand.pk).contact_mobile == "13800138000"


def test_hidden_passage_not_in_the_text_is_refused(make_demand, demand_owner):
    demand = make_demand()
    with pytest.raises(services.DemandError):
        services.update_demand(demand, actor=demand_owner,
                               fields={"hidden_passages": ["比亚迪"]})
    assert Demand.objects.get(pk=demand.pk).hidden_passages == []


def test_update_keeps_indicator_ids_of_rows_that_stay(make_demand, demand_owner):
    demand = make_demand()
    first, second = demand.indicators.all()

    services.update_demand(demand, actor=demand_owner, fields={}, indicators=[
        {"id": first.pk, "name": "电芯最大温差", "target_value": "≤2", "unit": "℃"},
        {"name": "循环寿命", "target_value": "≥3000", "unit": "次"},
    ])

    rows = list(demand.indicators.values_list("id", "name", "target_value", "position"))
    assert rows[0] == (first.pk, "电芯最大温差", "≤2", 0)
    assert rows[1][1:] == ("循环寿命", "≥3000", 1)
    assert not demand.indicators.filter(pk=second.pk).exists()


@pytest.mark.parametrize("status", [s for s in DemandStatus
                                    if s not in (DemandStatus.DRAFT, DemandStatus.RETURNED)])
def test_update_refused_once_the_demand_left_the_company(status, make_demand, demand_owner):
    demand = make_demand(status=status)
    with pytest.raises(services.DemandError):
        services.update_demand(demand, actor=demand_owner, fields={"title": "改过的标题"})
    assert Demand.objects.get(pk=demand.pk).title == demand.title


def test_update_by_someone_else_is_refused(make_demand, stranger, host_organiser):
    demand = make_demand()
    for actor in (stranger, host_organiser):
        with pytest.raises(services.DemandError):
            services.update_demand(demand, actor=actor, fields={"title": "改过的标题"})
    assert Demand.objects.get(pk=demand.pk).title == demand.title


def test_rewriting_a_text_drops_its_accepted_public_wording(make_demand, demand_owner):
    demand = make_demand(status=DemandStatus.RETURNED,
                         public_wording={"title": "旧的公开标题", "key_problem": "公开问题"})

    services.update_demand(demand, actor=demand_owner, fields={"title": "新的标题",
                                                               "key_problem": demand.key_problem})

    assert Demand.objects.get(pk=demand.pk).public_wording == {"key_problem": "公开问题"}


def test_the_owner_cannot_give_the_contacts_consent(make_demand, demand_owner):
    demand = make_demand()
    services.update_demand(demand, actor=demand_owner, fields={"contact_consents_sharing": True})
    demand.refresh_from_db()
    assert (demand.contact_consents_sharing, demand.contact_consent_at) == (False, None)


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_in_one_event_gets_distinct_references(postgres):
    import threading
    import time

    from django.db import connection, transaction

    from tests.factories.accounts import MembershipFactory, UserFactory

    unit = HostUnitFactory(event=EventFactory(number=9))
    members = [MembershipFactory(user=UserFactory(roles=["demand_company"])) for _ in range(2)]
    barrier = threading.Barrier(2)
    refs, errors = [], []

    def create(membership, hold):
        try:
            barrier.wait()
            with transaction.atomic():
                demand = _create(membership.user, membership.organisation, unit)
                # The first keeps its transaction open, so the second computes the same next
                # number and must retry after this one commits.
                time.sleep(hold)
            refs.append(demand.ref)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(members[0], 0.5)),
               threading.Thread(target=create, args=(members[1], 0))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(refs) == ["6-09-0001", "6-09-0002"]
