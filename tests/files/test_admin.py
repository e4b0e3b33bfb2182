import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from files.models import PrivateFile
from tests.factories.files import PrivateFileFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/files/privatefile/"


def test_admin_torch_staff_lists_files_read_only_with_download_link(staff_client, torch_staff,
                                                                    demand_owner):
    stored = PrivateFileFactory(name="可行性报告.pdf", uploaded_by=demand_owner)
    client = staff_client(torch_staff)

    listing = client.get(CHANGELIST)
    detail = client.get(f"{CHANGELIST}{stored.pk}/change/")

    assert listing.status_code == 200
    assert "可行性报告.pdf" in listing.content.decode()
    assert stored.get_absolute_url() in listing.content.decode()
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.post(f"{CHANGELIST}{stored.pk}/delete/", {"post": "yes"}).status_code == 403
    assert PrivateFile.objects.filter(pk=stored.pk).exists()


def test_admin_host_organiser_has_no_access(staff_client, host_organiser):
    host_organiser.is_staff = True
    host_organiser.save()
    client = staff_client(host_organiser)

    assert client.get(CHANGELIST).status_code == 403


def test_admin_changelist_query_count_does_not_grow_with_files(staff_client, torch_staff):
    client = staff_client(torch_staff)
    counts = []
    for new_files in (1, 2):
        PrivateFileFactory.create_batch(new_files)
        client.get(CHANGELIST)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CHANGELIST)
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
