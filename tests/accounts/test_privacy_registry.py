"""Issue 13, PIPL arts. 45-47: one registry of the models holding a person's data, found by
introspection (a model added by any app later fails here until it is registered), the data
download and the erasure reaching every registered model, and an erasure that leaves the
person's e-mail, name and mobile nowhere in the database."""

import json
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models

from accounts import privacy
from audit.models import ActivityLog
from demands.models import Demand
from notifications.models import Notification
from tests.harness.world import PERSONAS, build_world

# A field with one of these names (or an e-mail / IP field) holds a person's data.
PERSONAL_NAMES = {"email", "mobile", "phone", "landline", "full_name", "first_name", "last_name",
                  "contact_person", "contact_mobile", "contact_email", "contact_landline",
                  "contact_phone", "ip_address", "id_number", "id_card", "real_name",
                  "person_name", "wechat", "qq"}
PERSONAL_TYPES = (models.EmailField, models.GenericIPAddressField)


def holds_personal_data(model):
    """Why ``model`` must be registered ("" when it need not): a relation to the user, or a
    personal field."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if model is user_model:
        return "is the user"
    for field in model._meta.get_fields():
        if field.is_relation and not field.auto_created and field.related_model is user_model:
            return f"{field.name} refers to the user"
    for field in model._meta.concrete_fields:
        if field.name in PERSONAL_NAMES or isinstance(field, PERSONAL_TYPES):
            return f"{field.name} is a personal field"
        if any(part in field.name.split("_") for part in ("email", "mobile", "phone")):
            return f"{field.name} is a personal field"
    return ""


def test_every_model_holding_personal_data_is_registered():
    registered = privacy.registered_models()
    missing = {
        model._meta.label: reason
        for model in apps.get_models()
        if (reason := holds_personal_data(model)) and model._meta.label not in registered
    }

    assert missing == {}, (
        "Register these models in accounts.privacy (register_model or declare_not_personal, "
        f"from the app's ready(); ARCHITECTURE.md says how): {missing}")


def test_the_introspection_sees_what_it_must():
    # If these stopped matching, the test above would pass for the wrong reason.
    assert holds_personal_data(apps.get_model("demands.Demand"))
    assert holds_personal_data(apps.get_model("notifications.Notification"))
    assert holds_personal_data(apps.get_model("demands.HiddenDetailView"))
    assert not holds_personal_data(apps.get_model("contests.IndustryField"))


def test_every_registration_names_a_real_model_and_its_fields():
    for label, entry in privacy.registered_models().items():
        model = apps.get_model(label)
        for lookup in entry.user_fields:
            model._default_manager.filter(**{lookup: None}).query  # noqa: B018 (resolves)
        if entry.erase == privacy.KEEP:
            assert entry.reason, label


# --- the world, erased persona by persona ------------------------------------------------------
def _identify(world):
    """Give every persona a distinctive name and mobile (the factories' 用户N would match
    用户12 when searching for 用户1), then let the owner be the contact of the published demand,
    and make the activity that copies people's data elsewhere: sign-ins, a hidden-detail view, an
    access request (whose notification names the challenger), an export."""
    from django.test import RequestFactory

    from demands.services import access

    for number, persona in enumerate(p for p in PERSONAS if p != "visitor"):
        user = world.user(persona)
        user.full_name = f"擦除测试人{chr(0x4E00 + number * 7)}{chr(0x4E80 + number)}"
        user.mobile = f"1390000{number:04d}"
        user.save(update_fields=["full_name", "mobile"])
    owner = world.user("owner")
    demand = world.objects["demand"]
    Demand.objects.filter(pk=demand.pk).update(
        contact_person=owner.full_name, contact_mobile=owner.mobile, contact_email=owner.email)
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    for persona in PERSONAS:
        user = world.user(persona)
        if user is None:
            continue
        request.user = user
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.send(sender=type(user), request=request, user=user)
    granted = world.user("challenger_granted")
    request.user = granted
    access.record_hidden_view(demand, user=granted, request=request)
    other = world.objects["foreign_demand"]
    access.request_access(other, user=world.user("challenger_granted"), message="请授权",
                          request=request)
    privacy.export_user_data_json(world.user("owner"))


def _contains(text, needle):
    """``needle`` in ``text``, case-insensitively, not as the tail of a longer address or number
    (otherhost@… is not host@…)."""
    pattern = r"(?<![\w.+-])" + re.escape(needle) + r"(?![\w])" if needle.isascii() else \
        re.escape(needle)
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


def _database_hits(needles):
    """Every (table, column) of the whole database whose text contains one of ``needles``."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    text = (value.decode("utf-8", "replace")
                            if isinstance(value, bytes | memoryview) and not isinstance(
                                value, memoryview) else str(value))
                    if isinstance(value, memoryview):
                        text = bytes(value).decode("utf-8", "replace")
                    for needle in needles:
                        if needle and _contains(text, needle):
                            hits.append((table, column, needle))
    return hits


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "visitor"])
def test_erasing_a_persona_leaves_no_trace_of_them(db, persona, django_capture_on_commit_callbacks):
    world = build_world()
    _identify(world)
    user = world.user(persona)
    user.refresh_from_db()
    needles = [user.email, user.full_name, user.mobile]
    assert _database_hits(needles), "the search must find the person before the erasure"

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_user(user)

    assert _database_hits(needles) == []
    # The audit entries about them are still there, under the pseudonym.
    assert ActivityLog.objects.filter(actor_label=f"user #{user.pk}").exists()


