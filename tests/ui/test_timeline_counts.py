"""The timeline drawn from counts, its documents read only where drawn one by one (issue 16)."""

from __future__ import annotations

import datetime
import gc
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPointF, Qt

from reviewer.core.domain.records import DocumentSummary
from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import documents
from reviewer.ui.app import freeze_long_lived
from reviewer.ui.timeline import TimelineView
from reviewer.ui.timeline_data import TimelineData
from reviewer.ui.timeline_layout import MarkKind
from reviewer.ui.words import status_label

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.core.services.queries import TimelinePoint
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.timeline_data import Reader

STATUSES = list(VerificationStatus)
FIRST = datetime.date(2015, 1, 1).toordinal()
DAYS = 6 * 365
CROWD = 12_000


def _doc(id_: int, date: str | None, status: VerificationStatus) -> DocumentSummary:
    return DocumentSummary(
        id=id_,
        sha256=f"{id_:064x}",
        title=f"Letter {id_}",
        display_name=f"letter-{id_}.pdf",
        doc_type="letter",
        document_date=date,
        status=status,
        tags=(),
        page_count=1,
        size=1000,
        media_type="application/pdf",
        imported_at="2024-05-01T10:00:00Z",
    )


def _crowd() -> list[DocumentSummary]:
    """Six years of letters, a handful every day; a month or a year known for some, none for a few."""
    found = []
    for i in range(1, CROWD + 1):
        day = datetime.date.fromordinal(FIRST + i * 7919 % DAYS)
        date = day.isoformat() if i % 10 else day.isoformat()[:7] if i % 20 else str(day.year)
        found.append(_doc(i, None if i % 97 == 0 else date, STATUSES[i % 5]))
    return found


class Spy:
    """A reader that counts the documents read through it."""

    def __init__(self, inner: Reader) -> None:
        self.inner = inner
        self.read = 0
        self.calls = 0

    def points(self, dates: Sequence[str], **limits: object) -> list[TimelinePoint]:
        found = self.inner.points(dates, **limits)  # type: ignore[arg-type]
        self.calls += 1
        self.read += len(found)
        return found

    def point(self, document_id: int) -> TimelinePoint | None:
        self.calls += 1
        return self.inner.point(document_id)


@pytest.fixture
def spied(qtbot: QtBot) -> Iterator[tuple[TimelineView, Spy]]:
    """The timeline of the crowd, shown, its documents read through a spy."""
    data = TimelineData.of_documents(_crowd())
    spy = Spy(data.reader)
    data.reader = spy
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1200, 400)
    view._show(data)
    view.show()
    qtbot.waitExposed(view)
    yield view, spy
    view.close()


def test_zoomed_out_the_timeline_is_drawn_from_counts_alone(spied: tuple[TimelineView, Spy]) -> None:
    view, spy = spied
    assert not view.grab().toImage().isNull()
    layout = view.canvas.layout_now()
    assert layout.days_counted
    assert layout.spans_counted
    assert (spy.calls, layout.read) == (0, 0), "no document read one by one for count bars"
    marks = list(layout.visible(-1e12, 1e12))
    assert sum(m.total for m in marks) == CROWD - CROWD // 97
    assert view.undated_count == CROWD // 97
    assert sum(view.canvas.data.totals.values()) == CROWD - CROWD // 97
    assert len(view.canvas.data.slots) < CROWD / 2, "a slot per date, not per document"


