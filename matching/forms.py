"""Forms of the matching pages."""

from django import forms
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from common.forms import ModelChoiceField, ModelMultipleChoiceField
from common.regions import region_choices
from common.search import MAX_QUERY_LENGTH
from contests.models import HostUnit, IndustryField
from demands.enums import CooperationMode

from .enums import CommissionScope, DockingMode, Visibility

ANY = [("", "---------")]


class AchievementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False)
    field = forms.ChoiceField(label=_("Industry field"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    mode = forms.ChoiceField(label=_("Cooperation mode"), required=False,
                             choices=ANY + list(CooperationMode.choices))
    trl = forms.TypedChoiceField(label=_("Maturity at least (TRL)"), required=False,
                                 coerce=int, empty_value=None,
                                 choices=ANY + [(n, str(n)) for n in range(1, 10)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = ANY + list(
            IndustryField.objects.order_by("code").values_list("code", "name"))
        self.fields["region"].choices = ANY + [(code[:2], name) for code, name
                                               in region_choices() if code.endswith("0000")]

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("field"):
            queryset = queryset.filter(industry_field__code=data["field"])
        if data.get("region"):
            queryset = queryset.filter(region__startswith=data["region"])
        if data.get("mode"):
            # JSON list of codes: the quoted code is in its text on every database.
            queryset = queryset.annotate(
                modes_text=Cast("cooperation_modes", TextField())
            ).filter(modes_text__contains=f'"{data["mode"]}"')
        if data.get("trl"):
            queryset = queryset.filter(trl__gte=data["trl"])
        return queryset


class ListField(forms.CharField):
    """Items typed in one box, separated by commas, 、, ；or spaces."""

    def to_python(self, value):
        from .services.library import split_list

        return split_list(super().to_python(value))

    def prepare_value(self, value):
        return "，".join(value) if isinstance(value, list | tuple) else value


class AchievementForm(forms.Form):
    owner = ModelChoiceField(queryset=Organisation.objects.none(), label=_("Holder"))
    title = forms.CharField(label=_("Title"), max_length=120)
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 6}))
    industry_field = ModelChoiceField(queryset=IndustryField.objects.order_by("code"),
                                      label=_("Industry field"))
    keywords = ListField(label=_("Keywords"), required=False,
                         help_text=_("Separated by commas."))
    trl = forms.TypedChoiceField(label=_("Maturity (TRL 1–9)"), coerce=int,
                                 choices=[(n, str(n)) for n in range(1, 10)])
    patent_numbers = ListField(label=_("Patent numbers"), required=False,
                               help_text=_("Such as ZL202010123456.7 or CN112345678A, "
                                           "separated by commas."))
    region = forms.RegexField(label=_("Region code"), regex=r"^\d{6}$",
                              help_text=_("Six digits (GB/T 2260), such as 610100."))
    cooperation_modes = forms.MultipleChoiceField(
        label=_("Cooperation modes offered"), choices=CooperationMode.choices,
        widget=forms.CheckboxSelectMultiple, required=False)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations

    def apply(self, achievement):
        for name, value in self.cleaned_data.items():
            setattr(achievement, name, value)
        return achievement


class InviteForm(forms.Form):
    holder = ModelChoiceField(queryset=Organisation.objects.all(), widget=forms.HiddenInput)
    achievement = forms.IntegerField(required=False, widget=forms.HiddenInput)
    message = forms.CharField(label=_("Message (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    to = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    comment = forms.CharField(required=False, max_length=1000)


class CommissionForm(forms.Form):
    host_unit = ModelChoiceField(queryset=HostUnit.objects.none(), label=_("Host unit"))
    agency = ModelChoiceField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.SERVICE_AGENCY),
        label=_("Service agency"))
    scopes = forms.MultipleChoiceField(label=_("Scope"), choices=CommissionScope.choices,
                                       widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    demands = ModelMultipleChoiceField(queryset=None, label=_("Demands"), required=False)

    def __init__(self, *args, host_units, demands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_unit"].queryset = host_units
        self.fields["demands"].queryset = demands


class AgreementForm(forms.Form):
    partner = ModelChoiceField(queryset=Organisation.objects.none(),
                               label=_("Challenger or holder"))
    cooperation_mode = forms.ChoiceField(label=_("Cooperation mode"),
                                         choices=CooperationMode.choices)
    amount = forms.DecimalField(label=_("Amount (10k yuan)"), min_value=0, max_digits=12,
                                decimal_places=2)
    signed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    signed_file = forms.FileField(label=_("Signed file (private)"), required=False)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class DockingForm(forms.Form):
    host_unit = ModelChoiceField(queryset=HostUnit.objects.none(), label=_("Host unit"))
    title = forms.CharField(label=_("Title"), max_length=120)
    demands = ModelMultipleChoiceField(queryset=None, label=_("Demands"))
    mode = forms.ChoiceField(label=_("Form"), choices=DockingMode.choices)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    link = forms.URLField(label=_("Meeting link"), required=False, assume_scheme="https")
    starts_at = forms.DateTimeField(label=_("Starts at (Beijing time)"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends at (Beijing time)"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    agenda = forms.CharField(label=_("Agenda"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    participants = ModelMultipleChoiceField(queryset=None, label=_("Participants"),
                                            help_text=_("Demand owners, challengers or invited "
                                                        "holders, host staff, experts."))

    def __init__(self, *args, host_units, demands, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_unit"].queryset = host_units
        self.fields["demands"].queryset = demands
        self.fields["participants"].queryset = users


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))


# --- live rounds -------------------------------------------------------------------------------
def _lines(text):
    """'name | number' lines → [(name, int)]; a malformed line is a form error."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.rpartition("|")
        if not sep or not name.strip() or not value.strip().isdigit():
            raise forms.ValidationError(
                _("Line %(number)s: write “name | number”."), params={"number": number})
        rows.append((name.strip(), int(value.strip())))
    return rows


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_at = forms.DateTimeField(label=_("Starts at (Beijing time)"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    link = forms.URLField(label=_("Meeting link"), required=False, assume_scheme="https")
    solutions = ModelMultipleChoiceField(
        queryset=None, label=_("Shortlisted challengers"),
        help_text=_("At least two; they pitch in the order they were submitted."))
    docking_agenda = forms.CharField(
        label=_("Competitive docking: agenda"), widget=forms.Textarea(attrs={"rows": 4}),
        initial="需求方介绍需求 | 10\n挑战方竞争对接问答 | 30",
        help_text=_("One item a line: “item | minutes”, in order."))
    pitch_minutes = forms.IntegerField(
        label=_("On-site pitching: minutes per challenger"), min_value=1, max_value=120,
        initial=10)
    score_min = forms.IntegerField(label=_("Lowest score"), min_value=0, initial=0)
    score_max = forms.IntegerField(label=_("Highest score"), min_value=1, max_value=1000,
                                   initial=100)

    def __init__(self, *args, solutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["solutions"].queryset = solutions
        self.fields["solutions"].label_from_instance = (
            lambda solution: f"{solution.organisation.name} · {solution.title}")

    def clean_docking_agenda(self):
        rows = _lines(self.cleaned_data["docking_agenda"])
        if not rows:
            raise forms.ValidationError(_("Give at least one item."))
        if any(minutes < 1 for _name, minutes in rows):
            raise forms.ValidationError(_("Each item lasts at least a minute."))
        return rows


class CriteriaForm(forms.Form):
    criteria = forms.CharField(
        label=_("Criteria and weights"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One criterion a line: “name | weight”; the weights sum to 100."))

    def clean_criteria(self):
        return _lines(self.cleaned_data["criteria"])


class JudgeForm(forms.Form):
    user = ModelChoiceField(queryset=None, label=_("Judge"))
    kind = forms.ChoiceField(label=_("Kind"), choices=())

    def __init__(self, *args, users, **kwargs):
        from .enums import JudgeKind

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = (
            lambda user: user.get_full_name() or user.email)
        self.fields["kind"].choices = JudgeKind.choices


class UnwantedForm(forms.Form):
    organisations = ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), required=False,
        label=_("Organisations we do not want as judges"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations


class DeclareForm(forms.Form):
    entry = ModelChoiceField(queryset=None, required=False, label=_("Challenger"),
                             empty_label=_("— the whole round (recuse) —"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda entry: entry.organisation.name


class SelectPartnerForm(forms.Form):
    entry = ModelChoiceField(queryset=None, label=_("Selected partner"))

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda entry: entry.organisation.name
