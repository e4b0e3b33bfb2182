"""Forms of the collection side: the demand in the standard format with its indicator rows,
the workflow comment, expert assignment and analysis, and wording proposals."""

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.mobile import MobileField
from accounts.models import Organisation, region_code_validator
from common.concurrency import EditTokenFormMixin
from common.forms import ModelChoiceField, ModelMultipleChoiceField
from contests.models import IndustryField
from files.forms import PrivateFileField

from . import services
from .enums import (
    AnalysisVerdict,
    CooperationMode,
    DemandStatus,
    DemandType,
    HideableField,
    IPOwnership,
    OutcomeForm,
)
from .models import Demand

landline_validator = RegexValidator(
    r"^[0-9()（）\-－ +转]{7,30}$",
    _("Enter a landline number such as 029-88881234 (an extension after 转 or -)."),
)


def _label(name):
    return capfirst(Demand._meta.get_field(name).verbose_name)


def _text(rows=4):
    return forms.Textarea(attrs={"rows": rows})



class KeywordsField(forms.CharField):
    """One to five keywords typed in one field, separated by ，,、; or spaces."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", _("One to five keywords, separated by commas, 、 or "
                                         "spaces."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "、".join(value)
        return value

    def to_python(self, value):
        return services.split_keywords(super().to_python(value))

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(value) > services.MAX_KEYWORDS:
            raise forms.ValidationError(
                _("Enter at most five keywords (you entered %(count)d)."),
                code="too_many", params={"count": len(value)},
            )
        too_long = [word for word in value if len(word) > 20]
        if too_long:
            raise forms.ValidationError(_("A keyword has at most 20 characters: %(words)s"),
                                        code="too_long", params={"words": "、".join(too_long)})


class PassagesField(forms.CharField):
    """Passages to hide, one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        seen = []
        for line in text.splitlines():
            line = line.strip()
            if line and line not in seen:
                seen.append(line)
        return seen


