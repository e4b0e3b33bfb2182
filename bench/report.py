"""Rows of results, the printed table and the JSON file in ``bench/out/``."""

import json
import platform
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"


@dataclass
class Row:
    """One figure: the measured value, its reference measured in the same run, their ratio
    (as the goal states it) and whether the goal is met (None: pending or for information)."""

    step: str
    name: str
    value: str
    reference: str
    ratio: float | None
    goal: str
    ok: bool | None
    note: str = ""

    @property
    def mark(self):
        return {True: "✓", False: "✗", None: "…" if self.note.startswith("pending") else "–"}[
            self.ok]


def at_most(ratio, limit):
    return None if ratio is None else ratio <= limit


def at_least(ratio, limit):
    return None if ratio is None else ratio >= limit


def ratio_of(a, b):
    return a / b if a is not None and b not in (None, 0) else None


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def _width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text, width):
    return text + " " * (width - _width(text))


@dataclass
class Report:
    scale: str
    rows: list = field(default_factory=list)
    details: dict = field(default_factory=dict)
    started_at: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))

    def add(self, row):
        self.rows.append(row)
        return row

    def table(self):
        headers = ["step", "figure", "measured", "reference", "ratio", "goal", ""]
        lines = [[row.step, row.name, row.value, row.reference,
                  "" if row.ratio is None else f"{row.ratio:.2f}×", row.goal, row.mark]
                 for row in self.rows]
        columns = zip(headers, *lines, strict=True)
        widths = [max(_width(str(cell)) for cell in column) for column in columns]
        out = [" │ ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)),
               "─┼─".join("─" * w for w in widths)]
        out += [" │ ".join(_pad(str(c), w) for c, w in zip(line, widths, strict=True))
                for line in lines]
        notes = [f"  {row.step} {row.name}: {row.note}" for row in self.rows if row.note]
        if notes:
            out += ["", "Notes:", *notes]
        return "\n".join(out)

    def save(self, out_dir=OUT_DIR):
        out_dir.mkdir(parents=True, exist_ok=True)
        stamp = self.started_at.replace(":", "").replace("-", "")
        path = out_dir / f"bench-{self.scale}-{stamp}.json"
        data = {
            "started_at": self.started_at,
            "scale": self.scale,
            "machine": {"python": platform.python_version(), "platform": platform.platform(),
                        "cpus": _cpu_count()},
            "rows": [asdict(row) | {"mark": row.mark} for row in self.rows],
            "details": self.details,
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        (out_dir / f"latest-{self.scale}.json").write_text(path.read_text())
        return path


def _cpu_count():
    import os

    return os.cpu_count()
