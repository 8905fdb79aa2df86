"""The list's first screen reads the first ids and their count, not every id of the case (issue 16)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import documents, queries
from reviewer.ui import document_list
from reviewer.ui.document_list import DocumentListModel
from reviewer.ui.roles import DocumentIdRole
from reviewer.ui.thumbnails import ThumbnailCache

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytestqt.modeltest import ModelTester
    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.ui.main_window import MainWindow


class IdReads:
    """Every ``queries.find_documents`` call (every id of a filter read): on the UI thread, and on the
    list's own thread (counted as it starts), which waits while ``gate`` is closed."""

    def __init__(self) -> None:
        self.ui: list[queries.DocumentFilter] = []
        self.background: list[queries.DocumentFilter] = []
        self.gate = threading.Event()
        self.gate.set()


@pytest.fixture
def every_id_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[IdReads]:
    reads = IdReads()
    real = queries.find_documents

    def spy(case: Case, wanted: queries.DocumentFilter) -> list[int]:
        if threading.current_thread() is threading.main_thread():
            reads.ui.append(wanted)
        else:
            reads.background.append(wanted)
            assert reads.gate.wait(10)
        return real(case, wanted)

    monkeypatch.setattr(queries, "find_documents", spy)
    yield reads
    reads.gate.set()


def _shown_ids(model: DocumentListModel) -> list[int]:
    return [model.data(model.index(r, 0), DocumentIdRole) for r in range(model.rowCount())]


