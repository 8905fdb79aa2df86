"""The main window's menus and shortcuts, in one place."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from reviewer.core.domain.names import shown_line
from reviewer.core.domain.values import AnnotationKind
from reviewer.core.services.case import is_case
from reviewer.ui.i18n import (
    LANGUAGE_KEY,
    LANGUAGE_NAMES,
    QT_TRANSLATE_NOOP,
    available_languages,
    translate,
)
from reviewer.ui.layout import LIST_KEY, PANES_KEY, READING_KEY
from reviewer.ui.ocr_dialog import OcrSettingsDialog
from reviewer.ui.page_view import ZOOM_STEP
from reviewer.ui.rationale_dialog import NEEDS_RATIONALE
from reviewer.ui.status_style import STATUS_KEYS
from reviewer.ui.words import status_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDialog, QMenu

    from reviewer.ui.main_window import MainWindow

# the keys of Menus.menus; each is shown in the window's language
MENUS = (
    QT_TRANSLATE_NOOP("Menus", "&File"),
    QT_TRANSLATE_NOOP("Menus", "&Edit"),
    QT_TRANSLATE_NOOP("Menus", "&View"),
    QT_TRANSLATE_NOOP("Menus", "&Go"),
    QT_TRANSLATE_NOOP("Menus", "&Status"),
    QT_TRANSLATE_NOOP("Menus", "&Case"),
)
RECENT_KEY = "recent_cases"
RECENT_COUNT = 8


class Menus:
    """The menu bar of a window; ``add`` makes an action with shortcuts that work without the menu open."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        bar = window.menuBar()
        self.menus: dict[str, QMenu] = {name: bar.addMenu(translate("Menus", name)) for name in MENUS}

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
    undo = window.edits.undo_stack.createUndoAction(window, translate("Menus", "&Undo"))
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.edits.undo_stack.createRedoAction(window, translate("Menus", "&Redo"))
    redo.setShortcut(QKeySequence.StandardKey.Redo)
    menus.menus["&Edit"].addActions([undo, redo])
    window.addActions([undo, redo])
    menus.menus["&Edit"].addSeparator()
    menus.add("&Edit", translate("Menus", "&Tag selected documents…"), window.tag_selected, "T")
    menus.add(
        "&Edit",
        translate("Menus", "&Remove a tag from selected documents…"),
        window.untag_selected,
        "Shift+T",
    )
    menus.add(
        "&Edit",
        translate("Menus", "&Filter the list"),
        window.filters.text.setFocus,
        QKeySequence.StandardKey.Find,
    )
    menus.add("&Case", translate("Menus", "&Search the case…"), window.show_search, "Ctrl+Shift+F", "/")
    menus.add(
        "&Case",
        translate("Menus", "&Timeline"),
        lambda: window.browse.setCurrentWidget(window.timeline),
        "Ctrl+Shift+T",
    )
    menus.menus["&Case"].addSeparator()
    menus.add("&Case", translate("Menus", "&Read unread pages now"), window.reading.start)
    menus.add(
        "&Case",
        translate("Menus", "&OCR languages and mode…"),
        lambda: _open(OcrSettingsDialog(window.case, window)),
    )
    menus.add(
        "&Case",
        translate("Menus", "Check the &store for unrecorded files…"),
        lambda: window.store_check.start(quiet_when_clean=False),
    )
    fit_page = menus.add("&View", translate("Menus", "Fit &page"), window.viewer.fit_page, "F")
    fit_width = menus.add("&View", translate("Menus", "Fit &width"), window.viewer.fit_width, "W")
    zoom_in = menus.add(
        "&View",
        translate("Menus", "Zoom &in"),
        lambda: window.viewer.zoom_by(ZOOM_STEP),
        QKeySequence.StandardKey.ZoomIn,
        "+",
        "=",
    )
    zoom_out = menus.add(
        "&View",
        translate("Menus", "Zoom &out"),
        lambda: window.viewer.zoom_by(1 / ZOOM_STEP),
        QKeySequence.StandardKey.ZoomOut,
        "-",
    )
    rotate = menus.add("&View", translate("Menus", "&Rotate view"), window.viewer.rotate_view, "R")
    menus.menus["&View"].addSeparator()
    parts = window.layout_parts
    show_list = menus.add("&View", translate("Menus", "Document &list"), parts.toggle_list, LIST_KEY)
    show_panes = menus.add("&View", translate("Menus", "P&anes"), parts.toggle_panes, PANES_KEY)
    reading = menus.add(
        "&View", translate("Menus", "Rea&ding mode: the page only"), parts.toggle_reading, READING_KEY
    )
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
    build_language_menu(menus, window)
    # Short names on the toolbar, so that every action shows beside the page from a 1366 px screen up;
    # the tooltip gives the full name and the key.
    for action, short in (
        (fit_page, translate("Menus", "Fit page")),
        (fit_width, translate("Menus", "Fit width")),
        (zoom_out, "−"),
        (zoom_in, "+"),
        (rotate, translate("Menus", "Rotate")),
        (show_list, translate("Menus", "List")),
        (show_panes, translate("Menus", "Panes")),
        (reading, translate("Menus", "Reading")),
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
        "&Edit",
        translate("Menus", "Select &text on the page"),
        lambda: viewer.set_text_tool(not viewer.text_tool),
        "S",
    )
    text_tool.setCheckable(True)
    text_tool.setIconText(translate("Menus", "Select text"))
    text_tool.setToolTip(
        translate("Menus", "Select words on the page (S; or Shift+drag), then A to annotate them")
    )
    viewer.text_tool_changed.connect(text_tool.setChecked)
    menus.add("&Edit", translate("Menus", "&Annotate selected words"), viewer.annotate_selection, "A")
    menus.add(
        "&Edit",
        translate("Menus", "Re&dact selected words"),
        lambda: viewer.annotate_selection(AnnotationKind.REDACTION),
        "Shift+A",
    )
    window.tools.addSeparator()
    window.tools.addAction(text_tool)
    menus.add(
        "&Go",
        translate("Menus", "&Next page"),
        window.viewer.next_page,
        QKeySequence.StandardKey.MoveToNextPage,
    )
    menus.add(
        "&Go",
        translate("Menus", "&Previous page"),
        window.viewer.previous_page,
        QKeySequence.StandardKey.MoveToPreviousPage,
    )
    menus.add("&Go", translate("Menus", "&First page"), lambda: window.viewer.go_to_page(1), "Home")
    menus.add(
        "&Go",
        translate("Menus", "&Last page"),
        lambda: window.viewer.go_to_page(window.viewer.page_count),
        "End",
    )
    menus.add("&Go", translate("Menus", "Next &document"), lambda: window.step_document(1), "J")
    menus.add("&Go", translate("Menus", "Previous d&ocument"), lambda: window.step_document(-1), "K")
    for key, status in STATUS_KEYS.items():
        menus.add(
            "&Status",
            (
                translate("Menus", "Mark as {status}…")
                if status in NEEDS_RATIONALE
                else translate("Menus", "Mark as {status}")
            ).format(status=status_label(status).lower()),
            partial(window.set_status, status),
            key,
        )

    return menus


