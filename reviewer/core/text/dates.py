"""Dates as the papers of a case write them, read to ISO ``YYYY-MM-DD`` (or ``YYYY-MM``).

Forms read: ``12.05.2019``; ``12.05.19`` (two digits each, so section numbers like ``1.2.19`` are
not dates; 00-49 are 20xx, 50-99 are 19xx); ``2019-05-12``; a day, a month name and a year in
Russian, Belarusian, Azerbaijani (Latin and Cyrillic) and English (``«12» мая 2019 г.``,
``12 траўня 2019 г.``, ``3 mart 2018-ci il``, ``12th May 2019``, ``May 12, 2019``), the Azerbaijani
``2019-cu il 12 may``; and a month name with a year (``май 2019``) as ``YYYY-MM``.

Not read, on purpose: a day and month without a year, ``12/05/2019`` (day-first or month-first
depends on who wrote it), a year alone, and numbers just after a version word (``version 1.12.2019``).
Years outside 1900-2099 are not dates; neither are days a calendar does not have (``31.02.2019``).
"""

from __future__ import annotations

import itertools
import re
from datetime import date

from reviewer.core.text.normalise import lower_same_length
from reviewer.core.text.patterns import alternation

_MONTHS: tuple[str, ...] = (
    # Russian (nominative, genitive, prepositional, abbreviations), Belarusian (nominative,
    # genitive, locative), Azerbaijani Latin and Cyrillic, English.
    ("январь января январе янв студзень студзеня студзені yanvar јанвар january jan"),
    ("февраль февраля феврале фев февр люты лютага лютым fevral феврал february feb"),
    ("март марта марте мар сакавік сакавіка сакавіку mart march mar"),
    ("апрель апреля апреле апр красавік красавіка красавіку aprel апрел april apr"),
    ("май мая мае травень траўня траўні may"),
    ("июнь июня июне июн чэрвень чэрвеня чэрвені iyun ијун june jun"),
    ("июль июля июле июл ліпень ліпеня ліпені iyul ијул july jul"),
    ("август августа августе авг жнівень жніўня жніўні avqust august aug"),
    ("сентябрь сентября сентябре сен сент верасень верасня верасні sentyabr сентјабр september sep sept"),
    ("октябрь октября октябре окт кастрычнік кастрычніка кастрычніку oktyabr октјабр october oct"),
    ("ноябрь ноября ноябре ноя нояб лістапад лістапада лістападзе noyabr нојабр november nov"),
    ("декабрь декабря декабре дек снежань снежня снежні dekabr декабр december dec"),
)
_ENGLISH = "january february march april may june july august september october november december"
_ENGLISH_SHORT = "jan feb mar apr jun jul aug sep sept oct nov dec"
# Letters that typists and OCR swap: Belarusian і with Latin i, ў with у, Azerbaijani ј with j or й.
_SWAPS = {"і": "іi", "ў": "ўу", "ј": "јjй"}


def _spellings(word: str) -> list[str]:
    options = [_SWAPS.get(char, char) for char in word]
    return ["".join(chars) for chars in itertools.product(*options)]


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for number, words in enumerate(_MONTHS, start=1):
        for word in words.split():
            for spelling in _spellings(word):
                if table.setdefault(spelling, number) != number:
                    raise AssertionError(f"month name {spelling!r} is two months")
    return table


MONTH_NUMBERS = _month_table()