def test_the_first_screen_reads_the_first_ids_and_their_count(
    qtmodeltester: ModelTester,
    ui_case: Case,
    every_id_read: IdReads,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    monkeypatch.setattr(document_list, "BATCH", 2)
    every_id_read.gate.clear()  # the rest is not in yet
    model = DocumentListModel(ui_case, ThumbnailCache())
    assert every_id_read.ui == every_id_read.background == []  # the first two ids, how many there are
    assert model.rowCount() == 2
    assert model.total() == 4
    assert model.canFetchMore(model.index(-1, -1))
    assert model.row_of(2) == 1  # among the first: still no other id read
    assert every_id_read.ui == []
    qtbot.waitUntil(lambda: len(every_id_read.background) == 1)  # the rest: started once the loop ran
    every_id_read.gate.set()
    model.fetchMore(model.index(-1, -1))  # the rest, when the view scrolls to them: waited for
    assert every_id_read.ui == []
    assert len(every_id_read.background) == 1
    assert _shown_ids(model) == [1, 2, 3, 4]
    assert not model.canFetchMore(model.index(-1, -1))
    qtmodeltester.check(model)


def test_the_rest_of_the_ids_is_read_off_the_ui_thread(
    ui_case: Case, every_id_read: IdReads, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.setattr(document_list, "BATCH", 1)
    model = DocumentListModel(ui_case, ThumbnailCache())
    qtbot.waitUntil(lambda: model.total() == 4 and model._complete)  # told when read, on the UI thread
    assert every_id_read.ui == []
    assert len(every_id_read.background) == 1
    assert model.document_ids() == [1, 2, 3, 4]
    assert model.rowCount() == 1  # shown as the view scrolls, as before
    assert model.row_of(4) == 3
    assert len(every_id_read.background) == 1
    assert every_id_read.ui == []


def test_a_far_document_in_title_order_is_placed_without_the_other_ids(
    qtmodeltester: ModelTester,
    ui_case: Case,
    every_id_read: IdReads,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    monkeypatch.setattr(document_list, "BATCH", 1)
    order = queries.find_documents(ui_case, queries.DocumentFilter(sort="title"))
    every_id_read.ui.clear()
    every_id_read.gate.clear()  # the rest is not read while the far document is shown
    model = DocumentListModel(ui_case, ThumbnailCache())
    model.sort(0)  # by title: note, page.png, rotated, scan
    qtbot.waitUntil(lambda: len(every_id_read.background) == 1)  # started (by title alone), held
    assert every_id_read.background == [model.current_filter]
    assert model.row_of(order[3]) == 3  # its place counted in the database, its block's id read alone
    assert model.rowCount() == 4
    assert model.document_id(3) == order[3]
    assert model.row_of(999) is None
    assert model.data(model.index(1, 0), DocumentIdRole) == order[1]  # a row between, drawn: read alone
    assert every_id_read.ui == []
    assert not model._complete
    every_id_read.gate.set()
    assert model.document_ids() == order  # every id: the thread's, waited for
    assert every_id_read.ui == []
    qtmodeltester.check(model)


def test_a_far_document_in_another_order_waits_for_every_id(
    ui_case: Case, every_id_read: IdReads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted in the database, its place would read rows (by type at 250,000 documents: 107 ms)."""
    monkeypatch.setattr(document_list, "BATCH", 1)
    model = DocumentListModel(ui_case, ThumbnailCache())
    model.sort(1)  # by type
    order = queries.find_documents(ui_case, queries.DocumentFilter(sort="type"))
    every_id_read.ui.clear()
    assert model.row_of(order[3]) == 3  # the loop has not run: read here
    assert every_id_read.ui == [model.current_filter]
    assert model.document_ids() == order
    assert len(every_id_read.ui) == 1


def test_a_filter_reads_every_id_at_once(
    ui_case: Case, every_id_read: IdReads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window looks for the document shown among a filter's documents next: they are all read."""
    monkeypatch.setattr(document_list, "BATCH", 1)
    documents.set_status(ui_case, 3, VerificationStatus.DISPUTED, "stamp")
    documents.set_status(ui_case, 4, VerificationStatus.DISPUTED, "stamp")
    model = DocumentListModel(ui_case, ThumbnailCache())
    model.set_filter(queries.DocumentFilter(status=VerificationStatus.DISPUTED))
    assert len(every_id_read.ui) == 1
    assert model.total() == 2
    assert model.row_of(4) == 1
    assert len(every_id_read.ui) == 1


def test_a_case_changed_before_the_rest_is_read_is_shown_as_it_is_now(
    qtmodeltester: ModelTester,
    ui_case: Case,
    every_id_read: IdReads,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    monkeypatch.setattr(document_list, "BATCH", 1)
    every_id_read.gate.clear()
    model = DocumentListModel(ui_case, ThumbnailCache())
    model.sort(0)  # by title: the note is first
    qtbot.waitUntil(lambda: len(every_id_read.background) == 1)  # the rest being read, held
    first = _shown_ids(model)
    documents.set_metadata(ui_case, first[0], {"title": "Zzz last now"})  # elsewhere, no reload yet
    every_id_read.gate.set()
    model.fetchMore(model.index(-1, -1))
    qtbot.waitUntil(lambda: model._complete)  # the rest is in: the list as the case is now
    now = queries.find_documents(ui_case, queries.DocumentFilter(sort="title"))
    assert now[-1] == first[0]
    assert _shown_ids(model) == now[: model.rowCount()]
    assert model.document_ids() == now
    qtmodeltester.check(model)


def test_a_far_document_shown_before_a_change_is_shown_as_the_case_is_now(
    qtmodeltester: ModelTester, ui_case: Case, every_id_read: IdReads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its block was read alone, then a document before it moved to the end: when the rest comes in,
    the list is shown as the case is now (not with the far block where it was)."""
    monkeypatch.setattr(document_list, "BATCH", 1)
    every_id_read.gate.clear()
    model = DocumentListModel(ui_case, ThumbnailCache())
    model.sort(0)
    before = queries.find_documents(ui_case, queries.DocumentFilter(sort="title"))
    assert model.row_of(before[2]) == 2
    documents.set_metadata(ui_case, before[1], {"title": "Zzz last now"})
    every_id_read.gate.set()
    now = queries.find_documents(ui_case, queries.DocumentFilter(sort="title"))
    assert model.document_ids() == now
    assert _shown_ids(model) == now[: model.rowCount()]
    qtmodeltester.check(model)


def test_clearing_a_filter_keeps_the_document_shown(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_list, "BATCH", 1)  # the document shown is past the first ids
    window.open_document(4)
    window.filters.text.setText("scan")
    qtbot.waitUntil(lambda: window.model.total() < 4)
    window.filters.text.setText("")
    qtbot.waitUntil(lambda: window.model.total() == 4)
    assert window.current_document_id == 4
    assert window.model.document_id(window.list.currentIndex().row()) == 4
