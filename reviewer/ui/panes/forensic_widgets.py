"""Small widgets of the Forensics pane: headings, and a tree whose rows show their whole wrapped text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent

ERROR_STYLE = "color: #c5221f;"
MUTED_STYLE = "color: #5f6368;"


def heading(text: str, parent: QWidget) -> QLabel:
    """A bold section title with a little space above it."""
    label = QLabel(f"<b>{text}</b>", parent)
    label.setContentsMargins(0, 6, 0, 0)
    label.setWordWrap(True)  # a longer language's heading wraps rather than widening the pane
    return label


class WrappingTree(QTreeView):
    """A tree whose rows grow to show their whole text, measured again when the width changes.

    ``fit_rows(most)`` makes a flat list as tall as its rows, up to ``most`` pixels: one near-identical
    page is one line, not a line above an empty box.
    """

    _most: int | None = None

    def fit_rows(self, most: int) -> None:
        """Be as tall as the rows (at least one), at most ``most`` pixels; again at each width."""
        self._most = most
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.doItemsLayout()
        self._fit()

    def _fit(self) -> None:
        model = self.model()
        if self._most is None or model is None:
            return
        rows = sum(self.sizeHintForRow(row) for row in range(model.rowCount())) or self.sizeHintForRow(0)
        self.setFixedHeight(min(self._most, max(rows, 20) + 2 * self.frameWidth()))


class WrappingDelegate(QStyledItemDelegate):
    """Row heights for word-wrapped text at the column's width (Qt measures one line otherwise)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or index.column() != 0:
            return size
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        icon = 24 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
        width = self._view.columnWidth(0) - (depth + 1) * self._view.indentation() - icon - 16
        if width <= 40:
            return size
        bounds = QFontMetrics(option.font).boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(size.width(), max(size.height(), bounds.height() + 6))
