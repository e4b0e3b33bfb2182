import pytest
from django.db import transaction
from django.test import RequestFactory

from audit.models import ActivityLog
from audit.services import GENESIS_HASH, log_action, log_denied
from tests.factories.accounts import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_log_action_records_who_what_and_states(demand_owner):
    organisation = OrganisationFactory(name="西安示例科技有限公司")

    entry = log_action("portal.organisation.verify", actor=demand_owner, obj=organisation,
                       from_state="pending", to_state="verified")

    stored = ActivityLog.objects.get(pk=entry.pk)
    assert stored.actor == demand_owner
    assert stored.actor_label == f"user #{demand_owner.pk}"
    assert stored.action == "portal.organisation.verify"
    assert stored.content_type.model_class().__name__ == "Organisation"
    assert stored.object_id == str(organisation.pk)
    assert stored.object_repr == "西安示例科技有限公司"
    assert (stored.from_state, stored.to_state) == ("pending", "verified")
    assert stored.result == "success"
    assert stored.sequence == 1
    assert stored.prev_hash == GENESIS_HASH
    assert stored.entry_hash == stored.compute_hash()


def test_log_action_chains_each_entry_to_the_previous_one():
    first = log_action("portal.test.one")
    second = log_action("portal.test.two")

    assert second.sequence == first.sequence + 1
    assert second.prev_hash == first.entry_hash
    assert second.entry_hash != first.entry_hash


def test_log_action_in_rolled_back_transaction_leaves_nothing(demand_owner):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        log_action("portal.test.rolled_back", actor=demand_owner)
        raise Boom

    assert ActivityLog.objects.filter(action="portal.test.rolled_back").count() == 0
    # The next entry still starts the chain: nothing half-written was left behind.
    assert log_action("portal.test.after").sequence == 1


def test_log_action_masks_sensitive_values():
    entry = log_action("portal.test.mask", data={
        "password": "Secret-2026-pass",
        "new_password1": "Other-2026-pass",
        "apiToken": "tok_abcdef123456",
        "client_secret": "s3cr3t",
        "contact": {"email": "zhang.san@example.cn", "mobile": "13812345678",
                    "phone": "010-88656297"},
        "id_number": "110101199003074514",
        "emails": ["li.si@example.cn"],
        "title": "新型储能材料需求",
        "credit_code": "91110108000000001X",
        "footprint": 42,
    })

    data = ActivityLog.objects.get(pk=entry.pk).data
    assert data["password"] == "***"
    assert data["new_password1"] == "***"
    assert data["apiToken"] == "***"
    assert data["client_secret"] == "***"
    assert data["contact"] == {"email": "z***@example.cn", "mobile": "138****5678",
                               "phone": "***-****6297"}
    assert data["id_number"] == "**************4514"
    assert data["emails"] == ["l***@example.cn"]
    # Not sensitive: kept as written.
    assert data["title"] == "新型储能材料需求"
    assert data["credit_code"] == "91110108000000001X"
    assert data["footprint"] == 42
    raw = str(data)
    for secret in ("Secret-2026-pass", "tok_abcdef", "s3cr3t", "zhang.san", "13812345678",
                   "110101199003074514"):
        assert secret not in raw


def test_log_action_takes_actor_and_ip_from_request(challenger):
    request = RequestFactory().post("/demands/1/access/", REMOTE_ADDR="203.0.113.7")
    request.user = challenger

    entry = log_action("portal.demand.request_access", request=request)

    assert entry.actor == challenger
    assert entry.ip_address == "203.0.113.7"


def test_log_action_without_actor_names_system_or_anonymous():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8::1")
    request.user = AnonymousUser()

    by_system = log_action("portal.test.system")
    by_visitor = log_action("portal.test.visitor", request=request)

    assert (by_system.actor, by_system.actor_label) == (None, "system")
    assert (by_visitor.actor, by_visitor.actor_label, by_visitor.ip_address) == (
        None, "anonymous", "2001:db8::1")


def test_log_action_refuses_unsaved_object():
    from accounts.models import Organisation

    with pytest.raises(ValueError):
        log_action("portal.test.unsaved", obj=Organisation(name="未保存"))

    assert ActivityLog.objects.count() == 0


def test_log_action_refuses_unknown_result():
    with pytest.raises(ValueError):
        log_action("portal.test.bad", result="maybe")

    assert ActivityLog.objects.count() == 0


def test_log_denied_records_denied_result_and_path(stranger):
    organisation = OrganisationFactory()
    request = RequestFactory().get("/files/abc/", REMOTE_ADDR="198.51.100.2")
    request.user = stranger

    entry = log_denied(request, obj=organisation)

    assert entry.action == "portal.access.denied"
    assert entry.result == "denied"
    assert entry.actor == stranger
    assert entry.object_id == str(organisation.pk)
    assert entry.data == {"path": "/files/abc/", "method": "GET"}


def test_deleting_the_actor_keeps_the_entry_and_its_label(stranger):
    label = f"user #{stranger.pk}"
    log_action("portal.test.by_stranger", actor=stranger)

    stranger.delete()

    entry = ActivityLog.objects.get(action="portal.test.by_stranger")
    assert entry.actor is None
    assert entry.actor_label == label
    assert entry.entry_hash == entry.compute_hash()


def test_log_action_hash_survives_database_round_trip():
    entry = log_action("portal.test.types", data={
        "amount": 1.0, "big": 1e20, "ratio": 0.1, "nested": [{"b": 2, "a": "中文"}],
        "nan": float("nan"), "nul": "a\x00b",
    })

    stored = ActivityLog.objects.get(pk=entry.pk)
    assert stored.compute_hash() == stored.entry_hash
    assert stored.data["nul"] == "ab"
