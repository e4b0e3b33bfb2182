from django import forms
from django.utils.translation import gettext_lazy as _

from files.enums import FileKind
from files.forms import PrivateFileField


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int,
                                    choices=[(n, str(n)) for n in range(1, 6)])
    comments = forms.CharField(label=_("Comments"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 4}))


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    upload = PrivateFileField(kind=FileKind.ATTACHMENT, label=_("File"), required=False)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = forms.DateTimeField(label=_("Starts at"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place or link"), max_length=300)
