"""The case's OCR settings: when pages are OCR'd, and in which languages Tesseract reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.ingest import tesseract
from reviewer.core.ingest.reading import OcrMode
from reviewer.core.services.settings import ocr_defaults, set_ocr_defaults
from reviewer.ui.i18n import QT_TRANSLATE_NOOP, translate

if TYPE_CHECKING:
    from reviewer.core.services.case import Case

#: languages by their Tesseract code, in the order the dialog lists them
LANGUAGE_NAMES = {
    "rus": QT_TRANSLATE_NOOP("OcrSettingsDialog", "Russian"),
    "bel": QT_TRANSLATE_NOOP("OcrSettingsDialog", "Belarusian"),
    "ukr": QT_TRANSLATE_NOOP("OcrSettingsDialog", "Ukrainian"),
    "aze": QT_TRANSLATE_NOOP("OcrSettingsDialog", "Azerbaijani (Latin)"),
    "aze_cyrl": QT_TRANSLATE_NOOP("OcrSettingsDialog", "Azerbaijani (Cyrillic)"),
    "eng": QT_TRANSLATE_NOOP("OcrSettingsDialog", "English"),
}
#: the languages the leaked documents are written in: missing ones are named with their package
WANTED_LANGUAGES = ("rus", "bel", "aze", "aze_cyrl", "eng")
MODES = (
    (
        OcrMode.AUTO,
        QT_TRANSLATE_NOOP("OcrSettingsDialog", "Automatic (recommended)"),
        QT_TRANSLATE_NOOP("OcrSettingsDialog", "Pages without a usable text layer: scans and photos."),
    ),
    (
        OcrMode.ALWAYS,
        QT_TRANSLATE_NOOP("OcrSettingsDialog", "Every page"),
        QT_TRANSLATE_NOOP(
            "OcrSettingsDialog",
            "Pages with a text layer too, so that words only in the image (a stamp, a handwritten note) "
            "are found as well. Much slower.",
        ),
    ),
    (
        OcrMode.NEVER,
        QT_TRANSLATE_NOOP("OcrSettingsDialog", "Never"),
        QT_TRANSLATE_NOOP(
            "OcrSettingsDialog", "No OCR: scanned pages stay unsearchable and show no entities."
        ),
    ),
)
ERROR_STYLE = "color: #c5221f;"


def language_name(code: str) -> str:
    """A language as a person reads it: ``Russian (rus)``; codes reviewer does not name stay codes."""
    name = LANGUAGE_NAMES.get(code)
    return f"{translate('OcrSettingsDialog', name)} ({code})" if name else code


class OcrSettingsDialog(QDialog):
    """Mode and languages of the case's OCR; OK saves them (on the case's log).

    After ``accept`` the saved values are in ``mode`` and ``languages`` (``rus+eng``).
    """

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OCR settings"))
        self.setMinimumWidth(500)
        self._case = case
        self.mode, self.languages = ocr_defaults(case)
        self.available = tesseract.tesseract_program() is not None
        installed = tesseract.installed_languages() if self.available else ()

        self.missing_program = QLabel(
            "<b style='color: #c5221f'>"
            + self.tr("OCR needs Tesseract, which is not installed.")
            + "</b><br>"
            + self.tr(
                "Until it is, scanned pages cannot be searched. Install it with this command, "
                "then start reviewer again:"
            ),
            self,
        )
        self.missing_program.setWordWrap(True)
        self.program_command = _command(tesseract.INSTALL_HINT, self)
        self.missing_program.setVisible(not self.available)
        self.program_command.setVisible(not self.available)

        self.modes = QButtonGroup(self)
        self.mode_buttons: dict[OcrMode, QRadioButton] = {}
        self.mode_box = QWidget(self)
        mode_box = QVBoxLayout(self.mode_box)
        mode_box.setContentsMargins(0, 0, 0, 0)
        mode_box.setSpacing(2)
        indent = self.style().pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth) + 8
        for position, (mode, title, explanation) in enumerate(MODES):
            button = QRadioButton(self.tr(title), self.mode_box)
            button.setChecked(mode is self.mode)
            self.modes.addButton(button, position)
            self.mode_buttons[mode] = button
            words = QLabel(self.tr(explanation), self.mode_box)
            words.setWordWrap(True)
            words.setContentsMargins(indent, 0, 0, 6)
            words.setBuddy(button)
            mode_box.addWidget(button)
            mode_box.addWidget(words)

        current = [code for code in self.languages.split("+") if code]
        self.language_list = QListWidget(self)
        self.language_list.setUniformItemSizes(True)
        self.language_list.setMaximumHeight(self.fontMetrics().height() * 9)
        self._current_order = current
        known = [code for code in LANGUAGE_NAMES if code in installed]
        others = sorted(code for code in installed if code not in LANGUAGE_NAMES)
        gone = [code for code in current if code not in installed]
        for code in [*known, *others, *gone]:
            gone_note = "  — " + self.tr("not installed") if code in gone and self.available else ""
            label = language_name(code) + gone_note
            item = QListWidgetItem(label, self.language_list)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in current else Qt.CheckState.Unchecked)

        missing = [code for code in WANTED_LANGUAGES if code not in installed]
        self.missing_languages = QLabel(self)
        self.missing_languages.setWordWrap(True)
        packages = " ".join(tesseract.package_for(code) for code in missing)
        self.languages_command = _command(f"sudo apt install {packages}", self)
        if self.available and missing:
            self.missing_languages.setText(
                self.tr(
                    "Not installed: {languages}. To read them, install their data, then start reviewer again:"
                ).format(languages=", ".join(self.tr(LANGUAGE_NAMES[code]) for code in missing))
            )
        self.missing_languages.setVisible(bool(self.missing_languages.text()))
        self.languages_command.setVisible(bool(self.missing_languages.text()))
        hint = QLabel(
            self.tr(
                "Check only the languages the documents are in: each one more makes OCR slower. "
                "New settings apply to pages read from now on."
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        shown = self.languages_command if self.languages_command.isVisibleTo(self) else self.program_command
        wide = shown.fontMetrics().horizontalAdvance(shown.text()) + 60
        self.setMinimumWidth(max(self.minimumWidth(), wide))
        layout = QVBoxLayout(self)
        layout.addWidget(self.missing_program)
        layout.addWidget(self.program_command)
        layout.addWidget(QLabel("<b>" + self.tr("When to OCR a page") + "</b>", self))
        layout.addWidget(self.mode_box)
        layout.addWidget(QLabel("<b>" + self.tr("Languages") + "</b>", self))
        layout.addWidget(self.language_list)
        layout.addWidget(self.missing_languages)
        layout.addWidget(self.languages_command)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if not self.available:
            self.mode_box.setEnabled(False)
            self.language_list.setEnabled(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Close"))

    def chosen_mode(self) -> OcrMode:
        """The mode whose button is checked."""
        return MODES[max(self.modes.checkedId(), 0)][0]

    def chosen_languages(self) -> list[str]:
        """The checked languages: those already in use first, in their order (the first leads)."""
        checked = []
        for row in range(self.language_list.count()):
            item = self.language_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                checked.append(str(item.data(Qt.ItemDataRole.UserRole)))
        kept = [code for code in self._current_order if code in checked]
        return kept + [code for code in checked if code not in kept]

    def set_language_checked(self, code: str, checked: bool) -> None:
        """Check or uncheck a language listed."""
        for row in range(self.language_list.count()):
            item = self.language_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == code:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def accept(self) -> None:
        """Save the settings; say why not and stay open if they cannot be."""
        if not self.available:
            return
        languages = self.chosen_languages()
        if not languages:
            self._fail(self.tr("Check at least one language: Tesseract needs to know what to read."))
            return
        try:
            self.mode, self.languages = set_ocr_defaults(
                self._case, mode=self.chosen_mode(), languages="+".join(languages)
            )
        except ReviewerError as exc:
            self._fail(str(exc))
            return
        super().accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


def _command(text: str, parent: QWidget) -> QLineEdit:
    """A shell command to copy: one line, selectable, never wrapped inside a package name."""
    line = QLineEdit(text, parent)
    line.setReadOnly(True)
    line.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    line.setCursorPosition(0)
    return line