class DemandForm(EditTokenFormMixin, forms.Form):
    """The demand in the standard format.

    ``mode="draft"`` accepts incomplete data (only the title and host unit are required; what
    is typed must still be well-formed); ``mode="full"`` requires everything submitting needs.
    Browsers are not asked to enforce ``required`` so that a draft can always be saved.
    """

    use_required_attribute = False

    organisation = ModelChoiceField(queryset=Organisation.objects.none(),
                                    label=_("Organisation"))
    host_unit = ModelChoiceField(queryset=None, label=_("Host unit"),
                                 help_text=_("The host unit that collects the demand."))
    title = forms.CharField(label=_label("title"), max_length=120)
    industry_field = ModelChoiceField(queryset=IndustryField.objects.order_by("code"),
                                      label=_label("industry_field"))
    demand_type = forms.ChoiceField(label=_label("demand_type"),
                                    choices=[("", "---------"), *DemandType.choices])
    keywords = KeywordsField(label=_label("keywords"))
    current_base = forms.CharField(label=_label("current_base"), widget=_text(),
                                   help_text=_("What the company already has: products, "
                                               "equipment, earlier attempts."))
    key_problem = forms.CharField(label=_label("key_problem"), widget=_text())
    expected_outcome = forms.CharField(label=_label("expected_outcome"), widget=_text())
    outcome_forms = forms.MultipleChoiceField(label=_label("outcome_forms"),
                                              choices=OutcomeForm.choices,
                                              widget=forms.CheckboxSelectMultiple)
    time_requirement = forms.CharField(label=_label("time_requirement"), max_length=200,
                                       help_text=_("For example: a prototype within 12 "
                                                   "months."))
    cooperation_modes = forms.MultipleChoiceField(label=_label("cooperation_modes"),
                                                  choices=CooperationMode.choices,
                                                  widget=forms.CheckboxSelectMultiple)
    ip_ownership = forms.ChoiceField(label=_label("ip_ownership"), choices=IPOwnership.choices,
                                     initial=IPOwnership.NEGOTIABLE)
    challenger_conditions = forms.CharField(label=_label("challenger_conditions"),
                                            widget=_text())
    budget = forms.DecimalField(label=_("Expected investment (10k yuan, 万元)"), min_value=0,
                                max_digits=12, decimal_places=2)
    prize = forms.DecimalField(label=_("Prize offered (10k yuan, 万元)"), min_value=0,
                               max_digits=12, decimal_places=2)
    solution_deadline = forms.DateField(label=_label("solution_deadline"),
                                        widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.CharField(label=_label("region"), max_length=6,
                             validators=[region_code_validator],
                             help_text=_("6-digit GB/T 2260 code, for example 610100 for "
                                         "Xi'an."))
    address = forms.CharField(label=_label("address"), max_length=300)
    contact_person = forms.CharField(label=_label("contact_person"), max_length=50)
    contact_mobile = MobileField(label=_label("contact_mobile"))
    contact_landline = forms.CharField(label=_label("contact_landline"), max_length=30,
                                       validators=[landline_validator])
    contact_email = forms.EmailField(label=_label("contact_email"))
    hidden_fields = forms.MultipleChoiceField(
        label=_("Hide from the public"), choices=HideableField.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Challengers granted access after signing the non-disclosure agreement "
                    "still see them."),
    )
    attachment = PrivateFileField(kind="attachment", label=_("Add an attachment"))
    hidden_passages = PassagesField(
        label=_label("hidden_passages"),
        help_text=_("One passage per line, copied exactly from the text above; each is masked "
                    "on the public pages."),
    )

    # Required to submit; everything else is optional even then.
    SUBMIT_REQUIRED = ("title", "industry_field", "demand_type", "keywords", "key_problem",
                       "expected_outcome", "outcome_forms", "cooperation_modes", "region",
                       "contact_person", "contact_mobile", "contact_email")
    DRAFT_REQUIRED = ("organisation", "host_unit", "title")

    def __init__(self, *args, mode="full", organisations=None, host_units=None, demand=None,
                 **kwargs):
        self.mode = mode
        self.demand = demand
        if demand is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(demand)
        # Co-authors (the company's members, the host staff who entered it) may edit at once:
        # the form carries the version it was opened at (common.concurrency).
        super().__init__(*args, edited=demand, **kwargs)
        if demand is not None:
            # The owner organisation is fixed once the demand exists.
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        self.fields["host_unit"].queryset = host_units
        self.fields["host_unit"].label_from_instance = (
            lambda unit: f"{unit.event.number:02d} {unit.event.name} · {unit.name}"
        )
        required = set(self.DRAFT_REQUIRED)
        if mode == "full":
            required |= set(self.SUBMIT_REQUIRED)
        for name, field in self.fields.items():
            field.required = name in required

    def clean_solution_deadline(self):
        deadline = self.cleaned_data.get("solution_deadline")
        if deadline and self.mode == "full" and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline has already passed."))
        return deadline

    def clean(self):
        cleaned = super().clean()
        passages = cleaned.get("hidden_passages") or []
        if passages and "hidden_passages" not in self.errors:
            texts = [cleaned.get(name) or "" for name in services.FREE_TEXT_FIELDS]
            missing = services.passages_missing(passages, texts)
            if missing:
                self.add_error("hidden_passages", _(
                    "Each hidden passage must occur exactly in the text; not found: %(list)s"
                ) % {"list": "；".join(missing)})
        return cleaned

    def content(self):
        """The cleaned standard-format fields, for ``services.create_demand`` /
        ``update_demand``."""
        return {name: self.cleaned_data.get(name) for name in services.CONTENT_FIELDS
                if name in self.fields}

    def uploads(self):
        upload = self.cleaned_data.get("attachment")
        return [upload] if upload else []


def initial_from(demand):
    initial = {name: getattr(demand, name) for name in services.CONTENT_FIELDS}
    initial["host_unit"] = demand.host_unit_id
    initial["industry_field"] = demand.industry_field_id
    return initial


