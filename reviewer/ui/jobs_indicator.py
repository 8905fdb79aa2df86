"""The team's jobs in the status bar: what waits, runs and failed on a shared case's queue, and its workers.

:class:`JobsIndicator` is a status-bar label ("OCR 12 waiting · 2 running · 1 failed · 2 workers"; the
kinds are OCR, features and export), asked every ``JOBS_EVERY_MS`` off the GUI thread
(``services.team_jobs.queue_status`` is a round trip to the server). :meth:`JobsIndicator.start`
gives nothing for a local case: it has no queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from reviewer.core.services.team_jobs import queue_status
from reviewer.ui.i18n import translate
from reviewer.ui.jobs import BackgroundJob

if TYPE_CHECKING:
    from reviewer.core.services.case import Case
    from reviewer.core.services.team_jobs import JobCounts, QueueStatus

JOBS_EVERY_MS = 5_000  # a GROUP BY over the queue's table: cheap, and progress is worth seeing


class _LookAtQueue(BackgroundJob):
    """One look at the queue (a network round trip: never on the GUI thread)."""

    def __init__(self, case: Case) -> None:
        super().__init__("jobs of the team")
        self._case = case

    def work(self) -> QueueStatus:
        return queue_status(self._case)


def kind_name(kind: str) -> str:
    """What the window calls a kind of job."""
    names = {
        "reading": translate("JobsIndicator", "OCR"),
        "features": translate("JobsIndicator", "features"),
        "export": translate("JobsIndicator", "export"),
    }
    return names.get(kind, kind)


def jobs_line(status: QueueStatus) -> str:
    """The indicator's words: each kind with work left or failed, then the workers seen lately."""
    parts: list[str] = []
    for counts in status.kinds:
        if not (counts.waiting or counts.running or counts.failed):
            continue  # all done: nothing to watch
        parts.append(_kind_line(counts))
    workers = status.workers
    if not parts and not workers:
        return ""
    parts.append(translate("JobsIndicator", "%n worker(s)", "", workers))
    return " · ".join(parts)


def _kind_line(counts: JobCounts) -> str:
    words = [
        kind_name(counts.kind) + " " + translate("JobsIndicator", "{n} waiting").format(n=counts.waiting),
        translate("JobsIndicator", "{n} running").format(n=counts.running),
    ]
    if counts.failed:
        words.append(translate("JobsIndicator", "{n} failed").format(n=counts.failed))
    return " · ".join(words)


class JobsIndicator(QLabel):
    """The shared case's queue in a few words, refreshed on a timer (see the module's notes)."""

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self.status: QueueStatus | None = None
        self._job: _LookAtQueue | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(JOBS_EVERY_MS)
        self._timer.timeout.connect(self.look)
        self.setToolTip(
            translate(
                "JobsIndicator",
                "Jobs of this shared case on its queue, done by 'reviewer worker' on any machine",
            )
        )
        self.hide()

    @classmethod
    def start(cls, case: Case, parent: QWidget | None = None) -> JobsIndicator | None:
        """An indicator that looks at the queue now and then; None for a local case (no queue)."""
        if not case.db.shared:
            return None
        indicator = cls(case, parent)
        indicator._timer.start()
        QTimer.singleShot(0, indicator.look)
        return indicator

    def look(self) -> None:
        """Ask, off the GUI thread, how the queue stands (skipped while the last question is unanswered)."""
        if self._job is not None:
            return
        job = _LookAtQueue(self._case)
        job.finished.connect(self._seen, Qt.ConnectionType.QueuedConnection)
        job.failed.connect(self._not_seen, Qt.ConnectionType.QueuedConnection)
        self._job = job
        job.start()

    def show_status(self, status: QueueStatus) -> None:
        """Show how the queue stands (hidden when nothing waits, runs or failed and no worker is seen)."""
        self.status = status
        line = jobs_line(status)
        self.setText(f"  {line}  " if line else "")
        self.setVisible(bool(line))

    def stop(self) -> None:
        """Stop asking (closing the window does); waits for a question under way."""
        self._timer.stop()
        self._end_job()

    def _seen(self, status: QueueStatus) -> None:
        self._end_job()
        self.show_status(status)

    def _not_seen(self, _message: str) -> None:
        self._end_job()  # the server away for a moment: the last counts stay until the next look

    def _end_job(self) -> None:
        if self._job is not None:
            self._job.wait(5)
            self._job = None
