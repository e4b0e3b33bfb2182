"""Privacy notice, data download and account erasure (PIPL); services in accounts.privacy."""

from allauth.account.adapter import get_adapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from . import privacy
from .security import has_totp, lockout_failures, lockout_seconds, requires_mfa


class EraseAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that my account and personal data are erased for "
                           "good and cannot be restored."),
        required=True,
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Through allauth's adapter, so failures count towards the account lockout and a
        # locked account cannot be erased by someone guessing its password.
        if not get_adapter(self.request).reauthenticate(self.user, password):
            raise ValidationError(_("The password is not correct."), code="password_mismatch")
        return password


def privacy_notice(request):
    return render(request, "accounts/privacy_notice.html", {
        "PRIVACY_CONTACT_EMAIL": settings.PRIVACY_CONTACT_EMAIL,
        "PRIVACY_POSTAL_ADDRESS": settings.PRIVACY_POSTAL_ADDRESS,
        "demand_years": settings.RETENTION_DEMAND_YEARS,
        "solution_years": settings.RETENTION_SOLUTION_YEARS,
        "contact_years": settings.RETENTION_CONTACT_YEARS,
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
        "lockout_failures": lockout_failures(),
        "lockout_minutes": lockout_seconds() // 60,
    })


@never_cache
@login_required
def privacy_export(request):
    """The signed-in user's own data as a JSON download."""
    body = privacy.export_user_data_json(request.user, request=request)
    filename = f"personal-data-{request.user.pk}-{timezone.localdate():%Y%m%d}.json"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def privacy_delete(request):
    """Erase the signed-in user's account after they re-enter their password."""
    form = EraseAccountForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        privacy.erase_user(request.user, request=request)
        logout(request)
        messages.success(request, _("Your account has been closed and your personal data "
                                    "erased. Audit records are kept for their legal period."))
        return redirect("home")
    return render(request, "accounts/privacy_delete.html", {"form": form})


def workspace_context(request):
    return {"has_totp": has_totp(request.user), "requires_mfa": requires_mfa(request.user)}


def register_workspace_section():
    """The "privacy and security" card of the workspace dashboard (accounts.workspace)."""
    from .workspace import register_section

    register_section("privacy", "accounts/privacy_workspace_section.html", workspace_context,
                     order=90)
