"""The one domain error of the portal, and the one way a view shows it.

A service refuses an operation by raising :class:`DomainError` (or an app's subclass of it)
with a message written for the person who asked, a short machine-readable ``code`` and,
when the refusal is about one input, the ``field`` it belongs to. Views never build their own
wording from it: they pass it to :func:`show_error`, which puts it next to the field of the
form when the form has that field, on top of the form otherwise, or among the page's messages
when there is no form. ``PermissionDenied`` stays what it is (answered with 404).
"""

from django.contrib import messages


class DomainError(Exception):
    """A refused operation; ``message`` is shown to the user as is."""

    default_code = "refused"

    def __init__(self, message, *, code=None, field=None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field

    def __str__(self):
        return str(self.message)


def show_error(request, error, form=None):
    """Show a :class:`DomainError` to the user: as a form error when a form is given (on its
    field when the form has one by that name, so the rest of the input stays as typed), as a
    page message otherwise."""
    if form is not None:
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error.message))
    else:
        messages.error(request, error.message)
