"""Every write of the matching app: the achievement library (:mod:`.library`), the
recommendations (:mod:`.recommend`), agencies' commissions (:mod:`.agencies`), invitations
(:mod:`.invitations`) and intention agreements (:mod:`.agreements`).

A refused operation raises :class:`MatchingError` (a ``common.errors.DomainError``).
"""

from .base import MatchingError

__all__ = ["MatchingError"]
