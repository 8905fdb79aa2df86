"""Make the window's pictures in docs/: the main window on the demo case, on a real X server (Xvfb).

The window fills the X screen, so the screen's size is the window's::

    xvfb-run -s "-screen 0 1600x1000x24" python docs/screenshot.py docs/screenshot.png
    xvfb-run -s "-screen 0 1366x768x24" python docs/screenshot.py docs/layout-1366.png --scene list
    xvfb-run -s "-screen 0 1920x1080x24" python docs/screenshot.py docs/layout-1920.png --scene list
    xvfb-run -s "-screen 0 1366x768x24" python docs/screenshot.py docs/reading-mode.png --scene reading
    xvfb-run -s "-screen 0 1366x768x24" python docs/screenshot.py docs/screenshot-ru.png --locale ru
    xvfb-run -s "-screen 0 1366x768x24" python docs/screenshot.py docs/text-annotation.png --scene text
    xvfb-run -s "-screen 0 1366x768x24" python docs/screenshot.py docs/team-window.png --scene team
    xvfb-run -a -s "-screen 0 1366x768x24" python docs/screenshot.py docs/forensics-pane.png --scene forensics
    xvfb-run -a -s "-screen 0 1366x768x24" python docs/screenshot.py docs/copy-move.png --scene copies
    xvfb-run -a -s "-screen 0 1366x768x24" python docs/screenshot.py docs/timeline.png --scene timeline

Scenes: ``search`` (a search for a reference number, its best hit opened, the Entities pane), ``list``
(the document list and a letter with its Text pane), ``reading`` (reading mode) and ``text`` (words of
a letter marked as a text annotation, with its note in the Notes pane) and ``team`` (the demo moved
onto a throwaway PostgreSQL server, tests/pg_cluster.py, and open in the window while a colleague,
boris, has it open too: his status shown as he commits it, his edit of a field the person was typing
offered in the conflict box, "Also here: boris" in the status bar), ``forensics`` (the Forensics
pane on note 12-05/1174: its signals, and a region search from its annotated seal with the places
found) and ``copies`` (a copy of that note whose seal was cloned lower on the page, imported into the
demo, with "Look for copies on this page" run and the copies outlined) and ``timeline`` (the Timeline
tab, drawn from the case's counts per date and status, a letter selected on it). ``--demo FOLDER``
keeps the demo case there between runs; ``--locale ru`` shows the window in Russian; pictures are
saved with a palette of 256 colours (small PNGs).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.services import queries
from reviewer.ui.app import Launcher, application
from reviewer.ui.i18n import install_translators

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QImage

    from reviewer.core.services.case import Case
    from reviewer.ui.main_window import MainWindow


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", nargs="?", default="docs/screenshot.png", type=Path)
    parser.add_argument(
        "--scene",
        choices=("search", "list", "reading", "text", "team", "forensics", "copies", "timeline"),
        default="search",
    )
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
        colleague: list[Any] = []
        if args.scene == "team":
            window = open_shared_demo(launcher, Path(scratch), colleague)
        else:
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
            if args.scene == "team":
                window.open_document(args.document)
                QTimer.singleShot(300, lambda: colleague_works(window, colleague[0], args.document))
            elif args.scene == "search":
                window.show_search()
                window.search.run(query)
                first = window.search.model.index(0, 0)
                hit = window.search.model.index(0, 0, first)
                record = window.search.model.hit_at(hit)
                if record is not None:
                    window.search.view.setCurrentIndex(hit)
                    window.open_hit(record.document_id, record.page or 1, query)
                window.panes.setCurrentWidget(window.entities)
            elif args.scene in ("forensics", "copies"):
                show_forensics(window, args.scene, Path(scratch), shoot)
                return
            elif args.scene == "timeline":
                window.open_document(args.document)
                window.browse.setCurrentWidget(window.timeline)  # drawn from the counts per date
                window.panes.setCurrentWidget(window.verification)
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
            QTimer.singleShot(4000 if args.scene == "team" else 500, when_sharp)  # team: boris's edits

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
        for thing in reversed(colleague):  # the server last
            (thing.stop if hasattr(thing, "stop") else thing.close)()
    sys.stdout.write(f"wrote {out} ({out.stat().st_size // 1024} KB)\n" if out.exists() else "")
    return 0 if out.exists() else 1


def open_shared_demo(launcher: Launcher, scratch: Path, colleague: list[Any]) -> MainWindow | None:
    """The demo case moved onto a throwaway PostgreSQL server, open in the window and by boris.

    ``colleague`` gets boris's open case and his window's listener (what makes him "here"), then
    the server, to be closed in reverse order.
    """
    from reviewer.core.services.case import open_case
    from reviewer.core.services.demo import build_demo_case
    from reviewer.core.services.move import move_case
    from reviewer.core.services.team import grant_access
    from reviewer.core.storage.live import ChangeListener

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's tests/
    from tests.pg_cluster import PostgresCluster

    server = PostgresCluster().start()
    colleague.append(server)
    url = server.create_database("newsroom")
    os.environ["PGUSER"] = server.superuser
    root = scratch / "demo"
    build_demo_case(root).close()
    move_case(root, url)
    server.create_role("boris")
    with open_case(root) as owner:
        grant_access(owner, "boris", "editor")
    os.environ["PGUSER"] = "boris"
    boris = open_case(root)
    listener = ChangeListener.open(boris.db)
    os.environ["PGUSER"] = server.superuser
    colleague[:0] = [boris, listener]
    return launcher.open_folder(root)


def colleague_works(window: MainWindow, boris: Case, document_id: int) -> None:
    """Boris decides the status of the document shown while the person types its issuer, then
    records another issuer first: the person's edit is refused and offered (ConflictBox)."""
    from PySide6.QtTest import QTest

    from reviewer.core.domain.values import VerificationStatus
    from reviewer.core.services import documents

    window.team.look()
    # boris's connections are made as boris (libpq reads PGUSER when it connects, not when the case opens)
    me, os.environ["PGUSER"] = os.environ["PGUSER"], "boris"
    documents.set_status(
        boris, document_id, VerificationStatus.IN_REVIEW, "Asked the ministry's press office to confirm."
    )
    window.panes.setCurrentWidget(window.metadata)
    issuer = window.metadata.edits["issuer"]
    issuer.setFocus()
    issuer.selectAll()
    QTest.keyClicks(issuer, "Embassy of the Republic")
    documents.set_metadata(boris, document_id, {"issuer": "Ministry of Foreign Affairs"})
    os.environ["PGUSER"] = me
    QTimer.singleShot(800, issuer.commit)


