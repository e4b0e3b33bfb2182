"""The recommendation ranking: what an achievement has in common with a demand's public text.

A text is turned into weighted terms (:func:`analyse`): jieba ``cut_for_search`` tokens (the
tokeniser of the portal's search, ``common.search``), the character bigrams of its Chinese runs
at a lower weight (so that terms split differently by jieba still meet), and the concepts of the
term table (IGBT and 绝缘栅双极型晶体管 are one concept). Each field has a weight: title and
keywords above the body (BM25F: the weighted term frequencies are summed before saturation).

Achievements are ranked by BM25 over those terms (:class:`Index`), with a boost for the same
industry field and the same province. The index is an inverted index held in memory and
updated incrementally; its top-k is computed with the MaxScore bound (terms whose largest
possible contribution cannot lift a new achievement into the top-k only update the ones already
found), which gives exactly the top-k of scoring every achievement (:meth:`Index.brute_force`,
kept for the tests and the bench). Everything is plain Python over stored terms, so the ranking
is the same on every database.
"""

import heapq
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from common.search import bigrams, tokens

from .terms import CONCEPT_PREFIX

BIGRAM_PREFIX = "\u00b7"  # "·xx": a character bigram
BIGRAM_WEIGHT = 0.35
TITLE_WEIGHT = 2.0
KEYWORD_WEIGHT = 2.0
BODY_WEIGHT = 1.0
FIELD_BOOST = 1.3
REGION_BOOST = 1.05
MAX_BOOST = FIELD_BOOST * REGION_BOOST
K1 = 1.2
B = 0.75
# Saturation of a term's weight in the query. A demand is a long query that names its subject
# in the title, the keywords and the problem again: with a loose saturation (8) that repeated
# subject (often an abbreviation) outweighed everything the problem says, and look-alikes that
# share only the subject ranked above holders that describe the problem in other words. Tight
# (1: a term counts for its presence, at most twice) was chosen on half of the labelled set
# (tests/matching/quality_set.json) and checked on the other half.
K3 = 1.0
DIGITS = 9  # scores are compared rounded, so that summation order never reorders ties

# Words every technical text uses: they say nothing about the problem.
STOPWORDS = frozenset(
    """的 了 和 与 及 或 等 在 对 为 以 并 其 中 上 下 是 有 将 可 可以 用于 进行 通过 实现 相关
    提供 具有 需要 要求 问题 技术 研发 研究 开发 方法 方案 解决 企业 公司 项目 能力 目前 现有
    我们 提高 提升 达到 以上 以下 不 一种 主要 基于 应用 产品 系统 不足 难以 满足 存在 较高
    较低 显著 同时 形成 完成""".split()
)


@dataclass
class Analysed:
    """A text's weighted terms, its length (sum of the weights) and the form each term had."""

    terms: dict = field(default_factory=dict)
    length: float = 0.0
    forms: dict = field(default_factory=dict)

    def stored(self):
        return {"t": {term: round(weight, 3) for term, weight in self.terms.items()},
                "l": round(self.length, 3)}


def _keep(token):
    return len(token) > 1 and not token.isdigit() and token not in STOPWORDS


def analyse(parts, table=None, field_id=None):
    """``parts``: ``[(text, weight)]``. ``table``: a :class:`matching.terms.TermTable`."""
    result = Analysed()
    terms = defaultdict(float)
    for text, weight in parts:
        if not text:
            continue
        if table is not None:
            for found in table.find(text, field_id):
                terms[found.concept] += weight
                result.forms.setdefault(found.concept, found.form)
        for token in tokens(text):
            if _keep(token):
                terms[token] += weight
                result.forms.setdefault(token, token)
        for pair in bigrams(text, with_tail=False):
            if pair not in STOPWORDS:
                terms[BIGRAM_PREFIX + pair] += weight * BIGRAM_WEIGHT
    result.terms = dict(terms)
    result.length = sum(terms.values())
    return result


