"""Personal-data rights (PIPL): notice, download of one's own data, erasure of the account."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from accounts import privacy
from accounts.models import AgreementSignature, Membership
from audit.models import ActivityLog
from audit.services import log_action
from tests.factories.accounts import (
    AgreementSignatureFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """Messages are compared in English, whatever the zh-hans catalog says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield

PASSWORD = "Portal-2026-pass"


def verified(user):
    EmailAddress.objects.get_or_create(user=user, email=user.email,
                                       defaults={"verified": True, "primary": True})
    return user


@pytest.fixture
def person(db):
    user = verified(UserFactory(email="chen.jing@example.cn", full_name="陈静",
                                mobile="13912345678", roles=["challenger"]))
    MembershipFactory(user=user, organisation=OrganisationFactory(name="杭州青山新材料有限公司"))
    AgreementSignatureFactory(user=user, ip_address="203.0.113.8")
    return user


@pytest.fixture
def other_person(db):
    user = verified(UserFactory(email="sun.hao@example.cn", full_name="孙浩",
                                mobile="13687654321", roles=["demand_company"]))
    MembershipFactory(user=user, organisation=OrganisationFactory(name="宁波东海装备股份公司"))
    AgreementSignatureFactory(user=user, ip_address="198.51.100.99")
    return user


@pytest.fixture
def registry_guard():
    """Restore the registries after a test that adds to them."""
    exporters, erasers = dict(privacy._exporters), dict(privacy._erasers)
    yield
    privacy._exporters.clear()
    privacy._exporters.update(exporters)
    privacy._erasers.clear()
    privacy._erasers.update(erasers)


