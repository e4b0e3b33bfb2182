from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import ModelChoiceField
from files.enums import FileKind
from files.forms import PrivateFileField


class AwardForm(forms.Form):
    recipient = ModelChoiceField(queryset=None, label=_("Winning challenger"))
    title = forms.CharField(label=_("Award"), max_length=120)
    amount = forms.DecimalField(label=_("Amount (10k yuan)"), min_value=0, max_digits=10,
                                decimal_places=2)
    due_on = forms.DateField(label=_("To be paid by"),
                             widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    paid_amount = forms.DecimalField(label=_("Amount paid (10k yuan)"), min_value=0,
                                     max_digits=10, decimal_places=2)
    proof = forms.FileField(label=_("Proof of payment (private)"))


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=60)
    kind = forms.ChoiceField(label=_("Contract type"), choices=())
    amount = forms.DecimalField(label=_("Amount (10k yuan)"), min_value=0, max_digits=12,
                                decimal_places=2)
    signed_on = forms.DateField(label=_("Signed on"),
                                widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from .enums import ContractKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ContractKind.choices


class FlagForm(forms.Form):
    priority = forms.BooleanField(label=_("Priority in local S&T programmes"), required=False)
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ServiceForm(forms.Form):
    host_unit = ModelChoiceField(queryset=None, label=_("Host unit"))
    kind = forms.ChoiceField(label=_("Service"), choices=())
    description = forms.CharField(label=_("What is needed"),
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, host_units, **kwargs):
        from .enums import ServiceKind

        super().__init__(*args, **kwargs)
        self.fields["host_unit"].queryset = host_units
        self.fields["kind"].choices = ServiceKind.choices


class AssignForm(forms.Form):
    provider = ModelChoiceField(queryset=None, label=_("Provider"))

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int,
                                    choices=[(n, "★" * n) for n in range(5, 0, -1)])
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    contract_value = forms.DecimalField(label=_("Contract value realised (10k yuan)"),
                                        min_value=0, max_digits=12, decimal_places=2)
    patents_filed = forms.IntegerField(label=_("Patents filed"), min_value=0)
    products_launched = forms.IntegerField(label=_("Products launched"), min_value=0)
    jobs_created = forms.IntegerField(label=_("Jobs created"), min_value=0)
    progress = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationForm(forms.Form):
    evaluation = forms.CharField(label=_("Effect evaluation"),
                                 widget=forms.Textarea(attrs={"rows": 3}))


# --- subsidies ----------------------------------------------------------------------------------
MAX_SUPPORTING_FILES = 5


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SupportingFilesField(PrivateFileField):
    """Up to five private supporting files, each validated like any private file."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(kind=FileKind.ATTACHMENT, widget=_MultipleFileInput, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if len(data) > MAX_SUPPORTING_FILES:
                raise forms.ValidationError(
                    _("At most %(count)s files at a time.") % {"count": MAX_SUPPORTING_FILES})
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PolicyForm(forms.Form):
    title = forms.CharField(label=_("Policy"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    max_amount = forms.DecimalField(label=_("Maximum amount (10k yuan)"), min_value=0,
                                    max_digits=10, decimal_places=2)
    eligibility = forms.CharField(label=_("Who may apply"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    opens_on = forms.DateField(label=_("Open from"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Open until"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    from_work_plan = forms.BooleanField(label=_("From the unit's work plan"), required=False,
                                        help_text=_("The policy is one of the local support "
                                                    "policies of the unit's work plan."))

    def __init__(self, *args, has_work_plan=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_work_plan:
            del self.fields["from_work_plan"]


class SubsidyApplicationForm(forms.Form):
    agreement = ModelChoiceField(queryset=None, label=_("Matched demand"),
                                 help_text=_("The confirmed intention agreement the subsidy "
                                             "is asked for."))
    amount = forms.DecimalField(label=_("Amount asked (10k yuan)"), min_value=0, max_digits=10,
                                decimal_places=2)
    justification = forms.CharField(label=_("Justification"), max_length=10000,
                                    widget=forms.Textarea(attrs={"rows": 6}))
    files = SupportingFilesField(label=_("Supporting files (private)"))

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["agreement"].label_from_instance = lambda agreement: (
            f"{agreement.demand.ref} · {agreement.demand.title} × {agreement.partner.name}")


class ApproveSubsidyForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount approved (10k yuan)"), min_value=0,
                                max_digits=10, decimal_places=2)
    reason = forms.CharField(label=_("Note to the applicant"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DeclineSubsidyForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))
