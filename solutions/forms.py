from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import ModelChoiceField
from demands.enums import CooperationMode
from files.forms import PrivateFileField

from .enums import DECISIONS, TRL, IPStatus, SolutionStatus, Verification
from .models import Solution
from .validators import normalise_patent_number, patent_number_problem


class PatentNumbersField(forms.CharField):
    """One patent number per line, each checked (format and check character)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
        return lines

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        problems = [patent_number_problem(number) for number in value]
        problems = [problem for problem in problems if problem]
        if problems:
            raise ValidationError(problems)

    def clean(self, value):
        numbers = super().clean(value)
        return [normalise_patent_number(number) for number in numbers]


class SolutionForm(forms.ModelForm):
    """The solution in the standard shape, with one promise per indicator of the demand
    (``promise_<id>``, ``verification_<id>``, ``note_<id>``). Nothing is required to save a
    draft but the title; the service says what submitting still needs."""

    organisation = ModelChoiceField(queryset=None, label=_("Answer for"), required=False)
    trl = forms.TypedChoiceField(label=_("Maturity (TRL)"), coerce=int, required=False,
                                 empty_value=None, choices=[("", "—"), *TRL.choices])
    patent_numbers = PatentNumbersField(
        label=_("Patent numbers"), required=False,
        help_text=_("One per line: application numbers with their check character "
                    "(ZL200310102344.5) or publication numbers (CN101234567A)."))
    cooperation_mode = forms.ChoiceField(label=_("Proposed cooperation mode"), required=False)
    attachment = PrivateFileField(kind="attachment", label=_("Add an attachment"),
                                  required=False)

    class Meta:
        model = Solution
        fields = ("title", "summary", "approach", "trl", "ip_status", "patent_numbers",
                  "team_lead", "team_members", "team_institution", "cost", "duration_months",
                  "cooperation_mode")
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "approach": forms.Textarea(attrs={"rows": 8}),
            "team_members": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, demand, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.demand = demand
        self.indicators = list(demand.indicators.all())
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].required = True
            if len(organisations) == 1:
                self.fields["organisation"].initial = organisations[0].pk
        modes = demand.cooperation_modes or []
        self.fields["cooperation_mode"].choices = [("", "—")] + [
            (mode, CooperationMode(mode).label) for mode in modes
            if mode in CooperationMode.values]
        self.fields["ip_status"].choices = IPStatus.choices
        answers = {}
        if self.instance.pk:
            answers = {answer.indicator_id: answer for answer in self.instance.answers.all()}
        for indicator in self.indicators:
            answer = answers.get(indicator.pk)
            target = f"{indicator.target_value} {indicator.unit}".strip()
            self.fields[f"promise_{indicator.pk}"] = forms.CharField(
                label=_("%(name)s (target %(target)s): promised value")
                % {"name": indicator.name, "target": target}, required=False, max_length=100,
                initial=answer.promised_value if answer else "")
            self.fields[f"verification_{indicator.pk}"] = forms.ChoiceField(
                label=_("Verified by"), required=False,
                choices=[("", "—"), *Verification.choices],
                initial=answer.verification if answer else "")
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=_("How it will be verified"), required=False, max_length=300,
                initial=answer.note if answer else "")

    def indicator_fields(self):
        return [(indicator, self[f"promise_{indicator.pk}"], self[f"verification_{indicator.pk}"],
                 self[f"note_{indicator.pk}"]) for indicator in self.indicators]

    def clean(self):
        cleaned = super().clean()
        for indicator in self.indicators:
            promise = (cleaned.get(f"promise_{indicator.pk}") or "").strip()
            if promise and not cleaned.get(f"verification_{indicator.pk}"):
                self.add_error(f"verification_{indicator.pk}",
                               _("Say how the promised value will be verified."))
        return cleaned

    def content(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields
                if name in self.cleaned_data}

    def answers(self):
        result = {}
        for indicator in self.indicators:
            promise = (self.cleaned_data.get(f"promise_{indicator.pk}") or "").strip()
            if promise:
                result[indicator.pk] = {
                    "promised_value": promise,
                    "verification": self.cleaned_data.get(f"verification_{indicator.pk}"),
                    "note": self.cleaned_data.get(f"note_{indicator.pk}") or "",
                }
        return result

    def uploads(self):
        upload = self.cleaned_data.get("attachment")
        return [upload] if upload else []


class DecisionForm(forms.Form):
    to_status = forms.ChoiceField(choices=[(s.value, s.label) for s in DECISIONS])
    reason = forms.CharField(label=_("Reason (the challenger reads it)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + [
                                   (s.value, s.label) for s in SolutionStatus
                                   if s != SolutionStatus.DRAFT])
    trl_min = forms.TypedChoiceField(label=_("Maturity at least"), required=False, coerce=int,
                                     empty_value=None, choices=[("", "—"), *TRL.choices])
    cost_max = forms.DecimalField(label=_("Cost at most (10k yuan)"), required=False,
                                  min_value=0, max_digits=12, decimal_places=2)
    mode = forms.ChoiceField(label=_("Cooperation mode"), required=False,
                             choices=[("", _("All")), *CooperationMode.choices])


class TextForm(forms.Form):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=2000)


class PublishForm(forms.Form):
    question = forms.CharField(label=_("Question as published"),
                               widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    answer = forms.CharField(label=_("Answer as published"),
                             widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
