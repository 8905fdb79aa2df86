"""The Provenance pane: every sighting of the bytes (source and date received editable), and the custody log.

An edited cell asks the window's DocumentActions, so the change is undoable and on the custody log;
the model itself changes only when the document is shown again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QFrame, QHeaderView, QLabel, QPlainTextEdit, QTableView, QVBoxLayout, QWidget

from reviewer.core.domain.names import shown, shown_line
from reviewer.ui.i18n import QT_TRANSLATE_NOOP, translate
from reviewer.ui.roles import RecordRole

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from reviewer.core.domain.records import CustodyRecord, DocumentDetail, SightingRecord
    from reviewer.ui.actions import DocumentActions

Index = QModelIndex | QPersistentModelIndex
#: the sightings' columns said under the table, for the sighting chosen, rather than squeezed beside it
SIGHTING_DETAIL_COLUMNS = (2, 3, 4)


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
            return translate("ProvenancePane", self.COLUMNS[section][0])
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
    """Where the bytes were found, from which source, received when; source and date editable.

    An edit is handed to ``on_edit(sighting id, field, text)`` (field ``source`` or ``received_on``),
    after the view has closed its editor; nothing is editable without one.
    """

    COLUMNS: ClassVar[list[tuple[str, Callable[[Any], str]]]] = [
        (QT_TRANSLATE_NOOP("ProvenancePane", "Source"), lambda s: s.source or ""),
        (QT_TRANSLATE_NOOP("ProvenancePane", "Received"), lambda s: s.received_on or ""),
        (QT_TRANSLATE_NOOP("ProvenancePane", "File"), lambda s: shown(s.original_path)),
        (QT_TRANSLATE_NOOP("ProvenancePane", "Modified"), lambda s: _when(s.modified_at)),
        (
            QT_TRANSLATE_NOOP("ProvenancePane", "Imported"),
            lambda s: translate("ProvenancePane", "{when} by {who}").format(
                when=_when(s.imported_at), who=s.imported_by
            ),
        ),
    ]
    EDITABLE: ClassVar[dict[int, str]] = {0: "source", 1: "received_on"}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.on_edit: Callable[[int, str, str], object] | None = None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.on_edit is not None and index.column() in self.EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole:
            return super().data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 1:
            shown_date = super().data(index, role) or translate("ProvenancePane", "not known")
            return translate(
                "ProvenancePane", "{date}: double-click to change (YYYY-MM-DD; empty: not known)"
            ).format(date=shown_date)
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.on_edit is None or index.column() not in self.EDITABLE:
            return False
        record = self._rows[index.row()]
        text = str(value or "").strip()
        field = self.EDITABLE[index.column()]
        if text == (getattr(record, field) or ""):
            return False
        # after the editor is closed: the edit shows the document again, which resets this model
        on_edit = self.on_edit
        QTimer.singleShot(0, self, lambda: on_edit(record.id, field, text))
        return True


class CustodyModel(RecordTableModel):
    """The custody log of a document."""

    COLUMNS: ClassVar[list[tuple[str, Callable[[Any], str]]]] = [
        (QT_TRANSLATE_NOOP("ProvenancePane", "When (UTC)"), lambda e: _when(e.at)),
        (QT_TRANSLATE_NOOP("ProvenancePane", "Who"), lambda e: e.actor),
        (QT_TRANSLATE_NOOP("ProvenancePane", "What"), lambda e: shown_line(e.summary)),
    ]


class ProvenancePane(QWidget):
    """Sightings and custody log of one document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc_id: int | None = None
        self._actions: DocumentActions | None = None
        self.sightings = SightingModel(self)
        self.custody = CustodyModel(self)
        self.sighting_view = self._table(self.sightings)
        self.custody_view = self._table(self.custody)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        # A pane is about 300 px wide on a laptop: the table keeps the source and the date (the two
        # editable cells); the file, its dates and the import are said in full under it, wrapped.
        for column in SIGHTING_DETAIL_COLUMNS:
            self.sighting_view.setColumnHidden(column, True)
        self.sighting_view.setWordWrap(True)
        self.sighting_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        sighting_header = self.sighting_view.horizontalHeader()
        sighting_header.setStretchLastSection(False)
        sighting_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        sighting_header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.sighting_detail = QPlainTextEdit(self)
        self.sighting_detail.setReadOnly(True)
        self.sighting_detail.setFrameShape(QFrame.Shape.NoFrame)
        self.sighting_detail.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.sighting_detail.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 8)
        self.sighting_detail.viewport().setAutoFillBackground(False)
        self.sighting_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_sighting())
        # the log's rows on two lines: the time under the date, a long entry wrapped (cut with "…")
        self.custody_view.setWordWrap(True)
        self.custody_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.custody_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() * 2 + 6)
        sightings_label = QLabel(
            self.tr(
                "<b>Sightings</b>: every place these exact bytes were found (double-click a source or date)"
            )
        )
        sightings_label.setWordWrap(True)
        custody_label = QLabel(self.tr("<b>Custody log</b>: append-only, hash-chained"))
        custody_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(sightings_label)
        layout.addWidget(self.sighting_view, 1)  # a few sightings; the log gets the room
        layout.addWidget(self.sighting_detail)
        layout.addWidget(custody_label)
        layout.addWidget(self.custody_view, 3)

    def _table(self, model: RecordTableModel) -> QTableView:
        view = QTableView(self)
        view.setModel(model)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    def use_actions(self, actions: DocumentActions) -> None:
        """Edit sources and dates through these (undoable, on the custody log)."""
        self._actions = actions
        self.sightings.on_edit = self._edit

    def _edit(self, sighting_id: int, field: str, text: str) -> None:
        if self._actions is not None and self._doc_id is not None:
            value = {field: text or None}
            self._actions.set_provenance(self._doc_id, sighting_id, **value)

    def set_document(self, detail: DocumentDetail | None) -> None:
        """Show a document's sightings and log."""
        self._doc_id = detail.summary.id if detail else None
        sightings: Sequence[SightingRecord] = detail.sightings if detail else ()
        events: Sequence[CustodyRecord] = detail.custody if detail else ()
        self.sightings.set_records(sightings)
        self.custody.set_records(list(reversed(events)))
        if detail:
            sources = sorted({s.source for s in sightings if s.source})
            self.summary.setText(
                translate(
                    "ProvenancePane", "Sightings: {sightings}, from {sources}; custody entries: {events}."
                ).format(
                    sightings=len(sightings),
                    sources=", ".join(sources) or translate("ProvenancePane", "no named source"),
                    events=len(events),
                )
            )
        else:
            self.summary.setText("")
        self._show_sighting()
        self._fit_custody_columns()

    def _show_sighting(self) -> None:
        """Say the chosen sighting's file, its dates and its import in full under the table."""
        row = self.sighting_view.currentIndex().row() if self.sighting_view.currentIndex().isValid() else 0
        lines = []
        if 0 <= row < self.sightings.rowCount():
            for column in SIGHTING_DETAIL_COLUMNS:
                title = self.sightings.headerData(column, Qt.Orientation.Horizontal)
                lines.append(f"{title}: {self.sightings.index(row, column).data() or '–'}")
        self.sighting_detail.setPlainText("\n".join(lines))

    def _fit_custody_columns(self) -> None:
        """When as wide as a date (its time wraps under it), Who as its longest name up to a limit."""
        metrics = self.custody_view.fontMetrics()
        self.custody_view.setColumnWidth(0, metrics.horizontalAdvance("0000-00-00") + 14)
        self.custody_view.resizeColumnToContents(1)
        widest_name = metrics.horizontalAdvance("M") * 9
        self.custody_view.setColumnWidth(1, min(self.custody_view.columnWidth(1), widest_name))
