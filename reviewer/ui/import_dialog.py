"""Importing from the window: the service runs on a background thread, with progress and cancel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.services.importing import ImportOptions, import_paths
from reviewer.ui.jobs import BackgroundJob

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.domain.records import ImportProgress, ImportReport
    from reviewer.core.services.case import Case


class ImportJob(BackgroundJob):
    """One import on its own thread; ``finished`` carries the ImportReport."""

    progressed = Signal(object)  # ImportProgress

    def __init__(self, case: Case, paths: list[Path], options: ImportOptions | None = None) -> None:
        super().__init__("the import")
        self._case = case
        self._paths = paths
        self._options = options or ImportOptions()

    def work(self) -> ImportReport:
        """Import the paths."""
        return import_paths(
            self._case, self._paths, self._options, on_progress=self.progressed.emit, cancel=self.cancel
        )


class ImportDialog(QDialog):
    """Progress of an import, a Cancel button, and the refused files with their reasons."""

    def __init__(self, job: ImportJob, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Importing")
        self.setMinimumWidth(560)
        self.job = job
        self.report: ImportReport | None = None
        self.label = QLabel("Looking at the files…", self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.refused = QListWidget(self)
        self.refused.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.refused)
        layout.addWidget(self.buttons)
        job.progressed.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        job.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        job.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)

    def _progress(self, progress: ImportProgress) -> None:
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(progress.done)
        self.label.setText(
            f"{progress.done} of {progress.total} files: {progress.imported} new, "
            f"{progress.duplicates} already in the case, {progress.failed} refused"
        )

    def _finished(self, report: ImportReport) -> None:
        self.report = report
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        verb = "Import cancelled" if report.cancelled else "Import finished"
        self.label.setText(
            f"{verb}: {len(report.imported)} new, {len(report.duplicates)} already in the case, "
            f"{len(report.failed)} refused."
        )
        if report.failed:
            self.refused.show()
            for failure in report.failed:
                self.refused.addItem(f"{failure.path}: {failure.error}")
            self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
            self.buttons.rejected.connect(self.accept)
        else:
            self.accept()

    def _failed(self, message: str) -> None:
        self.label.setText(message)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

    def _cancel(self) -> None:
        if self.report is None:
            self.job.cancel.set()
            self.label.setText("Cancelling…")
        else:
            self.reject()
