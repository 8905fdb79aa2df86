"""A document far down the list, and the timeline, read only the rows they show (issue 16)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from reviewer.core.services import documents, queries
from reviewer.ui import document_list
from reviewer.ui.document_list import DocumentListModel
from reviewer.ui.roles import DocumentIdRole
from reviewer.ui.thumbnails import ThumbnailCache

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pytestqt.modeltest import ModelTester

    from reviewer.core.domain.records import DocumentSummary
    from reviewer.core.services.case import Case
    from reviewer.ui.main_window import MainWindow


@pytest.fixture
def rows_read(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The ids of every ``queries.summaries`` call (list rows read), as the calls come."""
    calls: list[list[int]] = []
    real = queries.summaries

    def spy(case: Case, ids: Sequence[int]) -> list[DocumentSummary]:
        calls.append(list(ids))
        return real(case, ids)

    monkeypatch.setattr(queries, "summaries", spy)
    return calls


def test_a_far_document_reads_its_block_alone(
    qtmodeltester: ModelTester, ui_case: Case, rows_read: list[list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_list, "BATCH", 1)
    model = DocumentListModel(ui_case, ThumbnailCache())
    assert model.rowCount() == 1
    rows_read.clear()
    assert model.row_of(4) == 3
    assert model.rowCount() == 4  # the list is shown down to it, so the view can select and scroll to it
    assert rows_read == [[4]]  # but only its own row was read, not the three above it
    assert model.data(model.index(3, 0), DocumentIdRole) == 4
    assert model.document_id(2) == 3  # an id needs no row
    assert rows_read == [[4]]
    assert model.data(model.index(2, 0), DocumentIdRole) == 3  # drawn: read now
    assert rows_read == [[4], [3]]
    assert not model.canFetchMore(model.index(-1, -1))
    qtmodeltester.check(model)
    assert model.data(model.index(1, 0)) == "rotated.pdf"


def test_fetching_after_a_far_jump_and_edits_keep_rows_in_place(
    ui_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_list, "BATCH", 2)
    model = DocumentListModel(ui_case, ThumbnailCache())
    model.sort(0)  # by title: note, page.png, rotated, scan
    order = model.document_ids()
    assert model.row_of(order[3]) == 3
    documents.set_metadata(ui_case, order[2], {"title": "Renamed"})
    model.refresh_documents([order[2]])
    assert [model.data(model.index(r, 0), DocumentIdRole) for r in range(4)] == order
    assert model.data(model.index(2, 0)) == "Renamed"


def test_the_timeline_reads_no_list_rows(
    window: MainWindow, ui_case: Case, rows_read: list[list[int]]
) -> None:
    documents.set_metadata(ui_case, 2, {"document_date": "2019-05"})
    documents.set_metadata(ui_case, 3, {"document_date": "2019-05-04", "title": "Letter"})
    window.model.reload()
    window._update_count()  # what an import or a filter does: the timeline is stale
    rows_read.clear()
    window.browse.setCurrentWidget(window.timeline)
    assert {(e.id, e.label) for e in window.timeline.canvas.entries} == {(2, "rotated.pdf"), (3, "Letter")}
    assert window.timeline.undated_count == 2
    assert all(len(ids) <= 1 for ids in rows_read), rows_read  # not the list rows of every document
