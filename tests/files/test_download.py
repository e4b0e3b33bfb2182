import uuid
from urllib.parse import quote

import pytest
from django.urls import reverse

from audit.models import ActivityLog
from files.models import PrivateFile
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.files import PrivateFileFactory, pdf_bytes

pytestmark = pytest.mark.django_db

CONTENT = pdf_bytes(author="保密作者")


@pytest.fixture
def secret_file(demand_owner):
    return PrivateFileFactory(name="技术需求 附件.pdf", content=CONTENT, uploaded_by=demand_owner)


def body(response):
    return b"".join(response.streaming_content)


def test_download_uploader_gets_file_with_safe_headers(client, demand_owner, secret_file):
    client.force_login(demand_owner)

    response = client.get(reverse("files:download", args=[secret_file.uuid]))

    assert response.status_code == 200
    assert body(response) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; "
        f"filename*=UTF-8''{quote('技术需求 附件.pdf', safe='')}"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    entry = ActivityLog.objects.get(action="portal.file.download")
    assert (entry.actor, entry.object_id) == (demand_owner, str(secret_file.pk))


def test_download_ascii_name_keeps_plain_filename_too(client, demand_owner):
    stored = PrivateFileFactory(name="report 2026.pdf", uploaded_by=demand_owner)
    client.force_login(demand_owner)

    response = client.get(stored.get_absolute_url())

    assert response["Content-Disposition"] == (
        "attachment; filename=\"report 2026.pdf\"; filename*=UTF-8''report%202026.pdf"
    )


def test_download_stranger_gets_404_and_denial_is_logged(client, stranger, secret_file):
    client.force_login(stranger)

    response = client.get(reverse("files:download", args=[secret_file.uuid]))

    assert response.status_code == 404
    assert b"%PDF" not in response.content
    denied = ActivityLog.objects.get(action="portal.access.denied")
    assert (denied.actor, denied.result, denied.object_id) == (
        stranger, "denied", str(secret_file.pk))
    assert PrivateFile.objects.filter(pk=secret_file.pk).exists()
    assert not ActivityLog.objects.filter(action="portal.file.download").exists()


def test_download_anonymous_gets_404(client, secret_file):
    response = client.get(reverse("files:download", args=[secret_file.uuid]))

    assert response.status_code == 404
    assert ActivityLog.objects.get(action="portal.access.denied").actor_label == "anonymous"


def test_download_unknown_key_gets_same_404(client, stranger):
    client.force_login(stranger)
    key = uuid.uuid4()

    response = client.get(reverse("files:download", args=[key]))

    assert response.status_code == 404
    assert ActivityLog.objects.get(action="portal.access.denied").data["file"] == str(key)


def test_download_sequential_id_is_not_a_url(client, demand_owner, secret_file):
    client.force_login(demand_owner)

    assert client.get(f"/files/{secret_file.pk}/").status_code == 404


def test_download_post_not_allowed(client, demand_owner, secret_file):
    client.force_login(demand_owner)

    assert client.post(secret_file.get_absolute_url()).status_code == 405


def test_download_attached_file_served_to_user_with_object_view_perm(
    client, demand_owner, challenger, organisation_view_rule
):
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    stored = PrivateFileFactory(uploaded_by=demand_owner, attach_to=organisation,
                                content=CONTENT)

    client.force_login(member)
    allowed = client.get(stored.get_absolute_url())
    client.force_login(challenger)  # a member of another organisation
    refused = client.get(stored.get_absolute_url())

    assert allowed.status_code == 200
    assert body(allowed) == CONTENT
    assert refused.status_code == 404


def test_download_unattached_file_not_served_through_object_rules(
    client, demand_owner, organisation_view_rule
):
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    stored = PrivateFileFactory(uploaded_by=demand_owner)
    client.force_login(member)

    assert client.get(stored.get_absolute_url()).status_code == 404


def test_download_torch_staff_sees_all(staff_client, torch_staff, secret_file):
    client = staff_client(torch_staff)

    response = client.get(secret_file.get_absolute_url())

    assert response.status_code == 200
    assert body(response) == CONTENT


def test_download_host_organiser_without_object_perm_gets_404(staff_client, host_organiser,
                                                              secret_file):
    client = staff_client(host_organiser)

    assert client.get(secret_file.get_absolute_url()).status_code == 404


def test_download_file_missing_from_storage_is_404_not_500(client, demand_owner, secret_file):
    secret_file.file.storage.delete(secret_file.file.name)
    client.force_login(demand_owner)

    assert client.get(secret_file.get_absolute_url()).status_code == 404


def test_behind_nginx_the_permitted_download_is_an_internal_redirect(client, demand_owner,
                                                                     secret_file, settings):
    """With PRIVATE_FILES_ACCEL_REDIRECT the view still decides and audits, and hands the
    sending to nginx's internal location: no bytes from Django, the same safe headers."""
    settings.PRIVATE_FILES_ACCEL_REDIRECT = "/_private/"
    client.force_login(demand_owner)

    response = client.get(reverse("files:download", args=[secret_file.uuid]))

    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/_private/" + quote(secret_file.file.name)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert ActivityLog.objects.filter(action="portal.file.download").count() == 1


def test_behind_nginx_a_stranger_still_gets_the_404(client, stranger, secret_file, settings):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = "/_private/"
    client.force_login(stranger)

    response = client.get(reverse("files:download", args=[secret_file.uuid]))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
