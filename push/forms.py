from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.forms import ModelMultipleChoiceField
from common.regions import LOCALITIES, PROVINCES
from contests.models import IndustryField
from notifications.kinds import get_kind

from . import webhooks
from .matching import KIND
from .models import Webhook
from .subscriptions import (
    SubscriptionError,
    clean_keywords,
    clean_regions,
    split_keywords,
)

KNOWN_REGIONS = {**PROVINCES, **LOCALITIES}


def region_choices():
    return [
        (_("Provinces"), [(code, f"{name} ({code})") for code, name in sorted(PROVINCES.items())]),
        (_("Cities and districts"),
         [(code, f"{name} ({code})") for code, name in sorted(LOCALITIES.items())]),
    ]


class SubscriptionForm(forms.Form):
    """What one subscription follows. The lists are cleaned by the same functions the service
    uses, so an error shows next to its field and everything typed stays."""

    name = forms.CharField(
        label=pgettext_lazy("subscription", "Name"), max_length=80, required=False,
        help_text=_("Optional, to tell your subscriptions apart."))
    fields = ModelMultipleChoiceField(
        label=_("Industry fields"), queryset=IndustryField.objects.order_by("code"),
        required=False, widget=forms.CheckboxSelectMultiple)
    regions = forms.MultipleChoiceField(
        label=_("Regions"), choices=region_choices, required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("A province includes all its cities, a city all its districts. Hold Ctrl "
                    "(⌘ on a Mac) to choose several."))
    other_regions = forms.CharField(
        label=_("Other region codes"), required=False, max_length=300,
        help_text=_("6-digit GB/T 2260 codes not in the list, separated by commas, e.g. "
                    "320583."))
    keywords = forms.CharField(
        label=_("Keywords"), required=False, max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by commas, up to 10. A demand matches when its public text "
                    "contains a keyword."))

    def __init__(self, *args, subscription=None, **kwargs):
        if subscription is not None and not kwargs.get("data") and not args:
            listed = [code for code in subscription.regions if code in KNOWN_REGIONS]
            other = [code for code in subscription.regions if code not in KNOWN_REGIONS]
            kwargs["initial"] = {
                "name": subscription.name,
                "fields": list(subscription.fields.all()),
                "regions": listed,
                "other_regions": ", ".join(other),
                "keywords": "，".join(subscription.keywords),
            }
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        codes = list(cleaned.get("regions") or []) + [
            part.strip() for part in (cleaned.get("other_regions") or "").replace("，", ",")
            .split(",") if part.strip()]
        try:
            cleaned["region_codes"] = clean_regions(codes)
        except SubscriptionError as error:
            # Listed codes are always valid; only typed ones can be wrong.
            self.add_error("other_regions", error.message)
        try:
            cleaned["keyword_list"] = clean_keywords(split_keywords(cleaned.get("keywords")))
        except SubscriptionError as error:
            self.add_error("keywords", error.message)
        if not self.errors and not (cleaned.get("fields") or cleaned.get("region_codes")
                                    or cleaned.get("keyword_list")):
            raise forms.ValidationError(
                _("Choose at least one industry field, region or keyword."))
        return cleaned

    def service_arguments(self):
        return {"name": self.cleaned_data.get("name", ""),
                "fields": list(self.cleaned_data.get("fields") or []),
                "regions": self.cleaned_data["region_codes"],
                "keywords": self.cleaned_data["keyword_list"]}


class DeliveryForm(forms.Form):
    """How new demands reach the user: the preference of the ``demand.published`` kind."""

    mode = forms.ChoiceField(label=_("How you receive new demands"),
                             widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(mode.value, mode.label) for mode in get_kind(KIND).modes]


class WebhookForm(forms.ModelForm):
    """A partner's endpoint; the URL is checked against the SSRF rules here and again by the
    service."""

    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https",
                         help_text=_("HTTPS address that receives a POST for each event."))

    class Meta:
        model = Webhook
        fields = ["name", "url", "fields"]
        widgets = {"fields": forms.CheckboxSelectMultiple}
        field_classes = {"fields": ModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].queryset = IndustryField.objects.order_by("code")

    def clean_url(self):
        url = self.cleaned_data["url"]
        webhooks.check_url(url)
        return url
