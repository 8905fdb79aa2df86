"""Viewer speed: paging through a 300-dpi scan in the real window, beside plain PyMuPDF on the same pages.

Run from the repository root::

    python benchmarks/viewer_speed.py [--repeat N] [--keep DIR] [--seed N]

A 20-page, 300-dpi, noisy and skewed scan is made with ``tests.filemaker.make_scanned_pdf`` (about
18 s; ``--keep DIR`` keeps it for the next run) and copied into ``3 × N`` variants that differ only in
their Info title, so each has its own SHA-256 and is a different document to reviewer, with pages
never drawn before: every repetition works on documents of its own. They are imported into a
temporary case, and a real ``MainWindow`` (1400 × 900, offscreen, the viewer at fit-page, two render
processes as ``Launcher`` makes) pages through them:

``cold jump``
    ``go_to_page`` to a random page not drawn yet, from rest (the renderer idle). The pages prefetched
    around earlier jumps are not cold, so they are skipped.
``next page, at once``
    ``next_page`` from page 1 to the end, each as soon as the page before is sharp: the prefetch of
    the next page (started with the page before) has had no time of its own.
``next page, reading``
    the same, waiting on each page until the renderer is idle (the prefetch done), as a reader does.
``warm revisit``
    ``go_to_page`` to random pages of a document already paged through (in the viewer's cache).
``open document``
    choosing another document in the list: page 1 of a document not open in a render process.

For each visit: **first image** is the synchronous part of the call (it ends with the import thumbnail,
or a cached render, set on the page item: checked), **painted** the first paint of the viewport after
the call, **sent** the moment ``RenderBridge`` emitted the page (a direct-connected probe, on the
renderer's thread), **sharp** the ``page_sharp`` signal for the page. The **stall** is the longest gap
between ticks of a 5 ms timer on the UI thread, minus 5 ms, over each phase.

The baseline is plain PyMuPDF in this process on the same originals, page and zoom as the workers
(``page.get_pixmap(matrix=derotation × zoom, colorspace=RGB, alpha=False)``): **cold** opens the
document afresh for each page, **first in open doc** draws each page once in a document opened
beforehand (what a render process with the document open does for a new page), **warm** draws the
same page again with the same document object. The ratios divide our sharp time by the baseline
median of the same repetitions. No time is asserted.

This script imports only the standard library at its top: render workers re-import it.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import _common
from _common import median, ms, percentile, ratio, table

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.services.case import Case
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.render_bridge import RenderBridge

PAGES = 20
DPI = 300
NOISE = 0.35
SKEW = 1.5
WINDOW = (1400, 900)
GOAL_COLD_S = 0.150
GOAL_WARM_S = 0.050
GOAL_STALL_S = 0.050
PHASES = ("cold jump", "next page, at once", "next page, reading", "warm revisit", "open document")


# -- the documents ---------------------------------------------------------------------------------------


def base_scan(keep: Path | None, scratch: Path, seed: int) -> Path:
    """The 300-dpi scan, made once (reused from ``keep`` when there)."""
    folder = keep.resolve() if keep is not None else scratch
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"scan-{PAGES}p-{DPI}dpi-seed{seed}.pdf"
    if path.is_file():
        print(f"reusing {path}")
        return path
    from tests.filemaker import make_scanned_pdf

    print(f"writing a {PAGES}-page {DPI}-dpi scan ...", end=" ", flush=True)
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    make_scanned_pdf(partial, pages=PAGES, dpi=DPI, skew_degrees=SKEW, noise=NOISE, seed=seed)
    partial.rename(path)
    print(f"{time.perf_counter() - started:.1f} s")
    return path


def variants(base: Path, folder: Path, count: int) -> list[Path]:
    """Copies of ``base`` that differ only in their Info title (same page streams, other SHA-256)."""
    import pymupdf

    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(count):
        path = folder / f"scan-variant-{index:02d}.pdf"
        with pymupdf.open(base) as doc:
            meta = dict(doc.metadata or {})
            meta["title"] = f"benchmark variant {index}"
            doc.set_metadata(meta)
            doc.save(path)
        made.append(path)
    return made


def build_case(root: Path, files: list[Path]) -> tuple[Case, dict[Path, int]]:
    """A new case holding ``files``; the document id of each."""
    from reviewer.core.services.case import create_case
    from reviewer.core.services.importing import import_paths

    case = create_case(root, title="viewer benchmark", actor="benchmark")
    print(f"importing {len(files)} documents ...", end=" ", flush=True)
    started = time.perf_counter()
    ids: dict[Path, int] = {}
    for batch in (files[:1], files[1:]):  # the first alone, so it is document 1: the one shown at start
        report = import_paths(case, batch)
        if report.failed or len(report.imported) != len(batch):
            raise SystemExit(f"import failed: {report.failed}")
        ids.update({Path(item.path): item.id for item in report.imported})
    print(f"{time.perf_counter() - started:.1f} s")
    return case, ids


# -- plain PyMuPDF ---------------------------------------------------------------------------------------


@dataclass
class Baseline:
    """Plain PyMuPDF times, in seconds, one per page drawn."""

    cold: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)


def plain_pymupdf(path: Path, zoom: float, into: Baseline) -> None:
    """Draw every page of ``path`` as a render worker does: cold, first in an open doc, warm."""
    import pymupdf

    def draw(doc: Any, number: int) -> None:
        page = doc.load_page(number - 1)
        matrix = page.derotation_matrix * pymupdf.Matrix(zoom, zoom)
        page.get_pixmap(matrix=matrix, alpha=False, colorspace=pymupdf.csRGB)

    for number in range(1, PAGES + 1):
        started = time.perf_counter()
        doc = pymupdf.open(path)
        draw(doc, number)
        into.cold.append(time.perf_counter() - started)
        doc.close()
    with pymupdf.open(path) as doc:
        for number in range(1, PAGES + 1):
            started = time.perf_counter()
            draw(doc, number)
            into.first.append(time.perf_counter() - started)
            started = time.perf_counter()
            draw(doc, number)
            into.warm.append(time.perf_counter() - started)


# -- the window ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One page shown: seconds from the call to each event (nan when it did not happen)."""

    page: int
    first: float
    had_image: bool
    painted: float
    sent: float
    sharp: float


