"""Issue 13: every refusal of a signed-in user writes one audit entry, rate-limited per user and
path (audit.middleware.DenialAuditMiddleware), whatever view refused."""

import pytest
from django.urls import reverse

from audit.models import ActivityLog
from tests.factories.accounts import OrganisationFactory
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db


def denials():
    return ActivityLog.objects.filter(action="portal.access.denied")


def test_challenger_404_on_another_organisations_page_is_audited(client, challenger):
    other = OrganisationFactory()
    client.force_login(challenger)
    url = reverse("accounts:organisation_detail", args=[other.pk])

    response = client.get(url)

    assert response.status_code == 404
    entry = denials().get()
    assert (entry.actor_id, entry.result) == (challenger.pk, "denied")
    assert entry.data["path"] == url
    assert entry.data["status"] == 404
    assert entry.data["view"] == "accounts:organisation_detail"
    assert entry.data["object"] == {"pk": str(other.pk)}


def test_challenger_404_on_a_demands_edit_page_is_audited(client, challenger):
    demand = DemandFactory()
    client.force_login(challenger)

    response = client.get(reverse("demands:edit", kwargs={"ref": demand.ref}))

    assert response.status_code == 404
    entry = denials().get()
    assert entry.data["view"] == "demands:edit"
    assert entry.data["object"] == {"ref": demand.ref}


def test_refused_admin_page_is_audited(client, challenger):
    client.force_login(challenger)

    response = client.get("/admin/accounts/organisation/")

    assert response.status_code == 302
    entry = denials().get()
    assert (entry.actor_id, entry.data["refused_by"]) == (challenger.pk, "admin")


def test_a_refusal_answered_by_a_redirect_is_audited(client, challenger):
    # A challenger is no demand company: the page sends them to their workspace with a message.
    client.force_login(challenger)

    response = client.get(reverse("demands:create"))

    assert response.status_code == 302
    entry = denials().get()
    assert (entry.data["refused_by"], entry.data["view"]) == ("redirect", "demands:create")
    assert entry.data["message"]
    # The message still reaches the user.
    assert client.get(response["Location"]).context["messages"]


def test_an_ordinary_redirect_is_not_a_denial(client, challenger):
    client.force_login(challenger)

    client.get("/accounts/")  # any redirect without an error message
    client.post(reverse("account_logout"))

    assert not denials().exists()


def test_staff_refused_an_admin_model_is_audited(staff_client, host_organiser):
    client = staff_client(host_organiser)

    response = client.get("/admin/audit/activitylog/add/")

    assert response.status_code in (403, 404)
    assert denials().filter(actor=host_organiser).count() == 1


def test_one_entry_per_user_and_path_within_the_window(client, challenger, stranger):
    other = OrganisationFactory()
    url = reverse("accounts:organisation_detail", args=[other.pk])
    client.force_login(challenger)
    for _ in range(5):
        assert client.get(url).status_code == 404
    client.get(reverse("accounts:organisation_detail", args=[other.pk + 1000]))
    client.force_login(stranger)
    client.get(url)

    assert denials().filter(actor=challenger).count() == 2
    assert denials().filter(actor=stranger).count() == 1


def test_window_elapsed_logs_again(client, challenger, settings):
    from django.core.cache import cache

    other = OrganisationFactory()
    url = reverse("accounts:organisation_detail", args=[other.pk])
    client.force_login(challenger)
    client.get(url)
    cache.clear()  # the window's counter expired

    client.get(url)

    assert denials().count() == 2


def test_visitors_and_granted_pages_write_nothing(client, challenger):
    other = OrganisationFactory()
    client.get(reverse("accounts:organisation_detail", args=[other.pk]))
    client.force_login(challenger)
    client.get(reverse("accounts:dashboard"))

    assert not denials().exists()


def test_a_view_that_logged_its_own_refusal_is_not_logged_twice(client, challenger):
    import uuid

    client.force_login(challenger)

    response = client.get(reverse("files:download", args=[uuid.uuid4()]))

    assert response.status_code == 404
    assert denials().count() == 1
