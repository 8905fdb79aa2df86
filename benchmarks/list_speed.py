"""Document list speed with 10,000 documents: the lazy model in the real window, beside plain sqlite3.

Run from the repository root::

    python benchmarks/list_speed.py [--repeat N] [--documents N]

**The case is mostly synthetic.** Five real files (two born-digital PDFs, a two-page scan, a PNG and
a JPEG, from ``tests.filemaker``) are imported normally; the other documents are *clones* written
with plain SQL straight into the case database: each copies one real document's ``document`` row
(with a new, made-up SHA-256, and title, type, date and status drawn at random: a mix of all five
statuses, a title on a third of them, a date and a type on some), its ``page`` rows and its
``sighting`` row (renamed ``<name>-NNNNN.<ext>``), and gets 0-3 tags from a list of six. Clones have
no original file and no custody entries; their pages are their template's as read (text, words, OCR
status: a case whose reading is done; ``--unread`` leaves every page waiting, so the window reads
them in the background all through the run, each clone's task failing at once for want of its
original: a worst case); their page-1
thumbnail is a symbolic link to their template's, so the list's icons load real PNGs.

Then, offscreen, in one process:

``model``
    ``DocumentListModel(case, thumbnails)`` alone (``find_documents`` and the first 200 rows), and
    ``fetchMore`` called directly until every row is loaded (the time of each call).
``window``
    a real ``MainWindow`` (1400 × 900) made and shown until the list is first painted; scrolling to
    the bottom as a person dragging the scroll bar does (``verticalScrollBar().setValue(maximum)``
    and ``processEvents()`` until the model can fetch no more: each step is one fetch, and the UI
    thread is blocked for all of it); filters set through the filter bar (text ``scan``, a tag, a
    status: from the call to the model reset, to the call's return, and to the list's next paint);
    sorting by title and by date through the header. Each filter is also timed on the model alone
    (``set_filter``), where the window's follow-up (re-selecting the current document, which may
    read the block of rows it is in and show another document) is not included. "rows shown after"
    is the model's ``rowCount``: a far document shows the list down to it, its own block alone read.
``memory``
    the process's resident memory (VmRSS) before the window, after it is shown, after every row is
    loaded, and at the end.

The baseline runs the same SQL (as SQLAlchemy emits it for ``find_documents`` and ``summaries``,
with the same ``casefold`` function) through plain ``sqlite3`` on the same database in the same run:
the ids query plus the first 200 rows for a reload, 200 rows for a fetch. The ratios divide the
model's median by the baseline's. No time is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import shutil
import sqlite3
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
    from collections.abc import Callable, Sequence

    from reviewer.core.services.case import Case
    from reviewer.ui.main_window import MainWindow

DOCUMENTS = 10_000
BATCH = 200  # DocumentListModel's batch
TAGS = ("shipping", "finance", "priority", "follow-up", "translated", "disputed-origin")
TITLES = (
    "Export passport for the cargo",
    "Scanned invoice from the port authority",
    "Letter to the ministry",
    "Bill of sale, second copy",
    "Note verbale (draft)",
    "Contract annex",
)
STATUSES = ("unverified", "in_review", "verified", "disputed", "fabricated")
TYPES = ("diplomatic_note", "letter", "export_passport", "bill_of_sale", "invoice", "contract", "other")
TEXT_FILTER = "scan"
OPENS = 10  # documents opened in each way, each repetition
TIMELINE_DRAWS = 3  # times the timeline is built and drawn, each repetition
TAG_FILTER = "finance"
STATUS_FILTER = "disputed"


# -- the case -------------------------------------------------------------------------------------------


def real_files(folder: Path) -> list[Path]:
    """The five real files."""
    from tests import filemaker

    folder.mkdir(parents=True)
    return [
        filemaker.make_text_pdf(folder / "note-verbale.pdf", pages=3, seed=1),
        filemaker.make_text_pdf(folder / "cargo-letter.pdf", pages=5, seed=2, title="Cargo letter"),
        filemaker.make_scanned_pdf(folder / "scan-invoice.pdf", pages=2, dpi=150, noise=0.2, seed=3),
        filemaker.make_png(folder / "screenshot.png", width=800, height=1000, seed=4),
        filemaker.make_jpeg_with_exif(folder / "photo-of-page.jpg", seed=5),
    ]


#: columns of a clone's document row not copied from its template (the list's folded text is made anew)
CLONE_OWN = ("id", "sha256", "title", "doc_type", "document_date", "status", "list_name", "list_text")


def _columns(db: sqlite3.Connection, name: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({name})")]


def clone_documents(database: Path, derived: Path, total: int, seed: int = 0) -> int:
    """Clone the imported documents until the case holds ``total``; returns how many were made."""
    rng = random.Random(seed)
    db = sqlite3.connect(database, isolation_level=None)
    try:
        templates = [row[0] for row in db.execute("SELECT id FROM document ORDER BY id")]
        shas = dict(db.execute("SELECT id, sha256 FROM document").fetchall())
        names = dict(
            db.execute("SELECT document_id, original_name FROM sighting ORDER BY id DESC").fetchall()
        )
        start = max(templates) + 1
        count = total - len(templates)
        if count <= 0:
            return 0
        doc_cols = [c for c in _columns(db, "document") if c not in CLONE_OWN]
        page_cols = [c for c in _columns(db, "page") if c not in ("id", "document_id")]
        sight_cols = [
            c
            for c in _columns(db, "sighting")
            if c not in ("id", "document_id", "original_name", "original_path")
        ]
        insert_doc = (
            "INSERT INTO document (id, sha256, title, doc_type, document_date, status, "
            f"{', '.join(doc_cols)}) "
            f"SELECT ?, ?, ?, ?, ?, ?, {', '.join(doc_cols)} FROM document WHERE id = ?"
        )
        insert_pages = (
            f"INSERT INTO page (document_id, {', '.join(page_cols)}) "
            f"SELECT ?, {', '.join(page_cols)} FROM page WHERE document_id = ?"
        )
        insert_sighting = (
            f"INSERT INTO sighting (document_id, original_name, original_path, {', '.join(sight_cols)}) "
            f"SELECT ?, ?, ?, {', '.join(sight_cols)} FROM sighting WHERE document_id = ? "
            "ORDER BY id LIMIT 1"
        )
        docs, pages, sightings, tags = [], [], [], []
        links: list[tuple[str, str]] = []
        for offset in range(count):
            new_id = start + offset
            template = templates[offset % len(templates)]
            sha = hashlib.sha256(f"synthetic clone {new_id}".encode()).hexdigest()
            stem, dot, ext = names[template].rpartition(".")
            name = f"{stem}-{new_id:05d}{dot}{ext}"
            title = rng.choice(TITLES) + f" {new_id}" if rng.random() < 0.33 else None
            kind = rng.choice(TYPES) if rng.random() < 0.5 else None
            date = (
                f"{rng.randint(2012, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                if rng.random() < 0.6
                else None
            )
            docs.append((new_id, sha, title, kind, date, rng.choice(STATUSES), template))
            pages.append((new_id, template))
            sightings.append((new_id, name, f"/leak/batch-{new_id // 1000}/{name}", template))
            if rng.random() < 0.3:
                tags += [(new_id, tag) for tag in rng.sample(TAGS, rng.randint(1, 3))]
            links.append((shas[template], sha))
        db.execute("BEGIN")
        db.executemany(insert_doc, docs)
        db.executemany(insert_pages, pages)
        db.executemany(insert_sighting, sightings)
        db.executemany("INSERT INTO document_tag (document_id, tag) VALUES (?, ?)", tags)
        _fill_list_names(db, [(d[0], d[2], s[1], d[1]) for d, s in zip(docs, sightings, strict=True)])
        db.execute("COMMIT")
        db.execute("ANALYZE")
    finally:
        db.close()
    for template_sha, sha in links:
        folder = derived / sha[:2] / sha
        folder.mkdir(parents=True, exist_ok=True)
        source = derived / template_sha[:2] / template_sha / "thumb-00001.png"
        if source.exists():
            os.symlink(source, folder / "thumb-00001.png")
    return count


def _fill_list_names(db: sqlite3.Connection, clones: list[tuple[int, str | None, str, str]]) -> None:
    """The list's folded name and haystack of each clone (id, title, file name, SHA-256), as reviewer's."""
    if "list_name" not in _columns(db, "document"):
        return  # a case made before the stored list name
    from reviewer.core.storage.list_names import values

    made = [values(title, name, None, None, None, sha) for _id, title, name, sha in clones]
    db.executemany(
        "UPDATE document SET list_name = ?, list_text = ? WHERE id = ?",
        [(v["list_name"], v["list_text"], c[0]) for v, c in zip(made, clones, strict=True)],
    )


def build_case(root: Path, scratch: Path, total: int, *, unread: bool = False) -> None:
    """The case: five real documents and their clones, read as a case is once its reading is done,
    or (``unread``) every clone's pages waiting for the window's background reading."""
    from reviewer.core.services.case import create_case
    from reviewer.core.services.importing import import_paths
    from reviewer.core.services.reading import read_pages

    with create_case(root, title="list benchmark", actor="benchmark") as case:
        files = real_files(scratch / "files")
        report = import_paths(case, files)
        if report.failed or len(report.imported) != len(files):
            raise SystemExit(f"import failed: {report.failed}")
        if not unread:
            read_pages(case)  # the templates read (the scan OCR'd when Tesseract is there): clones copy it
        database, derived = case.layout.database, case.layout.derived
    started = time.perf_counter()
    made = clone_documents(database, derived, total)
    print(f"cloned {made} synthetic documents in SQL in {time.perf_counter() - started:.1f} s")


# -- plain sqlite3 ----------------------------------------------------------------------------------------

NAME = (
    "(SELECT sighting.original_name FROM sighting WHERE sighting.document_id = document.id "
    "ORDER BY sighting.id LIMIT 1)"
)
SHOWN = f"coalesce(document.title, {NAME})"
TEXT_WHERE = " OR ".join(
    f"instr(casefold({column}), ?) > 0"
    for column in (
        SHOWN,
        "document.reference_number",
        "document.issuer",
        "document.recipient",
        "document.sha256",
    )
)
ORDER = {"id": "document.id", "title": f"casefold({SHOWN})", "document_date": "document.document_date"}


class Plain:
    """The model's queries through plain sqlite3, as SQLAlchemy emits them."""

    def __init__(self, database: Path) -> None:
        self.db = sqlite3.connect(database, isolation_level=None)
        self.db.create_function(
            "casefold", 1, lambda v: v.casefold() if isinstance(v, str) else None, deterministic=True
        )
        #: the case has the list's stored, folded name and haystack (migration 0012)
        self.stored = "list_name" in _columns(self.db, "document")

    def ids(
        self,
        *,
        text: str = "",
        tag: str | None = None,
        status: str | None = None,
        sort: str = "id",
        descending: bool = False,
    ) -> list[int]:
        """``find_documents``."""
        where: list[str] = []
        params: list[Any] = []
        if text and self.stored:  # the stored, folded haystack (issue 16), as ``_matching`` reads it
            needle = text.casefold().replace("/", "//").replace("%", "/%").replace("_", "/_")
            where.append("document.list_text LIKE '%' || ? || '%' ESCAPE '/'")
            params.append(needle)
        elif text:
            where.append(f"({TEXT_WHERE})")
            params += [text.casefold()] * 5
        if tag:
            where.append(
                "EXISTS (SELECT * FROM document_tag WHERE document_tag.document_id = document.id "
                "AND document_tag.tag = ?)"
            )
            params.append(tag)
        if status:
            where.append("document.status = ?")
            params.append(status)
        sql = "SELECT document.id FROM document"
        if where:
            sql += " WHERE " + " AND ".join(where)
        key = ORDER[sort]
        if sort == "title" and self.stored:  # the stored name; with the text filter, not its index
            key = "document.list_name || ''" if text else "document.list_name"
        sql += f" ORDER BY {key} {'DESC' if descending else 'ASC'}, document.id"
        self.db.execute("BEGIN")
        try:
            return [row[0] for row in self.db.execute(sql, params)]
        finally:
            self.db.execute("ROLLBACK")

    def rows(self, ids: Sequence[int]) -> list[tuple[Any, ...]]:
        """``summaries``: the list rows of ``ids``, tags included, in the order given."""
        found: dict[int, tuple[Any, ...]] = {}
        self.db.execute("BEGIN")
        try:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                marks = ", ".join("?" * len(chunk))
                tags: dict[int, list[str]] = {}
                for doc_id, tag in self.db.execute(
                    f"SELECT document_id, tag FROM document_tag WHERE document_id IN ({marks}) ORDER BY tag",
                    chunk,
                ):
                    tags.setdefault(doc_id, []).append(tag)
                for row in self.db.execute(
                    f"SELECT document.id, document.sha256, document.title, {NAME}, document.doc_type, "
                    "document.document_date, document.status, document.page_count, document.size, "
                    f"document.media_type, document.imported_at FROM document WHERE document.id IN ({marks})",
                    chunk,
                ):
                    found[row[0]] = (*row, tuple(tags.get(row[0], ())))
        finally:
            self.db.execute("ROLLBACK")
        return [found[i] for i in ids if i in found]

    def open(self, doc_id: int) -> None:
        """What showing one document reads: its list row, its row and its pages (``page_view``)."""
        self.rows([doc_id])
        self.db.execute("BEGIN")
        try:
            self.db.execute("SELECT * FROM document WHERE id = ?", (doc_id,)).fetchall()
            self.db.execute("SELECT * FROM page WHERE document_id = ? ORDER BY number", (doc_id,)).fetchall()
        finally:
            self.db.execute("ROLLBACK")

    def timeline_counts(self) -> list[tuple[Any, ...]]:
        """What the timeline reads first (``timeline_documents``): the listed documents counted per
        stored date and status, a row per date."""
        sums = ", ".join(f"sum(CASE WHEN document.status = '{s}' THEN 1 ELSE 0 END)" for s in STATUSES)
        self.db.execute("BEGIN")
        try:
            return self.db.execute(
                f"SELECT document.document_date, {sums} FROM document GROUP BY document.document_date"
            ).fetchall()
        finally:
            self.db.execute("ROLLBACK")

    def timeline(self) -> list[tuple[Any, ...]]:
        """What the timeline read of every listed document before it read counts: id, date, status,
        and the name of a dated one (its title, else the file it was first seen as)."""
        self.db.execute("BEGIN")
        try:
            return self.db.execute(
                "SELECT document.id, document.document_date, document.status, CASE WHEN "
                "document.document_date IS NULL THEN NULL ELSE coalesce(nullif(document.title, ''), "
                f"nullif({NAME}, ''), substr(document.sha256, 1, 12)) END FROM document ORDER BY document.id"
            ).fetchall()
        finally:
            self.db.execute("ROLLBACK")

    def reload(self, **wanted: Any) -> list[int]:
        """What a model reload asks: the ids, then the first batch of rows."""
        ids = self.ids(**wanted)
        self.rows(ids[:BATCH])
        return ids

    def close(self) -> None:
        """Close the connection."""
        self.db.close()


