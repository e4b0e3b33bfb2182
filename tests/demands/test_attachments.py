"""Attachments of a demand: private files, stripped of metadata, downloadable by whoever may
see the full demand and by nobody else."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from common.concurrency import edit_token
from demands.enums import DemandStatus
from files.models import PrivateFile
from tests.demands.collection import *  # noqa: F403
from tests.factories.files import pdf_bytes


def _post_draft(client, demand, upload):
    return client.post(reverse("demands:edit", kwargs={"ref": demand.ref}), {
        "action": "draft", "host_unit": demand.host_unit_id, "title": demand.title,
        "edit_token": edit_token(demand), "attachment": upload,
        "indicators-TOTAL_FORMS": "0", "indicators-INITIAL_FORMS": "0",
    })


def test_owner_attaches_a_file_without_its_metadata(client, demand_owner, make_demand):
    demand = make_demand()
    client.force_login(demand_owner)

    response = _post_draft(client, demand, SimpleUploadedFile(
        "工艺说明.pdf", pdf_bytes(author="张三"), content_type="application/pdf"))

    assert response.status_code == 302
    stored = PrivateFile.objects.get()
    assert (stored.content_object, stored.original_name, stored.public_safe) == (
        demand, "工艺说明.pdf", True)
    metadata = PdfReader(io.BytesIO(stored.file.read())).metadata or {}
    assert "/Author" not in metadata
    assert list(demand.attachments.all()) == [stored]


def test_a_file_of_the_wrong_type_is_an_error_next_to_the_field(client, demand_owner,
                                                                make_demand):
    demand = make_demand()
    client.force_login(demand_owner)
    response = _post_draft(client, demand, SimpleUploadedFile(
        "run.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream"))
    assert response.status_code == 200
    assert "attachment" in response.context["form"].errors
    assert not PrivateFile.objects.exists()


def test_attachment_download_follows_the_demand_view_permission(client, demand_owner,
                                                                make_demand, host_organiser,
                                                                other_host_organiser,
                                                                stranger):
    demand = make_demand()
    client.force_login(demand_owner)
    _post_draft(client, demand, SimpleUploadedFile("说明.pdf", pdf_bytes(),
                                                   content_type="application/pdf"))
    demand.status, demand.submitted_at = DemandStatus.SUBMITTED, demand.created_at
    demand.save(update_fields=["status", "submitted_at"])
    url = PrivateFile.objects.get().get_absolute_url()

    for user, allowed in ((demand_owner, True), (host_organiser, True),
                          (other_host_organiser, False), (stranger, False)):
        client.force_login(user)
        assert (client.get(url).status_code == 200) is allowed, user
