"""Odd input that once answered 500: a bare word as ``next``, and an id beyond the database's
integer range in a model-choice field. Each now falls back or shows a clear form error."""

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse

from common.forms import ModelChoiceField, ModelMultipleChoiceField
from common.http import safe_next
from contests.models import IndustryField
from demands.enums import DemandStatus
from demands.models import ExpertAssignment
from notifications.models import Notification
from tests.demands.collection import *  # noqa: F403
from tests.factories.contests import IndustryFieldFactory
from tests.factories.notifications import NotificationFactory
from tests.harness.urls import push_url

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("/demands/?page=2", "/demands/?page=2"),
        ("-1", "/default/"),
        ("inbox", "/default/"),
        ("notifications:inbox", "/default/"),
        ("https://evil.example/", "/default/"),
        ("//evil.example/", "/default/"),
        ("/\\evil.example/", "/default/"),
        ("/path\r\nSet-Cookie: x=1", "/default/"),
        ("/\u202eevil", "/default/"),
        ("javascript:alert(1)", "/default/"),
        ("", "/default/"),
    ],
)
def test_safe_next_accepts_only_same_site_paths(value, expected):
    request = RequestFactory().post("/", {"next": value})
    assert safe_next(request, "/default/") == expected


def test_safe_next_reads_return_from_the_query():
    request = RequestFactory().get("/", {"return": "/demands/"})
    assert safe_next(request, "/default/") == "/demands/"


@pytest.mark.parametrize("word", ["-1", "inbox", "0", "notifications:mark_all_read"])
def test_mark_read_with_a_bare_word_as_next_goes_back_to_the_inbox(client, stranger, word):
    notification = NotificationFactory(recipient=stranger)
    client.force_login(stranger)

    read = client.post(
        reverse("notifications:mark_read", kwargs={"pk": notification.pk}), {"next": word}
    )
    read_all = client.post(reverse("notifications:mark_all_read"), {"next": word})

    assert (read.status_code, read["Location"]) == (302, reverse("notifications:inbox"))
    assert (read_all.status_code, read_all["Location"]) == (302, reverse("notifications:inbox"))
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_membership_decide_with_a_bare_word_as_next_is_not_a_500(client, demand_owner):
    from accounts.models import Membership
    from tests.factories.accounts import MembershipFactory, UserFactory

    organisation = Membership.objects.get(user=demand_owner).organisation
    pending = MembershipFactory(
        organisation=organisation, user=UserFactory(), state="pending", role="member"
    )
    client.force_login(demand_owner)

    response = client.post(
        reverse("accounts:membership_decide", kwargs={"pk": pending.pk}),
        {"decision": "approve", "next": "-1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "accounts:organisation_detail", kwargs={"pk": organisation.pk}
    )


@pytest.mark.parametrize(
    "value", [HUGE, "-" + HUGE, "9223372036854775808", "  9223372036854775808  "]
)
def test_model_choice_fields_refuse_ids_out_of_range(db, value):
    IndustryFieldFactory()
    single = ModelChoiceField(queryset=IndustryField.objects.all())
    multiple = ModelMultipleChoiceField(queryset=IndustryField.objects.all())

    with pytest.raises(forms.ValidationError) as one:
        single.clean(value)
    with pytest.raises(forms.ValidationError) as many:
        multiple.clean([value])

    assert one.value.code == many.value.code == "invalid_choice"


def test_model_choice_fields_still_take_a_valid_id(db):
    field = IndustryFieldFactory()
    assert ModelChoiceField(queryset=IndustryField.objects.all()).clean(str(field.pk)) == field
    assert list(
        ModelMultipleChoiceField(queryset=IndustryField.objects.all()).clean([str(field.pk)])
    ) == [field]


def test_subscription_with_an_out_of_range_field_is_a_form_error(client, stranger):
    client.force_login(stranger)
    response = client.post(push_url("subscription_create"), {"fields": [HUGE], "keywords": "电池"})
    assert response.status_code == 200
    assert response.context["form"].errors["fields"]
    assert response.context["form"]["keywords"].value() == "电池"


def test_webhook_with_an_out_of_range_field_is_a_form_error(client, torch_staff):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=torch_staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(torch_staff)
    response = client.post(
        push_url("webhook_create"),
        {"name": "合作方", "url": "https://partner.example.cn/hook", "fields": [HUGE]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["fields"]


def test_assigning_an_out_of_range_expert_is_a_form_error(client, host_organiser, make_demand):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(host_organiser)
    response = client.post(
        reverse("demands:assign_experts", kwargs={"ref": demand.ref}), {"experts": [HUGE]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["experts"]
    assert not ExpertAssignment.objects.exists()
