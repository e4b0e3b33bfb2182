"""Pages of host registration (contests.registration): apply with the authorisation letter,
Torch staff's review, the administrator's colleagues page, accepting an invitation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import is_torch_staff
from common.errors import DomainError, show_error
from common.forms import ModelChoiceField
from files.enums import FileKind
from files.forms import PrivateFileField
from files.selectors import files_for_object

from . import registration
from .enums import HostApplicationState
from .models import HostMembership, HostUnit


class ApplicationForm(forms.Form):
    host_unit = ModelChoiceField(
        queryset=HostUnit.objects.select_related("event").order_by("event__number", "pk"),
        label=_("Host unit"))
    position = forms.CharField(label=_("Your position"), max_length=100)
    letter = PrivateFileField(kind=FileKind.ATTACHMENT, label=_("Authorisation letter"))
    message = forms.CharField(label=_("Message to the Torch Center"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required to decline; the applicant reads it."))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"),
                             help_text=_("The address of the colleague's portal account."))


@never_cache
@login_required
def apply(request):
    """Apply to join a host unit; the user's own applications and open invitations."""
    form = ApplicationForm(request.POST if request.method == "POST" else None,
                           request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.apply(request.user, request=request, **form.cleaned_data)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, gettext("Your application has been sent to the Torch "
                                              "Center."))
            return redirect("contests:host_apply")
    return render(request, "contests/registration/apply.html", {
        "form": form,
        "applications": registration.applications_visible_to(request.user)
        .filter(user=request.user),
        "invitations": registration.open_invitations_for(request.user),
        "admin_units": HostMembership.objects.filter(user=request.user, is_admin=True)
        .select_related("host_unit"),
    }, status=400 if form.errors else 200)


@require_POST
@login_required
def accept_invitation(request, pk):
    invitation = get_object_or_404(registration.open_invitations_for(request.user), pk=pk)
    try:
        registration.accept(invitation, user=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
        return redirect("contests:host_apply")
    messages.success(request, gettext("You joined the staff of %(unit)s.")
                     % {"unit": invitation.host_unit.name})
    return redirect("contests:organiser_home")


def _require_torch(request):
    if not is_torch_staff(request.user):
        raise Http404


@never_cache
@login_required
def application_list(request):
    _require_torch(request)
    state = request.GET.get("state", HostApplicationState.PENDING)
    if state not in HostApplicationState.values:
        state = HostApplicationState.PENDING
    applications = registration.applications_visible_to(request.user).filter(state=state)
    return render(request, "contests/registration/application_list.html", {
        "applications": applications, "state": state,
        "states": HostApplicationState.choices,
    })


@never_cache
@login_required
def application_detail(request, pk):
    _require_torch(request)
    application = get_object_or_404(registration.applications_visible_to(request.user), pk=pk)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                registration.approve(application, actor=request.user, request=request,
                                     reason=form.cleaned_data["reason"])
                messages.success(request, gettext("Application approved."))
            elif decision == "decline":
                registration.decline(application, actor=request.user, request=request,
                                     reason=form.cleaned_data["reason"])
                messages.success(request, gettext("Application declined."))
            else:
                form.add_error(None, gettext("Choose approve or decline."))
                raise _Invalid
        except DomainError as error:
            show_error(request, error, form)
        except _Invalid:
            pass
        else:
            return redirect("contests:host_applications")
    return render(request, "contests/registration/application_detail.html", {
        "application": application, "form": form,
        "letters": files_for_object(application),
        "transitions": application.transitions.select_related("actor"),
    }, status=400 if form.errors else 200)


class _Invalid(Exception):
    pass


def _admin_unit_or_404(request, slug):
    unit = get_object_or_404(HostUnit, slug=slug)
    if not registration.is_host_admin_of(request.user, unit):
        raise Http404
    return unit


@never_cache
@login_required
def colleagues(request, slug):
    """The administrator's page: the unit's staff, the open invitations, the invite form."""
    unit = _admin_unit_or_404(request, slug)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.invite(unit, actor=request.user, email=form.cleaned_data["email"],
                                request=request)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, gettext("Invitation sent."))
            return redirect("contests:colleagues", slug=slug)
    return render(request, "contests/registration/colleagues.html", {
        "unit": unit, "form": form, "members": registration.colleagues_of(unit),
        "invitations": unit.invitations.filter(accepted_at__isnull=True),
    }, status=400 if form.errors else 200)


@require_POST
@login_required
def remove_colleague(request, slug, pk):
    unit = _admin_unit_or_404(request, slug)
    membership = get_object_or_404(HostMembership.objects.select_related("user", "host_unit"),
                                   pk=pk, host_unit=unit)
    try:
        registration.remove(membership, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, gettext("Colleague removed."))
    return redirect("contests:colleagues", slug=slug)
