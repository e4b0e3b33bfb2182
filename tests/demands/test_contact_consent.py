"""Issue 13, PIPL art. 23: the contact person confirms by a link sent to their own e-mail;
until then their phone and e-mail stay masked."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from audit.models import ActivityLog
from demands import services
from demands.services import access, contacts
from notifications.models import OutboundEmail
from tests.demands.collection import *  # noqa: F403


def consent_emails(address):
    return OutboundEmail.objects.filter(to_address=address, kind="demand.contact_consent")


def link_in(email):
    return re.search(r"https?://[^/\s]+(/demands/contact-consent/[^\s]+/)", email.body).group(1)


def _create(owner, org, unit, **fields):
    fields = {"title": "热管理", "contact_person": "王工", "contact_mobile": "13800138000",
              "contact_email": "wang.contact@example.cn", **fields}
    return services.create_demand(actor=owner, organisation=org, host_unit=unit, fields=fields)


def test_saving_a_demand_mails_the_contact_a_link(demand_owner, owner_org, host_unit):
    demand = _create(demand_owner, owner_org, host_unit)

    email = consent_emails("wang.contact@example.cn").get()
    assert demand.ref in email.subject + email.body
    token = link_in(email).split("/")[-2]
    assert contacts.demand_for_consent_token(token) == demand
    assert not demand.contact_consents_sharing
    assert ActivityLog.objects.filter(action="portal.demand.contact_consent_requested",
                                      object_id=str(demand.pk)).exists()


def test_the_contact_agrees_by_the_link_then_granted_challengers_see_the_details(
        client, demand_owner, owner_org, host_unit):
    demand = _create(demand_owner, owner_org, host_unit)
    assert access.full_details(demand).contact_email != "wang.contact@example.cn"
    link = link_in(consent_emails("wang.contact@example.cn").get())

    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert demand.ref in html and "wang.contact@example.cn" not in html  # masked on the page
    response = client.post(link, {"decision": "agree"})

    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.contact_consents_sharing and demand.contact_consent_at
    assert access.full_details(demand).contact_email == "wang.contact@example.cn"
    assert ActivityLog.objects.filter(action="portal.demand.contact_consent_confirmed").exists()


def test_the_contact_may_decline(client, demand_owner, owner_org, host_unit):
    demand = _create(demand_owner, owner_org, host_unit)
    link = link_in(consent_emails("wang.contact@example.cn").get())

    client.post(link, {"decision": "decline"})

    demand.refresh_from_db()
    assert not demand.contact_consents_sharing
    assert ActivityLog.objects.filter(action="portal.demand.contact_consent_declined").exists()


def test_changing_the_contact_withdraws_consent_and_asks_the_new_one(
        demand_owner, owner_org, host_unit):
    demand = _create(demand_owner, owner_org, host_unit)
    old_link = link_in(consent_emails("wang.contact@example.cn").get())
    contacts.confirm_contact_consent(old_link.split("/")[-2], agree=True)

    services.update_demand(demand, actor=demand_owner,
                           fields={"contact_person": "李工", "contact_email": "li@example.cn"})

    demand.refresh_from_db()
    assert not demand.contact_consents_sharing
    assert consent_emails("li@example.cn").count() == 1
    # The link sent to the earlier contact no longer answers for the new one.
    with pytest.raises(contacts.ConsentLinkInvalid):
        contacts.confirm_contact_consent(old_link.split("/")[-2], agree=True)


def test_editing_other_fields_keeps_the_consent(demand_owner, owner_org, host_unit):
    demand = _create(demand_owner, owner_org, host_unit)
    contacts.confirm_contact_consent(contacts.contact_consent_token(demand), agree=True)

    services.update_demand(demand, actor=demand_owner, fields={"title": "新标题"})

    demand.refresh_from_db()
    assert demand.contact_consents_sharing


# Built in the test, not at collection: a signed token holds the time it was made, and the
# parallel workers must collect the same test ids.
@pytest.mark.parametrize("make_token", [lambda: "nonsense",
                                        lambda: signing.dumps({"d": 1}, salt="other")],
                         ids=["nonsense", "signed-for-something-else"])
def test_a_bad_link_is_a_404(client, db, make_token):
    assert client.get(reverse("demands:contact_consent", kwargs={"token": make_token()})
                      ).status_code == 404


def test_owner_can_send_the_link_again_others_cannot(client, demand_owner, owner_org, host_unit,
                                                     co_member, stranger):
    demand = _create(demand_owner, owner_org, host_unit)
    OutboundEmail.objects.all().delete()
    url = reverse("demands:contact_consent_request", kwargs={"ref": demand.ref})

    client.force_login(stranger)
    assert client.post(url).status_code == 404
    client.force_login(demand_owner)
    assert client.post(url).status_code == 302

    assert consent_emails("wang.contact@example.cn").count() == 1
    detail = client.get(demand.get_private_url()).content.decode()
    assert url in detail
