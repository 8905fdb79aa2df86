"""Reading pages after import: OCR of generated Russian scans, word boxes, resume, and no Tesseract."""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from typing import TYPE_CHECKING

import pymupdf
import pytest
from sqlalchemy import select

from reviewer.cli import main
from reviewer.core.domain.errors import UsageError
from reviewer.core.ingest import tesseract
from reviewer.core.ingest.reading import OcrMode, usable_text
from reviewer.core.services import entities, reading, settings
from reviewer.core.services.importing import import_paths
from reviewer.core.services.queries import document_detail
from reviewer.core.services.search import highlights, page_text, search
from reviewer.core.storage.orm import Page
from tests.conftest import raw_db
from tests.filemaker import make_scanned_pdf, make_text_pdf, make_tiff

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case

SCAN = [
    "МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ",
    "Исх. № 12-05/1174",
    "Экспортный паспорт ЭП-078/1133-19",
    "Концерн Белнефтехим просит содействия",
]


@pytest.fixture
def ocr_engine() -> None:
    """Tesseract with Russian; fails (never skips) without it: .ci/run installs it."""
    if tesseract.tesseract_program() is None or "rus" not in tesseract.installed_languages():
        pytest.fail("these tests need Tesseract: apt-get install -y tesseract-ocr tesseract-ocr-rus")


def _import_one(case: Case, path: Path) -> int:
    report = import_paths(case, [path])
    assert report.imported, report.failed
    return report.imported[0].id


def test_a_skewed_noisy_russian_scan_is_read_and_found(case: Case, inbox: Path, ocr_engine: None) -> None:
    path = make_scanned_pdf(inbox / "scan.pdf", lines=SCAN, skew_degrees=1.2, noise=0.15, stamp=True, dpi=200)
    doc = _import_one(case, path)
    assert search(case, "Белнефтехим").documents == ()  # an image only: nothing to find before OCR
    assert reading.pending_pages(case) == 1
    entities.add_watch_term(case, "Белнефтехим", "organisation")

    report = reading.read_pages(case)

    assert (report.pages, report.ocr, report.failed) == (1, 1, [])
    assert reading.pending_pages(case) == 0
    text = page_text(case, doc, 1)
    assert text.ocr_status == "done"
    assert text.ocr_languages == "rus+eng"
    assert text.ocr_confidence is not None
    assert text.ocr_confidence > 50
    for query in ("министерство", "12-05/1174", "ЭП-078/1133-19", "белнефтехим"):
        found = search(case, query).documents
        assert [d.document.id for d in found] == [doc], query
        assert found[0].hits[0].kind == "ocr"
        assert found[0].hits[0].page == 1
    boxes = highlights(case, doc, 1, "12-05/1174")
    assert len(boxes) == 1
    assert boxes[0].y0 > 0
    assert all(
        0 <= b.x0 < b.x1 <= 596 and 0 <= b.y0 < b.y1 <= 843 for b in highlights(case, doc, 1, "министерство")
    )
    found_entities = {(e.kind, e.value) for e in entities.entities_of(case, doc)}
    assert ("reference", "12-05/1174") in found_entities
    assert ("term", "Белнефтехим") in found_entities
    log = [e for e in document_detail(case, doc).custody if e.action == "ocr"]
    assert len(log) == 1
    assert log[0].after["pages"] == [1]
    assert log[0].after["languages"] == "rus+eng"


def test_every_page_of_a_multi_page_tiff_is_read(case: Case, inbox: Path, ocr_engine: None) -> None:
    doc = _import_one(case, make_tiff(inbox / "contract.tif", pages=2, dpi=200))
    report = reading.read_pages(case)
    assert (report.pages, report.ocr) == (2, 2)
    hits = search(case, "12-05/1174").documents  # the default text of page 1 carries the reference
    assert [d.document.id for d in hits] == [doc]
    assert {h.page for h in hits[0].hits} == {1}
    assert all(page_text(case, doc, n).ocr_status == "done" for n in (1, 2))


def test_a_born_digital_page_needs_no_ocr_but_gets_its_word_boxes(case: Case, inbox: Path) -> None:
    doc = _import_one(case, make_text_pdf(inbox / "note.pdf", lines=SCAN))
    report = reading.read_pages(case)
    assert (report.pages, report.ocr) == (1, 0)
    text = page_text(case, doc, 1)
    assert text.ocr_status == "not_needed"
    assert text.ocr_text is None
    assert highlights(case, doc, 1, "ЭП-078/1133-19")
    assert not [e for e in document_detail(case, doc).custody if e.action == "ocr"]
    assert ("reference", "ЭП-078/1133-19") in {(e.kind, e.value) for e in entities.entities_of(case, doc)}


