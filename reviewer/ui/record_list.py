"""A list model over plain records: the rows, the record behind each, and what each role shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from reviewer.ui.roles import RecordRole

if TYPE_CHECKING:
    from collections.abc import Sequence

Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


class RecordListModel(QAbstractListModel, Generic[R]):
    """Rows of frozen records; subclasses say what a record shows for a role in ``show``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def set_records(self, records: Sequence[R]) -> None:
        """Show these records."""
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def record(self, row: int) -> R | None:
        """The record at ``row``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.record(index.row()) if index.isValid() else None
        if record is None:
            return None
        if role == RecordRole:
            return record
        return self.show(record, role)

    def show(self, record: R, role: int) -> Any:
        """What ``record`` shows for ``role`` (None for nothing)."""
        return None
