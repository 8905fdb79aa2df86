"""reviewer check-publication BUNDLE on real exports: lines, JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from reviewer.cli import main
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case with a JPEG with GPS, a scanned PDF and a born-digital PDF with XMP."""
    root = tmp_path_factory.mktemp("publication")
    inbox = root / "in"
    inbox.mkdir()
    filemaker.make_jpeg_with_exif(inbox / "IMG_20190312_1015.jpg", gps=(53.9045, 27.5615))
    filemaker.make_scanned_pdf(inbox / "scan_ivanov.pdf")
    filemaker.make_text_pdf(
        inbox / "note.pdf", author="Ivan Petrov", xmp=filemaker.build_xmp(creator="Ivan Petrov")
    )
    case = root / "case"
    assert main(["init", str(case)]) == 0
    assert main(["import", str(case), str(inbox), "--ocr", "never", "--ocr-later"]) == 0
    return case


@pytest.mark.slow
def test_an_evidence_export_lists_gps_xmp_and_names(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["export", str(case_dir), str(out)]) == 0
    capsys.readouterr()
    code, text, err = run(capsys, "check-publication", out)
    assert code == 1, err
    lines = text.splitlines()
    assert lines[-1].endswith("fix them before publishing")
    original = "data/originals/0001_IMG_20190312_1015.jpg"
    assert f"{original}: GPS position (53.90450, 27.56150)" in lines
    assert any(
        line.startswith(f"{original}: file name looks like a received name (a date '20190312'")
        for line in lines
    )
    assert any("XMP metadata of the document (Ivan Petrov;" in line for line in lines)
    assert any("scan_ivanov.pdf: file name looks like a received name" in line for line in lines)
    assert (
        "data/case.json: this bundle was not made for publication (it was exported without --redact)" in lines
    )
    code, text, _ = run(capsys, "check-publication", out, "--json")
    assert code == 1
    findings = json.loads(text)
    assert all(set(f) == {"file", "kind", "detail"} for f in findings)
    assert {"gps", "xmp", "file-name", "author"} <= {f["kind"] for f in findings}


@pytest.mark.slow
def test_a_redacted_export_is_clean(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """export --redact gives neutral names, no originals, no metadata, nothing withheld left in case.json."""
    out = tmp_path / "published.zip"
    assert main(["export", str(case_dir), str(out), "--redact"]) == 0
    capsys.readouterr()
    code, text, _ = run(capsys, "check-publication", out)
    assert code == 0, text


def test_a_clean_bag_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bag = tmp_path / "bag"
    (bag / "data").mkdir(parents=True)
    (bag / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    filemaker.make_png(bag / "data" / "0001.png", width=200, height=200)
    code, text, err = run(capsys, "check-publication", bag)
    assert (code, err) == (0, "")
    assert text.endswith("nothing found that could identify a source\n")
    code, text, _ = run(capsys, "check-publication", bag, "--json")
    assert (code, json.loads(text)) == (0, [])


def test_usage_and_unreadable_bags_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check-publication", tmp_path / "missing")
    assert code == 2
    assert err.count("\n") == 1
    assert "does not exist" in err
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = run(capsys, "check-publication", tmp_path / "broken.zip")
    assert code == 1
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "unexpected error" not in err


def test_a_real_process_reports_a_dirty_file(tmp_path: Path) -> None:
    bag = tmp_path / "bag"
    (bag / "data").mkdir(parents=True)
    filemaker.make_dirty_tiff(bag / "data" / "0001.tif")
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "check-publication", str(bag)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "data/0001.tif: HostComputer (MINISTRY-PC-042)" in done.stdout.splitlines()
    assert done.stderr == ""