# --- notice -----------------------------------------------------------------------------------
def test_privacy_notice_is_public_and_complete(client, db, settings):
    settings.PRIVACY_CONTACT_EMAIL = "privacy@torch.example.cn"

    response = client.get(reverse("accounts:privacy"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "科学技术部火炬高技术产业开发中心" in html
    for section in ("handler", "purposes", "categories", "retention", "recipients", "rights",
                    "contact"):
        assert f'id="{section}"' in html
    assert "at least 6 months (180 days)" in html
    assert "privacy@torch.example.cn" in html
    assert settings.COMPLAINT_HOTLINE in html


def test_privacy_notice_gives_postal_address_and_retention_periods(client, db, settings):
    settings.PRIVACY_POSTAL_ADDRESS = "北京市某区某路1号 火炬中心"
    settings.RETENTION_DEMAND_YEARS = 4

    html = client.get(reverse("accounts:privacy")).content.decode()

    assert "北京市某区某路1号 火炬中心" in html[html.index('id="postal-address"'):]
    for item in ("retention-demands", "retention-solutions", "retention-contacts"):
        assert f'id="{item}"' in html
    demands = html[html.index('id="retention-demands"'):]
    assert "until 4 years after" in demands[:demands.index("</li>")]


def test_privacy_notice_is_linked_from_every_page_footer(client, db):
    html = client.get(reverse("home")).content.decode()
    footer = html[html.index('class="site-footer"'):]

    assert reverse("accounts:privacy") in footer


def test_sign_up_links_the_notice_and_never_pre_ticks_consent(client, db):
    html = client.get(reverse("account_signup")).content.decode()

    assert reverse("accounts:privacy") in html
    for match in re.finditer(r"<input[^>]*type=\"checkbox\"[^>]*>", html):
        assert "checked" not in match.group(0)
    consent = re.search(r"<input[^>]*name=\"consent\"[^>]*>", html).group(0)
    assert "required" in consent


def test_workspace_links_download_deletion_and_two_factor(client, person):
    client.force_login(person)

    html = client.get(reverse("accounts:dashboard")).content.decode()

    for url in (reverse("accounts:privacy_export"), reverse("accounts:privacy_delete"),
                reverse("accounts:privacy"), reverse("mfa_index")):
        assert url in html


# --- download ---------------------------------------------------------------------------------
def test_download_requires_sign_in(client, db):
    response = client.get(reverse("accounts:privacy_export"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_download_contains_own_data_and_nobody_elses(client, person, other_person):
    client.force_login(person)

    response = client.get(reverse("accounts:privacy_export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8")
    data = json.loads(text)
    sections = data["sections"]
    assert data["user_id"] == person.pk
    assert sections["profile"]["email"] == "chen.jing@example.cn"
    assert sections["profile"]["full_name"] == "陈静"
    assert sections["profile"]["mobile"] == "13912345678"
    assert sections["roles"] == ["challenger"]
    assert sections["email_addresses"] == [
        {"email": "chen.jing@example.cn", "verified": True, "primary": True}]
    assert [m["organisation"] for m in sections["memberships"]] == ["杭州青山新材料有限公司"]
    assert [s["ip_address"] for s in sections["agreement_signatures"]] == ["203.0.113.8"]
    for leak in ("sun.hao@example.cn", "孙浩", "13687654321", "宁波东海装备股份公司",
                 "198.51.100.99", "demand_company"):
        assert leak not in text


def test_download_lists_factors_but_never_their_secrets(client, person):
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    client.force_login(person)

    text = client.get(reverse("accounts:privacy_export")).content.decode()

    assert json.loads(text)["sections"]["two_factor"][0]["type"] == "totp"
    assert secret not in text
    assert "secret" not in text


def test_download_is_audited(client, person):
    client.force_login(person)

    client.get(reverse("accounts:privacy_export"))

    entry = ActivityLog.objects.get(action=privacy.ACTION_EXPORT)
    assert entry.actor == person
    assert entry.object_id == str(person.pk)


def test_registered_exporter_adds_its_section(client, person, other_person, registry_guard):
    privacy.register_exporter("notes", lambda user: {"owner": user.email})
    client.force_login(person)

    data = json.loads(client.get(reverse("accounts:privacy_export")).content)

    assert data["sections"]["notes"] == {"owner": "chen.jing@example.cn"}


def test_register_refuses_a_different_function_under_a_taken_name(registry_guard):
    def first(user):
        return None

    privacy.register_exporter("dup", first)
    privacy.register_exporter("dup", first)  # the same one again: harmless

    with pytest.raises(ImproperlyConfigured):
        privacy.register_exporter("dup", lambda user: None)
    with pytest.raises(ImproperlyConfigured):
        privacy.register_eraser("memberships", lambda user: None)


# --- erasure ----------------------------------------------------------------------------------
def test_delete_page_asks_for_password_and_an_unticked_confirmation(client, person):
    client.force_login(person)

    html = client.get(reverse("accounts:privacy_delete")).content.decode()

    assert 'type="password"' in html
    checkbox = html[html.index('name="confirm"') - 200:html.index('name="confirm"') + 200]
    assert 'type="checkbox"' in checkbox
    assert "checked" not in checkbox


def test_delete_with_wrong_password_changes_nothing(client, person):
    client.force_login(person)

    response = client.post(reverse("accounts:privacy_delete"),
                           {"password": "Not-my-password-1", "confirm": "on"})

    assert response.status_code == 200
    assert "The password is not correct." in response.content.decode()
    person.refresh_from_db()
    assert person.email == "chen.jing@example.cn"
    assert person.is_active
    assert "_auth_user_id" in client.session


def test_delete_without_confirmation_changes_nothing(client, person):
    client.force_login(person)

    response = client.post(reverse("accounts:privacy_delete"), {"password": PASSWORD})

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.is_active


def test_delete_anonymises_the_account_and_keeps_audit_entries(client, person, other_person):
    TOTP.activate(person, generate_totp_secret())
    earlier = log_action("portal.test.something", actor=person, obj=person)
    client.force_login(person)

    response = client.post(reverse("accounts:privacy_delete"),
                           {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    person.refresh_from_db()
    assert person.email == f"deleted-{person.pk}@invalid"
    assert (person.full_name, person.mobile, person.first_name, person.last_name) == ("",) * 4
    assert not person.has_usable_password()
    assert not person.is_active and not person.is_staff and not person.is_superuser
    assert not person.roles.exists()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert not Membership.objects.filter(user=person).exists()
    # Evidence and logs stay, pointing at the anonymous account.
    assert AgreementSignature.objects.filter(user=person).count() == 1
    assert ActivityLog.objects.filter(pk=earlier.pk).exists()
    assert ActivityLog.objects.filter(action=privacy.ACTION_ERASE, actor=person).exists()
    # Nobody else is touched.
    other_person.refresh_from_db()
    assert other_person.email == "sun.hao@example.cn" and other_person.is_active
    assert Membership.objects.filter(user=other_person).count() == 1


def test_erased_account_can_no_longer_sign_in(client, person):
    client.force_login(person)
    client.post(reverse("accounts:privacy_delete"), {"password": PASSWORD, "confirm": "on"})

    for login in ("chen.jing@example.cn", f"deleted-{person.pk}@invalid"):
        client.post(reverse("account_login"), {"login": login, "password": PASSWORD})
        assert "_auth_user_id" not in client.session


def test_other_sessions_of_an_erased_account_end(client, person):
    other_device = type(client)()
    other_device.force_login(person)
    client.force_login(person)

    client.post(reverse("accounts:privacy_delete"), {"password": PASSWORD, "confirm": "on"})

    response = other_device.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_registered_erasers_run_before_the_account_is_anonymised(person, registry_guard):
    seen = []
    privacy.register_eraser("notes", lambda user: seen.append(user.email))

    privacy.erase_user(person)

    assert seen == ["chen.jing@example.cn"]


def test_failing_eraser_rolls_the_whole_erasure_back(person, registry_guard):
    def broken(user):
        raise RuntimeError("storage unavailable")

    privacy.register_eraser("broken", broken)

    with pytest.raises(RuntimeError):
        privacy.erase_user(person)

    person.refresh_from_db()
    assert person.email == "chen.jing@example.cn" and person.is_active
    assert EmailAddress.objects.filter(user=person).exists()
    assert Membership.objects.filter(user=person).exists()


def test_password_guesses_on_the_delete_page_count_towards_lockout(client, person):
    client.force_login(person)
    for _ in range(5):
        client.post(reverse("accounts:privacy_delete"),
                    {"password": "Not-my-password-1", "confirm": "on"})

    response = client.post(reverse("accounts:privacy_delete"),
                           {"password": PASSWORD, "confirm": "on"})

    assert "locked" in response.content.decode()
    person.refresh_from_db()
    assert person.is_active
