"""The arithmetic of the timeline: dates as ranges of days, the visible window, and the axis.

Plain Python, no Qt, so tests check it without painting. Days are ordinals (``datetime.date.toordinal``);
a document dated ``2018-03`` covers the days ``[1 March 2018, 1 April 2018)``. x is in pixels from the
left edge of the plot.
"""

from __future__ import annotations

import calendar
import datetime
import enum
import functools
import math
import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Protocol

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import parse_partial_date
from reviewer.core.services.queries import TimelinePoint

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from reviewer.core.domain.records import DocumentSummary
    from reviewer.core.domain.values import VerificationStatus

#: how far one may zoom: a day at most 400 pixels wide, a thousand years at least about 400 pixels
MAX_PX_PER_DAY = 400.0
MIN_PX_PER_DAY = 0.001
FIRST_DAY = 1
LAST_DAY = datetime.date.max.toordinal() + 1
MONTH_NAMES = tuple(calendar.month_name)
MONTH_ABBR = tuple(calendar.month_abbr)


class Precision(enum.Enum):
    """How much of a document's date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class TimelineEntry(NamedTuple):
    """A dated document as the timeline sees it: the days it may fall on, ``[start, end)``.

    A named tuple, not a frozen dataclass: a case has hundreds of thousands, built each time the
    timeline is shown (making a frozen dataclass was most of that time at 100,000 documents).
    """

    id: int
    label: str
    date: str
    status: VerificationStatus
    start: int
    end: int
    precision: Precision

    @property
    def when(self) -> str:
        """The date in words: ``5 March 2018``, ``March 2018`` or ``2018``."""
        return describe_period(self.start, self.precision)


#: entries in time order: by first day, then last day, then id
_TIME_ORDER = operator.attrgetter("start", "end", "id")


def describe_period(ordinal: int, precision: Precision) -> str:
    """The day, month or year holding ``ordinal``, in words."""
    day = datetime.date.fromordinal(ordinal)
    if precision is Precision.DAY:
        return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"
    if precision is Precision.MONTH:
        return f"{MONTH_NAMES[day.month]} {day.year}"
    return str(day.year)


def entry_of(document: DocumentSummary) -> TimelineEntry | None:
    """Where a document goes on the timeline; None if it has no (readable) date."""
    dated, _unreadable = entries_of([_point(document)]) if document.document_date else ([], [])
    return dated[0] if dated else None


def _point(document: DocumentSummary) -> TimelinePoint:
    """A list row as ``queries.timeline_documents`` reads a dated document."""
    return TimelinePoint(
        document.id, document.document_date or "", document.status, document.title or document.display_name
    )


@functools.lru_cache(maxsize=65_536)  # thousands of documents share a few hundred dates
def days_of(date: str) -> tuple[int, int, Precision] | None:
    """The days ``[start, end)`` a partial date may mean, and how precise it is; None if unreadable."""
    try:
        text = parse_partial_date(date)
    except UsageError:
        return None  # a stored date the rules no longer accept is shown as undated, not as an error
    year = int(text[:4])
    if year < 1:
        return None
    if len(text) == 4:
        start = datetime.date(year, 1, 1).toordinal()
        return start, datetime.date(year, 12, 31).toordinal() + 1, Precision.YEAR
    if len(text) == 7:
        month = int(text[5:7])
        start = datetime.date(year, month, 1).toordinal()
        return start, start + calendar.monthrange(year, month)[1], Precision.MONTH
    start = datetime.date.fromisoformat(text).toordinal()
    return start, start + 1, Precision.DAY


def split_documents(
    documents: Iterable[DocumentSummary],
) -> tuple[list[TimelineEntry], list[DocumentSummary]]:
    """The dated documents in time order (start, end, id) and the undated ones (as ``entries_of``)."""
    documents = list(documents)
    dated, unreadable = entries_of(_point(d) for d in documents if d.document_date)
    unplaced = {p.id for p in unreadable}
    return dated, [d for d in documents if not d.document_date or d.id in unplaced]


def entries_of(points: Iterable[TimelinePoint]) -> tuple[list[TimelineEntry], list[TimelinePoint]]:
    """The points whose date reads as entries in time order (start, end, id), and the others."""
    dated: list[TimelineEntry] = []
    unreadable: list[TimelinePoint] = []
    entry = TimelineEntry
    for point in points:
        found = days_of(point.date)
        if found is None:
            unreadable.append(point)
        else:
            dated.append(entry(point.id, point.label, point.date.strip(), point.status, *found))
    dated.sort(key=_TIME_ORDER)
    return dated, unreadable


@dataclass(frozen=True, slots=True)
class Viewport:
    """The stretch of time shown: the day at x = 0, pixels per day, and the plot's width."""

    left: float
    px_per_day: float
    width: float

    @property
    def right(self) -> float:
        """The day at the right edge."""
        return self.left + self.width / self.px_per_day

    def x_of(self, ordinal: float) -> float:
        """Where a day begins, in pixels from the left edge."""
        return (ordinal - self.left) * self.px_per_day

    def ordinal_at(self, x: float) -> float:
        """The day (with its fraction) under x."""
        return self.left + x / self.px_per_day

    def zoomed(self, factor: float, anchor_x: float) -> Viewport:
        """Zoomed by ``factor`` with the day under ``anchor_x`` staying put."""
        scale = min(max(self.px_per_day * factor, MIN_PX_PER_DAY), MAX_PX_PER_DAY)
        anchor = self.ordinal_at(anchor_x)
        return Viewport(anchor - anchor_x / scale, scale, self.width).clamped()

    def panned(self, dx: float) -> Viewport:
        """Moved so that what was at x is now at x + dx."""
        return Viewport(self.left - dx / self.px_per_day, self.px_per_day, self.width).clamped()

    def resized(self, width: float) -> Viewport:
        """The same left edge and scale on a plot of another width."""
        return Viewport(self.left, self.px_per_day, max(width, 1.0)).clamped()

    def clamped(self) -> Viewport:
        """Kept within the calendar Python knows (year 1 to 9999)."""
        span = self.width / self.px_per_day
        left = min(max(self.left, FIRST_DAY - span / 2), LAST_DAY - span / 2)
        return self if left == self.left else Viewport(left, self.px_per_day, self.width)

    def showing(self, start: float, end: float, margin: float = 24.0) -> Viewport:
        """This view if ``[start, end)`` is in sight, else one moved (not zoomed) to centre it.

        A range wider than the plot counts as in sight when any of it shows.
        """
        x0, x1 = self.x_of(start), self.x_of(end)
        if x0 >= margin and x1 <= self.width - margin:
            return self
        if x1 - x0 > self.width - 2 * margin and x1 > margin and x0 < self.width - margin:
            return self
        middle = (start + end) / 2
        return Viewport(middle - self.width / 2 / self.px_per_day, self.px_per_day, self.width).clamped()

    @classmethod
    def fitting(cls, start: float, end: float, width: float, margin: float = 24.0) -> Viewport:
        """A view showing ``[start, end)`` whole, with ``margin`` pixels either side."""
        width = max(width, 1.0)
        days = max(end - start, 1.0)
        usable = max(width - 2 * margin, width / 2)
        scale = min(max(usable / days, MIN_PX_PER_DAY), MAX_PX_PER_DAY)
        middle = (start + end) / 2
        return cls(middle - width / 2 / scale, scale, width).clamped()


