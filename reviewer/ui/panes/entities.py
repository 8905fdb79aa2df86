"""The Entities pane: what a document (or the whole case) mentions, who else mentions it, and the watch-list.

Changing the watch-list finds every entity of the case again, which takes a while on a big case, so
that runs on a background thread while the rest of the pane stays usable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.services import entities
from reviewer.core.services.entities import WatchTermRecord
from reviewer.core.text.watchlist import WATCH_KINDS, WatchTerm
from reviewer.ui.actions import DocumentActions
from reviewer.ui.i18n import translate
from reviewer.ui.jobs import BackgroundJob
from reviewer.ui.panes.entity_models import KIND_NAMES, EntityTreeModel, MentioningModel, WatchTermModel
from reviewer.ui.roles import RecordRole
from reviewer.ui.words import watch_kind_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.services.case import Case
    from reviewer.core.services.entities import EntityCount, EntityMention

ERROR_STYLE = "color: #c5221f;"


class WatchListJob(BackgroundJob):
    """One watch-list change (which finds every entity of the case again) on its own thread."""

    def __init__(self, change: Callable[[], object]) -> None:
        super().__init__("the watch-list update")
        self._change = change

    def work(self) -> object:
        """Make the change."""
        return self._change()


class WatchTermDialog(QDialog):
    """Asks for a new watch-list term; on accept ``term`` holds it, checked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add to the watch-list"))
        self.setMinimumWidth(420)
        self.term: WatchTerm | None = None
        self.canonical = QLineEdit(self)
        self.canonical.setPlaceholderText("e.g. Белнефтехим")
        self.kind = QComboBox(self)
        for kind in WATCH_KINDS:
            self.kind.addItem(watch_kind_label(kind).capitalize(), kind)
        self.aliases = QLineEdit(self)
        self.aliases.setPlaceholderText("comma-separated: Belneftekhim, BNK")
        hint = QLabel(
            self.tr(
                "Found whatever its case or grammatical ending (Белнефтехима, Белнефтехимом), "
                "and across line breaks. Every page of the case is searched again."
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Term"), self.canonical)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Also written"), self.aliases)
        form.addRow(hint)
        form.addRow(self.error)
        form.addRow(self.buttons)

    def accept(self) -> None:
        """Keep the term if it is one; otherwise say why and stay open."""
        aliases = tuple(a.strip() for a in self.aliases.text().split(",") if a.strip())
        try:
            self.term = WatchTerm(self.canonical.text().strip(), self.kind.currentData(), aliases)
        except ReviewerError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()


