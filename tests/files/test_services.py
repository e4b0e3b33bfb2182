import hashlib

import pytest
import rules
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import ActivityLog
from files.models import PrivateFile
from files.selectors import files_for_object
from files.services import attach, detach_file, store_upload
from tests.factories.accounts import OrganisationFactory
from tests.factories.files import PrivateFileFactory, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def test_store_upload_records_detected_facts_not_client_claims(demand_owner, settings):
    content = pdf_bytes()

    stored = store_upload(upload("需求说明 张三.pdf", content, "image/png"), kind="attachment",
                          uploaded_by=demand_owner)

    stored.refresh_from_db()
    assert stored.original_name == "需求说明 张三.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.uploaded_by == demand_owner
    assert stored.kind == "attachment"
    assert stored.object_id is None


def test_store_upload_storage_path_is_random_not_the_users_name(demand_owner, settings):
    stored = store_upload(upload("需求说明 张三.pdf", pdf_bytes()), kind="attachment",
                          uploaded_by=demand_owner)

    assert "张三" not in stored.file.name
    assert stored.file.name.startswith("attachment/")
    assert stored.file.name.endswith(f"{stored.uuid.hex}.pdf")
    assert (settings.PRIVATE_MEDIA_ROOT / stored.file.name).read_bytes() == pdf_bytes()


def test_store_upload_is_logged(demand_owner):
    stored = store_upload(upload("a.pdf", pdf_bytes()), kind="attachment",
                          uploaded_by=demand_owner)

    entry = ActivityLog.objects.get(action="portal.file.upload")
    assert (entry.actor, entry.object_id) == (demand_owner, str(stored.pk))
    assert entry.data["sha256"] == stored.sha256


def test_store_upload_attach_to_and_files_for_object(demand_owner):
    organisation, other = OrganisationFactory(), OrganisationFactory()

    stored = store_upload(upload("营业执照.pdf", pdf_bytes()), kind="attachment",
                          uploaded_by=demand_owner, attach_to=organisation)
    PrivateFileFactory(attach_to=other)

    assert stored.content_object == organisation
    assert list(files_for_object(organisation)) == [stored]


def test_attach_sets_object_once_and_refuses_moving(demand_owner):
    organisation, other = OrganisationFactory(), OrganisationFactory()
    stored = PrivateFileFactory(uploaded_by=demand_owner)

    attach(stored, organisation, actor=demand_owner)
    attach(stored, organisation, actor=demand_owner)  # same object again: nothing changes
    with pytest.raises(ValidationError):
        attach(stored, other, actor=demand_owner)

    stored.refresh_from_db()
    assert stored.content_object == organisation
    assert ActivityLog.objects.filter(action="portal.file.attach").count() == 1


def test_store_upload_refused_leaves_no_row_and_no_log(demand_owner):
    with pytest.raises(ValidationError):
        store_upload(upload("x.pdf", b"MZ" + b"\x00" * 64), kind="attachment",
                     uploaded_by=demand_owner)

    assert PrivateFile.objects.count() == 0
    assert ActivityLog.objects.filter(action="portal.file.upload").count() == 0


# --- detach_file --------------------------------------------------------------------------------
@pytest.fixture
def organisation_change_rule():
    """Declares ``accounts.change_organisation`` as "active member of that organisation" for the
    test (no app declares it), the way an app declares the change permission of its model."""

    @rules.predicate
    def is_member(user, organisation):
        return bool(
            user.is_authenticated and organisation is not None
            and organisation.memberships.filter(user=user, state="active").exists()
        )

    name = "accounts.change_organisation"
    previous = rules.permissions.permissions.get(name)
    rules.set_perm(name, is_member)
    yield
    if previous is None:
        rules.remove_perm(name)
    else:
        rules.set_perm(name, previous)


def test_detach_file_removes_row_and_bytes_after_commit(
        demand_owner, organisation_change_rule, settings, django_capture_on_commit_callbacks):
    organisation = demand_owner.memberships.get().organisation
    stored = PrivateFileFactory(name="营业执照.pdf", attach_to=organisation)
    stored_at = settings.PRIVATE_MEDIA_ROOT / stored.file.name

    with django_capture_on_commit_callbacks() as callbacks:
        detach_file(stored, actor=demand_owner)
        assert stored_at.exists()  # until the transaction commits
    for callback in callbacks:
        callback()

    assert not PrivateFile.objects.exists()
    assert not stored_at.exists()
    entry = ActivityLog.objects.get(action="portal.file.remove")
    assert (entry.actor, entry.object_id, entry.data["name"], entry.data["attached_to"]) == (
        demand_owner, str(stored.pk), "营业执照.pdf", f"accounts.organisation:{organisation.pk}")


def test_detach_file_rolled_back_keeps_row_and_bytes(
        demand_owner, organisation_change_rule, settings, django_capture_on_commit_callbacks):
    organisation = demand_owner.memberships.get().organisation
    stored = PrivateFileFactory(attach_to=organisation)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            detach_file(stored, actor=demand_owner)
            raise RuntimeError("the surrounding change failed")

    assert callbacks == []
    assert list(files_for_object(organisation)) == [stored]
    assert (settings.PRIVATE_MEDIA_ROOT / stored.file.name).exists()
    assert not ActivityLog.objects.filter(action="portal.file.remove").exists()


def test_detach_file_refused_to_the_uploader_who_may_not_change_the_object(
        demand_owner, organisation_change_rule):
    organisation = OrganisationFactory()  # demand_owner is not a member
    stored = PrivateFileFactory(uploaded_by=demand_owner, attach_to=organisation)

    with pytest.raises(ValidationError) as refused:
        detach_file(stored, actor=demand_owner)

    assert refused.value.code == "not_allowed"
    assert list(files_for_object(organisation)) == [stored]
    assert not ActivityLog.objects.filter(action="portal.file.remove").exists()


def test_detach_file_refused_when_the_object_declares_no_change_permission(demand_owner):
    organisation = demand_owner.memberships.get().organisation
    stored = PrivateFileFactory(uploaded_by=demand_owner, attach_to=organisation)

    with pytest.raises(ValidationError) as refused:
        detach_file(stored, actor=demand_owner)

    assert refused.value.code == "not_allowed"
    assert PrivateFile.objects.filter(pk=stored.pk).exists()


def test_detach_file_refuses_a_file_attached_to_nothing(demand_owner):
    stored = PrivateFileFactory(uploaded_by=demand_owner)

    with pytest.raises(ValidationError) as refused:
        detach_file(stored, actor=demand_owner)

    assert refused.value.code == "not_attached"
    assert PrivateFile.objects.filter(pk=stored.pk).exists()
