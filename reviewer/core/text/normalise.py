"""Folding text so that the ways people and OCR write a word compare equal.

Two folds live here. :func:`fold` is for search: case, Latin diacritics and ``ё`` go, so ``Öztürk``
finds ``ozturk`` and ``ёлка`` finds ``елка``; Cyrillic letters keep their marks otherwise, because
``й`` and ``и`` (or Belarusian ``ў`` and ``у``) are different letters, not accented ones.
:func:`match_fold` does the same one character for one character, so offsets into the folded text are
offsets into the original, and it also folds the Cyrillic letters that OCR confuses with Latin ones
(``е``/``e``, ``о``/``o``, ``р``/``p``...) to one script: Tesseract run with ``rus+eng`` often puts a
Latin ``e`` inside a Cyrillic word. Only whole words made of look-alikes can collide, which is rare.
"""

from __future__ import annotations

import re
import unicodedata

# Azerbaijani letters that are not "accented" in Unicode but that people type without the mark
# (Azerbaycan, Baki) and that capitals lose (BAKI lowercases to baki, not bakı).
_LETTER_FOLDS = {"ı": "i", "ə": "e", "ё": "е", "ß": "ss"}
_QUOTES = "«»“”„‟″＂"
_APOSTROPHES = "‘’‚‛ʼ`´′"
_DASHES = "‐‑‒–—―−"
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Lowercase Cyrillic letters whose lowercase or capital glyph is a Latin letter's (В/B, Н/H, М/M, Т/T
# and К/K are confusable as capitals, which OCR sees as often as lowercase).
_LOOKALIKES = dict(zip("авекмнорстухіјѕһ", "abekmhopctyxijsh", strict=True))


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u052f"


def _strip_marks(char: str) -> str:
    """The letter without combining marks, unless it is a Cyrillic letter (``й`` is not ``и``)."""
    if char in _LETTER_FOLDS:
        return _LETTER_FOLDS[char]
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) == 1 or (_is_cyrillic(decomposed[0]) and char.lower() != "ё"):
        return char
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _LETTER_FOLDS.get(base, base) if base else char


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that works each character out once, the first time it is seen."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if unicodedata.combining(char):
            folded = ""
        else:
            # casefold may itself add a mark ("İ" becomes "i" and a combining dot above)
            folded = "".join(_strip_marks(c) for c in char.casefold() if not unicodedata.combining(c))
            folded = "".join(_LETTER_FOLDS.get(c, c) for c in folded)
        self[code] = folded
        return folded


class _MatchTable(dict[int, str]):
    """Like :class:`_FoldTable`, but every character folds to exactly one character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = char
        if char in _QUOTES:
            folded = '"'
        elif char in _APOSTROPHES:
            folded = "'"
        elif char in _DASHES:
            folded = "-"
        elif char in _SPACES:
            folded = " "
        elif not unicodedata.combining(char):
            lower = _strip_marks(char).lower()
            if len(lower) == 1:
                lower = _strip_marks(lower)
                folded = _LOOKALIKES.get(lower, lower) if len(lower) == 1 else char
        self[code] = folded
        return folded


class _LowerTable(dict[int, str]):
    """``str.lower`` for the characters whose lower case is longer than one character (``İ``)."""

    def __missing__(self, code: int) -> str:
        lower = chr(code).lower()
        folded = lower if len(lower) == 1 else _strip_marks(chr(code)).lower()[:1]
        self[code] = folded
        return folded


_FOLD = _FoldTable()
_LOWER = _LowerTable()
_MATCH = _MatchTable()
_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Casefold, drop diacritics of Latin letters, ``ё``→``е``; for search keys and indexes.

    ``ı``/``ə`` (Azerbaijani) fold to ``i``/``e``; Cyrillic ``й`` and ``ў`` stay. Whitespace is
    kept as it is; the result can be longer or shorter than ``text`` (``ß`` becomes ``ss``).
    """
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def match_fold(text: str) -> str:
    """Fold for matching with the same length as ``text``: a character of either is one of the other.

    Like :func:`fold`, and also: Cyrillic look-alikes become the Latin letter, every quote mark
    ``"``, every apostrophe ``'``, every dash ``-`` and every space character a plain space.
    """
    return text.translate(_MATCH)


def lower_same_length(text: str) -> str:
    """``text.lower()``, but always as long as ``text`` (``İ`` becomes ``i``, not ``i`` and a dot).

    The entity finders match lower-cased text with patterns in lower case: Python's ``re`` skips
    a branch on its first letter only when the match is case-sensitive, which makes it several times
    faster than ``re.IGNORECASE`` on long alternations such as month names.
    """
    lower = text.lower()
    return lower if len(lower) == len(text) else text.translate(_LOWER)


def squeeze_spaces(text: str) -> str:
    """Runs of whitespace (line breaks too) as one space, without spaces at either end."""
    return _WHITESPACE.sub(" ", text).strip()
