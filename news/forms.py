from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from common.forms import ModelChoiceField
from contests.models import HostUnit
from files.enums import FileKind
from files.forms import PrivateFileField

from .enums import NewsKind


class NewsItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NewsKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    # The visual editor (static/js/news_editor.js, Quill) replaces this textarea when
    # JavaScript runs; without it, HTML is typed here. The server sanitises either.
    body = forms.CharField(label=_("Text"),
                           widget=forms.Textarea(attrs={"rows": 12, "data-rich-editor": ""}),
                           # Escaped: Django renders help texts as HTML, and this one
                           # shows a tag (it used to load an image from "…").
                           help_text=escape(_("HTML: paragraphs, headings, lists, links, "
                                              "tables and images (<img src=\"…\">). Scripts "
                                              "and styles are removed.")))
    host_unit = ModelChoiceField(queryset=HostUnit.objects.none(), required=False,
                                 label=_("Host unit"),
                                 empty_label=_("National (Torch Center)"))
    publish_at = forms.DateTimeField(
        label=_("Publish at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("Empty: keep as a draft. A future time: published then, by itself."))
    image = PrivateFileField(kind=FileKind.IMAGE, label=_("Image"), required=False)
    attachment = PrivateFileField(kind=FileKind.ATTACHMENT, label=_("Attachment"),
                                  required=False)

    def __init__(self, *args, units=None, national=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["host_unit"]
        field.queryset = units if units is not None else HostUnit.objects.none()
        if not national:
            field.required = True
            field.empty_label = None