class Probe:
    """Watches the viewer of a window: paints, results leaving the bridge, ``page_sharp``."""

    def __init__(self, window: MainWindow, bridge: RenderBridge) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.window = window
        self.viewer = window.viewer
        self.bridge = bridge
        self.started = 0.0
        self.page = 0
        self.marks: dict[str, float] = {}  # "sent", "sharp": perf_counter() of the current visit
        self.paints: list[float] = []
        probe = self

        class PaintWatch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    probe.paints.append(time.perf_counter())
                return False

        self._watch = PaintWatch()
        self.viewer.viewport().installEventFilter(self._watch)
        self.viewer.page_sharp.connect(self._sharp)
        _common.connect_probe(bridge.rendered, self._sent, direct=True)

    def _sharp(self, page: int) -> None:
        if page == self.page:
            self.marks.setdefault("sharp", time.perf_counter())

    def _sent(self, request: Any, _image: Any, _zoom: float, _error: str) -> None:
        tag = request.tag
        mine = isinstance(tag, tuple) and tag[0] == self.viewer.document_id and tag[1] == self.page
        if mine:
            self.marks.setdefault("sent", time.perf_counter())

    def idle(self) -> None:
        """Wait until the renderer has nothing queued or drawing, and its results are delivered."""
        _common.wait_until(lambda: self.bridge.pending() == 0, timeout=60)
        _common.settle(0.05)

    def visit(self, page: int, action: Callable[[], None]) -> Visit:
        """Do ``action`` (which shows ``page``) and time it until the page is sharp."""
        self.page, self.marks, self.paints = page, {}, []
        self.started = time.perf_counter()
        action()
        first = time.perf_counter() - self.started
        item = self.viewer._page_item  # the benchmark reads the item the viewer draws into
        had_image = item is not None and not item.pixmap().isNull()
        if not _common.wait_until(lambda: "sharp" in self.marks, timeout=60):
            raise SystemExit(f"page {page} was not sharp within 60 s")
        _common.wait_until(lambda: bool(self.paints), timeout=1)
        return Visit(
            page=page,
            first=first,
            had_image=had_image,
            painted=self.paints[0] - self.started if self.paints else math.nan,
            sent=self.marks.get("sent", math.nan) - self.started,
            sharp=self.marks["sharp"] - self.started,
        )

    def cached(self, page: int) -> bool:
        """Whether the viewer holds a render of ``page`` of the document shown at the zoom shown."""
        from reviewer.ui.page_view import zoom_bucket

        doc_id = self.viewer.document_id
        bucket = zoom_bucket(self.viewer.zoom * self.viewer.devicePixelRatioF())
        return (doc_id, page, bucket) in self.viewer._cache  # the benchmark reads the viewer's cache