class EntitiesPane(QWidget):
    """Entities of the current document or the case, the documents mentioning one, and the watch-list."""

    documentWanted = Signal(int)
    caseChanged = Signal()

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._actions = DocumentActions(case, self)  # the window's, once it gives them
        self._actions.watch_list_changed.connect(self._watch_list_changed)
        self._document: int | None = None
        self._job: WatchListJob | None = None
        self.term_dialog: WatchTermDialog | None = None

        self.whole_case = QCheckBox(self.tr("Whole case"), self)
        self.whole_case.setToolTip(self.tr("Every entity of the case, those in most documents first"))
        self.info = QLabel(self)
        self.info.setStyleSheet("color: palette(mid);")
        self.model = EntityTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.header().setStretchLastSection(True)

        self.mentioning_title = QLabel(
            self.tr("Choose an entity to see every document that mentions it."), self
        )
        self.mentioning_title.setWordWrap(True)
        self.mentioning = MentioningModel(self)
        self.documents = QTableView(self)
        self.documents.setModel(self.mentioning)
        self.documents.setToolTip(self.tr("Double-click or press Enter to open a document"))
        _plain_table(self.documents)

        self.watch = WatchTermModel(self)
        self.watch_view = QTableView(self)
        self.watch_view.setModel(self.watch)
        _plain_table(self.watch_view)
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.whole_case)
        head.addStretch(1)
        head.addWidget(self.info)
        top_layout.addLayout(head)
        top_layout.addWidget(self.tree)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.mentioning_title)
        middle_layout.addWidget(self.documents)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        watch_title = QLabel(self.tr("<b>Watch-list</b>: organisations, people, equipment to find"))
        watch_title.setWordWrap(True)
        bottom_layout.addWidget(watch_title)
        bottom_layout.addWidget(self.watch_view)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        bottom_layout.addLayout(buttons)
        bottom_layout.addWidget(self.busy)
        bottom_layout.addWidget(self.message)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        for part, stretch in ((top, 3), (middle, 2), (bottom, 2)):
            self.splitter.addWidget(part)
            self.splitter.setStretchFactor(self.splitter.indexOf(part), stretch)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        self.whole_case.toggled.connect(lambda _on: self.refresh())
        self.tree.selectionModel().currentChanged.connect(self._entity_chosen)
        self.documents.activated.connect(self._document_activated)
        self.watch_view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.add_button.clicked.connect(self.open_add_term)
        self.remove_button.clicked.connect(self.remove_selected_term)
        self.refresh()

    # -- what the window asks ------------------------------------------------------------------------

    def use_actions(self, actions: DocumentActions) -> None:
        """Put watch-list changes on these actions' undo stack (they are made here, in the background)."""
        self._actions.watch_list_changed.disconnect(self._watch_list_changed)
        self._actions = actions
        actions.watch_list_changed.connect(self._watch_list_changed)

    def set_document(self, document_id: int | None) -> None:
        """Show the entities of this document (or, in whole-case mode, just mark it)."""
        self._document = document_id
        self.mentioning.current_document = document_id
        if self.whole_case.isChecked():
            self._refresh_mentioning()
        else:
            self.refresh()

    def is_busy(self) -> bool:
        """True while a watch-list change is searching the case."""
        return self._job is not None

    def refresh(self) -> None:
        """Read entities and the watch-list again, keeping the chosen entity where it still is."""
        chosen = self.chosen_entity()
        keep = (chosen.kind, chosen.value) if chosen else None
        whole_case = self.whole_case.isChecked()
        records: list[EntityMention] | list[EntityCount] = []
        try:
            if whole_case:
                records = entities.entity_counts(self._case)
            elif self._document is not None:
                records = entities.entities_of(self._case, self._document)
            self.watch.set_records(entities.watch_terms(self._case))
            self.watch_view.resizeColumnsToContents()
        except ReviewerError as exc:
            self._say(str(exc), error=True)
        self.model.set_records(records, whole_case=whole_case)
        self._layout_tree()
        self.info.setText(self._describe(len(records), whole_case))
        self._choose(keep)
        self._update_buttons()

    def chosen_entity(self) -> EntityMention | EntityCount | None:
        """The entity whose documents are listed."""
        return self.model.record(self.tree.currentIndex())

    def choose_entity(self, kind: str, value: str) -> bool:
        """Choose an entity by kind and value (as the tree shows it); False if it is not there."""
        return self._choose((kind, value))

    # -- the entity tree -----------------------------------------------------------------------------

    def _describe(self, count: int, whole_case: bool) -> str:
        if whole_case:
            if count:
                return translate("EntitiesPane", "%n entities in the case", "", count)
            return self.tr("No entities in the case yet")
        if self._document is None:
            return self.tr("No document")
        return (
            self.tr("{count} in this document").format(count=count)
            if count
            else self.tr("None found in this document")
        )

    def _layout_tree(self) -> None:
        root = QModelIndex()
        for row in range(self.model.rowCount(root)):
            self.tree.setFirstColumnSpanned(row, root, True)
        self.tree.expandAll()
        for column in range(self.model.columnCount(root) - 1):
            self.tree.resizeColumnToContents(column)

    def _choose(self, key: tuple[str, str] | None) -> bool:
        found = QModelIndex()
        if key is not None:
            for group in range(self.model.rowCount()):
                heading = self.model.index(group, 0)
                for row in range(self.model.rowCount(heading)):
                    index = self.model.index(row, 0, heading)
                    record = self.model.record(index)
                    if record is not None and (record.kind, record.value) == key:
                        found = index
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.tree.selectionModel().setCurrentIndex(found, flags)
        if found.isValid():
            self.tree.scrollTo(found)
        self._refresh_mentioning()
        return found.isValid()

    def _entity_chosen(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._refresh_mentioning()

    def _refresh_mentioning(self) -> None:
        chosen = self.chosen_entity()
        if chosen is None:
            self.mentioning.set_records([])
            self.mentioning_title.setText(self.tr("Choose an entity to see every document that mentions it."))
            return
        try:
            found = entities.documents_mentioning(self._case, chosen.kind, chosen.value)
        except ReviewerError as exc:
            self._say(str(exc), error=True)
            found = []
        self.mentioning.set_records(found)
        kind = (
            translate("EntityTreeModel", KIND_NAMES[chosen.kind])
            if chosen.kind in KIND_NAMES
            else chosen.kind
        )
        mentioning = len(found)
        self.mentioning_title.setText(
            translate(
                "EntitiesPane", "<b>%n document(s)</b> mention {value} ({kind}):", "", mentioning
            ).format(value=_escape(chosen.value), kind=kind)
        )
        self.documents.resizeColumnsToContents()

    def _document_activated(self, index: QModelIndex) -> None:
        summary = self.mentioning.summary(index.row())
        if summary is not None:
            self.documentWanted.emit(summary.id)

    # -- the watch-list ------------------------------------------------------------------------------

    def selected_term(self) -> WatchTermRecord | None:
        """The watch-list term selected."""
        index = self.watch_view.currentIndex()
        return self.watch.data(self.watch.index(index.row(), 0), RecordRole) if index.isValid() else None

    def open_add_term(self) -> WatchTermDialog:
        """Ask for a new term (window-modal); accepting it starts the search of the case."""
        dialog = WatchTermDialog(self)
        self.term_dialog = dialog
        dialog.accepted.connect(lambda: self._add(dialog.term))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def remove_selected_term(self) -> None:
        """Take the selected term off the watch-list, on a background thread."""
        term = self.selected_term()
        if term is None or self.is_busy():
            return
        self._start(
            WatchListJob(lambda: _remove(self._case, term)),
            self.tr("Taking “{term}” off every page…").format(term=term.canonical),
        )

    def _add(self, term: WatchTerm | None) -> None:
        if term is None or self.is_busy():
            return
        job = WatchListJob(
            lambda: entities.add_watch_term(self._case, term.canonical, term.kind, term.aliases)
        )
        self._start(
            job, self.tr("Looking for “{term}” in every page of the case…").format(term=term.canonical)
        )

    def _start(self, job: WatchListJob, doing: str) -> None:
        self._job = job
        # bound methods, not lambdas: a pane closed meanwhile is simply not told
        job.finished.connect(self._job_finished, Qt.ConnectionType.QueuedConnection)
        job.failed.connect(self._job_failed, Qt.ConnectionType.QueuedConnection)
        self.busy.show()
        self._say(doing)
        self._update_buttons()
        job.start()

    def _job_finished(self, result: object) -> None:
        self._job_ended()
        if isinstance(result, WatchTermRecord):
            count = len(entities.documents_mentioning(self._case, "term", result.canonical))
            where = (
                translate("EntitiesPane", "found in %n document(s)", "", count)
                if count
                else self.tr("not found in any document yet")
            )
            self._say(
                self.tr("“{term}” is on the watch-list: {where}.").format(term=result.canonical, where=where)
            )
            self._actions.watch_term_added(result)  # Ctrl+Z takes it off again
        elif isinstance(result, _Removed):
            self._say(self.tr("“{term}” is off the watch-list.").format(term=result.term.canonical))
            self._actions.watch_term_removed(result.term)

    def _watch_list_changed(self) -> None:
        """A term was added or taken off (here, or by an undo): every page's entities changed."""
        if not self.is_busy():
            self.refresh()
        self.caseChanged.emit()

    def _job_failed(self, message: str) -> None:
        self._job_ended()
        self._say(message, error=True)

    def _job_ended(self) -> None:
        self._job = None
        self.busy.hide()
        self.refresh()

    def _update_buttons(self) -> None:
        idle = not self.is_busy()
        self.add_button.setEnabled(idle)
        self.remove_button.setEnabled(idle and self.watch_view.currentIndex().isValid())

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
        self.message.setVisible(bool(text))


@dataclass(frozen=True, slots=True)
class _Removed:
    term: WatchTermRecord


def _remove(case: Case, term: WatchTermRecord) -> _Removed:
    entities.remove_watch_term(case, term.canonical)
    return _Removed(term)


def _plain_table(view: QTableView) -> None:
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
