"""Import: byte-identical, read-only originals; everything MuPDF can tell; hostile files refused."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import pymupdf
import pytest
from PIL import Image
from sqlalchemy import func, select

from reviewer.core.domain.errors import UsageError
from reviewer.core.ingest.analyse import analyse_file
from reviewer.core.services import queries
from reviewer.core.services.importing import ImportOptions, import_paths
from reviewer.core.storage.orm import Document, Page, Sighting
from reviewer.core.workers.pool import Limits
from tests import filemaker
from tests.conftest import raw_db

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.ingest.tasks import AnalysisTask, FileAnalysis
    from reviewer.core.services.case import Case


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_text_pdf_is_imported_with_everything_it_says(case: Case, inbox: Path) -> None:
    xmp = filemaker.build_xmp(title="XMP title") if hasattr(filemaker, "build_xmp") else None
    pdf = filemaker.make_text_pdf(
        inbox / "note.pdf", pages=3, producer="Microsoft Word", xmp=xmp, page_labels=True
    )
    before = pdf.stat()
    report = import_paths(case, [pdf], ImportOptions(source="Source A", received_on="2026-11-01"))
    assert report.ok
    assert not report.duplicates
    [item] = report.imported
    assert (item.sha256, item.pages, item.path) == (sha(pdf), 3, str(pdf))

    detail = queries.document_detail(case, item.id)
    assert detail.summary.media_type == "application/pdf"
    assert detail.file_format.startswith("PDF")
    assert detail.file_metadata["info"]["producer"] == "Microsoft Word"
    assert detail.file_metadata["info"]["title"]
    if xmp:
        assert "XMP title" in detail.file_metadata["xmp"]
    assert detail.file_metadata["page_label_rules"]
    assert [p.label for p in detail.pages][:1] != [None]
    assert [p.number for p in detail.pages] == [1, 2, 3]
    assert all(p.text_length > 20 for p in detail.pages)
    assert (detail.pages[0].width, detail.pages[0].height) == pytest.approx((595, 842), abs=1)

    [sighting] = detail.sightings
    assert sighting.original_path == str(pdf)
    assert sighting.original_name == "note.pdf"
    assert sighting.source == "Source A"
    assert sighting.received_on == "2026-11-01"
    assert sighting.imported_by == "tester"
    assert sighting.size == before.st_size
    assert sighting.modified_at is not None

    [event] = detail.custody
    assert event.action == "imported"
    assert event.actor == "tester"
    assert event.after["sha256"] == item.sha256

    # the page text is stored, Cyrillic intact
    with case.db.reading() as session:
        text = session.scalars(select(Page.text).where(Page.number == 1)).one()
    assert "12-05/1174" in text

    # thumbnails, 200 px on the longest side
    for number in (1, 2, 3):
        thumb = case.layout.thumbnail(item.sha256, number)
        pix = pymupdf.Pixmap(str(thumb))
        assert max(pix.width, pix.height) == 200


def test_originals_are_byte_identical_read_only_and_sources_untouched(case: Case, inbox: Path) -> None:
    files = [
        filemaker.make_text_pdf(inbox / "a.pdf"),
        filemaker.make_scanned_pdf(inbox / "b.pdf"),
        filemaker.make_png(inbox / "c.png"),
    ]
    sources = {p: (p.read_bytes(), p.stat().st_mtime_ns, stat.S_IMODE(p.stat().st_mode)) for p in files}
    report = import_paths(case, [inbox])
    assert len(report.imported) == 3
    for path, (data, mtime, mode) in sources.items():
        stored = case.layout.original(hashlib.sha256(data).hexdigest())
        assert stored.read_bytes() == data
        assert stat.S_IMODE(stored.stat().st_mode) == 0o444
        assert path.read_bytes() == data
        assert path.stat().st_mtime_ns == mtime
        assert stat.S_IMODE(path.stat().st_mode) == mode
    assert list(case.layout.staging.iterdir()) == []


def test_a_scan_has_pages_but_no_text(case: Case, inbox: Path) -> None:
    scan = filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=2, skew_degrees=1.5, noise=0.1, stamp=True)
    [item] = import_paths(case, [scan]).imported
    detail = queries.document_detail(case, item.id)
    assert [p.text_length for p in detail.pages] == [0, 0]
    assert case.layout.thumbnail(item.sha256, 2).is_file()


def test_words_and_their_boxes_are_stored_with_the_pages(case: Case, inbox: Path) -> None:
    """Read once, in the import's worker, as reading would read them from the original (issue 13)."""
    from reviewer.core.ingest.read_page import layer_words

    text = filemaker.make_text_pdf(inbox / "note.pdf", pages=2)
    rotated = filemaker.make_rotated_pdf(inbox / "rotated.pdf", rotation=90)
    scan = filemaker.make_scanned_pdf(inbox / "scan.pdf")
    report = import_paths(case, [text, rotated, scan])
    assert len(report.imported) == 3
    with raw_db(case.root) as conn:
        rows = conn.execute(
            "SELECT d.sha256, p.number, p.words, p.ocr_status FROM page p JOIN document d"
            " ON d.id = p.document_id ORDER BY d.id, p.number"
        ).fetchall()
    assert len(rows) == 4
    for sha256, number, words, status in rows:
        assert words is not None
        assert status is None  # not read yet: reading decides about OCR
        with pymupdf.open(case.layout.original(sha256)) as pdf:
            assert json.loads(words) == layer_words(pdf.load_page(number - 1))
    assert json.loads(rows[0][2])[0][4] == "МИНИСТЕРСТВО"
    assert all(0 <= w[0] < w[2] <= 842 and 0 <= w[1] < w[3] <= 842 for w in json.loads(rows[2][2]))
    assert rows[3][2] == "[]"  # the scan: no words until OCR


