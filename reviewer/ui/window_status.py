"""The window's status bar: passing messages on its left, lasting widgets on its right.

Whatever wants a place in the status bar (reading pages, who else is here, later the team's jobs)
asks :meth:`WindowStatus.add` for it; a state that lasts until it ends (reconnecting) is
:meth:`WindowStatus.set_state`; a passing message is :meth:`WindowStatus.say`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from reviewer.core.ingest.tesseract import INSTALL_HINT
from reviewer.ui.i18n import translate

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar, QWidget

    from reviewer.core.services.reading import ReadReport


class WindowStatus(QObject):
    """One window's status bar (see the module's notes)."""

    def __init__(self, bar: QStatusBar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bar = bar
        self.state = QLabel(bar)  # a lasting state, shown while it lasts
        self.state.setStyleSheet("color: #b35900;")
        self.state.hide()
        bar.addPermanentWidget(self.state)

    def add(self, widget: QWidget, stretch: int = 0) -> None:
        """Give ``widget`` a lasting place on the right of the bar, after those added before."""
        self.bar.addPermanentWidget(widget, stretch)

    def say(self, message: str, timeout_ms: int) -> None:
        """A passing message on the left."""
        self.bar.showMessage(message, timeout_ms)

    def error(self, message: str, parent: QWidget) -> None:
        """Say a problem in the bar and in a box that does not stop the person (not modal)."""
        self.say(message, 15000)
        ok = QMessageBox.StandardButton.Ok
        box = QMessageBox(QMessageBox.Icon.Warning, "reviewer", message, ok, parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def set_state(self, text: str | None) -> None:
        """Show a lasting state (None: it ended)."""
        self.state.setText(text or "")
        self.state.setToolTip(text or "")
        self.state.setVisible(bool(text))

    def reading_done(self, report: ReadReport) -> None:
        """Say how a reading run went: pages read and by OCR, or where OCR failed."""
        if report.failed:
            failed = len(report.failed)
            self.say(
                translate("MainWindow", "OCR failed on %n page(s): {first}", "", failed).format(
                    first=report.failed[0]
                ),
                15000,
            )
        else:
            pages = report.pages
            self.say(
                translate("MainWindow", "%n page(s) read, {ocr} by OCR", "", pages).format(ocr=report.ocr),
                8000,
            )


def ocr_missing_message(skipped: int) -> str:
    """What the window says once when Tesseract is missing: pages without text wait for it."""
    return translate(
        "MainWindow",
        "OCR is off: Tesseract is not installed ({hint}). %n page(s) without text are "
        "searchable once it is; everything else works.",
        "",
        skipped,
    ).format(hint=INSTALL_HINT)
