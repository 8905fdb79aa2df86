"""The real window, driven offscreen as a fact-checker would use it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication, QInputDialog

from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import queries
from reviewer.ui.import_dialog import ImportDialog
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.ui.main_window import MainWindow


def _drag(widget: object, start: QPoint, end: QPoint, steps: int = 6) -> None:
    """Press, move with the button held (QTest's moves carry no buttons), release."""
    target = widget.viewport()  # type: ignore[attr-defined]
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    no_mod = Qt.KeyboardModifier.NoModifier

    def send(kind: QEvent.Type, point: QPoint, button: Qt.MouseButton, buttons: Qt.MouseButton) -> None:
        local = QPointF(point)
        event = QMouseEvent(kind, local, QPointF(target.mapToGlobal(point)), button, buttons, no_mod)
        QApplication.sendEvent(target, event)

    send(QEvent.Type.MouseButtonPress, start, left, left)
    for i in range(1, steps + 1):
        point = start + (end - start) * (i / steps)
        send(QEvent.Type.MouseMove, point, none, left)
    send(QEvent.Type.MouseButtonRelease, end, left, none)


def _view_point(window: MainWindow, x: float, y: float) -> QPoint:
    """Where page point (x, y) of the unrotated page is on the viewer's viewport."""
    return window.viewer.mapFromScene(QPointF(x, y))


def _annotations(window: MainWindow, doc: int) -> list[tuple[int, float, float, float, float]]:
    detail = queries.document_detail(window.case, doc)
    return [(a.page, a.x0, a.y0, a.x1, a.y1) for a in detail.annotations]


def test_opens_on_the_first_document(window: MainWindow) -> None:
    assert window.windowTitle().startswith("Window test")
    assert window.model.total() == 4
    assert window.current_document_id == 1
    assert window.viewer.current_page == 1
    assert window.viewer.is_sharp
    assert set(window.viewer.regions()) == {queries.document_detail(window.case, 1).annotations[0].id}


def test_paging_and_documents_from_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    window.viewer.setFocus()
    qtbot.keyClick(window.viewer, Qt.Key.Key_PageDown)
    assert window.viewer.current_page == 2
    qtbot.keyClick(window.viewer, Qt.Key.Key_End)
    assert window.viewer.current_page == 3
    qtbot.keyClick(window.viewer, Qt.Key.Key_PageDown)
    assert window.viewer.current_page == 3, "no page past the last"
    qtbot.keyClick(window.viewer, Qt.Key.Key_Home)
    assert window.viewer.current_page == 1
    qtbot.waitUntil(lambda: window.viewer.is_sharp, timeout=10_000)
    in_list_order = [window.model.document_id(row) for row in range(window.model.rowCount())]
    qtbot.keyClick(window.viewer, Qt.Key.Key_J)
    assert window.current_document_id == in_list_order[1]
    qtbot.keyClick(window.viewer, Qt.Key.Key_J)
    assert window.current_document_id == in_list_order[2]
    qtbot.keyClick(window.viewer, Qt.Key.Key_K)
    assert window.current_document_id == in_list_order[1]
    qtbot.waitUntil(lambda: window.viewer.is_sharp, timeout=10_000)


def test_zoom_and_rotate_keep_a_sharp_page(qtbot: QtBot, window: MainWindow) -> None:
    before = window.viewer.zoom
    window.viewer.zoom_by(2.0)
    assert window.viewer.zoom == pytest.approx(before * 2)
    qtbot.waitUntil(lambda: window.viewer.is_sharp, timeout=10_000)
    window.viewer.fit_width()
    window.viewer.rotate_view()
    qtbot.waitUntil(lambda: window.viewer.is_sharp, timeout=10_000)


def test_drag_a_rectangle_creates_an_annotation_in_page_points(qtbot: QtBot, window: MainWindow) -> None:
    _drag(window.viewer, _view_point(window, 100, 300), _view_point(window, 400, 420))
    created = [a for a in _annotations(window, 1) if a[2] > 200]
    assert len(created) == 1
    page, x0, y0, x1, y1 = created[0]
    tolerance = 2 / window.viewer.zoom  # a screen pixel or two
    assert page == 1
    assert (x0, y0, x1, y1) == pytest.approx((100, 300, 400, 420), abs=tolerance)
    assert window.annotations.model.rowCount() == 2


def test_drag_on_a_rotated_page_stores_unrotated_coordinates(qtbot: QtBot, window: MainWindow) -> None:
    window.open_document(2)
    qtbot.waitUntil(lambda: window.viewer.is_sharp, timeout=10_000)
    # the page is A4 portrait (595 x 842 points) shown turned by 90°
    _drag(window.viewer, _view_point(window, 400, 600), _view_point(window, 550, 800))
    [(_page, x0, y0, x1, y1)] = _annotations(window, 2)
    assert (x0, y0, x1, y1) == pytest.approx((400, 600, 550, 800), abs=2 / window.viewer.zoom)
    start, end = _view_point(window, 400, 600), _view_point(window, 550, 800)
    assert abs(end.x() - start.x()) > abs(end.y() - start.y()) * 0.5, "the view really is turned"


def test_drag_on_an_image(qtbot: QtBot, window: MainWindow) -> None:
    window.open_document(3)
    qtbot.waitUntil(lambda: window.viewer.is_sharp, timeout=10_000)
    [page] = queries.page_view(window.case, 3).pages
    _drag(window.viewer, _view_point(window, 10, 10), _view_point(window, page.width / 2, page.height / 2))
    [(_, x0, y0, x1, y1)] = _annotations(window, 3)
    assert (x0, y0, x1, y1) == pytest.approx(
        (10, 10, page.width / 2, page.height / 2), abs=2 / window.viewer.zoom
    )


def test_move_and_delete_a_region_then_undo(qtbot: QtBot, window: MainWindow) -> None:
    [(_, x0, y0, x1, y1)] = _annotations(window, 1)
    middle = _view_point(window, (x0 + x1) / 2, (y0 + y1) / 2)
    _drag(window.viewer, middle, middle + QPoint(40, 30))
    [(_, nx0, ny0, nx1, _ny1)] = _annotations(window, 1)
    assert nx0 > x0
    assert ny0 > y0
    assert nx1 - nx0 == pytest.approx(x1 - x0, abs=0.1), "moved, not resized"
    [region] = window.viewer.regions().values()
    region.setSelected(True)
    window.viewer.setFocus()
    qtbot.keyClick(window.viewer, Qt.Key.Key_Delete)
    assert _annotations(window, 1) == []
    window.edits.undo_stack.undo()
    assert len(_annotations(window, 1)) == 1
    window.edits.undo_stack.undo()
    assert _annotations(window, 1) == [(1, x0, y0, x1, y1)]
    actions = [e.action for e in queries.document_detail(window.case, 1).custody]
    assert actions[-4:] == [
        "annotation_changed",
        "annotation_deleted",
        "annotation_restored",
        "annotation_changed",
    ]


def test_edit_the_note_of_an_annotation(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.annotations
    window.panes.setCurrentWidget(pane)
    pane.list.setCurrentIndex(pane.model.index(0))
    pane.note.setFocus()
    pane.note.setPlainText("reference number, format matches 2019 series")
    pane.transcription.setFocus()  # focus leaves the note: it is saved
    pane.transcription.setPlainText("№ 12-05/1174")
    pane.tags.setText("ref, checked")
    pane.tags.commit()  # saving the tags refreshes the pane: the transcription being typed survives
    assert pane.transcription.toPlainText() == "№ 12-05/1174"
    pane.transcription.commit()
    [annotation] = queries.document_detail(window.case, 1).annotations
    assert annotation.note == "reference number, format matches 2019 series"
    assert annotation.transcription == "№ 12-05/1174"
    assert annotation.tags == ("checked", "ref")
    assert "format matches" in window.viewer.regions()[annotation.id].toolTip()


def test_status_by_key_with_a_rationale_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    window.viewer.setFocus()
    qtbot.keyClick(window.viewer, Qt.Key.Key_3)
    assert window.rationale_dialog is not None, "a verdict asks why first"
    window.rationale_dialog.text.setPlainText("letterhead matches the 2019 notes")
    window.rationale_dialog.accept()
    assert queries.document_detail(window.case, 1).summary.status is VerificationStatus.VERIFIED
    pane = window.verification
    pane.rationale.setPlainText("confirmed by the ministry's spokesperson on 2026-11-20")
    pane.rationale.commit()
    detail = queries.document_detail(window.case, 1)
    assert detail.status_note == "confirmed by the ministry's spokesperson on 2026-11-20"
    assert "Verified" in pane.status.currentText()
    assert window.model.data(window.model.index(0, 3)) == "● Verified"
    window.edits.undo_stack.undo()
    window.edits.undo_stack.undo()
    detail = queries.document_detail(window.case, 1)
    assert detail.summary.status is VerificationStatus.UNVERIFIED
    assert detail.status_note is None
    assert [e.action for e in detail.custody].count("status_changed") == 4, "undo is on the record too"


def test_checklist_and_metadata(window: MainWindow) -> None:
    pane = window.verification
    from reviewer.core.domain.values import ChecklistItem

    combo = pane.states[ChecklistItem.STAMP]
    combo.setCurrentIndex(combo.findData("doubtful"))
    combo.activated.emit(combo.currentIndex())
    pane.notes[ChecklistItem.STAMP].setText("ink colour differs from the 2019 notes")
    pane.notes[ChecklistItem.STAMP].commit()
    check = queries.document_detail(window.case, 1).checklist["stamp"]
    assert (check.state, check.note) == ("doubtful", "ink colour differs from the 2019 notes")
    meta = window.metadata
    meta.edits["reference_number"].setText("12-05/1174")
    meta.edits["reference_number"].commit()
    meta.type.setCurrentIndex(meta.type.findData("diplomatic_note"))
    meta.type.activated.emit(meta.type.currentIndex())
    fields = queries.document_detail(window.case, 1).fields
    assert fields["reference_number"] == "12-05/1174"
    assert fields["type"] == "diplomatic_note"
    assert window.model.data(window.model.index(0, 1)) == "diplomatic note"


def test_bulk_tag_and_filter(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    window.list.selectAll()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("МИД, batch-1", True))
    window.tag_selected()
    for doc in (1, 2, 3, 4):
        assert set(queries.document_detail(window.case, doc).summary.tags) == {"МИД", "batch-1"}
    window.filters.text.setText("rotat")
    assert window.model.rowCount() == 1
    assert window.current_document_id == 2
    window.filters.text.clear()
    window.filters.tag.setCurrentIndex(window.filters.tag.findData("МИД"))
    assert window.model.rowCount() == 4
    window.filters.status.setCurrentIndex(window.filters.status.findData("disputed"))
    assert window.model.rowCount() == 0
    assert window.count.text() == "0 document(s)"
    window.edits.undo_stack.undo()
    assert queries.document_detail(window.case, 1).summary.tags == ()


def test_import_by_drop(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    new = filemaker.make_text_pdf(tmp_path / "dropped.pdf", seed=42)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"nothing")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(new)), QUrl.fromLocalFile(str(junk))])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert window.import_options is not None, "dropped files are asked about first"
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as finished:
        window.import_options.accept()
    report = finished.args[0]
    assert [i.path for i in report.imported] == [str(new)]
    assert [f.path for f in report.failed] == [str(junk)]
    assert window.model.total() == 5, "the list shows the new document at once"
    [dialog] = [d for d in window.findChildren(ImportDialog) if d.isVisible()]
    assert dialog.refused.count() == 1, "the refused file stays on screen with its reason"
    assert "junk.bin" in dialog.refused.item(0).text()
    assert "not a document" in dialog.refused.item(0).text()
    dialog.buttons.rejected.emit()
    assert not dialog.isVisible()


