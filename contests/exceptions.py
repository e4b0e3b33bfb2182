class ContestsError(Exception):
    """A refused change to contest data; ``message`` is shown to the user as is."""

    def __init__(self, message, *, code=None):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)


class IllegalTransition(ContestsError):
    """The requested state change is not allowed from the object's current state."""
