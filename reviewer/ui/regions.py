"""Annotation regions drawn on the page: selectable, movable, resizable from any edge or corner.

A text annotation is drawn as a highlight over its words (its item's rectangle is their union, its
shape their boxes) and stays on them: it is selected, never moved or resized."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyle

from reviewer.core.domain.values import AnnotationKind
from reviewer.ui.i18n import translate

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import (
        QGraphicsSceneHoverEvent,
        QGraphicsSceneMouseEvent,
        QStyleOptionGraphicsItem,
        QWidget,
    )

    from reviewer.core.domain.records import AnnotationRecord

NOTE_COLOUR = QColor("#1a73e8")
REDACTION_COLOUR = QColor("#111111")
EDGE_PIXELS = 6.0


def tooltip_for(record: AnnotationRecord) -> str:
    """What hovering over a region shows."""
    kind = (
        translate("RegionItem", "Redaction")
        if record.kind is AnnotationKind.REDACTION
        else translate("RegionItem", "Note")
    )
    lines = [kind + " · " + translate("RegionItem", "page {page}").format(page=record.page)]
    if record.quote is not None:
        lines.append(f"\u201c{record.quote.exact}\u201d")
    for label, text in (
        ("", record.note),
        (translate("RegionItem", "Transcription: "), record.transcription),
        (translate("RegionItem", "Translation: "), record.translation),
    ):
        if text:
            lines.append(f"{label}{text}")
    if record.tags:
        lines.append(translate("RegionItem", "Tags: ") + ", ".join(record.tags))
    return "\n".join(lines)


class RegionItem(QGraphicsRectItem):
    """One annotation on the page, in unrotated page points (the scene's coordinates)."""

    def __init__(
        self,
        record: AnnotationRecord,
        bounds: QRectF,
        on_edited: Callable[[str, QRectF], None],
    ) -> None:
        super().__init__(QRectF(record.x0, record.y0, record.x1 - record.x0, record.y1 - record.y0))
        self.record = record
        self._bounds = bounds
        self._on_edited = on_edited
        self._edges: tuple[bool, bool, bool, bool] | None = None  # left, top, right, bottom while resizing
        self._start = QRectF()
        # the item sits at the origin, its rectangle where the region is: item and page points agree
        self._words = [QRectF(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0) for b in record.boxes]
        flag = QGraphicsItem.GraphicsItemFlag
        movable = flag.ItemIsMovable if not self._words else flag(0)
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | movable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setAcceptHoverEvents(True)
        self.setToolTip(tooltip_for(record))
        self.setZValue(10)

    @property
    def annotation_id(self) -> str:
        """The id of the annotation this region shows."""
        return self.record.id

    def scene_rect(self) -> QRectF:
        """Where the region is now, in page points."""
        return self.mapRectToScene(self.rect())

    # -- drawing -------------------------------------------------------------------------------------

    @property
    def is_text(self) -> bool:
        """Whether this is a text annotation (drawn on its words, not movable)."""
        return bool(self._words)

    def shape(self) -> QPainterPath:
        if not self._words:
            return super().shape()
        path = QPainterPath()
        for box in self._words:
            path.addRect(box.adjusted(-1, -1, 1, 1))
        return path

    def _paint_words(self, painter: QPainter, selected: bool, redaction: bool) -> None:
        colour = QColor(0, 0, 0, 150) if redaction else QColor(255, 200, 0, 150 if selected else 95)
        painter.setPen(QPen(Qt.PenStyle.NoPen))
        painter.setBrush(QBrush(colour))
        for box in self._words:
            painter.drawRect(box.adjusted(-1, -1, 1, 1))
        if selected:
            pen = QPen(REDACTION_COLOUR if redaction else NOTE_COLOUR, 1.5)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for box in self._words:
                painter.drawRect(box.adjusted(-1, -1, 1, 1))

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        redaction = self.record.kind is AnnotationKind.REDACTION
        if self._words:
            self._paint_words(painter, selected, redaction)
            return
        colour = REDACTION_COLOUR if redaction else NOTE_COLOUR
        pen = QPen(colour, 2.5 if selected else 1.5)
        pen.setCosmetic(True)
        if redaction:
            pen.setStyle(Qt.PenStyle.DashLine)
            fill = QBrush(QColor(0, 0, 0, 150), Qt.BrushStyle.BDiagPattern)
            back = QColor(0, 0, 0, 70)
        else:
            fill = QBrush(QColor(colour.red(), colour.green(), colour.blue(), 40 if not selected else 70))
            back = None
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if back is not None:
            painter.fillRect(self.rect(), back)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRect(self.rect())

    # -- moving and resizing -------------------------------------------------------------------------

    def _edge_tolerance(self) -> float:
        views = self.scene().views() if self.scene() else []
        scale = views[0].transform().mapRect(QRectF(0, 0, 1, 1)).width() if views else 1.0
        return EDGE_PIXELS / max(scale, 1e-6)

    def _edges_at(self, point: QPointF) -> tuple[bool, bool, bool, bool]:
        rect, tolerance = self.rect(), self._edge_tolerance()
        return (
            abs(point.x() - rect.left()) <= tolerance,
            abs(point.y() - rect.top()) <= tolerance,
            abs(point.x() - rect.right()) <= tolerance,
            abs(point.y() - rect.bottom()) <= tolerance,
        )

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        if self._words:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            super().hoverMoveEvent(event)
            return
        left, top, right, bottom = self._edges_at(event.pos())
        if (left and top) or (right and bottom):
            self.setCursor(Qt.CursorShape.SizeFDiagCursor)
        elif (right and top) or (left and bottom):
            self.setCursor(Qt.CursorShape.SizeBDiagCursor)
        elif left or right:
            self.setCursor(Qt.CursorShape.SizeHorCursor)
        elif top or bottom:
            self.setCursor(Qt.CursorShape.SizeVerCursor)
        else:
            self.setCursor(Qt.CursorShape.SizeAllCursor)
        super().hoverMoveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._start = self.scene_rect()
        edges = self._edges_at(event.pos())
        resizable = not self._words and event.button() == Qt.MouseButton.LeftButton
        self._edges = edges if any(edges) and resizable else None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._edges is None:
            super().mouseMoveEvent(event)
            return
        left, top, right, bottom = self._edges
        rect = QRectF(self.rect())
        point = event.pos()
        if left:
            rect.setLeft(min(point.x(), rect.right() - 1))
        if right:
            rect.setRight(max(point.x(), rect.left() + 1))
        if top:
            rect.setTop(min(point.y(), rect.bottom() - 1))
        if bottom:
            rect.setBottom(max(point.y(), rect.top() + 1))
        scene = self.mapRectToScene(rect).intersected(self._bounds)
        self.prepareGeometryChange()
        self.setRect(self.mapRectFromScene(scene))

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        self._edges = None
        now = self.scene_rect()
        if now != self._start:
            self._on_edited(self.record.id, now)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and self.scene() is not None:
            # keep the whole region on the page while it is dragged
            wanted = QPointF(value)
            rect = self.rect()
            x = min(max(wanted.x(), self._bounds.left() - rect.left()), self._bounds.right() - rect.right())
            y = min(max(wanted.y(), self._bounds.top() - rect.top()), self._bounds.bottom() - rect.bottom())
            return QPointF(x, y)
        return super().itemChange(change, value)
