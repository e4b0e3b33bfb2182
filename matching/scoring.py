"""The arithmetic of a live round, apart from Django: a judge's weighted total, the ranking by
weighted mean with its tie-break, the per-judge normalised (z-score) ranking, and the digest of
a submitted score sheet.

Ranking rule (stated on the results page, :data:`TIE_BREAK`): challengers are ordered by the
mean over judges of each judge's weighted total (Σ weight × score / 100); equal means are
ordered by the higher mean score on the most-weighted criterion (the first such criterion in
the round's order), then by the higher lowest weighted total any judge gave, then by the
pitching order.

Normalised ranking: each judge's weighted totals are standardised over the challengers that
judge scored, z = (x − mean) / standard deviation (population); a judge who gave everyone the
same total contributes 0. A challenger's normalised score is the mean of its z-scores. A judge
whose mean is far above or below the others' is lenient or severe; the z-scores take that out.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import fmean, pstdev

from django.utils.translation import gettext_lazy as _

TIE_BREAK = _("Equal weighted means are ordered by the higher mean score on the most-weighted "
              "criterion, then by the higher lowest total any judge gave, then by the pitching "
              "order.")

TWO_PLACES = Decimal("0.01")


def weighted_total(scores, weights):
    """``scores`` and ``weights``: {criterion id: value}; weights sum to 100."""
    total = sum(Decimal(weights[key]) * Decimal(value) for key, value in scores.items())
    return (total / Decimal(100)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Standing:
    entry_id: int
    position: int
    totals: dict = field(default_factory=dict)      # judge id → weighted total
    key_scores: list = field(default_factory=list)  # scores on the most-weighted criterion
    mean: Decimal | None = None
    z_mean: float | None = None
    rank: int | None = None
    z_rank: int | None = None


def rank(entries, criteria, sheets):
    """``entries``: [(entry id, pitching position)]; ``criteria``: [(criterion id, weight)] in
    the round's order; ``sheets``: [(judge id, entry id, {criterion id: score})], submitted
    sheets only. Returns (standings in rank order, judge statistics {judge id: (mean, sd)})."""
    weights = dict(criteria)
    key = max(criteria, key=lambda pair: pair[1])[0] if criteria else None
    standings = {entry_id: Standing(entry_id, position) for entry_id, position in entries}
    for judge_id, entry_id, scores in sheets:
        standing = standings.get(entry_id)
        if standing is None:
            continue
        standing.totals[judge_id] = weighted_total(scores, weights)
        if key in scores:
            standing.key_scores.append(Decimal(scores[key]))
    for standing in standings.values():
        if standing.totals:
            standing.mean = (sum(standing.totals.values()) / len(standing.totals)).quantize(
                TWO_PLACES, rounding=ROUND_HALF_UP)

    # per-judge standardisation
    by_judge = {}
    for standing in standings.values():
        for judge_id, total in standing.totals.items():
            by_judge.setdefault(judge_id, []).append(float(total))
    judge_stats = {judge_id: (fmean(values), pstdev(values))
                   for judge_id, values in by_judge.items()}
    for standing in standings.values():
        zs = []
        for judge_id, total in standing.totals.items():
            mean, sd = judge_stats[judge_id]
            zs.append(0.0 if sd == 0 else (float(total) - mean) / sd)
        standing.z_mean = round(fmean(zs), 3) if zs else None

    def order(standing):
        key_mean = (sum(standing.key_scores) / len(standing.key_scores)
                    if standing.key_scores else Decimal(0))
        lowest = min(standing.totals.values()) if standing.totals else Decimal(0)
        return (standing.mean is None, -(standing.mean or 0), -key_mean, -lowest,
                standing.position)

    ordered = sorted(standings.values(), key=order)
    for place, standing in enumerate(ordered, start=1):
        standing.rank = place if standing.mean is not None else None
    by_z = sorted((s for s in ordered if s.z_mean is not None),
                  key=lambda s: (-s.z_mean, s.rank))
    for place, standing in enumerate(by_z, start=1):
        standing.z_rank = place
    return ordered, judge_stats


def sheet_digest(*, round_id, judge_user_id, entry_id, scores, comment, signed_name,
                 submitted_at):
    """SHA-256 of the sheet's canonical JSON: any changed score changes it."""
    payload = {
        "round": round_id, "judge": judge_user_id, "entry": entry_id,
        "scores": {str(key): str(Decimal(value).quantize(Decimal("0.1")))
                   for key, value in sorted(scores.items())},
        "comment": comment, "signed": signed_name,
        "submitted_at": submitted_at.isoformat(),
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
