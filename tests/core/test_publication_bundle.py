"""A publication bundle is clean (issue 11, point 4).

A realistic mixed case, imported from a folder whose path names a person, from a named source, by
two users, with an earlier export on its log, is exported with ``--redact`` as a folder and a zip.
Every document must be carried as a cleaned copy under a neutral name, and nothing in the bag may
name a path, source, host, user or earlier bundle the case records; independent tools (mat2,
exiftool, pypdf, the bagit library) and ``reviewer check-publication`` look at it too.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import bagit
import pymupdf
import pypdf
import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat, PngImagePlugin

from reviewer.cli import main
from reviewer.core.domain.file_facts import file_facts
from tests import filemaker

pytestmark = pytest.mark.slow

SOURCE = "Anna from the ministry"
FIRST_USER, SECOND_USER = "ivanova", "k.petrova"
GPS_HIDDEN = (55.7558, 37.6173)  # the photo nobody wrote about
GPS_QUOTED = (53.9023, 27.5619)  # the photo whose rationale quotes its position
SERIAL = "SN-0451-7781-EOS"
MAT2_ALWAYS = ("creation-date: -1", "mod-date: -1")
NEUTRAL = re.compile(r"^(documents/document-\d{4}\.pdf|annotated/document-\d{4}\.annotated\.pdf)$")


@dataclass(frozen=True)
class Published:
    root: Path
    work: Path
    ids: dict[str, int]
    folder: Path  # the --redact bundle as a folder
    zipped: Path  # the --redact bundle as a zip
    unzipped: Path  # the zip's bag, extracted
    report: dict[str, object]  # export --json of the folder


def cli(*args: str | Path, user: str = FIRST_USER) -> tuple[int, str]:
    """The command line in this process, as ``user``; its exit code and output."""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.dict(os.environ, {"LOGNAME": user, "USER": user}),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main([str(a) for a in args])
    assert "unexpected error" not in err.getvalue()
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue() + err.getvalue()


def cli_json(*args: str | Path, user: str = FIRST_USER) -> dict[str, object]:
    code, out = cli(*args, "--json", user=user)
    assert code == 0, out
    result: dict[str, object] = json.loads(out)
    return result


def _photo(path: Path, gps: tuple[float, float], *, orientation: int) -> Path:
    """A phone photo with GPS, a camera serial number and an EXIF orientation."""
    plain = filemaker.make_jpeg_with_exif(path.with_suffix(".tmp.jpg"), gps=gps, width=600, height=800)
    with Image.open(plain) as image:
        exif = image.getexif()
        exif[0x0112] = orientation
        exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber
        image.save(path, "JPEG", quality=90, exif=exif.tobytes())
    plain.unlink()
    return path


def _labelled_pdf(path: Path) -> Path:
    """A born-digital PDF with Author, XMP and page labels "Ivanov-1", "Ivanov-2"…"""
    draft = filemaker.make_text_pdf(
        path.with_suffix(".draft.pdf"),
        pages=3,
        author="Ivan Ivanov",
        xmp=filemaker.build_xmp(creator="Ivan Ivanov", document_id="uuid:1174-ivanov"),
    )
    with pymupdf.open(draft) as doc:
        doc.set_page_labels([{"startpage": 0, "prefix": "Ivanov-", "style": "D", "firstpagenum": 1}])
        doc.save(path)
    draft.unlink()
    return path


def _png_with_text(path: Path) -> Path:
    draft = filemaker.make_png(path.with_suffix(".draft.png"), width=400, height=500)
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ivan Ivanov")
    info.add_text("Comment", "saved on DESKTOP-IVANOVA")
    with Image.open(draft) as image:
        image.save(path, "PNG", pnginfo=info)
    draft.unlink()
    return path


def _rect(root: Path, doc: int, box: tuple[float, float, float, float]) -> str:
    page = cli_json("show", root, str(doc))["pages"][0]  # type: ignore[index]
    width, height = float(page["width"]), float(page["height"])
    x0, y0, x1, y1 = box
    return f"{width * x0:.1f},{height * y0:.1f},{width * x1:.1f},{height * y1:.1f}"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    work = tmp_path_factory.mktemp("publication")
    inbox = work / "home" / FIRST_USER / "from-partner-newsroom" / "2019-03 leak"
    inbox.mkdir(parents=True)
    _labelled_pdf(inbox / "Ivanov note.pdf")
    filemaker.make_incremental_pdf(inbox / "addendum.pdf")
    filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=1)
    _photo(inbox / "IMG_2041.jpg", GPS_HIDDEN, orientation=6)
    _photo(inbox / "IMG_2042.jpg", GPS_QUOTED, orientation=1)
    _png_with_text(inbox / "screenshot.png")
    filemaker.make_tiff(inbox / "fax.tiff", pages=2)
    again = work / "home" / FIRST_USER / "Desktop" / "copy-from-usb"
    again.mkdir(parents=True)
    shutil.copyfile(inbox / "scan.pdf", again / "scan (copy).pdf")

    root = work / "home" / FIRST_USER / "cases" / "ivanova-leak"
    assert cli("init", root)[0] == 0
    report = cli_json("import", root, inbox, "--source", SOURCE, "--ocr", "never")
    assert report["failed"] == []
    ids = {Path(str(item["path"])).name: int(item["id"]) for item in report["imported"]}  # type: ignore[attr-defined]
    assert len(ids) == 7
    cli_json("import", root, again, "--ocr", "never")  # the scan found again elsewhere
    # Redactions on some documents, notes by a second user on others.
    redactions = {"Ivanov note.pdf": (0.1, 0.05, 0.6, 0.12), "IMG_2041.jpg": (0.2, 0.2, 0.5, 0.4)}
    for name, box in redactions.items():
        code, out = cli("annotate", root, ids[name], "--page", "1", "--rect", _rect(root, ids[name], box),
                        "--kind", "redaction", "--note", "Anna's name")  # fmt: skip
        assert code == 0, out
    for name in ("scan.pdf", "fax.tiff", "addendum.pdf"):
        code, out = cli("annotate", root, ids[name], "--page", "1", "--rect",
                        _rect(root, ids[name], (0.1, 0.5, 0.5, 0.6)), "--note", "stamp matches",
                        user=SECOND_USER)  # fmt: skip
        assert code == 0, out
    rationale = f"verified: the photo was taken at {_gps_fact(root, ids['IMG_2042.jpg'])}, the ministry yard"
    assert cli("status", root, ids["IMG_2042.jpg"], "verified", "--note", rationale, user=SECOND_USER)[0] == 0
    assert cli("status", root, ids["scan.pdf"], "in_review", "--note", "checking the stamp")[0] == 0
    earlier = work / "home" / FIRST_USER / "exports" / "earlier-bundle"
    assert cli("export", root, earlier)[0] == 0  # an earlier export, on the custody log

    folder = work / "public" / "for-print"
    zipped = work / "public" / "for-web.zip"
    report = cli_json("export", root, folder, "--redact")
    cli_json("export", root, zipped, "--redact")
    unzipped = work / "unzipped"
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(unzipped)
    (bag,) = unzipped.iterdir()
    return Published(root, work, ids, folder, zipped, bag, report)


def _gps_fact(root: Path, doc: int) -> str:
    metadata = cli_json("show", root, str(doc))["file_metadata"]
    return dict(file_facts(metadata))["GPS position"]  # type: ignore[arg-type]


def _private_strings(root: Path) -> set[str]:
    """Every path, name, source, host and user the case records, read from its database directly."""
    found: set[str] = {str(root), root.name}
    with contextlib.closing(sqlite3.connect(root / "reviewer.sqlite")) as db:
        for path, name, source, host, who in db.execute(
            "SELECT original_path, original_name, source, host, imported_by FROM sighting"
        ):
            found |= {path, name, host, who, *([source] if source else [])}
            found |= {p.name for p in Path(path).parents if p.name not in ("", "home", "tmp")}
        for actor, after in db.execute("SELECT actor, after_json FROM custody_event"):
            found.add(actor)
            bundle = (json.loads(after) or {}).get("bundle") if after else None
            if isinstance(bundle, str):
                found |= {bundle, Path(bundle).name}
    found.discard("")
    pytest_folders = {p for p in found if p.startswith(("pytest-", "publication"))}
    return found - pytest_folders | {FIRST_USER, SECOND_USER, SOURCE}


def _bag_files(published: Published) -> dict[str, bytes]:
    """Every file of both bags (the zip's members and the zip itself too), by a name for messages."""
    files = {
        f"folder:{p.relative_to(published.folder)}": p.read_bytes()
        for p in published.folder.rglob("*")
        if p.is_file()
    }
    files["zip"] = published.zipped.read_bytes()
    with zipfile.ZipFile(published.zipped) as archive:
        files |= {
            f"zip:{info.filename}": archive.read(info) for info in archive.infolist() if not info.is_dir()
        }
        files["zip:names"] = "\n".join(archive.namelist()).encode()
        files["zip:comment"] = archive.comment
    return files


def _texts(data: bytes) -> str:
    """A PDF's text as a reader sees it (covers, pages) and its annotations' contents and authors."""
    with pymupdf.open("pdf", data) as doc:
        parts = [page.get_text() for page in doc]
        for page in doc:
            parts += [f"{a.info.get('title')} {a.info.get('content')}" for a in page.annots()]
    return "\n".join(parts)


def test_every_document_is_a_cleaned_copy_under_a_neutral_name(published: Published) -> None:
    for bag in (published.folder, published.unzipped):
        bagit.Bag(str(bag)).validate()
        payload = sorted(str(p.relative_to(bag / "data")) for p in (bag / "data").rglob("*") if p.is_file())
        carried = [p for p in payload if p not in ("case.json", "report.html", "annotations.jsonld")]
        assert all(NEUTRAL.match(p) for p in carried), carried
        assert sum(p.startswith("documents/") for p in carried) == 7
        case_json = json.loads((bag / "data" / "case.json").read_text(encoding="utf-8"))
        entries = {e["id"]: e for e in case_json["documents"]}
        assert all(e["cleaned"] and e["file"].startswith("data/documents/") for e in entries.values())
        redacted = {published.ids["Ivanov note.pdf"], published.ids["IMG_2041.jpg"]}
        assert all(e["redacted"] for e in entries.values()), "no document is carried as its original"
        assert {i for i, e in entries.items() if e["redaction"]} == redacted
    assert sorted(published.report["redacted"]) == sorted(redacted)  # type: ignore[arg-type]


def test_mat2_and_exiftool_find_no_metadata(published: Published) -> None:
    for path in sorted((published.folder / "data").rglob("*.pdf")):
        shown = subprocess.run(["mat2", "--show", str(path)], capture_output=True, text=True, check=False)
        # poppler reports a PDF's version, and a date the file does not have as -1: not metadata
        lines = [
            line.strip() for line in shown.stdout.splitlines() if line.strip() and not line.startswith("[+]")
        ]
        found = [line for line in lines if line not in MAT2_ALWAYS and not line.startswith("format: PDF-")]
        assert shown.returncode == 0, (path.name, shown.stderr)
        assert found == [], (path.name, shown.stdout)
        tags = subprocess.run(
            ["exiftool", "-a", "-G1", str(path)], capture_output=True, text=True, check=True
        )
        for word in ("GPS", "Serial", "Author", "Creator", "Ivanov", "Canon", "XMP", "Page Label"):
            assert word not in tags.stdout, (path.name, word, tags.stdout)


def test_no_path_source_host_or_user_name_anywhere(published: Published) -> None:
    private = _private_strings(published.root)
    assert {SOURCE, FIRST_USER, SECOND_USER, "from-partner-newsroom", "copy-from-usb"} <= private
    # A name of 3 letters or fewer (a machine called "vm") turns up by chance in any binary or base64
    # data: it is looked for as a whole word in what people read, pictures left aside.
    short = {secret for secret in private if len(secret) < 4}
    for name, data in _bag_files(published).items():
        seen = data.lower()
        for secret in private - short:
            assert secret.lower().encode() not in seen, (name, secret)
        text = _texts(data) if name.endswith(".pdf") else ""
        if name.endswith((".json", ".jsonld", ".html", ".txt")):
            text = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", data.decode("utf-8"))
        for secret in private:
            if secret in short:
                assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", text, re.IGNORECASE), (
                    name,
                    secret,
                )
            else:
                assert secret.lower() not in text.lower(), (name, secret)
    report = (published.folder / "data" / "report.html").read_text(encoding="utf-8")
    assert "reviewer 1" in report, "people have neutral labels"
    assert "reviewer 2" in report