def test_multipage_tiff(case: Case, inbox: Path) -> None:
    tiff = filemaker.make_tiff(inbox / "scan.tif", pages=3, dpi=200)
    [item] = import_paths(case, [tiff]).imported
    detail = queries.document_detail(case, item.id)
    assert item.pages == 3
    assert detail.summary.media_type == "image/tiff"
    assert detail.file_metadata["image"]["frames"] == 3
    page = detail.pages[0]
    # an image page is as large, in points, as its pixels at its resolution
    assert page.width == pytest.approx(8.27 * 72, rel=0.02)


def test_jpeg_exif_is_recorded(case: Case, inbox: Path) -> None:
    photo = filemaker.make_jpeg_with_exif(
        inbox / "IMG_0001.JPG",
        make="Apple",
        model="iPhone 12",
        software="Adobe Photoshop 25.0",
        gps=(53.9, 27.56),
    )
    [item] = import_paths(case, [photo]).imported
    detail = queries.document_detail(case, item.id)
    exif = detail.file_metadata["image"]["exif"]
    assert exif["Make"] == "Apple"
    assert exif["Model"] == "iPhone 12"
    assert exif["Software"] == "Adobe Photoshop 25.0"
    assert exif["Exif"]["DateTimeOriginal"] == "2019:03:12 10:15:00"
    assert exif["GPS"]["GPSLatitude"][0] == pytest.approx(53)
    with case.db.reading() as session:
        page = session.scalars(select(Page)).one()
    assert (page.pixel_width, page.pixel_height) == (1200, 1600)


def test_thumbnails_are_jpeg_and_a_case_made_with_png_thumbnails_still_finds_them(
    case: Case, inbox: Path
) -> None:
    [item] = import_paths(case, [filemaker.make_text_pdf(inbox / "note.pdf", pages=2)]).imported
    first = case.layout.thumbnail(item.sha256, 1)
    assert first.name == "thumb-00001.jpg"
    assert first.read_bytes()[:3] == b"\xff\xd8\xff"
    # a case imported before thumbnails were JPEG: its PNGs are found while they are there
    folder = case.layout.derived_dir(item.sha256)
    with Image.open(first) as picture:
        picture.save(folder / "thumb-00001.png")
    first.unlink()
    assert case.layout.thumbnail(item.sha256, 1) == folder / "thumb-00001.png"
    assert case.layout.thumbnail(item.sha256, 2) == folder / "thumb-00002.jpg"
    assert case.layout.thumbnail(item.sha256, 3) == folder / "thumb-00003.jpg"  # none: where it would be


def test_rotated_pages_keep_unrotated_geometry(case: Case, inbox: Path) -> None:
    pdf = filemaker.make_rotated_pdf(inbox / "rotated.pdf", rotation=90)
    [item] = import_paths(case, [pdf]).imported
    [page] = queries.document_detail(case, item.id).pages
    assert page.rotation == 90
    assert (page.width, page.height) == pytest.approx((595, 842), abs=1)
    thumb = pymupdf.Pixmap(str(case.layout.thumbnail(item.sha256, 1)))
    assert thumb.width > thumb.height, "the thumbnail shows the page as it is displayed"


