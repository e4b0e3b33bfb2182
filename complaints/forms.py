from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import ModelChoiceField
from common.references import complaint_targets
from contests.models import HostUnit
from files.enums import FileKind
from files.forms import PrivateFileField

from .enums import ComplaintCategory

MAX_EVIDENCE = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(PrivateFileField):
    """Several evidence files, each validated like any private file."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(kind=FileKind.ATTACHMENT, widget=MultipleFileInput, **kwargs)
        self.widget.attrs.setdefault("accept", self.widget.attrs.get("accept", ""))

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if len(data) > MAX_EVIDENCE:
                raise forms.ValidationError(
                    _("At most %(count)s files at a time.") % {"count": MAX_EVIDENCE})
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ComplaintForm(forms.Form):
    target_key = forms.ChoiceField(label=_("What is the complaint about?"))
    reference = forms.CharField(label=_("Which one"), max_length=100,
                                help_text=_("A number or reference, as shown on its page."))
    host_unit = ModelChoiceField(
        queryset=HostUnit.objects.select_related("event").order_by("event__number", "pk"),
        required=False, label=_("In which host unit's event"),
        help_text=_("Needed for a complaint about another participant."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=ComplaintCategory.choices)
    description = forms.CharField(label=_("What happened"), max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 8}))
    anonymous = forms.BooleanField(
        label=_("Keep my name from the party I complain about"), required=False,
        help_text=_("The staff handling the case still see who you are."),
    )
    evidence = EvidenceField(label=_("Evidence files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_key"].choices = [(t.key, t.label) for t in complaint_targets()]


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=10000)


class AdditionForm(TextForm):
    evidence = EvidenceField(label=_("More evidence"))


class DecisionForm(forms.Form):
    to = forms.ChoiceField(choices=[("accepted", _("Accept")), ("declined", _("Decline")),
                                    ("investigating", _("Start the investigation")),
                                    ("resolved", _("Resolve")), ("withdrawn", _("Withdraw"))])
    reason = forms.CharField(label=_("Reason or outcome"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class FeedbackForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with the outcome?"), coerce=lambda value: value == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect,
    )
    feedback = forms.CharField(label=_("Your feedback"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class ReviewerForm(forms.Form):
    reviewer = ModelChoiceField(queryset=None, label=_("Reviewer"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = candidates


class DisputeForm(forms.Form):
    host_unit = ModelChoiceField(
        queryset=HostUnit.objects.select_related("event").order_by("event__number", "pk"),
        label=_("Host unit"), help_text=_("The host unit whose staff mediate."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    other_party_email = forms.EmailField(label=_("E-mail of the other party's account"))
    position = forms.CharField(label=_("Your position"), widget=forms.Textarea(attrs={"rows": 6}),
                               max_length=10000)


class MediationForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("What was discussed and agreed"),
                           widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class DisputeCloseForm(forms.Form):
    settled = forms.TypedChoiceField(label=_("Result"), coerce=lambda value: value == "yes",
                                     choices=[("yes", _("Settled")), ("no", _("Not settled"))])
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=10000)