def _hide_original(case: Case, doc: int) -> None:
    """Take a document's original out of reach: whatever opens it again fails."""
    with raw_db(case.root) as conn:
        [(sha256,)] = conn.execute("SELECT sha256 FROM document WHERE id = ?", (doc,)).fetchall()
    original = case.layout.original(sha256)
    original.parent.chmod(0o700)
    original.rename(original.with_name("elsewhere"))


def _ocr_entries(case: Case, doc: int) -> list[dict[str, object]]:
    with raw_db(case.root) as conn:
        rows = conn.execute(
            "SELECT after_json FROM custody_event WHERE action = 'ocr' AND document_id = ?", (doc,)
        ).fetchall()
    return [json.loads(row[0]) for row in rows]


def _mixed_pdf(path: Path, inbox: Path) -> Path:
    """A born-digital page followed by a scanned one."""
    text = make_text_pdf(inbox / "part-text.pdf", lines=SCAN)
    scan = make_scanned_pdf(inbox / "part-scan.pdf", lines=SCAN)
    with pymupdf.open(text) as out, pymupdf.open(scan) as second:
        out.insert_pdf(second)
        out.save(path)
    text.unlink()
    scan.unlink()
    return path


def test_pages_read_at_import_are_recorded_without_opening_the_original(
    case: Case, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _import_one(case, _mixed_pdf(inbox / "mixed.pdf", inbox))
    entities.add_watch_term(case, "Белнефтехим", "organisation")
    assert reading.pending_pages(case) == 2
    _hide_original(case, doc)
    monkeypatch.setattr(reading, "tesseract_program", lambda: None)  # the scan page waits for Tesseract

    report = reading.read_pages(case)

    assert (report.pages, report.ocr, report.failed, report.skipped) == (2, 0, [], 1)
    assert [page_text(case, doc, n).ocr_status for n in (1, 2)] == ["not_needed", "skipped"]
    found = {(e.kind, e.value) for e in entities.entities_of(case, doc)}
    assert ("reference", "12-05/1174") in found
    assert ("term", "Белнефтехим") in found
    assert highlights(case, doc, 1, "ЭП-078/1133-19")
    assert _ocr_entries(case, doc) == []
    never = reading.read_pages(case, mode=OcrMode.NEVER)  # nothing left unread but the waiting page
    assert never.pages == 0


def test_ocr_never_records_a_page_without_text_as_off_without_opening_it(case: Case, inbox: Path) -> None:
    doc = _import_one(case, make_scanned_pdf(inbox / "scan.pdf", lines=SCAN))
    _hide_original(case, doc)
    report = reading.read_pages(case, mode=OcrMode.NEVER)
    assert (report.pages, report.ocr, report.failed) == (1, 0, [])
    assert page_text(case, doc, 1).ocr_status == "off"


def test_an_ocr_later_import_has_highlight_boxes_at_once(case: Case, inbox: Path) -> None:
    path = make_text_pdf(inbox / "note.pdf", lines=SCAN)
    assert main(["import", str(case.root), str(path), "--ocr-later"]) == 0
    [hit] = search(case, "ЭП-078/1133-19").documents
    doc = hit.document.id
    assert page_text(case, doc, 1).ocr_status is None  # not read yet
    boxes = highlights(case, doc, 1, "ЭП-078/1133-19")
    assert len(boxes) == 1
    assert 0 < boxes[0].x0 < boxes[0].x1 < 596


def test_a_page_without_text_is_still_ocrd_after_an_ocr_later_import(
    case: Case, inbox: Path, ocr_engine: None
) -> None:
    path = _mixed_pdf(inbox / "mixed.pdf", inbox)
    assert main(["import", str(case.root), str(path), "--ocr-later"]) == 0
    with raw_db(case.root) as conn:
        [(doc,)] = conn.execute("SELECT id FROM document").fetchall()
    assert highlights(case, doc, 1, "белнефтехим")
    assert not highlights(case, doc, 2, "белнефтехим")  # a picture of text: nothing until OCR

    report = reading.read_pages(case)

    assert (report.pages, report.ocr, report.failed) == (2, 1, [])
    assert [page_text(case, doc, n).ocr_status for n in (1, 2)] == ["not_needed", "done"]
    assert highlights(case, doc, 2, "белнефтехим")
    assert {h.page for h in search(case, "белнефтехим").documents[0].hits} == {1, 2}
    [logged] = _ocr_entries(case, doc)
    assert logged["pages"] == [2]


def test_ocr_always_still_reads_pages_read_at_import(case: Case, inbox: Path, ocr_engine: None) -> None:
    doc = _import_one(case, make_text_pdf(inbox / "note.pdf", lines=SCAN))
    report = reading.read_pages(case, mode=OcrMode.ALWAYS)
    assert (report.pages, report.ocr) == (1, 1)
    assert "12-05/1174" in (page_text(case, doc, 1).ocr_text or "")


def test_without_tesseract_everything_else_works_and_pages_wait(
    case: Case, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _import_one(case, make_scanned_pdf(inbox / "scan.pdf", lines=SCAN))
    monkeypatch.setattr(reading, "tesseract_program", lambda: None)
    report = reading.read_pages(case)
    assert report.ocr_missing
    assert report.skipped == 1
    assert report.ocr == 0
    assert page_text(case, doc, 1).ocr_status == "skipped"
    assert search(case, "scan.pdf").documents  # found by its description all the same
    monkeypatch.undo()
    assert reading.pending_pages(case) == 1  # Tesseract installed after all: the page waits for it


def test_the_command_line_says_once_what_to_install(
    case: Case, inbox: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_scanned_pdf(inbox / "scan.pdf", lines=SCAN)
    monkeypatch.setattr(reading, "tesseract_program", lambda: None)
    assert main(["import", str(case.root), str(inbox / "scan.pdf")]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("Tesseract is not installed") == 1
    assert "apt install tesseract-ocr tesseract-ocr-rus" in captured.err
    assert "1 page(s) read, 0 by OCR" in captured.out


def test_reading_resumes_after_a_cancel(case: Case, inbox: Path, ocr_engine: None) -> None:
    doc = _import_one(case, make_scanned_pdf(inbox / "scan.pdf", pages=4, lines=SCAN, dpi=150))
    stop = threading.Event()

    def progress(p: reading.ReadProgress) -> None:
        if p.pages_done:
            stop.set()

    first = reading.read_pages(case, processes=1, on_progress=progress, cancel=stop)
    assert first.cancelled
    assert 0 < first.pages < 4
    assert reading.pending_pages(case) == 4 - first.pages
    second = reading.read_pages(case, processes=1)
    assert first.pages + second.pages == 4
    assert reading.pending_pages(case) == 0
    assert all(page_text(case, doc, n).ocr_status == "done" for n in range(1, 5))
    logged = [e.after["pages"] for e in document_detail(case, doc).custody if e.action == "ocr"]
    assert sorted(p for pages in logged for p in pages) == [1, 2, 3, 4]  # each page logged once


def test_ocr_mode_never_and_forced_again(case: Case, inbox: Path, ocr_engine: None) -> None:
    doc = _import_one(case, make_text_pdf(inbox / "note.pdf", lines=SCAN))
    assert reading.read_pages(case, mode=OcrMode.NEVER).ocr == 0
    with pytest.raises(UsageError, match="name the documents"):
        reading.read_pages(case, force=True)
    again = reading.read_pages(case, [doc], mode=OcrMode.ALWAYS, force=True)
    assert again.ocr == 1
    assert "12-05/1174" in (page_text(case, doc, 1).ocr_text or "")


def test_languages_are_checked_and_set_per_case_and_document(
    case: Case, inbox: Path, ocr_engine: None
) -> None:
    doc = _import_one(case, make_text_pdf(inbox / "note.pdf", lines=SCAN))
    assert settings.ocr_defaults(case) == (OcrMode.AUTO, "rus+eng")
    with pytest.raises(tesseract.OcrUnavailable, match="tesseract-ocr-xyz"):
        settings.set_ocr_defaults(case, languages="xyz+rus")
    assert settings.set_ocr_defaults(case, mode=OcrMode.ALWAYS, languages="eng") == (OcrMode.ALWAYS, "eng")
    assert settings.set_document_languages(case, doc, "rus") == "rus"
    actions = [e.action for e in document_detail(case, doc).custody]
    assert "ocr_languages_changed" in actions
    with raw_db(case.root) as conn:
        logged = conn.execute(
            "SELECT after_json FROM custody_event WHERE action = 'settings_changed'"
        ).fetchall()
    assert json.loads(logged[0][0])["ocr_languages"] == "eng"


@pytest.mark.parametrize(
    ("text", "usable"),
    [
        ("Министерство иностранных дел Республики", True),
        ("  12 ", False),
        ("\ufffd" * 40 + "abc", False),
        ("\ue000\ue001" * 30 + "Министерство иностранных дел", False),
    ],
)
def test_what_counts_as_a_usable_text_layer(text: str, usable: bool) -> None:
    assert usable_text(text) is usable


def test_letters_and_garbage_are_counted_by_unicode_category() -> None:
    """``usable_text`` counts with regular expressions: exactly the characters the categories name."""
    from reviewer.core.ingest import reading as read_rules

    everything = "".join(map(chr, range(0x110000)))
    letters = "".join(c for c in everything if unicodedata.category(c)[0] in "LN")
    garbage = "".join(
        c
        for c in everything
        if c == "\ufffd" or (unicodedata.category(c) in ("Co", "Cc") and c not in "\n\r\t")
    )
    assert "".join(read_rules._LETTERS.findall(everything)) == letters
    assert "".join(read_rules._GARBAGE.findall(everything)) == garbage
    assert usable_text("ж" * 20 + "\ue000\ufffd")
    assert not usable_text("ж" * 20 + "\ue000\ufffd\x01")


def test_tesseract_output_is_parsed_into_lines() -> None:
    tsv = "\n".join(
        [
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
            "5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t96.5\tИсх.",
            "5\t1\t1\t1\t1\t2\t50\t20\t30\t40\t95\t№",
            "5\t1\t1\t1\t2\t1\t10\t80\t30\t40\t91\t12-05/1174",
            "5\t1\t2\t1\t1\t1\t10\t200\t30\t40\t-1\t ",
            "5\t1\t3\t1\t1\t1\t10\t300\t30\t40\t90\tконец",
        ]
    )
    words = tesseract.parse_tsv(tsv)
    assert [w.text for w in words] == ["Исх.", "№", "12-05/1174", "конец"]
    assert tesseract.words_to_text(words) == "Исх. №\n12-05/1174\n\nконец"


def test_a_documents_own_languages_are_used_for_its_ocr(case: Case, inbox: Path, ocr_engine: None) -> None:
    if "aze" not in tesseract.installed_languages():
        pytest.fail("needs Tesseract's Azerbaijani data: apt-get install tesseract-ocr-aze (.ci/run does)")
    lines = ["Alqı-satqı müqaviləsi № 45/BA-2018", "Bakı şəhəri, 3 mart 2018-ci il", "Məbləğ: 12 500 manat"]
    doc = _import_one(case, make_scanned_pdf(inbox / "sale.pdf", lines=lines, dpi=300))
    settings.set_document_languages(case, doc, "aze+eng")
    reading.read_pages(case)
    text = page_text(case, doc, 1)
    assert text.ocr_languages == "aze+eng"
    assert "müqaviləsi" in (text.ocr_text or "")
    assert [d.document.id for d in search(case, "muqavilesi").documents] == [doc]  # typed without diacritics
    assert [d.document.id for d in search(case, "45/BA-2018").documents] == [doc]
    found = {(e.kind, e.value) for e in entities.entities_of(case, doc)}
    assert ("date", "2018-03-03") in found
    assert ("money", "12500.00 AZN") in found


def test_the_documents_named_are_read_from_the_case_in_one_query_and_an_unknown_one_is_refused(
    case: Case, inbox: Path
) -> None:
    """An import's reading names every document it imported: one query for all, not one each."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    files = [make_text_pdf(inbox / f"note-{i}.pdf", pages=1, seed=i) for i in range(12)]
    ids = [item.id for item in import_paths(case, files).imported]
    asked: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if re.search(r"\bFROM document\b(?!_)", statement):
            asked.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    try:
        reading.read_pages(case, ids, mode=OcrMode.NEVER)
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    assert len(asked) <= 2, asked  # the named documents, then those with pages to read
    with pytest.raises(UsageError, match="no document 999 "):
        reading.read_pages(case, [ids[0], 999, ids[1]], mode=OcrMode.NEVER)
    with pytest.raises(TypeError, match="a document id is an int"):
        reading.read_pages(case, [ids[0], "2"], mode=OcrMode.NEVER)  # type: ignore[list-item]


def test_a_whole_case_is_read_a_round_of_documents_at_a_time_as_one_reading(
    case: Case, inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a round holds stays bounded however big the case (issue 16: a million unread pages were
    millions of objects in the window's process); the reading is the same, its progress one count."""
    from reviewer.core.services.case import create_case

    files = [make_text_pdf(inbox / f"note-{i}.pdf", pages=2, seed=i) for i in range(5)]
    files.append(make_scanned_pdf(inbox / "scan.pdf", pages=1))
    import_paths(case, files)  # nothing read: every page waits for reading
    assert reading.pending_pages(case) == 11
    rounds: list[int] = []
    real = reading._wanted_pages

    def spy(session: object, documents: object, **kwargs: object) -> object:
        assert documents is not None, "a round names its documents"
        rounds.append(len(documents))  # type: ignore[arg-type]
        return real(session, documents, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reading, "DOCUMENTS_PER_ROUND", 2)
    monkeypatch.setattr(reading, "_wanted_pages", spy)
    seen: list[tuple[int, int]] = []
    report = reading.read_pages(
        case, mode=OcrMode.NEVER, on_progress=lambda p: seen.append((p.pages_done, p.pages_total))
    )
    assert rounds == [2, 2, 2]
    assert (report.pages, report.skipped, report.cancelled) == (11, 1, False)
    assert reading.pending_pages(case) == 0
    assert {total for _done, total in seen} == {11}
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)
    assert seen[-1] == (11, 11)
    monkeypatch.setattr(reading, "_wanted_pages", real)
    with create_case(tmp_path / "other", title="Other", actor="tester") as other:
        import_paths(other, files)
        reading.read_pages(other, mode=OcrMode.NEVER)  # one round
        assert _pages(other) == _pages(case)


def test_documents_named_beyond_a_round_are_read_a_round_at_a_time(
    case: Case, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``reviewer import`` names every document it imported to the reading that follows it: tens of
    thousands, maybe. One statement naming them all passed the bound values SQLite takes in one
    statement (250,000 in this build, 32,766 in others) and PostgreSQL's 65,535."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    files = [make_text_pdf(inbox / f"note-{i}.pdf", pages=1, seed=i) for i in range(9)]
    files.append(make_scanned_pdf(inbox / "scan.pdf", pages=1))
    ids = [item.id for item in import_paths(case, files).imported]  # nothing read at import
    assert reading.pending_pages(case) == 10
    monkeypatch.setattr(reading, "DOCUMENTS_PER_ROUND", 3)
    with pytest.raises(UsageError, match="no document 999 "):
        reading.read_pages(case, [*ids, 999], mode=OcrMode.NEVER)
    assert reading.pending_pages(case) == 10, "refused before any page is read"
    longest: list[int] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        longest.extend(
            part.count("?") + part.count("%(") for part in re.findall(r"IN \(([^)]*)\)", statement)
        )

    seen: list[tuple[int, int]] = []
    event.listen(Engine, "before_cursor_execute", note)
    try:
        report = reading.read_pages(
            case, ids, mode=OcrMode.NEVER, on_progress=lambda p: seen.append((p.pages_done, p.pages_total))
        )
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    assert longest, "the documents are named in IN lists"
    assert max(longest) <= 3, longest
    assert (report.pages, report.skipped, report.cancelled) == (10, 1, False)
    assert reading.pending_pages(case) == 0
    assert {total for _done, total in seen} == {10}
    assert seen[-1] == (10, 10)
    again = reading.read_pages(case, ids, mode=OcrMode.NEVER, force=True)  # every page again, in rounds
    assert again.pages == 10


def test_a_reading_in_rounds_stops_between_rounds_when_cancelled(
    case: Case, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [make_text_pdf(inbox / f"note-{i}.pdf", pages=1, seed=i) for i in range(4)]
    import_paths(case, files)
    monkeypatch.setattr(reading, "DOCUMENTS_PER_ROUND", 2)
    cancel = threading.Event()

    def progressed(progress: reading.ReadProgress) -> None:
        if progress.pages_done >= 2:
            cancel.set()

    report = reading.read_pages(case, mode=OcrMode.NEVER, on_progress=progressed, cancel=cancel)
    assert report.cancelled
    assert reading.pending_pages(case) == 2  # the second round's documents wait for the next reading
    assert reading.read_pages(case, mode=OcrMode.NEVER).pages == 2


def _pages(case: Case) -> list[tuple[object, ...]]:
    with case.db.reading() as session:
        rows = session.execute(
            select(Page.number, Page.ocr_status, Page.words, Page.text).order_by(
                Page.document_id, Page.number
            )
        ).all()
    return [tuple(row) for row in rows]
