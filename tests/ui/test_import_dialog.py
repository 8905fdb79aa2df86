"""File ▸ Import asks where the files came from before importing; the Sources pane edits it later."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reviewer.core.services import queries
from reviewer.core.services.fixity import verify_case
from reviewer.ui.import_dialog import ImportDialog, ImportOptionsDialog
from tests import filemaker
from tests.conftest import raw_db

if TYPE_CHECKING:
    from pathlib import Path

    import pytest
    from pytestqt.qtbot import QtBot

    from reviewer.ui.main_window import MainWindow


def test_an_encrypted_pdf_imported_with_source_date_and_password(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtmodeltester: object
) -> None:
    locked = filemaker.make_encrypted_pdf(tmp_path / "locked.pdf", user_password="s3cret")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(locked)], ""))
    window.choose_files()
    dialog = window.import_options
    assert isinstance(dialog, ImportOptionsDialog)
    assert dialog.isVisible()
    assert window.model.total() == 4, "nothing is imported before the dialog is answered"
    assert dialog.not_known.isChecked(), "the date received starts as not known"
    dialog.source.setText("Telegram: @leaks_by")
    dialog.set_received(QDate(2026, 11, 3))
    dialog.passwords.setPlainText("wrong\ns3cret\n")
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as finished:
        dialog.buttons.accepted.emit()
    report = finished.args[0]
    [item] = report.imported
    assert not [d for d in window.findChildren(ImportDialog) if d.isVisible()], (
        "progress closed: nothing refused"
    )
    with raw_db(window.case.root) as conn:
        assert conn.execute("SELECT password FROM document WHERE id = ?", (item.id,)).fetchone() == (
            "s3cret",
        )

    window.open_document(item.id)
    pane = window.provenance
    window.panes.setCurrentWidget(pane)
    assert "Telegram: @leaks_by" in pane.summary.text()
    model = pane.sightings
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.data(model.index(0, 0)) == "Telegram: @leaks_by"
    assert model.data(model.index(0, 1)) == "2026-11-03"

    # a source corrected in its cell: on the custody log, and Ctrl+Z puts it back
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, 2)) & Qt.ItemFlag.ItemIsEditable, "the file name is evidence"
    assert model.setData(model.index(0, 0), "Signal: A. (via @leaks_by)")
    qtbot.waitUntil(lambda: pane.sightings.data(pane.sightings.index(0, 0)) == "Signal: A. (via @leaks_by)")
    detail = queries.document_detail(window.case, item.id)
    assert detail.sightings[0].source == "Signal: A. (via @leaks_by)"
    assert detail.custody[-1].action == "provenance_changed"
    assert model.setData(model.index(0, 1), "")
    qtbot.waitUntil(lambda: queries.document_detail(window.case, item.id).sightings[0].received_on is None)
    [undo] = [
        a for a in window.menus.menus["&Edit"].actions() if a.shortcut() == QKeySequence.StandardKey.Undo
    ]
    undo.trigger()  # Edit ▸ Undo, Ctrl+Z
    assert queries.document_detail(window.case, item.id).sightings[0].received_on == "2026-11-03"
    window.edits.undo_stack.undo()
    detail = queries.document_detail(window.case, item.id)
    assert detail.sightings[0].source == "Telegram: @leaks_by"
    assert pane.sightings.data(pane.sightings.index(0, 0)) == "Telegram: @leaks_by", "the pane shows it"
    window.edits.undo_stack.redo()
    assert queries.document_detail(window.case, item.id).sightings[0].source == "Signal: A. (via @leaks_by)"
    assert [e.action for e in detail.custody].count("provenance_changed") == 4, "undo is on the record too"
    # a date that is not one is refused, said, and changes nothing
    assert model.setData(model.index(0, 1), "3 Nov")
    qtbot.waitUntil(lambda: "YYYY-MM-DD" in window.statusBar().currentMessage())
    assert queries.document_detail(window.case, item.id).sightings[0].received_on == "2026-11-03"
    for box in window.findChildren(QMessageBox):
        box.close()
    assert verify_case(window.case).ok


def test_dropped_files_are_asked_about_too_and_cancel_imports_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    new = filemaker.make_text_pdf(tmp_path / "dropped.pdf", seed=42)
    dialog = window.ask_import([new])
    assert dialog.isVisible()
    dialog.buttons.rejected.emit()
    assert not dialog.isVisible()
    assert window.model.total() == 4
    dialog = window.ask_import([new])
    dialog.not_known.setChecked(True)
    dialog.source.setText("  ")
    options = dialog.options()
    assert (options.source, options.received_on, options.password, options.passwords) == (
        None,
        None,
        None,
        (),
    )
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as finished:
        dialog.accept()
    [item] = finished.args[0].imported
    assert queries.document_detail(window.case, item.id).sightings[0].source is None
