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
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, Qt, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.storage.live import ChangeListener
from reviewer.ui.i18n import translate

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from reviewer.core.domain.errors import ConflictError
    from reviewer.core.services.case import Case

# Entries that bring documents into the case: the list and its count are read again, not just rows.
NEW_DOCUMENTS = frozenset({"imported", "import_batch", "bundle_merged", "case_moved"})


class LiveUpdates(QObject):
    """What others change in a shared case, as it is committed (see the module's notes)."""

    documents_changed = Signal(list)  # ids of documents whose record changed
    case_changed = Signal()  # documents came (or went): the list and the counts are read again
    failed = Signal(str)

    def __init__(self, listener: ChangeListener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listener: ChangeListener | None = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self.read)

    @classmethod
    def start(cls, case: Case, parent: QObject | None = None) -> LiveUpdates | None:
        """Listen to ``case`` if it is shared (None for a local case: nobody else writes it)."""
        try:
            listener = ChangeListener.open(case.db)
        except ReviewerError as exc:  # the case itself opened: work on, told once, without live updates
            logging.getLogger(__name__).warning("reviewer: %s", exc)
            return None
        return None if listener is None else cls(listener, parent)

    def read(self) -> None:
        """Take the changes announced so far and say what they concern."""
        if self._listener is None:
            return
        try:
            changes = self._listener.pending()
        except ReviewerError as exc:
            self.stop()
            self.failed.emit(str(exc))
            return
        documents = sorted({c.document_id for c in changes if c.document_id is not None})
        if any(c.action in NEW_DOCUMENTS for c in changes):
            self.case_changed.emit()
        if documents:
            self.documents_changed.emit(documents)

    def stop(self) -> None:
        """Stop listening (closing the window does)."""
        self._notifier.setEnabled(False)
        if self._listener is not None:
            self._listener.close()
            self._listener = None


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
        self.setInformativeText(str(error))
        self.apply_button = self.addButton(self.tr("Apply mine anyway"), QMessageBox.ButtonRole.AcceptRole)
        self.theirs_button = self.addButton(self.tr("Take theirs"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.theirs_button)
        self._apply_anyway = apply_anyway
        self.buttonClicked.connect(self._chosen)

    def _chosen(self, button: object) -> None:
        if button is self.apply_button:
            self._apply_anyway()


def ask_password(parent: QWidget | None, where: str, problem: str | None = None) -> str | None:
    """Ask the password for ``where`` (None when cancelled); ``problem`` is why it is asked again."""
    prompt = translate("LivePassword", "The case database asks for your password:") + f"\n{where}"
    if problem:
        prompt = f"{problem}\n\n{prompt}"
    text, ok = QInputDialog.getText(
        parent, translate("LivePassword", "Password"), prompt, QLineEdit.EchoMode.Password
    )
    return text if ok else None
