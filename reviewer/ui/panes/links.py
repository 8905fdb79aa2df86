"""The Links pane: how the current document relates to others, and documents it probably relates to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.domain.values import LinkRelation
from reviewer.core.services import links
from reviewer.core.services.links import LinkRecord, LinkSuggestion
from reviewer.ui.actions import DocumentActions
from reviewer.ui.i18n import translate
from reviewer.ui.panes.link_dialog import AddLinkDialog, document_line
from reviewer.ui.record_list import RecordListModel
from reviewer.ui.roles import DocumentIdRole

if TYPE_CHECKING:
    from reviewer.core.services.case import Case

Index = QModelIndex | QPersistentModelIndex
ERROR_STYLE = "color: #c5221f;"


class LinkListModel(RecordListModel[LinkRecord]):
    """A document's links, read from its side: "replies to — 4 · Note verbale", the note below."""

    def show(self, record: LinkRecord, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            line = f"{translate('Words', record.label)} — {document_line(record.other)}"
            return f"{line}\n      {record.note}" if record.note else line
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.show(record, Qt.ItemDataRole.DisplayRole)
            linked = translate("LinksPane", "Linked by {who} on {day}").format(
                who=record.created_by, day=record.created_at[:10]
            )
            return f"{text}\n{linked}"
        if role == DocumentIdRole:
            return record.other.id
        return None


class SuggestionModel(RecordListModel[LinkSuggestion]):
    """Documents sharing reference numbers with this one and not linked to it yet."""

    def show(self, record: LinkSuggestion, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return translate("LinksPane", "shares {numbers} with {document}").format(
                numbers=", ".join(record.shared), document=document_line(record.other)
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.show(record, Qt.ItemDataRole.DisplayRole)
            return f"{text}\n" + translate(
                "LinksPane", "Double-click to open it; Link… to record how the two relate"
            )
        if role == DocumentIdRole:
            return record.other.id
        return None


class LinksPane(QWidget):
    """The current document's links, with add and remove, and suggested links."""

    documentWanted = Signal(int)
    linksChanged = Signal(object)  # list[int]: the documents whose links changed

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._actions = DocumentActions(case, self)  # the window's, once it gives them
        self._document: int | None = None
        self.link_dialog: AddLinkDialog | None = None
        self.model = LinkListModel(self)
        self.list = self._list(self.model)
        self.add_button = QPushButton(self.tr("Add link…"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.title = QLabel("<b>" + self.tr("Links") + "</b>", self)
        self.suggestions = SuggestionModel(self)
        self.suggestion_list = self._list(self.suggestions)
        self.suggestion_list.setUniformItemSizes(True)
        self.link_button = QPushButton(self.tr("Link…"), self)
        self.link_button.setToolTip(self.tr("Link this document to the suggested one, as 'references'"))
        self.suggested_title = QLabel(self)
        self.suggested_title.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.suggested_title)
        layout.addWidget(self.suggestion_list, 2)
        suggested = QHBoxLayout()
        suggested.addWidget(self.link_button)
        suggested.addStretch(1)
        layout.addLayout(suggested)
        layout.addWidget(self.message)

        self.list.activated.connect(self._activated)
        self.suggestion_list.activated.connect(self._activated)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.suggestion_list.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.add_button.clicked.connect(lambda: self.open_add_link())
        self.remove_button.clicked.connect(self.remove_selected)
        self.link_button.clicked.connect(self.link_suggested)
        self.refresh()

    def _list(self, model: QAbstractListModel) -> QListView:
        view = QListView(self)
        view.setModel(model)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setToolTip(self.tr("Double-click or press Enter to open the other document"))
        return view

    # -- what the window asks ------------------------------------------------------------------------

    def use_actions(self, actions: DocumentActions) -> None:
        """Add and remove links through these: undoable, on the custody log."""
        self._actions = actions

    def set_document(self, document_id: int | None) -> None:
        """Show the links of this document."""
        self._document = document_id
        self._say("")
        self.refresh()

    def refresh(self) -> None:
        """Read the links and suggestions again."""
        records: list[LinkRecord] = []
        suggestions: list[LinkSuggestion] = []
        if self._document is not None:
            try:
                records = links.links_of(self._case, self._document)
                suggestions = links.suggested_links(self._case, self._document)
            except ReviewerError as exc:
                self._say(str(exc))
        self.model.set_records(records)
        self.suggestions.set_records(suggestions)
        title = "<b>" + self.tr("Links") + "</b>"
        self.title.setText(f"{title} ({len(records)})" if self._document is not None else title)
        if suggestions:
            self.suggested_title.setText(self.tr("<b>Suggested</b>: documents sharing a reference number"))
            self.suggestion_list.setCurrentIndex(self.suggestions.index(0))
        else:
            self.suggested_title.setText(
                self.tr("<b>Suggested</b>: none (no unlinked document shares a number)")
            )
        self._update_buttons()

    def selected_link(self) -> LinkRecord | None:
        """The link selected."""
        index = self.list.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def selected_suggestion(self) -> LinkSuggestion | None:
        """The suggestion selected."""
        index = self.suggestion_list.currentIndex()
        return self.suggestions.record(index.row()) if index.isValid() else None

    def open_add_link(
        self, other: int | None = None, relation: LinkRelation | None = None
    ) -> AddLinkDialog | None:
        """Ask for a link from this document (window-modal); recorded when the dialog is accepted."""
        if self._document is None:
            return None
        try:
            dialog = AddLinkDialog(
                self._case, self._document, self, other=other, relation=relation, record=self._actions.link
            )
        except ReviewerError as exc:
            self._say(str(exc))
            return None
        self.link_dialog = dialog
        dialog.accepted.connect(lambda: self._linked(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def link_suggested(self) -> AddLinkDialog | None:
        """Open the Add-link dialog on the selected suggestion, as 'references'."""
        suggestion = self.selected_suggestion()
        if suggestion is None:
            return None
        return self.open_add_link(suggestion.other.id, LinkRelation.REFERENCES)

    def remove_selected(self) -> None:
        """Withdraw the selected link (it stays on both custody logs)."""
        link = self.selected_link()
        if link is None or self._document is None:
            return
        try:
            self._actions.unlink(link)
        except ReviewerError as exc:
            self._say(str(exc))
            self.refresh()
            return
        self._say("")
        self.refresh()
        self.linksChanged.emit([self._document, link.other.id])

    def _linked(self, dialog: AddLinkDialog) -> None:
        if dialog.other_id is None:
            return
        self._say("")
        self.refresh()
        self.linksChanged.emit([dialog.document_id, dialog.other_id])

    def _activated(self, index: QModelIndex) -> None:
        document = index.data(DocumentIdRole)
        if document is not None:
            self.documentWanted.emit(int(document))

    def _update_buttons(self) -> None:
        here = self._document is not None
        self.add_button.setEnabled(here)
        self.remove_button.setEnabled(here and self.list.currentIndex().isValid())
        self.link_button.setEnabled(here and self.suggestion_list.currentIndex().isValid())
        self.link_button.setVisible(self.suggestions.rowCount() > 0)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
