"""The Provenance pane: every sighting of the bytes, and the custody log (read-only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from reviewer.core.domain.names import shown, shown_line
from reviewer.ui.roles import RecordRole

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from reviewer.core.domain.records import CustodyRecord, DocumentDetail, SightingRecord

Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    """A read-only table of plain records, one column per (header, getter)."""

    COLUMNS: ClassVar[list[tuple[str, Callable[[Any], str]]]] = []

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        """Show these records."""
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.COLUMNS[index.column()][1](record)
        if role == RecordRole:
            return record
        return None


def _when(stamp: str | None) -> str:
    return (stamp or "")[:19].replace("T", " ")


class SightingModel(RecordTableModel):
    """Where the bytes were found, from which source, received when."""

    COLUMNS: ClassVar[list[tuple[str, Callable[[Any], str]]]] = [
        ("Source", lambda s: s.source or ""),
        ("Received", lambda s: s.received_on or ""),
        ("File", lambda s: shown(s.original_path)),
        ("Modified", lambda s: _when(s.modified_at)),
        ("Imported", lambda s: f"{_when(s.imported_at)} by {s.imported_by}"),
    ]


class CustodyModel(RecordTableModel):
    """The custody log of a document."""

    COLUMNS: ClassVar[list[tuple[str, Callable[[Any], str]]]] = [
        ("When (UTC)", lambda e: _when(e.at)),
        ("Who", lambda e: e.actor),
        ("What", lambda e: shown_line(e.summary)),
    ]


class ProvenancePane(QWidget):
    """Sightings and custody log of one document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sightings = SightingModel(self)
        self.custody = CustodyModel(self)
        self.sighting_view = self._table(self.sightings)
        self.custody_view = self._table(self.custody)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("<b>Sightings</b>: every place these exact bytes were found"))
        layout.addWidget(self.sighting_view, 1)
        layout.addWidget(QLabel("<b>Custody log</b>: append-only, hash-chained"))
        layout.addWidget(self.custody_view, 2)

    def _table(self, model: RecordTableModel) -> QTableView:
        view = QTableView(self)
        view.setModel(model)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    def set_document(self, detail: DocumentDetail | None) -> None:
        """Show a document's sightings and log."""
        sightings: Sequence[SightingRecord] = detail.sightings if detail else ()
        events: Sequence[CustodyRecord] = detail.custody if detail else ()
        self.sightings.set_records(sightings)
        self.custody.set_records(list(reversed(events)))
        if detail:
            sources = sorted({s.source for s in sightings if s.source})
            self.summary.setText(
                f"{len(sightings)} sighting(s) from {', '.join(sources) or 'no named source'}; "
                f"{len(events)} custody entries."
            )
        else:
            self.summary.setText("")
        self.sighting_view.resizeColumnsToContents()
        self.custody_view.resizeColumnsToContents()
