"""Painting the timeline in the widget's palette (light or dark), with one colour per status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen

from reviewer.ui.i18n import translate
from reviewer.ui.status_style import STATUS_COLOURS
from reviewer.ui.timeline_layout import MarkKind, count_steps
from reviewer.ui.timeline_model import axis

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from reviewer.core.domain.values import VerificationStatus
    from reviewer.ui.timeline_layout import Mark, TimelineLayout
    from reviewer.ui.timeline_model import Axis, TimelineEntry, Viewport


def _alpha(colour: QColor, alpha: int) -> QColor:
    faded = QColor(colour)
    faded.setAlpha(alpha)
    return faded


def _small(font: QFont, scale: float = 0.88, bold: bool = False) -> QFont:
    smaller = QFont(font)
    size = font.pointSizeF()
    if size > 0:
        smaller.setPointSizeF(max(size * scale, 6.5))
    if bold:
        smaller.setWeight(QFont.Weight.DemiBold)
    return smaller


def paint_timeline(
    painter: QPainter,
    widget: QWidget,
    layout: TimelineLayout,
    view: Viewport,
    *,
    shift: float,
    selected: TimelineEntry | None,
    hover: Mark | None,
    plot: QRectF,
) -> None:
    """Paint background, shading, captions, marks, highlights and the axis."""
    palette = widget.palette()
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    muted = palette.color(QPalette.ColorRole.PlaceholderText)
    painter.fillRect(widget.rect(), base)
    ticks = axis(view)
    _paint_grid(painter, ticks, plot, text)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _paint_captions(painter, widget, layout, plot, muted)
    marks = list(layout.visible(-shift, widget.width() - shift))
    _paint_marks(painter, widget, marks, shift, base, text)
    if layout.days_counted:
        _paint_count_scale(painter, widget, layout, plot, text)
    if hover is not None:
        _outline(painter, hover, shift, QPen(_alpha(text, 170), 1.5), 2.0)
    if selected is not None:
        _paint_selection(painter, layout, selected, shift, plot, palette.color(QPalette.ColorRole.Highlight))
    _paint_axis(painter, widget, ticks, plot, text)
    if layout.empty:
        painter.setPen(muted)
        painter.drawText(
            plot, Qt.AlignmentFlag.AlignCenter, translate("TimelineView", "No dated documents to show")
        )
    if widget.hasFocus():
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(_alpha(palette.color(QPalette.ColorRole.Highlight), 200), 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(widget.rect()).adjusted(0.5, 0.5, -0.5, -0.5))


def _paint_grid(painter: QPainter, ticks: Axis, plot: QRectF, text: QColor) -> None:
    left, top, bottom = plot.left(), plot.top(), plot.bottom()
    shade = _alpha(text, 10)
    for period in ticks.periods:
        if period.odd:
            x0, x1 = max(period.x0, 0.0) + left, min(period.x1, plot.width()) + left
            if x1 > x0:
                painter.fillRect(QRectF(x0, top, x1 - x0, bottom - top), shade)
    painter.setPen(QPen(_alpha(text, 26), 1.0))
    for tick in ticks.ticks:
        if tick.major and 0 <= tick.x <= plot.width():
            x = round(tick.x + left) + 0.5
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))


def _paint_captions(
    painter: QPainter, widget: QWidget, layout: TimelineLayout, plot: QRectF, muted: QColor
) -> None:
    if layout.span_band is None:
        return
    painter.setFont(_small(widget.font(), 0.82))
    painter.setPen(muted)
    counted = translate("TimelineView", " — counted per month and year") if layout.spans_counted else ""
    painter.drawText(
        QPointF(plot.left() + 2, layout.span_band[0] + 11),
        translate("TimelineView", "Dated to the month or year") + counted,
    )
    top = layout.day_band[0]
    painter.setPen(QPen(_alpha(muted, 90), 1.0, Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(plot.left(), top - 6.5), QPointF(plot.right(), top - 6.5))
    painter.setPen(muted)
    counted = translate("TimelineView", " — counted") if layout.days_counted else ""
    painter.drawText(
        QPointF(plot.left() + 2, top + 9), translate("TimelineView", "Dated to the day") + counted
    )


def _paint_marks(
    painter: QPainter, widget: QWidget, marks: list[Mark], shift: float, base: QColor, text: QColor
) -> None:
    dots: dict[VerificationStatus, list[QRectF]] = {}
    count_font = _small(widget.font(), 0.8, bold=True)
    metrics = QFontMetricsF(count_font)
    painter.setFont(count_font)
    fits = all(metrics.horizontalAdvance(str(m.total)) <= m.w + 2 for m in marks if m.kind is MarkKind.BIN)
    for mark in marks:
        rect = QRectF(mark.x + shift, mark.y, mark.w, mark.h)
        if mark.kind is MarkKind.DOT:
            dots.setdefault(mark.entries[0].status, []).append(rect)
        elif mark.kind is MarkKind.SPAN or (mark.kind is MarkKind.GROUP and mark.total == 1):
            colour = STATUS_COLOURS[mark.counts()[0][0]]  # one document: a bar of its own
            painter.setPen(QPen(colour, 1.3))
            painter.setBrush(_alpha(colour, 80))
            radius = min(3.0, rect.width() / 4)  # a narrow month must not pass for a dot
            painter.drawRoundedRect(rect.adjusted(0.65, 0.65, -0.65, -0.65), radius, radius)
        elif mark.kind is MarkKind.GROUP:
            _segments(painter, mark, rect, horizontal=True)
            painter.setPen(QPen(_alpha(text, 90), 1.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
            label = str(mark.total)
            if metrics.horizontalAdvance(label) + 6 <= rect.width():
                painter.setPen(QColor("white"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        else:
            _segments(painter, mark, rect, horizontal=False)
            if fits:  # all or none: some bars counted and others not would read as a pattern
                label = str(mark.total)
                x = rect.center().x() - metrics.horizontalAdvance(label) / 2
                painter.setPen(_alpha(text, 200))
                painter.drawText(QPointF(x, rect.top() - 2 - metrics.descent()), label)
    painter.setPen(QPen(base, 1.0))
    for status, rects in dots.items():
        painter.setBrush(STATUS_COLOURS[status])
        for rect in rects:
            painter.drawEllipse(rect)


def _paint_count_scale(
    painter: QPainter, widget: QWidget, layout: TimelineLayout, plot: QRectF, text: QColor
) -> None:
    """Faint lines at round counts across the count bars, numbered at the left."""
    font = _small(widget.font(), 0.78)
    metrics = QFontMetricsF(font)
    painter.setFont(font)
    baseline = plot.bottom()
    for count in count_steps(layout.tallest):
        y = round(baseline - count * layout.px_per_document) + 0.5
        painter.setPen(QPen(_alpha(text, 45), 1.0, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        label = str(count)
        box = QRectF(
            plot.left() + 1, y - metrics.height() - 1, metrics.horizontalAdvance(label) + 4, metrics.height()
        )
        painter.fillRect(box, _alpha(widget.palette().color(QPalette.ColorRole.Base), 200))
        painter.setPen(_alpha(text, 170))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)


def _segments(painter: QPainter, mark: Mark, rect: QRectF, *, horizontal: bool) -> None:
    """A bar split by status in proportion to the counts: left to right, or bottom to top."""
    painter.setPen(Qt.PenStyle.NoPen)
    total = mark.total
    done = 0.0
    for status, count in mark.counts():
        share = count / total
        if horizontal:
            part = QRectF(rect.left() + done * rect.width(), rect.top(), share * rect.width(), rect.height())
        else:
            height = share * rect.height()
            part = QRectF(rect.left(), rect.bottom() - done * rect.height() - height, rect.width(), height)
        painter.fillRect(part, STATUS_COLOURS[status])
        done += share


def _outline(painter: QPainter, mark: Mark, shift: float, pen: QPen, grow: float) -> None:
    rect = QRectF(mark.x + shift, mark.y, mark.w, mark.h).adjusted(-grow, -grow, grow, grow)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if mark.kind is MarkKind.DOT:
        painter.drawEllipse(rect)
    else:
        painter.drawRoundedRect(rect, 3, 3)


def _paint_selection(
    painter: QPainter,
    layout: TimelineLayout,
    entry: TimelineEntry,
    shift: float,
    plot: QRectF,
    highlight: QColor,
) -> None:
    mark = layout.mark_of(entry)
    if mark is None:
        return
    _outline(painter, mark, shift, QPen(highlight, 2.5), 3.0 if mark.kind is MarkKind.DOT else 2.5)
    # the document's day, month or year, marked on the axis: what a count bar cannot show
    x0 = entry.start * layout.px_per_day + shift
    x1 = max(entry.end * layout.px_per_day + shift, x0 + 4)
    painter.fillRect(QRectF(x0, plot.bottom() - 1.5, x1 - x0, 3.5), highlight)


def _paint_axis(painter: QPainter, widget: QWidget, ticks: Axis, plot: QRectF, text: QColor) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    left, baseline, width = plot.left(), plot.bottom(), float(widget.width())
    painter.setPen(QPen(_alpha(text, 140), 1.0))
    painter.drawLine(QPointF(0, baseline), QPointF(width, baseline))
    label_font = _small(widget.font(), 0.88)
    metrics = QFontMetricsF(label_font)
    painter.setFont(label_font)
    majors = sorted((t for t in ticks.ticks if t.major), key=lambda t: t.x)
    for tick in ticks.ticks:
        x = round(tick.x + left) + 0.5
        if -20 <= x <= width + 20:
            painter.setPen(QPen(_alpha(text, 140 if tick.major else 80), 1.0))
            painter.drawLine(QPointF(x, baseline), QPointF(x, baseline + (7 if tick.major else 3)))
    painter.setPen(_alpha(text, 215))
    for index, tick in enumerate(majors):
        x = tick.x + left + 4
        following = majors[index + 1].x + left if index + 1 < len(majors) else width + 200
        if x + metrics.horizontalAdvance(tick.label) < following - 4 and x < width:
            painter.drawText(QPointF(x, baseline + 4 + metrics.ascent()), tick.label)
    period_font = _small(widget.font(), 0.88, bold=True)
    painter.setFont(period_font)
    metrics = QFontMetricsF(period_font)
    row = baseline + 20
    for period in ticks.periods:
        if not period.label:
            continue
        x0, x1 = period.x0 + left, period.x1 + left
        if x1 < 0 or x0 > width:
            continue
        painter.setPen(QPen(_alpha(text, 80), 1.0))
        edge = round(x0) + 0.5
        painter.drawLine(QPointF(edge, baseline), QPointF(edge, row + metrics.height()))
        start = max(x0, left - 8) + 4
        room = min(x1, width) - start - 4
        label = next((t for t in (period.label, period.short) if metrics.horizontalAdvance(t) <= room), None)
        if label:
            painter.setPen(_alpha(text, 200))
            painter.drawText(QPointF(start, row + metrics.ascent()), label)
