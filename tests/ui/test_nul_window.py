"""The window refuses text no case keeps as the command line does: in one line, nothing set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import queries

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from reviewer.ui.main_window import MainWindow


def test_a_rationale_with_a_nul_is_refused_in_one_line(qtbot: QtBot, window: MainWindow) -> None:
    window.viewer.setFocus()
    qtbot.keyClick(window.viewer, Qt.Key.Key_4)  # disputed: asks why
    dialog = window.rationale_dialog
    assert dialog is not None
    dialog.text.setPlainText("stamp\x00differs")
    dialog.ok.click()
    qtbot.waitUntil(lambda: "NUL" in window.statusBar().currentMessage())
    message = window.statusBar().currentMessage()
    assert "\n" not in message
    assert "the status rationale holds a NUL character (U+0000)" in message, message
    detail = queries.document_detail(window.case, 1)
    assert (detail.summary.status, detail.status_note) == (VerificationStatus.UNVERIFIED, None)
    assert window.edits.undo_stack.count() == 0
    [box] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert box.text().count("\n") == 0
    assert "the status rationale holds a NUL character" in box.text(), box.text()
    box.close()
