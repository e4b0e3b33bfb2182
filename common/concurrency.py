"""Edits by several people at once: a form carries the version it was opened at, and saving it
is refused when the object changed meanwhile (optimistic locking).

Every form that edits an object other people may edit too follows this convention:

1. The form class mixes in :class:`EditTokenFormMixin` and is built with ``edited=obj``: it
   gets a hidden ``edit_token`` field holding :func:`edit_token` of the object as it was shown.
   Templates that lay fields out one by one render ``{{ form.edit_token }}`` inside the form
   (by name: ``form.hidden_fields`` would find a form field of that name first).
2. The view passes ``form.submitted_edit_token()`` to the service.
3. The service, in its transaction and **after locking the row**, calls
   :func:`check_edit_token` with the locked row and that token; it raises :class:`StaleEdit`
   before anything is written.
4. The view catches :class:`StaleEdit` and calls ``form.refuse_stale(error)``, then renders the
   form again: the message stands above the form, everything typed is kept, and the hidden
   token now holds the current version, so saving again (after a look at the other change)
   replaces it knowingly.

The token is read from a field that every save changes: ``updated_at`` (``auto_now``) by
default, or an integer version column (``edit_token_field = "version"`` on the form, and the
same ``field=`` in the service).
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext

from .errors import DomainError

EDIT_TOKEN_FIELD = "edit_token"
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class StaleEdit(DomainError):
    """The object was saved by someone else after this edit was opened.

    A domain error about the whole form (no ``field``); ``current_token`` is the version now
    stored, which :meth:`EditTokenFormMixin.refuse_stale` puts back into the form.
    """

    def __init__(self, message=None, *, current_token=""):
        super().__init__(
            message
            or gettext(
                "Someone else saved this after you opened the form. Nothing was saved; what "
                "you typed is kept below. Look at the current version, then save again to "
                "replace it with yours."
            ),
            code="stale_edit",
        )
        self.current_token = current_token


def edit_token(obj, field="updated_at"):
    """The version of ``obj`` as a string: microseconds of a date-time field, or the value of
    an integer version field."""
    value = getattr(obj, field)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
        return str((value - _EPOCH) // datetime.timedelta(microseconds=1))
    return str(value)


def check_edit_token(obj, token, *, field="updated_at"):
    """Refuse the edit when ``token`` (what the form was opened at) is not the version of
    ``obj`` (the row just locked). ``token=None`` means the caller edits without a form (an
    import, a script) and is not checked; an empty token, from a form that lost it, is stale.
    """
    if token is None:
        return
    current = edit_token(obj, field)
    if token == current:
        return
    changed_at = getattr(obj, field)
    message = None
    if isinstance(changed_at, datetime.datetime):
        message = gettext(
            "Someone else saved this at %(time)s, after you opened the form. Nothing was "
            "saved; what you typed is kept below. Look at the current version, then save again "
            "to replace it with yours."
        ) % {"time": timezone.localtime(changed_at).strftime("%Y-%m-%d %H:%M:%S")}
    raise StaleEdit(message, current_token=current)


class EditTokenFormMixin:
    """Gives a form the hidden version field of the convention above. Build the form with
    ``edited=<the object shown>`` (None when creating: no field is added)."""

    edit_token_field = "updated_at"

    def __init__(self, *args, edited=None, **kwargs):
        super().__init__(*args, **kwargs)
        if edited is not None:
            self.fields[EDIT_TOKEN_FIELD] = forms.CharField(
                widget=forms.HiddenInput,
                required=False,
                initial=edit_token(edited, self.edit_token_field),
            )

    def submitted_edit_token(self):
        """The version the form was opened at, for the service's ``check_edit_token`` (None
        when the form edits nothing: creating)."""
        if EDIT_TOKEN_FIELD not in self.fields:
            return None
        return self.cleaned_data.get(EDIT_TOKEN_FIELD) or ""

    def refuse_stale(self, error):
        """Show ``error`` (a :class:`StaleEdit`) above the form and carry the current version
        in the hidden field; the typed input stays as it was posted."""
        self.add_error(None, error.message)
        if self.is_bound and EDIT_TOKEN_FIELD in self.fields:
            data = self.data.copy()
            data[self.add_prefix(EDIT_TOKEN_FIELD)] = error.current_token
            self.data = data
