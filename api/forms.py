from django import forms
from django.utils.translation import gettext_lazy as _


class ApiKeyForm(forms.Form):
    partner = forms.CharField(label=_("Partner"), max_length=120,
                              help_text=_("The media or technology platform that uses the key."))
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    rate_per_minute = forms.IntegerField(label=_("Requests per minute"), min_value=1,
                                         max_value=100_000, initial=600)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
