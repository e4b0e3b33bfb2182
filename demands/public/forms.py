"""Forms of the public demand pages: the list filters, the access request and the message to the
owner."""

import re

from django import forms
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.regions import region_choices, region_prefix
from common.search import MAX_QUERY_LENGTH
from contests.models import Event, HostUnit, IndustryField

from ..enums import CooperationMode, DemandStatus
from ..services.access import MAX_MESSAGE_LENGTH

REGION_CODE = re.compile(r"\d{6}")

STATE_CHOICES = [
    ("", pgettext_lazy("demand filter", "Open and closed")),
    ("open", pgettext_lazy("demand filter", "Open")),
    ("closed", pgettext_lazy("demand filter", "Closed")),
]


class RegionField(forms.ChoiceField):
    """A province or city from the list, or any other 6-digit GB/T 2260 code (a district
    given in the address bar)."""

    def valid_value(self, value):
        return bool(REGION_CODE.fullmatch(str(value))) or super().valid_value(value)


# Choices change only when staff edit events, host units or fields in admin.
CHOICES_TIMEOUT = 600


def filter_choices(contest):
    """The event, host unit and industry field choices of the contest's list filters, from
    the shared cache (three queries on a miss)."""
    key = f"demands:filter-choices:{contest.pk if contest else 0}"
    choices = cache.get(key)
    if choices is None:
        events = [(event.number, f"{event.number}. {event.name}") for event in
                  (Event.objects.filter(contest=contest).order_by("number") if contest else [])]
        hosts = list(HostUnit.objects.filter(event__contest=contest)
                     .order_by("event__number", "pk").values_list("slug", "name")
                     if contest else [])
        industry_fields = list(IndustryField.objects.order_by("code")
                               .values_list("code", "name"))
        choices = (events, hosts, industry_fields)
        cache.set(key, choices, CHOICES_TIMEOUT)
    return choices


class DemandFilterForm(forms.Form):
    """``GET`` filters of the public list; an invalid value is dropped (with its error shown),
    the others still apply."""

    q = forms.CharField(label=_("Keywords"), required=False, max_length=MAX_QUERY_LENGTH,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("e.g. 电池, 芯片")}))
    event = forms.TypedChoiceField(label=_("Event"), required=False, coerce=int,
                                   empty_value=None)
    host = forms.ChoiceField(label=_("Host unit"), required=False)
    field = forms.ChoiceField(label=_("Industry field"), required=False)
    region = RegionField(label=_("Region"), required=False)
    mode = forms.ChoiceField(label=_("Cooperation mode"), required=False,
                             choices=[("", _("Any"))] + list(CooperationMode.choices))
    state = forms.ChoiceField(label=pgettext_lazy("demand filter", "Status"), required=False,
                              choices=STATE_CHOICES)

    def __init__(self, *args, contest=None, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Any"))]
        events, hosts, industry_fields = filter_choices(contest)
        self.fields["event"].choices = everything + events
        self.fields["host"].choices = everything + hosts
        self.fields["field"].choices = everything + industry_fields
        self.fields["region"].choices = everything + region_choices()

    def clean_q(self):
        return " ".join((self.cleaned_data.get("q") or "").split())

    def filtered(self, queryset, contest=None):
        """Apply every valid filter to ``queryset`` (of public demands); the keyword search
        is left to the caller because it also orders."""
        data = self.cleaned_data if self.is_bound else {}
        if data.get("event") and contest is not None:
            queryset = queryset.filter(host_unit__event__contest=contest,
                                       host_unit__event__number=data["event"])
        if data.get("host"):
            queryset = queryset.filter(host_unit__slug=data["host"])
        if data.get("field"):
            queryset = queryset.filter(industry_field__code=data["field"])
        if data.get("region"):
            queryset = queryset.filter(region__startswith=region_prefix(data["region"]))
        if data.get("mode"):
            queryset = queryset.filter(_has_cooperation_mode(data["mode"]))
        if data.get("state") == "open":
            queryset = queryset.filter(status=DemandStatus.PUBLISHED)
        elif data.get("state") == "closed":
            queryset = queryset.filter(status=DemandStatus.CLOSED)
        return queryset


def _has_cooperation_mode(mode):
    """Stored as a JSON list of codes. PostgreSQL answers ``@>`` with good estimates (so the
    newest matches come from the list's index); elsewhere the code's quoted form is matched,
    which is exact too: the code is one of the choices, letters only."""
    if connection.vendor == "postgresql":
        return Q(cooperation_modes__contains=[mode])
    return Q(cooperation_modes__icontains=f'"{mode}"')


class AccessRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Why you ask (optional)"), required=False, max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say briefly who you are and what you could offer; the owner reads it "
                    "before deciding."),
    )
