"""A file that arrived damaged is marked in the window: in the list, above the page, and on a blank page.

A PDF cut short (tests/filemaker.make_truncated_pdf, 50 000 bytes kept) is repaired by MuPDF at import:
three pages, the last two without content. The list marks it with its damage line as tooltip, the page
label says "damaged", and pages 2 and 3 say on the page that nothing could be read for them. The
reference number recorded for a document shows beside its title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from reviewer.core.services import documents, queries
from reviewer.core.services.importing import import_paths
from reviewer.ui.document_list import DAMAGED_MARK, ReferenceRole
from reviewer.ui.main_window import MainWindow
from reviewer.ui.thumbnails import ThumbnailCache
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.ui.render_bridge import RenderBridge

DAMAGE = "damaged: MuPDF had to repair it (cannot find startxref); 3 pages, pages 2, 3 have no content"


@pytest.fixture
def damaged_window(
    qtbot: QtBot, ui_case: Case, bridge: RenderBridge, tmp_path: Path
) -> Iterator[tuple[MainWindow, int]]:
    """The window on ``ui_case`` with a truncated PDF imported too; the damaged document's id."""
    truncated = filemaker.make_truncated_pdf(tmp_path / "cut-short.pdf", keep_bytes=50_000)
    [item] = import_paths(ui_case, [truncated]).imported
    thumbnails = ThumbnailCache()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(ui_case, bridge, thumbnails, settings)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: main.viewer.is_sharp, timeout=20_000)
    yield main, item.id
    main.close()
    thumbnails.wait()


def test_summaries_say_the_damage_and_the_reference(ui_case: Case, tmp_path: Path) -> None:
    truncated = filemaker.make_truncated_pdf(tmp_path / "cut-short.pdf", keep_bytes=50_000)
    [item] = import_paths(ui_case, [truncated]).imported
    documents.set_metadata(ui_case, 1, {"reference_number": "12-05/1174"})
    by_id = {s.id: s for s in queries.summaries(ui_case, [1, item.id])}
    assert by_id[item.id].damaged == DAMAGE
    assert by_id[1].damaged is None
    assert by_id[1].reference == "12-05/1174"
    assert by_id[item.id].reference is None
    # the same from the detail's summary (built from the ORM row, not the list's query)
    assert queries.document_detail(ui_case, item.id).summary.damaged == DAMAGE
    assert queries.document_detail(ui_case, 1).summary.reference == "12-05/1174"
    assert queries.page_view(ui_case, item.id).missing == {2: "no content", 3: "no content"}
    assert queries.page_view(ui_case, 1).missing == {}


def test_the_list_marks_a_damaged_document(damaged_window: tuple[MainWindow, int]) -> None:
    window, damaged = damaged_window
    model = window.model
    rows = {model.document_id(r): r for r in range(model.rowCount())}
    title = model.index(rows[damaged], 0)
    assert title.data().startswith(f"{DAMAGED_MARK} ")
    assert DAMAGE in title.data(Qt.ItemDataRole.ToolTipRole)
    assert "damaged" in title.data(Qt.ItemDataRole.AccessibleTextRole)
    sound = model.index(rows[1], 0)
    assert DAMAGED_MARK not in sound.data()
    assert "damaged" not in sound.data(Qt.ItemDataRole.ToolTipRole)


def test_the_page_label_and_a_blank_page_say_so(damaged_window: tuple[MainWindow, int], qtbot: QtBot) -> None:
    window, damaged = damaged_window
    window.open_document(1)
    qtbot.waitUntil(lambda: window.viewer.document_id == 1)
    assert "damaged" not in window.page_label.text()
    window.open_document(damaged)
    qtbot.waitUntil(lambda: window.viewer.document_id == damaged)
    assert "damaged" in window.page_label.text()
    assert window.page_label.toolTip() == DAMAGE
    assert window.viewer.missing_note is None, "page 1 was read whole"
    window.viewer.go_to_page(2)
    qtbot.waitUntil(lambda: window.viewer.current_page == 2)
    assert window.viewer.missing_note == "page 2: no content could be read from the file"
    drawn = [i.text() for i in window.viewer.scene().items() if hasattr(i, "text") and callable(i.text)]
    assert window.viewer.missing_note in drawn
    window.open_document(1)
    qtbot.waitUntil(lambda: window.viewer.document_id == 1)
    assert "damaged" not in window.page_label.text()
    assert window.page_label.toolTip() == ""
    assert window.viewer.missing_note is None


def test_the_reference_number_shows_beside_the_title(
    damaged_window: tuple[MainWindow, int], qtbot: QtBot
) -> None:
    window, _ = damaged_window
    documents.set_metadata(window.case, 1, {"reference_number": "12-05/1174"})
    window.refresh([1])
    model = window.model
    rows = {model.document_id(r): r for r in range(model.rowCount())}
    index = model.index(rows[1], 0)
    assert index.data(ReferenceRole) == "12-05/1174"
    assert model.index(rows[2], 0).data(ReferenceRole) is None
    option = QStyleOptionViewItem()
    option.initFrom(window.list)
    # a wide list (1920 px screen): beside the title's first line, which leaves it room
    option.rect = QRect(0, 0, 360, window.list.rowHeight(rows[1]))
    assert window.list.titles.reference(index, option) == "12-05/1174"
    lines = window.list.titles.lines(index, option)
    room = 360 - option.fontMetrics.horizontalAdvance("12-05/1174")
    assert option.fontMetrics.horizontalAdvance(lines[0]) < room
    assert "12-05/1174" not in lines[-1]
    # a narrow one: never cut, it leads the line under the title instead
    option.rect = QRect(0, 0, 110, window.list.rowHeight(rows[1]))
    assert window.list.titles.reference(index, option) == ""
    assert window.list.titles.lines(index, option)[-1].startswith("12-05/1174")
    assert "12-05/1174" in index.data(Qt.ItemDataRole.AccessibleTextRole)
