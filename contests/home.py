"""What the home page shows from apps above contests, without contests importing them.

Headline figures: an app registers each of its own from ``AppConfig.ready()``::

    from contests.home import register_figure

    register_figure("demands_published", _("demands published"), count_published, order=10)

``compute()`` returns a number and does its own caching (it knows when its data changes);
the home page shows the figures in ``order``. Demands register theirs today; solutions and
matching add "answered", "solutions" and "agreements" the same way when they land.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    compute: Callable
    order: int = 100


_figures: dict[str, Figure] = {}


def register_figure(key, label, compute, *, order=100):
    _figures[key] = Figure(key=key, label=label, compute=compute, order=order)


def unregister_figure(key):
    _figures.pop(key, None)


def figures():
    """``[(label, value)]`` of every registered figure, in order."""
    return [(figure.label, figure.compute())
            for figure in sorted(_figures.values(), key=lambda f: (f.order, f.key))]
