"""The window in Russian: every visible word of a real window on a real case goes through Qt's translator.

The walk looks at every widget, action, menu, tab, tooltip, placeholder, header and combo item of a
MainWindow (and of each dialog) under the Russian translation and fails on a word of English that is
not a name (reviewer, PDF, SHA-256, OCR, Tesseract…), document content or user data.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QSettings,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import queries
from reviewer.ui import i18n
from reviewer.ui.export_dialog import ExportDialog
from reviewer.ui.import_dialog import ImportOptionsDialog
from reviewer.ui.main_window import MainWindow
from reviewer.ui.ocr_dialog import OcrSettingsDialog
from reviewer.ui.panes.link_dialog import AddLinkDialog
from reviewer.ui.rationale_dialog import RationaleDialog
from reviewer.ui.thumbnails import ThumbnailCache
from reviewer.ui.welcome import WelcomeWindow

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.ui.render_bridge import RenderBridge

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"

#: names and codes that stay as they are in every language
NAMES = {
    "reviewer", "pdf", "sha", "ocr", "tesseract", "jpeg", "png", "tiff", "zip", "bagit", "utc", "dpi",
    "and", "or", "not", "sudo", "apt", "install", "tesseract-ocr", "verify", "bundle", "bel", "aze",
    "rus", "eng", "ukr", "cyrl", "english", "ctrl", "shift", "enter", "home", "wheel", "application", "image",
}  # fmt: skip
#: what the window shows of the case itself: document content, file names, user data, core messages
CASE_WORDS = {
    "note", "pdf", "rotated", "page", "png", "scan", "window", "test", "tester", "reference", "number",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    """The Russian translation installed for one test."""
    translators = i18n.install_translators(qapp, "ru")
    assert translators, "reviewer_ru.qm did not load"
    yield
    i18n.remove_translators(qapp, translators)


@pytest.fixture
def russian_window(
    russian: None, qtbot: QtBot, ui_case: Case, bridge: RenderBridge, tmp_path: Path
) -> Iterator[MainWindow]:
    """The main window on ``ui_case``, built under the Russian translation."""
    thumbnails = ThumbnailCache()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(ui_case, bridge, thumbnails, settings)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    thumbnails.wait()


def _model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[str]:
    parent = parent if parent is not None else QModelIndex()
    try:
        columns = model.columnCount(parent)
    except TypeError:  # a list model: one column, its count not public in PySide
        columns = 1
    for column in range(columns):
        header = model.headerData(column, Qt.Orientation.Horizontal)
        if isinstance(header, str):
            yield header
    for row in range(min(model.rowCount(parent), 50)):
        index = model.index(row, 0, parent)
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = model.data(index, role)
            if isinstance(value, str):
                yield value
        flat = isinstance(model, QAbstractTableModel | QAbstractListModel)
        if not flat and model.rowCount(index):
            yield from _model_texts(model, index)


def visible_texts(root: QWidget, core_said: tuple[QWidget, ...] = ()) -> Iterator[tuple[str, str]]:
    """(where, text) for every word a person can read in ``root`` and its children.

    ``core_said`` are widgets that show the core's own words (signal explanations, a file's metadata
    labels): English in every language in this step (docs/translating.md).
    """
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if any(widget is said or said.isAncestorOf(widget) for said in core_said):
            continue
        name = type(widget).__name__
        yield f"{name} tooltip", widget.toolTip()
        yield f"{name} title", widget.windowTitle() if widget.isWindow() else ""
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield f"{name} text", widget.text()
        if isinstance(widget, QGroupBox):
            yield f"{name} title", widget.title()
        if isinstance(widget, QLineEdit):
            yield f"{name} placeholder", widget.placeholderText()
        if isinstance(widget, (QPlainTextEdit, QTextEdit)):
            yield f"{name} placeholder", widget.placeholderText()
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield f"{name} item", widget.itemText(i)
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield f"{name} tab", widget.tabText(i)
                yield f"{name} tab tooltip", widget.tabToolTip(i)
        if isinstance(widget, QMenu):
            yield f"{name} title", widget.title()
        if (
            isinstance(widget, QAbstractItemView)
            and not isinstance(widget, QHeaderView)
            and widget.model() is not None
        ):
            for text in _model_texts(widget.model()):
                yield f"{name} item", text
        for action in widget.actions():
            yield f"action of {name}", action.text()
            yield f"action tooltip of {name}", action.toolTip()
            yield f"action icon text of {name}", action.iconText()
            menu = action.menu()
            if isinstance(menu, QMenu):
                yield f"menu of {name}", menu.title()
                for inner in menu.actions():
                    yield f"menu item of {menu.title()}", inner.text()


def english_words(texts: Iterator[tuple[str, str]], allowed: set[str]) -> list[str]:
    """Every English word left, with where it was: an empty list when everything is translated."""
    found = []
    for where, text in texts:
        # markup, hashes, paths and file names are no words
        plain = re.sub(r"<[^>]+>|&\w+;|[0-9a-f]{8,}|\S*/\S*|\S+\.(?:pdf|png|zip|sqlite)\b", " ", text or "")
        words = {w.lower() for w in WORD.findall(plain)} - NAMES - allowed
        if words:
            found.append(f"{where}: {text!r} ({', '.join(sorted(words))})")
    return found


def test_the_main_window_has_no_english_left_in_russian(russian_window: MainWindow, ui_case: Case) -> None:
    window = russian_window
    case_words = CASE_WORDS | {w.lower() for w in WORD.findall(ui_case.title)}
    assert window.menus.menus["&File"].title() == "&Файл"
    assert window.panes.tabText(0) == "Статус"
    core_said = (window.forensics.signal_view, window.metadata.file_facts)
    leftovers = english_words(visible_texts(window, core_said), case_words)
    # every pane, shown in turn (some fill themselves when looked at)
    for index in range(window.panes.count()):
        window.panes.setCurrentIndex(index)
        QApplication.processEvents()
        leftovers += english_words(visible_texts(window.panes.widget(index), core_said), case_words)
    for index in range(window.browse.count()):
        window.browse.setCurrentIndex(index)
        QApplication.processEvents()
        leftovers += english_words(visible_texts(window.browse.widget(index)), case_words)
    assert not sorted(set(leftovers)), "\n".join(sorted(set(leftovers)))


def test_each_dialog_has_no_english_left_in_russian(
    russian: None, qtbot: QtBot, ui_case: Case, tmp_path: Path
) -> None:
    from reviewer.core.domain.values import VerificationStatus

    case_words = CASE_WORDS | {w.lower() for w in WORD.findall(ui_case.title)} | {"case"}
    dialogs: list[QWidget] = [
        ExportDialog(ui_case, [1, 2]),
        ImportOptionsDialog(ui_case, [tmp_path / "letter.pdf"]),
        OcrSettingsDialog(ui_case),
        AddLinkDialog(ui_case, 1),
        RationaleDialog(VerificationStatus.DISPUTED, "", 3),
        WelcomeWindow([str(tmp_path / "gone")]),
    ]
    leftovers: list[str] = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        leftovers += english_words(visible_texts(dialog), case_words)
    assert not leftovers, "\n".join(leftovers)


def test_plural_forms_follow_russian_grammar(russian: None) -> None:
    words = [i18n.translate("MainWindow", "%n document(s)", "", n) for n in (1, 3, 5, 21)]
    assert words == ["1 документ", "3 документа", "5 документов", "21 документ"]


def test_english_is_the_source_and_the_fallback(qapp: QApplication) -> None:
    """Without a translation the window speaks the source's English, with English plurals."""
    assert i18n.install_translators(qapp, "en") == []
    assert i18n.english_plural(i18n.translate("SearchResultsModel", "%n place(s)", "", 1), 1) == "1 place"
    assert i18n.english_plural(i18n.translate("SearchResultsModel", "%n place(s)", "", 4), 4) == "4 places"


