"""Before Qt starts: can this machine show a window? If not, say in one line why and what to install.

On a Linux without Qt's X11 libraries, Qt prints "Could not load the Qt platform plugin "xcb"" and
aborts with a core dump; without a display it does the same. This module finds out first, without
importing Qt: it asks the dynamic loader for each shared object the installed PySide6 (6.11) takes
from the system, and for the display itself.

The lists below are the ``NEEDED`` entries (``readelf -d``) of PySide6's ``libQt6Gui``,
``libQt6Widgets``, ``libQt6DBus``, ``libQt6XcbQpa``, ``plugins/platforms/libqxcb.so``,
``libQt6WaylandClient`` and ``libqwayland.so`` that are not in the wheel, each with the Debian and
Ubuntu package that ships it (``dpkg -S`` on Debian 12). Redo them when PySide6's major version moves.

For tests only: ``REVIEWER_REQUIRE_LIBRARY="libname.so.1=package"`` (comma-separated) adds shared
objects to those every window start requires, so that a test can make one be missing for real.

Nothing here imports PySide6 and nothing is loaded for good that Qt would not load anyway.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import sys
from typing import TYPE_CHECKING

from reviewer.core.domain.errors import ReviewerError

if TYPE_CHECKING:
    from collections.abc import Mapping

#: What QtCore, QtGui and QtWidgets need whatever the platform plugin (offscreen too).
GUI_LIBRARIES: dict[str, str] = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}

#: What the X11 platform plugin (xcb) needs besides.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}

#: What the Wayland platform plugin needs besides.
WAYLAND_LIBRARIES: dict[str, str] = {
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
}

#: Libraries the ones above load in turn, so that a loader error naming one of them names its package.
_INDIRECT: dict[str, str] = {
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libexpat.so.1": "libexpat1",
    "libpng16.so.16": "libpng16-16",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libbsd.so.0": "libbsd0",
}

#: The variable a test sets to require a library that is not there (see the module's docstring).
REQUIRE_VARIABLE = "REVIEWER_REQUIRE_LIBRARY"

_MISSING_NAME = re.compile(r"^([^\s:]+\.so[^\s:]*): cannot open shared object file")


class WindowUnavailable(ReviewerError):
    """The window cannot start on this machine (no display, or system libraries Qt needs are missing)."""


def check_window_can_start(environ: Mapping[str, str] | None = None) -> None:
    """Raise :class:`WindowUnavailable` with a one-line reason when Qt would abort at start.

    Only Linux and the BSDs are checked: elsewhere Qt's platform plugins bring what they need.
    """
    env = os.environ if environ is None else environ
    if importlib.util.find_spec("PySide6") is None:
        raise WindowUnavailable(
            "the window needs PySide6, which is not installed here (pip install PySide6-Essentials); "
            "every other reviewer command works without it"
        )
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return
    needed = dict(GUI_LIBRARIES)
    needed.update(_required_for_tests(env))
    platforms = _platforms(env)
    shown_on = [p for p in platforms if p in ("xcb", "wayland")]
    if shown_on and not _usable_displays(shown_on, env):
        raise WindowUnavailable(
            "no display: the window needs a graphical session and neither DISPLAY nor WAYLAND_DISPLAY "
            "is set (every other reviewer command works without one)"
        )
    usable = _usable_displays(shown_on, env)
    if "wayland" in usable and not missing_libraries({**needed, **WAYLAND_LIBRARIES}):
        return
    if "xcb" in usable:
        needed.update(XCB_LIBRARIES)
    elif "wayland" in usable:
        needed.update(WAYLAND_LIBRARIES)
    missing = missing_libraries(needed)
    if missing:
        raise WindowUnavailable(missing_message(missing))
    if "xcb" in usable and "wayland" not in usable:
        problem = _x_display_problem(env.get("DISPLAY", ""))
        if problem:
            raise WindowUnavailable(problem)


def missing_libraries(needed: Mapping[str, str]) -> dict[str, str]:
    """The shared objects of ``needed`` (name -> package) the dynamic loader cannot load, by name.

    A library that is there but needs one that is not is reported as the one that is not.
    """
    missing: dict[str, str] = {}
    for name, package in needed.items():
        try:
            ctypes.CDLL(name, mode=os.RTLD_LAZY | os.RTLD_LOCAL)
        except OSError as exc:
            found = _MISSING_NAME.match(str(exc))
            culprit = found.group(1) if found else name
            if culprit != name and culprit not in needed and culprit not in _INDIRECT:
                culprit = name  # an unknown dependency: ask for the package of the one we know
            missing[culprit] = needed.get(culprit) or _INDIRECT.get(culprit) or package
    return missing


def missing_message(missing: Mapping[str, str]) -> str:
    """One line: what is missing and the command that installs it."""
    packages = " ".join(sorted(set(missing.values())))
    names = ", ".join(sorted(missing))
    install = f"sudo apt install {packages}"
    how = (
        f"install them with: {install}"
        if shutil.which("apt") or shutil.which("apt-get")
        else f"on Debian or Ubuntu: {install}; elsewhere, the packages that provide them"
    )
    return f"the window cannot start: Qt needs system libraries that are missing ({names}); {how}"


def explain_import_error(exc: ImportError) -> WindowUnavailable:
    """PySide6 failed to import: name the package when it is a missing shared object, else say so."""
    found = _MISSING_NAME.match(str(exc))
    if found:
        name = found.group(1)
        known = {**GUI_LIBRARIES, **XCB_LIBRARIES, **WAYLAND_LIBRARIES, **_INDIRECT}
        if name in known:
            return WindowUnavailable(missing_message({name: known[name]}))
    return WindowUnavailable(f"the window needs PySide6, which cannot be loaded here ({exc})")


def _required_for_tests(env: Mapping[str, str]) -> dict[str, str]:
    required: dict[str, str] = {}
    for item in env.get(REQUIRE_VARIABLE, "").split(","):
        name, _, package = item.strip().partition("=")
        if name:
            required[name] = package or name
    return required


def _platforms(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order (as QGuiApplication chooses them)."""
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return [part.split(":", 1)[0].strip() for part in chosen.split(";") if part.strip()]
    # Unset: xcb, with Wayland tried first in a Wayland session (Qt 6.5 and later).
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        return ["wayland", "xcb"]
    return ["xcb"]


def _usable_displays(platforms: list[str], env: Mapping[str, str]) -> list[str]:
    variable = {"xcb": "DISPLAY", "wayland": "WAYLAND_DISPLAY"}
    return [p for p in platforms if env.get(variable[p])]


def _x_display_problem(display: str) -> str | None:
    """Why the X display cannot be reached (None when it can): Qt would abort on it too."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None  # reported as a missing library already
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    screen = ctypes.c_int(0)
    # libxcb writes the server's refusal ("Authorization required, ...") straight to descriptor 2:
    # catch it, to say it in our one line.
    reading, writing = os.pipe()
    saved = os.dup(2)
    os.dup2(writing, 2)
    try:
        connection = xcb.xcb_connect(display.encode(), ctypes.byref(screen))
        failed = bool(connection is None or xcb.xcb_connection_has_error(connection))
        if connection is not None:
            xcb.xcb_disconnect(connection)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(writing)
        with os.fdopen(reading, "rb") as said:
            reason = " ".join(said.read(4096).decode("utf-8", "replace").split())
    if not failed:
        return None
    because = f" ({reason.rstrip('.')})" if reason else ""
    return (
        f"no display: the X display {display!r} (DISPLAY) cannot be reached{because}; start reviewer "
        "in the graphical session, or forward X (ssh -X)"
    )