def achievement_parts(title, keywords, abstract):
    return [(title, TITLE_WEIGHT), ("，".join(keywords or ()), KEYWORD_WEIGHT),
            (abstract, BODY_WEIGHT)]


def demand_parts(snapshot):
    """The weighted texts of a demand's public snapshot (``Demand.public_snapshot``: the
    public projection, hidden values and passages already out of it)."""
    from demands.public.projection import REDACTION_MARK

    def clean(text):
        return (text or "").replace(REDACTION_MARK, "\n")

    indicators = "；".join(clean(row.get("name")) for row in snapshot.get("indicators") or ())
    return [
        (clean(snapshot.get("title")), TITLE_WEIGHT),
        ("，".join(clean(word) for word in snapshot.get("keywords") or ()), KEYWORD_WEIGHT),
        (clean(snapshot.get("key_problem")), BODY_WEIGHT),
        (indicators, BODY_WEIGHT),
        (clean(snapshot.get("expected_outcome")), 0.5 * BODY_WEIGHT),
        (clean(snapshot.get("current_base")), 0.5 * BODY_WEIGHT),
    ]


def query_weight(weight):
    return (K3 + 1) * weight / (K3 + weight)


def is_shown(term):
    return not term.startswith(BIGRAM_PREFIX)


@dataclass
class Doc:
    terms: dict
    length: float
    field_id: int | None
    province: str
    public: bool


