"""The main window's menus and shortcuts, in one place."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from reviewer.core.domain.names import shown_line
from reviewer.core.domain.values import AnnotationKind
from reviewer.ui.layout import LIST_KEY, PANES_KEY, READING_KEY
from reviewer.ui.ocr_dialog import OcrSettingsDialog
from reviewer.ui.page_view import ZOOM_STEP
from reviewer.ui.rationale_dialog import NEEDS_RATIONALE
from reviewer.ui.status_style import STATUS_KEYS, STATUS_LABELS

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDialog, QMenu

    from reviewer.ui.main_window import MainWindow

MENUS = ("&File", "&Edit", "&View", "&Go", "&Status", "&Case")
RECENT_KEY = "recent_cases"
RECENT_COUNT = 8


class Menus:
    """The menu bar of a window; ``add`` makes an action with shortcuts that work without the menu open."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        bar = window.menuBar()
        self.menus: dict[str, QMenu] = {name: bar.addMenu(name) for name in MENUS}

    def add(
        self,
        menu_name: str,
        text: str,
        slot: Callable[[], object],
        *keys: QKeySequence | QKeySequence.StandardKey | str,
    ) -> QAction:
        """An action in a menu, with shortcuts."""
        action = QAction(text, self.window)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        self.menus[menu_name].addAction(action)
        self.window.addAction(action)
        return action


def _open(dialog: QDialog) -> None:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def build_menus(window: MainWindow) -> Menus:
    """Every menu of the window."""
    menus = Menus(window)
    build_file_menu(menus, window)
    undo = window.edits.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.edits.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcut(QKeySequence.StandardKey.Redo)
    menus.menus["&Edit"].addActions([undo, redo])
    window.addActions([undo, redo])
    menus.menus["&Edit"].addSeparator()
    menus.add("&Edit", "&Tag selected documents…", window.tag_selected, "T")
    menus.add("&Edit", "&Remove a tag from selected documents…", window.untag_selected, "Shift+T")
    menus.add("&Edit", "&Filter the list", window.filters.text.setFocus, QKeySequence.StandardKey.Find)
    menus.add("&Case", "&Search the case…", window.show_search, "Ctrl+Shift+F", "/")
    menus.add("&Case", "&Timeline", lambda: window.browse.setCurrentWidget(window.timeline), "Ctrl+Shift+T")
    menus.menus["&Case"].addSeparator()
    menus.add("&Case", "&Read unread pages now", window.reading.start)
    menus.add("&Case", "&OCR languages and mode…", lambda: _open(OcrSettingsDialog(window.case, window)))
    menus.add(
        "&Case",
        "Check the &store for unrecorded files…",
        lambda: window.store_check.start(quiet_when_clean=False),
    )
    fit_page = menus.add("&View", "Fit &page", window.viewer.fit_page, "F")
    fit_width = menus.add("&View", "Fit &width", window.viewer.fit_width, "W")
    zoom_in = menus.add(
        "&View",
        "Zoom &in",
        lambda: window.viewer.zoom_by(ZOOM_STEP),
        QKeySequence.StandardKey.ZoomIn,
        "+",
        "=",
    )
    zoom_out = menus.add(
        "&View",
        "Zoom &out",
        lambda: window.viewer.zoom_by(1 / ZOOM_STEP),
        QKeySequence.StandardKey.ZoomOut,
        "-",
    )
    rotate = menus.add("&View", "&Rotate view", window.viewer.rotate_view, "R")
    menus.menus["&View"].addSeparator()
    parts = window.layout_parts
    show_list = menus.add("&View", "Document &list", parts.toggle_list, LIST_KEY)
    show_panes = menus.add("&View", "P&anes", parts.toggle_panes, PANES_KEY)
    reading = menus.add("&View", "Rea&ding mode: the page only", parts.toggle_reading, READING_KEY)
    toggles: tuple[tuple[QAction, Callable[[], bool]], ...] = (
        (show_list, lambda: parts.list_shown and not parts.reading),
        (show_panes, lambda: parts.panes_shown and not parts.reading),
        (reading, lambda: parts.reading),
    )
    for action, _state in toggles:
        action.setCheckable(True)

    def sync() -> None:
        for action, state in toggles:
            action.setChecked(state())

    parts.changed.connect(sync)
    sync()
    # Short names on the toolbar, so that every action shows beside the page from a 1366 px screen up;
    # the tooltip gives the full name and the key.
    for action, short in (
        (fit_page, "Fit page"),
        (fit_width, "Fit width"),
        (zoom_out, "−"),
        (zoom_in, "+"),
        (rotate, "Rotate"),
        (show_list, "List"),
        (show_panes, "Panes"),
        (reading, "Reading"),
    ):
        key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(
            f"{action.text().replace('&', '')} ({key})" if key else action.text().replace("&", "")
        )
        action.setIconText(short)
    window.tools.addActions([fit_page, fit_width, zoom_out, zoom_in, rotate])
    window.tools.addSeparator()
    window.tools.addActions([show_list, show_panes, reading])
    # Words on the page: the text tool (or Shift+drag) selects them; A makes them a note, Shift+A a redaction.
    viewer = window.viewer
    text_tool = menus.add(
        "&Edit", "Select &text on the page", lambda: viewer.set_text_tool(not viewer.text_tool), "S"
    )
    text_tool.setCheckable(True)
    text_tool.setIconText("Select text")
    text_tool.setToolTip("Select words on the page (S; or Shift+drag), then A to annotate them")
    viewer.text_tool_changed.connect(text_tool.setChecked)
    menus.add("&Edit", "&Annotate selected words", viewer.annotate_selection, "A")
    menus.add(
        "&Edit",
        "Re&dact selected words",
        lambda: viewer.annotate_selection(AnnotationKind.REDACTION),
        "Shift+A",
    )
    window.tools.addSeparator()
    window.tools.addAction(text_tool)
    menus.add("&Go", "&Next page", window.viewer.next_page, QKeySequence.StandardKey.MoveToNextPage)
    menus.add(
        "&Go", "&Previous page", window.viewer.previous_page, QKeySequence.StandardKey.MoveToPreviousPage
    )
    menus.add("&Go", "&First page", lambda: window.viewer.go_to_page(1), "Home")
    menus.add("&Go", "&Last page", lambda: window.viewer.go_to_page(window.viewer.page_count), "End")
    menus.add("&Go", "Next &document", lambda: window.step_document(1), "J")
    menus.add("&Go", "Previous d&ocument", lambda: window.step_document(-1), "K")
    for key, status in STATUS_KEYS.items():
        menus.add(
            "&Status",
            f"Mark as {STATUS_LABELS[status].lower()}" + ("…" if status in NEEDS_RATIONALE else ""),
            partial(window.set_status, status),
            key,
        )

    return menus


