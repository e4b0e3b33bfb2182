from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import DeliveryMode
from .kinds import kinds_in_order


def field_name(kind_key):
    return "kind__" + kind_key.replace(".", "__")


class PreferencesForm(forms.Form):
    """One choice per notification kind: immediately, in the daily digest, or off. Security
    kinds are shown but cannot be changed."""

    def __init__(self, *args, modes, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds_in_order()
        for kind in self.kinds:
            choices = [(mode.value, mode.label) for mode in kind.modes]
            field = forms.ChoiceField(label=kind.label, choices=choices,
                                      widget=forms.RadioSelect, initial=modes.get(kind.key))
            if kind.security:
                field.disabled = True
                field.help_text = _("Security messages are always sent at once by e-mail and "
                                    "cannot be turned off.")
            self.fields[field_name(kind.key)] = field

    def modes(self):
        """{kind key: mode} of the changeable kinds, after is_valid()."""
        return {kind.key: DeliveryMode(self.cleaned_data[field_name(kind.key)])
                for kind in self.kinds if not kind.security}
