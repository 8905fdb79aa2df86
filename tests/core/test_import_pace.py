"""An import that keeps pace, round two: pages read as they are recorded, a few statements a document."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from reviewer.cli import main
from reviewer.core.ingest.analyse import analyse_file
from reviewer.core.ingest.reading import OcrMode
from reviewer.core.ingest.tasks import AnalysisTask, ReadingPlan
from reviewer.core.services import entities
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import ImportOptions, import_paths
from reviewer.core.services.reading import read_pages
from reviewer.core.storage import anchor
from reviewer.core.storage.orm import CustodyEvent, Entity, Page, SearchEntry
from reviewer.core.text.watchlist import WatchTerm
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from reviewer.core.services.case import Case

LINES = ["Договор 12-05/1174 от 14.03.2021", "на сумму 1 250 000 руб.", "Minsk, 3 May 2020, EUR 4,500"]


def _notes(inbox: Path, count: int) -> list[Path]:
    return [
        filemaker.make_text_pdf(inbox / f"note-{i:02d}.pdf", pages=2, lines=LINES, title=f"Note {i}", seed=i)
        for i in range(count)
    ]


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement sent while the test runs."""
    seen: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def _read_state(case: Case) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Each page's reading and each entity found, in a form two cases can be compared by."""
    with case.db.reading() as session:
        pages = session.execute(
            select(Page.number, Page.ocr_status, Page.text).order_by(Page.document_id, Page.number)
        ).all()
        found = session.execute(
            select(Entity.document_id, Entity.page, Entity.kind, Entity.value, Entity.start).order_by(
                Entity.document_id, Entity.page, Entity.start, Entity.kind
            )
        ).all()
    return [tuple(p) for p in pages], [tuple(e) for e in found]


def test_a_batch_is_recorded_in_a_few_statements_a_document(
    case: Case, inbox: Path, statements: list[str]
) -> None:
    files = _notes(inbox, 12)
    report = import_paths(case, files)
    assert report.ok
    assert len(report.imported) == 12
    # 34-35 a document before (the custody state read per document, the search index row by row):
    # now the document, its pages and its sighting, and a few statements per batch for the rest
    assert len(statements) < 8 * len(files), len(statements)
    with case.db.reading() as session:
        anchored = dict(
            session.execute(
                select(CustodyEvent.document_id, CustodyEvent.state_hash).where(
                    CustodyEvent.action == "imported"
                )
            ).all()
        )
        states = anchor.document_states(session, list(anchored))
        kinds = session.execute(select(SearchEntry.document_id, SearchEntry.kind, SearchEntry.page)).all()
    # each entry anchors its own document's state, as one written document by document would
    assert {d: anchor.state_hash(states[d]) for d in anchored} == anchored
    assert len(kinds) == 12 * 3  # two text layers and the description of each document
    assert verify_case(case).ok


def test_pages_read_as_recorded_are_what_reading_after_the_import_makes_of_them(
    case: Case, inbox: Path, tmp_path: Path
) -> None:
    files = [*_notes(inbox, 3), filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=2)]
    report = import_paths(case, files, ImportOptions(read_as=OcrMode.NEVER))
    assert (report.pages_read, report.pages_skipped) == (8, 2)  # the scan's pages: OCR off
    during = _read_state(case)
    assert all(status is not None for _n, status, _t in during[0])
    assert during[1], "the notes' dates, references and amounts are found"
    # nothing left for the reading pass
    assert read_pages(case, [i.id for i in report.imported], mode=OcrMode.NEVER).pages == 0

    from reviewer.core.services.case import create_case

    with create_case(tmp_path / "other", title="Other", actor="tester") as other:
        later = import_paths(other, files)
        assert later.pages_read == 0
        read_pages(other, [i.id for i in later.imported], mode=OcrMode.NEVER)
        assert _read_state(other) == during
    assert verify_case(case).ok


