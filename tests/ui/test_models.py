"""Every item model passes Qt's own model tester, with real data in it."""

from __future__ import annotations

import gc
import threading
import time
import weakref
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
    from pathlib import Path

    import pytest
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


def test_a_list_model_let_go_while_its_ids_are_read_ends_in_the_windows_thread(
    qtbot: QtBot, ui_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model let go (its window closed, a test ended) while the rest of its ids were read on a thread
    of their own was held by that thread, and destroyed by it when it ended: Qt objects must end in
    their own thread, and the window's thread crashed delivering a thumbnail to it (this file, one run
    in four)."""
    import reviewer.ui.document_list as module

    real = queries.find_documents

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(0.3)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(queries, "find_documents", slow)
    monkeypatch.setattr(module, "BATCH", 2)
    ended: list[str] = []
    thumbnails = ThumbnailCache()
    model = DocumentListModel(ui_case, thumbnails)
    model.destroyed.connect(lambda: ended.append(threading.current_thread().name))
    assert model.total() == 4
    held = weakref.ref(model)
    qtbot.waitUntil(lambda: getattr(held(), "_rest", None) is not None)  # the thread is reading
    reading = [t for t in threading.enumerate() if t.name == "document-list-ids"]
    assert reading
    del model
    gc.collect()
    for thread in reading:
        thread.join(5)
    qtbot.wait(50)
    thumbnails.wait()
    assert ended == [threading.main_thread().name]


def test_a_thumbnail_cache_let_go_while_loading_leaves_the_loads_to_end_alone(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Loads hold nothing a cache owns: a cache let go mid-load ends in the window's thread at once,
    what it was loading is delivered to no one, and another cache gets its icons."""
    from PySide6.QtGui import QImage

    picture = QImage(150, 200, QImage.Format.Format_RGB32)
    picture.fill(0x336699)
    paths = [tmp_path / f"thumb-{i:05d}.jpg" for i in range(40)]
    for path in paths:
        assert picture.save(str(path))
    cache = ThumbnailCache()
    ended: list[str] = []
    cache.destroyed.connect(lambda: ended.append(threading.current_thread().name))
    assert all(cache.get(path) is None for path in paths)
    del cache
    gc.collect()
    assert ended == [threading.main_thread().name]
    other = ThumbnailCache()
    heard: list[str] = []
    other.ready.connect(heard.append)
    assert other.get(paths[-1]) is None
    qtbot.waitUntil(lambda: str(paths[-1]) in heard)
    other.wait()
    qtbot.wait(50)
    assert heard == [str(paths[-1])], "the first cache's loads went to no one"
    icon = other.get(paths[-1])
    assert icon is not None
    assert not icon.isNull()


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
