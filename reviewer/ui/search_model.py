"""Search results as a tree: documents in rank order, and under each the places that matched.

The model is a thin adapter over ``SearchResults``; the delegate draws the snippets as rich text with
the matched words bold on a highlight, which a plain item view cannot do.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from reviewer.core.services.search import HITS_PER_DOCUMENT
from reviewer.ui.i18n import english_plural, translate
from reviewer.ui.roles import DocumentIdRole, RecordRole
from reviewer.ui.status_style import STATUS_COLOURS
from reviewer.ui.words import status_label

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter

    from reviewer.core.domain.records import DocumentHits, SearchHit, SearchResults

Index = QModelIndex | QPersistentModelIndex

# Marks keep their own colours so that they stay readable on a dark palette and on a selected row.
MARK_STYLE = "background-color:#ffe36e; color:#1a1a1a"
MUTED = "#7a7f88"
_TOP = 0  # internal id of a document row; a hit row carries its document's row + 1


def place_label(hit: SearchHit) -> str:
    """Where a hit is, in a few words: ``p. 3``, ``OCR p. 3``, ``note p. 2``, ``description``."""
    if hit.kind == "text" and hit.page is not None:
        return translate("SearchResultsModel", "p. {page}").format(page=hit.page)
    if hit.kind == "ocr" and hit.page is not None:
        return translate("SearchResultsModel", "OCR p. {page}").format(page=hit.page)
    if hit.kind == "note":
        if hit.page is not None:
            return translate("SearchResultsModel", "note p. {page}").format(page=hit.page)
        return translate("SearchResultsModel", "note")
    return translate("SearchResultsModel", "description")


def snippet_html(snippet: str, marks: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> str:
    """The snippet as rich text: every character escaped, the marked spans bold on a highlight."""
    out: list[str] = []
    at = 0
    for start, end in sorted(marks):
        if start < at or end <= start:
            continue  # overlapping or empty marks would nest tags; the first one wins
        out.append(html.escape(snippet[at:start]))
        out.append(f'<b><span style="{MARK_STYLE}">{html.escape(snippet[start:end])}</span></b>')
        at = end
    out.append(html.escape(snippet[at:]))
    return "".join(out).replace("\n", " ")


def hit_html(hit: SearchHit, muted: str = MUTED) -> str:
    """A hit row: where it is (in the ``muted`` colour), then the snippet."""
    where = html.escape(place_label(hit))
    return f'<span style="color:{muted}">{where}</span>&nbsp;&nbsp;{snippet_html(hit.snippet, hit.marks)}'


def hit_count(found: DocumentHits) -> str:
    """How many places of a document are listed; the service lists at most a few per document."""
    n = len(found.hits)
    if n >= HITS_PER_DOCUMENT:
        return translate("SearchResultsModel", "{n}+ places").format(n=n)
    return english_plural(translate("SearchResultsModel", "%n place(s)", "", n), n)


def document_html(found: DocumentHits) -> str:
    """A document row: its name bold, its status in the status colour, how many places matched."""
    summary = found.document
    colour = STATUS_COLOURS[summary.status].name()
    return (
        f"<b>{html.escape(summary.display_name)}</b>&nbsp;&nbsp;"
        f'<span style="color:{colour}">{html.escape(status_label(summary.status))}</span>'
        f" · {hit_count(found)}"
    )


class SearchResultsModel(QAbstractItemModel):
    """Documents (top rows) and their hits (child rows), one column; RecordRole gives the record."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._results: SearchResults | None = None

    def set_results(self, results: SearchResults | None) -> None:
        """Show these results (None: nothing)."""
        self.beginResetModel()
        self._results = results
        self.endResetModel()

    def results(self) -> SearchResults | None:
        """The results shown."""
        return self._results

    def _documents(self) -> tuple[DocumentHits, ...]:
        return self._results.documents if self._results is not None else ()

    def document_at(self, index: Index) -> DocumentHits | None:
        """The document of a row, whether the row is the document's or one of its hits."""
        if not index.isValid():
            return None
        documents = self._documents()
        row = index.row() if index.internalId() == _TOP else index.internalId() - 1
        return documents[row] if 0 <= row < len(documents) else None

    def hit_at(self, index: Index) -> SearchHit | None:
        """The hit of a hit row; None for a document row."""
        if not index.isValid() or index.internalId() == _TOP:
            return None
        found = self.document_at(index)
        if found is None or not 0 <= index.row() < len(found.hits):
            return None
        return found.hits[index.row()]

    # -- QAbstractItemModel ----------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        documents = self._documents()
        if not parent.isValid():
            return self.createIndex(row, 0, _TOP) if row < len(documents) else QModelIndex()
        if parent.internalId() != _TOP or not 0 <= parent.row() < len(documents):
            return QModelIndex()
        if row >= len(documents[parent.row()].hits):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        documents = self._documents()
        if not parent.isValid():
            return len(documents)
        if parent.column() != 0 or parent.internalId() != _TOP or not 0 <= parent.row() < len(documents):
            return 0
        return len(documents[parent.row()].hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self.document_at(index)
        if found is None:
            return None
        hit = self.hit_at(index)
        if index.internalId() != _TOP and hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if hit is None:
                return f"{found.document.display_name} · {hit_count(found)}"
            return f"{place_label(hit)}  {hit.snippet}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return found.document.display_name if hit is None else hit.snippet
        if role == RecordRole:
            return found if hit is None else hit
        if role == DocumentIdRole:
            return found.document.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class SnippetDelegate(QStyledItemDelegate):
    """Draws document and hit rows as wrapped rich text (see ``document_html`` and ``hit_html``)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def html(self, index: Index, *, selected: bool = False) -> str:
        """The rich text of a row."""
        record = index.data(RecordRole)
        if record is None:
            return ""
        if index.parent().isValid():
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
            return hit_html(record, self._view.palette().color(role).name())
        return document_html(record)

    def _document(self, index: Index, width: int, *, selected: bool = False) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(2)
        doc.setDefaultFont(self._view.font())
        doc.setHtml(self.html(index, selected=selected))
        doc.setTextWidth(max(width, 40))
        return doc

    def _text_width(self, index: Index) -> int:
        # Rows wrap to the width the view gives them, which sizeHint's option does not carry.
        depth = 1 if index.parent().isValid() else 0
        return self._view.viewport().width() - self._view.indentation() * (depth + 1) - 8

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        doc = self._document(index, opt.rect.width() - 4, selected=selected)
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(opt.rect.left() + 2, opt.rect.top())
        painter.setClipRect(QRectF(0, 0, opt.rect.width() - 2, opt.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        doc = self._document(index, self._text_width(index))
        return QSize(int(doc.idealWidth()) + 4, int(doc.size().height()) + 2)
