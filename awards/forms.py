from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import ModelChoiceField


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