# -- measuring ---------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """Seconds by what was measured."""

    times: dict[str, list[float]] = field(default_factory=dict)

    def add(self, key: str, seconds: float) -> None:
        """Record one time."""
        self.times.setdefault(key, []).append(seconds)

    def get(self, key: str) -> list[float]:
        """The times of ``key``."""
        return self.times.get(key, [])


def timed(fn: Callable[[], object]) -> float:
    """Seconds ``fn`` took."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


class ListWatch:
    """Times of the list's paints and of the model's resets."""

    def __init__(self, window: MainWindow) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.paints: list[float] = []
        self.resets: list[float] = []
        watch = self

        class PaintWatch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    watch.paints.append(time.perf_counter())
                return False

        self._filter = PaintWatch()
        window.list.viewport().installEventFilter(self._filter)
        window.model.modelReset.connect(lambda: self.resets.append(time.perf_counter()))

    def act(self, action: Callable[[], object]) -> tuple[float, float, float]:
        """Seconds from ``action`` to the model reset (nan if none), to its return, to the next paint.

        The reset is timed by a slot connected after the view's, so it includes the view's handling.
        """
        import math

        self.paints, self.resets = [], []
        started = time.perf_counter()
        action()
        returned = time.perf_counter() - started
        _common.wait_until(lambda: any(p > started + returned for p in self.paints), timeout=10)
        painted = next((p - started for p in self.paints if p > started + returned), math.nan)
        reset = self.resets[0] - started if self.resets else math.nan
        return reset, returned, painted


FILTERS: dict[str, dict[str, Any]] = {
    "text": {"text": TEXT_FILTER},
    "tag": {"tag": TAG_FILTER},
    "status": {"status": STATUS_FILTER},
}
WINDOW_SORTS = (("title desc", 0, False), ("date desc", 2, False), ("title asc (the default)", 0, True))


def _document_filter(wanted: dict[str, Any]) -> Any:
    from reviewer.core.domain.values import VerificationStatus
    from reviewer.core.services.queries import DocumentFilter

    status = VerificationStatus(wanted["status"]) if "status" in wanted else None
    return DocumentFilter(text=wanted.get("text", ""), tag=wanted.get("tag"), status=status)


def check_same_answers(case: Case, plain: Plain) -> dict[str, int]:
    """Plain sqlite3 must find what ``find_documents`` finds, or the comparison means nothing."""
    from reviewer.core.services.queries import DocumentFilter, find_documents

    counts: dict[str, int] = {}
    for key, wanted in FILTERS.items():
        ours = find_documents(case, _document_filter(wanted))
        if ours != plain.ids(**wanted):
            raise SystemExit(f"plain sqlite3 and find_documents disagree on the {key} filter")
        counts[key] = len(ours)
    for sort in ("title", "document_date"):
        if find_documents(case, DocumentFilter(sort=sort, descending=True)) != plain.ids(
            sort=sort, descending=True
        ):
            raise SystemExit(f"plain sqlite3 and find_documents disagree on sorting by {sort}")
    return counts


def measure_model(case: Case, thumbnails: Any, figures: Figures) -> None:
    """``DocumentListModel`` alone: made, fetched to the end, filtered, sorted."""
    from PySide6.QtCore import QModelIndex, Qt

    from reviewer.core.services.queries import DocumentFilter
    from reviewer.ui.document_list import DocumentListModel

    started = time.perf_counter()
    model = DocumentListModel(case, thumbnails)
    figures.add("model: construct", time.perf_counter() - started)
    root = QModelIndex()
    while model.canFetchMore(root):
        figures.add("model: fetchMore", timed(partial(model.fetchMore, root)))
    for key, wanted in FILTERS.items():
        figures.add(f"model: set_filter {key}", timed(partial(model.set_filter, _document_filter(wanted))))
        figures.add("model: set_filter none", timed(partial(model.set_filter, DocumentFilter())))
    for sort, column in (("title", 0), ("document_date", 2)):
        figures.add(f"model: sort {sort}", timed(partial(model.sort, column, Qt.SortOrder.DescendingOrder)))
    model.deleteLater()


def measure_plain(plain: Plain, figures: Figures) -> None:
    """The same queries through plain sqlite3."""
    figures.add("plain: reload", timed(plain.reload))
    all_ids = plain.ids()
    for start in range(BATCH, len(all_ids), BATCH):
        figures.add("plain: fetch", timed(partial(plain.rows, all_ids[start : start + BATCH])))
    for key, wanted in FILTERS.items():
        figures.add(f"plain: filter {key}", timed(partial(plain.reload, **wanted)))
    for sort in ("title", "document_date"):
        figures.add(f"plain: sort {sort}", timed(partial(plain.reload, sort=sort, descending=True)))
    # the window lists by title (its default order), so its filters reload in that order
    figures.add("plain: reload by title", timed(partial(plain.reload, sort="title")))
    for key, wanted in FILTERS.items():
        figures.add(f"plain: filter {key} by title", timed(partial(plain.reload, sort="title", **wanted)))
    picks = random.Random(len(all_ids)).sample(all_ids, min(OPENS, len(all_ids)))
    for doc_id in picks:
        figures.add("plain: open", timed(partial(plain.open, doc_id)))
    figures.add("plain: timeline rows", timed(plain.timeline))
    figures.add("plain: timeline counts", timed(plain.timeline_counts))


def _filter_actions(window: MainWindow, key: str) -> tuple[Callable[[], None], Callable[[], None]]:
    """Setting and clearing one filter through the filter bar, as a person does."""
    bar = window.filters
    if key == "text":
        return partial(bar.text.setText, TEXT_FILTER), partial(bar.text.setText, "")
    box = bar.tag if key == "tag" else bar.status
    wanted = TAG_FILTER if key == "tag" else STATUS_FILTER
    return partial(box.setCurrentIndex, box.findData(wanted)), partial(box.setCurrentIndex, 0)


def measure_window(
    window: MainWindow, figures: Figures, memory: list[tuple[str, float]], loaded: dict[str, int]
) -> None:
    """A shown window: scroll to the bottom, filter through the filter bar, sort through the header."""
    from PySide6.QtCore import Qt

    started = time.perf_counter()
    window.resize(1400, 900)
    window.show()
    watch = ListWatch(window)
    _common.wait_until(lambda: bool(watch.paints), timeout=30)
    figures.add("window: shown, list painted", watch.paints[0] - started)
    _common.wait_until(lambda: window.viewer.is_sharp, timeout=30)
    memory.append(("window shown (200 rows)", _common.rss_mib()))
    from reviewer.ui.app import freeze_long_lived

    freeze_long_lived()  # as ``reviewer.ui.app.run`` does once the window is up, before its event loop
    figures.add("window: scroll to bottom (total)", scroll_to_bottom(window, figures))
    memory.append((f"all {window.model.rowCount()} rows loaded", _common.rss_mib()))
    _common.settle(0.3)  # the icons of the rows in view load off the UI thread

    def act(name: str, action: Callable[[], object]) -> None:
        reset, returned, painted = watch.act(action)
        loaded[name] = max(loaded.get(name, 0), window.model.rowCount())
        figures.add(f"window: {name} reset", reset)
        figures.add(f"window: {name} returned", returned)
        figures.add(f"window: {name} painted", painted)

    for key in FILTERS:
        set_it, clear_it = _filter_actions(window, key)
        act(f"filter {key}", set_it)
        act(f"filter {key} cleared", clear_it)
    for name, column, ascending in WINDOW_SORTS:
        order = Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder
        act(f"sort {name}", partial(window.list.sortByColumn, column, order))
    measure_open(window, figures)
    measure_timeline(window, figures)


def measure_open(window: MainWindow, figures: Figures) -> None:
    """Open documents: a click on a loaded row, and a document far down the list (as the timeline or a
    search hit opens one: ``open_document``), from the call to its return and until the events it
    posted are handled; and the five real documents (clones have no original to draw) until sharp."""
    from PySide6.QtWidgets import QApplication

    ids = window.model.document_ids()
    rng = random.Random(len(ids))

    def open_one(key: str, action: Callable[[], object]) -> None:
        started = time.perf_counter()
        action()
        figures.add(f"window: open ({key}) returned", time.perf_counter() - started)
        QApplication.processEvents()
        figures.add(f"window: open ({key}) handled", time.perf_counter() - started)

    for _ in range(OPENS):
        row = rng.randrange(1, min(window.model.rowCount(), BATCH))
        open_one("list row", partial(window.list.selectRow, row))
        window.list.selectRow(0)
        QApplication.processEvents()
    for _ in range(OPENS):
        open_one("far down", partial(window.open_document, ids[rng.randrange(len(ids) // 2, len(ids))]))
        window.model.reload()  # the next one is far down a list loaded from the top again
    for doc_id in range(1, 6):  # the five real documents: imported first
        window.open_document(6 if doc_id == 1 else 1)  # from another document
        _common.wait_until(lambda: window.viewer.is_sharp, timeout=30)
        started = time.perf_counter()
        window.open_document(doc_id)
        _common.wait_until(lambda: window.viewer.is_sharp, timeout=30)
        figures.add("window: open (real) sharp", time.perf_counter() - started)


def measure_timeline(window: MainWindow, figures: Figures) -> None:
    """The Timeline tab chosen: from the click to its return and to the plot's first paint (every
    listed document on it), after the list was reloaded so the timeline is built again; then zoomed
    in (twice as close a step, around the middle) until its marks are single documents: the step
    that reads the documents in sight, laid out and painted."""
    from PySide6.QtCore import QEvent, QObject

    paints: list[float] = []

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                paints.append(time.perf_counter())
            return False

    watch = PaintWatch()
    window.timeline.canvas.installEventFilter(watch)
    try:
        for _ in range(TIMELINE_DRAWS):
            window.browse.setCurrentIndex(0)
            window.model.reload()
            window._update_count()  # what an import or a filter does: the timeline is stale
            _common.settle(0.1)
            paints.clear()
            started = time.perf_counter()
            window.browse.setCurrentWidget(window.timeline)
            returned = time.perf_counter() - started
            _common.wait_until(lambda: bool(paints), timeout=60)
            figures.add("window: timeline returned", returned)
            figures.add("window: timeline drawn", (paints[0] if paints else math.nan) - started)
            canvas = window.timeline.canvas
            for _step in range(40):
                started = time.perf_counter()
                canvas.zoom(2)
                canvas.repaint()
                if not canvas.layout_now().days_counted:
                    figures.add("window: timeline zoomed in", time.perf_counter() - started)
                    break
            window.timeline.fit_all()
        window.browse.setCurrentIndex(0)
    finally:
        window.timeline.canvas.removeEventFilter(watch)


def run(
    case: Case,
    plain: Plain,
    repeat: int,
    figures: Figures,
    memory: list[tuple[str, float]],
    loaded: dict[str, int],
) -> dict[str, int]:
    """Every measurement; returns the row count of each filter, and fills ``loaded`` with the rows
    loaded in the model after each window action (the most seen)."""
    from PySide6.QtCore import QSettings

    from reviewer.ui.app import application
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.render_bridge import RenderBridge
    from reviewer.ui.thumbnails import ThumbnailCache

    app = application()
    _common.quiet_qt()
    _common.guard_refcounts()
    bridge = RenderBridge()
    thumbnails = ThumbnailCache()
    settings_dir = Path(tempfile.mkdtemp(prefix="reviewer-bench-settings-"))
    settings = QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat)
    counts = check_same_answers(case, plain)
    window: MainWindow | None = None
    try:
        memory.append(("before the window (Qt, case open)", _common.rss_mib()))
        for _ in range(repeat):
            measure_model(case, thumbnails, figures)
            app.processEvents()
            measure_plain(plain, figures)
            if window is not None:
                window.close()
                window.deleteLater()
                app.processEvents()
            started = time.perf_counter()
            window = MainWindow(case, bridge, thumbnails, settings)
            figures.add("window: constructed", time.perf_counter() - started)
            measure_window(window, figures, memory, loaded)
        memory.append(("end", _common.rss_mib()))
    finally:
        if window is not None:
            window.close()
        thumbnails.wait()
        bridge.close()
        app.processEvents()
        shutil.rmtree(settings_dir, ignore_errors=True)
    return counts


def scroll_to_bottom(window: MainWindow, figures: Figures) -> float:
    """Drag the scroll bar to the end until every row is loaded; the total seconds."""
    from PySide6.QtCore import QModelIndex

    app_events = _process_events()
    bar = window.list.verticalScrollBar()
    model = window.model
    started = time.perf_counter()
    steps = 0
    while model.canFetchMore(QModelIndex()):
        before = model.rowCount()
        step = time.perf_counter()
        bar.setValue(bar.maximum())
        app_events()
        seconds = time.perf_counter() - step
        fetched = (model.rowCount() - before) // BATCH
        figures.add("window: scroll step", seconds)
        if fetched:
            figures.add("window: scroll step per fetch", seconds / fetched)
        steps += 1
        # every step must load at least one batch: allow ten times the batches the list holds
        if steps > 10 * (model.total() // BATCH + 1):
            raise SystemExit("scrolling does not load more rows")
    return time.perf_counter() - started


def _process_events() -> Callable[[], None]:
    from PySide6.QtWidgets import QApplication

    return QApplication.processEvents


# -- the report ------------------------------------------------------------------------------------------


def report(
    figures: Figures,
    memory: list[tuple[str, float]],
    counts: dict[str, int],
    total: int,
    loaded: dict[str, int],
) -> None:
    """Print the tables."""

    def row(label: str, key: str, base: str | None = None) -> list[str]:
        values = figures.get(key)
        base_values = figures.get(base) if base else []
        return [
            label,
            str(len(values)),
            ms(median(values)),
            ms(percentile(values, 95)),
            ms(max(values, default=float("nan"))),
            ms(median(base_values)) if base else "",
            ratio(median(values), median(base_values)) if base else "",
        ]

    print()
    print(f"the model alone ({total} documents; plain sqlite3 runs the same SQL):")
    print(
        table(
            ["measure", "n", "median ms", "p95", "max", "plain sqlite3 ms", "ratio"],
            [
                row("construct (ids + first 200 rows)", "model: construct", "plain: reload"),
                row("fetchMore (200 rows)", "model: fetchMore", "plain: fetch"),
                row(
                    f"set_filter text '{TEXT_FILTER}' → {counts['text']}",
                    "model: set_filter text",
                    "plain: filter text",
                ),
                row(
                    f"set_filter tag '{TAG_FILTER}' → {counts['tag']}",
                    "model: set_filter tag",
                    "plain: filter tag",
                ),
                row(
                    f"set_filter status '{STATUS_FILTER}' → {counts['status']}",
                    "model: set_filter status",
                    "plain: filter status",
                ),
                row("set_filter none (all rows)", "model: set_filter none", "plain: reload"),
                row("sort by title, descending", "model: sort title", "plain: sort title"),
                row("sort by date, descending", "model: sort document_date", "plain: sort document_date"),
            ],
        )
    )
    print()
    print("the window (1400 × 900, offscreen):")
    print(
        table(
            ["measure", "n", "median ms", "p95", "max", "", ""],
            [
                row("MainWindow(...) constructed", "window: constructed"),
                row("then shown until the list is painted", "window: shown, list painted"),
                row(f"scroll to the bottom, {total} rows (total)", "window: scroll to bottom (total)"),
                row("one scroll step (fetch + layout + paint)", "window: scroll step"),
            ],
        )
    )
    print()
    bases = {
        "filter text": "plain: filter text by title",
        "filter tag": "plain: filter tag by title",
        "filter status": "plain: filter status by title",
        "sort title desc": "plain: sort title",
        "sort date desc": "plain: sort document_date",
    }
    action_rows = []
    for name in [*(f"filter {k}{c}" for k in FILTERS for c in ("", " cleared"))] + [
        f"sort {n}" for n, _, _ in WINDOW_SORTS
    ]:
        base = bases.get(name, "plain: reload by title")
        painted = figures.get(f"window: {name} painted")
        returned = figures.get(f"window: {name} returned")
        action_rows.append(
            [
                name,
                len(returned),
                ms(median(figures.get(f"window: {name} reset"))),
                ms(median(returned)),
                ms(max(returned, default=float("nan"))),
                ms(median(painted)),
                loaded.get(name, 0),
                ms(median(figures.get(base))),
                ratio(median(painted), median(figures.get(base))),
            ]
        )
    print(
        "filter bar and header in the window, listing by title as it does by default (times from the call; "
        "'reset' includes the view's own handling; plain sqlite3 reloads in the same order):"
    )
    print(
        table(
            [
                "action",
                "n",
                "reset med",
                "returned med",
                "returned max",
                "repainted med",
                "rows shown after",
                "plain sqlite3 ms",
                "repainted / plain",
            ],
            action_rows,
        )
    )
    print()
    print(
        "opening a document and drawing the timeline (the window; plain sqlite3 runs the same SQL: for the "
        "timeline, its counts per date and status; zoomed in, the former read of every document):"
    )
    print(
        table(
            ["measure", "n", "median ms", "p95", "max", "plain sqlite3 ms", "ratio"],
            [
                row("open: a list row clicked, returned", "window: open (list row) returned", "plain: open"),
                row("open: a list row clicked, handled", "window: open (list row) handled", "plain: open"),
                row("open: far down the list, returned", "window: open (far down) returned", "plain: open"),
                row("open: far down the list, handled", "window: open (far down) handled", "plain: open"),
                row("open: a real document, page sharp", "window: open (real) sharp", "plain: open"),
                row("timeline tab chosen, returned", "window: timeline returned", "plain: timeline counts"),
                row("timeline tab chosen, drawn", "window: timeline drawn", "plain: timeline counts"),
                row("timeline zoomed in to dots", "window: timeline zoomed in", "plain: timeline rows"),
            ],
        )
    )
    print()
    first = memory[0][1] if memory else float("nan")
    print(
        table(
            ["memory (VmRSS)", "MiB", "Δ from before the window"],
            [[label, f"{value:.0f}", f"{value - first:+.0f}"] for label, value in memory],
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of every measurement")
    parser.add_argument("--documents", type=int, default=DOCUMENTS, help="documents in the case")
    parser.add_argument(
        "--unread",
        action="store_true",
        help="leave every page unread: the window reads them in the background all through the run "
        "(the clones have no originals, so each of their tasks fails at once: a worst case)",
    )
    parser.add_argument("--quiet-wait", type=float, default=60, help="seconds to wait for an idle machine")
    args = parser.parse_args()
    _common.prepare()
    print(_common.machine())
    scratch = Path(tempfile.mkdtemp(prefix="reviewer-bench-list-"))
    try:
        build_case(scratch / "case", scratch, args.documents, unread=args.unread)
        _common.wait_for_quiet(args.quiet_wait)
        from reviewer.core.services.case import open_case

        figures = Figures()
        memory: list[tuple[str, float]] = []
        plain = Plain(scratch / "case" / "reviewer.sqlite")
        try:
            with open_case(scratch / "case", actor="benchmark") as case:
                loaded: dict[str, int] = {}
                counts = run(case, plain, args.repeat, figures, memory, loaded)
        finally:
            plain.close()
        print(_common.machine())
        report(figures, memory, counts, args.documents, loaded)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
