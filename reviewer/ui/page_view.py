"""The page viewer: the page drawn off the UI thread, sharp after blurry, with annotation regions.

The scene's coordinates are the unrotated page's PDF points, exactly those annotations are stored in;
the view turns the page by its own rotation plus the reader's, so a rectangle dragged on screen maps
straight to stored coordinates whatever the rotation. Pages come from ``RenderBridge``: the thumbnail
made at import shows at once, the sharp render replaces it, and neighbours are drawn ahead.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPen, QPixmap, QTransform
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QMenu,
)

from reviewer.core.domain.values import AnnotationKind
from reviewer.core.rendering.requests import RenderRequest
from reviewer.ui.regions import RegionItem
from reviewer.ui.text_select import WordSelection

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QMouseEvent, QResizeEvent, QWheelEvent
    from PySide6.QtWidgets import QWidget

    from reviewer.core.domain.quotes import PageWord
    from reviewer.core.domain.records import AnnotationRecord
    from reviewer.core.domain.values import Rect
    from reviewer.core.services.queries import PageView as PageSource
    from reviewer.core.storage.store import CaseLayout
    from reviewer.ui.render_bridge import RenderBridge

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.05, 16.0
CACHE_BYTES = 512 << 20  # rendered pages kept for going back and forth
PREFETCH = (1, -1, 2)


def zoom_bucket(pixels_per_point: float) -> float:
    """Round a wanted resolution up to a step of 1.25×, so nearby zooms share one render."""
    step = math.ceil(math.log(max(pixels_per_point, 0.01)) / math.log(ZOOM_STEP) - 1e-9)
    return float(ZOOM_STEP**step)


class PageView(QGraphicsView):
    """Shows one page of one document; see the module's docstring."""

    page_changed = Signal(int)
    page_sharp = Signal(int)  # the current page is shown at full resolution
    region_drawn = Signal(int, QRectF)
    region_edited = Signal(str, QRectF)
    region_selected = Signal(object)  # annotation id, or None
    text_annotation_wanted = Signal(int, int, int, object)  # page, first and last word, AnnotationKind
    text_tool_changed = Signal(bool)
    delete_requested = Signal(str)
    zoom_changed = Signal(float)

    def __init__(self, bridge: RenderBridge, layout: CaseLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._layout = layout
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(QColor("#5f6368"))
        self.setRenderHints(QPainter.RenderHint.SmoothPixmapTransform | QPainter.RenderHint.Antialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self._source: PageSource | None = None
        self._page = 0
        self._zoom = 1.0
        # Fit width by default: at 1366 px the page is ~750 px wide, an A4 page 1.26 px a point, so 11 pt
        # body text is 14 px tall (fit page gave 0.64 px a point: 7 px).
        self._fit: str | None = "width"
        self._user_rotation = 0
        self._annotations: list[AnnotationRecord] = []
        self._cache: OrderedDict[tuple[int, int, float], QImage] = OrderedDict()
        self._sharp = False
        self._page_item: QGraphicsPixmapItem | None = None
        self._regions: dict[str, RegionItem] = {}
        self._drawing: tuple[QPointF, QGraphicsRectItem] | None = None
        self._panning: QPointF | None = None
        self._message: str | None = None
        self._highlighter: Callable[[int, int], Sequence[Rect]] | None = None
        self._highlights: list[QGraphicsRectItem] = []
        self._overlay: tuple[int, QImage] | None = None
        self._overlay_item: QGraphicsPixmapItem | None = None
        self._missing_note: str | None = None  # said over a page a damaged file had no content for
        # Selecting words: with the text tool on, or Shift held (a plain drag draws a region).
        self._word_source: Callable[[int, int], Sequence[PageWord]] | None = None
        self.words = WordSelection(self._scene, self._page_words)
        self._text_tool = False
        self._selecting = False
        bridge.rendered.connect(self._rendered)
        self._scene.selectionChanged.connect(self._selection_changed)

    # -- what the window asks ------------------------------------------------------------------------

    @property
    def current_page(self) -> int:
        """The page shown (1-based), 0 when no document is."""
        return self._page

    @property
    def page_count(self) -> int:
        """Pages of the document shown."""
        return len(self._source.pages) if self._source else 0

    @property
    def zoom(self) -> float:
        """Screen pixels per page point."""
        return self._zoom

    @property
    def fit_mode(self) -> str | None:
        """How the zoom follows the viewer's size: ``"page"``, ``"width"``, or None (a chosen zoom)."""
        return self._fit

    @property
    def is_sharp(self) -> bool:
        """Whether the current page is shown at full resolution."""
        return self._sharp

    @property
    def missing_note(self) -> str | None:
        """What the current page says over itself when the file had no content for it, else None."""
        return self._missing_note

    @property
    def document_id(self) -> int | None:
        """The document shown."""
        return self._source.document_id if self._source else None

    def regions(self) -> dict[str, RegionItem]:
        """The annotation regions on the current page, by annotation id."""
        return dict(self._regions)

    def show_document(self, source: PageSource | None, page: int = 1) -> None:
        """Show a document (None for nothing), at a page."""
        self._source = source
        self._annotations = []
        self._page = 0
        self._page_item = None
        self._bridge.retain(
            lambda r: source is not None and r.tag is not None and r.tag[0] == source.document_id
        )
        if source is None or not source.pages:
            self._clear(
                self.tr("No document selected") if source is None else self.tr("This document has no pages")
            )
            return
        self.go_to_page(page)

    def set_annotations(self, records: Sequence[AnnotationRecord]) -> None:
        """The annotations of the document shown (every page); those of the current page are drawn."""
        self._annotations = list(records)
        self._draw_regions()

    def set_highlighter(self, highlighter: Callable[[int, int], Sequence[Rect]] | None) -> None:
        """What to highlight: boxes for (document id, page), e.g. words a search found; None: nothing."""
        self._highlighter = highlighter
        self._draw_highlights()

    @property
    def highlighter(self) -> Callable[[int, int], Sequence[Rect]] | None:
        """What is highlighted (see ``set_highlighter``)."""
        return self._highlighter

    @property
    def highlights(self) -> list[QRectF]:
        """The highlighted boxes on the current page, in page points."""
        return [item.rect() for item in self._highlights]

    def set_overlay(self, page: int, image: QImage) -> None:
        """Lay a picture of the whole unrotated page over it (error levels...); a null image removes it."""
        self._overlay = None if image.isNull() else (page, image)
        self._draw_overlay()

    @property
    def has_overlay(self) -> bool:
        """Whether an overlay is drawn over the current page."""
        return self._overlay_item is not None

    def go_to_page(self, page: int) -> None:
        """Show page ``page`` (1-based), clamped to the document."""
        if self._source is None or not self._source.pages:
            return
        page = min(max(page, 1), len(self._source.pages))
        if page == self._page and self._page_item is not None:
            return  # already shown: relaying it out would drop a region being dragged
        self._page = page
        self._layout_page()
        self.page_changed.emit(page)

    def next_page(self) -> None:
        """One page on."""
        self.go_to_page(self._page + 1)

    def previous_page(self) -> None:
        """One page back."""
        self.go_to_page(self._page - 1)

    def fit_page(self) -> None:
        """Zoom so the whole page fits."""
        self._fit = "page"
        self._apply_view()

    def fit_width(self) -> None:
        """Zoom so the page's width fits."""
        self._fit = "width"
        self._apply_view()

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor > 1) or out."""
        self.set_zoom(self._zoom * factor)

    def set_zoom(self, zoom: float) -> None:
        """Zoom to ``zoom`` screen pixels per point."""
        self._fit = None
        self._zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        self._apply_view()

    def rotate_view(self, degrees: int = 90) -> None:
        """Turn the view (not the document) by a multiple of 90°."""
        self._user_rotation = (self._user_rotation + degrees) % 360
        self._apply_view()

    def select_region(self, annotation_id: str | None) -> None:
        """Select a region (from the Annotations pane)."""
        for key, item in self._regions.items():
            item.setSelected(key == annotation_id)
        if annotation_id in self._regions:
            self.ensureVisible(self._regions[annotation_id], 40, 40)

    # -- selecting words -----------------------------------------------------------------------------

    def set_word_source(self, source: Callable[[int, int], Sequence[PageWord]] | None) -> None:
        """Where the words of (document id, page) come from, in reading order; None: no selecting."""
        self._word_source = source
        self.words.forget()

    @property
    def text_tool(self) -> bool:
        """Whether a plain drag selects words (True) or draws a region (False)."""
        return self._text_tool

    def set_text_tool(self, on: bool) -> None:
        """Turn the text tool on or off; Shift+drag selects words either way."""
        if on != self._text_tool:
            self._text_tool = on
            self.viewport().setCursor(Qt.CursorShape.IBeamCursor if on else Qt.CursorShape.ArrowCursor)
            self.text_tool_changed.emit(on)

    def annotate_selection(self, kind: AnnotationKind = AnnotationKind.NOTE) -> bool:
        """Ask for the selected words to become an annotation of ``kind``; False when none are selected."""
        span, page = self.words.span, self.words.page
        if span is None or page is None:
            return False
        self.words.clear()
        self.text_annotation_wanted.emit(page, span[0], span[1], kind)
        return True

    def _page_words(self, document_id: int, page: int) -> Sequence[PageWord]:
        return self._word_source(document_id, page) if self._word_source is not None else ()

    def _selects_text(self, event: QMouseEvent) -> bool:
        return (
            event.button() == Qt.MouseButton.LeftButton
            and self._page_item is not None
            and self._source is not None
            and self._word_source is not None
            and (self._text_tool or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
        )

    # -- layout and rendering ------------------------------------------------------------------------

    def _page_size(self) -> tuple[float, float, int]:
        assert self._source is not None
        record = self._source.pages[self._page - 1]
        return max(record.width, 1.0), max(record.height, 1.0), record.rotation

    def _clear(self, message: str) -> None:
        self._scene.clear()
        self.words.forget()
        self._page_item = None
        self._missing_note = None
        self._regions = {}
        self._sharp = False
        self._message = message
        text = self._scene.addText(message)
        text.setDefaultTextColor(QColor("white"))
        self._scene.setSceneRect(text.boundingRect())
        self.resetTransform()

    def _layout_page(self) -> None:
        width, height, _ = self._page_size()
        self._scene.clear()
        self.words.forget()
        self._regions = {}
        self._message = None
        self._scene.setSceneRect(QRectF(0, 0, width, height))
        paper = self._scene.addRect(
            QRectF(0, 0, width, height), QPen(Qt.PenStyle.NoPen), QBrush(QColor("white"))
        )
        paper.setZValue(-1)
        self._page_item = QGraphicsPixmapItem()
        self._page_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._page_item)
        self._sharp = False
        self._apply_view()
        self._show_best_image()
        self._highlights = []
        self._overlay_item = None
        self._draw_overlay()
        self._draw_highlights()
        self._draw_regions()
        self._draw_missing_note()

    def _draw_missing_note(self) -> None:
        """Over a page a damaged file had nothing readable for, say so: a blank page is not a page."""
        self._missing_note = None
        problem = self._source.missing.get(self._page) if self._source is not None else None
        if problem is None:
            return
        if problem == "no content":
            note = self.tr("page {page}: no content could be read from the file")
        else:
            note = self.tr("page {page}: it could not be read from the file")
        self._missing_note = note.format(page=self._page)
        width, height, _ = self._page_size()
        item = self._scene.addSimpleText(self._missing_note)
        item.setBrush(QColor("#b3261e"))
        font = item.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        item.setFont(font)
        # as large at every zoom and upright at every turn, centred a third of the way down the page
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        item.setTransform(QTransform.fromTranslate(-item.boundingRect().width() / 2, 0))
        item.setPos(QPointF(width / 2, height / 3))
        item.setZValue(0.5)

    def _draw_overlay(self) -> None:
        if self._overlay_item is not None:
            self._scene.removeItem(self._overlay_item)
            self._overlay_item = None
        if self._overlay is None or self._overlay[0] != self._page or self._page_item is None:
            return
        width, height, _ = self._page_size()
        image = self._overlay[1]
        item = QGraphicsPixmapItem(QPixmap.fromImage(image))
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        item.setTransform(
            QTransform.fromScale(width / max(image.width(), 1), height / max(image.height(), 1))
        )
        item.setOpacity(0.85)
        item.setZValue(0.25)  # over the page, under highlights and regions
        self._scene.addItem(item)
        self._overlay_item = item

    def _draw_highlights(self) -> None:
        for item in self._highlights:
            self._scene.removeItem(item)
        self._highlights = []
        if self._highlighter is None or self._source is None or not self._page or self._page_item is None:
            return
        brush = QBrush(QColor(255, 213, 0, 110))
        for rect in self._highlighter(self._source.document_id, self._page):
            item = self._scene.addRect(
                QRectF(rect.x0 - 1, rect.y0 - 1, rect.width + 2, rect.height + 2),
                QPen(Qt.PenStyle.NoPen),
                brush,
            )
            item.setZValue(0.5)  # over the page, under the regions
            self._highlights.append(item)

    def _apply_view(self) -> None:
        if self._source is None or not self._page:
            return
        width, height, rotation = self._page_size()
        turn = (rotation + self._user_rotation) % 360
        shown_w, shown_h = (height, width) if turn in (90, 270) else (width, height)
        viewport = self.viewport().size()
        margin = 16
        if self._fit == "page":
            self._zoom = max(
                MIN_ZOOM, min((viewport.width() - margin) / shown_w, (viewport.height() - margin) / shown_h)
            )
        elif self._fit == "width":
            self._zoom = max(MIN_ZOOM, self._width_fit(shown_w, shown_h))
        # Fit width fills the viewer edge to edge: held at the left (centring would count the scroll bar
        # as room and leave a margin), and no sideways scroll bar for a rounding pixel.
        centre = Qt.AlignmentFlag.AlignHCenter if self._fit != "width" else Qt.AlignmentFlag.AlignLeft
        self.setAlignment(centre | Qt.AlignmentFlag.AlignVCenter)
        self.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if self._fit == "width"
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        self.setTransform(QTransform().scale(self._zoom, self._zoom).rotate(turn))
        self.zoom_changed.emit(self._zoom)
        self._request_renders()

    def _width_fit(self, shown_w: float, shown_h: float) -> float:
        """The zoom that makes the page exactly as wide as the viewer (beside a scroll bar if needed)."""
        bar = self.verticalScrollBar()
        thickness = bar.width() if bar.isVisible() else bar.sizeHint().width()
        full = self.viewport().width() + (thickness if bar.isVisible() else 0)
        # a hair under the width, so that rounding never makes the page a pixel wider than the viewer
        if shown_h * full / shown_w <= self.viewport().height():
            return (full - 0.01) / shown_w  # it fits in height too: no scroll bar will show
        return (full - thickness - 0.01) / shown_w

    def _wanted_zoom(self) -> float:
        return zoom_bucket(self._zoom * self.devicePixelRatioF())

    def _request_renders(self) -> None:
        source = self._source
        if source is None or not self._page:
            return
        bucket = self._wanted_zoom()
        key = (source.document_id, self._page, bucket)
        # Only what is wanted now: this page at this zoom. Neighbours follow once it is sharp, so that on
        # two cores drawing ahead never slows down the page the reader is looking at.
        self._bridge.retain(lambda r: r.tag == key)
        if key in self._cache:
            self._show_best_image()
            return
        self._bridge.request(RenderRequest(source.original, self._page, bucket, source.password, tag=key))

    def _prefetch(self) -> None:
        source = self._source
        if source is None or not self._page:
            return
        bucket = self._wanted_zoom()
        for priority, delta in enumerate(PREFETCH, start=1):
            page = self._page + delta
            key = (source.document_id, page, bucket)
            if 1 <= page <= len(source.pages) and key not in self._cache:
                request = RenderRequest(source.original, page, bucket, source.password, tag=key)
                self._bridge.request(request, priority=priority)

    def _show_best_image(self) -> None:
        """The sharpest image we have of the current page: a render, else the import thumbnail."""
        if self._page_item is None or self._source is None:
            return
        doc_id, page, bucket = self._source.document_id, self._page, self._wanted_zoom()
        best: tuple[float, QImage] | None = None
        for (d, p, z), image in self._cache.items():
            if d == doc_id and p == page and (best is None or abs(z - bucket) < abs(best[0] - bucket)):
                best = (z, image)
        if best is not None:
            self._set_image(best[1])
            self._sharp = best[0] >= bucket
            if self._sharp:
                self.page_sharp.emit(page)
                self._prefetch()
            return
        thumbnail = QImage(str(self._layout.thumbnail(self._source.sha256, page)))
        if not thumbnail.isNull():
            _, _, rotation = self._page_size()
            if rotation:  # thumbnails show the page turned; the scene holds it unturned
                thumbnail = thumbnail.transformed(QTransform().rotate(-rotation))
            self._set_image(thumbnail)

    def _set_image(self, image: QImage) -> None:
        assert self._page_item is not None
        width, _, _ = self._page_size()
        self._page_item.setPixmap(QPixmap.fromImage(image))
        self._page_item.setScale(width / max(image.width(), 1))

    def _rendered(self, request: RenderRequest, image: QImage, zoom: float, error: str) -> None:
        tag = request.tag
        if not isinstance(tag, tuple) or self._source is None or tag[0] != self._source.document_id:
            return
        if error:
            if tag[1] == self._page and self._page_item is not None:
                note = self._scene.addSimpleText(error)
                note.setPos(10, 10)
            return
        self._cache[tag] = image
        self._cache.move_to_end(tag)
        while len(self._cache) > 1 and sum(i.sizeInBytes() for i in self._cache.values()) > CACHE_BYTES:
            self._cache.popitem(last=False)
        if tag[1] == self._page:
            self._show_best_image()

    def _draw_regions(self) -> None:
        # Redrawing after an edit must not look like the reader deselecting: keep the selection, quietly.
        selected = {key for key, item in self._regions.items() if item.isSelected()}
        self._scene.blockSignals(True)
        try:
            for item in self._regions.values():
                self._scene.removeItem(item)
            self._regions = {}
            if self._source is None or not self._page or self._page_item is None:
                return
            width, height, _ = self._page_size()
            bounds = QRectF(0, 0, width, height)
            for record in self._annotations:
                if record.page == self._page:
                    item = RegionItem(record, bounds, self.region_edited.emit)
                    self._scene.addItem(item)
                    item.setSelected(record.id in selected)
                    self._regions[record.id] = item
        finally:
            self._scene.blockSignals(False)

    def _selection_changed(self) -> None:
        try:
            selected = [i for i in self._scene.selectedItems() if isinstance(i, RegionItem)]
        except RuntimeError:  # the scene is being torn down
            return
        self.region_selected.emit(selected[0].annotation_id if selected else None)

    # -- events --------------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit is not None:
            self._apply_view()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
            event.accept()
            return
        super().wheelEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.words.span is None:
            super().contextMenuEvent(event)
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Annotate selection"), lambda: self.annotate_selection(AnnotationKind.NOTE))
        menu.addAction(self.tr("Redact selection"), lambda: self.annotate_selection(AnnotationKind.REDACTION))
        menu.addAction(self.tr("Copy text"), lambda: QGuiApplication.clipboard().setText(self.words.text()))
        menu.exec(event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.words.span is not None:
            self.words.clear()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            for item in self._scene.selectedItems():
                if isinstance(item, RegionItem):
                    self.delete_requested.emit(item.annotation_id)
            event.accept()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._selects_text(event):
            assert self._source is not None
            point = self.mapToScene(event.position().toPoint())
            self._scene.clearSelection()
            self._selecting = self.words.press(self._source.document_id, self._page, point)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self.words.clear()
        if event.button() == Qt.MouseButton.MiddleButton:
            self._panning = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        item = self.itemAt(event.position().toPoint())
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self._page_item is not None
            and not isinstance(item, RegionItem)
        ):
            origin = self.mapToScene(event.position().toPoint())
            if self.sceneRect().contains(origin):
                self._scene.clearSelection()
                band = QGraphicsRectItem(QRectF(origin, origin))
                pen = QPen(QColor("#1a73e8"), 1.5, Qt.PenStyle.DashLine)
                pen.setCosmetic(True)
                band.setPen(pen)
                band.setZValue(20)
                self._scene.addItem(band)
                self._drawing = (origin, band)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._selecting:
            self.words.move(self.mapToScene(event.position().toPoint()))
            return
        if self._panning is not None:
            delta = event.position() - self._panning
            self._panning = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            return
        if self._drawing is not None:
            origin, band = self._drawing
            point = self.mapToScene(event.position().toPoint())
            band.setRect(QRectF(origin, point).normalized().intersected(self.sceneRect()))
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._selecting and event.button() == Qt.MouseButton.LeftButton:
            self._selecting = False
            self.words.move(self.mapToScene(event.position().toPoint()))
            self.words.release()
            return
        if self._panning is not None and event.button() == Qt.MouseButton.MiddleButton:
            self._panning = None
            self.viewport().unsetCursor()
            return
        if self._drawing is not None and event.button() == Qt.MouseButton.LeftButton:
            origin, band = self._drawing
            self._drawing = None
            point = self.mapToScene(event.position().toPoint())
            rect = QRectF(origin, point).normalized().intersected(self.sceneRect())
            self._scene.removeItem(band)
            if rect.width() >= 3 and rect.height() >= 3:
                self.region_drawn.emit(self._page, rect)
            return
        super().mouseReleaseEvent(event)
