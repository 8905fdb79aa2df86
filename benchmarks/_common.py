"""Helpers shared by the window benchmarks (``viewer_speed``, ``startup_speed``, ``list_speed``).

Only the standard library is imported at the top: the render and import workers are started with
``multiprocessing`` (forkserver), and a forkserver child re-imports the main script, so a benchmark
script and this module must stay cheap to import. Qt is imported inside the functions that need it.
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

ROOT = Path(__file__).resolve().parents[1]
DATE = "2026-11-28"


def prepare() -> None:
    """Put the repository first on ``sys.path`` and make Qt draw offscreen."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["QT_QPA_PLATFORM"] = "offscreen"


# -- statistics ---------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` percentile (0..100) with linear interpolation; nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    """The median; nan for no values."""
    return statistics.median(values) if values else math.nan


def ms(seconds: float) -> str:
    """Seconds as milliseconds for a table."""
    if math.isnan(seconds):
        return "–"
    return f"{seconds * 1000:.1f}" if seconds < 0.1 else f"{seconds * 1000:.0f}"


def ratio(ours: float, base: float) -> str:
    """ours / base for a table."""
    if math.isnan(ours) or math.isnan(base) or base <= 0:
        return "–"
    return f"{ours / base:.2f}×"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (readable on a terminal too)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
            + " |"
        )

    rule = "|" + "|".join("-" * (w + 1) + ":" if i else "-" * (w + 2) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


# -- the machine --------------------------------------------------------------------------------------


def rss_mib() -> float:
    """Resident memory of this process (VmRSS), in MiB; nan where /proc is missing."""
    try:
        with open("/proc/self/status") as status:
            for text in status:
                if text.startswith("VmRSS:"):
                    return int(text.split()[1]) / 1024
    except OSError:
        pass
    return math.nan


def cpu_jiffies() -> tuple[int, int] | None:
    """(busy, total) clock ticks of all cores since boot, from /proc/stat; None where there is none."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def background_load(seconds: float = 1.0) -> float | None:
    """Cores kept busy by other programs, sampled while the benchmark sleeps."""
    before = cpu_jiffies()
    time.sleep(seconds)
    after = cpu_jiffies()
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1]) * (os.cpu_count() or 1)


def wait_for_quiet(limit_s: float, cores: float = 0.3) -> float | None:
    """Wait up to ``limit_s`` for other programs to keep fewer than ``cores`` cores busy; the last load."""
    deadline = time.monotonic() + limit_s
    load = background_load()
    while load is not None and load >= cores and time.monotonic() < deadline:
        load = background_load(2.0)
    return load


def machine() -> str:
    """One line about where the figures come from."""
    load = background_load()
    busy = f", {load:.2f} cores busy before the run" if load is not None else ""
    return (
        f"{DATE} measured {time.strftime('%Y-%m-%d %H:%M')}; {platform.python_implementation()} "
        f"{platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores{busy}"
    )


# -- Qt -------------------------------------------------------------------------------------------------


_GUARDED: list[bool] = []


def guard_refcounts() -> None:
    """Work around PySide6 6.12.0's reference-count bug on CPython < 3.12, for this process only.

    With PySide6-Essentials 6.12.0 on CPython 3.11, every ``QCoreApplication.processEvents()`` drops a
    reference to ``None`` it does not own and every ``Signal.emit()`` from Python one to ``True``
    (6.11.3 does neither). Before 3.12 these singletons are not immortal, so after a few thousand
    calls CPython aborts with "bool_dealloc: deallocating True or False". A benchmark calls both far
    more often than a person does in a minute, so this adds a billion references to each, never
    given back (a list holding them would give them back at exit, and abort there). Nothing measured
    changes.
    """
    if sys.version_info >= (3, 12) or _GUARDED:
        return
    import ctypes

    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1_000_000_000
    _GUARDED.append(True)


def quiet_qt() -> None:
    """Drop the offscreen plugin's 'does not support propagateSizeHints()' warnings; keep the rest."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            sys.stderr.write(f"qt: {message}\n")

    qInstallMessageHandler(handler)


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0, poll_ms: int = 2) -> bool:
    """Run the Qt event loop (not a busy loop: the renderer needs the cores) until ``predicate``."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    if predicate():
        return True
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)

    def check() -> None:
        if predicate() or time.perf_counter() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start(poll_ms)
    loop.exec()
    timer.stop()
    return predicate()


def settle(seconds: float) -> None:
    """Let the event loop run for a while."""
    end = time.perf_counter() + seconds
    wait_until(lambda: time.perf_counter() >= end, timeout=seconds + 1, poll_ms=5)


class StallMeter:
    """A 5 ms timer on the UI thread: the longest gap between ticks, minus 5 ms, is the worst stall.

    ``mark(name)`` starts a new phase; ``worst(name)`` and ``gaps(name)`` read one phase's figures.
    """

    INTERVAL_MS = 5

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._phase = "start"
        self._last = 0.0
        self._gaps: dict[str, list[float]] = {}
        self._worst_at: dict[str, float] = {}
        self.started = 0.0

    def start(self) -> None:
        """Start ticking."""
        self._last = self.started = time.perf_counter()
        self._timer.start(self.INTERVAL_MS)

    def stop(self) -> None:
        """Stop ticking."""
        self._timer.stop()

    def mark(self, phase: str) -> None:
        """Charge gaps from now on to ``phase`` (a gap in progress goes to the old phase)."""
        self._phase = phase

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = max(0.0, now - self._last - self.INTERVAL_MS / 1000)
        self._last = now
        gaps = self._gaps.setdefault(self._phase, [])
        gaps.append(gap)
        if gap >= max(gaps):
            self._worst_at[self._phase] = now - self.started

    def gaps(self, phase: str | None = None) -> list[float]:
        """Stalls (gap minus the interval) of one phase, or of the whole run."""
        if phase is not None:
            return list(self._gaps.get(phase, []))
        return [g for gaps in self._gaps.values() for g in gaps]

    def worst(self, phase: str | None = None) -> float:
        """The longest stall of one phase, or of the whole run; 0 when none was measured."""
        return max(self.gaps(phase), default=0.0)

    def phases(self) -> list[str]:
        """The phases seen, in order."""
        return list(self._gaps)


def connect_probe(signal: Any, slot: Callable[..., None], *, direct: bool = False) -> None:
    """Connect ``slot``; ``direct`` runs it on the emitting thread (to time when a result was sent)."""
    from PySide6.QtCore import Qt

    if direct:
        signal.connect(slot, Qt.ConnectionType.DirectConnection)
    else:
        signal.connect(slot)
