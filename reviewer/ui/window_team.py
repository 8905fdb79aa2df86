"""The window on a shared case: others' changes shown as they commit, and who else has the case open.

:class:`WorkingTogether` is built by the window for every case and does nothing for a local one. On a
shared case it starts :class:`~reviewer.ui.live.LiveUpdates`, hands what others changed to the
window, says in the status bar while the connection that hears them is being made again, and shows
who else is here (:class:`PresenceLabel`, asked every ``PRESENCE_EVERY_MS`` off the GUI thread).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from reviewer.core.storage.live import people_here
from reviewer.ui.i18n import translate
from reviewer.ui.jobs import BackgroundJob
from reviewer.ui.jobs_indicator import JobsIndicator
from reviewer.ui.live import LiveUpdates

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from reviewer.core.services.case import Case
    from reviewer.core.storage.case_db import CaseDatabase
    from reviewer.core.storage.live import Presence
    from reviewer.ui.window_status import WindowStatus

PRESENCE_EVERY_MS = 15_000  # a read of the server's own list of connections: cheap, but not per second


class _WhoIsHere(BackgroundJob):
    """One look at who else has the case open (a network round trip: never on the GUI thread)."""

    def __init__(self, db: CaseDatabase, me: int | None) -> None:
        super().__init__("who is here")
        self._db, self._me = db, me

    def work(self) -> list[Presence]:
        return people_here(self._db, me=self._me)


class PresenceLabel(QLabel):
    """A status-bar label naming the others with the case open ("Also here: anna, boris ×2")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people: list[Presence] = []
        self.hide()

    def show_people(self, people: Sequence[Presence]) -> None:
        """Show the others here now (hidden when nobody else is)."""
        self.people = list(people)
        counts = Counter(p.actor for p in people)
        names = ", ".join(n if c == 1 else f"{n} ×{c}" for n, c in sorted(counts.items()))
        self.setText("  " + translate("WorkingTogether", "Also here: {names}").format(names=names) + "  ")
        tip = [
            translate("WorkingTogether", "{name}, since {time}").format(name=p.actor, time=p.since)
            if p.since
            else p.actor
            for p in people
        ]
        self.setToolTip(
            translate("WorkingTogether", "Others with this case open in a window:") + "\n" + "\n".join(tip)
        )
        self.setVisible(bool(people))


class WorkingTogether(QObject):
    """Live updates and presence for one window (see the module's notes)."""

    documents_changed = Signal(list)  # ids changed by others
    case_changed = Signal()  # documents came or went, or changes may have been missed
    failed = Signal(str)

    def __init__(self, case: Case, status: WindowStatus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._status = status
        self.live = LiveUpdates.start(case, self)  # a shared case: what others change, as committed
        self.presence = PresenceLabel()
        self.jobs: JobsIndicator | None = None
        self._job: _WhoIsHere | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(PRESENCE_EVERY_MS)
        self._timer.timeout.connect(self.look)
        if self.live is None:
            return
        status.add(self.presence)
        self.jobs = JobsIndicator.start(case)  # the queue's jobs and workers
        if self.jobs is not None:
            status.add(self.jobs)
        self.live.documents_changed.connect(self.documents_changed)
        self.live.case_changed.connect(self.case_changed)
        self.live.failed.connect(self.failed)
        self.live.reconnecting.connect(self._reconnecting)
        self.live.reconnected.connect(self._reconnected)
        self._timer.start()
        QTimer.singleShot(0, self.look)

    def connect_to(
        self,
        changed: Callable[[list[int]], None],
        case_changed: Callable[[], None],
        failed: Callable[[str], None],
    ) -> None:
        """Hand others' changes to the window."""
        self.documents_changed.connect(changed)
        self.case_changed.connect(case_changed)
        self.failed.connect(failed)

    def look(self) -> None:
        """Ask, off the GUI thread, who else is here (skipped while the last question is unanswered)."""
        if self.live is None or self._job is not None:
            return
        listener = self.live.listener
        job = _WhoIsHere(self._case.db, listener.backend if listener is not None else None)
        job.finished.connect(self._seen, Qt.ConnectionType.QueuedConnection)
        job.failed.connect(self._not_seen, Qt.ConnectionType.QueuedConnection)
        self._job = job
        job.start()

    def _seen(self, people: list[Presence]) -> None:
        self._end_job()
        self.presence.show_people(people)

    def _not_seen(self, _message: str) -> None:
        self._end_job()  # the connection is said by the listener; the list is shown as it was

    def _end_job(self) -> None:
        if self._job is not None:
            self._job.wait(1)
            self._job = None

    def _reconnecting(self, why: str) -> None:
        self._status.set_state(
            translate(
                "WorkingTogether", "Reconnecting to the case database… others' changes show once it is back"
            )
            + f" ({why})"
        )

    def _reconnected(self) -> None:
        self._status.set_state(None)
        self._status.say(translate("WorkingTogether", "Connected to the case database again"), 8000)
        self.look()

    def stop(self) -> None:
        """Stop listening and asking (closing the window does)."""
        self._timer.stop()
        if self.jobs is not None:
            self.jobs.stop()
        if self.live is not None:
            self.live.stop()
        if self._job is not None:
            self._job.wait(10)
            self._job = None
