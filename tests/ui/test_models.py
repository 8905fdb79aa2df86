"""Every item model passes Qt's own model tester, with real data in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from reviewer.core.services import queries
from reviewer.ui.document_list import DocumentListModel
from reviewer.ui.page_strip import PageStripModel
from reviewer.ui.panes.annotations import AnnotationListModel
from reviewer.ui.panes.provenance import CustodyModel, SightingModel
from reviewer.ui.roles import RecordRole
from reviewer.ui.thumbnails import ThumbnailCache

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester
    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case


def test_document_list_model(qtmodeltester: ModelTester, qtbot: QtBot, ui_case: Case) -> None:
    thumbnails = ThumbnailCache()
    model = DocumentListModel(ui_case, thumbnails)
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert model.data(model.index(0, 0)) == "note.pdf"
    decoration = Qt.ItemDataRole.DecorationRole
    # the first call only starts loading, off the UI thread; the icon arrives with a dataChanged
    qtbot.waitUntil(lambda: model.data(model.index(1, 0), decoration) is not None, timeout=5000)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == "scan.pdf"
    thumbnails.wait()


def test_document_list_fetches_lazily(qtmodeltester: ModelTester, ui_case: Case, monkeypatch: object) -> None:
    import reviewer.ui.document_list as module

    module_batch = module.BATCH
    module.BATCH = 2  # type: ignore[misc]
    try:
        model = DocumentListModel(ui_case, ThumbnailCache())
        assert model.rowCount() == 2
        assert model.total() == 4
        assert model.canFetchMore(model.index(-1, -1))
        qtmodeltester.check(model)
        assert model.row_of(4) == 3
        assert model.rowCount() == 4
    finally:
        module.BATCH = module_batch  # type: ignore[misc]


def test_pane_models(qtmodeltester: ModelTester, ui_case: Case) -> None:
    detail = queries.document_detail(ui_case, 1)
    annotations = AnnotationListModel()
    annotations.set_records(detail.annotations)
    qtmodeltester.check(annotations)
    assert annotations.data(annotations.index(0), RecordRole).note == "reference number"
    sightings = SightingModel()
    sightings.set_records(detail.sightings)
    qtmodeltester.check(sightings)
    custody = CustodyModel()
    custody.set_records(detail.custody)
    qtmodeltester.check(custody)
    assert custody.rowCount() == 2
    strip = PageStripModel(ui_case.layout, ThumbnailCache())
    strip.set_source(queries.page_view(ui_case, 1))
    qtmodeltester.check(strip)
    assert strip.rowCount() == 3
    # a thumbnail loaded repaints its own row, JPEG (made now) or PNG (a case made before)
    changed: list[int] = []
    strip.dataChanged.connect(lambda first, _last, _roles: changed.append(first.row()))
    folder = ui_case.layout.derived_dir(queries.page_view(ui_case, 1).sha256)
    strip._ready(str(folder / "thumb-00002.jpg"))
    strip._ready(str(folder / "thumb-00003.png"))
    strip._ready(str(folder / "thumb-0000x.jpg"))  # not a page's
    assert changed == [1, 2]
