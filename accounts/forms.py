from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import services
from .credit_code import normalise as normalise_credit_code
from .credit_code import validate_credit_code
from .enums import LEGAL_ENTITY_KINDS, SELF_SERVICE_ROLES, OrganisationKind, RoleCode
from .mobile import MobileField

# First two digits of GB/T 2260 codes: provinces, autonomous regions, municipalities, Taiwan,
# Hong Kong and Macao.
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split()
)


def _privacy_url():
    try:
        return reverse("accounts:privacy")
    except NoReverseMatch:
        return None


def _self_service_role_choices():
    return [(str(code), RoleCode(code).label) for code in SELF_SERVICE_ROLES]


class SelfServiceRolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("I take part as"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _(
            "A demand company posts technology demands; a challenger answers them with "
            "solutions. You can choose both, and change this later in your workspace."))
        super().__init__(choices=_self_service_role_choices, **kwargs)


class PortalSignupForm(SignupForm):
    """allauth's sign-up form plus full name, mobile, self-service roles and consent."""

    full_name = forms.CharField(label=_("Full name"), max_length=100,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    mobile = MobileField(help_text=_("Mainland mobile number, 11 digits."))
    roles = SelfServiceRolesField()
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("You must accept the terms of use and the privacy "
                                      "notice to register.")},
    )

    field_order = ["email", "full_name", "mobile", "password1", "password2", "roles", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        privacy_url = _privacy_url()
        if privacy_url:
            self.fields["consent"].label = format_html(
                '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
                _("I have read and accept the terms of use and the"), privacy_url,
                _("privacy notice"),
            )
        else:
            self.fields["consent"].label = _(
                "I have read and accept the terms of use and the privacy notice")
        # Never pre-ticked, whatever initial data says.
        self.initial.pop("consent", None)

    def clean(self):
        cleaned = super().clean()
        # allauth checks the password against a dummy user holding only the e-mail address;
        # check it again against every profile field typed on this form.
        password = cleaned.get("password1")
        if password and not self.has_error("password1"):
            profile = get_user_model()(
                email=cleaned.get("email") or "",
                full_name=cleaned.get("full_name") or "",
                mobile=cleaned.get("mobile") or "",
            )
            try:
                validate_password(password, user=profile)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def custom_signup(self, request, user):
        language = get_language()
        if language not in dict(settings.LANGUAGES):
            language = None
        services.complete_signup(
            user,
            full_name=self.cleaned_data["full_name"],
            mobile=self.cleaned_data["mobile"],
            roles=self.cleaned_data.get("roles") or (),
            language=language,
        )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=100,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    mobile = MobileField()
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class RolesForm(forms.Form):
    roles = SelfServiceRolesField()


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("The full registered name, as on the business licence."))
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices,
                             widget=forms.RadioSelect)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30, required=False,
        help_text=_("18 characters, printed on the business licence. Required for enterprises, "
                    "universities and institutes; teams may leave it empty."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    region = forms.CharField(
        label=_("Region code"), max_length=6, min_length=6,
        help_text=_("6-digit GB/T 2260 code of the place of registration, such as 110108 "
                    "for Haidian, Beijing, or 610100 for Xi'an."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data.get("credit_code"))
        if code:
            validate_credit_code(code)
        return code

    def clean_region(self):
        region = self.cleaned_data["region"].strip()
        if not (region.isdigit() and len(region) == 6):
            raise ValidationError(_("Enter a 6-digit GB/T 2260 region code."), code="format")
        if region[:2] not in PROVINCE_PREFIXES:
            raise ValidationError(
                _("%(code)s is not a GB/T 2260 region code: its first two digits name no "
                  "province."), code="province", params={"code": region})
        return region

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in LEGAL_ENTITY_KINDS and "credit_code" in cleaned and not cleaned["credit_code"]:
            self.add_error("credit_code", ValidationError(
                _("Enterprises, universities and institutes must give their unified social "
                  "credit code."), code="required"))
        return cleaned


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Organisation name or credit code"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class AgreementSignForm(forms.Form):
    """One checkbox per agreement to sign, never ticked in advance."""

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreements = list(agreements)
        for agreement in self.agreements:
            self.fields[self.field_name(agreement)] = forms.BooleanField(
                required=True,
                label=_("I have read and accept “%(title)s” (version %(version)s).")
                % {"title": agreement.title, "version": agreement.version},
                error_messages={"required": _("Tick this box to accept the text above.")},
            )

    @staticmethod
    def field_name(agreement):
        return f"accept_{agreement.pk}"

    def bound_field_for(self, agreement):
        return self[self.field_name(agreement)]
