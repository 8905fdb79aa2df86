"""Printer tracking dots and the publication bundle (issue 11, point 5).

A colour laser print's scan (PNG and JPEG) carries a Machine Identification Code. Exported with
``--redact`` alone the dots stay (a JPEG byte for byte) and the export's own check reports them;
with ``--remove-tracking-dots`` they are painted out of the cleaned copies, the check finds none,
every pixel away from the dots is as it was, and the cover and report name the page.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pymupdf
import pytest
from PIL import Image

from reviewer.cli import main
from reviewer.core.bundles.redact import strip_jpeg_metadata
from reviewer.core.forensics.tracking_dots import dot_centres
from reviewer.core.services.publication import check_publication
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow  # 600-dpi colour scans, searched for dots several times

SIZE = (2.5, 3.0)  # inches: enough of the 16 x 9 mm code blocks, a quicker search than a page
REMOVED = "printer tracking dots removed from page 1"


@dataclass(frozen=True)
class Exported:
    png: Path
    jpeg: Path
    clean_jpeg: Path
    ids: dict[str, int]
    plain: Path  # --redact
    plain_output: str
    removed: Path  # --redact --remove-tracking-dots
    removed_output: str


def cli(*args: str | Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    assert "Traceback" not in err.getvalue()
    assert "unexpected error" not in err.getvalue()
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    work = tmp_path_factory.mktemp("dots")
    scans = work / "scans"
    scans.mkdir()
    png = filemaker.make_colour_scan(scans / "1.png", size_inches=SIZE, tracking_dots=True, seed=3)
    jpeg = filemaker.make_colour_scan(scans / "2.jpg", size_inches=SIZE, tracking_dots=True, seed=4)
    clean_jpeg = filemaker.make_colour_scan(scans / "3.jpg", size_inches=SIZE, tracking_dots=False, seed=5)
    root = work / "case"
    assert cli("init", root)[0] == 0
    code, out = cli("import", root, png, jpeg, clean_jpeg, "--ocr", "never", "--json")
    assert code == 0, out
    ids = {item["path"].rsplit("/", 1)[-1]: item["id"] for item in json.loads(out)["imported"]}
    plain, removed = work / "plain", work / "removed"
    code, plain_output = cli("export", root, plain, "--redact")
    assert code == 0, plain_output
    code, removed_output = cli("export", root, removed, "--redact", "--remove-tracking-dots")
    assert code == 0, removed_output
    return Exported(png, jpeg, clean_jpeg, ids, plain, plain_output, removed, removed_output)


def _cleaned(bundle: Path, doc_id: int) -> Path:
    return bundle / "data" / "documents" / f"document-{doc_id:04d}.pdf"


def _image(pdf: Path) -> tuple[bytes, str, Image.Image]:
    """The page image of a one-page PDF: its stream as stored, its format, its pixels."""
    with pymupdf.open(str(pdf)) as doc:
        [info] = doc[0].get_images(full=True)
        extracted = doc.extract_image(info[0])
        raw = doc.xref_stream_raw(info[0])
    with Image.open(io.BytesIO(extracted["image"])) as image:
        return raw, extracted["ext"], image.convert("RGB")


def test_without_the_flag_the_dots_stay_and_the_export_says_so(exported: Exported) -> None:
    findings = check_publication(exported.plain)
    dotted = {f.file for f in findings if f.kind == "tracking-dots"}
    for name in ("1.png", "2.jpg"):
        assert f"data/documents/document-{exported.ids[name]:04d}.pdf" in dotted
    assert f"data/documents/document-{exported.ids['3.jpg']:04d}.pdf" not in dotted
    # the export ran the same check and said so, one warning a finding, exit status 0
    warnings = [line for line in exported.plain_output.splitlines() if line.startswith("warning ")]
    assert len(warnings) == len(findings)
    assert sum("tracking dots" in line for line in warnings) == len(
        [f for f in findings if f.kind == "tracking-dots"]
    )
    assert f"reviewer check-publication {exported.plain} for details" in exported.plain_output
    # the JPEG's compressed data is carried as it is (only its metadata segments dropped)
    raw, ext, _ = _image(_cleaned(exported.plain, exported.ids["2.jpg"]))
    assert ext == "jpeg"
    assert raw == strip_jpeg_metadata(exported.jpeg.read_bytes())
    assert REMOVED not in (exported.plain / "data" / "report.html").read_text(encoding="utf-8")


def test_with_the_flag_the_check_finds_no_dots(exported: Exported) -> None:
    findings = check_publication(exported.removed)
    assert [f.line() for f in findings if f.kind == "tracking-dots"] == []
    # every warning the export printed is the check's, and none is about dots
    assert "tracking dots (a pattern" not in exported.removed_output
    report = (exported.removed / "data" / "report.html").read_text(encoding="utf-8")
    assert report.count(REMOVED) == 2  # the PNG and the dotted JPEG; not the clean scan
    annotated = (
        exported.removed / "data" / "annotated" / f"document-{exported.ids['1.png']:04d}.annotated.pdf"
    )
    with pymupdf.open(str(annotated)) as doc:
        assert REMOVED in doc[0].get_text()  # the cover


def test_a_scan_without_dots_is_left_byte_for_byte(exported: Exported) -> None:
    raw, ext, _ = _image(_cleaned(exported.removed, exported.ids["3.jpg"]))
    assert ext == "jpeg"
    assert raw == strip_jpeg_metadata(exported.clean_jpeg.read_bytes())


def _near_dots(original: Image.Image, reach: int = 5) -> np.ndarray:
    """Where the dots of ``original`` are, each grown by ``reach`` pixels."""
    mask = np.zeros((original.height, original.width), dtype=bool)
    for x, y in dot_centres(original).round().astype(int):
        mask[max(0, y - reach) : y + reach + 1, max(0, x - reach) : x + reach + 1] = True
    return mask


def test_a_png_keeps_every_pixel_away_from_the_dots(exported: Exported) -> None:
    with Image.open(exported.png) as image:
        original = image.convert("RGB")
    _raw, ext, cleaned = _image(_cleaned(exported.removed, exported.ids["1.png"]))
    assert ext == "png"  # losslessly
    assert cleaned.size == original.size
    before, after = np.asarray(original), np.asarray(cleaned)
    changed = (before != after).any(axis=2)
    near = _near_dots(original)
    assert changed.any()
    assert not (changed & ~near).any()  # the text, stamp, rule and highlighter are untouched
    # the text itself, even where a dot touches it (a dot over a glyph's grey edge is yellow, and goes)
    ink = before.max(axis=2) < 100
    assert (before[ink] == after[ink]).all()


def test_a_jpeg_is_re_encoded_at_a_high_quality(exported: Exported) -> None:
    with Image.open(exported.jpeg) as image:
        original = image.convert("RGB")
    raw, ext, cleaned = _image(_cleaned(exported.removed, exported.ids["2.jpg"]))
    assert ext == "jpeg"
    assert raw != strip_jpeg_metadata(exported.jpeg.read_bytes())
    assert raw[:2] == b"\xff\xd8"
    assert b"Exif" not in raw[:64]
    assert b"JFIF" not in raw[:64]
    before, after = np.asarray(original).astype(int), np.asarray(cleaned).astype(int)
    away = ~_near_dots(original, reach=8)
    difference = np.abs(before - after)[away]
    assert difference.mean() < 1.0  # a second generation at quality 95: within noise
    assert np.percentile(difference, 99.9) <= 8


def test_the_flag_needs_redact(exported: Exported, tmp_path: Path) -> None:
    code, out = cli("export", exported.plain.parent / "case", tmp_path / "b", "--remove-tracking-dots")
    assert code == 2
    assert out.count("\n") == 1
    assert "--redact" in out
    assert not (tmp_path / "b").exists()