def build_file_menu(menus: Menus, window: MainWindow) -> None:
    """Cases (new, open, recent, close: the Launcher does them), import, export and merge."""
    file = menus.menus["&File"]
    menus.add("&File", "&New case…", window.new_case_wanted.emit, QKeySequence.StandardKey.New)
    menus.add("&File", "&Open case…", window.open_case_wanted.emit, "Ctrl+Shift+N")
    recent = file.addMenu("Open &recent")
    recent.aboutToShow.connect(lambda: fill_recent(recent, window))
    fill_recent(recent, window)
    menus.add("&File", "&Close case", window.close_case_wanted.emit, QKeySequence.StandardKey.Close)
    file.addSeparator()
    menus.add("&File", "Import &files…", window.choose_files, QKeySequence.StandardKey.Open)
    menus.add("&File", "Import f&older…", window.choose_folder, "Ctrl+Shift+O")
    file.addSeparator()
    menus.add("&File", "&Export evidence bundle…", window.export_bundle, "Ctrl+E")
    menus.add("&File", "&Merge a colleague's bundle…", window.merge_bundle)
    file.addSeparator()
    menus.add("&File", "&Quit", window.close, QKeySequence.StandardKey.Quit)


def fill_recent(menu: QMenu, window: MainWindow) -> None:
    """The cases opened last, newest first; one whose folder is gone is shown greyed."""
    menu.clear()
    here = str(window.case.root)
    for folder in recent_cases(window.settings):
        action = menu.addAction(shown_line(folder))
        if folder == here:
            action.setEnabled(False)
            action.setToolTip("open now")
        elif not (Path(folder) / "reviewer.sqlite").is_file():
            action.setEnabled(False)
            action.setToolTip("not found: moved, renamed or on a disk not mounted")
        else:
            action.triggered.connect(partial(window.recent_case_wanted.emit, folder))
    if menu.isEmpty():
        menu.addAction("No other case yet").setEnabled(False)


def recent_cases(settings: QSettings) -> list[str]:
    """The case folders opened last, newest first."""
    value = settings.value(RECENT_KEY)
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value][:RECENT_COUNT] if isinstance(value, list) else []


def remember_case(settings: QSettings, folder: Path) -> None:
    """Put a case folder first among the recent ones."""
    here = str(folder)
    settings.setValue(RECENT_KEY, [here, *(f for f in recent_cases(settings) if f != here)][:RECENT_COUNT])
    settings.setValue("last_case", here)
