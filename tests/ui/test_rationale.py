"""Deciding is deliberate: a verdict asks for its rationale, from keys, menu, pane and bulk alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import queries
from reviewer.core.services.fixity import verify_case
from reviewer.ui.rationale_dialog import RationaleDialog

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from reviewer.ui.main_window import MainWindow


def _status(window: MainWindow, doc: int) -> tuple[VerificationStatus, str | None]:
    detail = queries.document_detail(window.case, doc)
    return detail.summary.status, detail.status_note


def test_key_3_asks_why_and_cancel_sets_nothing(qtbot: QtBot, window: MainWindow) -> None:
    window.viewer.setFocus()
    [key_3] = [a for a in window.menus.menus["&Status"].actions() if a.shortcut().toString() == "3"]
    key_3.trigger()
    dialog = window.rationale_dialog
    assert isinstance(dialog, RationaleDialog)
    assert dialog.isVisible()
    assert not dialog.ok.isEnabled(), "no rationale yet: OK waits"
    assert _status(window, 1) == (VerificationStatus.UNVERIFIED, None), "nothing is set while it asks"
    dialog.text.setPlainText("   ")
    assert not dialog.ok.isEnabled()
    dialog.buttons.rejected.emit()
    assert _status(window, 1) == (VerificationStatus.UNVERIFIED, None)
    assert window.edits.undo_stack.count() == 0


def test_ok_sets_status_and_rationale_and_the_prompt_offers_the_current_one(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.viewer.setFocus()
    qtbot.keyClick(window.viewer, Qt.Key.Key_4)  # disputed
    dialog = window.rationale_dialog
    assert dialog is not None
    assert "Disputed" in dialog.windowTitle() or "disputed" in dialog.windowTitle()
    qtbot.keyClicks(dialog.text, "stamp differs from the 2019 notes")
    assert dialog.ok.isEnabled()
    dialog.ok.click()
    assert _status(window, 1) == (VerificationStatus.DISPUTED, "stamp differs from the 2019 notes")
    # In review needs no reason, and keeps the rationale
    qtbot.keyClick(window.viewer, Qt.Key.Key_2)
    assert _status(window, 1) == (VerificationStatus.IN_REVIEW, "stamp differs from the 2019 notes")
    # from the Status menu: the current rationale is offered to edit
    [menu_verified] = [a for a in window.menus.menus["&Status"].actions() if a.text() == "Mark as verified…"]
    menu_verified.trigger()
    dialog = window.rationale_dialog
    assert dialog is not None
    assert dialog.text.toPlainText() == "stamp differs from the 2019 notes"
    dialog.text.setPlainText("confirmed by the ministry on 2026-11-20")
    dialog.accept()
    assert _status(window, 1) == (VerificationStatus.VERIFIED, "confirmed by the ministry on 2026-11-20")
    window.edits.undo_stack.undo()
    assert _status(window, 1) == (VerificationStatus.IN_REVIEW, "stamp differs from the 2019 notes")
    assert verify_case(window.case).ok


def test_the_verification_pane_asks_too(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.verification
    combo = pane.status
    combo.setCurrentIndex(list(VerificationStatus).index(VerificationStatus.FABRICATED))
    combo.activated.emit(combo.currentIndex())
    [dialog] = [d for d in pane.findChildren(RationaleDialog) if d.isVisible()]
    dialog.reject()
    assert _status(window, 1) == (VerificationStatus.UNVERIFIED, None)
    assert combo.currentData() == VerificationStatus.UNVERIFIED, "the pane shows what is recorded"
    combo.setCurrentIndex(list(VerificationStatus).index(VerificationStatus.FABRICATED))
    combo.activated.emit(combo.currentIndex())
    [dialog] = [d for d in pane.findChildren(RationaleDialog) if d.isVisible()]
    dialog.text.setPlainText("letterhead font did not exist in 2019")
    dialog.accept()
    assert _status(window, 1) == (VerificationStatus.FABRICATED, "letterhead font did not exist in 2019")


def test_several_documents_at_once(qtbot: QtBot, window: MainWindow) -> None:
    window.list.selectAll()
    window.set_status(VerificationStatus.VERIFIED)
    dialog = window.rationale_dialog
    assert dialog is not None
    assert "these 4 documents" in dialog.heading.text()
    dialog.reject()
    assert {_status(window, d) for d in (1, 2, 3, 4)} == {(VerificationStatus.UNVERIFIED, None)}
    window.set_status(VerificationStatus.VERIFIED)
    dialog = window.rationale_dialog
    assert dialog is not None
    dialog.text.setPlainText("same batch, same courier, checked together")
    dialog.accept()
    assert {_status(window, d) for d in (1, 2, 3, 4)} == {
        (VerificationStatus.VERIFIED, "same batch, same courier, checked together")
    }
    # all alike now: the prompt offers their shared rationale
    window.set_status(VerificationStatus.DISPUTED)
    dialog = window.rationale_dialog
    assert dialog is not None
    assert dialog.text.toPlainText() == "same batch, same courier, checked together"
    dialog.reject()
