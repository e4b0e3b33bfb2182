import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.agreements import (
    current_agreement,
    has_signed_current,
    missing_agreements,
    sign_url,
)
from accounts.exceptions import AccountsError
from accounts.models import Agreement, AgreementSignature
from audit.models import ActivityLog
from tests.factories.accounts import AgreementFactory, UserFactory, sign_current_agreements
from tests.factories.contests import ContestFactory

SIGN = reverse("accounts:agreements_sign")


@pytest.fixture(autouse=True)
def gated_urls(settings):
    settings.ROOT_URLCONF = "tests.accounts.gated_urls"


@pytest.fixture
def nda(contest):
    return AgreementFactory(scope=contest, kind="nda", version=1, title="保密协议（第1版）",
                            body="参赛各方对获知的需求细节负有保密义务。")


@pytest.fixture
def disclaimer(contest):
    return AgreementFactory(scope=contest, kind="disclaimer", version=1,
                            title="免责声明（第1版）", body="平台不对合作结果承担责任。")


@pytest.fixture
def challenger_client(client, login_as, challenger):
    login_as(challenger)
    return client


def sign_form(agreements):
    return {f"accept_{agreement.pk}": "on" for agreement in agreements}


# --- selectors --------------------------------------------------------------------------------
def test_current_agreement_is_highest_published_version(contest):
    AgreementFactory(scope=contest, kind="nda", version=1)
    second = AgreementFactory(scope=contest, kind="nda", version=2)
    AgreementFactory(scope=contest, kind="nda", version=3, published_at=None)  # draft
    AgreementFactory(scope=ContestFactory(edition=7, year=2022, is_current=False), kind="nda",
                     version=9)

    assert current_agreement(contest, "nda") == second
    assert current_agreement(contest, "disclaimer") is None


def test_has_signed_current_needs_every_kind(contest, nda, disclaimer, challenger):
    services.sign_agreement(challenger, nda, "203.0.113.9")

    assert has_signed_current(challenger, contest, ["nda"]) is True
    assert has_signed_current(challenger, contest) is False
    assert missing_agreements(challenger, contest) == [disclaimer]


def test_has_signed_current_false_when_kind_never_published(contest, nda, challenger):
    services.sign_agreement(challenger, nda, "203.0.113.9")

    # The gate fails closed: no disclaimer exists, so nothing proves it was accepted.
    assert has_signed_current(challenger, contest) is False
    assert missing_agreements(challenger, contest) == []


def test_has_signed_current_false_without_contest_or_user(nda, challenger):
    assert has_signed_current(challenger, None) is False
    assert has_signed_current(None, nda.scope) is False


# --- signing ----------------------------------------------------------------------------------
def test_signature_records_ip_hash_and_version(contest, nda, challenger):
    signature = services.sign_agreement(challenger, nda, "203.0.113.9")

    signature.refresh_from_db()
    assert signature.ip_address == "203.0.113.9"
    assert signature.text_hash == hashlib.sha256(nda.body.encode("utf-8")).hexdigest()
    assert signature.agreement.version == 1
    entry = ActivityLog.objects.get(action="portal.agreement.sign")
    assert entry.actor == challenger


def test_signing_twice_keeps_first_signature(contest, nda, challenger):
    first = services.sign_agreement(challenger, nda, "203.0.113.9")
    second = services.sign_agreement(challenger, nda, "198.51.100.1")

    assert first.pk == second.pk
    assert AgreementSignature.objects.get().ip_address == "203.0.113.9"


def test_signing_outdated_or_draft_version_refused(contest, nda, challenger):
    AgreementFactory(scope=contest, kind="nda", version=2)
    draft = AgreementFactory(scope=contest, kind="disclaimer", version=1, published_at=None)

    with pytest.raises(AccountsError):
        services.sign_agreement(challenger, nda, "203.0.113.9")
    with pytest.raises(AccountsError):
        services.sign_agreement(challenger, draft, "203.0.113.9")
    assert not AgreementSignature.objects.exists()


def test_invalid_ip_is_stored_as_unknown(contest, nda, challenger):
    signature = services.sign_agreement(challenger, nda, "not-an-ip")

    assert signature.ip_address is None


