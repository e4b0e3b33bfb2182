from common.errors import DomainError


class ContestsError(DomainError):
    """A refused change to contest data; ``message`` is shown to the user as is."""


class IllegalTransition(ContestsError):
    """The requested state change is not allowed from the object's current state."""

    default_code = "illegal_transition"
