"""A real main window on a real case, offscreen."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings

from reviewer.core.domain.values import Rect
from reviewer.core.ingest.reading import OcrMode
from reviewer.core.services import documents
from reviewer.core.services.case import create_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.reading import read_pages
from reviewer.ui.main_window import MainWindow
from reviewer.ui.render_bridge import RenderBridge
from reviewer.ui.thumbnails import ThumbnailCache
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from PySide6.QtWidgets import QApplication
    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case


@pytest.fixture(autouse=True)
def _no_leaked_windows(qapp: QApplication) -> Iterator[None]:
    """Fail a test that leaves a window or dialog open."""
    yield
    qapp.processEvents()
    shown = [w for w in qapp.topLevelWidgets() if w.isVisible()]
    assert not shown, f"windows left open: {shown}"


@pytest.fixture(scope="session")
def sample_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One of each kind of file a window test needs, made once."""
    folder = tmp_path_factory.mktemp("samples")
    return {
        "note": filemaker.make_text_pdf(folder / "note.pdf", pages=3),
        "rotated": filemaker.make_rotated_pdf(folder / "rotated.pdf", rotation=90),
        "image": filemaker.make_png(folder / "page.png", width=800, height=1000),
        "scan": filemaker.make_scanned_pdf(folder / "scan.pdf", pages=2),
    }


@pytest.fixture
def ui_case(tmp_path: Path, sample_files: dict[str, Path]) -> Iterator[Case]:
    """A case with a 3-page note (id 1), a rotated page (2), an image (3) and a scan (4)."""
    with create_case(tmp_path / "case", title="Window test", actor="tester") as case:
        for key in ("note", "rotated", "image", "scan"):
            import_paths(case, [sample_files[key]])
        documents.add_annotation(case, 1, page=1, rect=Rect(50, 50, 200, 100), note="reference number")
        # Pages read without OCR: a window opening on unread pages reads them in the background, which
        # only the tests of that reading want.
        read_pages(case, mode=OcrMode.NEVER)
        yield case


@pytest.fixture
def bridge() -> Iterator[RenderBridge]:
    """The page renderer, with one worker process."""
    renderer = RenderBridge(processes=1)
    yield renderer
    renderer.close()


@pytest.fixture
def window(qtbot: QtBot, ui_case: Case, bridge: RenderBridge, tmp_path: Path) -> Iterator[MainWindow]:
    """The main window on ``ui_case``, shown offscreen, first page drawn."""
    thumbnails = ThumbnailCache()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(ui_case, bridge, thumbnails, settings)
    qtbot.addWidget(main)
    main.resize(1400, 900)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: main.viewer.is_sharp, timeout=20_000)
    yield main
    main.close()
    thumbnails.wait()
