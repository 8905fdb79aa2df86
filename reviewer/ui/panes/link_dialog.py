"""The Add-link dialog: another document of the case, how this one relates to it, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QWidget,
)

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.domain.values import LinkRelation
from reviewer.core.services import links, queries
from reviewer.ui.i18n import QT_TRANSLATE_NOOP
from reviewer.ui.panes.provenance import RecordTableModel
from reviewer.ui.roles import DocumentIdRole, RecordRole
from reviewer.ui.words import relation_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.domain.records import DocumentSummary
    from reviewer.core.services.case import Case

ERROR_STYLE = "color: #c5221f;"


def document_line(summary: DocumentSummary) -> str:
    """A document as one line: number, name and date."""
    date = f" · {summary.document_date}" if summary.document_date else ""
    return f"{summary.id} · {summary.display_name}{date}"


class DocumentChoiceModel(RecordTableModel):
    """Documents to link to, one line each (searched by the dialog's filter)."""

    COLUMNS: ClassVar[list[tuple[str, Callable[[Any], str]]]] = [
        (QT_TRANSLATE_NOOP("ProvenancePane", "Document"), document_line)
    ]

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == DocumentIdRole:
            record = super().data(index, RecordRole)
            return None if record is None else record.id
        return super().data(index, role)


class AddLinkDialog(QDialog):
    """Records a link between the current document and another; on accept ``link_id`` and ``other_id``.

    The relation is offered both ways ("replies to", "replied to by"), so the person always reads it
    from the document in front of them.
    """

    def __init__(
        self,
        case: Case,
        document_id: int,
        parent: QWidget | None = None,
        *,
        other: int | None = None,
        relation: LinkRelation | None = None,
        record: Callable[[int, int, LinkRelation, str | None], int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Link documents"))
        # how the link is recorded: the window's undoable DocumentActions.link, else the service itself
        self._record = record or (
            lambda source, target, kind, note: links.link_documents(case, source, target, kind, note)
        )
        self.setMinimumWidth(520)
        self._case = case
        self.document_id = document_id
        self.link_id: int | None = None
        self.other_id: int | None = None
        everything = queries.list_documents(case)
        this = next((s for s in everything if s.id == document_id), None)
        self.this = QLabel(document_line(this) if this else str(document_id), self)
        self.this.setWordWrap(True)
        self.relation = QComboBox(self)
        # both readings of each relation, in the combo's order; "same series" reads the same both ways
        self._relations: list[tuple[LinkRelation, bool]] = []
        for kind in LinkRelation:
            self._relations.append((kind, True))
            if kind.inverse_label != kind.label:
                self._relations.append((kind, False))
        for kind, outgoing in self._relations:
            self.relation.addItem(relation_label(kind, outgoing=outgoing))
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Search by number, name or date"))
        self.filter.setClearButtonEnabled(True)
        self.choices = DocumentChoiceModel(self)
        self.choices.set_records([s for s in everything if s.id != document_id])
        self.found = QSortFilterProxyModel(self)
        self.found.setSourceModel(self.choices)
        self.found.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView(self)
        self.list.setModel(self.found)
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMinimumHeight(160)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("optional: why they are linked"))
        self.sentence = QLabel(self)
        self.sentence.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Link"))
        form = QFormLayout(self)
        form.addRow(self.tr("This document"), self.this)
        form.addRow(self.tr("Relation"), self.relation)
        form.addRow(self.tr("Other document"), self.filter)
        form.addRow("", self.list)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(self.sentence)
        form.addRow(self.error)
        form.addRow(self.buttons)

        self.filter.textChanged.connect(self._filter)
        self.relation.currentIndexChanged.connect(lambda _i: self._update_sentence())
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update_sentence())
        self.list.activated.connect(lambda _index: self.accept())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        if relation is not None:
            self.set_relation(relation)
        if other is not None:
            self.choose(other)
        self._update_sentence()

    def set_relation(self, relation: LinkRelation, *, outgoing: bool = True) -> None:
        """Choose a relation, read from this document's side when ``outgoing``."""
        wanted = (relation, outgoing or relation.inverse_label == relation.label)
        self.relation.setCurrentIndex(self._relations.index(wanted))

    def chosen_relation(self) -> tuple[LinkRelation, bool]:
        """The relation chosen, and whether it reads from this document to the other."""
        return self._relations[max(self.relation.currentIndex(), 0)]

    def choose(self, document_id: int) -> bool:
        """Choose the other document; False if it is not among those shown."""
        for row in range(self.found.rowCount()):
            index = self.found.index(row, 0)
            if index.data(DocumentIdRole) == document_id:
                self.list.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                self.list.scrollTo(index)
                return True
        return False

    def chosen(self) -> int | None:
        """The other document chosen."""
        index = self.list.currentIndex()
        return index.data(DocumentIdRole) if index.isValid() else None

    def accept(self) -> None:
        """Record the link; say why not and stay open if it cannot be."""
        other = self.chosen()
        if other is None:
            self._fail(self.tr("Choose the other document from the list."))
            return
        kind, outgoing = self.chosen_relation()
        source, target = (self.document_id, other) if outgoing else (other, self.document_id)
        try:
            self.link_id = self._record(source, target, kind, self.note.text().strip() or None)
        except ReviewerError as exc:
            self._fail(str(exc))
            return
        self.other_id = other
        super().accept()

    def _filter(self, text: str) -> None:
        keep = self.chosen()
        self.found.setFilterFixedString(text.strip())
        if keep is None or not self.choose(keep):
            if self.found.rowCount() == 1:  # one match: the person need not click it too
                self.choose(self.found.index(0, 0).data(DocumentIdRole))
            else:
                self.list.setCurrentIndex(QModelIndex())
        self._update_sentence()

    def _update_sentence(self) -> None:
        other = self.list.currentIndex()
        if not other.isValid():
            self.sentence.setText("")
            return
        kind, outgoing = self.chosen_relation()
        this = self.tr("this document ({id})").format(id=self.document_id)
        source, target = (this, other.data()) if outgoing else (other.data(), this)
        self.sentence.setText(
            self.tr("Records that {source} {relation} {target}.").format(
                source=source, relation=relation_label(kind), target=target
            )
        )

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
