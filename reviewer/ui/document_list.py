"""The document list: a lazy table model over the case.

Filtering and sorting run in SQLite (``queries.find_documents``), so the model holds only the ids of
matching documents and fetches their rows in blocks of ``BATCH`` as the view scrolls
(``canFetchMore``/``fetchMore``). The whole case unfiltered starts from its first ``BATCH`` ids and
their count (``queries.first_documents``); the other ids are read on a thread of their own once the
event loop runs again (250,000 of them were ~100 ms of the UI thread after each reload), and waited
for (or read, if not started) when needed sooner (a fetch, every id asked for).

A document far down the list (opened from the timeline, a search hit or a link: ``row_of``) shows
the list down to its block at once, but only its own block is read: in title order its place is
counted in the database and its block's ids read alone, without waiting for the others. The blocks
between are read when the view first draws one of their rows. Thumbnails come from
``ThumbnailCache`` off the UI thread.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from concurrent.futures import Future
from dataclasses import replace
from functools import cache, partial
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QBrush, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from reviewer.core.domain.names import shown
from reviewer.core.domain.records import DocumentSummary
from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import queries
from reviewer.core.services.queries import DocumentFilter
from reviewer.ui.i18n import QT_TRANSLATE_NOOP, translate
from reviewer.ui.roles import DocumentIdRole, RecordRole
from reviewer.ui.status_style import STATUS_COLOURS
from reviewer.ui.words import document_type_label, status_label

if TYPE_CHECKING:
    from collections.abc import Iterable

    from PySide6.QtGui import QFontMetrics, QPainter

    from reviewer.core.services.case import Case
    from reviewer.ui.thumbnails import ThumbnailCache

Index = QModelIndex | QPersistentModelIndex
BATCH = 200
THUMBNAIL_SIZE = QSize(36, 48)
#: the second line of a row, under the title: date, type and tags, told apart without a tooltip
DetailRole = Qt.ItemDataRole.AccessibleDescriptionRole
#: the reference number a row shows beside its title (None when none is recorded)
ReferenceRole = Qt.ItemDataRole.UserRole + 20
#: the mark before the title of a document whose file arrived damaged (its tooltip says how)
DAMAGED_MARK = "⚠"
REFERENCE_GAP = 8  # px between the title's first line and the reference number beside it
HIDDEN_COLUMNS = (1, 2, 4)  # type, date and tags are on the title's second line; the header's menu shows them


def detail_line(row: DocumentSummary) -> str:
    """What tells a document from others of a similar title: its date, its type, its tags."""
    parts = [
        row.document_date or translate("DocumentListModel", "undated"),
        document_type_label(row.doc_type) if row.doc_type else "",
        ", ".join(f"#{t}" for t in row.tags),
    ]
    return "  ·  ".join(p for p in parts if p)


def _gone(document_id: int) -> DocumentSummary:
    """The row of a document no longer in the case (removed since the list was read), until a reload."""
    return DocumentSummary(
        document_id, "", None, f"#{document_id}", None, None, VerificationStatus.UNVERIFIED, (), 0, 0, "", ""
    )


class DocumentListModel(QAbstractTableModel):
    """Rows of ``DocumentSummary``; see the module's docstring."""

    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        (QT_TRANSLATE_NOOP("DocumentListModel", "Title"), "title"),
        (QT_TRANSLATE_NOOP("DocumentListModel", "Type"), "type"),
        (QT_TRANSLATE_NOOP("DocumentListModel", "Date"), "document_date"),
        (QT_TRANSLATE_NOOP("DocumentListModel", "Status"), "status"),
        (QT_TRANSLATE_NOOP("DocumentListModel", "Tags"), "id"),
    ]

    def __init__(self, case: Case, thumbnails: ThumbnailCache, parent: Any = None) -> None:
        super().__init__(parent)
        self._case = case
        self._thumbnails = thumbnails
        self._filter = DocumentFilter()
        self._ids: list[int] = []
        # how many documents match; ``_ids`` holds them all, or only the first ``BATCH`` (``_complete``)
        self._total = 0
        self._complete = True
        # the ids of blocks past ``_ids`` read before the rest (a far document, a row drawn), by block
        self._far_ids: dict[int, list[int]] = {}
        # the rest of the ids being read off the UI thread, for the reload numbered ``_reloads``
        self._rest: Future[list[int]] | None = None
        self._reloads = 0
        self._token = next(_tokens)  # what the ids read for this model are sent with
        ids_read().done.connect(self._take_rest)
        # rows shown (``rowCount``): the view has scrolled, or a far document has been shown, this far
        self._shown = 0
        # rows read, by block (``row // BATCH``); a shown row's block may not be read yet
        self._blocks: dict[int, list[DocumentSummary]] = {}
        self._row_of_thumb: dict[str, int] = {}
        thumbnails.ready.connect(self._thumbnail_ready)
        self.reload()

    # -- what the window asks ------------------------------------------------------------------------

    @property
    def current_filter(self) -> DocumentFilter:
        """The filter and order in force."""
        return self._filter

    def set_filter(self, wanted: DocumentFilter) -> None:
        """Show only matching documents, in the order asked."""
        if wanted == self._filter:
            return
        self._filter = wanted
        self.reload()

    def reload(self) -> None:
        """Query the case again (after an import, or a change that may move rows)."""
        if self._filter.narrows:  # the window looks for the document shown among them next: read all
            ids = queries.find_documents(self._case, self._filter)
            total = len(ids)
        else:
            ids, total = queries.first_documents(self._case, self._filter, BATCH)
        first = queries.summaries(self._case, ids[:BATCH])
        self.beginResetModel()
        self._ids = ids
        self._total = total
        self._complete = len(ids) == total
        self._far_ids = {}
        self._blocks = {0: first} if first else {}
        self._shown = len(first)
        self._row_of_thumb = {}
        self.endResetModel()
        self._reloads += 1
        self._rest = None
        if not self._complete:  # once the event loop runs: not for a reload another one follows at once
            QTimer.singleShot(0, self, partial(self._read_rest, self._reloads))

    def _read_rest(self, reload: int) -> None:
        """Every id of the filter, read on a thread of its own; ``_take_rest`` is told when they are."""
        if reload != self._reloads or self._complete or self._rest is not None:
            return
        rest: Future[list[int]] = Future()
        case, wanted, token, notifier = self._case, self._filter, self._token, ids_read()

        # Nothing of the model in the thread: a model let go while its ids were read was destroyed by
        # this thread when it ended, against Qt's rule (objects end in their own thread), and the window's
        # thread crashed delivering a thumbnail to it.
        def read() -> None:
            try:
                rest.set_result(queries.find_documents(case, wanted))
            except Exception as error:  # noqa: BLE001 - e.g. the case closed: read again if still wanted
                rest.set_exception(error)
                return
            notifier.done.emit(token, reload)

        self._rest = rest
        threading.Thread(target=read, name="document-list-ids", daemon=True).start()

    @Slot(int, int)
    def _take_rest(self, token: int, reload: int) -> None:
        if token == self._token and reload == self._reloads:
            self._every_id()

    def refresh_documents(self, ids: Iterable[int]) -> None:
        """Read these documents again, in place (after an edit)."""
        wanted = {i for i in ids}
        places = [
            (block, n, s.id)
            for block, rows in self._blocks.items()
            for n, s in enumerate(rows)
            if s.id in wanted
        ]
        if not places:
            return
        fresh = {s.id: s for s in queries.summaries(self._case, [doc_id for _b, _n, doc_id in places])}
        for block, n, doc_id in places:
            summary = fresh.get(doc_id)
            if summary is not None:
                self._blocks[block][n] = summary
        rows = [block * BATCH + n for block, n, _doc_id in places]
        self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), self.columnCount() - 1))

    def document_id(self, row: int) -> int | None:
        """The document shown at ``row``."""
        if not 0 <= row < self._shown:
            return None
        ids = self._ids_of(row // BATCH)
        return (ids[row % BATCH] or None) if row % BATCH < len(ids) else None

    def _every_id(self) -> list[int]:
        """Every matching id, waited for (or read now) if only some were."""
        if not self._complete:
            ids = self._rest_ids()
            same = ids[: len(self._ids)] == self._ids and all(
                ids[block * BATCH : (block + 1) * BATCH] == far for block, far in self._far_ids.items()
            )
            if same:
                self._ids, self._total, self._complete = ids, len(ids), True
            else:  # the case changed since the first ids were read: show it as it is now
                first = queries.summaries(self._case, ids[:BATCH])
                self.beginResetModel()
                self._ids, self._total, self._complete = ids, len(ids), True
                self._blocks = {0: first} if first else {}
                self._shown = len(first)
                self._row_of_thumb = {}
                self.endResetModel()
            self._far_ids = {}
        return self._ids

    def _rest_ids(self) -> list[int]:
        if self._rest is not None:
            with contextlib.suppress(Exception):  # the thread's error is told by the read below
                return self._rest.result()
        return queries.find_documents(self._case, self._filter)

    def _ids_of(self, block: int) -> list[int]:
        """The ids of a block of rows: read alone if the rest is not in yet (a row drawn between the
        first rows and a far document's)."""
        start = block * BATCH
        if self._complete or start + BATCH <= len(self._ids):
            return self._ids[start : start + BATCH]
        ids = self._far_ids.get(block)
        if ids is None:
            ids = queries.ids_at(self._case, self._filter, start, BATCH)
            # as many as the rows shown (0: none there now, documents deleted since the count)
            wanted = max(0, min(BATCH, self._total - start))
            ids = self._far_ids[block] = (ids + [0] * wanted)[:wanted]
        return ids

    def row_of(self, document_id: int) -> int | None:
        """The row showing a document, loading more rows if needed; None if filtered out."""
        position = self._known_position(document_id)
        if position is None:
            if self._complete:
                return None
            position = self._far_position(document_id)
            if position is None:
                return None
        if self._shown <= position:
            self._show_until(position)
        return position

    def _known_position(self, document_id: int) -> int | None:
        with contextlib.suppress(ValueError):
            return self._ids.index(document_id)
        for block, ids in self._far_ids.items():
            with contextlib.suppress(ValueError):
                return block * BATCH + ids.index(document_id)
        return None

    def _far_position(self, document_id: int) -> int | None:
        """Where a document not among the ids read stands: counted in the database where that is quick,
        its block's ids read alone; else found among every id."""
        if queries.placed_quickly(self._filter):
            position = queries.position_of(self._case, self._filter, document_id)
            if position is None:
                return None
            block = position // BATCH
            ids = queries.ids_at(self._case, self._filter, block * BATCH, BATCH)
            if position % BATCH < len(ids) and ids[position % BATCH] == document_id:
                self._far_ids[block] = ids
                return position
            # the case changed between the two questions: look among every id, as they are now
        try:
            return self._every_id().index(document_id)
        except ValueError:
            return None

    def _show_until(self, position: int) -> None:
        """Show the list down to the end of ``position``'s block, reading that block alone."""
        block = position // BATCH
        self._block(block)
        end = min(self._total, (block + 1) * BATCH)
        if end > self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, end - 1)
            self._shown = end
            self.endInsertRows()

    def _block(self, block: int) -> list[DocumentSummary]:
        """The rows of a block, read now if they were not (one query for ``BATCH`` rows)."""
        rows = self._blocks.get(block)
        if rows is None:
            wanted = self._ids_of(block)
            found = {s.id: s for s in queries.summaries(self._case, wanted)}
            # a document deleted since the ids were read keeps its place until the next reload
            rows = [found.get(i) or _gone(i) for i in wanted]
            self._blocks[block] = rows
        return rows

    def _row(self, row: int) -> DocumentSummary:
        return self._block(row // BATCH)[row % BATCH]

    def document_ids(self) -> list[int]:
        """Every document the filter lets through, in list order (loaded or not)."""
        return list(self._every_id())

    def total(self) -> int:
        """How many documents match, loaded or not."""
        return self._total

    # -- Qt's model interface ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._shown < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        # the next block's ids read alone if the rest is not in yet (the view fetches when a far
        # document's row, the last shown, is scrolled to); a case changed since shows when it is
        start = self._shown
        end = min(self._total, start + BATCH)
        if end <= start:
            return
        for block in range(start // BATCH, (end - 1) // BATCH + 1):
            self._block(block)
        self.beginInsertRows(QModelIndex(), start, end - 1)
        self._shown = end
        self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        return self.tr(self.COLUMNS[section][0]) if horizontal and 0 <= section < len(self.COLUMNS) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        row = self._row(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == DetailRole and column == 0:
            return detail_line(row)
        if role == ReferenceRole and column == 0:
            return shown(row.reference) if row.reference else None
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            spoken = [shown(row.display_name), shown(row.reference or ""), row.damaged, detail_line(row)]
            return ", ".join(part for part in spoken if part)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            pages = row.page_count
            facts = f"SHA-256 {row.sha256}\n" + self.tr("%n page(s), {media_type}", "", pages).format(
                media_type=row.media_type
            )
            if row.locked:
                facts += "\n" + self.tr("locked: encrypted, password not known (Unlock… in the page area)")
            if row.damaged:
                facts += f"\n{row.damaged}"
            return f"{shown(row.display_name)}\n{facts}"
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            if not row.sha256:  # a document no longer in the case: no thumbnail to look for
                return None
            path = self._case.layout.thumbnail(row.sha256, 1)
            self._row_of_thumb[str(path)] = index.row()
            return self._thumbnails.get(path)
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QBrush(STATUS_COLOURS[row.status])
        if role == RecordRole:
            return row
        if role == DocumentIdRole:
            return row.id
        return None

    @staticmethod
    def _display(row: DocumentSummary, column: int) -> str:
        if column == 0:
            name = shown(row.display_name)  # a file name may hold line breaks or bidi overrides
            name = f"{DAMAGED_MARK} {name}" if row.damaged else name
            return f"🔒 {name}" if row.locked else name
        if column == 1:
            return document_type_label(row.doc_type) if row.doc_type else ""
        if column == 2:
            return row.document_date or ""
        if column == 3:
            return f"● {status_label(row.status)}"
        return ", ".join(row.tags)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.COLUMNS[column][1] if 0 <= column < len(self.COLUMNS) else "id"
        self.set_filter(replace(self._filter, sort=key, descending=order == Qt.SortOrder.DescendingOrder))

    def _thumbnail_ready(self, key: str) -> None:
        row = self._row_of_thumb.pop(key, None)
        if row is not None and row < self._shown:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class IdsRead(QObject):
    """Says in the window's thread that the ids a list model asked for were read on a thread of their
    own: ``done(token, reload)``. One for the program (:func:`ids_read`), made in the window's thread,
    so that the reading thread holds nothing a model owns."""

    done = Signal(int, int)


_tokens = itertools.count(1)


@cache
def ids_read() -> IdsRead:
    """The program's :class:`IdsRead`, made on first use (in the window's thread)."""
    return IdsRead()


def title_lines(
    title: str, detail: str, metrics: QFontMetrics, width: int, first_width: int | None = None
) -> list[str]:
    """The lines of a title cell: the title on up to two lines (cut with "…"), the detail under it.

    ``first_width`` is the room of the first line when something (the reference number) sits beside it.
    """
    first_room = width if first_width is None else first_width
    words = title.split(" ")
    first = ""
    while words and metrics.horizontalAdvance(f"{first} {words[0]}".strip()) <= first_room:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one long word: cut it where it stops fitting
        return [metrics.elidedText(title, Qt.TextElideMode.ElideRight, first_room), detail]
    lines = [first]
    if words:
        lines.append(metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width))
    if detail:
        lines.append(metrics.elidedText(detail, Qt.TextElideMode.ElideRight, width))
    return lines


class TitleDelegate(QStyledItemDelegate):
    """Draws the title column: the thumbnail, the title on two lines and the detail line in grey."""

    def lines(self, index: QModelIndex, option: QStyleOptionViewItem) -> list[str]:
        """The lines drawn for a cell (the title, then its detail)."""
        rect = self._text_rect(option, index)
        detail = index.data(DetailRole) or ""
        wanted = index.data(ReferenceRole) or ""
        reference = self.reference(index, option)
        if wanted and not reference:  # no room beside the title: it leads the line under it, whole
            detail = f"{wanted}  ·  {detail}"
        beside = option.fontMetrics.horizontalAdvance(reference) + REFERENCE_GAP if reference else 0
        metrics = option.fontMetrics
        return title_lines(index.data() or "", detail, metrics, rect.width(), rect.width() - beside)

    def reference(self, index: QModelIndex, option: QStyleOptionViewItem) -> str:
        """The reference number drawn beside the title if it fits whole in half the cell, else ""."""
        reference = index.data(ReferenceRole) or ""
        room = self._text_rect(option, index).width() // 2
        return reference if option.fontMetrics.horizontalAdvance(reference) <= room else ""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view

    def _text_rect(self, option: QStyleOptionViewItem, index: QModelIndex) -> QRect:
        view = QStyleOptionViewItem(option)
        self.initStyleOption(view, index)
        rect = self._view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, view, self._view)
        return rect.adjusted(2, 0, -2, 0)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # type: ignore[override]
        view = QStyleOptionViewItem(option)
        self.initStyleOption(view, index)
        lines = self.lines(index, option)
        view.text = ""
        self._view.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, view, painter, self._view)
        rect = self._text_rect(option, index)
        selected = bool(view.state & QStyle.StateFlag.State_Selected)
        palette = view.palette
        ink = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        faint = ink if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        step = view.fontMetrics.lineSpacing()
        top = rect.top() + max((rect.height() - step * len(lines)) // 2, 0)
        painter.save()
        for number, line in enumerate(lines):
            is_detail = number == len(lines) - 1 and len(lines) > 1 and bool(index.data(DetailRole))
            painter.setPen(faint if is_detail else ink)
            box = QRect(rect.left(), top + number * step, rect.width(), step)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
        reference = self.reference(index, option)
        if reference:  # beside the title's first line, at the cell's right edge
            painter.setPen(faint)
            box = QRect(rect.left(), top, rect.width(), step)
            painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, reference)
        painter.restore()


class DocumentListView(QTableView):
    """The document list: rows with thumbnails, several selectable, sortable by column."""

    def __init__(self, model: DocumentListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # The indicator first: enabling sorting sorts by it, and the header's own default (descending)
        # would load the list once more at start-up for nothing.
        self.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(
            max(THUMBNAIL_SIZE.height() + 6, self.fontMetrics().lineSpacing() * 3 + 8)
        )
        self.setIconSize(THUMBNAIL_SIZE)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 100), (2, 80), (3, 92), (4, 100)):
            header.resizeSection(column, width)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.titles = TitleDelegate(self)
        self.setItemDelegateForColumn(0, self.titles)
        for column in HIDDEN_COLUMNS:
            self.setColumnHidden(column, True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)

    def _column_menu(self, position: QPoint) -> None:
        """The header's menu: show or hide the columns besides the title."""
        model = self.model()
        menu = QMenu(self)
        for column in range(1, model.columnCount()):
            action = QAction(str(model.headerData(column, Qt.Orientation.Horizontal)), menu)
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(column))
            action.toggled.connect(lambda shown, c=column: self.setColumnHidden(c, not shown))
            menu.addAction(action)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.horizontalHeader().mapToGlobal(position))
