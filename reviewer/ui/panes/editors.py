"""Small editors that save when the person is done with them (focus leaves, or Enter)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

if TYPE_CHECKING:
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QWidget


class CommitLineEdit(QLineEdit):
    """A line edit that emits ``committed(text)`` once editing is finished and the text changed."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._saved = ""
        self.seen = ""  # the value shown before the edit just committed: what the person edited
        self.editingFinished.connect(self.commit)

    def set_saved(self, text: str | None) -> None:
        """Show a stored value (does not emit); an edit in progress survives any refresh.

        While the person is typing, a value someone else saved is not shown over their text: it stays
        what they saw (``seen`` once committed), so saving it is refused and they are asked.
        """
        if self.text() != self._saved and (self.isModified() or (text or "") == self._saved):
            return
        self._saved = text or ""
        self.setText(self._saved)
        self.setCursorPosition(0)  # a field is read from its start, also when it is wider than the pane

    def saved(self) -> str:
        """The stored value as last shown (what the person saw, while they type over it)."""
        return self._saved

    def commit(self) -> None:
        """Emit the text if it differs from what is stored."""
        if self.text().strip() != self._saved.strip():
            self.seen, self._saved = self._saved, self.text()
            self.setModified(False)
            self.committed.emit(self.text())


class CommitTextEdit(QPlainTextEdit):
    """A multi-line edit that emits ``committed(text)`` when focus leaves and the text changed."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, lines: int = 3) -> None:
        super().__init__(parent)
        self._saved = ""
        self.seen = ""  # as CommitLineEdit's
        self.setTabChangesFocus(True)
        height = self.fontMetrics().lineSpacing() * lines + 12
        self.setMinimumHeight(height)
        self.setMaximumHeight(height * 2)

    def set_saved(self, text: str | None) -> None:
        """Show a stored value (does not emit); an edit in progress survives any refresh (as above)."""
        modified = self.document().isModified()
        if self.toPlainText() != self._saved and (modified or (text or "") == self._saved):
            return
        self._saved = text or ""
        self.setPlainText(self._saved)
        self.document().setModified(False)

    def saved(self) -> str:
        """The stored value as last shown (as CommitLineEdit's)."""
        return self._saved

    def commit(self) -> None:
        """Emit the text if it differs from what is stored."""
        if self.toPlainText().strip() != self._saved.strip():
            self.seen, self._saved = self._saved, self.toPlainText()
            self.document().setModified(False)
            self.committed.emit(self.toPlainText())

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.commit()
        super().focusOutEvent(event)
