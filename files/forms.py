from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .enums import FileKind
from .validators import accept_attribute, allowed_description, file_limit, validate_upload


class PrivateFileField(forms.FileField):
    """A file input validated at form-clean time (size, type by content, extension), so the
    error shows next to the field and the rest of the form keeps what the user typed.

    ``cleaned_data[name]`` is the upload itself; hand it to ``files.services.store_upload``
    with the same ``kind``.
    """

    def __init__(self, *, kind, **kwargs):
        self.kind = FileKind(kind)
        kwargs.setdefault("help_text", _("Accepted: %(types)s; at most %(size)s.") % {
            "types": allowed_description(self.kind),
            "size": filesizeformat(file_limit(self.kind)),
        })
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute(self.kind))

    def validate(self, value):
        super().validate(value)
        if value and hasattr(value, "chunks"):
            validate_upload(value, self.kind)