class Extent(Protocol):
    """Anything on the axis: a document (``TimelineEntry``) or the documents of some days (``Slot``)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def fitting_entries(entries: Sequence[Extent], width: float) -> Viewport:
    """A view showing every entry (or slot); a year around today when there is none."""
    if not entries:
        today = datetime.date.today()
        start = datetime.date(today.year, 1, 1).toordinal()
        return Viewport.fitting(start, start + 365, width)
    start = min(map(operator.attrgetter("start"), entries))
    end = max(map(operator.attrgetter("end"), entries))
    if end - start < 30:  # a single day filling the plot looks like a bug, not like a date
        middle = (start + end) / 2
        start, end = math.floor(middle - 15), math.ceil(middle + 15)
    return Viewport.fitting(start, end, width)


# -- the axis ------------------------------------------------------------------------------------------

YEAR_DAYS = 365.25
MONTH_DAYS = YEAR_DAYS / 12
_STEPS = (
    [(Precision.DAY, s) for s in (1, 2, 7, 14)]
    + [(Precision.MONTH, s) for s in (1, 3, 6)]
    + [(Precision.YEAR, s) for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)]
)
_MINOR = {
    (Precision.DAY, 2): (Precision.DAY, 1),
    (Precision.DAY, 7): (Precision.DAY, 1),
    (Precision.DAY, 14): (Precision.DAY, 1),
    (Precision.MONTH, 1): (Precision.DAY, 7),
    (Precision.MONTH, 3): (Precision.MONTH, 1),
    (Precision.MONTH, 6): (Precision.MONTH, 1),
    (Precision.YEAR, 1): (Precision.MONTH, 1),
    (Precision.YEAR, 2): (Precision.YEAR, 1),
    (Precision.YEAR, 5): (Precision.YEAR, 1),
    (Precision.YEAR, 10): (Precision.YEAR, 1),
    (Precision.YEAR, 20): (Precision.YEAR, 5),
    (Precision.YEAR, 50): (Precision.YEAR, 10),
    (Precision.YEAR, 100): (Precision.YEAR, 10),
    (Precision.YEAR, 200): (Precision.YEAR, 50),
    (Precision.YEAR, 500): (Precision.YEAR, 100),
    (Precision.YEAR, 1000): (Precision.YEAR, 100),
}
_NOMINAL = {Precision.DAY: 1.0, Precision.MONTH: MONTH_DAYS, Precision.YEAR: YEAR_DAYS}
MIN_LABEL_SPACING = 56.0
MIN_MINOR_SPACING = 5.0


@dataclass(frozen=True, slots=True)
class Tick:
    """A mark on the axis; only major ticks carry a label."""

    x: float
    label: str
    major: bool


@dataclass(frozen=True, slots=True)
class Period:
    """A month or year under the tick labels, naming what the ticks count in; ``odd`` for shading."""

    x0: float
    x1: float
    label: str
    odd: bool
    short: str = ""  # the label where the whole one does not fit: ``Mar 2018``


@dataclass(frozen=True, slots=True)
class Axis:
    """Ticks, and the months or years that frame them."""

    ticks: tuple[Tick, ...]
    periods: tuple[Period, ...]
    unit: Precision


def axis(view: Viewport) -> Axis:
    """Ticks in years, months or days, whichever leaves room for the labels at this zoom."""
    major = next(
        (s for s in _STEPS if _NOMINAL[s[0]] * s[1] * view.px_per_day >= MIN_LABEL_SPACING), _STEPS[-1]
    )
    first, last = max(math.floor(view.left), FIRST_DAY), min(math.ceil(view.right) + 1, LAST_DAY - 1)
    ticks = [Tick(view.x_of(day), label, True) for day, label in _tick_days(major, first, last)]
    minor = _MINOR.get(major)
    if minor is not None and _NOMINAL[minor[0]] * minor[1] * view.px_per_day >= MIN_MINOR_SPACING:
        taken = {round(t.x, 3) for t in ticks}
        for day, _label in _tick_days(minor, first, last):
            x = view.x_of(day)
            if round(x, 3) not in taken:
                ticks.append(Tick(x, "", False))
    frame = {Precision.DAY: Precision.MONTH, Precision.MONTH: Precision.YEAR}.get(major[0])
    periods: list[Period] = []
    if frame is not None or major == (Precision.YEAR, 1):
        unit = frame or Precision.YEAR
        for day, end in _periods(unit, first, last):
            moment = datetime.date.fromordinal(day)
            odd = (moment.year if unit is Precision.YEAR else moment.year * 12 + moment.month) % 2 == 1
            label = describe_period(day, unit) if frame is not None else ""
            short = f"{MONTH_ABBR[moment.month]} {moment.year}" if frame is Precision.MONTH else ""
            periods.append(Period(view.x_of(day), view.x_of(end), label, odd, short))
    return Axis(tuple(ticks), tuple(periods), major[0])


def _months(first: int, last: int) -> Iterator[tuple[int, int, int]]:
    """(year, month, ordinal of the 1st) for every month touching ``[first, last]``."""
    day = datetime.date.fromordinal(first)
    year, month = day.year, day.month
    while True:
        start = datetime.date(year, month, 1).toordinal()
        if start > last:
            return
        yield year, month, start
        if year == 9999 and month == 12:
            return
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _tick_days(step: tuple[Precision, int], first: int, last: int) -> Iterator[tuple[int, str]]:
    unit, size = step
    if unit is Precision.YEAR:
        year = datetime.date.fromordinal(first).year // size * size
        while year <= 9999:
            if year >= 1:
                day = datetime.date(year, 1, 1).toordinal()
                if day > last:
                    return
                if day >= first:
                    yield day, str(year)
            year += size
        return
    for year, month, start in _months(first, last):
        if unit is Precision.MONTH:
            if (month - 1) % size == 0 and start >= first:
                yield start, MONTH_ABBR[month]
            continue
        length = calendar.monthrange(year, month)[1]
        for date in range(1, length + 1, size):
            # no tick crowding the 1st of the next month
            if (size == 1 or date + size <= length + 1) and first <= start + date - 1 <= last:
                yield start + date - 1, str(date)


def _periods(unit: Precision, first: int, last: int) -> Iterator[tuple[int, int]]:
    if unit is Precision.MONTH:
        for year, month, start in _months(first, last):
            yield start, start + calendar.monthrange(year, month)[1]
        return
    for year in range(datetime.date.fromordinal(first).year, datetime.date.fromordinal(last).year + 1):
        yield datetime.date(year, 1, 1).toordinal(), datetime.date(year, 12, 31).toordinal() + 1
