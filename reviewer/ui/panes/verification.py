"""The Verification pane: the status with its rationale, and the checklist with a note per item."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QStyle, QStyleOptionFrame, QVBoxLayout, QWidget

from reviewer.core.domain.values import ChecklistItem, CheckState, VerificationStatus
from reviewer.ui.panes.editors import CommitLineEdit, CommitTextEdit
from reviewer.ui.rationale_dialog import decide
from reviewer.ui.status_style import STATUS_COLOURS
from reviewer.ui.words import check_item_label, check_state_label, status_label

if TYPE_CHECKING:
    from PySide6.QtGui import QFocusEvent, QPaintEvent

    from reviewer.core.domain.records import DocumentDetail
    from reviewer.ui.actions import DocumentActions

STATE_MARKS = {
    CheckState.UNCHECKED: "–",
    CheckState.CONSISTENT: "✓",
    CheckState.DOUBTFUL: "?",
    CheckState.INCONSISTENT: "✗",
    CheckState.NOT_APPLICABLE: "",
}


class NoteEdit(CommitLineEdit):
    """A checklist note: read from its start, cut with "…" at the end when it does not fit.

    A line edit shows the end of a long text after ``setText``; a note is read from its beginning, so
    while it is not being edited it is drawn elided at the end, and its whole text is its tooltip.
    """

    def set_saved(self, text: str | None) -> None:
        super().set_saved(text)
        self.setCursorPosition(0)
        self.setToolTip(self.text())

    def shown_text(self) -> str:
        """The text as drawn now (elided at the end unless being edited)."""
        if self.hasFocus():
            return self.text()
        width = self._text_rect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, max(width, 0))

    def _text_rect(self) -> QRect:
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        rect = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        margins = self.textMargins()
        return rect.adjusted(margins.left() + 2, margins.top(), -margins.right() - 2, -margins.bottom())

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.setCursorPosition(0)
        self.setToolTip(self.text())

    def paintEvent(self, event: QPaintEvent) -> None:
        shown = self.shown_text()
        if self.hasFocus() or not self.text() or shown == self.text():
            super().paintEvent(event)
            return
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        painter = QPainter(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelLineEdit, option, painter, self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self._text_rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
        painter.end()


class VerificationPane(QWidget):
    """Status, rationale and checklist of one document."""

    def __init__(self, actions: DocumentActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actions = actions
        self._doc_id: int | None = None
        self.status = QComboBox(self)
        for i, status in enumerate(VerificationStatus, start=1):
            self.status.addItem(f"{status_label(status)}   ({i})", status)
            self.status.setItemData(i - 1, STATUS_COLOURS[status], Qt.ItemDataRole.ForegroundRole)
        self.rationale = CommitTextEdit(self, lines=4)
        self.rationale.setPlaceholderText(self.tr("Why: what you checked, against what, and what you found"))
        self.states: dict[ChecklistItem, QComboBox] = {}
        self.notes: dict[ChecklistItem, NoteEdit] = {}
        grid = QGridLayout()
        for row, item in enumerate(ChecklistItem):
            state = QComboBox(self)
            for value, mark in STATE_MARKS.items():
                state.addItem(f"{mark}  {check_state_label(value)}" if mark else self.tr("n/a"), value.value)
            note = NoteEdit(self)
            note.setPlaceholderText(self.tr("note"))
            # the item's name above its finding and note: the pane is read at 300 px on a laptop
            grid.addWidget(QLabel(check_item_label(item)), 2 * row, 0, 1, 2)
            grid.addWidget(state, 2 * row + 1, 0)
            grid.addWidget(note, 2 * row + 1, 1)
            self.states[item], self.notes[item] = state, note
            state.activated.connect(lambda _i, item=item: self._check(item, self.notes[item].saved()))
            note.committed.connect(lambda _text, item=item: self._check(item, self.notes[item].seen))
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>" + self.tr("Status") + "</b>"))
        layout.addWidget(self.status)
        layout.addWidget(QLabel("<b>" + self.tr("Rationale") + "</b>"))
        layout.addWidget(self.rationale)
        layout.addWidget(QLabel("<b>" + self.tr("Checklist") + "</b>"))
        layout.addLayout(grid)
        layout.addStretch(1)
        self._recorded_status = VerificationStatus.UNVERIFIED
        self._recorded_states: dict[ChecklistItem, str] = {}
        self.status.activated.connect(self._status_chosen)
        self.rationale.committed.connect(self._rationale)
        self.setEnabled(False)

    def set_document(self, detail: DocumentDetail | None) -> None:
        """Show a document's status, rationale and checklist."""
        self._doc_id = detail.summary.id if detail else None
        self.setEnabled(detail is not None)
        status = detail.summary.status if detail else VerificationStatus.UNVERIFIED
        self._recorded_status = status  # what the person sees decided: the status they change
        self.status.setCurrentIndex(list(VerificationStatus).index(status))
        self._recorded_index = self.status.currentIndex()  # shown again when a verdict is cancelled
        colour = (
            STATUS_COLOURS[status].name() if status is not VerificationStatus.UNVERIFIED else "palette(text)"
        )
        self.status.setStyleSheet(f"QComboBox {{ color: {colour}; font-weight: bold; }}")
        self.rationale.set_saved(detail.status_note if detail else "")
        for item in ChecklistItem:
            check = detail.checklist.get(item.value) if detail else None
            self._recorded_states[item] = check.state if check else "unchecked"
            self.states[item].setCurrentIndex(max(self.states[item].findData(self._recorded_states[item]), 0))
            self.notes[item].set_saved(check.note if check else "")

    def _status_chosen(self, _index: int) -> None:
        if self._doc_id is not None:
            # A verdict asks for its rationale first (prefilled with the one typed); Cancel sets nothing.
            decide(
                self,
                self._actions,
                [self._doc_id],
                self.status.currentData(),
                self.rationale.toPlainText(),
                on_cancel=lambda: self.status.setCurrentIndex(self._recorded_index),
                seen={self._doc_id: (self._recorded_status, self.rationale.saved() or None)},
            )

    def _rationale(self, text: str) -> None:
        if self._doc_id is not None:
            self._actions.set_rationale(self._doc_id, text, self.rationale.seen)

    def _check(self, item: ChecklistItem, seen_note: str) -> None:
        """Record a finding, saying the finding and note the person saw (a crossed edit is offered)."""
        if self._doc_id is not None:
            seen = (self._recorded_states.get(item, "unchecked"), seen_note or None)
            self._actions.set_check(
                self._doc_id, item.value, self.states[item].currentData(), self.notes[item].text(), seen
            )
