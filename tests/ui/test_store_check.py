"""The window tells of files in the store that no document records, and moves them aside on request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from reviewer.ui.main_window import MainWindow
from reviewer.ui.thumbnails import ThumbnailCache

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.ui.render_bridge import RenderBridge


def _open(
    qtbot: QtBot, case: Case, bridge: RenderBridge, tmp_path: Path
) -> tuple[MainWindow, ThumbnailCache]:
    thumbnails = ThumbnailCache()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(case, bridge, thumbnails, settings)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main, thumbnails


def test_a_clean_store_says_nothing(
    qtbot: QtBot, ui_case: Case, bridge: RenderBridge, tmp_path: Path
) -> None:
    main, thumbnails = _open(qtbot, ui_case, bridge, tmp_path)
    qtbot.waitUntil(lambda: main.store_check.job is not None)  # once the first page is sharp
    qtbot.waitUntil(lambda: main.store_check.job is not None and main.store_check.job.wait(0))
    qtbot.wait(50)  # the queued result arrives
    assert main.store_check.box is None
    main.close()
    thumbnails.wait()


def test_unrecorded_files_are_told_and_quarantined_on_request(
    qtbot: QtBot, ui_case: Case, bridge: RenderBridge, tmp_path: Path
) -> None:
    stray = ui_case.layout.originals / "ff" / ("f" * 64)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"an original whose record was lost")
    main, thumbnails = _open(qtbot, ui_case, bridge, tmp_path)
    qtbot.waitUntil(lambda: main.store_check.box is not None, timeout=10_000)
    box = main.store_check.box
    assert box is not None
    assert "1 file(s)" in box.text()
    assert "removed nothing" in box.text()
    assert f"originals/ff/{'f' * 64}" in box.detailedText()
    assert stray.is_file(), "told, not removed"
    [move] = [b for b in box.buttons() if b.text() == "Move to quarantine"]
    move.click()
    assert not stray.exists()
    [kept] = list((ui_case.root / "quarantine").rglob("f" * 64))
    assert kept.read_bytes() == b"an original whose record was lost"
    assert "moved to the case's quarantine" in main.statusBar().currentMessage()
    main.close()
    thumbnails.wait()


def test_leaving_them_leaves_them(qtbot: QtBot, ui_case: Case, bridge: RenderBridge, tmp_path: Path) -> None:
    stray = ui_case.layout.originals / "stray.txt"
    stray.write_text("put here by hand")
    main, thumbnails = _open(qtbot, ui_case, bridge, tmp_path)
    qtbot.waitUntil(lambda: main.store_check.box is not None, timeout=10_000)
    box = main.store_check.box
    assert box is not None
    [leave] = [b for b in box.buttons() if box.buttonRole(b) is QMessageBox.ButtonRole.RejectRole]
    leave.click()
    assert stray.read_text() == "put here by hand"
    assert not (ui_case.root / "quarantine").exists()
    main.close()
    thumbnails.wait()
