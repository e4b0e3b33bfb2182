"""Charts drawn on the server as SVG: no script to load (the CSP forbids inline script, and
the portal serves everything itself), readable at a glance, each with its table beside it
for screen readers and for copying."""

from dataclasses import dataclass

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 180
PLOT_WIDTH = 420
VALUE_WIDTH = 60


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_y: int
    url: str = ""


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list
    height: int
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    value_x: int = LABEL_WIDTH + PLOT_WIDTH + 8
    total_width: int = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH


def bar_chart(title, rows, *, limit=20):
    """``rows``: ``[(label, value, url)]`` → a horizontal bar chart of the first ``limit``."""
    rows = list(rows)[:limit]
    top = max((value for _label, value, _url in rows), default=0) or 1
    bars = []
    for index, (label, value, url) in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        bars.append(Bar(label=str(label)[:24], value=value, y=y,
                        width=max(1, round(PLOT_WIDTH * value / top)) if value else 0,
                        text_y=y + BAR_HEIGHT - 6, url=url))
    height = max(len(bars), 1) * (BAR_HEIGHT + GAP)
    return BarChart(title=str(title), bars=bars, height=height)