def build_language_menu(menus: Menus, window: MainWindow) -> None:
    """View ▸ Language: each language by its own name; the choice applies at the next start."""
    language = menus.menus["&View"].addMenu(translate("Menus", "&Language"))
    chosen = str(window.settings.value(LANGUAGE_KEY, "") or "")
    for code in available_languages():
        action = language.addAction(LANGUAGE_NAMES.get(code, code))
        action.setCheckable(True)
        action.setChecked(code == chosen)
        action.triggered.connect(partial(choose_language, window, code))


def choose_language(window: MainWindow, code: str) -> None:
    """Remember the language; the window shows it from the next start."""
    window.settings.setValue(LANGUAGE_KEY, code)
    window.settings.sync()
    window.statusBar().showMessage(
        translate("Menus", "The window will be in {language} from the next start.").format(
            language=LANGUAGE_NAMES.get(code, code)
        ),
        15000,
    )


def build_file_menu(menus: Menus, window: MainWindow) -> None:
    """Cases (new, open, recent, close: the Launcher does them), import, export and merge."""
    file = menus.menus["&File"]
    menus.add(
        "&File", translate("Menus", "&New case…"), window.new_case_wanted.emit, QKeySequence.StandardKey.New
    )
    menus.add("&File", translate("Menus", "&Open case…"), window.open_case_wanted.emit, "Ctrl+Shift+N")
    recent = file.addMenu(translate("Menus", "Open &recent"))
    recent.aboutToShow.connect(lambda: fill_recent(recent, window))
    fill_recent(recent, window)
    menus.add(
        "&File",
        translate("Menus", "&Close case"),
        window.close_case_wanted.emit,
        QKeySequence.StandardKey.Close,
    )
    file.addSeparator()
    menus.add(
        "&File", translate("Menus", "Import &files…"), window.choose_files, QKeySequence.StandardKey.Open
    )
    menus.add("&File", translate("Menus", "Import f&older…"), window.choose_folder, "Ctrl+Shift+O")
    file.addSeparator()
    menus.add("&File", translate("Menus", "&Export evidence bundle…"), window.export_bundle, "Ctrl+E")
    menus.add("&File", translate("Menus", "&Merge a colleague's bundle…"), window.merge_bundle)
    file.addSeparator()
    menus.add("&File", translate("Menus", "&Quit"), window.close, QKeySequence.StandardKey.Quit)


def fill_recent(menu: QMenu, window: MainWindow) -> None:
    """The cases opened last, newest first; one whose folder is gone is shown greyed."""
    menu.clear()
    here = str(window.case.root)
    for folder in recent_cases(window.settings):
        action = menu.addAction(shown_line(folder))
        if folder == here:
            action.setEnabled(False)
            action.setToolTip(translate("Menus", "open now"))
        elif not is_case(Path(folder)):
            action.setEnabled(False)
            action.setToolTip(translate("Menus", "not found: moved, renamed or on a disk not mounted"))
        else:
            action.triggered.connect(partial(window.recent_case_wanted.emit, folder))
    if menu.isEmpty():
        menu.addAction(translate("Menus", "No other case yet")).setEnabled(False)


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
