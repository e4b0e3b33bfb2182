"""The demands' headline figures on the home page (registered with ``contests.home``),
counted from the data and cached until anything public changes."""

from django.utils.translation import pgettext_lazy

from ..enums import DemandStatus
from .cache import PUBLIC_PAGES
from .projection import public_demands


def published_count():
    return PUBLIC_PAGES.remember("figure", ("published",), public_demands().count,
                                 single_flight=True)


def open_count():
    return PUBLIC_PAGES.remember(
        "figure", ("open",), public_demands().filter(status=DemandStatus.PUBLISHED).count,
        single_flight=True)


def register():
    from contests.home import register_figure

    register_figure("demands_published", pgettext_lazy("home figure", "demands published"),
                    published_count, order=10)
    register_figure("demands_open", pgettext_lazy("home figure", "open for solutions"),
                    open_count, order=11)
