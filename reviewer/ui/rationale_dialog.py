"""Deciding is deliberate: a verdict (verified, disputed, fabricated) is set only with its rationale.

The same prompt serves the keys 1–5, the Status menu, the Verification pane and several documents
selected at once; Cancel sets nothing. The command line asks the same (``status … --note``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import queries
from reviewer.ui.i18n import translate
from reviewer.ui.status_style import STATUS_COLOURS
from reviewer.ui.words import status_label

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from reviewer.core.services.case import Case
    from reviewer.ui.actions import DocumentActions

#: statuses that are a verdict, and so need a reason
NEEDS_RATIONALE = frozenset(
    {VerificationStatus.VERIFIED, VerificationStatus.DISPUTED, VerificationStatus.FABRICATED}
)


class RationaleDialog(QDialog):
    """Asks why, before a verdict is set; OK stays disabled while the rationale is empty."""

    def __init__(
        self, status: VerificationStatus, rationale: str, count: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        label = status_label(status)
        self.status = status
        self.setWindowTitle(self.tr("Mark as {status}").format(status=label.lower()))
        self.setMinimumWidth(480)
        colour = STATUS_COLOURS[status].name()
        shown = f"<b style='color:{colour}'>{label.lower()}</b>"
        question = (
            self.tr("Why is this document {status}?")
            if count == 1
            else translate("RationaleDialog", "Why are these %n documents {status}?", "", count)
        )
        self.heading = heading = QLabel(question.format(status=shown), self)
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr("What you checked, against what, and what you found"))
        self.text.setPlainText(rationale)
        self.text.setTabChangesFocus(True)
        hint = QLabel(
            self.tr("The rationale goes on the custody log with the status, and into exports."), self
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Mark as {status}").format(status=label.lower()))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._changed)
        self._changed()
        self.text.setFocus()
        self.text.selectAll()

    def rationale(self) -> str:
        """The rationale as typed, without surrounding blank space."""
        return self.text.toPlainText().strip()

    def accept(self) -> None:
        """Only with a rationale."""
        if self.rationale():
            super().accept()

    def _changed(self) -> None:
        self.ok.setEnabled(bool(self.rationale()))


def decide(
    parent: QWidget,
    edits: DocumentActions,
    doc_ids: Sequence[int],
    status: VerificationStatus,
    rationale: str | None,
    on_cancel: Callable[[], None] | None = None,
    seen: Mapping[int, tuple[VerificationStatus, str | None]] | None = None,
) -> RationaleDialog | None:
    """Set a status: at once when it is no verdict, else once a rationale is given (window-modal).

    ``rationale`` is the current one, kept for a status that is no verdict and offered to edit for one.
    ``seen``: each document's status and rationale as the person saw them (recorded now if not
    given); a decision crossed by someone else's is refused and offered (``ConflictBox``).
    Returns the dialog asking, if one is shown.
    """
    ids = list(doc_ids)
    if not ids:
        return None
    status = VerificationStatus(status)  # a combo box's item data comes back as plain text
    if seen is None:
        details = [queries.document_detail(edits.case, d) for d in ids]
        seen = {d.summary.id: (d.summary.status, d.status_note) for d in details}
    if status not in NEEDS_RATIONALE:
        edits.set_status(ids, status, rationale, seen)
        return None
    dialog = RationaleDialog(status, rationale or "", len(ids), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: edits.set_status(ids, status, dialog.rationale(), seen))
    if on_cancel is not None:
        dialog.rejected.connect(on_cancel)
    dialog.open()
    return dialog


def current_rationale(case: Case, doc_ids: Sequence[int]) -> str | None:
    """The rationale the documents share (one document's own; several: theirs if all alike, else none)."""
    notes = {queries.document_detail(case, d).status_note for d in doc_ids}
    return notes.pop() if len(notes) == 1 else None