# --- the gate ---------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/gated/secret/", "/gated/class/"])
def test_gate_redirects_anonymous_to_login(client, contest, nda, disclaimer, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("path", ["/gated/secret/?page=2", "/gated/class/?page=2"])
def test_gate_redirects_to_sign_page_with_next(challenger_client, contest, nda, disclaimer,
                                               path):
    response = challenger_client.get(path)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == SIGN
    assert parse_qs(location.query)["next"] == [path]


def test_gate_sign_and_return_to_next(challenger_client, challenger, contest, nda, disclaimer):
    redirect = challenger_client.get("/gated/secret/?page=2")["Location"]

    page = challenger_client.get(redirect)
    html = page.content.decode()
    assert nda.body in html and disclaimer.body in html
    # Never pre-ticked.
    assert "checked" not in html
    response = challenger_client.post(redirect, sign_form([nda, disclaimer]),
                                      REMOTE_ADDR="198.51.100.23")

    assert response.status_code == 302
    assert response["Location"] == "/gated/secret/?page=2"
    assert challenger_client.get("/gated/secret/?page=2").content == b"hidden demand details"
    signatures = AgreementSignature.objects.filter(user=challenger)
    assert {(s.agreement_id, s.ip_address) for s in signatures} == {
        (nda.pk, "198.51.100.23"), (disclaimer.pk, "198.51.100.23")}


def test_gate_sign_page_unticked_box_signs_nothing(challenger_client, contest, nda, disclaimer):
    redirect = challenger_client.get("/gated/secret/")["Location"]

    response = challenger_client.post(redirect, {f"accept_{nda.pk}": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors[f"accept_{disclaimer.pk}"]
    assert not AgreementSignature.objects.exists()


def test_gate_nda_only_view_asks_for_nda_only(challenger_client, contest, nda, disclaimer):
    redirect = challenger_client.get("/gated/nda/")["Location"]
    assert parse_qs(urlsplit(redirect).query)["kind"] == ["nda"]

    page = challenger_client.get(redirect)
    assert disclaimer.body not in page.content.decode()
    challenger_client.post(redirect, sign_form([nda]))

    assert challenger_client.get("/gated/nda/").content == b"expert analysis"
    assert challenger_client.get("/gated/secret/").status_code == 302


def test_new_version_requires_signing_again(challenger_client, challenger, contest, nda,
                                            disclaimer, torch_staff):
    sign_current_agreements(challenger, contest)
    assert challenger_client.get("/gated/secret/").status_code == 200

    nda2 = services.create_agreement_version(contest, "nda", title="保密协议（第2版）",
                                             body="新增：不得复制演示材料。", actor=torch_staff)
    assert challenger_client.get("/gated/secret/").status_code == 200  # a draft changes nothing
    services.publish_agreement(nda2, actor=torch_staff)

    response = challenger_client.get("/gated/secret/")
    assert response.status_code == 302
    page = challenger_client.get(response["Location"])
    assert "新增：不得复制演示材料。" in page.content.decode()
    assert nda.body not in page.content.decode()  # the signed disclaimer is not asked again
    challenger_client.post(response["Location"], sign_form([nda2]))
    assert challenger_client.get("/gated/secret/").status_code == 200
    assert nda2.version == 2


def test_gate_unsafe_next_is_ignored(challenger_client, contest, nda, disclaimer):
    url = f"{SIGN}?next=https://evil.example.com/steal"

    response = challenger_client.post(url, sign_form([nda, disclaimer]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signatures")


def test_gate_htmx_request_gets_client_redirect(challenger_client, contest, nda, disclaimer):
    response = challenger_client.get("/gated/secret/", HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"].startswith(SIGN)


def test_gate_closed_while_kind_unpublished(challenger_client, challenger, contest, nda):
    services.sign_agreement(challenger, nda, "203.0.113.9")

    redirect = challenger_client.get("/gated/secret/")["Location"]
    page = challenger_client.get(redirect)

    assert page.status_code == 200
    assert page.context["unpublished"]
    assert challenger_client.get("/gated/secret/").status_code == 302


def test_sign_page_already_signed_returns_to_next(challenger_client, challenger, contest):
    sign_current_agreements(challenger, contest)

    response = challenger_client.get(sign_url("/gated/secret/"))

    assert response.status_code == 302
    assert response["Location"] == "/gated/secret/"


def test_sign_page_does_not_sign_version_published_after_page_was_shown(
        challenger_client, challenger, contest, nda, disclaimer, torch_staff):
    redirect = challenger_client.get("/gated/secret/")["Location"]
    shown = sign_form([nda, disclaimer])
    nda2 = AgreementFactory(scope=contest, kind="nda", version=2, published_at=timezone.now())

    response = challenger_client.post(redirect, shown)

    assert response.status_code == 200
    assert not AgreementSignature.objects.filter(agreement=nda2).exists()
    assert not AgreementSignature.objects.filter(agreement=nda).exists()


# --- list of signatures -----------------------------------------------------------------------
def test_signatures_page_lists_own_signatures_only(client, login_as, contest, nda, disclaimer,
                                                   challenger):
    services.sign_agreement(challenger, nda, "203.0.113.9")
    other = UserFactory()
    services.sign_agreement(other, disclaimer, "203.0.113.10")
    login_as(challenger)

    response = client.get(reverse("accounts:signatures"))

    assert [s.agreement for s in response.context["signatures"]] == [nda]


def test_signatures_page_query_count_does_not_grow(client, login_as, contest, challenger,
                                                   django_assert_num_queries):
    login_as(challenger)
    agreements = [AgreementFactory(scope=contest, kind="nda", version=n) for n in (1, 2, 3)]
    AgreementSignature.objects.create(user=challenger, agreement=agreements[0],
                                      text_hash=agreements[0].text_hash)
    client.get(reverse("accounts:signatures"))  # warm the session and the site cache

    # One of them loads the signed versions' scopes (contests), whatever their number.
    with django_assert_num_queries(5):
        client.get(reverse("accounts:signatures"))
    for agreement in agreements[1:]:
        AgreementSignature.objects.create(user=challenger, agreement=agreement,
                                          text_hash=agreement.text_hash)
    with django_assert_num_queries(5):
        client.get(reverse("accounts:signatures"))


def test_a_contest_with_agreement_versions_is_never_deleted(contest, nda):
    from django.db import transaction
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        contest.delete()
    assert Agreement.objects.for_scope(contest).get() == nda