def test_duplicates_become_sightings_not_documents(case: Case, inbox: Path, tmp_path: Path) -> None:
    pdf = filemaker.make_text_pdf(inbox / "original.pdf")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copy = elsewhere / "renamed copy.pdf"
    copy.write_bytes(pdf.read_bytes())

    first = import_paths(case, [pdf], ImportOptions(source="A"))
    second = import_paths(case, [copy, pdf], ImportOptions(source="B"))
    again = import_paths(case, [copy], ImportOptions(source="B"))  # the very same sighting once more

    assert len(first.imported) == 1
    assert second.imported == ()
    assert len(second.duplicates) == 2
    assert {d.id for d in second.duplicates} == {first.imported[0].id}
    assert again.duplicates[0].id == first.imported[0].id
    with case.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1
        paths = sorted((s.original_path, s.source) for s in session.scalars(select(Sighting)))
    assert paths == sorted([(str(pdf), "A"), (str(copy), "B"), (str(pdf), "B")])
    detail = queries.document_detail(case, first.imported[0].id)
    assert [e.action for e in detail.custody] == ["imported", "sighting_added", "sighting_added"]


def test_the_same_bytes_twice_in_one_batch(case: Case, inbox: Path) -> None:
    pdf = filemaker.make_text_pdf(inbox / "a.pdf")
    (inbox / "b.pdf").write_bytes(pdf.read_bytes())
    report = import_paths(case, [inbox])
    assert len(report.imported) == 1
    assert len(report.duplicates) == 1
    assert list(case.layout.staging.iterdir()) == []


HOSTILE: list[tuple[str, Callable[[Path], Path], str]] = [
    ("empty.pdf", lambda p: (p.write_bytes(b""), p)[1], "empty"),
    ("truncated.pdf", lambda p: filemaker.make_truncated_pdf(p, keep_bytes=200), "damaged"),
    ("garbage.pdf", lambda p: filemaker.make_garbage(p), "named as PDF but its content is not one"),
    ("notes.docx.bin", lambda p: filemaker.make_garbage(p), "not a document"),
    ("huge.png", lambda p: filemaker.make_png_pixel_bomb(p), "megapixels"),
]


