"""Forensics in a case: signals stored at import, on demand for an older case, revisions, error levels,
region search across documents, and what a person does with them (rationale, annotations)."""

from __future__ import annotations

import hashlib
import io
import shutil
from typing import TYPE_CHECKING

import pymupdf
import pytest
from alembic import command
from PIL import Image

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents, queries
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.forensics import (
    attach_signal_to_rationale,
    ensure_forensics,
    error_level_overlay,
    forensics_of,
    needs_forensics,
    revision_file,
)
from reviewer.core.services.importing import import_paths
from reviewer.core.services.region_search import (
    RegionProgress,
    annotate_region_hit,
    annotated_regions,
    ensure_region_hashes,
    find_region_elsewhere,
    needs_region_hashes,
    similar_regions,
)
from reviewer.core.storage.database import Database
from tests import filemaker
from tests import forensics_files as ff
from tests.conftest import raw_db

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from reviewer.core.services.case import Case

ORIGIN = (420.0, 640.0)
HALF = 470 / 300 * 72 / 2 + 2  # half the stamp's side in points, with a little paper around it
STAMP = Rect(ORIGIN[0] - HALF, ORIGIN[1] - HALF, ORIGIN[0] + HALF, ORIGIN[1] + HALF)
# file name → document id, in import order
IDS = {
    "clean": 1,
    "scan": 2,
    "modified": 3,
    "incremental": 4,
    "edited": 5,
    "a": 6,
    "b": 7,
    "c": 8,
    "photo_pdf": 9,
}


def make_files(folder: Path) -> dict[str, Path]:
    """One file for each signal the issue names, two clean ones, and three stamped scans."""
    stamp, other = ff.ministry_stamp(), ff.other_round_stamp()
    return {
        "clean": filemaker.make_text_pdf(
            folder / "clean.pdf",
            pages=3,
            producer="Synthetic PDF Producer 1.0",
            creator="Microsoft Word 2016 (synthetic)",
            xmp=filemaker.build_xmp(),
        ),
        "scan": filemaker.make_scanned_pdf(
            folder / "scan.pdf", pages=2, noise=0.2, skew_degrees=0.8, stamp=True
        ),
        "modified": filemaker.make_text_pdf(
            folder / "modified.pdf",
            creation_date="D:20190315120000+03'00'",
            mod_date="D:20190301090000+03'00'",
            seed=11,
        ),
        "incremental": filemaker.make_incremental_pdf(folder / "incremental.pdf"),
        "edited": filemaker.make_jpeg_with_exif(
            folder / "edited.jpg", software="Adobe Photoshop CC 2019 (Windows)"
        ),
        "a": ff.make_stamped_scan(folder / "a.pdf", [ff.Placement(stamp, ORIGIN)], seed=1),
        # the same stamp smaller and turned, at another place, beside another round stamp
        "b": ff.make_stamped_scan(
            folder / "b.pdf",
            [ff.Placement(stamp, (160, 300), 0.85, 4.0), ff.Placement(other, (420, 650))],
            seed=2,
        ),
        "c": ff.make_stamped_scan(folder / "c.pdf", [ff.Placement(other, (200, 640), 0.95, 3.0)], seed=3),
        "photo_pdf": photo_in_pdf(folder),
    }