_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_MONTH = rf"(?:{alternation(MONTH_NUMBERS)}){_NOT_LETTER_AFTER}\.?"
_ENGLISH_MONTH = rf"(?:{alternation((_ENGLISH + ' ' + _ENGLISH_SHORT).split())}){_NOT_LETTER_AFTER}\.?"
_YEAR_WORD = (
    r"(?:\s*(?:гг?\.|года|году|г" + _NOT_LETTER_AFTER + r")"
    r"|\s*-?\s*(?:c[iıuü]|ҹ[иыуү])\s+(?:il|ил)(?:in|ин|də|дә|i|и)?" + _NOT_LETTER_AFTER + ")?"
)
_AZ_YEAR = r"\s*-?\s*(?:c[iıuü]|ҹ[иыуү])\s+(?:il|ил)(?:in|ин)?"
_BEFORE_NUMBER = r"(?<![\w.,/-])"
_AFTER_NUMBER = r"(?!\w|[.,/-]\d)"
_DATES = re.compile(
    rf"""
    {_BEFORE_NUMBER}(?:
        (?P<d1>\d{{1,2}})\.(?P<m1>\d{{1,2}})\.(?P<y1>\d{{4}}){_AFTER_NUMBER}{_YEAR_WORD}
      | (?P<d2>\d\d)\.(?P<m2>\d\d)\.(?P<y2>\d\d){_AFTER_NUMBER}{_YEAR_WORD}
      | (?P<y3>\d{{4}})-(?P<m3>\d\d)-(?P<d3>\d\d){_AFTER_NUMBER}
      | (?:[«"“„]\s*)?(?P<d4>\d{{1,2}})(?:st|nd|rd|th|-?(?:го|е|ое))?(?:\s*[»"”])?
        \s*(?:of\s+)?(?P<n4>{_MONTH}),?\s*(?P<y4>\d{{4}})(?!\d){_YEAR_WORD}
      | (?P<y6>\d{{4}}){_AZ_YEAR}\s+(?P<d6>\d{{1,2}})\s*(?P<n6>{_MONTH})
    )
    | (?<![^\W\d_])(?:
        (?P<n5>{_ENGLISH_MONTH})\s*(?P<d5>\d{{1,2}})(?:st|nd|rd|th)?(?!\d),?\s+(?P<y5>\d{{4}})(?!\d)
      | (?P<n7>{_MONTH}),?\s+(?P<y7>\d{{4}})(?!\d){_YEAR_WORD}
    )
    """,
    re.VERBOSE,
)
_VERSION_BEFORE = re.compile(r"(?:\bv|\bver\.?|version|верс(?:ия|ии|\.))\s*$", re.IGNORECASE)
_FIRST_YEAR, _LAST_YEAR = 1900, 2099


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every date in ``text`` as ``(start, end, iso)``, in order; ``iso`` is ``YYYY-MM-DD`` or ``YYYY-MM``."""
    found = []
    for match in _DATES.finditer(lower_same_length(text)):
        value = _read(match, text)
        if value is not None:
            found.append((match.start(), match.end(), value))
    return found


def month_number(word: str) -> int | None:
    """The month a month name (any language and case read here, a trailing dot allowed) stands for."""
    return MONTH_NUMBERS.get(word.lower().rstrip("."))


def _read(match: re.Match[str], text: str) -> str | None:
    groups = match.groupdict()
    if groups["y1"] is not None or groups["y2"] is not None:
        if _VERSION_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            return None
        if groups["y1"] is not None:
            return _iso(groups["y1"], groups["m1"], groups["d1"])
        short = int(groups["y2"])
        return _iso(str(2000 + short if short < 50 else 1900 + short), groups["m2"], groups["d2"])
    if groups["y3"] is not None:
        return _iso(groups["y3"], groups["m3"], groups["d3"])
    for year, name, day in (("y4", "n4", "d4"), ("y5", "n5", "d5"), ("y6", "n6", "d6")):
        if groups[year] is not None:
            return _iso(groups[year], str(month_number(groups[name])), groups[day])
    return _iso(groups["y7"], str(month_number(groups["n7"])), None)


def _iso(year: str, month: str, day: str | None) -> str | None:
    y, m = int(year), int(month)
    if not _FIRST_YEAR <= y <= _LAST_YEAR or not 1 <= m <= 12:
        return None
    if day is None:
        return f"{y:04d}-{m:02d}"
    try:
        return date(y, m, int(day)).isoformat()
    except ValueError:
        return None
