"""One case holding every kind of document, through every path: import, annotate, export (folder, zip,
redacted), verify, validate with an outside BagIt library, open every PDF made with pypdf, merge the
bundle into an empty case and verify that.

Issue 11: an encrypted or repaired PDF made every export fail ("document closed"), and a truncated
PDF imported silently as blank pages.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import bagit
import pymupdf
import pypdf
import pytest

from reviewer.cli import main
from reviewer.core.forensics.pdf import pdf_signals
from reviewer.core.forensics.revisions import read_revisions
from reviewer.core.services import export_bag
from tests import filemaker
from tests.conftest import CORPUS, raw_db

pytestmark = pytest.mark.slow

#: pdf.js corpus files MuPDF must repair to open (checked in the fixture): a missing xref keyword,
#: a file without its "%PDF-" header, and one whose redacted copy MuPDF cannot rewrite.
REPAIRED = ("helloworld-bad.pdf", "bug1606566.pdf", "issue19800.pdf")
ODD_NAME = "Письмо №45 (копия).pdf"
PASSWORD = "secret"


@dataclass(frozen=True)
class MixedCase:
    root: Path
    work: Path
    ids: dict[str, int]  # file name -> document id
    imported: dict[str, dict[str, object]]  # file name -> its item in ``import --json``


def cli(*args: str | Path) -> tuple[int, str]:
    """Run the command line in this process; its exit code and standard output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    assert "unexpected error" not in err.getvalue()
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue() + err.getvalue()


def cli_json(*args: str | Path) -> dict[str, object]:
    code, out = cli(*args, "--json")
    assert code == 0, out
    result: dict[str, object] = json.loads(out)
    return result


def _page_size(root: Path, doc: int) -> tuple[float, float]:
    detail = cli_json("show", root, str(doc))
    page = detail["pages"][0]  # type: ignore[index]
    return float(page["width"]), float(page["height"])


@pytest.fixture(scope="session")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> MixedCase:
    """Every kind of document, imported through the command line and annotated on several kinds."""
    work = tmp_path_factory.mktemp("mixed")
    inbox = work / "inbox"
    inbox.mkdir()
    filemaker.make_text_pdf(inbox / "note.pdf", pages=2)
    filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=1, stamp=True)
    filemaker.make_truncated_pdf(inbox / "truncated.pdf", keep_bytes=50_000)
    filemaker.make_tiff(inbox / "fax.tiff", pages=2)
    filemaker.make_jpeg_with_exif(inbox / "photo.jpg", gps=(53.9, 27.56))
    filemaker.make_png(inbox / "page.png")
    filemaker.make_text_pdf(inbox / ODD_NAME)
    for name in REPAIRED:
        with pymupdf.open(CORPUS / name) as doc:
            assert doc.is_repaired, f"{name} is expected to need repair"
        shutil.copyfile(CORPUS / name, inbox / name)  # into the test's folder, never the repository
    locked = filemaker.make_encrypted_pdf(work / "locked.pdf", user_password=PASSWORD)
    root = work / "case"
    assert cli("init", root)[0] == 0
    report = cli_json("import", root, inbox, "--ocr", "never")
    assert report["failed"] == []
    encrypted = cli_json("import", root, locked, "--password", PASSWORD, "--ocr", "never")
    items = [*report["imported"], *encrypted["imported"]]  # type: ignore[misc]
    imported = {Path(item["path"]).name: item for item in items}
    assert len(imported) == 11
    ids = {name: int(item["id"]) for name, item in imported.items()}
    for name in ("note.pdf", "scan.pdf", "locked.pdf", "truncated.pdf", "fax.tiff", "photo.jpg", *REPAIRED):
        width, height = _page_size(root, ids[name])
        note = f"{width * 0.1:.1f},{height * 0.1:.1f},{width * 0.4:.1f},{height * 0.3:.1f}"
        hidden = f"{width * 0.5:.1f},{height * 0.5:.1f},{width * 0.9:.1f},{height * 0.7:.1f}"
        doc = str(ids[name])
        assert cli("annotate", root, doc, "--page", "1", "--rect", note, "--note", "seen")[0] == 0
        assert cli("annotate", root, doc, "--page", "1", "--rect", hidden, "--kind", "redaction")[0] == 0
    return MixedCase(root, work, ids, imported)


