"""Starting the app: the smoke test, the welcome screen, remembering the last case and the layout."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from reviewer.ui.app import Launcher

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case


def test_smoke_test_builds_the_demo_and_draws_a_page(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "--smoke-test"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "first page was drawn" in done.stdout
    assert "Traceback" not in done.stderr


def test_welcome_screen(qtbot: QtBot, tmp_path: Path) -> None:
    launcher = Launcher(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        welcome = launcher.show_welcome()
        qtbot.addWidget(welcome)
        assert set(welcome.buttons) == {"new", "open", "demo"}
        assert welcome.isVisible()
    finally:
        launcher.close()


def test_the_case_and_the_layout_are_remembered(qtbot: QtBot, tmp_path: Path, ui_case: Case) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    launcher = Launcher(settings)
    try:
        window = launcher.open(ui_case)
        qtbot.addWidget(window)
        qtbot.waitExposed(window)
        window.resize(780, 560)  # within the offscreen platform's 800 x 600 screen
        window.splitter.setSizes([600, 200, 180])  # unlike the default: a list wider than the page
        assert window.splitter.sizes()[0] > window.splitter.sizes()[1]
        window.close()
        assert settings.value("last_case") == str(ui_case.root)
        again = launcher.open(ui_case)
        qtbot.addWidget(again)
        qtbot.waitExposed(again)
        assert again.splitter.sizes()[0] > again.splitter.sizes()[1]
        again.close()
    finally:
        launcher.case = None  # the fixture closes the case
        launcher.close()
