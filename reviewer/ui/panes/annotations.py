"""The Annotations pane: the document's regions, and an editor for the one selected."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.domain.values import AnnotationKind
from reviewer.ui.panes.editors import CommitLineEdit, CommitTextEdit
from reviewer.ui.regions import NOTE_COLOUR, REDACTION_COLOUR, tooltip_for
from reviewer.ui.roles import RecordRole

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reviewer.core.domain.records import AnnotationRecord
    from reviewer.ui.actions import DocumentActions

Index = QModelIndex | QPersistentModelIndex


class AnnotationListModel(QAbstractListModel):
    """The annotations of one document, by page."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AnnotationRecord] = []

    def set_records(self, records: Sequence[AnnotationRecord]) -> None:
        """Show these annotations."""
        self.beginResetModel()
        self._rows = sorted(records, key=lambda r: (r.page, r.y0, r.x0))
        self.endResetModel()

    def record(self, row: int) -> AnnotationRecord | None:
        """The annotation at ``row``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, annotation_id: str) -> int | None:
        """The row of an annotation."""
        return next((i for i, r in enumerate(self._rows) if r.id == annotation_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            kind = self.tr("Redaction") if record.kind is AnnotationKind.REDACTION else self.tr("Note")
            text = record.note or record.transcription or record.translation or self.tr("(no text yet)")
            tags = f"  [{', '.join(record.tags)}]" if record.tags else ""
            words = f" \u201c{_short(record.quote.exact)}\u201d" if record.quote is not None else ""
            page = self.tr("p. {page}").format(page=record.page)
            return f"{page} · {kind}{words}: {text.splitlines()[0][:80]}{tags}"
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(REDACTION_COLOUR if record.kind is AnnotationKind.REDACTION else NOTE_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_for(record)
        if role == RecordRole:
            return record
        return None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class AnnotationsPane(QWidget):
    """List and editor of a document's annotations."""

    selected = Signal(object)  # annotation id or None
    page_wanted = Signal(int)

    def __init__(self, actions: DocumentActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actions = actions
        self._doc_id: int | None = None
        self._current: AnnotationRecord | None = None
        self.model = AnnotationListModel(self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.hint = QLabel(
            self.tr(
                "Drag a rectangle on the page to mark a stamp, a signature or a reference number; "
                "Shift+drag (or the Select text tool, S) selects words, A annotates them."
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(mid);")
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("Note"), AnnotationKind.NOTE)
        self.kind.addItem(self.tr("Redaction (withheld from publication)"), AnnotationKind.REDACTION)
        # a narrow pane shows the kind's first words; the list opens as wide as its longest item
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind.setMinimumContentsLength(10)
        self.words = QLabel(self)
        self.words.setWordWrap(True)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = CommitTextEdit(self)
        self.transcription = CommitTextEdit(self)
        self.translation = CommitTextEdit(self)
        self.tags = CommitLineEdit(self)
        self.tags.setPlaceholderText(self.tr("stamp, signature, …"))
        self.delete = QPushButton(self.tr("Delete annotation"), self)
        self.editor = QWidget(self)
        form = QFormLayout(self.editor)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Words"), self.words)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(self.tr("Transcription"), self.transcription)
        form.addRow(self.tr("Translation"), self.translation)
        form.addRow(self.tr("Tags"), self.tags)
        form.addRow("", self.delete)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 2)
        layout.addWidget(self.hint)
        layout.addWidget(self.editor, 3)
        self.editor.setEnabled(False)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.kind.activated.connect(lambda _i: self._edit_kind(self.kind.currentData()))
        self.note.committed.connect(lambda text: self._edit_text("note", text, self.note.seen))
        self.transcription.committed.connect(
            lambda text: self._edit_text("transcription", text, self.transcription.seen)
        )
        self.translation.committed.connect(
            lambda text: self._edit_text("translation", text, self.translation.seen)
        )
        self.tags.committed.connect(lambda text: self._edit_tags(_tag_list(text), _tag_list(self.tags.seen)))
        self.delete.clicked.connect(self._delete)

    def set_document(self, doc_id: int | None, records: Sequence[AnnotationRecord]) -> None:
        """Show a document's annotations, keeping the selection where possible."""
        keep = self._current.id if self._current else None
        self._doc_id = doc_id
        self.model.set_records(records)
        row = self.model.row_of(keep) if keep else None
        if row is not None:
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self._show(self.model.record(row))
        else:
            self._show(None)

    def select(self, annotation_id: str | None) -> None:
        """Select an annotation (from the page)."""
        row = self.model.row_of(annotation_id) if annotation_id else None
        if row is None:
            self.list.clearSelection()
            self._show(None)
            return
        self.list.selectionModel().setCurrentIndex(
            self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = self.model.record(current.row()) if current.isValid() else None
        if record is not None and (self._current is None or self._current.id != record.id):
            self._show(record)
            self.page_wanted.emit(record.page)
            self.selected.emit(record.id)

    def _show(self, record: AnnotationRecord | None) -> None:
        self._current = record
        self.editor.setEnabled(record is not None)
        self.kind.setCurrentIndex(1 if record is not None and record.kind is AnnotationKind.REDACTION else 0)
        quote = record.quote if record is not None else None
        self.words.setText(
            f"\u201c{quote.exact}\u201d" if quote is not None else self.tr("(a region, not words)")
        )
        self.note.set_saved(record.note if record else "")
        self.transcription.set_saved(record.transcription if record else "")
        self.translation.set_saved(record.translation if record else "")
        self.tags.set_saved(", ".join(record.tags) if record else "")

    def _edit_kind(self, kind: AnnotationKind) -> None:
        """Change the kind, saying the kind the person saw (a crossed edit is offered)."""
        if self._current is not None and self._doc_id is not None:
            seen = {"kind": self._current.kind}
            self._actions.edit_annotation_seen(self._doc_id, self._current.id, seen, kind=kind)

    def _edit_tags(self, tags: list[str], seen: list[str]) -> None:
        if self._current is not None and self._doc_id is not None:
            self._actions.edit_annotation_seen(self._doc_id, self._current.id, {"tags": seen}, tags=tags)

    def _edit_text(self, name: str, text: str, seen: str) -> None:
        if self._current is not None and self._doc_id is not None:
            self._actions.edit_annotation_text(self._doc_id, self._current.id, name, text, seen)

    def _delete(self) -> None:
        if self._current is not None and self._doc_id is not None:
            annotation_id = self._current.id
            self._current = None
            self._actions.delete_annotation(self._doc_id, annotation_id)


def _tag_list(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]