class Index:
    """An inverted index of achievements' stored terms (``Achievement.match_terms``).

    Each posting holds the achievement's *impact* for the term, its BM25 saturated frequency
    ``tf·(K1+1) / (tf + K1·(1 − B + B·length/avgdl))``, so a query only multiplies and adds.
    ``avgdl`` is the index's length normalisation: the average length when the impacts were
    last computed, recomputed for all once the average has drifted by more than
    ``AVGDL_DRIFT`` (every way of scoring reads the same value, so they agree exactly)."""

    AVGDL_DRIFT = 0.02

    def __init__(self):
        self.docs = {}
        self.postings = defaultdict(dict)
        self.max_impact = {}
        self.total_length = 0.0
        self.avgdl = None
        # Arrays of the postings (numpy), rebuilt lazily per term after a change.
        self._position = {}
        self._pks = []
        self._arrays = {}
        self._doc_arrays = None

    def __len__(self):
        return len(self.docs)

    def _impact(self, tf, length):
        return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.avgdl))

    def _renormalise(self):
        self.avgdl = (self.total_length / len(self.docs) if self.docs else 1.0) or 1.0
        self.max_impact = {}
        self._arrays = {}
        for pk, doc in self.docs.items():
            for term, tf in doc.terms.items():
                impact = self._impact(tf, doc.length)
                self.postings[term][pk] = impact
                if impact > self.max_impact.get(term, 0.0):
                    self.max_impact[term] = impact

    def _check_drift(self):
        if not self.docs:
            return
        current = self.total_length / len(self.docs) or 1.0
        if self.avgdl is None or abs(current - self.avgdl) > self.AVGDL_DRIFT * self.avgdl:
            self._renormalise()

    def add(self, pk, stored, *, field_id, region, public):
        self.remove(pk, check=False)
        # One string object per distinct term, whichever row it came from: at 100k
        # achievements the copies of the same words were most of the index's memory.
        terms = {sys.intern(term): tf for term, tf in ((stored or {}).get("t") or {}).items()}
        length = float((stored or {}).get("l") or 0.0)
        doc = Doc(terms, length, field_id, (region or "")[:2], public)
        self.docs[pk] = doc
        if pk not in self._position:
            self._position[pk] = len(self._pks)
            self._pks.append(pk)
        self._doc_arrays = None
        for term in terms:
            self._arrays.pop(term, None)
        self.total_length += length
        if self.avgdl is None:
            self.avgdl = length or 1.0
        for term, tf in terms.items():
            impact = self._impact(tf, length)
            self.postings[term][pk] = impact
            if impact > self.max_impact.get(term, 0.0):
                self.max_impact[term] = impact
        self._check_drift()

    def remove(self, pk, check=True):
        doc = self.docs.pop(pk, None)
        if doc is None:
            return
        self.total_length -= doc.length
        self._doc_arrays = None
        for term in doc.terms:
            self._arrays.pop(term, None)
            postings = self.postings.get(term)
            if postings is not None:
                postings.pop(pk, None)
                if not postings:
                    del self.postings[term]
                    self.max_impact.pop(term, None)
        if check:
            self._check_drift()

    # --- the formula ---------------------------------------------------------------------------
    @staticmethod
    def idf(n, df):
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    @staticmethod
    def boost(doc, field_id, province):
        factor = 1.0
        if field_id is not None and doc.field_id == field_id:
            factor *= FIELD_BOOST
        if province and doc.province == province:
            factor *= REGION_BOOST
        return factor

    def _weights(self, query, n, df_of):
        """``[(term, weight)]``: each query term's weight (saturated query frequency × idf),
        largest first: the one order in which every way of scoring adds contributions up, so
        that they all give the same floats."""
        weights = []
        for term in query:
            df = df_of(term)
            if df:
                weights.append((term, query_weight(query[term]) * self.idf(n, df)))
        weights.sort(key=lambda item: (-item[1], item[0]))
        return weights

    def _final(self, scores, field_id, province, k):
        docs = self.docs
        scored = [(pk, round(score * self.boost(docs[pk], field_id, province), DIGITS))
                  for pk, score in scores.items()]
        return heapq.nsmallest(k, scored, key=lambda item: (-item[1], item[0]))

    # --- ranking -------------------------------------------------------------------------------
    def _term_arrays(self, term):
        arrays = self._arrays.get(term)
        if arrays is None:
            postings = self.postings[term]
            position = self._position
            arrays = (np.fromiter((position[pk] for pk in postings), dtype=np.int64,
                                  count=len(postings)),
                      np.fromiter(postings.values(), dtype=np.float64, count=len(postings)))
            self._arrays[term] = arrays
        return arrays

    def prepare(self):
        """Build every term's arrays now (a few seconds at 100k achievements, a tenth of
        reading them), so that the first rankings after a build do not pay for them one term
        at a time (a cold index's p95 was five times a warm one's)."""
        for term in self.postings:
            self._term_arrays(term)
        self._docs_arrays()
        return self

    def _docs_arrays(self):
        """Per position: the achievement's field, province and whether it is public (None
        for a removed one)."""
        if self._doc_arrays is None:
            docs = [self.docs.get(pk) for pk in self._pks]
            fields = np.empty(len(docs), dtype=object)
            fields[:] = [doc.field_id if doc is not None else None for doc in docs]
            provinces = np.empty(len(docs), dtype=object)
            provinces[:] = [doc.province if doc is not None else None for doc in docs]
            self._doc_arrays = (
                docs,
                np.fromiter((doc is not None and doc.public for doc in docs), dtype=bool,
                            count=len(docs)),
                fields,
                provinces,
            )
        return self._doc_arrays

    def top(self, query, *, k=20, field_id=None, region="", public_only=False):
        """The ``k`` best ``[(pk, score)]`` for the weighted ``query`` terms, best first (ties:
        lower pk first).

        Term at a time over the postings, as arrays: each term adds weight × impact to the
        scores of the achievements that have it, in the weights' order (the same additions,
        in the same order, as the brute force's, so the same floats). The best are then
        boosted and rounded one by one exactly as the brute force does."""
        n = len(self.docs)
        if not n:
            return []
        province = (region or "")[:2]
        weights = self._weights(query, n, lambda term: len(self.postings.get(term, ())))
        docs, public, fields, provinces = self._docs_arrays()
        scores = np.zeros(len(self._pks), dtype=np.float64)
        hit = np.zeros(len(self._pks), dtype=bool)
        for term, weight in weights:
            positions, impacts = self._term_arrays(term)
            scores[positions] += weight * impacts
            hit[positions] = True
        if public_only:
            hit &= public
        candidates = np.flatnonzero(hit)
        if not len(candidates):
            return []
        # The boosts as boost() multiplies them (the same constants), then the best boosted
        # scores; near-ties at the k-th place are all kept, and rounded one by one below
        # exactly as the brute force rounds them.
        if len(candidates) > k:
            same_field = (fields[candidates] == field_id) if field_id is not None else False
            same_region = (provinces[candidates] == province) if province else False
            factor = np.where(same_field, 1.0 * FIELD_BOOST, 1.0)
            factor = np.where(same_region, factor * REGION_BOOST, factor)
            boosted = scores[candidates] * factor
            kth = np.partition(boosted, len(boosted) - k)[len(boosted) - k]
            candidates = candidates[boosted >= kth - 10.0 ** -DIGITS]
        scored = []
        for position in candidates.tolist():
            doc = docs[position]
            score = float(scores[position])
            scored.append((self._pks[position],
                           round(score * self.boost(doc, field_id, province), DIGITS)))
        return heapq.nsmallest(k, scored, key=lambda item: (-item[1], item[0]))

    def brute_force(self, query, *, k=20, field_id=None, region="", public_only=False):
        """The same ranking by scoring every achievement with the same formula from its own
        terms (the reference of the tests and the bench)."""
        n = len(self.docs)
        if not n:
            return []
        province = (region or "")[:2]
        df = defaultdict(int)
        for doc in self.docs.values():
            for term in query:
                if term in doc.terms:
                    df[term] += 1
        weights = self._weights(query, n, lambda term: df.get(term, 0))
        scores = {}
        for pk, doc in self.docs.items():
            if public_only and not doc.public:
                continue
            total, hit = 0.0, False
            for term, weight in weights:
                tf = doc.terms.get(term)
                if tf is not None:
                    hit = True
                    total += weight * self._impact(tf, doc.length)
            if hit:
                scores[pk] = total
        return self._final(scores, field_id, province, k)

    def score_one(self, query, pk, *, field_id=None, region=""):
        """The score of one achievement (0 when nothing matches)."""
        doc = self.docs.get(pk)
        n = len(self.docs)
        if doc is None or not n:
            return 0.0
        weights = self._weights(query, n, lambda term: len(self.postings.get(term, ())))
        total = 0.0
        for term, weight in weights:
            impact = self.postings[term].get(pk)
            if impact is not None:
                total += weight * impact
        return round(total * self.boost(doc, field_id, (region or "")[:2]), DIGITS)

    def contributions(self, query, pk):
        """``{term: contribution}`` of one achievement's matched terms, for its reasons."""
        doc = self.docs.get(pk)
        if doc is None:
            return {}
        weights = self._weights(query, len(self.docs),
                                lambda term: len(self.postings.get(term, ())))
        return {term: weight * self.postings[term][pk]
                for term, weight in weights if pk in self.postings[term]}


def reasons(contributions, demand_forms, achievement_forms, *, limit=8):
    """The matched terms worth showing, best first: ``[{"term", "demand", "achievement"}]``,
    each form as written in that text (a concept may be written differently on each side)."""
    shown = []
    for term, _value in sorted(contributions.items(), key=lambda item: (-item[1], item[0])):
        if not is_shown(term) or term not in demand_forms or term not in achievement_forms:
            continue
        shown.append({"term": term.removeprefix(CONCEPT_PREFIX), "demand": demand_forms[term],
                      "achievement": achievement_forms[term],
                      "concept": term.startswith(CONCEPT_PREFIX)})
        if len(shown) >= limit:
            break
    # Tokens inside a longer shown form say nothing more.
    forms = [item["achievement"].lower() for item in shown]
    return [item for item in shown
            if not any(item["achievement"].lower() != other and item["achievement"].lower()
                       in other for other in forms)]
