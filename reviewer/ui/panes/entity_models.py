"""Models of the Entities pane: entities grouped by kind, the documents mentioning one, the watch-list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from reviewer.core.services.entities import EntityCount, EntityMention
from reviewer.ui.i18n import QT_TRANSLATE_NOOP, translate
from reviewer.ui.panes.provenance import RecordTableModel
from reviewer.ui.roles import DocumentIdRole, RecordRole
from reviewer.ui.status_style import STATUS_COLOURS
from reviewer.ui.words import status_label, watch_kind_label

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from reviewer.core.domain.records import DocumentSummary

Index = QModelIndex | QPersistentModelIndex

#: entity kinds in the order the pane shows them, with their headings
KIND_LABELS = {
    "date": QT_TRANSLATE_NOOP("EntityTreeModel", "Dates"),
    "reference": QT_TRANSLATE_NOOP("EntityTreeModel", "Reference numbers"),
    "money": QT_TRANSLATE_NOOP("EntityTreeModel", "Amounts"),
    "term": QT_TRANSLATE_NOOP("EntityTreeModel", "Watched terms"),
}
#: one entity of a kind, as a sentence names it
KIND_NAMES = {
    "date": QT_TRANSLATE_NOOP("EntityTreeModel", "date"),
    "reference": QT_TRANSLATE_NOOP("EntityTreeModel", "reference number"),
    "money": QT_TRANSLATE_NOOP("EntityTreeModel", "amount"),
    "term": QT_TRANSLATE_NOOP("EntityTreeModel", "watched term"),
}
_GROUP = 0  # internal id of a heading row; an entity row carries its heading's row + 1


def page_ranges(pages: Sequence[int]) -> str:
    """Page numbers as a reader writes them: ``1–3, 7``."""
    out: list[str] = []
    numbers = sorted(set(pages))
    start = previous = numbers[0] if numbers else 0
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        out.append(str(start) if start == previous else f"{start}–{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(out) if numbers else ""


class EntityTreeModel(QAbstractItemModel):
    """Entities under one heading per kind: a document's mentions, or counts across the case."""

    MENTION_COLUMNS = (
        QT_TRANSLATE_NOOP("EntityTreeModel", "Value"),
        QT_TRANSLATE_NOOP("EntityTreeModel", "As written"),
        QT_TRANSLATE_NOOP("EntityTreeModel", "Pages"),
    )
    COUNT_COLUMNS = (
        QT_TRANSLATE_NOOP("EntityTreeModel", "Value"),
        QT_TRANSLATE_NOOP("EntityTreeModel", "Documents"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, list[EntityMention | EntityCount]]] = []
        self._columns: tuple[str, ...] = self.MENTION_COLUMNS

    def set_records(self, records: Sequence[EntityMention | EntityCount], *, whole_case: bool) -> None:
        """Show these entities (in the order given within each kind)."""
        self.beginResetModel()
        self._columns = self.COUNT_COLUMNS if whole_case else self.MENTION_COLUMNS
        by_kind: dict[str, list[EntityMention | EntityCount]] = {kind: [] for kind in KIND_LABELS}
        for record in records:
            by_kind.setdefault(record.kind, []).append(record)
        self._groups = [(kind, rows) for kind, rows in by_kind.items() if rows]
        self.endResetModel()

    def record(self, index: Index) -> EntityMention | EntityCount | None:
        """The entity at ``index``; None for a heading."""
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def is_empty(self) -> bool:
        """True when there is no entity to show."""
        return not self._groups

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.column() == 0 and parent.internalId() == _GROUP:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return translate("EntityTreeModel", self._columns[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _GROUP:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP:
            kind, rows = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return f"{translate('EntityTreeModel', KIND_LABELS.get(kind, kind))} ({len(rows)})"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        record = self._groups[index.internalId() - 1][1][index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(record, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record)
        numeric = isinstance(record, EntityCount) and index.column() == 1
        if role == Qt.ItemDataRole.TextAlignmentRole and numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RecordRole:
            return record
        return None

    @staticmethod
    def _cell(record: EntityMention | EntityCount, column: int) -> str:
        if column == 0:
            return record.value
        if isinstance(record, EntityCount):
            return str(record.documents)
        if column == 1:
            return record.text
        pages = page_ranges(record.pages)
        return pages if record.count <= len(record.pages) else f"{pages}  ({record.count}×)"

    @staticmethod
    def _tooltip(record: EntityMention | EntityCount) -> str:
        if isinstance(record, EntityCount):
            documents = record.documents
            return translate(
                "EntityTreeModel", "{value}: in %n document(s) of the case", "", documents
            ).format(value=record.value)
        count = record.count
        return translate(
            "EntityTreeModel", "{value}, written “{text}”, %n time(s) on page(s) {pages}", "", count
        ).format(value=record.value, text=record.text, pages=page_ranges(record.pages))


class MentioningModel(RecordTableModel):
    """The documents that mention the chosen entity; the one being read is in italics."""

    COLUMNS: ClassVar[list[tuple[str, Callable[[Any], str]]]] = [
        (QT_TRANSLATE_NOOP("ProvenancePane", "Document"), lambda d: f"{d.id} · {d.display_name}"),
        (QT_TRANSLATE_NOOP("ProvenancePane", "Date"), lambda d: d.document_date or ""),
        (QT_TRANSLATE_NOOP("ProvenancePane", "Status"), lambda d: f"● {status_label(d.status)}"),
    ]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.current_document: int | None = None

    def summary(self, row: int) -> DocumentSummary | None:
        """The document at ``row``."""
        index = self.index(row, 0)
        return self.data(index, RecordRole) if index.isValid() else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = super().data(index, RecordRole)
        if record is None:
            return None
        if role == DocumentIdRole:
            return record.id
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2:
            return QBrush(STATUS_COLOURS[record.status])
        if role == Qt.ItemDataRole.FontRole and record.id == self.current_document:
            font = QFont()
            font.setItalic(True)
            return font
        return super().data(index, role)


class WatchTermModel(RecordTableModel):
    """The case's watch-list."""

    COLUMNS: ClassVar[list[tuple[str, Callable[[Any], str]]]] = [
        (QT_TRANSLATE_NOOP("ProvenancePane", "Term"), lambda t: t.canonical),
        (QT_TRANSLATE_NOOP("ProvenancePane", "Kind"), lambda t: watch_kind_label(t.kind)),
        (QT_TRANSLATE_NOOP("ProvenancePane", "Also written"), lambda t: ", ".join(t.aliases)),
    ]
