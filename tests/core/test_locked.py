"""Locked evidence (issue 11.2): an encrypted file imported without its password is kept, locked.

Real encrypted PDFs (AES-256 from tests.filemaker, RC4-128 made here), real cases, real worker
processes: kept and counted, read-only in the store, on the custody log; every page feature says
"locked"; unlocking reads it as an import does; bundles carry it without its password.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import bagit
import pymupdf
import pytest

from reviewer.core.domain.errors import CaseError, UsageError
from reviewer.core.domain.locked import DocumentLocked
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents, forensics, queries, search
from reviewer.core.services.case import Case, create_case
from reviewer.core.services.exchange import import_bundle
from reviewer.core.services.export import ExportOptions, export_bundle, leave_out_locked
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import ImportOptions, import_paths
from reviewer.core.services.reading import read_pages
from reviewer.core.services.unlock import unlock_document
from tests import filemaker
from tests.conftest import raw_db

PASSWORD = "Tайна-пароль-7731"


def make_rc4_pdf(path: Path, password: str) -> Path:
    """A 1-page RC4-128 encrypted PDF with text, made by MuPDF."""
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), "RC4 locked letter 45/БА-2018")
        doc.save(str(path), encryption=pymupdf.PDF_ENCRYPT_RC4_128, user_pw=password, owner_pw="o")
    with pymupdf.open(path) as check:
        assert check.needs_pass
        assert check.authenticate(password)
        assert "RC4" in (check.metadata or {}).get("encryption", "")
    return path


@pytest.fixture(params=["aes", "rc4"])
def encrypted(request: pytest.FixtureRequest, inbox: Path) -> Path:
    if request.param == "aes":
        return filemaker.make_encrypted_pdf(inbox / "locked.pdf", user_password=PASSWORD)
    return make_rc4_pdf(inbox / "locked.pdf", PASSWORD)


def _locked_one(case: Case, path: Path, **options: str) -> int:
    report = import_paths(case, [path], ImportOptions(**options))  # type: ignore[arg-type]
    assert report.ok, report.failed
    [item] = report.imported
    assert item.locked
    assert item.pages == 0
    return item.id


def test_imported_without_its_password_it_is_kept_locked(case: Case, encrypted: Path) -> None:
    before = encrypted.read_bytes()
    doc = _locked_one(case, encrypted)
    summary = queries.document_detail(case, doc).summary
    assert summary.locked
    assert summary.page_count == 0
    stored = case.layout.original(summary.sha256)
    assert stored.read_bytes() == before == encrypted.read_bytes()  # byte for byte, source untouched
    assert not stored.stat().st_mode & 0o222, "stored read-only like any original"
    assert not case.layout.thumbnail(summary.sha256, 1).exists()
    with raw_db(case.root) as conn:
        row = conn.execute("SELECT encrypted, password, page_count FROM document").fetchone()
        assert row == (1, None, 0)
        assert conn.execute("SELECT count(*) FROM page").fetchone() == (0,)
    detail = queries.document_detail(case, doc)
    assert detail.file_metadata["locked"] is True
    [entry] = [e for e in detail.custody if e.action == "imported"]
    assert entry.summary.startswith("imported locked: encrypted, password not known")
    assert verify_case(case).ok


def test_a_wrong_password_keeps_it_locked_and_is_not_stored(case: Case, encrypted: Path) -> None:
    doc = _locked_one(case, encrypted, password="not-it")
    detail = queries.document_detail(case, doc)
    assert detail.summary.locked
    assert detail.file_metadata["locked_reason"] == "the password given does not open it"
    with raw_db(case.root) as conn:
        assert conn.execute("SELECT password FROM document").fetchone() == (None,)


def test_every_page_feature_says_locked_in_one_line(case: Case, encrypted: Path) -> None:
    doc = _locked_one(case, encrypted)
    calls = [
        lambda: documents.add_annotation(case, doc, page=1, rect=Rect(1, 1, 20, 20)),
        lambda: read_pages(case, [doc]),
        lambda: forensics.ensure_forensics(case, doc),
        lambda: forensics.forensics_of(case, doc),
        lambda: forensics.error_level_overlay(case, doc, 1),
    ]
    for call in calls:
        with pytest.raises(DocumentLocked) as caught:
            call()
        assert (
            str(caught.value)
            == f"document {doc} is locked; unlock it with: reviewer unlock CASE {doc} --password PW"
        )
        assert isinstance(caught.value, CaseError)  # exit 1, not a usage error
    assert read_pages(case, None).pages == 0  # the whole case: skipped, nothing to read
    assert not search.search(case, "Encrypted").documents


def test_unlock_with_a_wrong_password_changes_nothing(case: Case, encrypted: Path) -> None:
    doc = _locked_one(case, encrypted)
    with raw_db(case.root) as conn:
        before = (
            conn.execute("SELECT * FROM document").fetchall(),
            conn.execute("SELECT count(*) FROM custody_event").fetchone(),
        )
    with pytest.raises(CaseError, match=f"the password does not open document {doc}; nothing was changed"):
        unlock_document(case, doc, "wrong")
    with pytest.raises(UsageError):
        unlock_document(case, doc, "")
    with raw_db(case.root) as conn:
        after = (
            conn.execute("SELECT * FROM document").fetchall(),
            conn.execute("SELECT count(*) FROM custody_event").fetchone(),
        )
    assert after == before
    assert list(case.layout.staging.iterdir()) == []


def test_unlock_reads_it_as_an_import_does(case: Case, encrypted: Path) -> None:
    doc = _locked_one(case, encrypted)
    report = unlock_document(case, doc, PASSWORD)
    assert report.was_locked
    assert report.pages >= 1
    detail = queries.document_detail(case, doc)
    assert not detail.summary.locked
    assert detail.summary.page_count == report.pages == len(detail.pages)
    assert "locked" not in detail.file_metadata
    assert case.layout.thumbnail(detail.summary.sha256, 1).is_file()
    assert search.search(case, "Encrypted OR letter").documents, "its text layer is searchable"
    assert forensics.ensure_forensics(case, doc) is False, "its signals were computed with the pages"
    forensics.forensics_of(case, doc)
    documents.add_annotation(case, doc, page=1, rect=Rect(10, 10, 100, 60), note="seen")
    [entry] = [e for e in detail.custody if e.action == "unlocked"]
    assert PASSWORD not in json.dumps([entry.summary, entry.before, entry.after], ensure_ascii=False)
    with raw_db(case.root) as conn:
        assert conn.execute("SELECT password FROM document").fetchone() == (PASSWORD,)
        logged = " ".join(
            str(r) for r in conn.execute("SELECT summary, before_json, after_json FROM custody_event")
        )
    assert PASSWORD not in logged
    assert verify_case(case).ok, "the state anchors hold after the unlock"
    again = unlock_document(case, doc, PASSWORD)
    assert not again.was_locked


def _bundle_bytes(bundle: Path) -> list[tuple[str, bytes]]:
    """Every file of a bundle, and for a zip every member's content too (compressed bytes hide text)."""
    if bundle.is_dir():
        return [(str(p), p.read_bytes()) for p in bundle.rglob("*") if p.is_file()]
    found = [(str(bundle), bundle.read_bytes())]
    with zipfile.ZipFile(bundle) as archive:
        found += [(info.filename, archive.read(info)) for info in archive.infolist() if not info.is_dir()]
    return found


