"""Where each document's mark goes on the timeline, and which mark is under a point.

Documents known to the day are dots stacked above the axis, like a dot plot, so none hides another;
documents known only to the month or year are bars packed into lanes above them. When the dots of one
column would not fit the height, every column becomes a bar of counts (a histogram by day, month or
year); when the bars would not fit their lanes, bars of one month or year merge into one with a count.

Which of these a zoom needs is decided on the counts alone (``TimelineData``: per stored date and
status); documents are read one by one only for dots and single bars, and then only for the days
around the view (``window``): a layout that read documents is made again when the view leaves them.

x here is "world" x, ``day * px_per_day``: it does not change when the view pans, so a layout is made
again only when the zoom, the height, the documents or (once they are read) the days in sight change.
Plain Python, no Qt.
"""

from __future__ import annotations

import bisect
import datetime
import enum
import functools
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewer.core.domain.values import VerificationStatus
from reviewer.ui.timeline_model import Precision, describe_period

if TYPE_CHECKING:
    from collections.abc import Iterator

    from reviewer.ui.timeline_data import Slot, TimelineData
    from reviewer.ui.timeline_model import TimelineEntry

DOT = 10.0  # diameter of a dot
PITCH = 12.0  # distance between stacked dots
BAR = 8.0  # height of a month or year bar
LANE = 11.0  # distance between lanes of bars
COUNTED_BAR = 15.0  # height of a merged bar, with room for its count
COUNTED_LANE = 18.0
CAPTION = 16.0  # room above the lanes for their caption
BAND_GAP = 12.0  # between the lanes and the dots
COUNT_ROOM = 16.0  # above the tallest count bar, for its number
MIN_SPAN = 6.0  # narrowest bar, so a month stays visible when zoomed out to centuries
MIN_BIN = 6.0  # narrowest count bar worth a calendar unit of its own


class MarkKind(enum.Enum):
    """What a mark stands for."""

    DOT = "dot"  # one document known to the day
    SPAN = "span"  # one document known to the month or year
    BIN = "bin"  # documents known to the day, counted: too many to draw one by one
    GROUP = "group"  # documents dated to the same month or year, counted


@dataclass(slots=True, eq=False)  # not frozen: a frozen dataclass is six times slower to make, and
class Mark:  # a zoom step makes thousands; nothing changes a mark once made
    """A rectangle on the plot (world x) and what it stands for: one document (``entries``) or the
    documents counted in ``slots`` (a count bar or a merged bar), read only when asked."""

    kind: MarkKind
    x: float
    y: float
    w: float
    h: float
    entries: tuple[TimelineEntry, ...] = ()
    label: str = ""
    slots: tuple[Slot, ...] = ()

    @property
    def end(self) -> float:
        """The world x of the right edge."""
        return self.x + self.w

    @property
    def total(self) -> int:
        """How many documents the mark stands for."""
        return len(self.entries) if self.entries else sum(s.total for s in self.slots)

    @property
    def days(self) -> tuple[int, int]:
        """The days ``[first, last)`` its documents fall in."""
        if self.entries:
            return min(e.start for e in self.entries), max(e.end for e in self.entries)
        return min(s.start for s in self.slots), max(s.end for s in self.slots)

    def counts(self) -> list[tuple[VerificationStatus, int]]:
        """How many of each status, in the statuses' order, leaving out the absent ones."""
        if not self.slots:
            found = Counter(e.status for e in self.entries)
            return [(s, found[s]) for s in VerificationStatus if found[s]]
        sums = [sum(column) for column in zip(*(s.counts for s in self.slots), strict=True)]
        return [(s, n) for s, n in zip(VerificationStatus, sums, strict=False) if n]


