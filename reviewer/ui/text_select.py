"""Selecting words on the page: from the word under the press to the word under the release, in the
page's reading order (its text layer's, or OCR's), as a reader selects text in any PDF viewer.

The page view hands presses and moves here while the text tool is on (or Shift is held); what is
selected is a run of word indices of ``documents.page_words``, which "Annotate selection" turns into
a text annotation through the undo stack.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene

    from reviewer.core.domain.quotes import PageWord

SELECTION_COLOUR = QColor(26, 115, 232, 90)
NEAR_POINTS = 24.0  # a press this close to a word (in page points) starts on it; farther, on nothing


class WordSelection:
    """The words of the page shown and the run of them selected, drawn over the page."""

    def __init__(self, scene: QGraphicsScene, words: Callable[[int, int], Sequence[PageWord]]) -> None:
        self._scene = scene
        self._source = words
        self._key: tuple[int, int] | None = None
        self._words: list[PageWord] = []
        self._anchor: int | None = None
        self._span: tuple[int, int] | None = None
        self._items: list[QGraphicsRectItem] = []

    # -- what the view asks --------------------------------------------------------------------------

    @property
    def span(self) -> tuple[int, int] | None:
        """The selected words (first, last) in reading order, None when nothing is selected."""
        return self._span

    @property
    def page(self) -> int | None:
        """The page the selection is on."""
        return self._key[1] if self._key is not None and self._span is not None else None

    def text(self) -> str:
        """The selected words, joined by spaces."""
        if self._span is None:
            return ""
        first, last = self._span
        return " ".join(w.text for w in self._words[first : last + 1])

    def boxes(self) -> list[QRectF]:
        """The selected words' boxes, in page points."""
        return [item.rect() for item in self._items]

    def has_words(self, document_id: int, page: int) -> bool:
        """Whether the page has words to select (loading them once per page)."""
        self._load(document_id, page)
        return bool(self._words)

    def press(self, document_id: int, page: int, point: QPointF) -> bool:
        """Start selecting at ``point``; False when the page has no word near it."""
        self.clear()
        self._load(document_id, page)
        self._anchor = self._nearest(point)
        if self._anchor is None:
            return False
        self._set(self._anchor, self._anchor)
        return True

    def move(self, point: QPointF) -> None:
        """Extend the selection from where it started to the word nearest ``point``."""
        if self._anchor is None:
            return
        end = self._nearest(point, limit=math.inf)
        if end is not None:
            self._set(min(self._anchor, end), max(self._anchor, end))

    def release(self) -> None:
        """The mouse let go: the selection stays until cleared."""
        self._anchor = None

    def clear(self) -> None:
        """Nothing selected (the items are gone with the scene when the page changes)."""
        for item in self._items:
            if item.scene() is self._scene:
                self._scene.removeItem(item)
        self._items = []
        self._span = None
        self._anchor = None

    def forget(self) -> None:
        """The page was laid out again: its items are gone and the words may have changed."""
        self._items = []
        self._span = None
        self._anchor = None
        self._key = None
        self._words = []

    # -- inside --------------------------------------------------------------------------------------

    def _load(self, document_id: int, page: int) -> None:
        if self._key != (document_id, page):
            self._key = (document_id, page)
            self._words = list(self._source(document_id, page))

    def _nearest(self, point: QPointF, limit: float = NEAR_POINTS) -> int | None:
        best: tuple[float, int] | None = None
        for index, word in enumerate(self._words):
            box = word.box
            dx = max(box.x0 - point.x(), 0.0, point.x() - box.x1)
            dy = max(box.y0 - point.y(), 0.0, point.y() - box.y1)
            # a line is closer than a column: moving along it must not jump to the line above or below
            distance = math.hypot(dx, dy * 3)
            if distance <= limit and (best is None or distance < best[0]):
                best = (distance, index)
        return best[1] if best is not None else None

    def _set(self, first: int, last: int) -> None:
        if self._span == (first, last):
            return
        for item in self._items:
            self._scene.removeItem(item)
        self._items = []
        self._span = (first, last)
        brush = QBrush(SELECTION_COLOUR)
        for word in self._words[first : last + 1]:
            box = word.box
            item = self._scene.addRect(
                QRectF(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0), QPen(Qt.PenStyle.NoPen), brush
            )
            item.setZValue(15)  # over the regions: what is being selected shows through
            self._items.append(item)
