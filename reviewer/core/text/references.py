"""Reference and document numbers (``Исх. № 12-05/1174``, ``Contract No. 7/2019``, ``ЭП-078/1133-19``).

Read: a number after ``№``, ``N``, ``No.``, ``Nº``, ``Nr.``, ``#``, ``Nömrə``, ``Исх.``/``Вх.``
(with or without ``№``), ``Ref.``, ``Our ref``; a number before the Azerbaijani ``№-li``,
``nömrəli`` or ``saylı``; a passport's series and number (``серия 4510 № 123456``); and, without
any of these, numbers with a slash that look like file or outgoing numbers (``12-05/1174``,
``45/БА-2018``, ``ЭП-078/1133-19``). The last are guessed, so a slash date (``12/05/2019``), a
fraction (``1/2``, ``12/15``) or a path (``http://a/b/123``) is not taken.

Every number gets a key (:func:`reference_key`) that is the same however the number was written, so
the key is what documents are linked by; ``№ 3`` and other keys shorter than three letters and
digits are too common to link anything and are left out.
"""

from __future__ import annotations

import re

from reviewer.core.text.normalise import lower_same_length

# Spaces are allowed around a slash, and around a dash only between digits (``12 - 05``): a spaced
# dash after a word is punctuation (``№ 5 - по договору``).
_NUMBER = r"\w+(?:(?:\s*/\s*|[-.\\‐‑‒–—]|(?<=\d)\s+[-‐‑‒–—]\s*(?=\d))\w+)*"
# Matched on lower-cased text (see lower_same_length); "No" and "N" are checked for their capital
# afterwards, so that "no 15 people" is not a number.
_REFERENCES = re.compile(
    rf"""
    (?<![^\W\d_])(?:сери[яи]|сер\.|seriya|series)\s*(?P<series>[^\W_]{{2}}(?:\s?\d\d)?)
        \s*(?:№|n|no\.?|nömrə)?\s*(?P<serial>\d{{6,9}})(?!\w)
  | (?<![^\W\d_])(?:
        (?:(?:(?:исх|вх|вых|зых|уваход)\.?|(?:our\s+|your\s+)?ref\.?)\s*:?\s*)?
        (?P<sign>№|n[º°]\.?|nömrə\.?|nr\.?|no\.?|n(?=\s?\d)|\#)
      | (?:исх|вх|вых|зых)\.
      | (?:our\s+|your\s+)?ref(?:erence)?(?:\s+no)?\.?\s*:?
    )\s*(?P<number>(?:[^\W\d_]{{1,3}}\s(?=\d))?{_NUMBER})
  | (?<![\w/.:\\-])(?P<before>\d\w*(?:[-/.]\w+)*)\s*(?:№-?li|nömrəli|saylı)(?![^\W\d_])
    """,
    re.VERBOSE,
)
# Numbers without a marker are looked for around each slash (a fast search) rather than at every
# word, which would double the time of the whole pass.
_BARE = re.compile(r"(?<![\w/.:\\-])\w+(?:[-.]\w+)*/\w+(?:[-./]\w+)*(?![\w/]|[-.]\w)")
_RUN = frozenset("-./_")
_CAPITAL_ONLY = {"n", "no", "no."}
_SLASH_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")
_DIGIT = re.compile(r"\d")
# Capital Cyrillic letters drawn like Latin ones: keys use the Latin letter, whichever was typed.
_LATIN_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХІЈЅҺЁ", "ABEKMHOPCTYXIJSHE")
_DASH_OR_SPACE = re.compile(r"[‐‑‒–—]|\s+")
_SEGMENTS = re.compile(r"([-/.])")
# Inside a run of digits OCR reads 0 as O and 1 as I or l; a segment is only repaired when it is
# mostly digits already, so letter codes such as ``BA`` or ``IO`` stay as they are.
_DIGIT_LOOKALIKES = str.maketrans("OIL|", "0111")
_MIN_KEY = 3


def reference_key(number: str) -> str:
    """The key two spellings of one number share: ``№ 12-05/1174`` and ``No.12 - 05 / 1174`` alike.

    Upper case, no spaces, any dash ``-``, ``\\`` as ``/``, Cyrillic look-alike capitals as Latin
    (``45/ВА`` and ``45/BA``), and ``O``/``I``/``L`` read as ``0``/``1`` in a mostly digit segment.
    Letters that only resemble each other when handwritten (``Э``/``E``) stay different.
    """
    text = _DASH_OR_SPACE.sub(lambda m: "" if m.group().isspace() else "-", number)
    text = text.upper().replace("\\", "/").translate(_LATIN_LOOKALIKES)
    parts = _SEGMENTS.split(text)
    for index, part in enumerate(parts):
        digits = sum(char.isdigit() for char in part)
        if digits and digits * 2 >= len(part):
            parts[index] = part.translate(_DIGIT_LOOKALIKES)
    return "".join(parts)


def find_references(text: str) -> list[tuple[int, int, str]]:
    """Every reference number in ``text`` as ``(start, end, key)``, in order.

    The span covers the marker too (``Исх. № 12-05/1174``), so a date inside a number
    (``№ 12.05.2019/1``) can be told apart from a date beside one.
    """
    found = []
    lower = lower_same_length(text)
    position = 0
    while (match := _REFERENCES.search(lower, position)) is not None:
        if match.group("sign") in _CAPITAL_ONLY and text[match.start("sign")] != "N":
            position = match.start() + 1
            continue
        position = match.end()
        series, number, before = (
            None if match.start(name) < 0 else text[match.start(name) : match.end(name)]
            for name in ("series", "number", "before")
        )
        if series is not None:
            key = reference_key(series + text[match.start("serial") : match.end("serial")])
        else:
            key = reference_key(number if number is not None else before or "")
        found.append((match.start(), match.end(), key))
    found.extend(_bare_numbers(text, lower, found))
    found.sort()
    return [(start, end, key) for start, end, key in found if _linkable(key)]


def _linkable(key: str) -> bool:
    return bool(_DIGIT.search(key)) and sum(char.isalnum() for char in key) >= _MIN_KEY


def _bare_numbers(text: str, lower: str, marked: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Numbers with a slash and no marker, outside the numbers that had one."""
    found = []
    covered = 0
    taken = iter(marked)
    next_taken = next(taken, None)
    slash = lower.find("/")
    while slash >= 0:
        while next_taken is not None and next_taken[1] <= slash:
            next_taken = next(taken, None)
        if slash >= covered and (next_taken is None or next_taken[0] > slash):
            start = slash
            while start and (lower[start - 1].isalnum() or lower[start - 1] in _RUN):
                start -= 1
            match = _BARE.match(lower, start)
            if match is not None and match.end() > slash:
                covered = match.end()
                if _looks_like_bare_reference(match.group()):
                    found.append(
                        (match.start(), match.end(), reference_key(text[match.start() : match.end()]))
                    )
        slash = lower.find("/", slash + 1)
    return found


def _looks_like_bare_reference(number: str) -> bool:
    if _SLASH_DATE.fullmatch(number):
        return False
    segments = re.split(r"[-./]", number)
    digits = sum(char.isdigit() for char in number)
    lettered = any(char.isalpha() for char in number) or "-" in number
    return digits >= 4 and (lettered or any(len(s) >= 3 and s.isdigit() for s in segments))
