"""Telling the person about files in the store that no document records, and moving them aside.

The check runs on its own thread when a case opens (listing a large store takes a moment); nothing is
said when the store is as recorded. Nothing is ever removed: the only action offered is quarantine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.services.quarantine import quarantine_unexplained, unexplained_originals
from reviewer.ui.i18n import translate
from reviewer.ui.jobs import BackgroundJob

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


class StoreCheckJob(BackgroundJob):
    """Lists the files in ``originals/`` that no document records."""

    def __init__(self, case: Case) -> None:
        super().__init__("store check")
        self.case = case

    def work(self) -> list[Path]:
        """The unexplained files."""
        return unexplained_originals(self.case)


class StoreCheck(QObject):
    """Runs the check for a window and, when something is found, offers to move it to quarantine."""

    def __init__(self, case: Case, parent: QMainWindow) -> None:
        super().__init__(parent)
        self.case = case
        self.window = parent
        self.job: StoreCheckJob | None = None
        self.box: QMessageBox | None = None

    def start(self, *, quiet_when_clean: bool = True) -> None:
        """Check the store in the background."""
        if self.job is not None and not self.job.wait(0):
            return
        self.job = StoreCheckJob(self.case)
        self.job.finished.connect(
            lambda found: self._found(found, quiet_when_clean), Qt.ConnectionType.QueuedConnection
        )
        self.job.start()

    def stop(self) -> None:
        """Wait for a running check (it only lists files; it ends soon)."""
        if self.job is not None:
            self.job.wait(30)

    def _found(self, found: list[Path], quiet_when_clean: bool) -> None:
        if not found and quiet_when_clean:
            return
        if not found:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "reviewer",
                self.tr("Every file in the case's store is recorded by a document."),
                QMessageBox.StandardButton.Ok,
                self.window,
            )
        else:
            count = len(found)
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "reviewer",
                translate(
                    "StoreCheck",
                    "%n file(s) in the case's store are not recorded by any document. "
                    "reviewer removed nothing: they may be originals whose record was lost (a database "
                    "restored from an older copy) or files put there by hand. Move them to the case's "
                    "quarantine folder, where they stay until you decide?",
                    "",
                    count,
                ),
                QMessageBox.StandardButton.NoButton,
                self.window,
            )
            box.setDetailedText("\n".join(str(p.relative_to(self.case.root)) for p in found))
            move = box.addButton(self.tr("Move to quarantine"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(self.tr("Leave them"), QMessageBox.ButtonRole.RejectRole)
            box.buttonClicked.connect(lambda button: self._answer(button is move))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.box = box
        box.open()

    def _answer(self, move: bool) -> None:
        self.box = None
        if not move:
            return
        try:
            report = quarantine_unexplained(self.case)
        except ReviewerError as exc:
            QMessageBox.warning(self.window, "reviewer", str(exc))
            return
        moved = len(report.moved_to)
        message = translate(
            "StoreCheck", "%n file(s) moved to the case's quarantine folder; nothing was removed", "", moved
        )
        self.window.statusBar().showMessage(message, 15000)
