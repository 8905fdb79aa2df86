"""Printer tracking dots: found on a colour laser print's scan, never on clean scans and photos."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import pymupdf
import pytest
from PIL import Image

from reviewer.core.forensics.tracking_dots import dot_centres, find_tracking_dots, remove_tracking_dots
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

MM_AT_600_DPI = 600 / 25.4


@pytest.fixture(scope="module")
def dotted() -> Image.Image:
    return filemaker.colour_scan_image(tracking_dots=True)


@pytest.fixture(scope="module")
def clean() -> Image.Image:
    return filemaker.colour_scan_image(tracking_dots=False)


@pytest.mark.slow  # a 600-dpi colour page is drawn first
def test_a_printed_code_is_found_with_its_spacing(dotted: Image.Image) -> None:
    pattern = find_tracking_dots(dotted)
    assert pattern is not None
    assert pattern.dots > 1000
    assert abs(pattern.spacing_px - MM_AT_600_DPI) < 2.5  # the 1 mm grid at 600 dpi
    assert pattern.describe().startswith("yellow printer tracking dots (a pattern of ")


@pytest.mark.slow  # a 600-dpi colour page is drawn first
def test_the_code_survives_a_best_quality_jpeg(tmp_path: Path) -> None:
    path = filemaker.make_colour_scan(tmp_path / "dotted.jpg", tracking_dots=True, seed=2)
    assert find_tracking_dots(_frames(path)[0]) is not None


@pytest.mark.slow  # a 600-dpi colour page is drawn first
def test_a_clean_colour_scan_has_none(clean: Image.Image) -> None:
    # yellow highlighter, a yellow logo, a red rule, a blue stamp and sensor noise are not a code
    assert find_tracking_dots(clean) is None


def _frames(source: Path | bytes) -> list[Image.Image]:
    """Every frame of an image file, loaded (the file closed again)."""
    frames = []
    with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as image:
        for frame in range(getattr(image, "n_frames", 1)):
            image.seek(frame)
            image.load()
            frames.append(image.copy())
    return frames


def _pdf_images(path: Path) -> list[Image.Image]:
    images = []
    with pymupdf.open(str(path)) as doc:
        if doc.needs_pass:
            return images  # the demo's locked document: its pictures cannot be read without the password
        for page in doc:
            for info in page.get_images(full=True):
                images += _frames(doc.extract_image(info[0])["image"])
    return images


@pytest.mark.slow
def test_no_false_alarm_on_the_test_file_generators_or_the_demo_case(tmp_path: Path) -> None:
    from reviewer.resources.demo import generate

    images: list[Image.Image] = []
    images += _pdf_images(filemaker.make_scanned_pdf(tmp_path / "scan.pdf", pages=2, stamp=True, noise=0.3))
    images += _frames(filemaker.make_jpeg_with_exif(tmp_path / "photo.jpg", gps=(53.9, 27.5)))
    images += _frames(filemaker.make_png(tmp_path / "shot.png"))
    images += _frames(filemaker.make_tiff(tmp_path / "scan.tif", pages=2, bilevel=False))
    generate(tmp_path / "demo")
    for path in sorted((tmp_path / "demo").rglob("*")):
        if path.suffix.lower() == ".pdf":
            images += _pdf_images(path)
        elif path.suffix.lower() in (".jpg", ".jpeg", ".png", ".tif", ".tiff"):
            images += _frames(path)
    colour = [im for im in images if im.mode not in ("1", "L")]
    assert len(colour) >= 4  # the check really looked at colour pictures
    for image in images:
        assert find_tracking_dots(image) is None, image


@pytest.mark.slow  # a 600-dpi colour page is drawn first
def test_removing_the_dots_leaves_the_page_otherwise_alone(dotted: Image.Image) -> None:
    cleaned = remove_tracking_dots(dotted)
    assert cleaned.size == dotted.size
    assert cleaned.mode == "RGB"
    assert find_tracking_dots(cleaned) is None
    assert len(dot_centres(cleaned)) < len(dot_centres(dotted)) / 20
    before = np.asarray(dotted, dtype=np.int16)
    after = np.asarray(cleaned, dtype=np.int16)
    ink = before.max(axis=2) < 120  # text, the stamp and the red rule
    assert ink.sum() > 10_000
    assert np.array_equal(before[ink], after[ink])
    logo = before[..., 2] < 100  # the yellow logo and the highlighter are printed, not dots
    kept = (after[logo] == before[logo]).all(axis=1).mean()
    assert kept > 0.99
    changed = (before != after).any(axis=2).mean()
    assert changed < 0.02  # only the dots and their faint rims


def test_grey_images_are_returned_unchanged() -> None:
    grey = Image.new("L", (64, 64), 200)
    assert find_tracking_dots(grey) is None
    assert remove_tracking_dots(grey).tobytes() == grey.tobytes()