def test_the_language_is_the_setting_else_the_system_else_english(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert i18n.chosen_language(settings, QLocale("ru_RU")) == "ru"
    assert i18n.chosen_language(settings, QLocale("de_DE")) == "en"
    settings.setValue(i18n.LANGUAGE_KEY, "en")
    assert i18n.chosen_language(settings, QLocale("ru_RU")) == "en"
    settings.setValue(i18n.LANGUAGE_KEY, "xx")  # a language whose translation is not installed
    assert i18n.chosen_language(settings, QLocale("ru_RU")) == "ru"


def test_view_language_remembers_the_choice_for_the_next_start(window: MainWindow) -> None:
    view = window.menus.menus["&View"]
    language = next(a.menu() for a in view.actions() if a.menu() is not None and "Language" in a.text())
    russian_action = next(a for a in language.actions() if a.text() == "Русский")
    russian_action.trigger()
    assert window.settings.value(i18n.LANGUAGE_KEY) == "ru"
    assert "next start" in window.statusBar().currentMessage()


def test_the_translation_has_no_unfinished_entries() -> None:
    ts = (TRANSLATIONS / "reviewer_ru.ts").read_text(encoding="utf-8")
    assert 'type="unfinished"' not in ts
    assert "<numerusform></numerusform>" not in ts


@pytest.mark.slow
def test_the_ts_holds_every_string_of_the_source_and_the_qm_is_compiled_from_it() -> None:
    """A string added to the window without running update.py fails here (and the shipped .qm too)."""
    result = subprocess.run(
        [sys.executable, str(TRANSLATIONS / "update.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_edit_menu_names_what_undo_will_undo_in_russian(russian_window: MainWindow) -> None:
    edits = russian_window.edits
    edits.set_status([1], VerificationStatus.IN_REVIEW, "проверяем бланк")
    edits.tag([1, 2], ["транзит"])
    edits.delete_annotation(1, queries.document_detail(russian_window.case, 1).annotations[0].id)
    texts = [edits.undo_stack.text(i) for i in range(edits.undo_stack.count())]
    assert texts[0] == "Статус (документ 1): На проверке"
    assert texts[1] == "Пометить: транзит"
    assert texts[2] == "Удалить аннотацию"
    assert english_words(iter(("undo", t) for t in texts), set()) == []
