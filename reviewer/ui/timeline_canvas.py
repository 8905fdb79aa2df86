"""The drawn part of the timeline: marks, axis, zoom and pan, hover, clicks and keys.

Layout and axis arithmetic live in ``timeline_layout`` and ``timeline_model``; this widget keeps the
view, the selection and the hovered mark, and paints only the marks in sight, so ten thousand
documents stay smooth (no item per document). Its documents come counted (``TimelineData``); the
ones drawn one by one, the selected one and its neighbours are read when needed.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QCursor, QHelpEvent, QPainter
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from reviewer.ui.i18n import translate
from reviewer.ui.status_style import STATUS_COLOURS
from reviewer.ui.timeline_data import TimelineData
from reviewer.ui.timeline_layout import MarkKind, TimelineLayout
from reviewer.ui.timeline_model import Precision, Viewport, fitting_entries
from reviewer.ui.timeline_paint import paint_timeline
from reviewer.ui.words import status_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtGui import QKeyEvent, QMouseEvent, QPaintEvent, QResizeEvent, QWheelEvent

    from reviewer.core.domain.values import VerificationStatus
    from reviewer.ui.timeline_layout import Mark
    from reviewer.ui.timeline_model import TimelineEntry

SIDE = 12.0  # empty pixels left and right of the plot
TOP = 6.0
AXIS = 40.0  # tick labels, then the months or years they belong to
ZOOM_STEP = 1.25
WHEEL_PIXELS = 48.0  # how far one notch of a wheel pans
NAMES_SHOWN = 6  # documents named in a count bar's tooltip


class TimelineCanvas(QWidget):
    """Documents on a time axis; see the module's docstring."""

    activated = Signal(int)  # a document was clicked, or Enter pressed on the selected one
    selectionChanged = Signal(object)  # the selected document's id, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(240, 140)
        self.setAccessibleName(self.tr("Timeline"))
        self._data = TimelineData.of_documents([])
        self._view = fitting_entries([], self._plot_width())
        self._fitted = True
        self._layout: TimelineLayout | None = None
        self._layout_key: tuple[float, float] | None = None
        self._selected: TimelineEntry | None = None
        self._hover: Mark | None = None
        self._press: tuple[QPointF, Viewport] | None = None
        self._dragging = False

    # -- what the view asks --------------------------------------------------------------------------

    @property
    def view(self) -> Viewport:
        """The stretch of time shown."""
        return self._view

    @property
    def selected(self) -> int | None:
        """The id of the highlighted document."""
        return self._selected.id if self._selected is not None else None

    @property
    def selected_entry(self) -> TimelineEntry | None:
        """The highlighted document."""
        return self._selected

    @property
    def data(self) -> TimelineData:
        """The documents shown, counted."""
        return self._data

    @property
    def entries(self) -> list[TimelineEntry]:
        """Every dated document, in time order: all read at once, so for a small case (or a test)."""
        return self._data.entries(self._data.slots)

    def set_data(self, data: TimelineData) -> None:
        """Show these documents; a view the user has not moved fits them all. The selection stays if
        it is among them (read again: its status may have changed)."""
        self._data = data
        self._layout = None
        self._hover = None
        if self._selected is not None:
            self._set_selected(data.entry(self._selected.id))
        if self._fitted:
            self.fit_all()
        self.update()

    def layout_now(self) -> TimelineLayout:
        """The marks for the current zoom and size (made again only when those change, or when the
        view leaves the days whose documents were read)."""
        key = (self._view.px_per_day, float(self.height()))
        view = self._view
        if self._layout is None or self._layout_key != key or not self._layout.covers(view.left, view.right):
            margin = (view.right - view.left) / 2  # read ahead half a view either side, for panning
            window = (view.left - margin, view.right + margin)
            self._layout = TimelineLayout(self._data, view.px_per_day, TOP, self._baseline(), window)
            self._layout_key = key
        return self._layout

    def fit_all(self) -> None:
        """Zoom and pan to show every dated document."""
        self._view = fitting_entries(self._data.slots, self._plot_width())
        self._fitted = True
        self.update()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom by ``factor`` around plot x ``anchor_x`` (the middle when None)."""
        anchor = self._view.width / 2 if anchor_x is None else anchor_x
        self._move_to(self._view.zoomed(factor, anchor))

    def pan(self, dx: float) -> None:
        """Move the plot ``dx`` pixels to the right."""
        self._move_to(self._view.panned(dx))

    def select(self, document_id: int | None, scroll: bool = True) -> None:
        """Highlight a document (None for none), moving the view to it if it is out of sight."""
        if self._selected is not None and document_id == self._selected.id:
            entry: TimelineEntry | None = self._selected
        else:
            entry = self._data.entry(document_id) if document_id is not None else None
        self._select_entry(entry, scroll)

    def _select_entry(self, entry: TimelineEntry | None, scroll: bool = True) -> None:
        self._set_selected(entry)
        if scroll and entry is not None:
            self._move_to(self._view.showing(entry.start, entry.end), keep_fit=True)
        self.update()

    def mark_at(self, point: QPointF) -> Mark | None:
        """The mark under a point of the widget."""
        return self.layout_now().mark_at(point.x() - self._shift(), point.y())

    def document_at(self, point: QPointF) -> int | None:
        """The document under a point, if one is drawn there by itself (not counted with others)."""
        mark = self.mark_at(point)
        entry = self._single(mark) if mark is not None else None
        return entry.id if entry is not None else None

    def mark_rect(self, document_id: int) -> QRectF | None:
        """Where the mark showing a document is on the widget."""
        selected = self._selected
        entry = (
            selected if selected is not None and selected.id == document_id else self._data.entry(document_id)
        )
        mark = self.layout_now().mark_of(entry) if entry is not None else None
        if mark is None:
            return None
        return QRectF(mark.x + self._shift(), mark.y, mark.w, mark.h)

    def plot_rect(self) -> QRectF:
        """The area marks are drawn in (above the axis)."""
        return QRectF(SIDE, TOP, self._plot_width(), self._baseline() - TOP)

    # -- geometry ------------------------------------------------------------------------------------

    def _plot_width(self) -> float:
        return max(float(self.width()) - 2 * SIDE, 1.0)

    def _baseline(self) -> float:
        return max(float(self.height()) - AXIS, TOP + 24)

    def _shift(self) -> float:
        """World x to widget x."""
        return SIDE - self._view.left * self._view.px_per_day

    def _single(self, mark: Mark) -> TimelineEntry | None:
        """The one document a mark stands for (read, for a count of one); None for a count of more."""
        if mark.entries:
            return mark.entries[0] if len(mark.entries) == 1 else None
        found = self._data.first(mark.slots) if mark.total == 1 else []
        return found[0] if found else None

    def _move_to(self, view: Viewport, keep_fit: bool = False) -> None:
        if view != self._view:
            self._view = view
            self._fitted = self._fitted and keep_fit
            self._hover = None
            self.update()

    def _set_selected(self, entry: TimelineEntry | None) -> None:
        before = self._selected
        self._selected = entry
        if entry != before:
            self.setAccessibleDescription(describe_entry(entry) if entry else "")
        if (entry.id if entry else None) != (before.id if before else None):
            self.selectionChanged.emit(entry.id if entry else None)

    # -- Qt events -----------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            paint_timeline(
                painter,
                self,
                self.layout_now(),
                self._view,
                shift=self._shift(),
                selected=self._selected,
                hover=self._hover,
                plot=self.plot_rect(),
            )
        finally:
            painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self._fitted:
            self._view = fitting_entries(self._data.slots, self._plot_width())
        else:
            self._view = self._view.resized(self._plot_width())
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            mark = self.mark_at(QPointF(event.pos()))
            if mark is None:
                QToolTip.hideText()
                event.ignore()
            else:
                rect = QRectF(mark.x + self._shift(), mark.y, mark.w, mark.h).toAlignedRect()
                shown = () if mark.entries else tuple(self._data.first(mark.slots, NAMES_SHOWN))
                QToolTip.showText(event.globalPos(), tooltip(mark, shown), self, rect)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = (event.position(), self._view)
            self._dragging = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            start, view = self._press
            dx = event.position().x() - start.x()
            if self._dragging or abs(dx) >= QApplication.startDragDistance():
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self._move_to(view.panned(dx))
            return
        mark = self.mark_at(event.position())
        if mark is not self._hover:
            self._hover = mark
            self.setCursor(Qt.CursorShape.PointingHandCursor if mark else Qt.CursorShape.ArrowCursor)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        self._press = None
        if self._dragging:
            self._dragging = False
            self.unsetCursor()
            return
        mark = self.mark_at(event.position())
        if mark is not None:
            self._click(mark)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        pixels, angle = event.pixelDelta(), event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            notches = angle.y() / 120 if angle.y() else pixels.y() / 48
            self.zoom(ZOOM_STEP**notches, event.position().x() - SIDE)
        else:
            horizontal = pixels.x() or angle.x() / 120 * WHEEL_PIXELS
            vertical = pixels.y() or angle.y() / 120 * WHEEL_PIXELS
            self.pan(horizontal or vertical)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            self._select_entry(self._data.neighbour(self._selected, step))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._selected is not None:
                self.activated.emit(self._selected.id)
        elif key == Qt.Key.Key_Home:
            self.fit_all()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
            self.zoom(ZOOM_STEP if key != Qt.Key.Key_Minus else 1 / ZOOM_STEP, self._zoom_anchor())
        else:
            super().keyPressEvent(event)

    def _zoom_anchor(self) -> float | None:
        """The cursor if it is over the plot, else the selected document if in sight, else the middle."""
        cursor = self.mapFromGlobal(QCursor.pos())
        if self.rect().contains(cursor):
            return cursor.x() - SIDE
        rect = self.mark_rect(self._selected.id) if self._selected is not None else None
        if rect is not None and 0 <= rect.center().x() - SIDE <= self._view.width:
            return rect.center().x() - SIDE
        return None

    def _click(self, mark: Mark) -> None:
        if mark.kind is MarkKind.BIN and mark.total > 1:
            start, end = mark.days
            closer = Viewport.fitting(start, end, self._view.width)
            if closer.px_per_day > self._view.px_per_day * 1.01:
                self._move_to(closer)  # a count bar opens up into its documents
                return
        first = mark.entries[:1] or self._data.first(mark.slots)
        if first:
            self._select_entry(first[0], scroll=False)
            self.activated.emit(first[0].id)


def describe_entry(entry: TimelineEntry) -> str:
    """One line about a document: date, title, status."""
    known = {
        Precision.MONTH: " " + translate("TimelineView", "(month only)"),
        Precision.YEAR: " " + translate("TimelineView", "(year only)"),
    }.get(entry.precision, "")
    return f"{entry.when}{known} · {entry.label} · {status_label(entry.status)}"


def tooltip(mark: Mark, shown: Sequence[TimelineEntry] = ()) -> str:
    """What hovering a mark tells: one document's details, or the counts behind a bar and the names
    of ``shown`` (a few of its documents, read for it)."""

    def dot(status: VerificationStatus) -> str:
        return f"<span style='color:{STATUS_COLOURS[status].name()}'>●</span>"

    entries = mark.entries or tuple(shown)
    if mark.total == 1 and entries:
        entry = entries[0]
        known = {
            Precision.MONTH: translate("TimelineView", "month only"),
            Precision.YEAR: translate("TimelineView", "year only"),
        }.get(entry.precision)
        when = escape(entry.when) + (f" <i>({known})</i>" if known else "")
        status = f"{dot(entry.status)} {status_label(entry.status)}"
        return f"<b>{escape(entry.label)}</b><br>{when}<br>{status}"
    counted = translate("TimelineView", "{label}: {count} documents").format(
        label=escape(mark.label), count=mark.total
    )
    lines = [f"<b>{counted}</b>"]
    lines += [f"{dot(s)} {status_label(s)}: {n}" for s, n in mark.counts()]
    names = [escape(e.label) for e in entries[:NAMES_SHOWN]]
    more = mark.total - len(names)
    lines.append(
        "<br>".join(names)
        + (
            "<br><i>" + translate("TimelineView", "and {more} more").format(more=more) + "</i>"
            if more
            else ""
        )
    )
    click = (
        translate("TimelineView", "Click to zoom in")
        if mark.kind is MarkKind.BIN
        else translate("TimelineView", "Click for the first")
    )
    lines.append(f"<i>{click}</i>")
    return "<br>".join(lines)
