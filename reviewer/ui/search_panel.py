"""The search panel: a query field, how much it found, and the places grouped by document.

Searching runs on the UI thread: the FTS5 index answers in milliseconds, so a short pause after
typing is enough to keep the field responsive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QTreeView, QVBoxLayout, QWidget

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.services.search import search
from reviewer.ui.i18n import QT_TRANSLATE_NOOP, english_plural, translate
from reviewer.ui.search_model import SearchResultsModel, SnippetDelegate

if TYPE_CHECKING:
    from reviewer.core.domain.records import SearchResults
    from reviewer.core.services.case import Case
    from reviewer.core.services.queries import DocumentFilter

#: typing pauses this long (ms) before the search runs by itself
DEBOUNCE_MS = 300
#: searching by itself waits for this many characters; Enter searches for anything
MIN_TYPED = 3
WARNING_COLOUR = "#c5221f"
PLACEHOLDER = QT_TRANSLATE_NOOP(
    "SearchPanel", 'Search all pages: words, "a phrase", prefix*, AND / OR / NOT, 12-05/1174 as written'
)


def count_text(results: SearchResults) -> str:
    """``12 places in 4 documents``, in words a person reads at a glance."""
    places = results.matches
    documents = len(results.documents)
    if places == 0 or documents == 0:
        return translate("SearchPanel", "Nothing found")
    in_documents = english_plural(translate("SearchPanel", "in %n document(s)", "", documents), documents)
    if results.truncated:
        return translate("SearchPanel", "{places}+ places {in_documents}").format(
            places=places, in_documents=in_documents
        )
    counted = english_plural(translate("SearchPanel", "%n place(s) {in_documents}", "", places), places)
    return counted.format(in_documents=in_documents)


class SearchResultsView(QTreeView):
    """The results tree; Enter on a row asks for it to be opened (``chosen``)."""

    chosen = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.chosen.emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        # Rows wrap to the width, so their heights change with it.
        self.scheduleDelayedItemsLayout()


class SearchPanel(QWidget):
    """Search the whole case; ``hitActivated(document id, page or 0, query)`` when a place is chosen."""

    hitActivated = Signal(int, int, str)

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._wanted: DocumentFilter | None = None
        self._query = ""
        self.field = QLineEdit(self)
        self.field.setPlaceholderText(self.tr(PLACEHOLDER))
        self.field.setToolTip(
            self.tr(
                "Words match in any case and with or without accents; ё = е.\n"
                '"a phrase" keeps its words in order; prefix* finds words that begin so.\n'
                "AND (the default), OR, NOT or -word, with parentheses.\n"
                "Reference numbers as they are written: 12-05/1174, ЭП-078/1133-19."
            )
        )
        self.field.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setWordWrap(True)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.model = SearchResultsModel(self)
        self.view = SearchResultsView(self)
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(False)
        self.view.setWordWrap(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.delegate = SnippetDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.count)
        layout.addWidget(self.view, 1)
        self.field.returnPressed.connect(self._search_now)
        self.field.textEdited.connect(self._typed)
        self.field.installEventFilter(self)
        self.timer.timeout.connect(self._search_now)
        self.view.clicked.connect(self._activate)
        self.view.chosen.connect(self._activate)

    # -- what the window asks --------------------------------------------------------------------------

    def query(self) -> str:
        """The query whose results are shown ("" when none)."""
        return self._query

    def run(self, query: str) -> None:
        """Search for ``query`` (and show it in the field)."""
        self.timer.stop()
        if self.field.text() != query:
            self.field.setText(query)
        self._query = query.strip()
        if not self._query:
            self.model.set_results(None)
            self.count.clear()
            return
        try:
            results = search(self._case, self._query, self._wanted)
        except ReviewerError as exc:
            self.model.set_results(None)
            self._show_count(str(exc), warning=True)
            return
        self.model.set_results(results)
        self.view.expandAll()
        self._show_count(count_text(results), warning=False)

    def set_filter(self, wanted: DocumentFilter | None) -> None:
        """Search only the documents the window's filter shows; the current query runs again."""
        self._wanted = wanted
        if self._query:
            self.run(self._query)

    def focus_search(self) -> None:
        """Put the cursor in the field, its text selected, ready for a new query."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    # -- inside ----------------------------------------------------------------------------------------

    def _show_count(self, text: str, *, warning: bool) -> None:
        self.count.setText(text)
        self.count.setStyleSheet(f"color: {WARNING_COLOUR};" if warning else "")

    def _typed(self, text: str) -> None:
        if len(text.strip()) >= MIN_TYPED:
            self.timer.start()
        else:
            self.timer.stop()
            if not text.strip():
                self.run("")

    def _search_now(self) -> None:
        self.run(self.field.text())

    def _activate(self, index: QModelIndex) -> None:
        found = self.model.document_at(index)
        if found is None or not found.hits:
            return
        hit = self.model.hit_at(index) or found.hits[0]
        self.hitActivated.emit(found.document.id, hit.page or 0, self._query)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount() > 0
        ):
            self._enter_results()
            return True
        return super().eventFilter(watched, event)

    def _enter_results(self) -> None:
        current = self.view.currentIndex()
        if not current.isValid():
            first = self.model.index(0, 0)
            child = self.model.index(0, 0, first)
            current = child if child.isValid() else first
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.view.selectionModel().setCurrentIndex(current, QItemSelectionModel.SelectionFlag.ClearAndSelect)
