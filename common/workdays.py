"""Working days on the mainland-China calendar (statutory holidays and the weekends worked in
exchange), from ``chinesecalendar``, for every clock of the portal: the complaint clock and the
answered-demand reminder. For a year the library has no data for yet, Monday to
Friday count as working days, so the clock never stops."""

from datetime import timedelta

import chinese_calendar


def is_working_day(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start, count):
    """The date ``count`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            days += 1
    return days
