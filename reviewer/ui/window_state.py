"""The window as it was left: its size, the page-first layout, how the page is fitted, the pane shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from reviewer.ui.main_window import MainWindow


def restore_window(window: MainWindow, settings: QSettings) -> None:
    """Show the window as it was left (a first run: as large as the screen allows, up to 1500x900)."""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    else:
        screen = window.screen().availableGeometry()
        window.resize(min(1500, screen.width()), min(900, screen.height()))
    # The splitter's old saved state gave the page 540 px of 1600: not restored, the new layout is.
    window.layout_parts.restore(settings)
    fit = str(settings.value("view/fit", "width"))
    if fit == "page":
        window.viewer.fit_page()
    elif fit == "zoom":
        window.viewer.set_zoom(_number(settings.value("view/zoom"), 1.0))
    tab = settings.value("window/pane")
    if tab is not None:
        window.panes.setCurrentIndex(int(str(tab)))


def save_window(window: MainWindow, settings: QSettings) -> None:
    """Keep how the window is now, and its case as the one to open next time."""
    settings.setValue("window/geometry", window.saveGeometry())
    window.layout_parts.save(settings)
    settings.setValue("view/fit", window.viewer.fit_mode or "zoom")
    settings.setValue("view/zoom", window.viewer.zoom)
    settings.setValue("window/pane", window.panes.currentIndex())
    settings.setValue("last_case", str(window.case.root))
    settings.sync()


def _number(value: object, default: float) -> float:
    try:
        return float(str(value))
    except ValueError:
        return default
