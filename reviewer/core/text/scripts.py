"""Latin and Cyrillic letters drawn alike, folded so that either spelling of a word finds the other.

Typists and OCR mix the scripts: ``45/БA-2018`` with a Latin ``A``, ``Мoсква`` with a Latin ``o``.
The search index and every query fold each word (a run of letters and digits, as SQLite's
``unicode61`` tokenizer cuts them) to one spelling:

- Letters alike in both cases fold everywhere: ``а е о р с у х к і ј ѕ`` and ``a e o p c y x k i j s``.
- Letters alike only as capitals (``В М Н Т`` and ``B M H T``; lower-case ``в м н т`` are drawn
  otherwise in most fonts) fold only in a *reference-like run*: a piece of text without spaces, or
  pieces joined by a spaced slash or dash (``45 / ВА - 2018``), that holds a digit.
- A word holding a Cyrillic letter that has no Latin twin (``Б``, ``л``, ``и``...) is Cyrillic: its
  Latin look-alikes become Cyrillic. Any other word becomes Latin. So ``БA`` is ``ба``, ``Мoсква`` is
  ``москва``, and Russian and English words are left as they are unless made only of look-alikes.

Only words made only of look-alike letters can collide across the scripts: ``сор``/``cop``, or, in a
reference-like run, ``ТОМ``/``TOM``. Whole Russian words such as ``не`` or ``том`` keep their
``н``/``т``/``м`` outside numbers, which is why those letters fold only there. Every fold keeps one
character for one, so offsets into the folded text are offsets into the original.
"""

from __future__ import annotations

import functools
import re

_CYRILLIC_BOTH_CASES = "аеорсухкіјѕ"
_LATIN_BOTH_CASES = "aeopcyxkijs"
_CYRILLIC_CAPITALS = "вмнт"
_LATIN_CAPITALS = "bmht"

_TO_LATIN = {
    False: str.maketrans(_CYRILLIC_BOTH_CASES, _LATIN_BOTH_CASES),
    True: str.maketrans(_CYRILLIC_BOTH_CASES + _CYRILLIC_CAPITALS, _LATIN_BOTH_CASES + _LATIN_CAPITALS),
}
_TO_CYRILLIC = {
    False: str.maketrans(_LATIN_BOTH_CASES, _CYRILLIC_BOTH_CASES),
    True: str.maketrans(_LATIN_BOTH_CASES + _LATIN_CAPITALS, _CYRILLIC_BOTH_CASES + _CYRILLIC_CAPITALS),
}
_TWINNED = {
    False: frozenset(_CYRILLIC_BOTH_CASES),
    True: frozenset(_CYRILLIC_BOTH_CASES + _CYRILLIC_CAPITALS),
}
_TOKEN = re.compile(r"[^\W_]+")
# Possessive, so that a long run of dashes and slashes cannot make the pattern backtrack.
_RUN = re.compile(r"\S++(?:\s*+[-/\\‐‑‒–—−](?:\s*+\S++)?)*+")
_DIGIT = re.compile(r"\d")


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u052f"


@functools.lru_cache(maxsize=65536)
def fold_word(word: str, reference_like: bool) -> str:
    """One word (letters and digits) in lower case, its look-alikes in the word's own script.

    ``reference_like`` folds the capitals-only look-alikes too (``В``/``B``, ``М``/``M``, ``Н``/``H``,
    ``Т``/``T``). The result is as long as ``word``; a word whose lower case is not is returned as
    it is.
    """
    lower = word.lower()
    if len(lower) != len(word):
        return word
    twinned = _TWINNED[reference_like]
    cyrillic = any(_is_cyrillic(c) and c not in twinned for c in lower)
    return lower.translate((_TO_CYRILLIC if cyrillic else _TO_LATIN)[reference_like])


def reference_like(run: str) -> bool:
    """Whether a run of text (no spaces, or pieces joined by a spaced slash or dash) is a number's."""
    return _DIGIT.search(run) is not None


def fold_scripts(text: str) -> str:
    """``text`` with every word folded by :func:`fold_word` (same length; other characters kept)."""
    pieces: list[str] = []
    last = 0
    for run in _RUN.finditer(text):
        original = run.group()
        folded = _fold_run(original)
        if folded != original:
            pieces += [text[last : run.start()], folded]
            last = run.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


@functools.lru_cache(maxsize=65536)
def _fold_run(run: str) -> str:
    """A run folded word by word (the words in lower case where anything changes)."""
    numbered = reference_like(run)
    pieces: list[str] = []
    last = 0
    for word in _TOKEN.finditer(run):
        folded = fold_word(word.group(), numbered)
        if folded != word.group().lower():  # the index folds case itself
            pieces += [run[last : word.start()], folded]
            last = word.end()
    if not pieces:
        return run
    pieces.append(run[last:])
    return "".join(pieces)


def spellings(text: str) -> list[tuple[str, ...]]:
    """The ways the index may hold the words of a query term ``text``, the likeliest first.

    As the term's own runs say; with no capitals-only fold (a number found spaced out in a text, its
    letters then words of their own); with every look-alike folded (a letter code typed alone, ``вт``,
    found inside a number, ``ВТ-19/044``); and, for a number or a term typed in capitals, with its
    look-alikes read as Cyrillic (``45/BA-2018`` typed, ``45 ВА 2018`` on the page). Without
    duplicates.
    """
    words: list[tuple[str, bool]] = []
    for run in _RUN.finditer(text):
        numbered = reference_like(run.group())
        words += [(w.group(), numbered) for w in _TOKEN.finditer(text, run.start(), run.end())]
    found = [
        tuple(fold_word(w, numbered) for w, numbered in words),
        tuple(fold_word(w, False) for w, _ in words),
        tuple(fold_word(w, True) for w, _ in words),
    ]
    letters = [c for w, _ in words for c in w if c.isalpha()]
    if any(numbered for _, numbered in words) or (letters and all(c.isupper() for c in letters)):
        found.append(tuple(fold_word(w.lower().translate(_TO_CYRILLIC[True]), False) for w, _ in words))
    return list(dict.fromkeys(found))