@pytest.fixture(scope="session")
def bundles(mixed: MixedCase) -> dict[str, Path]:
    """The case exported as a folder, a zip and a redacted folder, through the command line."""
    made = {}
    for kind, extra in (("folder", ()), ("zip", ("--zip",)), ("redacted", ("--redact",))):
        out = mixed.work / f"bundle-{kind}" if kind != "zip" else mixed.work / "bundle.zip"
        with pytest.MonkeyPatch.context() as patch:
            if kind == "folder":  # the passwords looked up two documents a statement: the locked one's found
                patch.setattr(export_bag, "IDS_PER_QUERY", 2)
            report = cli_json("export", mixed.root, out, *extra)
        assert report["documents"] == 11
        made[kind] = out
    return made


def _bag_folder(bundle: Path, into: Path) -> Path:
    if bundle.suffix != ".zip":
        return bundle
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(into)
    (folder,) = into.iterdir()
    return folder


def test_a_damaged_file_is_kept_and_its_damage_said(mixed: MixedCase) -> None:
    truncated = mixed.imported["truncated.pdf"]
    assert truncated["pages"] == 3
    (warning,) = truncated["warnings"]  # type: ignore[misc]
    assert warning.startswith("damaged: MuPDF had to repair it (")
    assert "3 pages, pages 2, 3 have no content" in warning
    for name in REPAIRED:
        assert mixed.imported[name]["warnings"], name
    for name in ("note.pdf", "scan.pdf", "locked.pdf", "fax.tiff", "photo.jpg", "page.png", ODD_NAME):
        assert mixed.imported[name]["warnings"] == [], name
    detail = cli_json("show", mixed.root, str(mixed.ids["truncated.pdf"]))
    damage = detail["file_metadata"]["damage"]  # type: ignore[index]
    assert damage["repaired"] is True
    assert damage["pages"] == {"2": "no content", "3": "no content"}


def test_a_truncated_pdf_has_no_data_after_its_end(tmp_path: Path) -> None:
    """A file cut short has no end marker: nothing is 'after the end', the end is missing."""
    path = filemaker.make_truncated_pdf(tmp_path / "cut.pdf", keep_bytes=50_000)
    history = read_revisions(path)
    assert (history.count, history.trailing_bytes) == (0, 0)
    codes = {s.code for s in pdf_signals(path)}
    assert "pdf.data_after_end" not in codes
    assert {"pdf.no_end", "pdf.repaired"} <= codes


@pytest.mark.parametrize("kind", ["folder", "zip", "redacted"])
def test_every_export_of_every_kind_is_a_valid_bag_of_readable_pdfs(
    mixed: MixedCase, bundles: dict[str, Path], kind: str, tmp_path: Path
) -> None:
    bundle = bundles[kind]
    code, out = cli("verify", bundle)
    assert code == 0, out
    folder = _bag_folder(bundle, tmp_path / "unzipped")
    bagit.Bag(str(folder)).validate()
    case_json = json.loads((folder / "data" / "case.json").read_text(encoding="utf-8"))
    names = {number: name for name, number in mixed.ids.items()}  # a publication bundle names none
    entries = {names[e["id"]]: e for e in case_json["documents"]}
    assert len(entries) == 11
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    for name, entry in entries.items():
        assert entry["missing"] == [], (name, entry["missing"])
        assert entry["annotated"], name
        made = [entry["annotated"]]
        # an original is as received: damaged, or encrypted (pypdf's AES needs another package)
        sound = not mixed.imported[name]["warnings"] and name != "locked.pdf"
        if entry["file"].endswith(".pdf") and (entry["redacted"] or sound):
            made.append(entry["file"])
        for relative in made:
            reader = pypdf.PdfReader(folder / relative)
            assert not reader.is_encrypted, (name, relative)
            assert len(reader.pages) >= 1, (name, relative)
    assert entries["truncated.pdf"]["warnings"]
    report = (folder / "data" / "report.html").read_text(encoding="utf-8")
    assert "Damage" in report
    assert "pages 2, 3 have no content" in report
    if kind == "redacted":
        assert entries["locked.pdf"]["redacted"]
        assert entries["truncated.pdf"]["redacted"]
        assert "picture of each page" in report  # issue19800.pdf: MuPDF cannot rewrite it


