"""The figures of a host unit's summary report (总结报告), learnt from the apps above contests
without contests importing them.

Each app registers the figures it owns from its ``AppConfig.ready()``::

    from contests.summary import register_figure

    register_figure("demands_collected", _("Demands collected"), count_collected, order=10)

``compute(host_unit)`` returns the figure for that unit now: an ``int`` (a count) or a
``Decimal`` (an amount, with ``unit`` naming it, e.g. 万元). :func:`freeze` calls every
registered figure when a report is submitted; the report keeps the result
(``[{"key", "label", "value", "unit"}]``) and never recomputes it, so later changes to the data
do not change a submitted report.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    key: str
    label: object
    compute: Callable  # (host_unit) -> int | Decimal
    order: int = 100
    unit: object = ""


_figures: dict[str, Figure] = {}


def register_figure(key, label, compute, *, order=100, unit=""):
    """Add (or replace, by key) a figure of the summary reports."""
    _figures[key] = Figure(key=key, label=label, compute=compute, order=order, unit=unit)


def unregister_figure(key):
    _figures.pop(key, None)


def registered():
    """The registered figures, in order."""
    return sorted(_figures.values(), key=lambda figure: (figure.order, figure.key))


def _plain(value):
    """A JSON value that keeps an amount exact: counts stay ints, amounts become strings."""
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, float):
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    return int(value or 0)


def freeze(host_unit):
    """Every registered figure of ``host_unit`` now, as the JSON rows a report stores."""
    return [{"key": figure.key, "label": str(figure.label), "value": _plain(figure.compute(
        host_unit)), "unit": str(figure.unit)} for figure in registered()]


def labelled(rows):
    """``rows`` as stored, with each label in the reader's language when its figure is still
    registered (the stored label otherwise): ``[(label, value, unit)]``."""
    result = []
    for row in rows or []:
        figure = _figures.get(row.get("key"))
        label = str(figure.label) if figure else row.get("label", row.get("key", ""))
        unit = str(figure.unit) if figure and figure.unit else row.get("unit", "")
        result.append((label, row.get("value"), unit))
    return result


__all__ = ["Figure", "freeze", "labelled", "register_figure", "registered",
           "unregister_figure"]
