"""The complaint clock counts working days on the mainland-China calendar (``common.workdays``)."""

from common.workdays import add_working_days, is_working_day, working_days_between

__all__ = ["add_working_days", "is_working_day", "working_days_between"]
