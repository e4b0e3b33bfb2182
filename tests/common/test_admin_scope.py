"""Admin lists what the pages list: per persona and per host-scoped model (tests/admin_scopes.py),
the primary keys of the admin changelist are exactly those of the pages' selector; every other
admin model is Torch staff's only; a company's draft and its attachments stay its own in admin
for host organisers and Torch staff alike; a row outside the user's queryset answers 404."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from common.admin_scope import SelectorScopedAdminMixin, selector_of
from demands.models import Demand
from files.models import PrivateFile
from tests.admin_scopes import ADMIN_SCOPES
from tests.contests.conftest import sign_in
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.contests import HostMembershipFactory
from tests.factories.demands import DemandFactory
from tests.factories.files import PrivateFileFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "host_of_a",
    "host_of_b",
    "torch_staff",
    "superuser",
    "plain_staff",
    "host_of_a_and_company_member",
]


def url(model, action, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


@pytest.fixture
def personas(host_unit, other_host_unit, host_organiser, other_host_organiser, torch_staff):
    both = HostMembershipFactory(host_unit=host_unit).user
    company = MembershipFactory(user=both).organisation
    # the company's own draft, filed at the unit its member works for
    DemandFactory(host_unit=host_unit, organisation=company, status="draft")
    return {
        "host_of_a": host_organiser,
        "host_of_b": other_host_organiser,
        "torch_staff": torch_staff,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "plain_staff": UserFactory(is_staff=True),
        "host_of_a_and_company_member": both,
    }


def changelist_pks(user, model):
    response = sign_in(Client(), user).get(url(model, "changelist"))
    assert response.status_code in (200, 403)
    if response.status_code == 403:
        return set()
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("scope", ADMIN_SCOPES, ids=str)
def test_admin_changelist_lists_what_the_pages_selector_returns(
    scope, persona, personas, host_unit, other_host_unit
):
    scope.make_rows(host_unit)
    scope.make_rows(other_host_unit)
    user = personas[persona]

    listed = changelist_pks(user, scope.model)

    expected = set(scope.selector(user).values_list("pk", flat=True))
    if scope.audience is not None and not scope.audience(user):
        expected = set()
    assert listed == expected
    # the data could leak: somebody's selector hides rows that exist
    assert scope.model.objects.count() > 0


@pytest.mark.parametrize("scope", ADMIN_SCOPES, ids=str)
def test_every_scoped_model_admin_lists_from_a_selector(scope):
    model_admin = admin.site._registry[scope.model]

    assert isinstance(model_admin, SelectorScopedAdminMixin)
    assert selector_of(model_admin) is not None


def test_every_other_admin_model_is_for_torch_staff_only(rf, personas):
    scoped = {scope.model for scope in ADMIN_SCOPES}
    reference = {
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SelectorScopedAdminMixin) and selector_of(model_admin) is None
    }
    for model, model_admin in admin.site._registry.items():
        if model in scoped or model in reference:
            continue
        for persona in ("host_of_a", "plain_staff", "host_of_a_and_company_member"):
            request = rf.get("/")
            request.user = personas[persona]
            assert not model_admin.has_module_permission(request), (model, persona)
            assert not model_admin.has_view_permission(request), (model, persona)


# --- a company's draft ------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["host_of_a", "torch_staff", "superuser"])
def test_draft_is_not_in_admin_for_host_or_torch(persona, personas, host_unit):
    draft = DemandFactory(host_unit=host_unit, status="draft", contact_mobile="13912345678")
    attachment = PrivateFileFactory(attach_to=draft, name="草稿附件.pdf")
    client = sign_in(Client(), personas[persona])

    listing = client.get(url(Demand, "changelist"))
    files = client.get(url(PrivateFile, "changelist"))

    assert draft not in listing.context["cl"].queryset
    for page in ("change", "history"):
        response = client.get(url(Demand, page, draft.pk))
        assert response.status_code == 404
        assert "13912345678" not in response.content.decode()
    assert files.status_code == 403 or attachment not in files.context["cl"].queryset
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert client.get(reverse("demands:manage_detail", args=[draft.ref])).status_code == 404


def test_submitted_demand_and_its_attachment_are_open_to_torch(torch_staff, host_unit):
    demand = DemandFactory(host_unit=host_unit, status="submitted")
    attachment = PrivateFileFactory(attach_to=demand)
    client = sign_in(Client(), torch_staff)

    assert client.get(url(Demand, "change", demand.pk)).status_code == 200
    assert attachment in client.get(url(PrivateFile, "changelist")).context["cl"].queryset
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_draft_stays_with_its_company(demand_owner, host_unit):
    organisation = demand_owner.memberships.get().organisation
    draft = DemandFactory(host_unit=host_unit, organisation=organisation, status="draft")
    attachment = PrivateFileFactory(attach_to=draft, uploaded_by=UserFactory())
    client = Client()
    client.force_login(demand_owner)

    assert client.get(reverse("demands:manage_detail", args=[draft.ref])).status_code == 200
    assert client.get(attachment.get_absolute_url()).status_code == 200


# --- another unit's rows ----------------------------------------------------------------------
@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_host_gets_404_on_another_units_demand(page, other_host_organiser, host_unit):
    demand = DemandFactory(host_unit=host_unit, status="submitted")

    response = sign_in(Client(), other_host_organiser).get(url(Demand, page, demand.pk))

    assert response.status_code == 404
    assert Demand.objects.filter(pk=demand.pk).exists()


@pytest.mark.parametrize("page", ["change", "history"])
def test_host_gets_404_on_an_untied_organisation(page, host_organiser, other_host_unit):
    organisation = DemandFactory(host_unit=other_host_unit, status="submitted").organisation

    response = sign_in(Client(), host_organiser).get(url(type(organisation), page, organisation.pk))

    assert response.status_code == 404
    assert organisation.name not in response.content.decode()


# --- verifying organisations ------------------------------------------------------------------
def test_host_cannot_verify_an_organisation_outside_its_scope(host_organiser, other_host_unit):
    theirs = DemandFactory(
        host_unit=other_host_unit, status="submitted", organisation__verified=False
    ).organisation
    draft_only = DemandFactory(
        host_unit=other_host_unit, status="draft", organisation__verified=False
    ).organisation
    stranger_org = OrganisationFactory(verified=False)
    client = sign_in(Client(), host_organiser)

    client.post(
        url(type(theirs), "changelist"),
        {"action": "verify", "_selected_action": [theirs.pk, draft_only.pk, stranger_org.pk]},
    )
    for organisation in (theirs, draft_only, stranger_org):
        with pytest.raises(PermissionDenied):
            account_services.verify_organisation(organisation, host_organiser)

    for organisation in (theirs, draft_only, stranger_org):
        organisation.refresh_from_db()
        assert (organisation.verified, organisation.verified_by) == (False, None)


def test_host_cannot_verify_for_a_companys_draft_at_its_own_unit(host_organiser, host_unit):
    organisation = DemandFactory(
        host_unit=host_unit, status="draft", organisation__verified=False
    ).organisation

    with pytest.raises(PermissionDenied):
        account_services.verify_organisation(organisation, host_organiser)

    organisation.refresh_from_db()
    assert organisation.verified is False


def test_host_verifies_an_organisation_tied_to_its_unit(host_organiser, host_unit):
    organisation = DemandFactory(
        host_unit=host_unit, status="submitted", organisation__verified=False
    ).organisation

    assert account_services.verify_organisation(organisation, host_organiser) is True
    organisation.refresh_from_db()
    assert organisation.verified_by == host_organiser


def test_torch_verifies_any_organisation(torch_staff):
    organisation = OrganisationFactory(verified=False)

    assert account_services.verify_organisation(organisation, torch_staff) is True


# --- choices and filters ----------------------------------------------------------------------
def test_choice_fields_offer_only_the_related_admins_rows(rf, torch_staff, host_unit):
    from contests.models import WorkPlan

    request = rf.get("/")
    request.user = torch_staff
    model_admin = admin.site._registry[WorkPlan]
    field = model_admin.formfield_for_foreignkey(WorkPlan._meta.get_field("host_unit"), request)

    assert set(field.queryset) == set(admin.site._registry[type(host_unit)].get_queryset(request))
