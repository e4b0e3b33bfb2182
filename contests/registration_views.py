"""Pages of host registration (contests.registration): apply with the authorisation letter,
Torch staff's review, the administrator's colleagues page, accepting an invitation (from the
account, or through the e-mailed link, where a person without an account registers)."""

from allauth.account.adapter import get_adapter
from allauth.account.views import SignupView
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
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
                             help_text=_("A link valid for 14 days is e-mailed to this address; "
                                         "a colleague without an account registers with it."))


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
        "invitations": registration.open_invitations_of(unit),
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


@require_POST
@login_required
def revoke_invitation(request, slug, pk):
    unit = _admin_unit_or_404(request, slug)
    invitation = get_object_or_404(registration.open_invitations_of(unit), pk=pk)
    try:
        registration.revoke_invitation(invitation, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, gettext("Invitation revoked."))
    return redirect("contests:colleagues", slug=slug)


# --- the invitation link ----------------------------------------------------------------------
REFUSED_STATUS = {"invalid": 404, "other_email": 403}


def _refused(request, error, invitation=None):
    return render(request, "contests/registration/join_refused.html",
                  {"error": error, "invitation": invitation},
                  status=REFUSED_STATUS.get(error.code, 410))


class InvitedSignupView(SignupView):
    """allauth's sign-up for the invited address: the e-mail field is fixed to it (a disabled
    field: whatever is posted, the invited address is used), the address counts as verified
    (the link proved it), and the new account joins the unit's staff at once."""

    template_name = "contests/registration/join_signup.html"
    invitation = None

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        field = form.fields["email"]
        field.disabled = True
        field.initial = self.invitation.email
        field.help_text = _("The invited address; it cannot be changed here.")
        return form

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation": self.invitation}

    def get_success_url(self):
        return reverse("contests:organiser_home")

    def form_valid(self, form):
        get_adapter(self.request).stash_verified_email(self.request, self.invitation.email)
        response = super().form_valid(form)
        user = getattr(self, "user", None)
        if user is not None and user.pk:
            try:
                registration.accept(self.invitation, user=user, request=self.request)
            except DomainError as error:
                show_error(self.request, error)
            else:
                messages.success(self.request, gettext("You joined the staff of %(unit)s.")
                                 % {"unit": self.invitation.host_unit.name})
        return response


@never_cache
def join(request, token):
    """The e-mailed link: register (no account uses the address), sign in (one does), accept
    (signed in with the address), or a page saying why the link cannot be used."""
    try:
        invitation = registration.invitation_for_token(token)
    except registration.InvitationRefused as error:
        return _refused(request, error)
    user = request.user
    if not user.is_authenticated:
        if not _account_exists(invitation.email):
            return InvitedSignupView.as_view(invitation=invitation)(request)
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "contests/registration/join.html",
                      {"invitation": invitation, "sign_in": True})
    if (user.email or "").lower() != invitation.email.lower():
        return _refused(request, registration.InvitationRefused(
            gettext("This invitation is for another e-mail address. Sign out and open the link "
                    "again, or ask the administrator to invite the address of your account."),
            code="other_email"), invitation)
    if request.method == "POST":
        try:
            registration.accept(invitation, user=user, request=request)
        except registration.InvitationRefused as error:
            return _refused(request, error, invitation)
        messages.success(request, gettext("You joined the staff of %(unit)s.")
                         % {"unit": invitation.host_unit.name})
        return redirect("contests:organiser_home")
    return render(request, "contests/registration/join.html", {"invitation": invitation})


def _account_exists(email):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=email).exists()