def test_an_encrypted_original_gets_a_decrypted_working_copy_that_says_so(bundles: dict[str, Path]) -> None:
    folder = bundles["folder"]
    (copy,) = (folder / "data" / "annotated").glob("*locked.annotated.pdf")
    (original,) = (folder / "data" / "originals").glob("*locked.pdf")
    with pymupdf.open(original) as doc:
        assert doc.needs_pass  # the original, byte for byte
    with pymupdf.open(copy) as doc:
        assert not doc.needs_pass
        cover = " ".join(doc[0].get_text().split())
    assert "decrypted working copy" in cover


def test_the_bundle_merges_into_an_empty_case(mixed: MixedCase) -> None:
    """Every kind but the encrypted one (see the next test), exported, merged, verified."""
    ids = [str(i) for name, i in mixed.ids.items() if name != "locked.pdf"]
    bundle = mixed.work / "to-merge.zip"
    cli_json("export", mixed.root, bundle, "--zip", *[a for i in ids for a in ("--doc", i)])
    root = mixed.work / "merged"
    assert cli("init", root)[0] == 0
    merged = cli_json("import-bundle", root, bundle)
    assert len(merged["new_documents"]) == 10  # type: ignore[arg-type]
    code, out = cli("verify", root)
    assert code == 0, out
    again = mixed.work / "merged-again"
    report = cli_json("export", root, again)
    damaged = {p["name"].split("_", 1)[1] for p in report["problems"]}  # type: ignore[union-attr]
    assert damaged == {"truncated.pdf", *REPAIRED}  # named as in the bundle: "0003_truncated.pdf"
    assert cli("verify", again)[0] == 0


def test_a_bundle_holding_an_encrypted_original_merges(
    mixed: MixedCase, bundles: dict[str, Path], tmp_path: Path
) -> None:
    """The password never travels: the encrypted document arrives locked, its annotations said left out."""
    root = tmp_path / "merged"
    assert cli("init", root)[0] == 0
    merged = cli_json("import-bundle", root, bundles["zip"])
    assert len(merged["new_documents"]) == 11  # type: ignore[arg-type]
    (conflict,) = [c for c in merged["conflicts"] if "locked here" in c]  # type: ignore[union-attr]
    assert "2 annotation(s) were not merged" in conflict
    rows = {Path(r["display_name"]).name.split("_", 1)[1]: r for r in cli_json("list", root)}  # type: ignore[union-attr]
    assert rows["locked.pdf"]["locked"] is True
    assert rows["locked.pdf"]["page_count"] == 0
    assert cli("verify", root)[0] == 0


def test_a_piece_that_cannot_be_made_is_said_missing_and_the_export_goes_on(
    mixed: MixedCase, tmp_path: Path
) -> None:
    """The encrypted original's password lost (a case from before passwords were kept): the export
    carries the original and says the annotated copy is missing, in case.json, report.html and --json."""
    root = tmp_path / "case"
    shutil.copytree(mixed.root, root)
    with raw_db(root) as db:
        db.execute("UPDATE document SET password = NULL WHERE id = ?", (mixed.ids["locked.pdf"],))
    out = tmp_path / "bundle"
    report = cli_json("export", root, out)
    assert report["documents"] == 11
    problems = {p["name"]: p for p in report["problems"]}  # type: ignore[union-attr]
    (missing,) = problems["locked.pdf"]["missing"]
    assert "password is not known" in missing
    assert "its original is in the bundle" in missing
    assert problems["truncated.pdf"]["warnings"]
    assert cli("verify", out)[0] == 0
    bagit.Bag(str(out)).validate()
    case_json = json.loads((out / "data" / "case.json").read_text(encoding="utf-8"))
    (locked,) = [e for e in case_json["documents"] if e["display_name"] == "locked.pdf"]
    assert locked["annotated"] is None
    assert locked["missing"] == [missing]
    assert (out / locked["file"]).is_file()
    assert "Missing from this bundle" in (out / "data" / "report.html").read_text(encoding="utf-8")
    code, text = cli("export", root, tmp_path / "again")
    assert code == 0
    assert "locked.pdf: missing: annotated copy: it could not be made" in text
