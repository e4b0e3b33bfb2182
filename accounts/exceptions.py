from django.utils.translation import gettext_lazy as _

from common.errors import DomainError


class AccountsError(DomainError):
    """A refused change to accounts data; ``message`` is shown to the user as is."""


class DuplicateCreditCode(AccountsError):
    """The credit code belongs to an organisation already registered on the portal."""

    def __init__(self, organisation):
        super().__init__(
            _("An organisation with this unified social credit code is already registered: "
              "%(name)s. You can ask to join it instead.") % {"name": organisation.name},
            code="duplicate_credit_code",
            field="credit_code",
        )
        self.organisation = organisation
