"""Start-up: the first page is drawn before background work (reading, the store check) takes the CPU."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings

from reviewer.core.services.case import create_case
from reviewer.core.services.importing import import_paths
from reviewer.ui.main_window import MainWindow
from reviewer.ui.thumbnails import ThumbnailCache
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.ui.render_bridge import RenderBridge


@pytest.fixture
def scan_case(tmp_path: Path) -> Iterator[Case]:
    """A case whose one document is a scan nobody has read yet."""
    filemaker.make_scanned_pdf(tmp_path / "scan.pdf", lines=["Исх. № 12-05/1174"], noise=0.1)
    with create_case(tmp_path / "case", actor="tester") as case:
        import_paths(case, [tmp_path / "scan.pdf"])
        yield case


def _window(qtbot: QtBot, case: Case, bridge: RenderBridge, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(case, bridge, ThumbnailCache(), settings)
    qtbot.addWidget(main)
    return main


def test_reading_and_the_store_check_wait_for_the_first_sharp_page(
    qtbot: QtBot, scan_case: Case, bridge: RenderBridge, tmp_path: Path
) -> None:
    main = _window(qtbot, scan_case, bridge, tmp_path)
    assert not main.reading.running
    assert main.store_check.job is None
    with qtbot.waitSignal(main.viewer.page_sharp, timeout=60_000):
        main.show()
    # the window's own slot ran first (it was connected first): both have started, neither has ended
    assert main.reading.running
    assert main.store_check.job is not None
    main.close()


def test_an_empty_case_starts_them_at_once(qtbot: QtBot, bridge: RenderBridge, tmp_path: Path) -> None:
    with create_case(tmp_path / "empty", actor="tester") as case:
        main = _window(qtbot, case, bridge, tmp_path)
        main.show()
        qtbot.waitUntil(lambda: main.store_check.job is not None)
        main.close()


def test_nothing_starts_after_the_window_closed(
    qtbot: QtBot, scan_case: Case, bridge: RenderBridge, tmp_path: Path
) -> None:
    main = _window(qtbot, scan_case, bridge, tmp_path)
    main.close()
    main.viewer.page_sharp.emit(1)  # a page drawn late, after the window went
    assert not main.reading.running
    assert main.store_check.job is None


def test_the_list_is_loaded_twice_at_most_while_the_window_is_built(
    qtbot: QtBot, scan_case: Case, bridge: RenderBridge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once in the model's own order, once in the view's (title, ascending); not once more descending.

    A load is the first ids and their count (``first_documents``), the rest read once the event loop
    runs (``find_documents``, the same order): both are counted."""
    from reviewer.core.services import queries

    orders: list[tuple[str, str, bool]] = []
    find, first = queries.find_documents, queries.first_documents

    def found(case: Case, wanted: queries.DocumentFilter) -> list[int]:
        orders.append(("all", wanted.sort, wanted.descending))
        return find(case, wanted)

    def firsts(case: Case, wanted: queries.DocumentFilter, limit: int) -> tuple[list[int], int]:
        orders.append(("first", wanted.sort, wanted.descending))
        return first(case, wanted, limit)

    monkeypatch.setattr(queries, "find_documents", found)
    monkeypatch.setattr(queries, "first_documents", firsts)
    main = _window(qtbot, scan_case, bridge, tmp_path)
    loads = [order for order in orders if order[0] == "first"]  # no filter: every load starts so
    assert 1 <= len(loads) <= 2, orders
    assert loads[-1][1:] == ("title", False)
    last = len(orders) - 1 - orders[::-1].index(loads[-1])
    assert all(order[1:] == ("title", False) for order in orders[last:]), orders  # the rest, if read
    main.close()


#: What the window's first paint does not need, and start-up therefore never imports: the workers draw
#: pages (PyMuPDF, PIL), alembic only upgrades old cases, the date and amount patterns only extract.
NOT_AT_START = (
    "pymupdf",
    "PIL",
    "numpy",
    "alembic",
    "reviewer.core.text.dates",
    "reviewer.core.text.money",
    "reviewer.core.services.demo",
    "reviewer.core.services.export",
    "reviewer.core.services.region_search",
)


def test_start_up_imports_only_what_the_first_paint_needs() -> None:
    code = (
        "import sys, reviewer.cli, reviewer.ui.app; "
        f"print(' '.join(m for m in {NOT_AT_START!r} if m in sys.modules))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