@pytest.mark.parametrize(("name", "make", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_unreadable_files_are_refused_in_plain_words(
    case: Case, inbox: Path, name: str, make: Callable[[Path], Path], reason: str
) -> None:
    bad = make(inbox / name)
    good = filemaker.make_text_pdf(inbox / "good.pdf")
    report = import_paths(case, [bad, good])
    assert [i.path for i in report.imported] == [str(good)]
    [failure] = report.failed
    assert failure.path == str(bad)
    assert reason in failure.error
    assert "\n" not in failure.error
    assert "Traceback" not in failure.error
    _assert_nothing_half_imported(case)
    with raw_db(case.root) as conn:
        refused = conn.execute("SELECT path, error FROM refused_file").fetchall()
    assert refused == [(str(bad), failure.error)], "every refused file is on record"


def test_encrypted_file_with_its_password(case: Case, inbox: Path) -> None:
    pdf = filemaker.make_encrypted_pdf(inbox / "locked.pdf", user_password="secret")
    [item] = import_paths(case, [pdf], ImportOptions(password="secret")).imported
    with case.db.reading() as session:
        document = session.get_one(Document, item.id)
        assert document.encrypted
        assert "Encrypted content" in document.pages[0].text


def test_a_decompression_bomb_does_not_take_the_batch_down(case: Case, inbox: Path) -> None:
    bomb = filemaker.make_pdf_flate_bomb(inbox / "bomb.pdf", side=20_000)
    good = filemaker.make_text_pdf(inbox / "good.pdf")
    limits = Limits(stall_seconds=60, total_seconds=120, memory_bytes=768 << 20)
    report = import_paths(case, [bomb, good], ImportOptions(limits=limits))
    assert str(good) in [i.path for i in report.imported]
    assert {i.path for i in report.imported} | {f.path for f in report.failed} == {str(bomb), str(good)}
    _assert_nothing_half_imported(case)


def crash_on_poison(task: AnalysisTask, beat: Callable[[], None]) -> FileAnalysis:
    """The real analyser, except that a file named poison.pdf kills the worker mid-way."""
    if Path(task.source).name == "poison.pdf":
        analyse_file(task, beat)  # leave a staged copy and thumbnails behind, as a real crash would
        os.kill(os.getpid(), 9)
    return analyse_file(task, beat)


def test_a_worker_killed_midway_leaves_nothing_behind(case: Case, inbox: Path) -> None:
    poison = filemaker.make_text_pdf(inbox / "poison.pdf", seed=7)
    good = filemaker.make_text_pdf(inbox / "good.pdf", seed=8)
    report = import_paths(case, [inbox], analyser=crash_on_poison)
    assert [i.path for i in report.imported] == [str(good)]
    [failure] = report.failed
    assert failure.path == str(poison)
    assert "stopped by the system" in failure.error or "crashed" in failure.error
    _assert_nothing_half_imported(case)
    assert not case.layout.original(sha(poison)).exists()


def _assert_nothing_half_imported(case: Case) -> None:
    """Every document has its original, pages and custody entry; the store holds nothing else."""
    with case.db.reading() as session:
        documents = session.scalars(select(Document)).all()
        for document in documents:
            assert case.layout.original(document.sha256).is_file()
            assert len(document.pages) == document.page_count > 0
            assert document.sightings
        known = {d.sha256 for d in documents}
    stored = {p.name for p in case.layout.iter_originals()}
    assert stored == known
    assert list(case.layout.staging.iterdir()) == []


def test_folders_are_walked_and_odd_entries_reported(case: Case, inbox: Path) -> None:
    sub = inbox / "deep" / "deeper"
    sub.mkdir(parents=True)
    filemaker.make_text_pdf(sub / "a.pdf", seed=1)
    filemaker.make_png(inbox / "b.png")
    (inbox / "deep" / "loop").symlink_to(inbox)
    (inbox / "dangling").symlink_to(inbox / "nowhere")
    os.mkfifo(inbox / "pipe")
    report = import_paths(case, [inbox, inbox / "missing.pdf"])
    assert sorted(Path(i.path).name for i in report.imported) == ["a.pdf", "b.png"]
    reasons = {Path(f.path).name: f.error for f in report.failed}
    assert "symbolic link loop" in reasons["loop"]
    assert "broken symbolic link" in reasons["dangling"]
    assert "not a regular file" in reasons["pipe"]
    assert "no such file" in reasons["missing.pdf"]


def test_an_unreadable_folder_is_reported_not_fatal(
    case: Case, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = inbox / "locked"
    locked.mkdir()
    filemaker.make_text_pdf(inbox / "fine.pdf")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str] | int) -> object:
        if (
            not isinstance(path, int) and Path(path) == locked
        ):  # tests run as root in CI, where chmod 000 would not stop a read
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = import_paths(case, [inbox])
    assert [Path(i.path).name for i in report.imported] == ["fine.pdf"]
    assert report.failed[0].path == str(locked)
    assert "permission denied" in report.failed[0].error


def test_the_case_folder_is_never_imported_into_itself(case: Case) -> None:
    report = import_paths(case, [case.root])
    assert report.imported == ()
    assert "case folder itself" in report.failed[0].error


def test_bad_arguments(case: Case, inbox: Path) -> None:
    with pytest.raises(UsageError):
        import_paths(case, [])
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        import_paths(case, [inbox], ImportOptions(received_on="01.11.2026"))


def test_every_import_is_a_batch_on_record(case: Case, inbox: Path) -> None:
    filemaker.make_text_pdf(inbox / "a.pdf")
    (inbox / "junk.xyz").write_bytes(b"not a document")
    import_paths(case, [inbox], ImportOptions(source="Leak 7"))
    with raw_db(case.root) as conn:
        batch = conn.execute(
            "SELECT source, imported, duplicates, failed, finished_at FROM import_batch"
        ).fetchone()
        summary = conn.execute(
            "SELECT summary FROM custody_event WHERE action = 'import_batch' AND document_id IS NULL"
        ).fetchone()
    assert batch[:4] == ("Leak 7", 1, 0, 1)
    assert batch[4] is not None
    assert "1 new, 0 already known, 1 refused" in summary[0]
