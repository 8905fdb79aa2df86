"""The timeline: date arithmetic and layout without painting, then the real widget driven offscreen."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolButton

from reviewer.core.domain.records import DocumentSummary
from reviewer.core.domain.values import VerificationStatus
from reviewer.ui.timeline import TimelineView
from reviewer.ui.timeline_canvas import tooltip
from reviewer.ui.timeline_data import TimelineData
from reviewer.ui.timeline_layout import DOT, MarkKind, TimelineLayout, count_steps
from reviewer.ui.timeline_model import Precision, Viewport, axis, entry_of, fitting_entries, split_documents

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytestqt.qtbot import QtBot

    from reviewer.ui.timeline_model import TimelineEntry

STATUSES = list(VerificationStatus)


def _doc(
    id_: int, date: str | None, status: VerificationStatus = VerificationStatus.VERIFIED
) -> DocumentSummary:
    return DocumentSummary(
        id=id_,
        sha256=f"{id_:064x}",
        title=f"Note verbale {id_}",
        display_name=f"note-{id_}.pdf",
        doc_type="diplomatic_note",
        document_date=date,
        status=status,
        tags=(),
        page_count=1,
        size=1000,
        media_type="application/pdf",
        imported_at="2024-05-01T10:00:00Z",
    )


def _day(text: str) -> int:
    return datetime.date.fromisoformat(text).toordinal()


SAMPLE = [
    _doc(1, "2018-03-05", VerificationStatus.VERIFIED),
    _doc(2, "2018-03-05", VerificationStatus.DISPUTED),
    _doc(3, "2017-11-20", VerificationStatus.IN_REVIEW),
    _doc(4, "2019-02", VerificationStatus.UNVERIFIED),
    _doc(5, "2019", VerificationStatus.FABRICATED),
    _doc(6, None),
    _doc(7, "2020-07-01", VerificationStatus.VERIFIED),
    _doc(8, "", VerificationStatus.VERIFIED),
]


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[TimelineView]:
    """The timeline on SAMPLE, shown offscreen at a realistic size."""
    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.resize(1000, 360)
    widget.set_documents(SAMPLE)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


def _centre(view: TimelineView, document_id: int) -> QPoint:
    rect = view.canvas.mark_rect(document_id)
    assert rect is not None
    return rect.center().toPoint()


# -- arithmetic, no widget ------------------------------------------------------------------------------


def test_partial_dates_become_spans_of_a_month_or_a_year() -> None:
    year, month, day = (entry_of(_doc(1, d)) for d in ("2019", "2019-02", "2019-02-14"))
    assert year is not None
    assert month is not None
    assert day is not None
    assert (year.precision, year.start, year.end) == (Precision.YEAR, _day("2019-01-01"), _day("2020-01-01"))
    assert (month.precision, month.end - month.start) == (Precision.MONTH, 28)
    assert (day.precision, day.end - day.start) == (Precision.DAY, 1)
    assert (year.when, month.when, day.when) == ("2019", "February 2019", "14 February 2019")
    assert entry_of(_doc(1, "2019-02-30")) is None, "a stored impossible date is undated, not a crash"


def test_undated_documents_are_set_apart_and_the_rest_sorted_in_time() -> None:
    dated, undated = split_documents(SAMPLE)
    assert [d.id for d in undated] == [6, 8]
    assert [e.id for e in dated] == [3, 1, 2, 5, 4, 7]


def test_zooming_keeps_the_day_under_the_cursor() -> None:
    view = Viewport(_day("2018-01-01"), 1.0, 800)
    under = view.ordinal_at(300)
    closer = view.zoomed(4, 300)
    assert closer.px_per_day == 4
    assert closer.ordinal_at(300) == pytest.approx(under)
    assert closer.panned(100).ordinal_at(400) == pytest.approx(under)


def _layout(
    documents: list[DocumentSummary], px_per_day: float, top: float, baseline: float
) -> TimelineLayout:
    return TimelineLayout(TimelineData.of_documents(documents), px_per_day, top, baseline)


def _entry(document: DocumentSummary) -> TimelineEntry:
    entry = entry_of(document)
    assert entry is not None
    return entry


def test_layout_stacks_one_day_and_finds_what_is_under_a_point() -> None:
    layout = _layout(SAMPLE, px_per_day=0.8, top=0, baseline=300)
    first, second = layout.mark_of(_entry(SAMPLE[0])), layout.mark_of(_entry(SAMPLE[1]))
    assert first is not None
    assert second is not None
    assert first.kind is second.kind is MarkKind.DOT
    assert first.x == second.x
    assert abs(first.y - second.y) >= DOT, "same day: stacked, not hidden"
    for mark in (first, second):
        assert layout.mark_at(mark.x + DOT / 2, mark.y + DOT / 2) is mark
    assert layout.mark_at(first.x + DOT / 2, first.y - 40) is None
    month, year = layout.mark_of(_entry(SAMPLE[3])), layout.mark_of(_entry(SAMPLE[4]))
    assert month is not None
    assert year is not None
    assert month.kind is year.kind is MarkKind.SPAN
    assert month.w == pytest.approx(28 * 0.8 - 2)
    assert year.w == pytest.approx(365 * 0.8 - 2)
    assert month.y != year.y, "a month inside a year goes in another lane"
    assert layout.span_band is not None
    assert layout.span_band[1] < first.y


def test_too_many_for_the_height_become_counts() -> None:
    crowd = [_doc(i, "2018-06-14", STATUSES[i % 5]) for i in range(100)]
    crowd += [_doc(100 + i, "2018-07", STATUSES[i % 5]) for i in range(100)]
    layout = _layout(crowd, px_per_day=2.0, top=0, baseline=200)
    assert layout.days_counted
    assert layout.spans_counted
    assert layout.read == 0, "counted from the counts: no document read"
    marks = list(layout.visible(-1e12, 1e12))
    assert {m.kind for m in marks} == {MarkKind.BIN, MarkKind.GROUP}
    assert sum(m.total for m in marks) == 200
    assert dict(marks[-1].counts()) == dict.fromkeys(STATUSES, 20)
    assert count_steps(180) == [50, 100, 150]
    assert count_steps(230) == [100, 200]


def test_axis_counts_in_years_months_or_days_by_zoom() -> None:
    wide = axis(fitting_entries(split_documents(SAMPLE)[0], 900))
    assert wide.unit is Precision.MONTH
    assert {"2018", "2019"} <= {p.label for p in wide.periods}
    assert [t.label for t in axis(Viewport(_day("2000-01-01"), 0.02, 900)).ticks if t.major][:2] == [
        "2000",
        "2010",
    ]
    days = axis(Viewport(_day("2018-03-01"), 80, 900))
    assert days.unit is Precision.DAY
    assert [t.label for t in days.ticks if t.major][:3] == ["1", "2", "3"]
    assert days.periods[0].label == "March 2018"


def test_neighbours_follow_time_order() -> None:
    data = TimelineData.of_documents(SAMPLE)
    walked = [data.neighbour(None, 1)]
    for _ in range(6):
        walked.append(data.neighbour(walked[-1], 1))
    assert [e.id if e else None for e in walked] == [3, 1, 2, 5, 4, 7, 7]
    last = data.neighbour(None, -1)
    assert last is not None
    assert last.id == 7
    back = [last]
    for _ in range(6):
        back.append(data.neighbour(back[-1], -1))
    assert [e.id if e else None for e in back] == [7, 4, 5, 2, 1, 3, 3]


# -- the widget ----------------------------------------------------------------------------------------


def test_undated_documents_are_counted_where_one_sees_them(view: TimelineView) -> None:
    assert view.undated_count == 2
    assert view.undated.isVisible()
    assert view.undated.text() == "No date: 2"
    view.set_documents(SAMPLE[:2])
    assert not view.undated.isVisible()


def test_clicking_a_dot_activates_its_document(qtbot: QtBot, view: TimelineView) -> None:
    for document_id in (2, 4, 5):
        point = _centre(view, document_id)
        assert view.canvas.document_at(QPointF(point)) == document_id
        with qtbot.waitSignal(view.documentActivated) as signal:
            qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point)
        assert signal.args == [document_id]
        assert view.selected_document() == document_id
        assert "Note verbale" in view.caption.text()


def test_everything_fits_after_zoom_and_pan_and_home(qtbot: QtBot, view: TimelineView) -> None:
    canvas = view.canvas
    plot = canvas.plot_rect()

    def all_visible() -> bool:
        rects = [canvas.mark_rect(e.id) for e in canvas.entries]
        return all(r is not None and plot.left() <= r.left() and r.right() <= plot.right() for r in rects)

    assert all_visible()
    anchor = QPointF(_centre(view, 1))
    day_before = canvas.view.ordinal_at(anchor.x() - plot.left())
    wheel = QWheelEvent(
        anchor,
        QPointF(canvas.mapToGlobal(anchor.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * 5),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, wheel)
    assert canvas.view.px_per_day > 2.5 * fitting_entries(canvas.entries, plot.width()).px_per_day
    assert canvas.view.ordinal_at(anchor.x() - plot.left()) == pytest.approx(day_before)
    assert not all_visible()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    assert all_visible()
    canvas.pan(300)
    assert not all_visible()
    fit = next(b for b in view.findChildren(QToolButton) if b.text() == "Fit all")
    qtbot.mouseClick(fit, Qt.MouseButton.LeftButton)
    assert all_visible()


def test_dragging_pans(qtbot: QtBot, view: TimelineView) -> None:
    canvas = view.canvas
    before = canvas.view.left
    start = QPoint(500, 100)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, QPoint(600, 100))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(600, 100))
    assert canvas.view.left < before


def test_keyboard_walks_in_time_and_enter_activates(qtbot: QtBot, view: TimelineView) -> None:
    canvas = view.canvas
    canvas.setFocus()
    seen = []
    for _ in range(6):
        qtbot.keyClick(canvas, Qt.Key.Key_Right)
        seen.append(view.selected_document())
    assert seen == [3, 1, 2, 5, 4, 7]
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    with qtbot.waitSignal(view.documentActivated) as signal:
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert signal.args == [4]
    assert view.caption.text().startswith("February 2019 (month only)")


def test_selecting_from_the_list_brings_the_document_into_view(view: TimelineView) -> None:
    canvas = view.canvas
    canvas.zoom(200)
    view.select_document(7)
    rect = canvas.mark_rect(7)
    assert rect is not None
    assert canvas.plot_rect().contains(rect.center())
    view.select_document(6)
    assert view.selected_document() is None, "an undated document has no place here"
    view.select_document(3)
    view.set_documents(SAMPLE[3:])
    assert view.selected_document() is None, "filtered out: no longer selected"


def test_ten_thousand_documents_paint(view: TimelineView) -> None:
    many = [
        _doc(
            i,
            f"{2015 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 9 else f"{2015 + i % 6}",
            STATUSES[i % 5],
        )
        for i in range(10_000)
    ]
    view.set_documents(many)
    image = view.grab().toImage()
    assert not image.isNull()
    assert image.width() == view.width()
    layout = view.canvas.layout_now()
    assert layout.days_counted
    assert sum(m.total for m in layout.visible(-1e12, 1e12)) == 10_000
    view.canvas.zoom(300)
    assert not view.grab().toImage().isNull()


def test_tooltips_tell_the_document_or_the_counts() -> None:
    documents = [*SAMPLE, _doc(9, "2017-11-20", VerificationStatus.DISPUTED)]
    layout = _layout(documents, 1.0, 0, 300)
    month = layout.mark_of(_entry(SAMPLE[3]))
    assert month is not None
    assert tooltip(month) == (
        "<b>Note verbale 4</b><br>February 2019 <i>(month only)</i><br>"
        "<span style='color:#8a8f98'>●</span> Unverified"
    )
    crowded = _layout(documents, 1.0, 0, 20)
    both = crowded.mark_of(_entry(SAMPLE[2]))
    assert both is not None
    assert both.kind is MarkKind.BIN
    assert "November 2017: 2 documents" in tooltip(both)
    assert "In review: 1" in tooltip(both)
    assert "Disputed: 1" in tooltip(both)


def test_a_view_the_user_moved_stays_when_the_filter_changes(view: TimelineView) -> None:
    canvas = view.canvas
    canvas.zoom(8)
    zoomed = canvas.view
    view.set_documents(SAMPLE[:4])
    assert canvas.view == zoomed
    view.fit_all()
    view.set_documents(SAMPLE[4:])
    assert canvas.view == fitting_entries(canvas.entries, canvas.plot_rect().width())


def test_paints_in_the_palette_of_a_dark_theme(view: TimelineView) -> None:
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    view.setPalette(palette)
    image = view.canvas.grab().toImage()
    assert image.pixelColor(5, image.height() // 2) == QColor("#1e1e1e")
