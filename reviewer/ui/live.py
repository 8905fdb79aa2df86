"""Working together in the window: changes others make, edits that crossed, a server's password.

:class:`LiveUpdates` watches a shared case's :class:`~reviewer.core.storage.live.ChangeListener` with a
``QSocketNotifier`` on the GUI thread (no thread of its own: the listener's connection is read only
when the server has sent something) and says which documents changed. :class:`ConflictBox` shows a
:class:`~reviewer.core.domain.errors.ConflictError` and offers to apply the edit anyway or to take
the other value. :func:`ask_password` is the prompt for a server that asks a password libpq found
nowhere; the password lives in memory for this run only.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.storage.live import CONNECT_TIMEOUT, ChangeListener
from reviewer.ui.i18n import translate
from reviewer.ui.jobs import BackgroundJob

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from reviewer.core.domain.errors import ConflictError
    from reviewer.core.services.case import Case
    from reviewer.core.storage.case_db import CaseDatabase

# Entries that bring documents into the case: the list and its count are read again, not just rows.
NEW_DOCUMENTS = frozenset({"imported", "import_batch", "bundle_merged", "case_moved"})


class _Reconnect(BackgroundJob):
    """Opens a new listener off the GUI thread (a server gone away takes up to its connect timeout)."""

    def __init__(self, db: CaseDatabase) -> None:
        super().__init__("hearing changes again")
        self._db = db

    def work(self) -> ChangeListener | None:
        return ChangeListener.open(self._db)


class LiveUpdates(QObject):
    """What others change in a shared case, as it is committed (see the module's notes).

    Changes this process wrote itself are not announced again (the window shows them already). When
    the connection that hears them drops, ``reconnecting`` says so and new connections are tried,
    further apart each time (1 s up to 30 s); once one is made ``reconnected`` is emitted and
    ``case_changed`` with it, since whatever happened meanwhile was not heard.
    """

    documents_changed = Signal(list)  # ids of documents whose record changed
    case_changed = Signal()  # documents came (or went): the list and the counts are read again
    failed = Signal(str)
    reconnecting = Signal(str)  # why (one line); tried again until it works or the window closes
    reconnected = Signal()

    RETRY_FIRST_MS = 1000
    RETRY_MOST_MS = 30_000

    def __init__(
        self, listener: ChangeListener, parent: QObject | None = None, db: CaseDatabase | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._listener: ChangeListener | None = None
        self._notifier: QSocketNotifier | None = None
        self._job: _Reconnect | None = None
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._try_again)
        self._wait_ms = self.RETRY_FIRST_MS
        self._stopped = False
        self._listen(listener)

    @classmethod
    def start(cls, case: Case, parent: QObject | None = None) -> LiveUpdates | None:
        """Listen to ``case`` if it is shared (None for a local case: nobody else writes it)."""
        try:
            listener = ChangeListener.open(case.db)
        except ReviewerError as exc:  # the case itself opened: work on, told once, without live updates
            logging.getLogger(__name__).warning("reviewer: %s", exc)
            return None
        return None if listener is None else cls(listener, parent, case.db)

    @property
    def listener(self) -> ChangeListener | None:
        """The connection hearing changes now (None while reconnecting)."""
        return self._listener

    def _listen(self, listener: ChangeListener) -> None:
        self._listener = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self.read)

    def read(self) -> None:
        """Take the changes announced so far and say what they concern (others' only)."""
        if self._listener is None:
            return
        try:
            changes = self._listener.others(self._listener.pending())
        except ReviewerError as exc:
            self._drop()
            if self._db is None:
                self.failed.emit(str(exc))
                return
            self.reconnecting.emit(str(exc))
            self._wait_ms = self.RETRY_FIRST_MS
            self._retry.start(self._wait_ms)
            return
        documents = sorted({c.document_id for c in changes if c.document_id is not None})
        if any(c.action in NEW_DOCUMENTS for c in changes):
            self.case_changed.emit()
        if documents:
            self.documents_changed.emit(documents)

    def _drop(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _try_again(self) -> None:
        if self._stopped or self._db is None or self._job is not None:
            return
        job = _Reconnect(self._db)
        job.finished.connect(self._made, Qt.ConnectionType.QueuedConnection)
        job.failed.connect(self._not_made, Qt.ConnectionType.QueuedConnection)
        self._job = job
        job.start()

    def _made(self, listener: ChangeListener | None) -> None:
        self._finish_job()
        if listener is None:
            return
        if self._stopped:
            listener.close()
            return
        self._listen(listener)
        self.reconnected.emit()
        self.case_changed.emit()  # what changed while nobody heard: read again
        self.read()

    def _not_made(self, message: str) -> None:
        self._finish_job()
        if self._stopped:
            return
        self.reconnecting.emit(message)
        self._wait_ms = min(self._wait_ms * 2, self.RETRY_MOST_MS)
        self._retry.start(self._wait_ms)

    def _finish_job(self) -> None:
        if self._job is not None:
            self._job.wait(1)
            self._job = None

    def stop(self) -> None:
        """Stop listening (closing the window does)."""
        self._stopped = True
        self._retry.stop()
        if self._job is not None:
            self._job.wait(CONNECT_TIMEOUT + 1)
            self._job = None
        self._drop()


class ConflictBox(QMessageBox):
    """Someone changed what the person was editing: show theirs, offer to apply mine anyway or take theirs."""

    def __init__(
        self, error: ConflictError, apply_anyway: Callable[[], None], parent: QWidget | None
    ) -> None:
        super().__init__(
            QMessageBox.Icon.Warning, "reviewer", str(error), QMessageBox.StandardButton.NoButton, parent
        )
        self.error = error
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setText(self.tr("Someone else changed this while you were editing it."))
        self.setInformativeText(self._what_happened(error))
        self.setDetailedText(str(error))
        self.apply_button = self.addButton(self.tr("Apply mine anyway"), QMessageBox.ButtonRole.AcceptRole)
        self.theirs_button = self.addButton(self.tr("Take theirs"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.theirs_button)
        self._apply_anyway = apply_anyway
        self.buttonClicked.connect(self._chosen)

    def _what_happened(self, error: ConflictError) -> str:
        """Who changed it, when (local time) and to what, in the window's language."""
        when = _local_time(error.at)
        if error.actor and when:
            line = self.tr("%1 changed it at %2 to: %3").replace("%1", error.actor).replace("%2", when)
        elif error.actor:
            line = self.tr("%1 changed it to: %3").replace("%1", error.actor)
        elif when:
            line = self.tr("It was changed at %2 to: %3").replace("%2", when)
        else:
            line = self.tr("It was changed to: %3")
        return line.replace("%3", error.shown) + "\n" + self.tr("Your edit was not saved.")

    def _chosen(self, button: object) -> None:
        if button is self.apply_button:
            self._apply_anyway()


def _local_time(at: str | None) -> str | None:
    """An ISO time from the log as the person's local time: the time alone when it is today."""
    if not at:
        return None
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return at
    if moment.date() == datetime.now(moment.tzinfo).date():
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M")


def ask_password(parent: QWidget | None, where: str, problem: str | None = None) -> str | None:
    """Ask the password for ``where`` (None when cancelled); ``problem`` is why it is asked again."""
    prompt = translate("LivePassword", "The case database asks for your password:") + f"\n{where}"
    if problem:
        prompt = f"{problem}\n\n{prompt}"
    text, ok = QInputDialog.getText(
        parent, translate("LivePassword", "Password"), prompt, QLineEdit.EchoMode.Password
    )
    return text if ok else None
