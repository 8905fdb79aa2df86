"""The window's layout, page first: shares of the width, folding the sides, reading mode, settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QStyleOptionViewItem, QToolButton

from reviewer.core.domain.values import ChecklistItem
from reviewer.core.services import documents, queries
from reviewer.ui.document_list import DetailRole
from reviewer.ui.layout import SHARES
from reviewer.ui.main_window import MainWindow
from reviewer.ui.panes.verification import NoteEdit
from reviewer.ui.thumbnails import ThumbnailCache

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.ui.render_bridge import RenderBridge

BODY_POINTS = 11  # body text of a typical A4 letter or note


@pytest.fixture
def open_window(
    qtbot: QtBot, ui_case: Case, bridge: RenderBridge, tmp_path: Path
) -> Iterator[Callable[[int, int], MainWindow]]:
    """Open main windows of a given size on ``ui_case``, all with the same settings file."""
    thumbnails = ThumbnailCache()
    opened: list[MainWindow] = []

    def open_one(width: int, height: int) -> MainWindow:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        main = MainWindow(ui_case, bridge, thumbnails, settings)
        qtbot.addWidget(main)
        main.resize(width, height)
        main.show()
        qtbot.waitExposed(main)
        main.activateWindow()  # its keys work in the active window
        qtbot.waitUntil(main.isActiveWindow)
        qtbot.waitUntil(lambda: main.viewer.is_sharp, timeout=20_000)
        opened.append(main)
        return main

    yield open_one
    for main in opened:
        main.close()
    thumbnails.wait()


def _share(window: MainWindow) -> float:
    return window.viewer.width() / window.width()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080), (2560, 1440)])
def test_the_page_gets_more_than_half_the_width_and_readable_text(
    open_window: Callable[[int, int], MainWindow], width: int, height: int
) -> None:
    window = open_window(width, height)
    assert _share(window) >= 0.55, window.splitter.sizes()
    list_width, _, panes_width = window.splitter.sizes()
    assert list_width > 0, "the list is there by default"
    assert panes_width > 0, "the panes are there by default"
    assert window.viewer.fit_mode == "width"
    # An A4 page (595 pt wide) at fit width: its 11 pt body text is at least 9 px tall.
    assert window.viewer.page_count
    assert BODY_POINTS * window.viewer.zoom >= 9


def test_fit_width_fills_the_viewer(qtbot: QtBot, open_window: Callable[[int, int], MainWindow]) -> None:
    window = open_window(1366, 768)
    viewer = window.viewer
    viewer.fit_page()
    viewer.fit_width()

    def edge_to_edge() -> None:  # once the scroll bar the page now needs has shown
        page = viewer.mapFromScene(viewer.sceneRect()).boundingRect()
        assert abs(page.left()) <= 1
        assert abs(page.width() - viewer.viewport().width()) <= 1

    qtbot.waitUntil(edge_to_edge)
    assert viewer.verticalScrollBar().isVisible()
    assert not viewer.horizontalScrollBar().isVisible()
    viewer.zoom_by(2)  # a chosen zoom scrolls sideways again
    assert viewer.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded


def test_fold_and_unfold_the_list_and_the_panes_by_key_and_strip(
    qtbot: QtBot, open_window: Callable[[int, int], MainWindow]
) -> None:
    window = open_window(1366, 768)
    parts = window.layout_parts
    list_width, page_width, panes_width = window.splitter.sizes()
    window.viewer.setFocus()
    qtbot.keyClick(window.viewer, Qt.Key.Key_F9)
    assert not parts.side_list.isVisible()
    assert parts.list_strip.isVisible()
    assert window.splitter.sizes()[1] > page_width
    qtbot.keyClick(window.viewer, Qt.Key.Key_F10)
    assert not parts.side_panes.isVisible()
    assert parts.panes_strip.isVisible()
    assert parts.list_strip.width() <= 30
    assert parts.panes_strip.width() <= 30
    assert _share(window) >= 0.9
    qtbot.mouseClick(parts.list_strip, Qt.MouseButton.LeftButton)  # a click on the strip brings it back
    assert parts.side_list.isVisible()
    assert not parts.list_strip.isVisible()
    assert window.splitter.sizes()[0] == list_width, "at the width it had"
    qtbot.keyClick(window.viewer, Qt.Key.Key_F10)
    assert parts.side_panes.isVisible()
    assert window.splitter.sizes() == [list_width, page_width, panes_width]


def test_reading_mode_shows_the_page_and_its_strip_only(
    qtbot: QtBot, open_window: Callable[[int, int], MainWindow]
) -> None:
    window = open_window(1366, 768)
    parts = window.layout_parts
    before = window.splitter.sizes()
    window.viewer.setFocus()
    qtbot.keyClick(window.viewer, Qt.Key.Key_F11)
    assert parts.reading
    hidden = (parts.side_list, parts.side_panes, parts.list_strip, parts.panes_strip, window.tool_row)
    assert not any(w.isVisible() for w in hidden)
    assert not window.statusBar().isVisible()
    assert window.viewer.isVisible()
    assert window.strip.isVisible()
    assert _share(window) >= 0.98
    qtbot.keyClick(window.viewer, Qt.Key.Key_F11)
    assert not parts.reading
    assert parts.side_list.isVisible()
    assert parts.side_panes.isVisible()
    assert window.tool_row.isVisible()
    assert window.splitter.sizes() == before


def test_the_layout_is_remembered_by_a_new_window(
    qtbot: QtBot, open_window: Callable[[int, int], MainWindow]
) -> None:
    window = open_window(1600, 900)
    list_width, _, _ = window.splitter.sizes()
    window.splitter.moveSplitter(window.splitter.sizes()[0] + window.splitter.sizes()[1] - 120, 2)
    panes_width = window.splitter.sizes()[2]
    assert panes_width != round(1600 * SHARES[1])
    window.layout_parts.set_list_shown(False)
    window.viewer.fit_page()
    window.close()
    again = open_window(1600, 900)
    assert not again.layout_parts.side_list.isVisible()
    assert again.layout_parts.list_strip.isVisible()
    assert again.viewer.fit_mode == "page"
    assert again.splitter.sizes()[2] == panes_width
    again.layout_parts.set_list_shown(True)
    assert again.splitter.sizes()[0] == list_width
    again.layout_parts.set_reading(True)
    again.viewer.set_zoom(1.5)
    again.close()
    third = open_window(1600, 900)
    assert third.layout_parts.reading
    assert third.viewer.fit_mode is None
    assert third.viewer.zoom == pytest.approx(1.5)


def test_every_toolbar_action_shows_at_1366(open_window: Callable[[int, int], MainWindow]) -> None:
    window = open_window(1366, 768)
    extension = window.tools.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is not None
    assert not extension.isVisible(), "no action hides behind »"
    names = {a.iconText() for a in window.tools.actions() if not a.isSeparator()}
    assert {"Fit page", "Fit width", "Rotate", "List", "Panes", "Reading"} <= names
    assert all(a.toolTip() for a in window.tools.actions() if not a.isSeparator())


def test_list_rows_show_the_date_beside_the_title(
    open_window: Callable[[int, int], MainWindow], ui_case: Case
) -> None:
    documents.set_metadata(ui_case, 1, {"date": "2019-03-12", "type": "diplomatic_note"})
    documents.set_metadata(ui_case, 2, {"date": "2019-04-02", "type": "diplomatic_note"})
    window = open_window(1366, 768)
    model = window.model
    rows = {model.document_id(r): r for r in range(model.rowCount())}
    detail = model.data(model.index(rows[1], 0), DetailRole)
    assert "2019-03-12" in detail
    assert "diplomatic note" in detail
    assert "2019-04-02" in model.data(model.index(rows[2], 0), DetailRole)
    # the title column draws it under the title, in the list's default width
    option = QStyleOptionViewItem()
    option.initFrom(window.list)
    option.rect = window.list.visualRect(model.index(rows[1], 0))
    lines = window.list.titles.lines(model.index(rows[1], 0), option)
    assert lines[0]
    assert lines[-1].startswith("2019-03-12")
    assert "2019-03-12" in model.data(model.index(rows[1], 0), Qt.ItemDataRole.AccessibleTextRole)


def test_a_checklist_note_shows_its_start(qtbot: QtBot, window: MainWindow) -> None:
    note = "ink colour differs from the 2019 notes, and the stamp's rim is broken at four o'clock"
    documents.set_check(window.case, 1, "stamp", "doubtful", note)
    window.refresh([1])
    edit = window.verification.notes[ChecklistItem.STAMP]
    assert isinstance(edit, NoteEdit)
    edit.setFixedWidth(160)
    assert edit.text() == note
    assert edit.cursorPosition() == 0, "the start is in view, not the end"
    shown = edit.shown_text()
    assert shown.startswith("ink colour")
    assert shown.endswith("…")
    assert edit.toolTip() == note
    assert queries.document_detail(window.case, 1).checklist["stamp"].note == note


def _pane_names_are_whole(window: MainWindow) -> None:
    names = window.panes_side.names
    shown = []
    for index in range(window.panes.count()):
        name = names.name(index)
        assert name.isVisible(), index
        assert name.text() == window.panes.tabText(index)
        assert name.width() >= name.sizeHint().width(), index
        assert names.rect().contains(name.geometry()), (index, name.geometry(), names.rect())
        assert not any(name.geometry().intersects(other) for other in shown), index
        shown.append(name.geometry())
    assert names.geometry().bottom() < window.panes.geometry().top(), "the names sit above the panes"


@pytest.mark.parametrize("width", [1366, 1024])
def test_every_panes_name_shows_whole_whichever_is_chosen(
    qtbot: QtBot, open_window: Callable[[int, int], MainWindow], width: int
) -> None:
    """A tab bar of eight names at 1366 px scrolled four out of sight, and cut the first ("tatus") once
    a later pane was chosen. The names wrap onto more rows instead."""
    window = open_window(width, 768)
    names = window.panes_side.names
    _pane_names_are_whole(window)
    qtbot.mouseClick(names.name(7), Qt.MouseButton.LeftButton)
    assert window.panes.currentWidget() is window.forensics
    assert names.name(7).isChecked()
    assert not names.name(0).isChecked()
    _pane_names_are_whole(window)
    window.panes.setCurrentWidget(window.metadata)  # as "Edit fields" does
    assert names.name(2).isChecked()
    assert not names.name(7).isChecked()
    window.close()
    again = open_window(width, 768)  # the pane chosen last is chosen again, and named so
    assert again.panes.currentWidget() is again.metadata
    assert again.panes_side.names.name(2).isChecked()
    _pane_names_are_whole(again)
