"""What the timeline shows: the dated documents counted per stored date and status, read one by one
only where they are drawn one by one (issue 16).

Zoomed out, the plot is count bars: a row per date made in SQL (``queries.timeline_documents``) is
all it needs, a few thousand rows however many documents. Zoomed in to where marks are single
documents, the layout asks for the documents of the dates in sight (``TimelineData.entries``); the
selected document, its neighbour in time and a count bar's first names are read when asked. Plain
Python, no Qt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services.queries import TimelineCount, TimelinePoint
from reviewer.ui.timeline_model import Precision, days_of, entries_of

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from reviewer.core.domain.records import DocumentSummary
    from reviewer.ui.timeline_model import TimelineEntry

STATUSES = tuple(VerificationStatus)


class Reader(Protocol):
    """Where the documents behind the counts are read: the case (``queries.TimelineDocuments``), or
    a list in memory."""

    def points(
        self,
        dates: Sequence[str],
        *,
        after: int | None = None,
        before: int | None = None,
        limit: int | None = None,
        descending: bool = False,
    ) -> list[TimelinePoint]:
        """The documents with one of these stored dates, in id order (see ``TimelineDocuments``)."""
        ...

    def point(self, document_id: int) -> TimelinePoint | None:
        """The dated document with this id, if it is among them."""
        ...


@dataclass(frozen=True, slots=True, eq=False)
class Slot:
    """The dated documents that fall on the same days ``[start, end)``: how many of each status, and
    the stored dates that mean those days (to read the documents when they are drawn one by one)."""

    start: int
    end: int
    precision: Precision
    dates: tuple[str, ...]
    #: one count per status, in ``VerificationStatus`` order
    counts: tuple[int, ...]
    total: int


class TimelineData:
    """The slots of dated documents in time order, the undated counted, and the way to their documents."""

    def __init__(self, counts: Iterable[TimelineCount], reader: Reader) -> None:
        self.reader = reader  # where its documents are read
        undated = [0] * len(STATUSES)
        found: dict[tuple[int, int, Precision], tuple[list[str], list[int]]] = {}
        for date, numbers in counts:
            days = days_of(date) if date is not None else None
            if days is None:  # no date, or one the rules no longer read: not on the axis
                undated = [a + b for a, b in zip(undated, numbers, strict=False)]
                continue
            dates, sums = found.setdefault(days, ([], [0] * len(STATUSES)))
            dates.append(date or "")
            sums[:] = [a + b for a, b in zip(sums, numbers, strict=False)]
        self.slots = [
            Slot(start, end, precision, tuple(dates), tuple(sums), sum(sums))
            for (start, end, precision), (dates, sums) in sorted(found.items(), key=lambda i: i[0][:2])
            if sum(sums)
        ]
        dated = [sum(s.counts[i] for s in self.slots) for i in range(len(STATUSES))]
        self.undated = Counter({s: n for s, n in zip(STATUSES, undated, strict=True) if n})
        self.totals = Counter({s: n for s, n in zip(STATUSES, dated, strict=True) if n})  # of the dated ones
        self._index = {(s.start, s.end): i for i, s in enumerate(self.slots)}

    @classmethod
    def of_documents(cls, documents: Iterable[DocumentSummary]) -> TimelineData:
        """The timeline of these list rows, counted and read in memory."""
        points: list[TimelinePoint] = []
        counts: dict[str | None, list[int]] = {}
        for document in documents:
            date = document.document_date or None
            counts.setdefault(date, [0] * len(STATUSES))[STATUSES.index(document.status)] += 1
            if date is not None:
                points.append(
                    TimelinePoint(document.id, date, document.status, document.title or document.display_name)
                )
        return cls([TimelineCount(d, tuple(n)) for d, n in counts.items()], _Listed(points))

    # -- reading documents --------------------------------------------------------------------------

    def entries(self, slots: Iterable[Slot]) -> list[TimelineEntry]:
        """The documents of these slots, in time order (start, end, id)."""
        dates = [d for s in slots for d in s.dates]
        return entries_of(self.reader.points(dates))[0] if dates else []

    def entry(self, document_id: int) -> TimelineEntry | None:
        """The document with this id, if it is on the timeline."""
        point = self.reader.point(document_id)
        found = entries_of([point])[0] if point is not None else []
        return found[0] if found and (found[0].start, found[0].end) in self._index else None

    def first(self, slots: Sequence[Slot], count: int = 1) -> list[TimelineEntry]:
        """A few documents of these slots (the lowest ids among them), in time order."""
        dates = [d for s in slots for d in s.dates]
        return entries_of(self.reader.points(dates, limit=count))[0] if dates else []

    def neighbour(self, entry: TimelineEntry | None, step: int) -> TimelineEntry | None:
        """The document next in time order after ``entry`` (before it if ``step`` < 0); the first or
        last without one; ``entry`` itself at either end."""
        forward = step > 0
        index = self._index.get((entry.start, entry.end)) if entry is not None else None
        if entry is not None and index is not None:
            dates = self.slots[index].dates
            found = (
                self.reader.points(dates, after=entry.id, limit=1)
                if forward
                else self.reader.points(dates, before=entry.id, limit=1, descending=True)
            )
            if found:
                return entries_of(found)[0][0]
            others = range(index + 1, len(self.slots)) if forward else range(index - 1, -1, -1)
        else:
            others = range(len(self.slots)) if forward else range(len(self.slots) - 1, -1, -1)
        for other in others:  # a slot emptied since it was counted is passed over
            found = self.reader.points(self.slots[other].dates, limit=1, descending=not forward)
            if found:
                return entries_of(found)[0][0]
        return entry if index is not None else None


class _Listed:
    """A ``Reader`` over points held in memory (list rows given to the view)."""

    def __init__(self, points: list[TimelinePoint]) -> None:
        self._points = sorted(points, key=lambda p: p.id)
        self._by_id = {p.id: p for p in self._points}

    def points(
        self,
        dates: Sequence[str],
        *,
        after: int | None = None,
        before: int | None = None,
        limit: int | None = None,
        descending: bool = False,
    ) -> list[TimelinePoint]:
        wanted = set(dates)
        found = [
            p
            for p in (reversed(self._points) if descending else self._points)
            if p.date in wanted and (after is None or p.id > after) and (before is None or p.id < before)
        ]
        return found[:limit] if limit is not None else found

    def point(self, document_id: int) -> TimelinePoint | None:
        return self._by_id.get(document_id)
