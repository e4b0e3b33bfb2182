import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import MembershipRole, MembershipState
from accounts.models import Membership, Organisation
from audit.models import ActivityLog
from tests.accounts.conftest import field_block
from tests.accounts.test_credit_code import VALID_CODES
from tests.factories.accounts import OrganisationFactory, UserFactory

URL = reverse("accounts:organisation_create")


def form_data(**overrides):
    data = {"name": "西安光机科技有限公司", "kind": "enterprise",
            "credit_code": "91110000600037341L", "region": "610100",
            "address": "西安市高新区锦业路1号"}
    data.update(overrides)
    return data


@pytest.fixture
def person(db, login_as, english):
    user = UserFactory()
    login_as(user)
    return user


@pytest.mark.parametrize("code", VALID_CODES)
def test_organisation_create_valid_code_makes_creator_active_admin(client, person, code):
    response = client.post(URL, form_data(credit_code=code))

    organisation = Organisation.objects.get(credit_code=code)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organisation_detail",
                                           kwargs={"pk": organisation.pk})
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role, membership.state) == (
        person, MembershipRole.ADMIN, MembershipState.ACTIVE)
    assert organisation.verified is False


def test_organisation_create_code_typed_with_spaces_and_lowercase_is_stored_normalised(
        client, person):
    client.post(URL, form_data(credit_code=" 9131 0115 ma1k 3btp 2b"))

    assert Organisation.objects.filter(credit_code="91310115MA1K3BTP2B").exists()


@pytest.mark.parametrize(("code", "message"), [
    ("91110000600037341N",
     "The check character does not match: please compare the code with the business licence."),
    ("9111000060003IOZSV",
     "The characters I、O、S、V、Z never appear in a unified social credit code "
     "(I, O, S, V and Z are not used)."),
    ("9111000060003734",
     "A unified social credit code has 18 characters; this one has 16."),
])
def test_organisation_create_invalid_code_shows_error_at_field_and_keeps_input(
        client, person, code, message):
    data = form_data(credit_code=code)

    response = client.post(URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    block = field_block(html, "credit_code")
    assert "has-error" in block
    assert message in block
    assert f'value="{code}"' in block
    for name in ("name", "region", "address"):
        assert f'value="{data[name]}"' in field_block(html, name)
    assert re.search(r'name="kind" value="enterprise"[^>]*checked', html)
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_organisation_create_duplicate_code_offers_to_join(client, person):
    existing = OrganisationFactory(name="中科院西安光机所", credit_code="121200004013590816",
                                   kind="institute")

    response = client.post(URL, form_data(name="光机所", credit_code="121200004013590816",
                                          kind="institute"))

    html = response.content.decode()
    block = field_block(html, "credit_code")
    assert "already registered: 中科院西安光机所" in block
    assert 'value="121200004013590816"' in block
    # The offer to ask to join the registered organisation instead.
    assert f'name="organisation" value="{existing.pk}"' in html
    assert reverse("accounts:organisation_join") in html
    assert Organisation.objects.count() == 1
    assert not Membership.objects.filter(user=person).exists()


def test_organisation_create_team_without_code_allowed(client, person):
    response = client.post(URL, form_data(name="西电智能感知团队", kind="team", credit_code=""))

    team = Organisation.objects.get(name="西电智能感知团队")
    assert response.status_code == 302
    assert team.credit_code is None
    assert Membership.objects.get(organisation=team).user == person


def test_organisation_create_two_teams_without_code_do_not_clash(client, person):
    client.post(URL, form_data(name="团队甲", kind="team", credit_code=""))
    client.post(URL, form_data(name="团队乙", kind="team", credit_code=""))

    assert Organisation.objects.filter(kind="team", credit_code__isnull=True).count() == 2


@pytest.mark.parametrize("kind", ["enterprise", "university", "institute"])
def test_organisation_create_legal_entity_without_code_refused(client, person, kind):
    response = client.post(URL, form_data(kind=kind, credit_code=""))

    block = field_block(response.content.decode(), "credit_code")
    assert ("Enterprises, universities and institutes must give their unified social credit "
            "code.") in block
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(("region", "message"), [
    ("61010", "Ensure this value has at least 6 characters (it has 5)."),
    ("61010a", "Enter a 6-digit GB/T 2260 region code."),
    ("990100", "990100 is not a GB/T 2260 region code"),
])
def test_organisation_create_bad_region_refused_at_field(client, person, region, message):
    response = client.post(URL, form_data(region=region))

    block = field_block(response.content.decode(), "region")
    assert message in block
    assert f'value="{region}"' in block
    assert not Organisation.objects.exists()


def test_organisation_create_is_written_to_audit_log(client, person):
    client.post(URL, form_data())

    entry = ActivityLog.objects.get(action="portal.organisation.create")
    assert entry.actor == person
    assert entry.object_id == str(Organisation.objects.get().pk)


def test_organisation_create_requires_sign_in(client, db):
    response = client.post(URL, form_data())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Organisation.objects.exists()


def test_organisation_model_clean_honours_staff_override():
    organisation = Organisation(name="福建试点企业", kind="enterprise",
                                credit_code="91350211M0000XUF46", region="350200")
    with pytest.raises(ValidationError) as caught:
        organisation.full_clean(validate_unique=False)
    assert "credit_code" in caught.value.message_dict

    organisation.credit_code_override = True
    organisation.full_clean(validate_unique=False)


def test_organisation_model_override_still_requires_eighteen_characters():
    organisation = Organisation(name="福建试点企业", kind="enterprise", credit_code="9135021",
                                region="350200", credit_code_override=True)
    with pytest.raises(ValidationError) as caught:
        organisation.full_clean(validate_unique=False)
    assert "credit_code" in caught.value.message_dict


def test_organisation_detail_hidden_from_non_members(client, db, login_as):
    organisation = OrganisationFactory()
    login_as(UserFactory())

    response = client.get(reverse("accounts:organisation_detail", kwargs={"pk": organisation.pk}))

    assert response.status_code == 404
