"""Choosing the languages Tesseract reads a document in, from those it has installed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.ingest.tesseract import installed_languages, package_for
from reviewer.ui.i18n import QT_TRANSLATE_NOOP

#: what people call Tesseract's language codes
LANGUAGE_NAMES = {
    "aze": QT_TRANSLATE_NOOP("LanguagesDialog", "Azerbaijani (Latin)"),
    "aze_cyrl": QT_TRANSLATE_NOOP("LanguagesDialog", "Azerbaijani (Cyrillic)"),
    "bel": QT_TRANSLATE_NOOP("LanguagesDialog", "Belarusian"),
    "deu": QT_TRANSLATE_NOOP("LanguagesDialog", "German"),
    "eng": QT_TRANSLATE_NOOP("LanguagesDialog", "English"),
    "fra": QT_TRANSLATE_NOOP("LanguagesDialog", "French"),
    "kaz": QT_TRANSLATE_NOOP("LanguagesDialog", "Kazakh"),
    "rus": QT_TRANSLATE_NOOP("LanguagesDialog", "Russian"),
    "tur": QT_TRANSLATE_NOOP("LanguagesDialog", "Turkish"),
    "ukr": QT_TRANSLATE_NOOP("LanguagesDialog", "Ukrainian"),
}


def split_languages(languages: str | None) -> list[str]:
    """``rus+eng`` as ``["rus", "eng"]``."""
    return [part.strip() for part in (languages or "").split("+") if part.strip()]


class LanguagesDialog(QDialog):
    """A checkable list of the installed languages, or "as the case"; ``languages()`` after OK."""

    def __init__(
        self, current: str, case_default: str, *, follows_case: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OCR languages of this document"))
        self.setMinimumWidth(380)
        self._order = split_languages(current)
        self.follow_case = QCheckBox(
            self.tr("As the case ({languages})").format(languages=case_default), self
        )
        self.list = QListWidget(self)
        installed = installed_languages()
        # The languages in force first, in their order (the first one counts most), then the others.
        for code in self._order + sorted(set(installed) - set(self._order)):
            name = self.tr(LANGUAGE_NAMES[code]) if code in LANGUAGE_NAMES else code
            item = QListWidgetItem(f"{name}  ({code})" if name != code else code, self.list)
            item.setData(Qt.ItemDataRole.UserRole, code)
            flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
            if code in installed:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(flags)  # chosen once, since uninstalled: shown, not choosable
                item.setToolTip(
                    self.tr("not installed: {command}").format(
                        command=f"sudo apt install {package_for(code)}"
                    )
                )
            item.setCheckState(Qt.CheckState.Checked if code in self._order else Qt.CheckState.Unchecked)
        hint = QLabel(
            self.tr(
                "Tesseract leans on the first language; each one more makes reading slower. "
                "Other languages come as packages, e.g. {command}"
            ).format(command="sudo apt install tesseract-ocr-bel tesseract-ocr-aze"),
            self,
        )
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.follow_case)
        layout.addWidget(self.list)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.follow_case.toggled.connect(self._follow_case)
        self.list.itemChanged.connect(self._changed)
        self.follow_case.setChecked(follows_case)
        self._follow_case(follows_case)

    def checked(self) -> list[str]:
        """The codes ticked, in list order."""
        items = (self.list.item(i) for i in range(self.list.count()))
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked and item.flags() & Qt.ItemFlag.ItemIsEnabled
        ]

    def languages(self) -> str | None:
        """``rus+eng`` as chosen (the languages ticked before keep their order); None: as the case."""
        if self.follow_case.isChecked():
            return None
        ticked = self.checked()
        kept = [code for code in self._order if code in ticked]
        return "+".join(kept + [code for code in ticked if code not in kept]) or None

    def _follow_case(self, on: bool) -> None:
        self.list.setEnabled(not on)
        self._changed()

    def _changed(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.follow_case.isChecked() or bool(self.checked()))
