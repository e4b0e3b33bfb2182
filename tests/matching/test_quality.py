"""Recommendation quality on the labelled set (tests/matching/quality_set.py), against a
character-bigram TF-IDF cosine baseline computed here on the same texts.

Figures (printed with ``-s``): precision@3, recall@10, and the number of demands with a
distractor ranked above one of their relevant achievements. Distractors carry the demand's own
industry field, so the field boost gives them no disadvantage.
"""

import functools
import math
from collections import Counter

import pytest

from common.search import bigrams
from matching import ranking
from matching.generators import achievements
from matching.terms import TermTable, read_data_file

from .quality_set import CASES

NOISE = 1500


@functools.cache
def _corpus():
    """``[(key, field, title, keywords, abstract)]`` and per case its relevant and distractor
    keys."""
    docs, labels = [], []
    for number, case in enumerate(CASES):
        relevant, distractors = [], []
        for kind, items, keys in (("r", case["relevant"], relevant),
                                  ("d", case["distractors"], distractors)):
            for position, (title, keywords, abstract) in enumerate(items):
                key = f"{number}{kind}{position}"
                docs.append((key, case["field"], title, keywords, abstract))
                keys.append(key)
        labels.append((relevant, distractors))
    # Background: generated achievements of the same fields, composed from the phrase banks
    # that generated demands use (none of them is labelled relevant).
    fields = sorted({case["field"] for case in CASES})
    for number, item in enumerate(achievements(NOISE, fields, seed=11)):
        docs.append((f"n{number}", item["field"], item["title"], item["keywords"],
                     item["abstract"]))
    return docs, labels


def _snapshot(case):
    title, keywords, problem = case["demand"]
    return {"title": title, "keywords": keywords, "key_problem": problem}


def rank_ours(docs):
    table = TermTable(read_data_file())
    index = ranking.Index()
    keys = {}
    for pk, (key, field, title, keywords, abstract) in enumerate(docs, start=1):
        analysed = ranking.analyse(ranking.achievement_parts(title, keywords, abstract), table,
                                   field)
        index.add(pk, analysed.stored(), field_id=field, region="", public=True)
        keys[pk] = key
    rankings = []
    for case in CASES:
        query = ranking.analyse(ranking.demand_parts(_snapshot(case)), table, case["field"])
        rankings.append([keys[pk] for pk, _score in
                         index.top(query.terms, k=len(docs), field_id=case["field"])])
    return rankings, index, table


def _bigram_vector(text, idf):
    counts = Counter(bigrams(text, with_tail=False))
    vector = {gram: count * idf.get(gram, 0.0) for gram, count in counts.items()}
    norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
    return {gram: value / norm for gram, value in vector.items()}


def rank_baseline(docs):
    texts = {key: " ".join([title, *keywords, abstract])
             for key, _field, title, keywords, abstract in docs}
    df = Counter(gram for text in texts.values() for gram in set(bigrams(text, with_tail=False)))
    n = len(texts)
    idf = {gram: math.log((1 + n) / (1 + count)) + 1 for gram, count in df.items()}
    vectors = {key: _bigram_vector(text, idf) for key, text in texts.items()}
    rankings = []
    for case in CASES:
        title, keywords, problem = case["demand"]
        query = _bigram_vector(" ".join([title, *keywords, problem]), idf)
        scores = {key: sum(weight * vector.get(gram, 0.0) for gram, weight in query.items())
                  for key, vector in vectors.items()}
        rankings.append(sorted((key for key in scores if scores[key] > 0),
                               key=lambda key: (-scores[key], key)))
    return rankings


def figures(rankings, labels):
    precision = recall = 0.0
    distractor_above = 0
    for ranked, (relevant, distractors) in zip(rankings, labels, strict=True):
        position = {key: i for i, key in enumerate(ranked)}
        precision += len(set(ranked[:3]) & set(relevant)) / 3
        recall += len(set(ranked[:10]) & set(relevant)) / len(relevant)
        worst_relevant = max(position.get(key, math.inf) for key in relevant)
        best_distractor = min(position.get(key, math.inf) for key in distractors)
        if best_distractor < worst_relevant:
            distractor_above += 1
    count = len(labels)
    return {"precision@3": precision / count, "recall@10": recall / count,
            "distractor_above_relevant": distractor_above}


@pytest.fixture(scope="module")
def measured():
    docs, labels = _corpus()
    ours, _index, _table = rank_ours(docs)
    baseline = rank_baseline(docs)
    return figures(ours, labels), figures(baseline, labels)


def test_quality_set_is_large_enough():
    docs, labels = _corpus()
    assert len(CASES) >= 30
    assert all(relevant and distractors for relevant, distractors in labels)


def test_ranking_against_the_bigram_tfidf_baseline(measured):
    """The goal is better on all three; on this set both reach nearly the ceiling of
    precision@3 and recall@10 (most demands have one relevant achievement), where the ranking
    ties the baseline, and it is better on distractors. The figures are what they are: this
    test pins them so that a change that makes any of them worse fails."""
    ours, baseline = measured
    print(f"\nrecommendations: {ours}\nbaseline (bigram TF-IDF cosine): {baseline}")
    assert ours["precision@3"] >= baseline["precision@3"]
    assert ours["recall@10"] >= baseline["recall@10"]
    assert ours["distractor_above_relevant"] < baseline["distractor_above_relevant"]


def test_reasons_name_terms_found_in_both_texts():
    docs, _labels = _corpus()
    _rankings, index, table = rank_ours(docs)
    checked = 0
    for case in CASES:
        snapshot = _snapshot(case)
        demand_text = " ".join([snapshot["title"], *snapshot["keywords"],
                                snapshot["key_problem"]]).lower()
        query = ranking.analyse(ranking.demand_parts(snapshot), table, case["field"])
        for pk, _score in index.top(query.terms, k=3, field_id=case["field"]):
            _key, field, title, keywords, abstract = docs[pk - 1]
            forms = ranking.analyse(ranking.achievement_parts(title, keywords, abstract), table,
                                    field).forms
            text = " ".join([title, *keywords, abstract]).lower()
            for reason in ranking.reasons(index.contributions(query.terms, pk), query.forms,
                                          forms):
                assert reason["demand"].lower() in demand_text
                assert reason["achievement"].lower() in text
                checked += 1
    assert checked > 50


def test_index_gives_the_brute_force_top_ten():
    docs, _labels = _corpus()
    _rankings, index, table = rank_ours(docs)
    for case in CASES:
        query = ranking.analyse(ranking.demand_parts(_snapshot(case)), table, case["field"])
        assert index.top(query.terms, k=10, field_id=case["field"]) == index.brute_force(
            query.terms, k=10, field_id=case["field"])