def test_every_pdf_is_one_clean_revision(published: Published, tmp_path: Path) -> None:
    originals = {}
    for sha_file in (published.root / "originals").rglob("*"):
        if sha_file.is_file() and sha_file.read_bytes().startswith(b"%PDF"):
            with contextlib.suppress(Exception):
                originals[sha_file.name] = pypdf.PdfReader(sha_file).trailer.get("/ID")
    for path in sorted((published.folder / "data").rglob("*.pdf")):
        data = path.read_bytes()
        assert data.count(b"%%EOF") == 1, path.name
        assert data.count(b"startxref") == 1, path.name
        reader = pypdf.PdfReader(path)
        assert not reader.metadata, (path.name, reader.metadata)  # not even Producer
        root = reader.trailer["/Root"]
        for key in ("/PageLabels", "/Metadata", "/Names", "/OpenAction", "/AcroForm"):
            assert key not in root, (path.name, key)
        assert reader.trailer["/ID"] not in originals.values(), path.name
        for page in reader.pages:
            assert "/Thumb" not in page, path.name
            for annot in page.get("/Annots") or []:
                author = annot.get_object().get("/T")
                assert author is None or re.fullmatch(r"reviewer \d+", str(author)), (path.name, author)


def test_report_withholds_forensic_values_but_keeps_a_rationale(published: Published) -> None:
    report = (published.folder / "data" / "report.html").read_text(encoding="utf-8")
    case_json = (published.folder / "data" / "case.json").read_text(encoding="utf-8")
    hidden = _gps_fact(published.root, published.ids["IMG_2041.jpg"])
    quoted = _gps_fact(published.root, published.ids["IMG_2042.jpg"])
    for text in (report, case_json):
        assert hidden not in text
        for value in (SERIAL, "EOS 80D", "Ivan Ivanov", "Ivanov-1", "uuid:1174-ivanov"):
            assert value not in text, value
    assert f"taken at {quoted}, the ministry yard" in report, "the person's own rationale is published"
    assert "GPS position" in report  # named, not shown
    assert "[withheld for publication]" in report


