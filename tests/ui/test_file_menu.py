"""File ▸ New case, Open case, Open recent and Close case: the window asks, the Launcher does it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QInputDialog

from reviewer.core.services.case import create_case
from reviewer.ui.app import Launcher
from reviewer.ui.menus import fill_recent, recent_cases

if TYPE_CHECKING:
    from pathlib import Path

    import pytest
    from PySide6.QtGui import QAction
    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.ui.main_window import MainWindow


def _action(window: MainWindow, text: str) -> QAction:
    [action] = [a for a in window.menus.menus["&File"].actions() if a.text().replace("&", "") == text]
    return action


def test_new_open_recent_and_close_through_the_launcher(
    qtbot: QtBot, tmp_path: Path, ui_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    launcher = Launcher(settings)
    try:
        window = launcher.open(ui_case)
        assert window.windowTitle().startswith("Window test (")
        assert str(ui_case.root.name) in window.windowTitle()
        assert window.windowTitle().endswith("— reviewer")
        # New case…: the folder dialog is an edge we do not own
        fresh = tmp_path / "fresh"
        fresh.mkdir()
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(fresh))
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Leak 43", True))
        _action(window, "New case…").trigger()
        new_window = launcher.window
        assert new_window is not None
        assert new_window is not window
        assert new_window.case.title == "Leak 43"
        assert (fresh / "reviewer.sqlite").is_file()
        assert not window.isVisible(), "the old window is closed"
        assert recent_cases(settings)[:2] == [str(fresh), str(ui_case.root)]
        # Open recent ▸ the first case again
        recent = _action(new_window, "Open recent").menu()
        fill_recent(recent, new_window)
        entries = {a.text(): a for a in recent.actions()}
        assert not entries[str(fresh)].isEnabled(), "the case open now is not offered"
        entries[str(ui_case.root)].trigger()
        assert launcher.window is not None
        assert launcher.window.case.root == ui_case.root
        # a case folder that is gone is greyed
        settings.setValue("recent_cases", [str(ui_case.root), str(tmp_path / "gone"), str(fresh)])
        fill_recent(recent := _action(launcher.window, "Open recent").menu(), launcher.window)
        greyed = {a.text(): a.isEnabled() for a in recent.actions()}
        assert greyed == {str(ui_case.root): False, str(tmp_path / "gone"): False, str(fresh): True}
        # Open case…
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(fresh))
        _action(launcher.window, "Open case…").trigger()
        assert launcher.window.case.root == fresh
        # Close case: back to the welcome screen, which lists the recent cases
        _action(launcher.window, "Close case").trigger()
        assert launcher.window is None
        assert launcher.case is None
        assert launcher.welcome is not None
        assert launcher.welcome.isVisible()
        assert launcher.welcome.recent.count() == 3
        assert settings.value("last_case") is None, "closed on purpose: the next start is the welcome screen"
        launcher.welcome.open_recent.emit(str(fresh))
        assert launcher.window is not None
        assert launcher.window.case.root == fresh
        assert launcher.welcome is None
    finally:
        if launcher.case is ui_case:
            launcher.case = None  # the fixture closes it
        launcher.close()
        if launcher.window is not None:
            launcher.window.deleteLater()


def test_a_case_that_cannot_be_opened_is_said(
    qtbot: QtBot, tmp_path: Path, ui_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: said.append(text))
    launcher = Launcher(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        window = launcher.open(ui_case)
        empty = tmp_path / "not-a-case"
        empty.mkdir()
        assert launcher.open_folder(empty) is None
        assert len(said) == 1
        assert launcher.window is window, "the open case stays open"
    finally:
        launcher.case = None
        launcher.close()


def test_new_case_in_a_folder_of_another_case_is_refused(
    qtbot: QtBot, tmp_path: Path, ui_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: said.append(text))
    with create_case(tmp_path / "other", title="Other") as other:
        folder = other.root
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Again", True))
    launcher = Launcher(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        window = launcher.open(ui_case)
        _action(window, "New case…").trigger()
        assert said, "one line says why"
        assert launcher.window is window
    finally:
        launcher.case = None
        launcher.close()
