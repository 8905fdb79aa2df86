"""A locked document in the window: a padlock in the list, the page area says so, Unlock… opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from reviewer.core.services import queries
from reviewer.core.services.importing import import_paths
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.ui.main_window import MainWindow

PASSWORD = "окно-7"


def _import_locked(window: MainWindow, tmp_path: Path) -> int:
    locked = filemaker.make_encrypted_pdf(tmp_path / "locked.pdf", user_password=PASSWORD)
    [item] = import_paths(window.case, [locked]).imported
    assert item.locked
    window.model.reload()
    return item.id


@pytest.mark.slow
def test_a_locked_document_shows_a_padlock_and_unlocks_from_the_page_area(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _import_locked(window, tmp_path)
    row = window.model.row_of(doc)
    assert row is not None
    title = window.model.data(window.model.index(row, 0), Qt.ItemDataRole.DisplayRole)
    assert title.startswith("🔒 ")
    tip = window.model.data(window.model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
    assert "locked: encrypted, password not known" in tip
    window.open_document(doc)
    assert window.unlock_bar.isVisible()
    assert "This document is encrypted" in window.unlock_bar.label.text()
    assert window.unlock_bar.button.text() == "Unlock…"

    # a wrong password: said in one line, nothing changes
    errors: list[str] = []
    window.unlock_bar.failed.connect(errors.append)
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("wrong", True))
    window.unlock_bar.button.click()
    qtbot.waitUntil(lambda: bool(errors), timeout=60_000)
    assert errors == [f"the password does not open document {doc}; nothing was changed"]
    assert window.unlock_bar.isVisible()
    assert queries.document_detail(window.case, doc).summary.locked
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)), timeout=5_000)
    for box in window.findChildren(QMessageBox):
        assert errors[0] in box.text()  # the window says it too, in one line
        box.close()

    # the right one: pages shown, padlock gone
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: (PASSWORD, True))
    with qtbot.waitSignal(window.unlock_bar.unlocked, timeout=60_000):
        window.unlock_bar.button.click()
    qtbot.waitUntil(lambda: not window.unlock_bar.isVisible(), timeout=10_000)
    assert window.current_document_id == doc
    qtbot.waitUntil(lambda: window.viewer.is_sharp, timeout=20_000)
    title = window.model.data(window.model.index(row, 0), Qt.ItemDataRole.DisplayRole)
    assert not title.startswith("🔒")
    assert queries.document_detail(window.case, doc).summary.page_count == 2
    window.reading.stop()
