"""Starting the window: build the app's objects in one place, then hand them in."""

from __future__ import annotations

import gc
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from reviewer import __version__
from reviewer.core.domain.errors import ReviewerError
from reviewer.core.services.case import Case, create_case, is_case, open_case
from reviewer.core.storage.case_db import PasswordNeededError, WrongPasswordError
from reviewer.ui.i18n import chosen_language, install_translators, translate
from reviewer.ui.live import ask_password
from reviewer.ui.main_window import MainWindow
from reviewer.ui.menus import recent_cases, remember_case
from reviewer.ui.render_bridge import RenderBridge
from reviewer.ui.thumbnails import ThumbnailCache
from reviewer.ui.welcome import WelcomeWindow

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def settings_store() -> QSettings:
    """Where window state and the last case are remembered (``REVIEWER_SETTINGS`` overrides, for tests)."""
    path = os.environ.get("REVIEWER_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "reviewer", "reviewer")


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, made once."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv or [sys.argv[0]])
    app.setApplicationName("reviewer")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("reviewer")
    app.setDesktopFileName("org.reviewer.Reviewer")
    icon = _icon_path()
    if icon is not None:
        app.setWindowIcon(QIcon(str(icon)))
    return app


def _icon_path() -> Path | None:
    from importlib import resources

    try:
        candidate = Path(str(resources.files("reviewer.resources") / "icons" / "reviewer.svg"))
    except (ModuleNotFoundError, TypeError):
        return None
    return candidate if candidate.is_file() else None


class Launcher:
    """Owns the long-lived objects of a run: the renderer, the thumbnail cache, the settings, windows."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings or settings_store()
        self.bridge = RenderBridge()
        self.thumbnails = ThumbnailCache()
        self.window: MainWindow | None = None
        self.welcome: WelcomeWindow | None = None
        self.case: Case | None = None
        # passwords typed for shared cases' servers: for this run only, never written anywhere
        self._passwords: dict[Path, str] = {}

    def open(self, case: Case) -> MainWindow:
        """Show a case in the main window (closing whatever was shown, once the new one is up)."""
        old_window, old_case = self.window, self.case
        self.case = case
        self.window = MainWindow(case, self.bridge, self.thumbnails, self.settings)
        self.window.new_case_wanted.connect(self._new_case)
        self.window.open_case_wanted.connect(self._open_case)
        self.window.recent_case_wanted.connect(lambda folder: self.open_folder(Path(folder)))
        self.window.close_case_wanted.connect(self.close_case)
        self.window.show()
        if old_window is not None:
            old_window.close()
            old_window.deleteLater()
        if old_case is not None and old_case is not case:
            old_case.close()
        if self.welcome is not None:
            self.welcome.close()
            self.welcome = None
        remember_case(self.settings, case.root)  # after the old window said where it was
        return self.window

    def open_folder(self, folder: Path) -> MainWindow | None:
        """Open the case in ``folder`` (None, and a message, if it cannot be opened)."""
        if self.case is not None and folder.resolve() == self.case.root.resolve():
            return self.window
        try:
            case = open_case(folder, password=self._passwords.get(folder.resolve()))
        except PasswordNeededError as exc:
            opened = self._open_with_password(folder, str(exc))
            return None if opened is None else self.open(opened)
        except ReviewerError as exc:
            self._error(str(exc))
            return None
        return self.open(case)

    def _open_with_password(self, folder: Path, asked: str) -> Case | None:
        """Ask the server's password until it is right or the person cancels (then None)."""
        problem: str | None = None
        while True:
            password = ask_password(self._parent(), asked, problem)
            if password is None:
                return None
            try:
                case = open_case(folder, password=password)
            except WrongPasswordError as exc:
                problem = str(exc)
                continue
            except ReviewerError as exc:
                self._error(str(exc))
                return None
            self._passwords[folder.resolve()] = password
            return case

    def close_case(self) -> WelcomeWindow:
        """Close the case shown, back to the welcome screen."""
        welcome = self.show_welcome()
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.case is not None:
            self.case.close()
            self.case = None
        self.settings.remove("last_case")  # closed on purpose: the next start shows the welcome screen
        return welcome

    def show_welcome(self) -> WelcomeWindow:
        """The first screen."""
        self.welcome = WelcomeWindow(recent_cases(self.settings))
        self.welcome.new_case.connect(self._new_case)
        self.welcome.open_case.connect(self._open_case)
        self.welcome.open_demo.connect(self._open_default_demo)
        self.welcome.open_recent.connect(lambda folder: self.open_folder(Path(folder)))
        self.welcome.show()
        return self.welcome

    def _parent(self) -> QWidget | None:
        return self.window or self.welcome

    def _open_default_demo(self) -> None:
        from reviewer.core.services.demo import default_demo_location

        self.open_demo(default_demo_location())

    def open_demo(self, root: Path) -> MainWindow | None:
        """Open the demo case at ``root``, building it first if it is not there."""
        # The demo's generator (and everything it imports) is loaded only when a demo is asked for.
        from reviewer.core.services.demo import build_demo_case

        try:
            case = open_case(root) if is_case(root) else build_demo_case(root)
        except ReviewerError as exc:
            self._error(str(exc))
            return None
        return self.open(case)

    def _new_case(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self._parent(), translate("Launcher", "Choose an empty folder for the new case")
        )
        if not folder:
            return
        title, ok = QInputDialog.getText(
            self._parent(),
            translate("Launcher", "New case"),
            translate("Launcher", "Title of the case:"),
            text=Path(folder).name,
        )
        if not ok:
            return
        try:
            self.open(create_case(Path(folder), title=title))
        except ReviewerError as exc:
            self._error(str(exc))

    def _open_case(self) -> None:
        folder = QFileDialog.getExistingDirectory(self._parent(), translate("Launcher", "Open a case folder"))
        if folder:
            self.open_folder(Path(folder))

    def _error(self, message: str) -> None:
        QMessageBox.warning(self._parent(), "reviewer", message)

    def close(self) -> None:
        """Release everything."""
        if self.window is not None:
            self.window.close()
        self.thumbnails.wait()
        self.bridge.close()
        if self.case is not None:
            self.case.close()


def run(case_path: Path | None = None, *, demo: Path | None = None, smoke_test: bool = False) -> int:
    """Run the window: on a case, on the demo, or on the last case (else the welcome screen)."""
    app = application()
    if smoke_test:
        return _smoke_test(app)
    launcher = Launcher()
    # the window's words in the chosen language (View ▸ Language), else the system's, else English
    install_translators(app, chosen_language(launcher.settings))
    try:
        if demo is not None:
            if launcher.open_demo(demo) is None:
                return 1
        elif case_path is not None:
            try:
                launcher.open(open_case(case_path))
            except PasswordNeededError:  # the server asks a password libpq found nowhere: the prompt
                if launcher.open_folder(case_path) is None:
                    return 1
        else:
            last = launcher.settings.value("last_case")
            if isinstance(last, str) and is_case(Path(last)):
                try:
                    launcher.open(open_case(Path(last)))
                except ReviewerError:
                    launcher.show_welcome()
            else:
                launcher.show_welcome()
        freeze_long_lived()
        return int(app.exec())
    finally:
        launcher.close()


def freeze_long_lived() -> None:
    """Keep what exists now out of the garbage collector's full passes (``gc.freeze``).

    What exists once the window is up (modules, Qt's wrappers, the case, the list's first rows: about
    100,000 objects at 100,000 documents) lives long; a full collection walked it all each time, set
    off by whatever allocated next (the timeline's p95, issue 16). Frozen, a full pass walks only what
    came later: at 100,000 documents with every list row loaded, the timeline is drawn in 174 / 236 ms
    (median / p95) against 322 / 372 ms. Frozen objects are still freed by reference counting; only a
    reference cycle among them that later becomes garbage (a closed case's window) stays to the end.
    """
    gc.freeze()


def _smoke_test(app: QApplication) -> int:
    """Build the demo in a temporary folder, show it, and succeed once the first page is sharp."""
    with tempfile.TemporaryDirectory(prefix="reviewer-smoke-") as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        launcher = Launcher(settings)
        outcome = {"code": 1}
        try:
            window = launcher.open_demo(Path(scratch) / "demo")
            if window is None:
                return 1

            def sharp(_page: int) -> None:
                outcome["code"] = 0
                app.quit()

            window.viewer.page_sharp.connect(sharp)
            if window.viewer.is_sharp:
                return 0
            QTimer.singleShot(60_000, app.quit)
            app.exec()
        finally:
            launcher.close()
        verdict = (
            "the demo case opened and its first page was drawn"
            if outcome["code"] == 0
            else ("no page was drawn within 60 s")
        )
        sys.stdout.write(f"smoke test: {verdict}\n")
        return outcome["code"]