def test_zoomed_in_only_the_documents_in_sight_are_read(
    qtbot: QtBot, spied: tuple[TimelineView, Spy]
) -> None:
    view, spy = spied
    canvas = view.canvas
    while canvas.layout_now().days_counted:
        canvas.zoom(2)
    layout = canvas.layout_now()
    assert 0 < layout.read < CROWD / 4, "the days around the view, not every document"
    shown = [m for m in layout.visible(-canvas._shift(), canvas.width() - canvas._shift())]
    dots = [m for m in shown if m.kind is MarkKind.DOT]
    assert dots
    assert all(len(m.entries) == 1 for m in dots)
    target = dots[len(dots) // 2]
    point = QPointF(target.x + target.w / 2 + canvas._shift(), target.y + target.h / 2)
    with qtbot.waitSignal(view.documentActivated) as signal:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert signal.args == [target.entries[0].id]
    entry = target.entries[0]
    assert view.caption.text() == f"{entry.when} · Letter {entry.id} · {status_label(entry.status)}"

    before = spy.read
    canvas.pan(-3 * canvas.width())  # far past what was read: read again, for the new days
    panned = canvas.layout_now()
    assert panned is not layout
    assert spy.read > before
    assert any(
        m.kind is MarkKind.DOT for m in panned.visible(-canvas._shift(), canvas.width() - canvas._shift())
    )

    far = 5  # a document far from the view: selected, it is brought into sight and drawn
    view.select_document(far)
    rect = canvas.mark_rect(far)
    assert rect is not None
    assert canvas.plot_rect().contains(rect.center())

    canvas.setFocus()
    walked = [far]
    for _ in range(30):  # the keyboard walks on in time order, across what was read
        qtbot.keyClick(canvas, Qt.Key.Key_Right)
        walked.append(view.selected_document())
    entries = {e.id: e for e in canvas.entries}
    order = sorted(entries.values(), key=lambda e: (e.start, e.end, e.id))
    start = next(i for i, e in enumerate(order) if e.id == far)
    assert walked == [e.id for e in order[start : start + 31]]


def test_a_count_bar_of_one_opens_its_document(qtbot: QtBot) -> None:
    data = TimelineData.of_documents(
        [_doc(1, "2019", VerificationStatus.DISPUTED)]
        + [_doc(i, "2019", VerificationStatus.VERIFIED) for i in range(2, 60)]
        + [_doc(99, "2018", VerificationStatus.FABRICATED)]
    )
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(800, 200)
    view._show(data)
    layout = view.canvas.layout_now()
    assert layout.spans_counted
    alone = layout.mark_of(data.neighbour(None, 1))  # 2018: one document, counted with the others
    assert alone is not None
    assert alone.total == 1
    assert alone.kind is MarkKind.GROUP
    point = QPointF(alone.x + alone.w / 2 + view.canvas._shift(), alone.y + alone.h / 2)
    assert view.canvas.document_at(point) == 99
    with qtbot.waitSignal(view.documentActivated) as signal:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert signal.args == [99]


def test_a_status_changed_elsewhere_shows_on_the_timeline(window: MainWindow, ui_case: Case) -> None:
    documents.set_metadata(ui_case, 2, {"document_date": "2019-05"})
    documents.set_metadata(ui_case, 3, {"document_date": "2019-05-04", "title": "Letter"})
    window.model.reload()
    window._update_count()
    window.browse.setCurrentWidget(window.timeline)
    window.open_document(3)  # chosen in the list: the timeline shows it selected
    assert window.timeline.selected_document() == 3
    assert window.timeline.canvas.data.totals == {VerificationStatus.UNVERIFIED: 2}
    documents.set_status(ui_case, 3, VerificationStatus.DISPUTED, "the stamp is of another office")
    window._changed_elsewhere([3])  # what a shared case's live updates call
    assert window.timeline.canvas.data.totals == {
        VerificationStatus.UNVERIFIED: 1,
        VerificationStatus.DISPUTED: 1,
    }
    selected = window.timeline.canvas.selected_entry
    assert selected is not None
    assert (selected.id, selected.status) == (3, VerificationStatus.DISPUTED)
    assert window.timeline.caption.text().endswith("Disputed")


def test_once_the_window_is_up_full_collections_leave_it_alone(window: MainWindow) -> None:
    """The timeline's p95 was a full collection walking every long-lived object (issue 16)."""
    before = len(gc.get_objects())
    try:
        freeze_long_lived()
        assert gc.get_freeze_count() > 0
        assert len(gc.get_objects()) < before / 10, "what the window holds is not walked again"
        assert window.model.rowCount()  # and it still works
    finally:
        gc.unfreeze()


def test_a_status_changed_in_the_window_shows_on_the_timeline_and_its_undo_too(
    window: MainWindow, ui_case: Case
) -> None:
    documents.set_metadata(ui_case, 3, {"document_date": "2019-05-04", "title": "Letter"})
    window.model.reload()
    window._update_count()
    window.browse.setCurrentWidget(window.timeline)
    window.open_document(3)
    assert window.timeline.canvas.data.totals == {VerificationStatus.UNVERIFIED: 1}
    window.set_status(VerificationStatus.DISPUTED)
    dialog = window.rationale_dialog
    assert dialog is not None
    dialog.text.setPlainText("the stamp is of another office")
    dialog.accept()
    assert window.timeline.canvas.data.totals == {VerificationStatus.DISPUTED: 1}
    assert window.timeline.caption.text().endswith("Disputed")
    window.edits.undo_stack.undo()
    assert window.timeline.canvas.data.totals == {VerificationStatus.UNVERIFIED: 1}
