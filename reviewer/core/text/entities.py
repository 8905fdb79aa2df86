"""Entities of a document's text: dates, reference numbers, amounts of money and watched terms.

Everything here is offline and pure: text in, plain frozen records out. Each kind is found in one
regular-expression pass (:mod:`~reviewer.core.text.dates`, :mod:`~reviewer.core.text.references`,
:mod:`~reviewer.core.text.money`, :mod:`~reviewer.core.text.watchlist`); this module settles where
they overlap. A reference number claims its characters first (``№ 12.05.2019/1`` is a number, not a
date), then dates, then money; a watched term may overlap any of them, since the person watching it
asked for it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from reviewer.core.text.references import find_references
from reviewer.core.text.watchlist import WatchList, WatchTerm

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["Entity", "EntityKind", "WatchList", "WatchTerm", "extract_entities"]


class EntityKind(StrEnum):
    """What an entity is."""

    DATE = "date"
    REFERENCE = "reference"
    MONEY = "money"
    TERM = "term"


@dataclass(frozen=True, slots=True)
class Entity:
    """One mention in a text.

    ``value`` is what mentions are grouped by: an ISO date (``2019-05-12``, or ``2019-05`` for a month),
    a reference key (:func:`~reviewer.core.text.references.reference_key`), an amount with its ISO
    currency (``12500.00 USD``) or a watched term's canonical form. ``text`` is ``text[start:end]``
    of the input, as written.
    """

    kind: EntityKind
    value: str
    text: str
    start: int
    end: int


@functools.cache
def _claiming() -> tuple[tuple[EntityKind, Callable[[str], list[tuple[int, int, str]]]], ...]:
    """The finders, in the order they claim characters: a later kind never overlaps an earlier one.

    The date and amount patterns (~25 ms to compile) load on the first extraction, not when the
    window imports this module at start-up.
    """
    from reviewer.core.text.dates import find_dates
    from reviewer.core.text.money import find_money

    return (
        (EntityKind.REFERENCE, find_references),
        (EntityKind.DATE, find_dates),
        (EntityKind.MONEY, find_money),
    )


_ORDER = {kind: index for index, kind in enumerate(EntityKind)}


def extract_entities(text: str, watch_list: Sequence[WatchTerm] | WatchList = ()) -> list[Entity]:
    """The dates, reference numbers, amounts and watched terms of ``text``, in order of appearance.

    ``watch_list`` is the case's terms, or a :class:`WatchList` compiled from them once (faster when
    the same list is used for many texts; a sequence is compiled once per distinct list and cached).
    No two entities of one kind share a span.
    """
    entities: list[Entity] = []
    claimed: list[tuple[int, int]] = []
    for kind, finder in _claiming():
        found = [
            (start, end, value) for start, end, value in finder(text) if not _overlaps(claimed, start, end)
        ]
        entities.extend(Entity(kind, value, text[start:end], start, end) for start, end, value in found)
        claimed = sorted(claimed + [(start, end) for start, end, _ in found])
    terms = watch_list if isinstance(watch_list, WatchList) else _compiled(tuple(watch_list))
    seen: set[tuple[int, int]] = set()
    for start, end, term in terms.find(text):
        if (start, end) not in seen:
            seen.add((start, end))
            entities.append(Entity(EntityKind.TERM, term.canonical, text[start:end], start, end))
    entities.sort(key=lambda entity: (entity.start, -entity.end, _ORDER[entity.kind]))
    return entities


@functools.lru_cache(maxsize=8)
def _compiled(terms: tuple[WatchTerm, ...]) -> WatchList:
    return WatchList(terms)


def _overlaps(claimed: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` meets any of the sorted, non-overlapping ``claimed`` spans."""
    low, high = 0, len(claimed)
    while low < high:
        middle = (low + high) // 2
        if claimed[middle][1] <= start:
            low = middle + 1
        else:
            high = middle
    return low < len(claimed) and claimed[low][0] < end
