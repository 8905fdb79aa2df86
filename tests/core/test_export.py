"""Evidence bundles: exported bags an independent validator accepts, tamper detection, the report's
escaping, redaction for publication, and a round trip into another case.

The core cases (a bag an independent validator accepts, verify on a zip and its tampered copies, the
report, a zip round trip into a new case) run on a local (SQLite) and a shared (PostgreSQL) case; the
rest, whose code does not depend on the database, on the local case only (SQLITE_ONLY)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import threading
import uuid
import zipfile
from typing import TYPE_CHECKING

import bagit
import pymupdf
import pypdf
import pytest
from sqlalchemy import select

from reviewer.cli import main
from reviewer.core.bundles.bagit import BagWriter
from reviewer.core.domain.errors import IntegrityError
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents, links, queries
from reviewer.core.services.case import create_case
from reviewer.core.services.exchange import BundleError, import_bundle
from reviewer.core.services.export import ExportCancelled, ExportOptions, export_bundle
from reviewer.core.services.importing import import_paths
from reviewer.core.storage.orm import CustodyEvent
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from reviewer.core.services.case import Case
    from tests.pg_cluster import PostgresCluster

HOSTILE_NOTE = 'stamp <script>alert("x")</script> <img src=x onerror="alert(1)">'


SQLITE_ONLY = pytest.mark.parametrize("any_case", ["sqlite"], indirect=True)


@pytest.fixture
def case(any_case: Case) -> Case:
    """Every test here runs on a local (SQLite) and a shared (PostgreSQL) case, but SQLITE_ONLY ones."""
    return any_case


@pytest.fixture
def new_case(request: pytest.FixtureRequest, case: Case, tmp_path: Path) -> Iterator[Callable[[str], Case]]:
    """Make another case (at tmp_path/NAME) on the same backend as ``case``: an empty database for a
    shared one."""
    made: list[Case] = []

    def make(name: str) -> Case:
        database = None
        if case.layout.shared_database_url() is not None:
            cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
            database = cluster.create_database(f"{name}_{uuid.uuid4().hex[:12]}")
        made.append(create_case(tmp_path / name, actor="partner", database=database))
        return made[-1]

    yield make
    for other in made:
        other.close()


@pytest.fixture
def annotated_case(case: Case, inbox: Path) -> Case:
    """Two documents with a status, tags, a checklist finding and annotations (one of them hostile)."""
    note = filemaker.make_text_pdf(
        inbox / "note <b onclick=x>.pdf",
        pages=2,
        lines=["Informant: Petrov Ivan", "Reference 12-05/1174", "Ministry of Foreign Affairs"],
    )
    scan = filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=1, seed=3)
    import_paths(
        case,
        [note, scan],
    )
    documents.set_status(case, 1, "disputed", "the stamp differs from the 2019 reference")
    documents.tag_documents(case, [1], ["МИД", "stamp"])
    documents.set_metadata(case, 1, {"title": "Note 12-05/1174", "type": "diplomatic note", "language": "ru"})
    documents.set_check(case, 1, "stamp", "inconsistent", "ink differs")
    documents.add_annotation(
        case,
        1,
        page=1,
        rect=Rect(60, 60, 300, 120),
        note=HOSTILE_NOTE,
        transcription="№ 12-05/1174",
        translation="No. 12-05/1174",
        tags=["ref"],
    )
    with pymupdf.open(str(note)) as doc:
        [hit] = doc[0].search_for("Petrov")
    documents.add_annotation(
        case,
        1,
        page=1,
        rect=Rect(hit.x0 - 1, hit.y0 - 1, hit.x1 + 1, hit.y1 + 1),
        kind="redaction",
        note="the informant's name: Petrov",
    )
    return case


def test_an_exported_bag_is_valid_for_an_independent_validator(annotated_case: Case, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    report = export_bundle(annotated_case, out)
    assert report.documents == 2
    bag = bagit.Bag(str(out))
    bag.validate()
    info = bag.info
    for key in (
        "Source-Organization",
        "Bagging-Date",
        "Payload-Oxum",
        "External-Description",
        "Bag-Software-Agent",
    ):
        assert info.get(key), key
    data = out / "data"
    assert {p.name for p in data.iterdir()} == {
        "originals",
        "annotated",
        "annotations.jsonld",
        "case.json",
        "report.html",
    }
    for detail in (queries.document_detail(annotated_case, i) for i in (1, 2)):
        [copy] = [p for p in (data / "originals").iterdir() if p.name.startswith(f"{detail.summary.id:04d}_")]
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == detail.summary.sha256, "byte-identical"
    assert any("note" in p.name for p in (data / "originals").iterdir()), (
        "named so a person can tell them apart"
    )


@SQLITE_ONLY
def test_annotated_pdfs_carry_real_annotations(annotated_case: Case, tmp_path: Path) -> None:
    export_bundle(annotated_case, tmp_path / "bundle")
    [annotated] = [
        p for p in (tmp_path / "bundle" / "data" / "annotated").iterdir() if p.name.startswith("0001")
    ]
    reader = pypdf.PdfReader(annotated)  # a second, independent PDF library
    assert len(reader.pages) == 3, "a cover page, then the document's two pages"
    assert "Note 12-05/1174" in reader.pages[0].extract_text()
    annots = [a.get_object() for a in reader.pages[1]["/Annots"]]
    squares = [a for a in annots if a["/Subtype"] == "/Square"]
    assert len(squares) == 2
    contents = " ".join(str(a.get("/Contents")) for a in squares)
    assert "№ 12-05/1174" in contents
    assert "No. 12-05/1174" in contents
    assert "Tags: ref" in contents
    height = float(reader.pages[1].mediabox.height)
    rects = sorted([float(v) for v in a["/Rect"]] for a in squares)
    assert any(
        r[0] == pytest.approx(59, abs=1.5) and r[3] == pytest.approx(height - 59, abs=1.5) for r in rects
    )


@SQLITE_ONLY
def test_annotations_jsonld_follows_the_web_annotation_model(annotated_case: Case, tmp_path: Path) -> None:
    export_bundle(annotated_case, tmp_path / "bundle")
    data = json.loads((tmp_path / "bundle" / "data" / "annotations.jsonld").read_text())
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert data["total"] == len(items) == 2
    sha = queries.document_detail(annotated_case, 1).summary.sha256
    for item in items:
        assert item["type"] == "Annotation"
        assert item["target"]["source"] == f"urn:sha256:{sha}"
        assert item["target"]["selector"]["type"] == "FragmentSelector"
        assert item["target"]["selector"]["value"].startswith("page=1&viewrect=")
    [note] = [i for i in items if i["motivation"] == "commenting"]
    purposes = {b["purpose"]: b for b in note["body"]}
    assert purposes["transcribing"]["value"] == "№ 12-05/1174"
    assert purposes["transcribing"]["language"] == "ru"
    assert purposes["translating"]["value"] == "No. 12-05/1174"
    assert purposes["tagging"]["value"] == "ref"


def test_the_report_escapes_everything(annotated_case: Case, tmp_path: Path) -> None:
    export_bundle(annotated_case, tmp_path / "bundle")
    page = (tmp_path / "bundle" / "data" / "report.html").read_text()
    assert "<script" not in page
    assert "onerror=" not in page.replace("onerror=&quot;", "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "note &lt;b onclick=x&gt;.pdf" in page, "file names are escaped too"
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page
    assert "data:image/png;base64," in page, "thumbnails and crops are inline"
    assert "http://" not in page.replace("http://www.w3.org", "")


def test_zip_export_and_tamper_detection(
    annotated_case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "bundle.zip"
    export_bundle(annotated_case, bundle, ExportOptions(zip=True))
    assert main(["verify", str(bundle)]) == 0
    extracted = tmp_path / "x"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(extracted)
    [root] = list(extracted.iterdir())
    bagit.Bag(str(root)).validate()

    def tampered(change: object) -> int:
        copy = tmp_path / "copy"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(root, copy)
        change(copy)  # type: ignore[operator]
        capsys.readouterr()
        return main(["verify", str(copy)])

    def flip(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 1
        path.write_bytes(bytes(data))

    original = lambda c: flip(next((c / "data" / "originals").iterdir()))  # noqa: E731
    assert tampered(original) == 1
    assert tampered(lambda c: flip(c / "data" / "annotations.jsonld")) == 1
    assert (
        tampered(lambda c: (c / "bag-info.txt").write_text((c / "bag-info.txt").read_text() + "X-Extra: 1\n"))
        == 1
    )
    assert tampered(lambda c: (c / "data" / "extra.txt").write_text("added")) == 1
    assert tampered(lambda c: (c / "data" / "report.html").unlink()) == 1
    assert tampered(lambda c: None) == 0


@SQLITE_ONLY
def test_export_refuses_when_an_original_was_altered(annotated_case: Case, tmp_path: Path) -> None:
    stored = annotated_case.layout.original(queries.document_detail(annotated_case, 2).summary.sha256)
    os.chmod(stored, 0o644)
    stored.write_bytes(stored.read_bytes() + b"\n")
    with pytest.raises(IntegrityError, match="no longer matches"):
        export_bundle(annotated_case, tmp_path / "bundle")
    assert not (tmp_path / "bundle").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".reviewer-export")] == []


@SQLITE_ONLY
def test_redacted_export_removes_the_words_and_keeps_the_original(
    annotated_case: Case, tmp_path: Path
) -> None:
    detail = queries.document_detail(annotated_case, 1)
    stored = annotated_case.layout.original(detail.summary.sha256)
    before = stored.read_bytes()
    out = tmp_path / "public"
    report = export_bundle(annotated_case, out, ExportOptions(redact=True))
    assert report.redacted == (1,)
    bagit.Bag(str(out)).validate()
    assert not (out / "data" / "originals").exists(), "a publication bundle carries no original"
    copy = out / "data" / "documents" / "document-0001.pdf"
    with pymupdf.open(str(copy)) as doc:
        text = doc[0].get_text()
        assert not doc.metadata.get("title")
    assert "Petrov" not in text
    assert "Reference 12-05/1174" in text, "neighbouring words survive"
    assert "Petrov" not in pypdf.PdfReader(copy).pages[0].extract_text()
    assert stored.read_bytes() == before, "the original in the case is untouched"
    for name in ("case.json", "annotations.jsonld", "report.html"):
        assert "Petrov" not in (out / "data" / name).read_text(), (
            f"the redaction's own note is withheld ({name})"
        )
    page = (out / "data" / "report.html").read_text()
    assert "page 1: 1 region(s) removed" in page
    case_json = json.loads((out / "data" / "case.json").read_text())
    assert case_json["redacted_for_publication"] is True
    sightings = [s for d in case_json["documents"] for s in d["sightings"]]
    assert all(s["source"] in (None, "[withheld for publication]") for s in sightings)
    annotated = out / "data" / "annotated" / "document-0001.annotated.pdf"
    first_page = pypdf.PdfReader(annotated).pages[1].extract_text()  # after the cover
    assert "Petrov" not in first_page
    assert "Reference 12-05/1174" in first_page


def test_round_trip_into_an_empty_case(
    annotated_case: Case, tmp_path: Path, new_case: Callable[[str], Case]
) -> None:
    """A zip exported from a local case into a new local one, from a shared case into a new shared one."""
    bundle = tmp_path / "bundle.zip"
    exported = {ref: queries.document_detail(annotated_case, ref) for ref in (1, 2)}
    links.link_documents(annotated_case, 2, 1, "attachment of", "the scan came with the note")
    export_bundle(annotated_case, bundle, ExportOptions(zip=True))
    with new_case("other") as other:
        report = import_bundle(other, bundle)
        assert len(report.new_documents) == 2
        assert report.conflicts == ()
        assert report.links_added == 1
        by_sha = {d.sha256: d.id for d in queries.list_documents(other)}
        [link] = links.links_of(other, by_sha[exported[2].summary.sha256])
        assert (link.relation.value, link.other.sha256, link.note, link.outgoing) == (
            "attachment_of",
            exported[1].summary.sha256,
            "the scan came with the note",
            True,
        )
        for a in exported.values():
            [b_id] = [d.id for d in queries.list_documents(other) if d.sha256 == a.summary.sha256]
            b = queries.document_detail(other, b_id)
            assert b.summary.status is a.summary.status
            assert b.status_note == a.status_note
            assert b.summary.tags == a.summary.tags
            assert b.fields == a.fields
            assert b.checklist == a.checklist or all(
                b.checklist[k].state == a.checklist[k].state for k in a.checklist
            )
            assert [
                (n.id, n.page, n.x0, n.y0, n.x1, n.y1, n.kind, n.note, n.tags) for n in b.annotations
            ] == [(n.id, n.page, n.x0, n.y0, n.x1, n.y1, n.kind, n.note, n.tags) for n in a.annotations]
            theirs = [(e.at, e.actor, e.action, e.summary) for e in a.custody]
            ours = [(e.at, e.actor, e.action, e.summary) for e in b.custody]
            assert set(theirs) <= set(ours), "the other case's custody log comes along"
            assert {s.original_path for s in a.sightings} <= {s.original_path for s in b.sightings}
        again = import_bundle(other, bundle)
        assert again.new_documents == ()
        assert again.annotations_added == 0
        assert again.entries_added == 0, "merging twice adds nothing twice"
        assert again.links_added == 0


@SQLITE_ONLY
def test_a_tampered_or_malformed_bundle_is_refused_untouched(annotated_case: Case, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    export_bundle(annotated_case, out)
    with create_case(tmp_path / "other", actor="partner") as other:
        bad = tmp_path / "bad"
        shutil.copytree(out, bad)
        (bad / "data" / "case.json").write_text('{"format": "reviewer-evidence-bundle", "documents": []}x')
        with pytest.raises(IntegrityError, match="fails verification"):
            import_bundle(other, bad)
        # a well-formed bag whose case.json points outside the bag
        sneaky = tmp_path / "sneaky"
        writer = BagWriter(sneaky)
        writer.add_bytes(
            "case.json",
            json.dumps(
                {
                    "format": "reviewer-evidence-bundle",
                    "documents": [{"sha256": "a" * 64, "file": "data/../../../etc/passwd"}],
                }
            ).encode(),
        )
        writer.finish({"Source-Organization": "x"})
        with pytest.raises(BundleError, match="not a file of the bundle"):
            import_bundle(other, sneaky)
        assert queries.list_documents(other) == []


@SQLITE_ONLY
def test_an_oversized_case_json_is_refused(annotated_case: Case, tmp_path: Path) -> None:
    from reviewer.core.bundles.bagit import BagLimits

    export_bundle(annotated_case, tmp_path / "bundle")
    with create_case(tmp_path / "other", actor="partner") as other:
        with pytest.raises(BundleError, match=r"case\.json"):
            import_bundle(other, tmp_path / "bundle", limits=BagLimits(max_tag_file_bytes=1000))
        assert queries.list_documents(other) == [], "nothing was written"


@SQLITE_ONLY
def test_the_annotated_copy_is_the_original_followed_by_an_incremental_update(
    annotated_case: Case, tmp_path: Path
) -> None:
    out = tmp_path / "bundle"
    export_bundle(annotated_case, out)
    for document_id in (1, 2):
        summary = queries.document_detail(annotated_case, document_id).summary
        original = annotated_case.layout.original(summary.sha256).read_bytes()
        [annotated] = (out / "data" / "annotated").glob(f"{summary.id:04d}_*")
        data = annotated.read_bytes()
        assert data[: len(original)] == original, "the original's bytes, untouched, come first"
        assert len(data) > len(original)
        reader = pypdf.PdfReader(annotated, strict=True)  # the appended xref section must be exact
        assert len(reader.pages) == summary.page_count + 1
        with pymupdf.open(str(annotated)) as doc:
            assert not doc.is_repaired
            assert doc[0].get_text().strip(), "the cover comes first"
    bagit.Bag(str(out)).validate()


@SQLITE_ONLY
def test_a_photo_gets_an_annotated_pdf_too(case: Case, inbox: Path, tmp_path: Path) -> None:
    photo = filemaker.make_jpeg_with_exif(inbox / "photo.jpg", width=400, height=300, seed=5)
    import_paths(case, [photo])
    documents.add_annotation(case, 1, page=1, rect=Rect(20, 20, 120, 80), note="plate number")
    out = tmp_path / "bundle"
    export_bundle(case, out)
    [annotated] = (out / "data" / "annotated").iterdir()
    reader = pypdf.PdfReader(annotated)
    assert len(reader.pages) == 2
    [square] = [a.get_object() for a in reader.pages[1]["/Annots"] if a.get_object()["/Subtype"] == "/Square"]
    assert "plate number" in str(square["/Contents"])
    assert "data:image/jpeg;base64," in (out / "data" / "report.html").read_text()
    bagit.Bag(str(out)).validate()


@SQLITE_ONLY
def test_crops_are_kept_and_reused_by_the_next_export(annotated_case: Case, tmp_path: Path) -> None:
    export_bundle(annotated_case, tmp_path / "first")
    sha256 = queries.document_detail(annotated_case, 1).summary.sha256
    kept = sorted(annotated_case.layout.derived_dir(sha256).glob("crop-*"))
    assert len(kept) == 2, "one picture per annotation of document 1"
    # Swapping a kept crop for another picture shows the next export takes it instead of drawing.
    with pymupdf.open() as doc:
        marker = doc.new_page(width=40, height=20).get_pixmap().tobytes("png")
    kept[0].unlink()
    kept[0].with_suffix(".png").write_bytes(marker)
    export_bundle(annotated_case, tmp_path / "second")
    page = (tmp_path / "second" / "data" / "report.html").read_text()
    assert base64.b64encode(marker).decode() in page
    redacted = export_bundle(annotated_case, tmp_path / "public", ExportOptions(redact=True))
    assert redacted.redacted == (1,)
    assert (
        base64.b64encode(marker).decode() not in (tmp_path / "public" / "data" / "report.html").read_text()
    ), "a redacted copy's crops are drawn from the copy, never taken from the original's"


@SQLITE_ONLY
def test_the_zip_is_written_directly_and_lists_bagit_txt_first(annotated_case: Case, tmp_path: Path) -> None:
    bundle = tmp_path / "out" / "Bundle.zip"
    export_bundle(annotated_case, bundle, ExportOptions(zip=True))
    assert [p.name for p in bundle.parent.iterdir()] == ["Bundle.zip"], "no folder, no scratch beside it"
    with zipfile.ZipFile(bundle) as archive:
        infos = archive.infolist()
        assert archive.testzip() is None
        archive.extractall(tmp_path / "x")
    names = [i.filename for i in infos]
    assert names[:2] == ["Bundle/", "Bundle/bagit.txt"]
    kinds = {i.filename.rsplit("/", 1)[-1]: i.compress_type for i in infos if not i.is_dir()}
    assert all(kinds[n] == zipfile.ZIP_STORED for n in kinds if n.endswith(".pdf"))
    assert kinds["case.json"] == zipfile.ZIP_DEFLATED
    bagit.Bag(str(tmp_path / "x" / "Bundle")).validate()


@SQLITE_ONLY
@pytest.mark.parametrize("zipped", [False, True])
@pytest.mark.parametrize("when", ["copying", "annotating", "writing the report"])
def test_a_cancelled_export_leaves_nothing(
    annotated_case: Case, tmp_path: Path, zipped: bool, when: str
) -> None:
    out = tmp_path / "out" / ("bundle.zip" if zipped else "bundle")
    stop = threading.Event()

    def progress(what: str, _done: int, _total: int) -> None:
        if what.startswith(when):
            stop.set()

    with pytest.raises(ExportCancelled, match="nothing was written"):
        export_bundle(annotated_case, out, ExportOptions(zip=zipped), on_progress=progress, cancel=stop)
    assert list(out.parent.iterdir()) == []
    with annotated_case.db.reading() as session:
        exported = session.scalars(select(CustodyEvent).where(CustodyEvent.action == "exported")).all()
    assert exported == [], "nothing exported, nothing logged"


@SQLITE_ONLY
def test_links_are_in_the_report_on_both_documents(annotated_case: Case, tmp_path: Path) -> None:
    links.link_documents(annotated_case, 2, 1, "attachment of", "came <b>with</b> the note")
    out = tmp_path / "bundle"
    export_bundle(annotated_case, out)
    report = (out / "data" / "report.html").read_text(encoding="utf-8")
    assert "attachment of document 1" in report
    assert "has attachment document 2" in report
    assert "came &lt;b&gt;with&lt;/b&gt; the note" in report  # escaped like everything else
