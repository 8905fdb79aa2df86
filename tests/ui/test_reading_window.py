"""The window reads pages in the background, searches them, highlights hits; the timeline and date filter."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QSettings

from reviewer.core.services import documents, reading
from reviewer.core.services.case import create_case
from reviewer.core.services.importing import import_paths
from reviewer.core.workers.pool import BACKGROUND_NICE
from reviewer.ui.main_window import MainWindow
from reviewer.ui.thumbnails import ThumbnailCache
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.ui.render_bridge import RenderBridge

LINES = ["МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ", "Исх. № 12-05/1174", "Концерн Белнефтехим просит содействия"]


@pytest.fixture
def unread_case(tmp_path: Path) -> Iterator[Case]:
    """A scanned note (id 1) and a born-digital letter (id 2), imported and not read yet."""
    filemaker.make_scanned_pdf(tmp_path / "scan.pdf", lines=LINES, skew_degrees=0.8, noise=0.1)
    filemaker.make_text_pdf(tmp_path / "letter.pdf", lines=["Письмо о ноте № 12-05/1174", "Привет"])
    with create_case(tmp_path / "case", actor="tester") as case:
        import_paths(case, [tmp_path / "scan.pdf", tmp_path / "letter.pdf"])
        documents.set_metadata(case, 1, {"document_date": "2019-05-12"})
        documents.set_metadata(case, 2, {"document_date": "2020"})
        yield case


def _window(qtbot: QtBot, case: Case, bridge: RenderBridge, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(case, bridge, ThumbnailCache(), settings)
    qtbot.addWidget(main)
    main.resize(1400, 900)
    main.show()
    qtbot.waitExposed(main)
    return main


def test_pages_waiting_are_counted_off_the_ui_thread_and_nothing_shows_when_none_wait(
    qtbot: QtBot, unread_case: Case, bridge: RenderBridge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 600,000 pages the count took the window 0.6-1.4 s as it opened a case: it is the job's."""
    from reviewer.ui import reading_status

    counted_on: list[bool] = []  # on the UI thread?
    priorities: list[int] = []  # of the thread counting, as the reading's own
    read_with: list[dict[str, object]] = []

    def count(case: Case) -> int:
        counted_on.append(threading.current_thread() is threading.main_thread())
        priorities.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return reading.pending_pages(case)

    def read(case: Case, **options: Any) -> reading.ReadReport:
        read_with.append(options)
        return reading.read_pages(case, **options)

    monkeypatch.setattr(reading_status, "pending_pages", count)
    monkeypatch.setattr(reading_status, "read_pages", read)
    here = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    main = _window(qtbot, unread_case, bridge, tmp_path)
    qtbot.waitUntil(lambda: main.reading.running, timeout=30_000)
    qtbot.waitUntil(lambda: not main.reading.running, timeout=120_000)
    assert counted_on == [False]
    assert reading.pending_pages(unread_case) == 0
    # at a lower priority than the window: the job's thread, and its workers (test_workers.py)
    assert priorities == [min(19, here + BACKGROUND_NICE)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == here
    assert [options.get("background") for options in read_with] == [True]

    reports: list[reading.ReadReport] = []
    main.reading.finished.connect(reports.append)
    main.reading.start()  # nothing waits now: counted, and nothing said or shown
    assert main.reading.running
    assert not main.reading.isVisible()
    qtbot.waitUntil(lambda: not main.reading.running, timeout=30_000)
    assert not main.reading.isVisible()
    assert counted_on == [False, False]
    assert reports == []


def test_pages_are_read_in_the_background_then_found_and_highlighted(
    qtbot: QtBot, unread_case: Case, bridge: RenderBridge, tmp_path: Path
) -> None:
    reports: list[reading.ReadReport] = []
    main = _window(qtbot, unread_case, bridge, tmp_path)
    main.reading.finished.connect(reports.append)
    # nobody asked: pages left unread are read on opening (once the first page is sharp)
    qtbot.waitUntil(lambda: main.reading.running, timeout=30_000)
    qtbot.waitUntil(lambda: not main.reading.running, timeout=120_000)
    assert [(r.pages, r.ocr) for r in reports] == [(2, 1)]
    assert not main.reading.isVisible()
    assert reading.pending_pages(unread_case) == 0

    main.show_search()
    assert main.browse.currentWidget() is main.search
    main.search.run("белнефтехим")
    assert main.search.model.rowCount() == 1
    main.open_hit(1, 1, "12-05/1174")
    qtbot.waitUntil(lambda: main.viewer.document_id == 1 and main.viewer.current_page == 1)
    qtbot.waitUntil(lambda: len(main.viewer.highlights) == 1)
    box = main.viewer.highlights[0]
    assert 0 < box.left() < box.right() < 596
    assert main.page_text.shown_layer() == "OCR"
    assert "12-05/1174" in main.page_text.text.toPlainText()
    main.close()


def test_the_timeline_and_the_date_filter_show_the_filtered_documents(
    qtbot: QtBot, unread_case: Case, bridge: RenderBridge, tmp_path: Path
) -> None:
    main = _window(qtbot, unread_case, bridge, tmp_path)
    main.browse.setCurrentWidget(main.timeline)
    assert {e.id for e in main.timeline.canvas.entries} == {1, 2}
    main.filters.date_from.setText("2019-05")
    main.filters.date_to.setText("2019-12-31")
    assert main.model.document_ids() == [1]
    assert {e.id for e in main.timeline.canvas.entries} == {1}
    main.filters.date_to.setText("2019-13")  # not a date: no upper bound yet, and the field says so
    assert sorted(main.model.document_ids()) == [1, 2]
    assert main.filters.date_to.styleSheet()
    main.timeline.documentActivated.emit(1)
    assert main.current_document_id == 1
    main.reading.stop()
    main.close()


def test_without_tesseract_the_window_says_so_once(
    qtbot: QtBot, unread_case: Case, bridge: RenderBridge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "tesseract_program", lambda: None)
    monkeypatch.setattr(MainWindow, "_told_ocr_missing", False)
    told: list[str] = []
    monkeypatch.setattr(MainWindow, "show_error", lambda self, message: told.append(message))
    main = _window(qtbot, unread_case, bridge, tmp_path)
    qtbot.waitUntil(lambda: bool(told), timeout=60_000)  # reading starts once the first page is sharp
    qtbot.waitUntil(lambda: not main.reading.running, timeout=60_000)
    assert len(told) == 1
    assert "Tesseract is not installed" in told[0]
    assert "apt install tesseract-ocr" in told[0]
    main.close()
    assert reading.pending_pages(unread_case) == 0  # nothing more to do until Tesseract is there