def run_window(
    case: Case, docs: list[tuple[int, int, int]], repeat_seed: int
) -> tuple[dict[str, list[Visit]], dict[str, float], dict[str, list[float]], float]:
    """Page through the documents; visits by phase, worst stall by phase, all stalls, the zoom drawn."""
    from PySide6.QtCore import QSettings

    from reviewer.ui.app import application
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.page_view import zoom_bucket
    from reviewer.ui.render_bridge import RenderBridge
    from reviewer.ui.thumbnails import ThumbnailCache

    app = application()
    _common.quiet_qt()
    _common.guard_refcounts()
    bridge = RenderBridge()  # two processes, as Launcher makes it
    thumbnails = ThumbnailCache()
    settings_dir = Path(tempfile.mkdtemp(prefix="reviewer-bench-settings-"))
    settings = QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(case, bridge, thumbnails, settings)
    visits: dict[str, list[Visit]] = {phase: [] for phase in PHASES}
    stalls = _common.StallMeter()
    try:
        window.resize(*WINDOW)
        window.show()
        _common.wait_until(lambda: window.viewer.is_sharp, timeout=60)
        probe = Probe(window, bridge)
        probe.idle()
        zoom = zoom_bucket(window.viewer.zoom * window.viewer.devicePixelRatioF())
        viewer = window.viewer
        stalls.start()
        for index, (jump_doc, rapid_doc, reading_doc) in enumerate(docs):
            rng = random.Random(repeat_seed * 1000 + index)

            stalls.mark("open document")
            visits["open document"].append(probe.visit(1, partial(window.open_document, jump_doc)))
            stalls.mark("between")
            probe.idle()
            for page in rng.sample(range(1, PAGES + 1), PAGES):
                if page == viewer.current_page or probe.cached(page):
                    continue
                stalls.mark("cold jump")
                visits["cold jump"].append(probe.visit(page, partial(viewer.go_to_page, page)))
                stalls.mark("between")
                probe.idle()

            stalls.mark("open document")
            visits["open document"].append(probe.visit(1, partial(window.open_document, rapid_doc)))
            stalls.mark("between")
            probe.idle()
            stalls.mark("next page, at once")
            for page in range(2, PAGES + 1):
                visits["next page, at once"].append(probe.visit(page, viewer.next_page))
            stalls.mark("between")
            probe.idle()

            stalls.mark("open document")
            visits["open document"].append(probe.visit(1, partial(window.open_document, reading_doc)))
            stalls.mark("between")
            probe.idle()
            for page in range(2, PAGES + 1):
                stalls.mark("next page, reading")
                visits["next page, reading"].append(probe.visit(page, viewer.next_page))
                stalls.mark("between")
                probe.idle()

            order = [p for p in rng.sample(range(1, PAGES + 1), PAGES) if p != viewer.current_page]
            missing = [p for p in order if not probe.cached(p)]
            if missing:
                print(f"  (pages {missing} fell out of the viewer's cache; their revisits are not warm)")
            stalls.mark("warm revisit")
            for page in order:
                visits["warm revisit"].append(probe.visit(page, partial(viewer.go_to_page, page)))
            stalls.mark("between")
            probe.idle()
        stalls.stop()
    finally:
        stalls.stop()
        window.close()
        thumbnails.wait()
        bridge.close()
        app.processEvents()
        window.deleteLater()
        shutil.rmtree(settings_dir, ignore_errors=True)
    worst = {phase: stalls.worst(phase) for phase in PHASES}
    return visits, worst, {phase: stalls.gaps(phase) for phase in PHASES}, zoom


# -- the report ------------------------------------------------------------------------------------------


def _figures(values: list[float]) -> tuple[str, str]:
    return ms(median(values)), ms(percentile(values, 95))


