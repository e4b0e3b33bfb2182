"""A labelled set for the recommendation ranking: demands written like published ones, each with
the achievements that really solve it and look-alike distractors that share words but not the
problem. Every achievement of the set is a candidate for every demand (the relevant ones of one
demand are noise for the others).

Each case: ``field`` (industry field code), ``demand`` (title, keywords, key problem),
``relevant`` and ``distractors`` (title, keywords, abstract). Every demand has two to four
relevant holders (``MORE_RELEVANT`` below adds the holders written in other words, and says how
each was labelled) and two to three distractors.

Tuning: the ranking's parameters were chosen on the even-numbered cases and checked on the
odd-numbered ones (with query saturation K3 = 1, on 5,000 background achievements: even cases
p@3 0.930, r@10 1.000, 1 distractor above; odd cases 0.963, 1.000, 0), so the figures of the
whole set are not those of a ranking fitted to it.

The labelled texts are in ``quality_set.json`` beside this module: ``cases`` (the list above,
each achievement and demand as ``[title, keywords, text]``), ``more_relevant`` and
``more_distractors`` (extra holders per demand, keyed by the demand's title). This module reads
them into ``CASES`` (demands and achievements as tuples), ``MORE_RELEVANT`` and
``MORE_DISTRACTORS``, and adds the extra holders to each case's ``relevant`` and
``distractors``.

More holders per demand: a real technical demand has several holders who could solve it, and
they rarely write it the demand's way: one uses the abbreviation where the demand has the full
term (or the other way round), one a synonym the term table does not hold (可编程控制器, 文字识别,
等温扩增), one describes the method instead of naming the product. How each was labelled:
relevant = the achievement, as described, would meet the demand's key problem and its stated
figures (a holder whose figures fall short of the demand's requirement, like a 650 W/mK
diamond-copper heat spreader for a demand asking > 1500 W/mK, is a distractor, not a relevant
one); distractor = it shares the demand's words (the abbreviation, the object, the setting) but
answers another problem (training, testing, a neighbouring product, the same device for another
use). Labelled from the texts alone, before any ranking was run on them.

More distractors: look-alikes that share more than a word: the demand's abbreviation or object
in a product that does not solve its problem, or one that falls short of its stated figure.
"""

import json
from pathlib import Path

_DATA = json.loads(Path(__file__).with_name("quality_set.json").read_text(encoding="utf-8"))


def _entry(row):
    """``[title, keywords, text]`` → ``(title, keywords, text)``, keywords a list."""
    title, keywords, text = row
    return (title, list(keywords), text)


def _extras(by_title):
    return {title: [_entry(row) for row in rows] for title, rows in by_title.items()}


CASES = [
    dict(field=case["field"], demand=_entry(case["demand"]),
         relevant=[_entry(row) for row in case["relevant"]],
         distractors=[_entry(row) for row in case["distractors"]])
    for case in _DATA["cases"]
]
MORE_RELEVANT = _extras(_DATA["more_relevant"])
MORE_DISTRACTORS = _extras(_DATA["more_distractors"])

for _case in CASES:
    _case["relevant"] = [*_case["relevant"], *MORE_RELEVANT.get(_case["demand"][0], ())]
    _case["distractors"] = [*_case["distractors"], *MORE_DISTRACTORS.get(_case["demand"][0], ())]
