import hashlib

import pytest
from django.core.exceptions import ValidationError

from audit.models import ActivityLog
from files.models import PrivateFile
from files.selectors import files_for_object
from files.services import attach, store_upload
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
