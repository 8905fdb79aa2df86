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
        query = "12-05/1174"

        def search() -> None:
            # once the scans are read (OCR runs in the background when the demo first opens): a search
            # for a reference number, its best hit opened with the words highlighted, the Entities pane
            if window.reading.running:
                QTimer.singleShot(200, search)
                return
            window.show_search()
            window.search.run(query)
            first = window.search.model.index(0, 0)
            hit = window.search.model.index(0, 0, first)
            record = window.search.model.hit_at(hit)
            if record is not None:
                window.search.view.setCurrentIndex(hit)
                window.open_hit(record.document_id, record.page or 1, query)
            window.panes.setCurrentWidget(window.entities)
            QTimer.singleShot(500, when_sharp)

        def shoot() -> None:
            screen = QApplication.primaryScreen()
            screen.grabWindow(0).save(str(out))  # the X server's root window: what a person would see
            app.quit()

        def when_sharp() -> None:
            if window.viewer.is_sharp:
                QTimer.singleShot(800, shoot)  # let thumbnails arrive
            else:
                QTimer.singleShot(100, when_sharp)

        QTimer.singleShot(500, search)
        QTimer.singleShot(180_000, app.quit)
        app.exec()
        launcher.close()
    sys.stdout.write(f"wrote {out}\n")
    return 0 if out.exists() else 1


if __name__ == "__main__":
    sys.exit(main())
