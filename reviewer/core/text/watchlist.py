"""A case's watch-list: organisations, people and equipment to find in every document.

A term is found whatever its case or Latin diacritics (``Oztürk`` for ``Öztürk``), with Cyrillic and
Latin look-alike letters mixed by OCR (:func:`~reviewer.core.text.normalise.match_fold`), across a
line break or hyphenation inside a word (``Белнефте-\\nхим``) or between words, and, for Cyrillic
words of five letters or more, in the other grammatical cases: ``Белнефтехим`` finds
``Белнефтехима`` and ``Белнефтехимом``, ``Белорусская нефтяная компания`` finds ``Белорусской
нефтяной компании``. Endings are the ones Russian (and Belarusian) declension adds to a word of that
shape, not any letters: ``Минск`` does not find ``Минский``. Shorter words, Latin words and words
with digits (``Су-30СМ``) are matched as written.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewer.core.domain.errors import UsageError
from reviewer.core.text.normalise import match_fold
from reviewer.core.text.patterns import alternation

if TYPE_CHECKING:
    from collections.abc import Iterable

WATCH_KINDS = ("organisation", "person", "equipment", "other")
_INFLECTED_FROM = 5
_NOUN = "а у ом ым е ы и ов ев ам ами ах аў амі і"
_ENDINGS: tuple[tuple[tuple[str, ...], int, str], ...] = (
    # (the word ends with one of these, letters the stem drops, the endings it may take instead)
    (("ий", "ый", "ой", "ая", "яя", "ое", "ее"), 2,
     "ий ый ой ая яя ое ее ого его ому ему им ым ом ем ую юю ей ые ие ых их ыми ими ага аму ыя ымі"),
    (("а", "я"), 1, "а я ы и е у ю ой ей ою ею ам ям ами ями ах ях і ай"),
    (("о", "е"), 1, "о е а я у ю ом ем ам ям ами ях ах"),
    (("ь",), 1, "ь я ю ем ём е и ей ью ям ями ях ом"),
    (("й",), 1, "й я ю ем е и ев ям ями ях"),
)  # fmt: skip
# A break inside a word: a hyphen at the end of a line, or a soft hyphen.
_GAP = r"(?:-[^\S\n]*\n\s*|\u00ad\s*)?"
_CYRILLIC_WORD = re.compile(r"[\u0400-\u052f]+")
_PARTS = re.compile(r"(\w+)|(\W+)")
_OPTIONAL_MARKS = "\"'"
# Terms are looked up by their first letters, so only a few patterns are tried at each word that
# could start one; a line break within those first letters (``Бе-\nлнефтехим``) is not found.
_KEY_LETTERS = 4


@dataclass(frozen=True, slots=True)
class WatchTerm:
    """One entry of a case's watch-list: how it is shown, what it is, and other ways it is written."""

    canonical: str
    kind: str = "other"
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in WATCH_KINDS:
            raise UsageError(f"unknown watch-list kind {self.kind!r}; use one of {', '.join(WATCH_KINDS)}")
        for surface in (self.canonical, *self.aliases):
            if not isinstance(surface, str) or not re.search(r"\w", surface):
                raise UsageError(f"watch-list term {surface!r} has no letters or digits")

    @property
    def spellings(self) -> tuple[str, ...]:
        """The canonical form and the aliases."""
        return (self.canonical, *self.aliases)


class WatchList:
    """Watch-list terms compiled once, to be searched for in many texts."""

    def __init__(self, terms: Iterable[WatchTerm]) -> None:
        self.terms = tuple(terms)
        self._by_start: dict[str, list[tuple[re.Pattern[str], int]]] = defaultdict(list)
        for index, term in enumerate(self.terms):
            for spelling in term.spellings:
                pattern, key = _compile(spelling)
                self._by_start[key].append((pattern, index))
        starts = alternation(sorted(self._by_start))
        self._starts = re.compile(rf"(?<!\w)(?:{starts})") if self._by_start else None

    def find(self, text: str) -> list[tuple[int, int, WatchTerm]]:
        """Every mention of a term in ``text`` as ``(start, end, term)``, in order.

        Where two spellings of one term overlap, the longer is kept; different terms may overlap
        (``Белнефтехим`` inside ``Концерн Белнефтехим``, when both are watched).
        """
        if self._starts is None:
            return []
        folded = match_fold(text)
        hits: list[tuple[int, int, int]] = []
        for start in self._starts.finditer(folded):
            prefix = start.group()
            for length in range(1, len(prefix) + 1):
                for pattern, index in self._by_start.get(prefix[:length], ()):
                    found = pattern.match(folded, start.start())
                    if found is not None:
                        hits.append((found.start(), found.end(), index))
        hits.sort(key=lambda hit: (hit[0], hit[0] - hit[1], hit[2]))
        kept: list[tuple[int, int, int]] = []
        reach: dict[int, int] = {}
        for begin, end, index in hits:
            if reach.get(index, -1) > begin:
                continue
            reach[index] = end
            kept.append((begin, end, index))
        return [(begin, end, self.terms[index]) for begin, end, index in kept]


def _compile(spelling: str) -> tuple[re.Pattern[str], str]:
    """The pattern for one spelling on :func:`match_fold`-ed text, and the key it is indexed by."""
    words = []
    pieces = []
    for word, between in _PARTS.findall(spelling.strip(" \t\n\"'«»“”„")):
        if word:
            words.append(match_fold(word))
            pieces.append(_word_pattern(word))
        elif between.isspace():
            pieces.append(r"\s+")
        else:
            marks = [
                re.escape(char) + ("?" if char in _OPTIONAL_MARKS else "")
                for char in match_fold(between)
                if not char.isspace()
            ]
            pieces.append(r"\s*" + r"\s*".join(marks) + r"\s*")
    body = "".join(pieces)
    return re.compile(rf"(?<!\w){body}(?!\w)"), words[0][:_KEY_LETTERS]


def _word_pattern(word: str) -> str:
    lower = word.lower()
    stem, endings = lower, [""]
    if len(lower) >= _INFLECTED_FROM and _CYRILLIC_WORD.fullmatch(lower):
        stem, endings = lower, ["", *_NOUN.split()]
        for finals, dropped, allowed in _ENDINGS:
            if lower.endswith(finals):
                stem, endings = lower[:-dropped], allowed.split()
                break
    letters = _GAP.join(re.escape(char) for char in match_fold(stem))
    folded_endings = sorted({match_fold(ending) for ending in endings}, key=len, reverse=True)
    tail = alternation(folded_endings)
    if not tail:
        return letters
    return letters + _GAP + f"(?:{tail})" if "" not in endings else letters + f"(?:{_GAP}(?:{tail}))?"