def test_erasing_the_contact_person_clears_the_demand_and_tells_the_organisation(
        db, django_capture_on_commit_callbacks):
    world = build_world()
    _identify(world)
    owner = world.user("owner")
    demand = world.objects["demand"]
    # Another administrator of the organisation, who is told.
    from tests.factories.accounts import MembershipFactory, UserFactory

    colleague = MembershipFactory(user=UserFactory(email="colleague@matrix.cn"),
                                  organisation=demand.organisation, role="admin").user

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_user(owner)

    demand.refresh_from_db()
    assert (demand.contact_person, demand.contact_mobile, demand.contact_email) == ("", "", "")
    assert not demand.contact_consents_sharing
    assert demand.title and demand.key_problem  # the content stays
    assert Notification.objects.filter(recipient=colleague, kind="demand.contact_erased").exists()
    assert ActivityLog.objects.filter(action="portal.demand.contact_erased",
                                      object_id=str(demand.pk)).exists()


def test_the_download_reaches_every_registered_model_holding_the_persons_rows(db):
    world = build_world()
    _identify(world)
    for persona in PERSONAS:
        user = world.user(persona)
        if user is None:
            continue
        expected = {
            label: set(privacy._rows_of(entry, user).values_list("pk", flat=True))
            for label, entry in privacy.registered_models().items()
            if entry.personal and entry.export is None and entry.user_fields
        }
        sections = json.loads(privacy.export_user_data_json(user))["sections"]
        for label, entry in privacy.registered_models().items():
            if not entry.personal:
                continue
            assert entry.section in sections, (persona, label)
            if entry.export is not None or not entry.user_fields:
                continue
            model = apps.get_model(label)
            exported = {row[model._meta.pk.attname] for row in sections[entry.section]}
            assert exported == expected[label], (persona, label)


def test_the_download_holds_what_the_issue_found_missing(db):
    world = build_world()
    _identify(world)
    sections = json.loads(privacy.export_user_data_json(world.user("challenger_granted")))[
        "sections"]

    assert sections["access_requests"]
    assert sections["hidden_detail_views"][0]["ip_address"] == "203.0.113.9"
    assert any(entry["action"] == "portal.auth.login" for entry in sections["audit_log"])
    owner = json.loads(privacy.export_user_data_json(world.user("owner")))["sections"]
    assert owner["demands"]["created"]
    assert owner["demands"]["named_as_contact"][0]["contact_email"] == "owner@matrix.cn"
    assert owner["notifications.Notification"]