def report(
    visits: dict[str, list[Visit]], worst: dict[str, float], gaps: dict[str, list[float]], base: Baseline
) -> None:
    """Print the tables."""
    cold_base, first_base, warm_base = median(base.cold), median(base.first), median(base.warm)
    rows = []
    for phase in PHASES:
        done = visits[phase]
        if not done:
            continue
        first = [v.first for v in done]
        painted = [v.painted for v in done if not math.isnan(v.painted)]
        sent = [v.sent for v in done if not math.isnan(v.sent)]
        sharp = [v.sharp for v in done]
        shown = sum(v.had_image for v in done)
        goal = GOAL_WARM_S if phase == "warm revisit" else GOAL_COLD_S
        base_for = warm_base if phase == "warm revisit" else cold_base
        met = "yes" if median(sharp) < goal else "no"
        rows.append(
            [
                phase,
                len(done),
                f"{shown}/{len(done)}",
                *_figures(first),
                ms(median(painted)),
                ms(median(sent)) if sent else "–",
                *_figures(sharp),
                ratio(median(sharp), base_for),
                f"< {goal * 1000:.0f}: {met}",
            ]
        )
    print()
    print(
        table(
            [
                "visit",
                "n",
                "image at once",
                "first image med",
                "p95",
                "painted med",
                "sent med",
                "sharp med",
                "sharp p95",
                "sharp / plain",
                "goal ms (median)",
            ],
            rows,
        )
    )
    print()
    print("plain PyMuPDF, same originals, same zoom (ms per page):")
    print(
        table(
            ["plain PyMuPDF", "n", "median", "p95"],
            [
                ["cold (fresh open + draw)", len(base.cold), *_figures(base.cold)],
                ["first in open doc", len(base.first), *_figures(base.first)],
                ["warm (same page again)", len(base.warm), *_figures(base.warm)],
            ],
        )
    )
    print(
        f"(the ratio of cold visits is over the cold baseline; over 'first in open doc' it is "
        f"{ratio(median([v.sharp for v in visits['cold jump']]), first_base)} for cold jumps)"
    )
    print()
    print("event-loop stalls (5 ms timer on the UI thread; gap minus 5 ms):")
    stall_rows = []
    for phase in PHASES:
        if gaps[phase]:
            stall_rows.append(
                [
                    phase,
                    ms(percentile(gaps[phase], 99)),
                    ms(worst[phase]),
                    "yes" if worst[phase] < GOAL_STALL_S else "no",
                ]
            )
    print(table(["phase", "p99 ms", "worst ms", f"worst < {GOAL_STALL_S * 1000:.0f} ms"], stall_rows))
    overall = max(worst.values(), default=0.0)
    print(f"longest stall of the run: {ms(overall)} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions, each on fresh documents")
    parser.add_argument("--keep", type=Path, help="keep the generated scan here and reuse it")
    parser.add_argument("--seed", type=int, default=1, help="seed of the scan and of the page order")
    parser.add_argument("--quiet-wait", type=float, default=60, help="seconds to wait for an idle machine")
    args = parser.parse_args()
    _common.prepare()
    print(_common.machine())
    scratch = Path(tempfile.mkdtemp(prefix="reviewer-bench-viewer-"))
    case = None
    try:
        base = base_scan(args.keep, scratch, args.seed)
        files = variants(base, scratch / "variants", 1 + 3 * args.repeat)
        case, ids = build_case(scratch / "case", files)
        docs = [
            (ids[files[3 * r + 1]], ids[files[3 * r + 2]], ids[files[3 * r + 3]]) for r in range(args.repeat)
        ]
        _common.wait_for_quiet(args.quiet_wait)
        visits, worst, gaps, zoom = run_window(case, docs, args.seed)
        baseline = Baseline()
        for r in range(args.repeat):
            original = case.layout.original(_sha(case, docs[r][0]))
            plain_pymupdf(original, zoom, baseline)
        print(_common.machine())
        print(f"\nzoom drawn: {zoom:g} px/pt ({PAGES}-page {DPI}-dpi scan, window {WINDOW[0]}×{WINDOW[1]})")
        report(visits, worst, gaps, baseline)
    finally:
        if case is not None:
            case.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _sha(case: Case, doc_id: int) -> str:
    from reviewer.core.services.queries import page_view

    return page_view(case, doc_id).sha256


if __name__ == "__main__":
    sys.exit(main())
