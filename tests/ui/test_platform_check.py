"""Starts or says why: where Qt would abort (no display, missing X11 libraries), one line and exit 1.

The commands run in real subprocesses, with the environment a bare machine would give them. A
missing library is made real with ``REVIEWER_REQUIRE_LIBRARY`` (see reviewer/ui/platform_check.py):
the check then asks the dynamic loader for a shared object that does not exist.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.core.services.case import create_case
from reviewer.ui import platform_check
from reviewer.ui.platform_check import (
    GUI_LIBRARIES,
    REQUIRE_VARIABLE,
    WindowUnavailable,
    check_window_can_start,
    explain_import_error,
    missing_libraries,
)

ABSENT = "libreviewer-absent.so.9"
ABSENT_PACKAGE = "libreviewer-absent9"
_SESSION = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE", REQUIRE_VARIABLE)


def _free_x_display() -> str:
    """A display number no X server listens on here (no socket for it)."""
    for number in range(4711, 4800):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            return f":{number}"
    raise AssertionError("every display from :4711 to :4799 has a socket")


def _bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SESSION}
    env["HOME"] = str(tmp_path / "home")
    env["REVIEWER_SETTINGS"] = str(tmp_path / "settings.ini")
    env.update(extra)
    return env


def _reviewer(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)  # not -6: no abort
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert done.stdout == ""
    for noise in ("Traceback", "qt.qpa", "Aborted", "unexpected error"):
        assert noise not in done.stderr
    return lines[0]


@pytest.fixture
def case_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    create_case(folder, title="platform check").close()
    return folder


def test_open_names_the_missing_library_and_the_apt_command(tmp_path: Path, case_folder: Path) -> None:
    env = _bare_env(tmp_path, DISPLAY=_free_x_display(), **{REQUIRE_VARIABLE: f"{ABSENT}={ABSENT_PACKAGE}"})
    line = _one_line(_reviewer(["open", str(case_folder)], env))
    assert line.startswith("reviewer: error: the window cannot start")
    assert ABSENT in line
    assert f"sudo apt install {ABSENT_PACKAGE}" in line


def test_demo_says_so_before_building_anything(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    env = _bare_env(tmp_path, DISPLAY=":0", **{REQUIRE_VARIABLE: f"{ABSENT}={ABSENT_PACKAGE}"})
    line = _one_line(_reviewer(["demo", str(demo)], env))
    assert f"sudo apt install {ABSENT_PACKAGE}" in line
    assert not demo.exists()


def test_demo_without_a_window_needs_no_display(tmp_path: Path, case_folder: Path) -> None:
    """``--no-window`` is the command line's business: no display and no Qt library is asked for."""
    env = _bare_env(tmp_path, **{REQUIRE_VARIABLE: f"{ABSENT}={ABSENT_PACKAGE}"})
    done = _reviewer(["demo", str(case_folder), "--no-window"], env)  # already built: only read
    assert done.returncode == 0, done.stderr
    assert "the demo case is at" in done.stdout


@pytest.mark.parametrize("args", [["open", "CASE"], [], ["demo", "DEMO"]])
def test_no_display_at_all(tmp_path: Path, case_folder: Path, args: list[str]) -> None:
    args = [str(case_folder) if a == "CASE" else str(tmp_path / "demo") if a == "DEMO" else a for a in args]
    line = _one_line(_reviewer(args, _bare_env(tmp_path)))
    assert line.startswith("reviewer: error: no display:")
    assert "DISPLAY" in line
    assert not (tmp_path / "demo").exists()


def test_a_display_nobody_listens_on(tmp_path: Path, case_folder: Path) -> None:
    """Qt aborts with a core dump here ("could not connect to display"); reviewer says it."""
    display = _free_x_display()
    line = _one_line(_reviewer(["open", str(case_folder)], _bare_env(tmp_path, DISPLAY=display)))
    assert line.startswith("reviewer: error: no display:")
    assert repr(display) in line


def test_offscreen_needs_no_display() -> None:
    check_window_can_start({"QT_QPA_PLATFORM": "offscreen"})


def test_offscreen_still_needs_the_gui_libraries() -> None:
    env = {"QT_QPA_PLATFORM": "offscreen", REQUIRE_VARIABLE: f"{ABSENT}={ABSENT_PACKAGE}"}
    with pytest.raises(WindowUnavailable, match=ABSENT_PACKAGE):
        check_window_can_start(env)


def test_a_wayland_session_is_not_asked_for_x11() -> None:
    """With only WAYLAND_DISPLAY Qt uses its Wayland plugin: no X display is wanted."""
    needed = {**GUI_LIBRARIES, **platform_check.WAYLAND_LIBRARIES}
    env = {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    if missing_libraries(needed):
        with pytest.raises(WindowUnavailable, match="sudo apt install"):
            check_window_can_start(env)
    else:
        check_window_can_start(env)


def test_missing_libraries_reports_only_what_the_loader_cannot_load() -> None:
    libc = "libc.so.6"
    assert missing_libraries({libc: "libc6", ABSENT: ABSENT_PACKAGE}) == {ABSENT: ABSENT_PACKAGE}


def test_several_missing_packages_in_one_command() -> None:
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        REQUIRE_VARIABLE: "libnot-a.so.1=libnot-a1, libnot-b.so.2=libnot-b2",
    }
    with pytest.raises(WindowUnavailable) as caught:
        check_window_can_start(env)
    assert "sudo apt install libnot-a1 libnot-b2" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_pyside6_that_cannot_load_a_library_names_its_package() -> None:
    """What ``import PySide6.QtGui`` raises on a machine without libEGL."""
    error = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    assert "sudo apt install libegl1" in str(explain_import_error(error))
    other = explain_import_error(ImportError("No module named 'PySide6'"))
    assert "needs PySide6" in str(other)
