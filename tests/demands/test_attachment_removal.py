"""Removing an attachment from a demand: the people who may edit the demand may, while they may
edit it; everyone else gets a 404 or a message, and the file stays."""

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import ActivityLog
from demands import services
from demands.enums import DemandStatus
from demands.models import Demand
from files.models import PrivateFile
from tests.demands.collection import *  # noqa: F403
from tests.demands.public_support import publish
from tests.factories.files import PrivateFileFactory


@pytest.fixture
def english_client(client):
    """The collection client asking for English pages, so messages can be compared."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def attach(demand_owner):
    """``attach(demand, name)``: a stored file attached to ``demand``."""
    def make(demand, name="工艺说明.pdf"):
        return PrivateFileFactory(name=name, attach_to=demand, uploaded_by=demand_owner,
                                  public_safe=True)

    return make


def _remove_url(demand, private_file):
    return reverse("demands:remove_attachment", kwargs={"ref": demand.ref,
                                                        "key": private_file.uuid})


def _messages(response):
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def test_owner_removes_an_attachment_of_a_draft(english_client, demand_owner, make_demand,
                                                attach, settings,
                                                django_capture_on_commit_callbacks):
    demand = make_demand()
    removed, kept = attach(demand, "工艺说明.pdf"), attach(demand, "样品照片.pdf")
    stored_at = settings.PRIVATE_MEDIA_ROOT / removed.file.name
    english_client.force_login(demand_owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = english_client.post(_remove_url(demand, removed), follow=True)

    assert response.redirect_chain == [(demand.get_private_url(), 302)]
    assert _messages(response) == [("success", "The attachment “工艺说明.pdf” was removed.")]
    assert list(demand.attachments.all()) == [kept]
    assert not stored_at.exists()
    entry = ActivityLog.objects.get(action="portal.file.remove")
    assert (entry.actor, entry.object_id, entry.data["name"], entry.data["attached_to"]) == (
        demand_owner, str(removed.pk), "工艺说明.pdf", f"demands.demand:{demand.pk}")
    assert entry.data["sha256"] == removed.sha256


def test_removal_from_the_edit_page_goes_back_to_it(english_client, co_member, make_demand,
                                                    attach):
    demand = make_demand(status=DemandStatus.RETURNED)
    private_file = attach(demand)
    english_client.force_login(co_member)

    response = english_client.post(_remove_url(demand, private_file), {"back": "edit"})

    assert response.status_code == 302
    assert response["Location"] == reverse("demands:edit", kwargs={"ref": demand.ref})
    assert not PrivateFile.objects.exists()


def test_host_staff_who_entered_the_demand_remove_its_attachment(english_client,
                                                                 host_organiser, make_demand,
                                                                 attach):
    demand = make_demand(entered_by_host=True, created_by=host_organiser)
    private_file = attach(demand)
    english_client.force_login(host_organiser)

    response = english_client.post(_remove_url(demand, private_file))

    assert response.status_code == 302
    assert not PrivateFile.objects.filter(pk=private_file.pk).exists()


@pytest.mark.parametrize("persona", ["stranger", "challenger", "expert", "other_host_organiser"])
def test_someone_who_cannot_see_the_demand_gets_404_and_the_file_stays(english_client, persona,
                                                                      request, make_demand,
                                                                      attach):
    demand = make_demand()
    private_file = attach(demand)
    english_client.force_login(request.getfixturevalue(persona))

    response = english_client.post(_remove_url(demand, private_file))

    assert response.status_code == 404
    assert list(demand.attachments.all()) == [private_file]
    assert not ActivityLog.objects.filter(action="portal.file.remove").exists()


@pytest.mark.parametrize("persona", ["host_organiser", "torch_staff", "assigned"])
def test_who_sees_but_does_not_write_the_demand_gets_404(english_client, persona,
                                                         persona_users, make_demand, attach):
    # Returned: visible to its host unit (it was submitted), and a state the owner may edit.
    demand = make_demand(status=DemandStatus.RETURNED, submitted_at="2026-01-05T08:00:00+08:00")
    private_file = attach(demand)
    english_client.force_login(persona_users(demand)[persona])

    response = english_client.post(_remove_url(demand, private_file))

    assert response.status_code == 404
    assert list(demand.attachments.all()) == [private_file]


def test_a_file_of_another_demand_is_404(english_client, demand_owner, make_demand, attach):
    demand, other = make_demand(), make_demand()
    other_file = attach(other)
    english_client.force_login(demand_owner)

    response = english_client.post(_remove_url(demand, other_file))

    assert response.status_code == 404
    assert list(other.attachments.all()) == [other_file]


def test_removal_is_post_only(english_client, demand_owner, make_demand, attach):
    demand = make_demand()
    private_file = attach(demand)
    english_client.force_login(demand_owner)

    response = english_client.get(_remove_url(demand, private_file))

    assert response.status_code == 405
    assert list(demand.attachments.all()) == [private_file]


@pytest.mark.parametrize("status", [DemandStatus.SUBMITTED, DemandStatus.IN_ANALYSIS,
                                    DemandStatus.APPROVED, DemandStatus.REJECTED,
                                    DemandStatus.WITHDRAWN])
def test_removal_is_refused_with_a_message_once_the_demand_is_not_editable(
        english_client, demand_owner, make_demand, attach, status):
    demand = make_demand(status=status)
    private_file = attach(demand)
    english_client.force_login(demand_owner)

    response = english_client.post(_remove_url(demand, private_file), {"back": "edit"},
                                   follow=True)

    assert response.redirect_chain == [(demand.get_private_url(), 302)]
    assert _messages(response) == [(
        "error", f"The attachments of a demand that is “{status.label}” can no longer be "
                 "removed.")]
    assert list(demand.attachments.all()) == [private_file]
    assert not ActivityLog.objects.filter(action="portal.file.remove").exists()


def test_a_public_demand_keeps_its_attachment_and_its_public_snapshot(english_client,
                                                                      demand_owner, make_demand,
                                                                      attach):
    # Published demands are not editable (EDITABLE_STATES), so removal is refused and what the
    # public sees stays as it was.
    demand = make_demand(status=DemandStatus.PUBLISHED)
    private_file = attach(demand, "公开说明.pdf")
    demand = publish(demand)
    assert demand.public_snapshot["attachments"] == ["公开说明.pdf"]
    english_client.force_login(demand_owner)

    response = english_client.post(_remove_url(demand, private_file), follow=True)

    assert [level for level, _text in _messages(response)] == ["error"]
    assert list(demand.attachments.all()) == [private_file]
    assert Demand.objects.get(pk=demand.pk).public_snapshot["attachments"] == ["公开说明.pdf"]


def test_the_service_refuses_a_visible_non_author_with_a_message(host_organiser, make_demand,
                                                                 attach):
    demand = make_demand(status=DemandStatus.RETURNED, submitted_at="2026-01-05T08:00:00+08:00")
    private_file = attach(demand)

    with translation.override("en"), pytest.raises(services.DemandError) as refused:
        services.remove_attachment(demand, private_file, actor=host_organiser)

    assert refused.value.message == "You may not remove attachments of this demand."
    assert list(demand.attachments.all()) == [private_file]


def test_the_service_refuses_a_file_of_another_demand(demand_owner, make_demand, attach):
    demand, other = make_demand(), make_demand()
    other_file = attach(other)

    with translation.override("en"), pytest.raises(services.DemandError) as refused:
        services.remove_attachment(demand, other_file, actor=demand_owner)

    assert refused.value.message == "This file is not an attachment of the demand."
    assert list(other.attachments.all()) == [other_file]


def test_detail_and_edit_pages_offer_removal_to_the_author_while_editable(
        english_client, demand_owner, make_demand, attach):
    demand = make_demand()
    private_file = attach(demand)
    url = _remove_url(demand, private_file)
    english_client.force_login(demand_owner)

    detail = english_client.get(demand.get_private_url()).content.decode()
    edit = english_client.get(reverse("demands:edit", kwargs={"ref": demand.ref})
                              ).content.decode()

    assert detail.count(f'action="{url}"') == 1
    assert f'form="remove-attachment-{private_file.uuid.hex}"' in detail
    assert edit.count(f'action="{url}"') == 1
    assert '<input type="hidden" name="back" value="edit">' in edit
    # The removal form is not nested in the edit form: it comes after the edit form ends.
    assert edit.index(f'action="{url}"') > edit.index('class="demand-form"')
    assert edit.index(f'action="{url}"') > edit.index("</form>", edit.index('class="demand-form"'))


def test_detail_page_offers_no_removal_once_submitted_or_to_reviewers(
        english_client, demand_owner, host_organiser, make_demand, attach):
    demand = make_demand(status=DemandStatus.SUBMITTED, submitted_at="2026-01-05T08:00:00+08:00")
    private_file = attach(demand)
    url = _remove_url(demand, private_file)

    for user in (demand_owner, host_organiser):
        english_client.force_login(user)
        page = english_client.get(demand.get_private_url()).content.decode()
        assert private_file.original_name in page
        assert url not in page
