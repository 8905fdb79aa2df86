"""check_publication: what in a bag could identify a source, measured against mat2 and exiftool."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from reviewer.core.bundles.bagit import BagError, zip_bag
from reviewer.core.bundles.publication import Finding, name_reasons
from reviewer.core.forensics.traces import METADATA_KINDS, text_traces
from reviewer.core.services.publication import check_publication
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path


def _tool(name: str) -> str:
    """The path of an independent checker; on CI its absence is a failure, elsewhere a skip."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (apt-get install mat2 libimage-exiftool-perl)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _bag(root: Path, files: dict[str, Path], *, info: str = "") -> Path:
    """A bag folder holding ``files`` under data/ (BagIt's own files as reviewer writes them)."""
    (root / "data").mkdir(parents=True)
    (root / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    (root / "bag-info.txt").write_text(f"Bagging-Date: 2026-12-01\n{info}")
    for name, source in files.items():
        target = root / "data" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return root


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("dirty")
    return {
        "0001.pdf": filemaker.make_dirty_pdf(folder / "d.pdf"),
        "0002.jpg": filemaker.make_dirty_jpeg(folder / "d.jpg"),
        "0003.png": filemaker.make_dirty_png(folder / "d.png"),
        "0004.tif": filemaker.make_dirty_tiff(folder / "d.tif"),
    }


@pytest.fixture(scope="module")
def dirty_findings(dirty: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    bag = _bag(tmp_path_factory.mktemp("bag") / "bag", dirty)
    return check_publication(bag, processes=2)


def _of(findings: list[Finding], name: str) -> list[Finding]:
    return [f for f in findings if f.file == f"data/{name}"]


def test_every_kind_of_trace_in_the_dirty_files_is_found(dirty_findings: list[Finding]) -> None:
    pdf = _of(dirty_findings, "0001.pdf")
    kinds = {f.kind for f in pdf}
    assert {
        "author",
        "xmp",
        "page-labels",
        "embedded-file",
        "annotation-author",
        "revision",
        "user-path",
    } <= kinds
    text = "\n".join(f.line() for f in pdf)
    assert "PDF Author (Ivan Petrov)" in text
    assert "page labels (prefix 'petrov-')" in text
    assert "annotation by 'ipetrov'" in text
    assert "user name 'ipetrov' in a path" in text
    assert "earlier revision 1 of 2" in text
    assert "PDF Title of revision 1 (Нота 12-05/1174)" in text  # what the update replaced is still there
    jpeg = _of(dirty_findings, "0002.jpg")
    assert {"gps", "serial-number", "thumbnail", "author", "email"} <= {f.kind for f in jpeg}
    assert any("53.90450, 27.56150" in f.detail for f in jpeg)
    assert any("BodySerialNumber" in f.detail and "083024001234" in f.detail for f in jpeg)
    png = _of(dirty_findings, "0003.png")
    assert {"author", "xmp", "user-path", "metadata"} <= {f.kind for f in png}
    tiff = _of(dirty_findings, "0004.tif")
    assert {"author", "host"} <= {f.kind for f in tiff}
    assert any("MINISTRY-PC-042" in f.detail for f in tiff)
    assert all(f.kind != "file-name" for f in dirty_findings)  # 0001.pdf … are neutral names


#: what mat2 or exiftool report that tells who, where, when or with what a file was made
IDENTIFYING = re.compile(
    r"author|creator|artist|owner|serial|host|comment|software|make|model|description|title|subject|"
    r"keywords|producer|documentid|instanceid|gps|thumbnail|date|^metadata$|copyright",
    re.IGNORECASE,
)


def _covered(key: str, value: str, group: str, findings: list[Finding]) -> bool:
    folded = key.casefold()
    details = "\n".join(f.detail for f in findings).casefold()
    kinds = {f.kind for f in findings}
    if group.startswith("XMP") or folded == "metadata":
        return "xmp" in kinds  # one line for the whole packet, with its telling values
    if "gps" in folded:
        return "gps" in kinds
    if "thumbnail" in folded:
        return "thumbnail" in kinds
    if "date" in folded:
        return "date" in details
    return value.strip().casefold()[:40] in details


def _exiftool(path: Path) -> list[tuple[str, str, str]]:
    out = subprocess.run(
        [_tool("exiftool"), "-a", "-G1", "-s", str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = []
    for line in out.splitlines():
        found = re.match(r"\[(\w[\w-]*)\]\s+(\w+)\s*: (.*)", line)
        if found and found.group(1) not in ("ExifTool", "System", "File", "Composite"):
            rows.append((found.group(1), found.group(2), found.group(3)))
    return rows


def _mat2(path: Path) -> list[tuple[str, str]]:
    out = subprocess.run(
        [_tool("mat2"), "--show", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [
        (m.group(1), m.group(2))
        for line in out.splitlines()
        if (m := re.match(r"\s+([\w-]+): (.*)", line)) is not None
    ]


@pytest.mark.parametrize("name", ["0001.pdf", "0002.jpg", "0003.png", "0004.tif"])
def test_at_least_what_exiftool_and_mat2_call_identifying(
    name: str, dirty: dict[str, Path], dirty_findings: list[Finding]
) -> None:
    ours = _of(dirty_findings, name)
    exiftool = _exiftool(dirty[name])
    missed = [
        f"exiftool [{group}] {key}: {value}"
        for group, key, value in exiftool
        if (IDENTIFYING.search(key) if group != "PDF" else key in _PDF_INFO)
        and not _covered(key, value, group, ours)
    ]
    # mat2 does not say where a value sits; exiftool does: a value of the XMP packet is covered by it
    in_xmp = {value for group, _key, value in exiftool if group.startswith("XMP")}
    missed += [
        f"mat2 {key}: {value}"
        for key, value in _mat2(dirty[name])
        if IDENTIFYING.search(key) and not _covered(key, value, "XMP" if value in in_xmp else "", ours)
    ]
    assert not missed, "\n".join(missed)


_PDF_INFO = {"Title", "Author", "Creator", "Producer", "Subject", "Keywords", "CreateDate", "ModifyDate"}


def test_files_cleaned_by_mat2_have_no_metadata_finding(dirty: dict[str, Path], tmp_path: Path) -> None:
    mat2 = _tool("mat2")
    cleaned = {}
    for name, source in dirty.items():
        copy = tmp_path / "clean" / name
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, copy)
        subprocess.run([mat2, "--inplace", str(copy)], capture_output=True, check=True)
        cleaned[name] = copy
    findings = check_publication(_bag(tmp_path / "bag", cleaned), processes=2)
    metadata = [f.line() for f in findings if f.kind in METADATA_KINDS]
    assert not metadata, "\n".join(metadata)
    # mat2 rewrites a PDF and then appends an update; that update is reported, as a revision only
    assert {f.kind for f in findings} <= {"revision"}


def test_a_zip_gives_the_same_findings_as_its_folder(tmp_path: Path, dirty: dict[str, Path]) -> None:
    import bagit

    folder = tmp_path / "bundle"
    folder.mkdir()
    shutil.copyfile(dirty["0002.jpg"], folder / "0002.jpg")
    bagit.make_bag(str(folder), {"Contact-Name": "Ivan Petrov"}, checksums=["sha256"])
    zipped = zip_bag(folder, tmp_path / "bundle.zip")
    in_folder = check_publication(folder, processes=1)
    in_zip = check_publication(zipped, processes=1)
    assert in_zip == in_folder
    assert Finding("bag-info.txt", "author", "Contact-Name (Ivan Petrov)") in in_zip
    assert any(f.kind == "gps" for f in in_zip)


def test_a_file_that_cannot_be_inspected_is_a_finding_and_the_rest_goes_on(
    tmp_path: Path, dirty: dict[str, Path]
) -> None:
    bomb = filemaker.make_png_pixel_bomb(tmp_path / "bomb.png")
    garbage = filemaker.make_garbage(tmp_path / "garbage.pdf")
    garbage.write_bytes(b"%PDF-1.7\n" + garbage.read_bytes())  # says PDF, is not one
    bag = _bag(tmp_path / "bag", {"0001.png": bomb, "0002.pdf": garbage, "0003.jpg": dirty["0002.jpg"]})
    findings = check_publication(bag, processes=1)
    failed = {f.file: f.detail for f in findings if f.kind == "uninspectable"}
    assert set(failed) == {"data/0001.png", "data/0002.pdf"}
    assert all(d.startswith("cannot be inspected: ") for d in failed.values())
    assert any(f.file == "data/0003.jpg" and f.kind == "gps" for f in findings)


def test_originals_in_a_bag_that_calls_itself_redacted(tmp_path: Path, dirty: dict[str, Path]) -> None:
    bag = _bag(
        tmp_path / "bag",
        {"originals/0001.tif": dirty["0004.tif"], "0002.tif": dirty["0004.tif"]},
        info="External-Description: Evidence bundle: 2 document(s), redacted for publication\n",
    )
    findings = check_publication(bag, processes=1)
    originals = [f for f in findings if f.kind == "original"]
    assert [f.file for f in originals] == ["data/originals/0001.tif"]
    assert (
        "bag-info.txt says 'Evidence bundle: 2 document(s), redacted for publication'" in originals[0].detail
    )


def test_a_copy_sharing_its_original_pdf_id_is_named(tmp_path: Path) -> None:
    original = filemaker.make_text_pdf(tmp_path / "a.pdf", author="", title="")
    bag = _bag(tmp_path / "bag", {"originals/0001.pdf": original, "0001.pdf": original})
    findings = check_publication(bag, processes=1)
    ids = [f for f in findings if f.kind == "document-id"]
    assert [f.file for f in ids] == ["data/0001.pdf"]
    assert "data/originals/0001.pdf" in ids[0].detail


def test_a_bag_that_cannot_be_opened_is_a_bag_error(tmp_path: Path) -> None:
    with pytest.raises(BagError):
        check_publication(tmp_path / "missing.zip")
    (tmp_path / "not.zip").write_bytes(b"PK\x03\x04 this is no zip")
    with pytest.raises(BagError):
        check_publication(tmp_path / "not.zip")


def test_file_names_neutral_and_not() -> None:
    assert name_reasons("data/0001.redacted.pdf", []) == []
    assert name_reasons("data/annotated/0002.annotated.pdf", []) == []
    reasons = name_reasons("data/originals/0001_IMG_20190312_photo.jpg", [])
    assert reasons[0] == "a date '20190312'"
    assert "a camera's, scanner's or app's naming 'IMG'" in reasons
    reasons = name_reasons("data/scan_ivanov.pdf", ["Ivan Ivanov"])
    assert reasons == [
        "a camera's, scanner's or app's naming 'scan'",
        "'ivanov', a name found elsewhere in the bag",
    ]
    assert name_reasons("data/note.pdf", []) == ["the word 'note', which may come from the received name"]
    assert name_reasons("data/0001 12.03.2019.pdf", []) == ["a date '12.03.2019'"]


def test_paths_hosts_and_addresses_in_text() -> None:
    text = (
        r"saved C:\Users\o.petrova\Desktop\a.docx then /home/ivan/x and /Users/anna/y, "
        r"copied to \\FILESRV01\share\leaks, mail a.b@mfa.example.org; C:\Users\Public\z"
    )
    found = text_traces(text, "the text")
    assert [t.kind for t in found] == ["user-path", "user-path", "user-path", "host", "email"]
    assert "user name 'o.petrova' in a path" in found[0].detail
    assert "host 'FILESRV01'" in found[3].detail


def test_neutral_labels_and_document_hashes_name_nobody() -> None:
    from reviewer.core.forensics.traces_file import json_traces

    clean = {
        "custody": [{"actor": "reviewer 2", "summary": "status changed"}],
        "target": {"source": "urn:sha256:" + "ab" * 32},
        "links": [{"source": "cd" * 32, "target": "ef" * 32, "relation": "replies_to"}],
        "exported_by": "[withheld for publication: reviewer 1]",
    }
    assert json_traces(clean) == ([], [])
    dirty = {"custody": [{"actor": "ivanova"}], "target": {"source": "Anna from the ministry"}}
    found, names = json_traces(dirty)
    assert {t.kind for t in found} == {"author", "metadata"}
    assert "ivanova" in names