def test_pages_to_ocr_are_left_to_reading(case: Case, inbox: Path) -> None:
    files = [*_notes(inbox, 1), filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=2)]
    report = import_paths(case, files, ImportOptions(read_as=OcrMode.ALWAYS))
    assert report.pages_read == 0  # every page waits for OCR
    with case.db.reading() as session:
        assert session.scalars(select(Page.ocr_status)).all() == [None] * 4


def test_same_bytes_twice_and_a_known_file_keep_the_log_in_the_files_order(case: Case, inbox: Path) -> None:
    first, second = _notes(inbox, 2)
    import_paths(case, [first])
    again = shutil.copy(second, inbox / "copy-of-second.pdf")
    moved = shutil.copy(first, inbox / "copy-of-first.pdf")
    report = import_paths(case, [second, again, moved])  # one batch
    assert len(report.imported) == 1
    assert len(report.duplicates) == 2
    with case.db.reading() as session:
        log = session.execute(
            select(CustodyEvent.action, CustodyEvent.document_id).where(CustodyEvent.document_id.is_not(None))
        ).all()
    second_id = report.imported[0].id
    assert log[1:] == [("imported", second_id), ("sighting_added", second_id), ("sighting_added", log[0][1])]
    assert verify_case(case).ok


def test_import_never_says_every_page_read(
    case: Case, inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _notes(inbox, 2)
    filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=2)
    assert main(["import", str(case.root), str(inbox), "--ocr", "never"]) == 0
    out = capsys.readouterr().out
    assert "6 page(s) read, 0 by OCR, 0 failed" in out
    with case.db.reading() as session:
        assert None not in session.scalars(select(Page.ocr_status)).all()


def test_the_workers_find_the_entities_and_the_recording_process_only_stores_them(
    case: Case, inbox: Path, tmp_path: Path
) -> None:
    """Entities of pages read as recorded are found in the analysis's worker (issue 13): the process
    that records does not load the entity finders at all, and what is stored is what finding them
    again from the stored text gives, watch-list terms included."""
    entities.add_watch_term(case, "Minsk", "organisation", ["Минск"])
    _notes(inbox, 3)
    filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=1)
    code = (
        "import sys\n"
        "from reviewer.cli import main\n"
        f"rc = main(['import', {str(case.root)!r}, {str(inbox)!r}, '--ocr', 'never', '--json'])\n"
        "print('finders loaded:', 'reviewer.core.text.dates' in sys.modules, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "finders loaded: False" in done.stderr
    pages, stored = _read_state(case)
    kinds = {kind for _d, _p, kind, _v, _s in stored}
    assert {"date", "reference", "money", "term"} <= kinds
    with case.db.unit_of_work() as uow:
        entities.reindex_case(uow.session)  # found again, in this process, from the stored text
        uow.commit()
    assert _read_state(case) == (pages, stored)


def test_an_analysis_asked_to_read_finds_entities_only_on_pages_its_text_decides(tmp_path: Path) -> None:
    note = filemaker.make_text_pdf(tmp_path / "note.pdf", pages=2, lines=LINES)
    scan = filemaker.make_scanned_pdf(tmp_path / "scan.pdf", pages=1)
    (tmp_path / "staging").mkdir()
    (tmp_path / "originals").mkdir()
    watch = (WatchTerm("Minsk", "organisation"),)
    for mode, expected in ((OcrMode.NEVER, True), (OcrMode.ALWAYS, False)):
        for path in (note, scan):
            task = AnalysisTask(
                str(path),
                str(tmp_path / "staging"),
                str(tmp_path / "originals"),
                reading=ReadingPlan(mode, ocr_available=True, watch=watch),
            )
            result = analyse_file(task, lambda: None)
            for page in result.pages:
                if expected and path == note:
                    assert page.entities is not None
                    assert ("term", "Minsk", "Minsk", page.text.index("Minsk")) in page.entities
                elif expected:
                    assert page.entities == ()  # OCR off: its (empty) layer is what is read
                else:
                    assert page.entities is None  # to be OCR'd: found once OCR has read it