def test_an_image_is_turned_as_its_exif_said_before_the_exif_goes(published: Published) -> None:
    doc = published.ids["IMG_2041.jpg"]
    cleaned = published.folder / "data" / "documents" / f"document-{doc:04d}.pdf"
    original = next(
        p for p in (published.root / "originals").rglob("*") if p.is_file() and p.name == _sha(published, doc)
    )
    with Image.open(original) as image:
        upright = ImageOps.exif_transpose(image).convert("L")
    with pymupdf.open(cleaned) as pdf:
        pix = pdf[0].get_pixmap(dpi=72, colorspace=pymupdf.csGRAY)
        shown = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    assert (shown.width > shown.height) == (upright.width > upright.height)
    upright = upright.resize(shown.size)
    sideways = upright.transpose(Image.Transpose.ROTATE_180)
    # the unredacted part of the page matches the upright picture far better than a turned one
    box = (0, int(shown.height * 0.6), shown.width, shown.height)
    same = ImageStat.Stat(ImageChops.difference(shown.crop(box), upright.crop(box))).mean[0]
    turned = ImageStat.Stat(ImageChops.difference(shown.crop(box), sideways.crop(box))).mean[0]
    assert same * 3 < turned


def _sha(published: Published, doc: int) -> str:
    return str(cli_json("show", published.root, str(doc))["summary"]["sha256"])  # type: ignore[index]


def test_check_publication_finds_the_bag_clean(published: Published) -> None:
    for bundle in (published.folder, published.zipped):
        _code, out = cli("check-publication", bundle, "--json")
        assert json.loads(out) == []
        assert _code == 0


def test_the_publication_bundle_merges_into_an_empty_case(published: Published) -> None:
    other = published.work / "other-case"
    assert cli("init", other)[0] == 0
    report = cli_json("import-bundle", other, published.zipped, user="partner")
    assert len(report["new_documents"]) == 7  # type: ignore[arg-type]
    code, out = cli("verify", other, user="partner")
    assert code == 0, out