class _Row:
    """Marks that do not overlap along x (or all share one width), sorted, for quick lookups."""

    def __init__(self, marks: list[Mark]) -> None:
        self.marks = sorted(marks, key=lambda m: (m.x, m.y))
        self._xs = [m.x for m in self.marks]
        self._ends = [m.end for m in self.marks]

    def within(self, x0: float, x1: float) -> list[Mark]:
        """The marks touching ``[x0, x1]``."""
        return self.marks[bisect.bisect_left(self._ends, x0) : bisect.bisect_right(self._xs, x1)]


class TimelineLayout:
    """Marks for the documents of ``data`` at one zoom and height: see the module's docstring.

    ``window`` is the days ``[first, last)`` whose documents are read when marks are single documents
    (None: all of them); a layout of count bars alone reads none and holds at any pan.
    """

    def __init__(
        self,
        data: TimelineData,
        px_per_day: float,
        top: float,
        baseline: float,
        window: tuple[float, float] | None = None,
    ) -> None:
        self.px_per_day = px_per_day
        self.window = window
        self.empty = not data.slots
        self.read = 0  # documents read one by one for this layout
        self._mark_of: dict[int, Mark] = {}
        self._counted: dict[tuple[int, int], Mark] = {}  # count bars by their days, merged bars by theirs
        self._unit = Precision.DAY
        spans = [s for s in data.slots if s.precision is not Precision.DAY]
        days = [s for s in data.slots if s.precision is Precision.DAY]
        self.span_band: tuple[float, float] | None = None
        self.spans_counted = False
        self._lanes: list[_Row] = []
        day_top = top
        if spans:
            share = 0.4 if days else 1.0
            room = max(2, math.floor(((baseline - top) * share - CAPTION) / LANE))
            lanes = None
            if self._depth(spans) <= room:
                entries = data.entries(s for s in spans if self._in_window(s.start, s.end))
                self.read += len(entries)
                lanes = self._pack(entries, room)
            if lanes is None:
                self.spans_counted = True
                lanes = self._group(spans)
            bar, pitch = (COUNTED_BAR, COUNTED_LANE) if self.spans_counted else (BAR, LANE)
            y = top + CAPTION
            for index, lane in enumerate(lanes):
                self._lanes.append(_Row([self._place(m, y + index * pitch, bar) for m in lane]))
            self.span_band = (top, y + len(lanes) * pitch - (pitch - bar))
            day_top = self.span_band[1] + BAND_GAP
        self.day_band = (day_top, baseline)
        self.px_per_document = 0.0  # the height of one document in a count bar, once counted
        self.tallest = 0
        dots = self._dots(data, days, day_top, baseline)
        self.days_counted = dots is None
        self._days = _Row(dots if dots is not None else self._bins(days, day_top, baseline))
        for mark in self._days.marks:
            self._remember(mark)

    # -- questions the widget asks ------------------------------------------------------------------

    def covers(self, first: float, last: float) -> bool:
        """Whether the days ``[first, last)`` are drawn whole: nothing was read, or they were."""
        return not self.read or self.window is None or (self.window[0] <= first and last <= self.window[1])

    def visible(self, x0: float, x1: float) -> Iterator[Mark]:
        """Every mark touching world x ``[x0, x1]``: bars first, then dots or counts."""
        for lane in self._lanes:
            yield from lane.within(x0, x1)
        yield from self._days.within(x0, x1)

    def mark_at(self, x: float, y: float) -> Mark | None:
        """The mark under world point (x, y); a count bar answers for its whole column."""
        slop = (PITCH - DOT) / 2
        for lane in self._lanes:
            for mark in lane.within(x - slop, x + slop):
                if mark.y - slop <= y <= mark.y + mark.h + slop:
                    return mark
        top, bottom = self.day_band
        for mark in self._days.within(x - slop, x + slop):
            if mark.kind is MarkKind.BIN and mark.x <= x <= mark.end and top <= y <= bottom:
                return mark
            if mark.kind is MarkKind.DOT and _near(mark, x, y, slop):
                return mark
        return None

    def mark_of(self, entry: TimelineEntry) -> Mark | None:
        """The mark showing a document (a count bar or merged bar when it is counted)."""
        if entry.precision is Precision.DAY and self.days_counted:
            start = _period_start(entry.start, self._unit)
            return self._counted.get((start, _period_end(start, self._unit)))
        if entry.precision is not Precision.DAY and self.spans_counted:
            return self._counted.get((entry.start, entry.end))
        return self._mark_of.get(entry.id)

    # -- building -----------------------------------------------------------------------------------

    def _in_window(self, start: float, end: float) -> bool:
        return self.window is None or (start < self.window[1] and end > self.window[0])

    def _remember(self, mark: Mark) -> None:
        for entry in mark.entries:
            self._mark_of[entry.id] = mark

    def _place(self, mark: Mark, y: float, height: float) -> Mark:
        placed = Mark(mark.kind, mark.x, y, mark.w, height, mark.entries, mark.label, mark.slots)
        self._remember(placed)
        if placed.slots:  # a merged bar: one month or year
            self._counted[placed.days] = placed
        return placed

    def _extent(self, start: int, end: int) -> tuple[float, float]:
        x0 = start * self.px_per_day + 1
        return x0, max(end * self.px_per_day - 1, x0 + MIN_SPAN)

    def _depth(self, spans: list[Slot]) -> int:
        """The lanes packing would need: the most bars over one point (first fit in order of their
        left edges needs no more), counted from the slots without reading a document."""
        events: list[tuple[float, int]] = []
        for slot in spans:
            x0, x1 = self._extent(slot.start, slot.end)
            events += [(x0, slot.total), (x1 + 2, -slot.total)]  # a bar ends where the next may start
        depth = deepest = 0
        for _x, change in sorted(events, key=lambda e: (e[0], e[1])):
            depth += change
            deepest = max(deepest, depth)
        return deepest

    def _pack(self, spans: list[TimelineEntry], room: int) -> list[list[Mark]] | None:
        """Bars in the fewest lanes, first fit, longest first where they start together; None if
        more than ``room`` lanes would be needed."""
        lanes: list[list[Mark]] = []
        ends: list[float] = []
        for entry in sorted(spans, key=lambda e: (e.start, e.start - e.end, e.id)):
            x0, x1 = self._extent(entry.start, entry.end)
            mark = Mark(MarkKind.SPAN, x0, 0.0, x1 - x0, BAR, (entry,))
            lane = next((i for i, end in enumerate(ends) if end + 2 <= x0), None)
            if lane is None:
                if len(lanes) == room:
                    return None
                lanes.append([])
                ends.append(0.0)
                lane = len(lanes) - 1
            lanes[lane].append(mark)
            ends[lane] = x1
        return lanes

    def _group(self, spans: list[Slot]) -> list[list[Mark]]:
        """One bar per month or year with a count: years in one lane, months in the next."""
        lanes: dict[Precision, list[Mark]] = {Precision.YEAR: [], Precision.MONTH: []}
        for slot in spans:
            x0, x1 = self._extent(slot.start, slot.end)
            label = describe_period(slot.start, slot.precision)
            lanes[slot.precision].append(Mark(MarkKind.GROUP, x0, 0.0, x1 - x0, BAR, (), label, (slot,)))
        return [lane for lane in lanes.values() if lane]

    def _key(self, day: int) -> int:
        """The column of dots a day's documents stack in."""
        ppd = self.px_per_day
        return day if ppd >= PITCH else math.floor((day + 0.5) * ppd / PITCH)

    def _dots(self, data: TimelineData, days: list[Slot], top: float, baseline: float) -> list[Mark] | None:
        """Dots stacked per day (zoomed in) or per column of pixels; None if a stack is too tall
        (decided on the counts; only the columns in the window are read)."""
        rows = max(1, math.floor((baseline - top) / PITCH))
        ppd = self.px_per_day
        columns = max(1, math.floor((ppd - 2) / PITCH)) if ppd >= PITCH else 1
        heights: Counter[int] = Counter()
        for slot in days:
            heights[self._key(slot.start)] += slot.total
        if any(n > rows * columns for n in heights.values()):
            return None
        if self.window is None:
            wanted = days
        else:  # whole columns, so that no stack is cut at the window's edge
            first, last = self._key(math.floor(self.window[0])), self._key(math.ceil(self.window[1]))
            wanted = [s for s in days if first <= self._key(s.start) <= last]
        stacks: dict[int, list[TimelineEntry]] = {}
        entries = data.entries(wanted)
        self.read += len(entries)
        for entry in entries:
            stacks.setdefault(self._key(entry.start), []).append(entry)
        marks: list[Mark] = []
        for key, stack in stacks.items():
            centre = (key + 0.5) * (ppd if ppd >= PITCH else PITCH)
            for i, entry in enumerate(stack):
                row, column = divmod(i, columns)
                cx = centre + (column - (columns - 1) / 2) * PITCH
                cy = baseline - PITCH / 2 - row * PITCH
                marks.append(Mark(MarkKind.DOT, cx - DOT / 2, cy - DOT / 2, DOT, DOT, (entry,)))
        return marks

    def _bins(self, days: list[Slot], top: float, baseline: float) -> list[Mark]:
        """A bar per day, month or year, as tall as its count (the tallest fills the band)."""
        ppd = self.px_per_day
        unit = Precision.DAY if ppd >= MIN_BIN else Precision.MONTH if ppd * 28 >= MIN_BIN else Precision.YEAR
        self._unit = unit
        bins: dict[int, list[Slot]] = {}
        for slot in days:
            bins.setdefault(_period_start(slot.start, unit), []).append(slot)
        totals = {start: sum(s.total for s in members) for start, members in bins.items()}
        tallest = max(totals.values(), default=1)
        room = max(baseline - top - COUNT_ROOM, PITCH)
        self.px_per_document = room / tallest
        self.tallest = tallest
        marks: list[Mark] = []
        for start, members in bins.items():
            end = _period_end(start, unit)
            x0, x1 = start * ppd, end * ppd
            gap = 2.0 if x1 - x0 > 8 else 1.0 if x1 - x0 > 3 else 0.0
            height = max(2.0, room * totals[start] / tallest)
            label = describe_period(start, unit)
            width = max(x1 - x0 - gap, 1.0)
            mark = Mark(
                MarkKind.BIN, x0 + gap / 2, baseline - height, width, height, (), label, tuple(members)
            )
            self._counted[start, end] = mark
            marks.append(mark)
        return marks


def count_steps(tallest: int, lines: int = 4) -> list[int]:
    """Round counts (1, 2 or 5 times a power of ten) for a scale up to ``tallest``."""
    if tallest < 2:
        return [1] if tallest else []
    rough = tallest / lines
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return list(range(int(step), tallest + 1, int(step)))


def _near(mark: Mark, x: float, y: float, slop: float) -> bool:
    return mark.x - slop <= x <= mark.end + slop and mark.y - slop <= y <= mark.y + mark.h + slop


@functools.lru_cache(maxsize=65_536)
def _period_start(ordinal: int, unit: Precision) -> int:
    if unit is Precision.DAY:
        return ordinal
    day = datetime.date.fromordinal(ordinal)
    month = day.month if unit is Precision.MONTH else 1
    return datetime.date(day.year, month, 1).toordinal()


def _period_end(start: int, unit: Precision) -> int:
    if unit is Precision.DAY:
        return start + 1
    day = datetime.date.fromordinal(start)
    if unit is Precision.YEAR:
        return datetime.date(day.year, 12, 31).toordinal() + 1
    if day.month == 12:
        return datetime.date(day.year, 12, 31).toordinal() + 1
    return datetime.date(day.year, day.month + 1, 1).toordinal()
