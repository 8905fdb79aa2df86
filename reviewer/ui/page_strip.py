"""The strip of page thumbnails under the page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QListView

if TYPE_CHECKING:
    from reviewer.core.services.queries import PageView as PageSource
    from reviewer.core.storage.store import CaseLayout
    from reviewer.ui.thumbnails import ThumbnailCache

Index = QModelIndex | QPersistentModelIndex


class PageStripModel(QAbstractListModel):
    """One row per page of the document shown; thumbnails from the import, loaded off the UI thread."""

    def __init__(self, layout: CaseLayout, thumbnails: ThumbnailCache, parent: Any = None) -> None:
        super().__init__(parent)
        self._layout = layout
        self._thumbnails = thumbnails
        self._source: PageSource | None = None
        thumbnails.ready.connect(self._ready)

    def set_source(self, source: PageSource | None) -> None:
        """Show the pages of a document."""
        self.beginResetModel()
        self._source = source
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._source is None else len(self._source.pages)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._source is None or not index.isValid() or not 0 <= index.row() < len(self._source.pages):
            return None
        page = self._source.pages[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return page.label or str(page.number)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnails.get(self._layout.thumbnail(self._source.sha256, page.number))
        if role == Qt.ItemDataRole.ToolTipRole:
            number = self.tr("Page {number}").format(number=page.number)
            return number + (f" ({page.label})" if page.label else "")
        return None

    def _ready(self, key: str) -> None:
        if self._source is None:
            return
        prefix = f"{self._layout.derived_dir(self._source.sha256)}/thumb-"
        if key.startswith(prefix):
            try:
                row = int(key.removeprefix(prefix).rpartition(".")[0]) - 1
            except ValueError:
                return
            if 0 <= row < self.rowCount():
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class PageStrip(QListView):
    """A horizontal strip of page thumbnails."""

    def __init__(self, model: PageStripModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(54, 72))
        self.setGridSize(QSize(70, 100))
        self.setSpacing(4)
        self.setFixedHeight(112)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