class IndicatorForm(forms.Form):
    """One row of the indicator table (指标名, 目标值, 单位, 现状值)."""

    use_required_attribute = False

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Indicator"), max_length=100, required=False)
    target_value = forms.CharField(label=_("Target value"), max_length=100, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    current_value = forms.CharField(label=_("Current value"), max_length=100, required=False)

    def __init__(self, *args, mode="full", **kwargs):
        self.mode = mode
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        filled = any(cleaned.get(key) for key in ("name", "target_value", "unit",
                                                  "current_value"))
        if filled and not cleaned.get("name"):
            self.add_error("name", _("Name the indicator."))
        if filled and self.mode == "full" and not cleaned.get("target_value"):
            self.add_error("target_value", _("Give the target value."))
        return cleaned


class BaseIndicatorFormSet(forms.BaseFormSet):
    def __init__(self, *args, mode="full", **kwargs):
        self.mode = mode
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "mode": self.mode}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"),
                         empty_permitted=True, use_required_attribute=False, mode=self.mode,
                         renderer=self.renderer)
        self.add_fields(form, None)
        return form

    def rows(self):
        """The filled, kept rows as dicts for ``services``."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not data.get("name"):
                continue
            rows.append({key: data.get(key) for key in ("id", "name", "target_value", "unit",
                                                        "current_value")})
        return rows

    def clean(self):
        if any(self.errors):
            return
        if self.mode == "full" and not self.rows():
            raise forms.ValidationError(_("Give at least one technical indicator with its "
                                          "target value."))


IndicatorFormSet = forms.formset_factory(IndicatorForm, formset=BaseIndicatorFormSet, extra=2,
                                         can_delete=True, max_num=30, validate_max=True)


def indicator_initial(demand):
    if demand is None:
        return []
    return [{"id": row.pk, "name": row.name, "target_value": row.target_value,
             "unit": row.unit, "current_value": row.current_value}
            for row in demand.indicators.all()]


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class TransitionForm(CommentForm):
    to_status = forms.ChoiceField(choices=DemandStatus.choices, widget=forms.HiddenInput)


class ExpertChoiceField(ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, signed_ids=frozenset(), **kwargs):
        self.signed_ids = signed_ids
        super().__init__(*args, **kwargs)

    def label_from_instance(self, user):
        if user.pk in self.signed_ids:
            return f"{user} <{user.email}>"
        return _("%(name)s <%(email)s> — has not signed the current NDA") % {
            "name": user, "email": user.email}


class AssignExpertsForm(forms.Form):
    experts = ExpertChoiceField(queryset=None, label=_("Experts"))

    def __init__(self, *args, candidates, signed_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = candidates
        self.fields["experts"].signed_ids = signed_ids


class AnalysisForm(forms.Form):
    analysis = forms.CharField(
        label=_("Analysis (梳理分析)"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Is the problem well defined? Which technologies and holders could solve "
                    "it? Are the indicators complete and quantified?"),
    )
    recommendations = forms.CharField(
        label=_("Recommendations (综合建议)"), widget=forms.Textarea(attrs={"rows": 6}),
    )
    verdict = forms.ChoiceField(label=_("Verdict"), choices=AnalysisVerdict.choices,
                                widget=forms.RadioSelect)


class WordingProposalForm(forms.Form):
    """One textarea per rewordable text, prefilled with today's wording."""

    note = forms.CharField(label=_("Note to the owner"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, demand, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for name in services.WORDING_FIELDS:
            current = services.current_wording(demand, name)
            widget = forms.TextInput if name == "title" else forms.Textarea
            fields[name] = forms.CharField(label=_label(name), required=False, initial=current,
                                           widget=widget)
        fields["note"] = self.fields["note"]
        self.fields = fields

    def texts(self):
        return {name: self.cleaned_data.get(name) or "" for name in services.WORDING_FIELDS}


class ManageFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *DemandStatus.choices])
    host_unit = ModelChoiceField(label=_("Host unit"), required=False, queryset=None,
                                 empty_label=_("All my host units"))

    def __init__(self, *args, host_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_unit"].queryset = host_units

