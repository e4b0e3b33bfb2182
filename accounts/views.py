from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError, show_error
from common.http import safe_next

from . import selectors, services
from .agreements import agreement_status, current_scope
from .enums import AGREEMENT_KINDS, AgreementKind
from .exceptions import DuplicateCreditCode
from .forms import (
    AgreementSignForm,
    OrganisationForm,
    OrganisationSearchForm,
    ProfileForm,
    RolesForm,
)
from .models import Membership, Organisation
from .permissions import can_manage_organisation
from .workspace import render_sections


def apply_language_preference(response, user):
    """Make the user's preferred language the active one from the next request on (the
    cookie Django's set_language view writes). Call it on the response after signing in."""
    if user.language in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language,
                            max_age=settings.LANGUAGE_COOKIE_AGE,
                            path=settings.LANGUAGE_COOKIE_PATH,
                            domain=settings.LANGUAGE_COOKIE_DOMAIN,
                            secure=settings.LANGUAGE_COOKIE_SECURE,
                            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response


# --- workspace --------------------------------------------------------------------------------
@login_required
def dashboard(request):
    return render(request, "accounts/dashboard.html", {"sections": render_sections(request)})


@login_required
def profile_edit(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.update_profile(user, **form.cleaned_data)
            messages.success(request, _("Your profile has been saved."))
            return apply_language_preference(redirect("accounts:dashboard"), user)
    else:
        form = ProfileForm(initial={"full_name": user.full_name, "mobile": user.mobile,
                                    "language": user.language})
    return render(request, "accounts/profile_form.html", {"form": form})


@login_required
def roles_edit(request):
    user = request.user
    if request.method == "POST":
        form = RolesForm(request.POST)
        if form.is_valid():
            try:
                services.set_self_service_roles(user, form.cleaned_data["roles"])
            except DomainError as error:
                show_error(request, error, form)
            else:
                messages.success(request, _("Your roles have been saved."))
                return redirect("accounts:dashboard")
    else:
        form = RolesForm(initial={"roles": [code for code in user.role_codes()]})
    return render(request, "accounts/roles_form.html", {"form": form})


# --- organisations ----------------------------------------------------------------------------
@login_required
def organisation_create(request):
    duplicate = None
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                organisation = services.create_organisation(request.user, **form.cleaned_data)
            except DuplicateCreditCode as error:
                duplicate = error.organisation
                form.add_error("credit_code", str(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s is registered, and you are its "
                                            "administrator.") % {"name": organisation.name})
                return redirect("accounts:organisation_detail", pk=organisation.pk)
    else:
        form = OrganisationForm()
    return render(request, "accounts/organisation_form.html",
                  {"form": form, "duplicate": duplicate})


@login_required
def organisation_join(request):
    if request.method == "POST":
        organisation_id = request.POST.get("organisation", "")
        if not organisation_id.isdigit():
            raise Http404
        organisation = get_object_or_404(Organisation, pk=int(organisation_id))
        try:
            services.request_membership(request.user, organisation)
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Your request to join %(name)s has been sent to its "
                                        "administrators.") % {"name": organisation.name})
        return redirect("accounts:dashboard")
    form = OrganisationSearchForm(request.GET or None)
    results = []
    if form.is_valid():
        results = list(selectors.search_organisations(form.cleaned_data["q"]))
        states = dict(
            Membership.objects.filter(user=request.user, organisation__in=results)
            .values_list("organisation_id", "state")
        )
        for organisation in results:
            organisation.my_state = states.get(organisation.pk)
    return render(request, "accounts/organisation_join.html", {
        "form": form, "results": results, "searched": form.is_bound and form.is_valid()
        and bool(form.cleaned_data["q"]),
    })


@login_required
def organisation_detail(request, pk):
    organisation = get_object_or_404(selectors.organisations_visible_to(request.user), pk=pk)
    may_manage = can_manage_organisation(request.user, organisation)
    return render(request, "accounts/organisation_detail.html", {
        "organisation": organisation,
        "members": selectors.members_of(organisation),
        "pending": selectors.pending_requests_for(organisation) if may_manage else [],
        "may_manage": may_manage,
    })


@login_required
@require_POST
def membership_decide(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"),
                                   pk=pk)
    if not can_manage_organisation(request.user, membership.organisation):
        raise Http404
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            services.approve_membership(membership, request.user)
            messages.success(request, _("%(user)s is now a member of %(name)s.") % {
                "user": membership.user, "name": membership.organisation.name})
        elif decision == "decline":
            services.decline_membership(membership, request.user)
            messages.success(request, _("The request of %(user)s has been declined.")
                             % {"user": membership.user})
        else:
            messages.error(request, _("Choose whether to approve or decline the request."))
    except DomainError as error:
        show_error(request, error)
    except PermissionDenied as error:
        raise Http404 from error
    return redirect(safe_next(request, reverse("accounts:organisation_detail",
                                                kwargs={"pk": membership.organisation_id})))


# --- agreements -------------------------------------------------------------------------------
def _requested_kinds(request):
    valid = {str(kind) for kind in AgreementKind}
    kinds = [kind for kind in request.GET.getlist("kind") if kind in valid]
    return tuple(dict.fromkeys(kinds)) or AGREEMENT_KINDS


@login_required
def agreements_sign(request):
    """Shows the full text of each current agreement still to sign, with one unticked box
    each; signs them all at once and returns to ``next``."""
    scope = current_scope()
    kinds = _requested_kinds(request)
    next_url = safe_next(request, reverse("accounts:signatures"))
    statuses = agreement_status(request.user, scope, kinds)
    to_sign = [status.agreement for status in statuses
               if status.agreement is not None and not status.signed]
    unpublished = [status.kind for status in statuses if status.agreement is None]

    if not to_sign and not unpublished and request.method == "GET":
        return redirect(next_url)

    form = AgreementSignForm(request.POST if request.method == "POST" else None,
                             agreements=to_sign)
    if request.method == "POST" and to_sign and form.is_valid():
        ip = request.META.get("REMOTE_ADDR")
        try:
            with transaction.atomic():
                for agreement in to_sign:
                    services.sign_agreement(request.user, agreement, ip)
        except DomainError as error:
            show_error(request, error)
            return redirect(request.get_full_path())
        messages.success(request, _("Thank you: your signature has been recorded."))
        if unpublished:
            return redirect(request.get_full_path())
        return redirect(next_url)

    return render(request, "accounts/agreements_sign.html", {
        "scope": scope,
        "form": form,
        "items": [(agreement, form.bound_field_for(agreement)) for agreement in to_sign],
        "unpublished": [AgreementKind(kind).label for kind in unpublished],
        "next_url": next_url,
    })


@login_required
def signatures(request):
    scope = current_scope()
    return render(request, "accounts/signatures.html", {
        "scope": scope,
        "statuses": agreement_status(request.user, scope),
        "signatures": selectors.signatures_of(request.user),
    })
