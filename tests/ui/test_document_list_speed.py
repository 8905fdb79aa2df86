"""The list's first screen reads the first ids and their count, not every id of the case (issue 16)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import documents, queries
from reviewer.ui import document_list
from reviewer.ui.document_list import DocumentListModel
from reviewer.ui.roles import DocumentIdRole
from reviewer.ui.thumbnails import ThumbnailCache

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester
    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.ui.main_window import MainWindow


@pytest.fixture
def every_id_read(monkeypatch: pytest.MonkeyPatch) -> list[queries.DocumentFilter]:
    """The filter of every ``queries.find_documents`` call (every id of a filter read)."""
    calls: list[queries.DocumentFilter] = []
    real = queries.find_documents

    def spy(case: Case, wanted: queries.DocumentFilter) -> list[int]:
        calls.append(wanted)
        return real(case, wanted)

    monkeypatch.setattr(queries, "find_documents", spy)
    return calls


def _shown_ids(model: DocumentListModel) -> list[int]:
    return [model.data(model.index(r, 0), DocumentIdRole) for r in range(model.rowCount())]


def test_the_first_screen_reads_the_first_ids_and_their_count(
    qtmodeltester: ModelTester,
    ui_case: Case,
    every_id_read: list[queries.DocumentFilter],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(document_list, "BATCH", 2)
    model = DocumentListModel(ui_case, ThumbnailCache())
    assert every_id_read == []  # only the first two ids, and how many there are
    assert model.rowCount() == 2
    assert model.total() == 4
    assert model.canFetchMore(model.index(-1, -1))
    assert model.row_of(2) == 1  # among the first: still no other id read
    assert every_id_read == []
    model.fetchMore(model.index(-1, -1))  # the rest, when the view scrolls to them
    assert len(every_id_read) == 1
    assert _shown_ids(model) == [1, 2, 3, 4]
    assert not model.canFetchMore(model.index(-1, -1))
    qtmodeltester.check(model)


def test_the_rest_of_the_ids_is_read_once_the_first_screen_is_up(
    ui_case: Case, every_id_read: list[queries.DocumentFilter], monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.setattr(document_list, "BATCH", 1)
    model = DocumentListModel(ui_case, ThumbnailCache())
    assert every_id_read == []
    qtbot.waitUntil(lambda: len(every_id_read) == 1)  # when the event loop runs again
    assert model.document_ids() == [1, 2, 3, 4]
    assert model.rowCount() == 1  # shown as the view scrolls, as before
    assert model.row_of(4) == 3
    assert len(every_id_read) == 1


def test_a_far_document_and_every_id_read_the_rest(
    ui_case: Case, every_id_read: list[queries.DocumentFilter], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_list, "BATCH", 1)
    model = DocumentListModel(ui_case, ThumbnailCache())
    model.sort(0)  # by title: note, page.png, rotated, scan
    assert every_id_read == []
    order = queries.find_documents(ui_case, queries.DocumentFilter(sort="title"))
    every_id_read.clear()
    assert model.row_of(order[3]) == 3
    assert len(every_id_read) == 1
    assert model.document_ids() == order
    assert model.row_of(999) is None
    assert len(every_id_read) == 1  # read once


def test_a_filter_reads_every_id_at_once(
    ui_case: Case, every_id_read: list[queries.DocumentFilter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window looks for the document shown among a filter's documents next: they are all read."""
    monkeypatch.setattr(document_list, "BATCH", 1)
    documents.set_status(ui_case, 3, VerificationStatus.DISPUTED, "stamp")
    documents.set_status(ui_case, 4, VerificationStatus.DISPUTED, "stamp")
    model = DocumentListModel(ui_case, ThumbnailCache())
    model.set_filter(queries.DocumentFilter(status=VerificationStatus.DISPUTED))
    assert len(every_id_read) == 1
    assert model.total() == 2
    assert model.row_of(4) == 1
    assert len(every_id_read) == 1


def test_a_case_changed_before_the_rest_is_read_is_shown_as_it_is_now(
    qtmodeltester: ModelTester, ui_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_list, "BATCH", 1)
    model = DocumentListModel(ui_case, ThumbnailCache())
    model.sort(0)  # by title: the note is first
    first = _shown_ids(model)
    documents.set_metadata(ui_case, first[0], {"title": "Zzz last now"})  # elsewhere, no reload yet
    model.fetchMore(model.index(-1, -1))
    now = queries.find_documents(ui_case, queries.DocumentFilter(sort="title"))
    assert now[-1] == first[0]
    assert _shown_ids(model) == now[: model.rowCount()]
    assert model.document_ids() == now
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
