"""The page area's word on a locked document, and the Unlock… prompt: thin, the service does the work.

A locked document (encrypted, imported without its password) has no pages to show. The bar says so
in the page area; its button asks for the password and runs ``unlock_document`` on a background
thread (MuPDF checks it in a worker process), so the window stays usable. A wrong password is said
in one line and nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton, QWidget

from reviewer.core.services.unlock import UnlockReport, unlock_document
from reviewer.ui.i18n import QT_TRANSLATE_NOOP
from reviewer.ui.jobs import BackgroundJob

if TYPE_CHECKING:
    from reviewer.core.services.case import Case

LOCKED_TEXT = QT_TRANSLATE_NOOP(
    "UnlockBar", "🔒 This document is encrypted: its pages open with its password."
)


class UnlockJob(BackgroundJob):
    """``unlock_document`` on its own thread; ``finished(UnlockReport)`` or ``failed(message)``."""

    def __init__(self, case: Case, document_id: int, password: str) -> None:
        super().__init__("unlock")
        self._case, self._document_id, self._password = case, document_id, password

    def work(self) -> Any:
        return unlock_document(self._case, self._document_id, self._password)


class UnlockBar(QWidget):
    """Shown in the page area for a locked document: what it is, and an Unlock… button."""

    #: the document's id once its pages are readable
    unlocked = Signal(int)
    #: a one-line reason the unlock failed (a wrong password)
    failed = Signal(str)

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._document_id: int | None = None
        self.job: UnlockJob | None = None
        self.label = QLabel(self.tr(LOCKED_TEXT), self)
        self.label.setWordWrap(True)
        self.button = QPushButton(self.tr("Unlock…"), self)
        self.button.clicked.connect(self.ask)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.hide()

    def show_for(self, document_id: int | None, locked: bool) -> None:
        """Show the bar for a locked document, hide it for any other (or none)."""
        self._document_id = document_id if locked else None
        self.button.setEnabled(True)
        self.setVisible(self._document_id is not None)

    def ask(self) -> None:
        """Prompt for the password, then unlock in the background."""
        if self._document_id is None:
            return
        password, ok = QInputDialog.getText(
            self,
            self.tr("Unlock document"),
            self.tr("The password of document {id}:").format(id=self._document_id),
            QLineEdit.EchoMode.Password,
        )
        if ok and password:
            self.unlock(password)

    def unlock(self, password: str) -> UnlockJob | None:
        """Unlock the document shown with ``password`` on a background thread."""
        if self._document_id is None:
            return None
        self.button.setEnabled(False)
        self.job = UnlockJob(self._case, self._document_id, password)
        self.job.finished.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self.job.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.job.start()
        return self.job

    def _done(self, report: UnlockReport) -> None:
        self.hide()
        self.unlocked.emit(report.id)

    def _failed(self, message: str) -> None:
        self.button.setEnabled(True)
        self.failed.emit(message)