def test_an_import_can_be_cancelled(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        filemaker.make_text_pdf(folder / f"n{i:02d}.pdf", pages=5, seed=100 + i)
    with qtbot.waitSignal(window.import_finished, timeout=120_000) as finished:
        dialog = window.import_paths([folder])
        qtbot.waitUntil(lambda: dialog.bar.value() >= 1, timeout=60_000)
        dialog.buttons.rejected.emit()  # Cancel
    report = finished.args[0]
    assert report.cancelled
    assert 1 <= len(report.imported) < 30
    assert window.model.total() == 4 + len(report.imported)
    assert "cancelled" in dialog.label.text()
    assert not dialog.isVisible()
    assert list(window.case.layout.staging.iterdir()) == [], "nothing half-imported"


def test_export_from_the_window(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from reviewer.core.bundles.bagit import verify_bag

    dialog = window.export_bundle()
    target = tmp_path / "from-window.zip"
    dialog.path.setText(str(target))
    dialog.start()
    assert dialog.job is not None
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=120_000)
    assert dialog.report is not None
    assert dialog.report.documents == 4
    assert verify_bag(target) == []
    assert "Exported 4 document(s)" in dialog.label.text()
    dialog.accept()


def test_the_forensics_pane_follows_the_document_and_its_overlay_lies_on_the_page(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.panes.setCurrentWidget(window.forensics)
    window.open_document(4)  # the scan
    qtbot.waitUntil(lambda: window.forensics.signals.rowCount() > 0, timeout=20_000)
    page = window.viewer.current_page
    overlay = QImage(120, 170, QImage.Format.Format_RGB32)
    overlay.fill(QColor("black"))
    window.forensics.overlayReady.emit(page, overlay)
    assert window.viewer.has_overlay
    window.forensics.overlayReady.emit(page, QImage())
    assert not window.viewer.has_overlay
    window.forensics.pageWanted.emit(1, 2)
    assert window.current_document_id == 1
    assert window.viewer.current_page == 2
    qtbot.waitUntil(lambda: window.viewer.is_sharp, timeout=10_000)