#: The demo's note 12-05/1174, whose seal is annotated.
_NOTE_1174 = 1


def show_forensics(window: MainWindow, scene: str, scratch: Path, shoot: Callable[[], None]) -> None:
    """The Forensics pane: a region search from the note's seal (``forensics``), or copies outlined on
    a copy of the note whose seal was cloned (``copies``); ``shoot`` once the work is shown."""
    pane = window.forensics
    window.panes.setCurrentWidget(pane)
    if scene == "copies":
        document = import_cloned_seal(window.case, scratch)
        window._case_changed_elsewhere()  # the list and its count, as when a colleague imports
        window.open_document(document)
        window.viewer.fit_page()  # the seal at the top and its copy near the foot of the page

        def outlined(_page: int, image: QImage) -> None:
            if image.isNull():
                return
            warnings = pane.signals.group_indexes()[0]
            pane.signal_view.expand(pane.signals.index(0, 0, warnings))  # the copies' signal, opened
            QTimer.singleShot(1500, shoot)

        pane.overlayReady.connect(outlined)
        QTimer.singleShot(1000, pane.find_copies_on_page)
        return
    window.open_document(_NOTE_1174)
    window.viewer.fit_page()  # the annotated seal is at the foot of the page
    seal = next(
        a.id for a in queries.document_detail(window.case, _NOTE_1174).annotations if "stamp" in a.tags
    )
    pane.regions.choice.setCurrentIndex(pane.regions.choice.findData(seal))

    def found() -> None:
        first = pane.signals.index(0, 0, pane.signals.group_indexes()[0])
        pane.signal_view.expand(first)  # why it matters, its raw value and "Add to rationale"
        QTimer.singleShot(1500, shoot)

    pane.regionsFound.connect(lambda *_: found())
    QTimer.singleShot(1000, pane.regions.find_elsewhere)


def import_cloned_seal(case: Case, scratch: Path) -> int:
    """Import a copy of note 12-05/1174 whose seal was copied, with the paper round it, lower on the
    page (a forger's second stamp); its document id (the same one when the demo already has it)."""
    import io

    import pymupdf

    from reviewer.core.services.demo import demo_files_location
    from reviewer.core.services.importing import ImportOptions, import_paths

    detail = queries.document_detail(case, _NOTE_1174)
    seal = next(a for a in detail.annotations if "stamp" in a.tags)
    received = demo_files_location(case.root) / "from-source-A" / "note_12-05-1174.pdf"
    with pymupdf.open(str(received)) as note:
        xref = note[0].get_images()[0][0]
        width, height = note[0].rect.width, note[0].rect.height
        scan = Image.open(io.BytesIO(note.extract_image(xref)["image"])).convert("RGB")
    k = scan.width / width  # pixels a point
    box = tuple(round(v * k) for v in (seal.x0, seal.y0, seal.x1, seal.y1))
    copy = scan.crop(box)
    scan.paste(copy, (round(70 * k), round(700 * k)))  # lower left, under the typed text
    buffer = io.BytesIO()
    scan.save(buffer, "JPEG", quality=88, dpi=(round(k * 72), round(k * 72)))
    forged = scratch / "note_12-05-1174_two-seals.pdf"
    with pymupdf.open() as pdf:
        page = pdf.new_page(width=width, height=height)
        page.insert_image(page.rect, stream=buffer.getvalue())
        pdf.set_metadata({})  # no dates and no new file id: the same bytes each run, one document
        pdf.save(str(forged), no_new_id=True)
    report = import_paths(case, [forged], ImportOptions(source="Source A (Signal)"))
    return next(f.id for f in (*report.imported, *report.duplicates))


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
