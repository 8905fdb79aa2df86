"""Make the window's pictures in docs/: the main window on the demo case, on a real X server (Xvfb).

The window fills the X screen, so the screen's size is the window's::

    xvfb-run -s "-screen 0 1600x1000x24" python docs/screenshot.py docs/screenshot.png
    xvfb-run -s "-screen 0 1366x768x24" python docs/screenshot.py docs/layout-1366.png --scene list
    xvfb-run -s "-screen 0 1920x1080x24" python docs/screenshot.py docs/layout-1920.png --scene list
    xvfb-run -s "-screen 0 1366x768x24" python docs/screenshot.py docs/reading-mode.png --scene reading
    xvfb-run -s "-screen 0 1366x768x24" python docs/screenshot.py docs/screenshot-ru.png --locale ru
    xvfb-run -s "-screen 0 1366x768x24" python docs/screenshot.py docs/text-annotation.png --scene text

Scenes: ``search`` (a search for a reference number, its best hit opened, the Entities pane), ``list``
(the document list and a letter with its Text pane), ``reading`` (reading mode) and ``text`` (words of
a letter marked as a text annotation, with its note in the Notes pane). ``--demo FOLDER``
keeps the demo case there between runs; ``--locale ru`` shows the window in Russian; pictures are
saved with a palette of 256 colours (small PNGs).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from reviewer.core.domain.errors import ReviewerError
from reviewer.ui.app import Launcher, application
from reviewer.ui.i18n import install_translators

if TYPE_CHECKING:
    from reviewer.core.services.case import Case


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", nargs="?", default="docs/screenshot.png", type=Path)
    parser.add_argument("--scene", choices=("search", "list", "reading", "text"), default="search")
    parser.add_argument("--demo", type=Path, help="the demo case's folder (built there if missing)")
    parser.add_argument("--document", type=int, default=9, help="the document shown (list, reading)")
    parser.add_argument("--locale", default="en", help="the window's language: en, ru (docs/translating.md)")
    args = parser.parse_args()
    out: Path = args.out
    if not os.environ.get("DISPLAY"):
        sys.stderr.write("run under Xvfb: xvfb-run -s '-screen 0 1600x1000x24' python docs/screenshot.py\n")
        return 2
    app = application()
    install_translators(app, args.locale)
    with tempfile.TemporaryDirectory(prefix="reviewer-shot-") as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        launcher = Launcher(settings)
        window = launcher.open_demo(args.demo or Path(scratch) / "demo")
        if window is None:
            return 1
        screen = QApplication.primaryScreen()
        window.setGeometry(screen.geometry())
        query = "12-05/1174"

        def search() -> None:
            # once the scans are read (OCR runs in the background when the demo first opens): a search
            # for a reference number, its best hit opened with the words highlighted, the Entities pane
            if window.reading.running:
                QTimer.singleShot(200, search)
                return
            if args.scene == "search":
                window.show_search()
                window.search.run(query)
                first = window.search.model.index(0, 0)
                hit = window.search.model.index(0, 0, first)
                record = window.search.model.hit_at(hit)
                if record is not None:
                    window.search.view.setCurrentIndex(hit)
                    window.open_hit(record.document_id, record.page or 1, query)
                window.panes.setCurrentWidget(window.entities)
            elif args.scene == "text":
                annotated = mark_words(window.case, args.document)
                window.open_document(args.document)
                window.panes.setCurrentWidget(window.annotations)
                if annotated is not None:
                    window.annotations.select(annotated)
            else:
                window.open_document(args.document)
                window.panes.setCurrentWidget(window.page_text)
                window.layout_parts.set_reading(args.scene == "reading")
            QTimer.singleShot(500, when_sharp)

        def shoot() -> None:
            grabbed = screen.grabWindow(0)  # the X server's root window: what a person would see
            raw = Path(scratch) / "raw.png"
            grabbed.save(str(raw))
            with Image.open(raw) as picture:
                small = picture.convert("RGB").quantize(
                    256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
                )
                small.save(out, optimize=True)
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
    sys.stdout.write(f"wrote {out} ({out.stat().st_size // 1024} KB)\n" if out.exists() else "")
    return 0 if out.exists() else 1


def mark_words(case: Case, document_id: int) -> str | None:
    """A text annotation over a run of words in the middle of the document's first page (once)."""
    from reviewer.core.services import documents, queries

    if any(a.quote is not None for a in queries.document_detail(case, document_id).annotations):
        return None
    note = "The quantity matches the export passport (14 packages), not the bill of sale."
    try:  # the demo's Brannock & Vey letter says it; another document gets words from its middle
        made = documents.annotate_text(
            case, document_id, page=1, text="the 14 packages of machine-tool equipment", note=note
        )
    except ReviewerError:
        words = documents.page_words(case, document_id, 1)
        if len(words) < 40:
            return None
        first = len(words) // 2
        made = documents.annotate_text(case, document_id, page=1, span=(first, first + 5), note=note)
    return made.id


if __name__ == "__main__":
    sys.exit(main())
