"""A search query, parsed with the tokeniser that built the columns.

A text matches when all query tokens occur, or when every Chinese run of the query occurs as
written (and every Latin word as a token); a quoted part ("电池隔膜", “…”, 「…」) must occur
exactly.
"""

import re
from dataclasses import dataclass

from .tokenise import CJK_RUN, LATIN_WORD, normalise, tokens

# Longer queries are cut: nobody types more, and each run becomes a phrase condition.
MAX_QUERY_LENGTH = 100

QUOTED = re.compile(r'["“「『]([^"”」』]+)["”」』]')


@dataclass(frozen=True)
class Phrase:
    """Chinese runs (each an exact sequence of characters) and Latin words."""

    runs: tuple
    words: tuple

    @classmethod
    def of(cls, text):
        return cls(
            runs=tuple(dict.fromkeys(CJK_RUN.findall(text))),
            words=tuple(dict.fromkeys(LATIN_WORD.findall(text))),
        )

    def __bool__(self):
        return bool(self.runs or self.words)


@dataclass(frozen=True)
class ParsedQuery:
    """A query: quoted phrases must occur exactly; the rest matches when all its jieba tokens
    occur, or when each of its Chinese runs occurs as written (and each Latin word as a
    token)."""

    text: str
    tokens: tuple  # jieba tokens of the unquoted rest
    rest: Phrase  # the unquoted rest as runs and words
    quoted: tuple  # of Phrase

    def __bool__(self):
        return bool(self.tokens or self.rest or any(self.quoted))

    def all_runs(self):
        runs = list(self.rest.runs)
        for phrase in self.quoted:
            runs.extend(phrase.runs)
        return list(dict.fromkeys(runs))

    def all_words(self):
        words = list(self.tokens)
        for phrase in self.quoted:
            words.extend(phrase.words)
        return list(dict.fromkeys(words))


def parse_query(text):
    text = normalise(text)[:MAX_QUERY_LENGTH].strip()
    quoted = tuple(
        phrase for phrase in (Phrase.of(part) for part in QUOTED.findall(text)) if phrase
    )
    rest = QUOTED.sub(" ", text)
    return ParsedQuery(
        text=text, tokens=tuple(dict.fromkeys(tokens(rest))), rest=Phrase.of(rest), quoted=quoted
    )
