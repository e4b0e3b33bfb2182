"""Generated achievements of realistic Chinese text, without network: the bench's 100k
(``bench/``), the demo library (``seed_demo_matching``) and the background noise of the
quality test. Composed from the demand generator's phrase banks (``demands.generators``), so
they share vocabulary with generated demands the way real achievements do."""

import random

from demands.enums import CooperationMode
from demands.generators import BANKS, FIELD_BANKS

TITLE_PATTERNS = [
    "{subject}{aspect}技术",
    "一种{subject}{aspect}方法",
    "面向{scenario}的{subject}{aspect}成套技术",
    "基于{method}的{subject}{aspect}",
    "{subject}{aspect}关键工艺及装备",
    "{scenario}用{subject}",
]
ABSTRACT_SENTENCES = [
    "本成果针对{scenario}中{subject}{issue}的问题，采用{method}，形成了完整的技术方案。",
    "通过{method}，{indicator}达到{target}，优于行业平均水平。",
    "已在{scenario}完成中试验证，{aspect}显著改善。",
    "同时兼顾{other_aspect}，工程化程度高，可与现有产线兼容。",
    "团队拥有相关发明专利多项，可提供技术许可或合作开发。",
]


def _words(rng, bank):
    indicator = rng.choice(bank["indicators"])
    aspect, other = rng.sample(bank["aspects"], 2)
    low, high, decimals = indicator[3], indicator[4], indicator[5]
    value = rng.uniform(low, high)
    return {
        "subject": rng.choice(bank["subjects"]), "aspect": aspect, "other_aspect": other,
        "scenario": rng.choice(bank["scenarios"]), "method": rng.choice(bank["methods"]),
        "issue": rng.choice(bank["issues"]), "indicator": indicator[0],
        "target": f"{indicator[1]}{value:.{decimals}f}{indicator[2]}",
    }


def compose(rng, field_code):
    """``dict(title, abstract, keywords, trl, patent_numbers, cooperation_modes)`` of one
    achievement in the field ``field_code``."""
    bank = BANKS[rng.choice(FIELD_BANKS.get(field_code) or list(BANKS))]
    words = _words(rng, bank)
    title = rng.choice(TITLE_PATTERNS).format(**words)[:120]
    count = rng.randint(2, 4)
    abstract = "".join(sentence.format(**words)
                       for sentence in rng.sample(ABSTRACT_SENTENCES, count))
    keywords = list(dict.fromkeys(rng.sample(bank["keywords"], rng.randint(2, 3))
                                  + [words["aspect"]]))[:5]
    patents = [f"ZL{rng.randint(2015, 2024)}{rng.randint(10000000, 19999999)}.{rng.randint(0, 9)}"
               for _ in range(rng.randint(0, 2))]
    return {
        "title": title, "abstract": abstract, "keywords": keywords,
        "trl": rng.randint(3, 9), "patent_numbers": patents,
        "cooperation_modes": rng.sample(CooperationMode.values, rng.randint(1, 3)),
    }


def achievements(count, field_codes, *, seed=1):
    """``count`` composed achievements, each with its ``field`` code."""
    rng = random.Random(seed)
    for _ in range(count):
        field_code = rng.choice(field_codes)
        yield {"field": field_code, **compose(rng, field_code)}
