"""The Chinese tokeniser: jieba ``cut_for_search`` tokens and character bigrams.

The same functions build the stored columns and parse the queries, so a query always meets the
text in the form it was indexed in.
"""

import logging
import re
import threading
import unicodedata
import warnings
from pathlib import Path

from django.conf import settings

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
WORD = re.compile(r"\w+")
LATIN_WORD = re.compile(f"(?:(?![{_CJK}])\\w)+")

_lock = threading.Lock()
_tokenizer = None


def jieba_cache_dir():
    """A writable directory of the project for jieba's prefix-dictionary cache."""
    configured = getattr(settings, "JIEBA_CACHE_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "jieba"


def tokenizer():
    """The process-wide jieba tokenizer, initialised on first use (about a second)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                with warnings.catch_warnings():
                    # jieba is unmaintained since 2020; it warns about pkg_resources on import.
                    warnings.simplefilter("ignore")
                    import jieba
                jieba.setLogLevel(logging.WARNING)
                instance = jieba.Tokenizer()
                cache_dir = jieba_cache_dir()
                cache_dir.mkdir(parents=True, exist_ok=True)
                instance.tmp_dir = str(cache_dir)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    instance.initialize()
                _tokenizer = instance
    return _tokenizer


def normalise(text):
    """NFKC (full-width Latin and digits become ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def tokens(text):
    """jieba ``cut_for_search`` tokens of ``text``, normalised, without punctuation."""
    text = normalise(text)
    if not text.strip():
        return []
    found = []
    for token in tokenizer().cut_for_search(text):
        found.extend(WORD.findall(token))
    return found


def bigrams(text, *, with_tail=True):
    """Character bigrams of each run of Chinese characters; with ``with_tail`` each run also
    gives its last character (a 1-character run gives only that)."""
    found = []
    for run in CJK_RUN.findall(normalise(text)):
        found.extend(run[i : i + 2] for i in range(len(run) - 1))
        if with_tail or len(run) == 1:
            found.append(run[-1])
    return found


def run_phrase(run):
    """The bigrams of a Chinese run, as ``phraseto_tsquery`` and the bigram column have them."""
    return " ".join(bigrams(run, with_tail=False))