def photo_in_pdf(folder: Path) -> Path:
    """A two-page PDF whose second page holds a photo retouched in Photoshop."""
    photo = filemaker.make_jpeg_with_exif(folder / "p.jpg", software="Adobe Photoshop 21.0 (Windows)")
    path = folder / "photo.pdf"
    with pymupdf.open() as doc:
        doc.new_page()
        page = doc.new_page()
        page.insert_image(pymupdf.Rect(72, 72, 372, 472), filename=str(photo))
        doc.save(str(path))
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_files(tmp_path_factory.mktemp("forensic-files"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, files: dict[str, Path]) -> Path:
    """A case holding every file, imported once for the module; tests work on copies of it."""
    root = tmp_path_factory.mktemp("built") / "case"
    with create_case(root, title="Forensics", actor="tester") as case:
        for key in IDS:  # one by one: ids in a known order
            report = import_paths(case, [files[key]])
            assert len(report.imported) == 1, report
    return root


@pytest.fixture
def fcase(built: Path, tmp_path: Path) -> Iterator[Case]:
    root = tmp_path / "case"
    shutil.copytree(built, root)
    with open_case(root, actor="tester") as case:
        yield case


def codes(case: Case, key: str) -> dict[str, str]:
    return {s.code: s.severity for s in forensics_of(case, IDS[key]).signals}


def custody_actions(case: Case, document_id: int) -> list[str]:
    with raw_db(case.root) as conn:
        rows = conn.execute(
            "SELECT action FROM custody_event WHERE document_id = ? ORDER BY id", (document_id,)
        )
        return [r[0] for r in rows]


# -- signals at import ------------------------------------------------------------------------------------


def test_each_generated_file_carries_its_signal_from_import(fcase: Case) -> None:
    assert codes(fcase, "modified")["pdf.modified_before_created"] == "warning"
    assert codes(fcase, "incremental")["pdf.incremental_updates"] == "notice"
    assert codes(fcase, "edited")["image.editing_software"] == "warning"
    for key in IDS:
        report = forensics_of(fcase, IDS[key])
        assert report.computed, key
        assert not needs_forensics(fcase, IDS[key])
        ranks = [{"info": 0, "notice": 1, "warning": 2}[s.severity] for s in report.signals]
        assert ranks == sorted(ranks, reverse=True), f"{key}: warnings first"


def test_a_clean_scan_and_a_clean_born_digital_pdf_raise_no_warning(fcase: Case) -> None:
    for key in ("clean", "scan", "a", "b", "c"):
        report = forensics_of(fcase, IDS[key])
        assert report.signals, key
        assert report.worst != "warning", (key, [s.code for s in report.signals if s.severity == "warning"])
    assert forensics_of(fcase, 1).worst == "info"


def test_a_signal_about_a_page_names_it_from_one_and_explains_itself(fcase: Case) -> None:
    report = forensics_of(fcase, IDS["photo_pdf"])
    edited = next(s for s in report.signals if s.code == "image.editing_software")
    assert (edited.severity, edited.page) == ("warning", 2)
    assert edited.title.startswith("The image on page 2")
    assert all(s.explanation and s.title for s in report.signals)


def test_every_page_has_a_perceptual_hash_from_import(fcase: Case) -> None:
    with raw_db(fcase.root) as conn:
        hashes = conn.execute("SELECT phash FROM page ORDER BY id").fetchall()
    assert hashes
    assert all(h is not None and len(h) == 16 for (h,) in hashes)


def test_a_page_imported_twice_in_another_file_is_listed_as_near_identical(
    fcase: Case, tmp_path: Path
) -> None:
    # the stamped scan again, recompressed at another JPEG quality: other bytes, the same page to the eye
    with pymupdf.open(str(fcase.layout.original(queries.page_view(fcase, IDS["a"]).sha256))) as doc:
        pixmap = doc[0].get_pixmap(dpi=150)
        again = tmp_path / "a-again.pdf"
        with pymupdf.open() as copy:
            page = copy.new_page(width=doc[0].rect.width, height=doc[0].rect.height)
            page.insert_image(page.rect, stream=pixmap.tobytes("jpeg", jpg_quality=60))
            copy.save(str(again))
    [imported] = import_paths(fcase, [again]).imported
    near = forensics_of(fcase, IDS["a"]).near_pages
    assert [(n.page, n.document_id, n.other_page) for n in near if n.document_id == imported.id] == [
        (1, imported.id, 1)
    ]
    assert all(n.distance <= 10 for n in near)
    # page 1 of every generated letter is the same note; later pages share the layout, not the words
    clean = {(n.page, n.document_id, n.other_page) for n in forensics_of(fcase, IDS["clean"]).near_pages}
    assert (1, IDS["modified"], 1) in clean
    assert (2, IDS["incremental"], 2) not in clean  # the hashes agree to the bit; the words do not


# -- an older case ----------------------------------------------------------------------------------------


def test_a_case_from_before_forensics_computes_them_on_demand(fcase: Case) -> None:
    root = fcase.root
    fcase.close()
    db = Database(root / "reviewer.sqlite")
    config = db._alembic_config()
    with db._writer.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
    db.close()
    with open_case(root, actor="tester") as old:
        report = forensics_of(old, IDS["modified"])
        assert not report.computed
        assert report.signals == ()
        assert needs_forensics(old, IDS["modified"])
        logged = custody_actions(old, IDS["modified"])
        assert ensure_forensics(old, IDS["modified"]) is True
        assert ensure_forensics(old, IDS["modified"]) is False  # once is enough
        report = forensics_of(old, IDS["modified"])
        assert report.computed
        assert {s.code: s.severity for s in report.signals}["pdf.modified_before_created"] == "warning"
        with raw_db(root) as conn:
            hashes = conn.execute(
                "SELECT phash FROM page WHERE document_id = ?", (IDS["modified"],)
            ).fetchall()
        assert all(h is not None for (h,) in hashes)
        # derived data, like word boxes: nothing new is asserted, so nothing is logged
        assert custody_actions(old, IDS["modified"]) == logged


# -- revisions ----------------------------------------------------------------------------------------------


def test_an_earlier_revision_is_extracted_outside_the_case_and_the_original_is_unchanged(
    fcase: Case, tmp_path: Path
) -> None:
    ref = IDS["incremental"]
    report = forensics_of(fcase, ref)
    assert [(r.number, r.current) for r in report.revisions] == [(1, False), (2, True)]
    original = fcase.layout.original(queries.page_view(fcase, IDS["incremental"]).sha256)
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    out = revision_file(fcase, ref, 1, tmp_path / "rev1.pdf")
    data = out.read_bytes()
    assert original.read_bytes()[: len(data)] == data
    assert len(data) == report.revisions[0].size < original.stat().st_size
    with pymupdf.open(str(out)) as doc:
        assert doc.metadata["title"] == "Нота 12-05/1174 (draft)"
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before
    with pytest.raises(UsageError, match="does not exist"):
        revision_file(fcase, ref, 3, tmp_path / "rev3.pdf")
    with pytest.raises(UsageError, match="already exists"):
        revision_file(fcase, ref, 1, out)
    with pytest.raises(UsageError, match="outside the case"):
        revision_file(fcase, ref, 1, fcase.root / "rev.pdf")


# -- error levels ----------------------------------------------------------------------------------------


def test_the_error_level_overlay_covers_the_page(fcase: Case) -> None:
    png = error_level_overlay(fcase, IDS["scan"], 1)
    with Image.open(io.BytesIO(png)) as overlay:
        assert overlay.format == "PNG"
        ratio = overlay.height / overlay.width
    assert ratio == pytest.approx(842 / 595, rel=0.01)
    with pytest.raises(UsageError, match="pages 1 to 2"):
        error_level_overlay(fcase, IDS["scan"], 3)


# -- region search -------------------------------------------------------------------------------------


def test_region_search_finds_the_stamp_at_another_size_and_angle_in_another_document(fcase: Case) -> None:
    template = documents.add_annotation(fcase, IDS["a"], page=1, rect=STAMP, note="ministry stamp")
    seen: list[RegionProgress] = []
    hits = find_region_elsewhere(fcase, template.id, progress=seen.append)
    assert [(h.document_id, h.page) for h in hits] == [(IDS["b"], 1)]
    [hit] = hits
    x0, y0, x1, y1 = hit.rect
    assert (x0 + x1) / 2 == pytest.approx(160, abs=6)
    assert (y0 + y1) / 2 == pytest.approx(300, abs=6)
    assert hit.scale == pytest.approx(0.85, abs=0.06)
    assert hit.angle == pytest.approx(4.0, abs=2.0)
    assert not hit.annotated
    assert seen[0].pages_done == 0
    assert (
        seen[-1].pages_done
        == seen[-1].pages_total
        == sum(queries.page_view(fcase, d).pages.__len__() for d in IDS.values())
    )
    # features are kept in derived data: the second search draws nothing and finds the same
    kept = list(fcase.layout.derived.rglob("features-*.npz"))
    assert len(kept) == seen[-1].pages_total
    assert find_region_elsewhere(fcase, template.id) == hits


def test_annotating_a_hit_is_logged_and_marks_the_place_as_annotated(
    fcase: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer.core.services import region_search

    monkeypatch.setattr(region_search, "IDS_PER_QUERY", 1)  # the places' documents named one a statement
    template = documents.add_annotation(
        fcase, IDS["a"], page=1, rect=STAMP, note="ministry stamp", tags=["stamp"]
    )
    [hit] = find_region_elsewhere(fcase, template.id, documents_only=[IDS["b"]])
    record = annotate_region_hit(fcase, hit)
    assert record.document_id == IDS["b"]
    assert record.note is not None
    assert record.note.startswith("Same as “ministry stamp” on document 6, page 1")
    assert "score" in record.note
    assert record.tags == ("stamp",)
    assert custody_actions(fcase, IDS["b"])[-1] == "annotation_added"
    [again] = find_region_elsewhere(fcase, template.id, documents_only=[IDS["b"]])
    assert again.annotated
    # searched from the new annotation, its own place is not "elsewhere"
    assert find_region_elsewhere(fcase, record.id, documents_only=[IDS["b"]]) == []


def test_region_search_refuses_a_tiny_region_and_a_cancelled_search_returns_nothing(fcase: Case) -> None:
    tiny = documents.add_annotation(fcase, IDS["a"], page=1, rect=Rect(100, 100, 104, 104))
    with pytest.raises(UsageError, match="too small"):
        find_region_elsewhere(fcase, tiny.id)
    template = documents.add_annotation(fcase, IDS["a"], page=1, rect=STAMP)
    import threading

    stop = threading.Event()
    stop.set()
    assert find_region_elsewhere(fcase, template.id, cancel=stop) == []


# -- the rationale ------------------------------------------------------------------------------------------


def test_a_signal_attached_to_the_rationale_is_on_the_custody_log(fcase: Case) -> None:
    ref = IDS["modified"]
    documents.set_status(fcase, ref, "in_review", "Sent by the embassy press office.")
    summary = attach_signal_to_rationale(fcase, ref, "pdf.modified_before_created")
    assert summary.status.value == "in_review"  # a signal informs; it does not change the verdict
    note = queries.document_detail(fcase, ref).status_note
    assert note is not None
    first, line = note.splitlines()
    assert first == "Sent by the embassy press office."
    assert line.startswith("Forensic signal, warning: ")
    assert custody_actions(fcase, IDS["modified"])[-1] == "status_changed"
    count = len(custody_actions(fcase, IDS["modified"]))
    attach_signal_to_rationale(fcase, ref, "pdf.modified_before_created")  # twice: once in the note
    assert queries.document_detail(fcase, ref).status_note == note
    assert len(custody_actions(fcase, IDS["modified"])) == count
    with pytest.raises(UsageError, match="no signal"):
        attach_signal_to_rationale(fcase, ref, "image.editing_software")


def test_every_annotated_region_gets_a_perceptual_hash_and_its_look_alikes(fcase: Case) -> None:
    doc = IDS["a"]
    first = documents.add_annotation(fcase, doc, page=1, rect=STAMP, note="stamp")
    second = documents.add_annotation(fcase, doc, page=1, rect=STAMP, note="the same stamp, again")
    assert needs_region_hashes(fcase, doc)
    assert ensure_region_hashes(fcase, doc) == 2
    assert not needs_region_hashes(fcase, doc)
    assert [(a, d, p, bits) for a, d, p, bits in similar_regions(fcase, first.id)] == [(second.id, doc, 1, 0)]
    regions = {r["annotation"]: r for r in annotated_regions(fcase, doc)}
    assert regions[first.id]["phash"] is not None
    documents.update_annotation(fcase, second.id, rect=Rect(300, 600, 420, 700))  # moved: hashed again
    assert needs_region_hashes(fcase, doc)
    assert ensure_region_hashes(fcase, doc) == 1
    assert similar_regions(fcase, first.id) == []
