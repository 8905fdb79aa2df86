"""Reading pages in the background after an import (and after a restart): progress in the status bar.

Documents are usable and searchable by their metadata and text layer at once; this job adds word boxes
and OCR page by page, with the time left and a Cancel button. Cancelled or interrupted, the next start
resumes with the pages still unread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from reviewer.core.processes import lower_this_thread
from reviewer.core.services.reading import ReadReport, pending_pages, read_pages
from reviewer.ui.i18n import translate
from reviewer.ui.jobs import BackgroundJob

if TYPE_CHECKING:
    from reviewer.core.services.case import Case
    from reviewer.core.services.reading import ReadProgress


class ReadingJob(BackgroundJob):
    """One reading run on its own thread; ``finished`` carries the ReadReport, or None when no page was
    waiting (counted on the job's thread: at 600,000 pages the count took 0.6-1.4 s, which the window
    spent frozen as it opened a case)."""

    progressed = Signal(object)  # ReadProgress
    counted = Signal(int)  # pages waiting, when there are some

    def __init__(self, case: Case) -> None:
        super().__init__("reading pages")
        self._case = case

    def work(self) -> ReadReport | None:
        """Read every page still unread, at a lower priority than the window (on both cores, OCR left
        the window a third of a core less than the person using it)."""
        lower_this_thread()
        waiting = pending_pages(self._case)
        if not waiting:
            return None
        self.counted.emit(waiting)
        return read_pages(self._case, on_progress=self.progressed.emit, cancel=self.cancel, background=True)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return translate("ReadingStatus", "{n} s").format(n=f"{seconds:.0f}")
    if seconds < 5400:
        return translate("ReadingStatus", "{n} min").format(n=f"{seconds / 60:.0f}")
    return translate("ReadingStatus", "{n} h").format(n=f"{seconds / 3600:.1f}")


class ReadingStatus(QWidget):
    """A status-bar widget: "Reading pages 12/340, OCR 10, about 4 min left" and Cancel."""

    finished = Signal(object)  # ReadReport, or None when the run failed
    failed = Signal(str)

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self.job: ReadingJob | None = None
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setToolTip(self.tr("Stop reading; it goes on from here next time"))
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

    @property
    def running(self) -> bool:
        """Whether a reading run is under way."""
        return self.job is not None

    def start(self) -> None:
        """Read the pages still unread, if any (shown once the job has counted some)."""
        if self.job is not None:
            return
        self.job = ReadingJob(self._case)
        self.job.counted.connect(self._counted, Qt.ConnectionType.QueuedConnection)
        self.job.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self.job.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.job.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.job.start()

    def _counted(self, _waiting: int) -> None:
        if self.job is None:
            return
        self.label.setText(self.tr("Reading pages…"))
        self.bar.setRange(0, 0)
        self.show()

    def cancel(self) -> None:
        """Stop the run (pages read so far are kept)."""
        if self.job is not None:
            self.job.cancel.set()
            self.label.setText(self.tr("Stopping…"))

    def stop(self, timeout: float = 30.0) -> None:
        """Cancel and wait for the run to end (closing the window)."""
        if self.job is not None:
            self.job.cancel.set()
            self.job.wait(timeout)
            self.job = None

    def _progressed(self, progress: ReadProgress) -> None:
        if self.job is None or not progress.pages_total:
            return
        self.bar.setRange(0, progress.pages_total)
        self.bar.setValue(progress.pages_done)
        left = (
            self.tr(", about {duration} left").format(duration=_duration(progress.eta))
            if progress.eta is not None and progress.pages_done
            else ""
        )
        self.label.setText(
            self.tr("Reading pages {done}/{total}, OCR {ocr}").format(
                done=progress.pages_done, total=progress.pages_total, ocr=progress.ocr_done
            )
            + left
        )

    def _finished(self, report: ReadReport | None) -> None:
        if self.job is not None:
            self.job.wait(5)
        self.job = None
        self.hide()
        if report is not None:  # None: there was nothing to read
            self.finished.emit(report)

    def _failed(self, message: str) -> None:
        if self.job is not None:
            self.job.wait(5)
        self.job = None
        self.hide()
        self.failed.emit(message)