def _assert_no_password(bundle: Path) -> None:
    needles = [PASSWORD.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]
    needles.append(json.dumps(PASSWORD).encode())  # \u-escaped, as JSON may write it
    for name, data in _bundle_bytes(bundle):
        for needle in needles:
            assert needle not in data, f"the password is in {name}"


@pytest.mark.slow
def test_bundles_carry_locked_documents_and_never_a_password(case: Case, inbox: Path, tmp_path: Path) -> None:
    locked = filemaker.make_encrypted_pdf(inbox / "locked.pdf", user_password=PASSWORD)
    opened = make_rc4_pdf(inbox / "opened.pdf", PASSWORD)  # unlocked in this case, locked in the next
    plain = filemaker.make_text_pdf(inbox / "plain.pdf")
    import_paths(case, [locked, plain])
    [opened_id] = [i.id for i in import_paths(case, [opened]).imported]
    unlock_document(case, opened_id, PASSWORD)
    documents.add_annotation(case, opened_id, page=1, rect=Rect(10, 10, 100, 60), note="seen")
    for kind in ("folder", "zip"):
        out = tmp_path / ("bundle.zip" if kind == "zip" else "bundle")
        report = export_bundle(case, out, ExportOptions(zip=kind == "zip"))
        assert report.documents == 3
        _assert_no_password(out)
        folder = out
        if kind == "zip":
            with zipfile.ZipFile(out) as archive:
                archive.extractall(tmp_path / "unzipped")
            (folder,) = (tmp_path / "unzipped").iterdir()
        bagit.Bag(str(folder)).validate()
        case_json = json.loads((folder / "data" / "case.json").read_text(encoding="utf-8"))
        entries = {Path(e["sightings"][0]["original_name"]).name: e for e in case_json["documents"]}
        assert entries["locked.pdf"]["locked"] is True
        assert entries["locked.pdf"]["annotated"] is None
        assert (folder / entries["locked.pdf"]["file"]).read_bytes() == locked.read_bytes()
        assert "locked" not in entries["opened.pdf"]
        assert entries["opened.pdf"]["annotated"]
        html = (folder / "data" / "report.html").read_text(encoding="utf-8")
        assert "locked: not readable without its password, which is not in this bundle" in html
        # merged into an empty case: the locked one stays locked, the unlocked one arrives locked
        with create_case(tmp_path / f"merged-{kind}", title="Merged", actor="colleague") as other:
            merged = import_bundle(other, out)
            assert len(merged.new_documents) == 3
            rows = {r.display_name.split("_", 1)[1]: r for r in queries.list_documents(other)}
            assert rows["locked.pdf"].locked
            assert rows["opened.pdf"].locked
            assert not rows["plain.pdf"].locked
            assert any("opened.pdf: locked here" in c for c in merged.conflicts)
            assert verify_case(other).ok
            unlock_document(other, rows["opened.pdf"].id, PASSWORD)
            again = import_bundle(other, out)
            assert again.annotations_added == 1, "merged again once unlocked, its annotation arrives"
            assert verify_case(other).ok


@pytest.mark.slow
def test_a_publication_bundle_leaves_a_locked_document_out(case: Case, inbox: Path, tmp_path: Path) -> None:
    locked = filemaker.make_encrypted_pdf(inbox / "locked.pdf", user_password=PASSWORD)
    plain = filemaker.make_text_pdf(inbox / "plain.pdf")
    ids = [i.id for i in import_paths(case, [locked, plain]).imported]
    kept, lines = leave_out_locked(case, ids)
    assert kept == [ids[1]]
    assert lines == [f"document {ids[0]} is locked and was left out of the publication bundle"]
    out = tmp_path / "public"
    report = export_bundle(case, out, ExportOptions(redact=True))
    assert report.documents == 1
    assert report.left_out == tuple(lines)
    assert lines[0] in (out / "data" / "report.html").read_text(encoding="utf-8")
    assert json.loads((out / "data" / "case.json").read_text(encoding="utf-8"))["left_out"] == lines
    assert not list((out / "data" / "originals").glob("*locked*"))
    _assert_no_password(out)
    with pytest.raises(CaseError, match="every document chosen is locked"):
        export_bundle(case, tmp_path / "none", ExportOptions(redact=True, docs=[ids[0]]))
