from common.errors import DomainError


class MatchingError(DomainError):
    default_code = "matching_refused"
