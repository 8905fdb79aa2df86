"""Make docs/screenshot.png: the main window on the demo case, on a real X server (run under Xvfb).

xvfb-run -s "-screen 0 1600x1000x24" python docs/screenshot.py docs/screenshot.png
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from reviewer.core.services import queries
from reviewer.ui.app import Launcher, application


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png")
    if not os.environ.get("DISPLAY"):
        sys.stderr.write("run under Xvfb: xvfb-run -s '-screen 0 1600x1000x24' python docs/screenshot.py\n")
        return 2
    app = application()
    with tempfile.TemporaryDirectory(prefix="reviewer-shot-") as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        launcher = Launcher(settings)
        window = launcher.open_demo(Path(scratch) / "demo")
        if window is None:
            return 1
        window.setGeometry(0, 0, 1600, 1000)
        # show the most annotated document, with its Annotations pane open
        best = max(
            queries.list_documents(window.case),
            key=lambda d: len(queries.document_detail(window.case, str(d.id)).annotations),
        )
        window.open_document(best.id)
        window.panes.setCurrentWidget(window.annotations)
        if window.annotations.model.rowCount():
            window.annotations.list.setCurrentIndex(window.annotations.model.index(0))

        def shoot() -> None:
            screen = QApplication.primaryScreen()
            screen.grabWindow(0).save(str(out))  # the X server's root window: what a person would see
            app.quit()

        def when_sharp() -> None:
            if window.viewer.is_sharp:
                QTimer.singleShot(800, shoot)  # let thumbnails arrive
            else:
                QTimer.singleShot(100, when_sharp)

        QTimer.singleShot(500, when_sharp)
        QTimer.singleShot(60_000, app.quit)
        app.exec()
        launcher.close()
    sys.stdout.write(f"wrote {out}\n")
    return 0 if out.exists() else 1


if __name__ == "__main__":
    sys.exit(main())
