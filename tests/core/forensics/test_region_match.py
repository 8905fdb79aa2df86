"""Region search with OpenCV: the same stamp on a scan and on photos of other pages, and nowhere else.

The template is the stamp cut from a 200-dpi scan; the pages searched are photos of other letters
holding it (scaled 0.4× and 2.5× against the scan's pixels, turned 12°, the page tilted 25° away from
the camera, JPEG quality 60), the stamp printed over typed lines, a look-alike stamp with other words,
plain pages, and pages of the pdf.js corpus.
"""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import numpy as np
import pytest

from reviewer.core.forensics import region_match as rm
from tests import forensics_files as ff
from tests import region_files as rf

CORPUS = Path("/work/shared/corpus/pdfjs")


@pytest.fixture(scope="module")
def template() -> rm.Template:
    return rm.region_template(rf.crop(rf.stamped_scan(1), rf.stamp_box()))


def centre(match: rm.Match) -> tuple[float, float]:
    x0, y0, x1, y1 = match.box
    return (x0 + x1) / 2, (y0 + y1) / 2


@pytest.mark.slow
@pytest.mark.parametrize(
    "photo",
    [
        rf.Photo(scale=0.4, angle=12, tilt=25, quality=60, dpi=72),
        rf.Photo(scale=2.5, angle=12, tilt=25, quality=60, dpi=300),
        rf.Photo(scale=0.4, angle=-12, tilt=0, quality=60, dpi=96),
        rf.Photo(scale=2.5, angle=-12, tilt=25, quality=60, dpi=72),
    ],
    ids=["0.4x-12deg-tilted", "2.5x-12deg-tilted", "0.4x-turned-back", "2.5x-turned-back-tilted"],
)
def test_the_stamp_is_found_on_a_photo_of_another_page(template: rm.Template, photo: rf.Photo) -> None:
    pixels, truth = rf.photo_of_stamp(11, photo)
    [match] = rm.find_region(template, pixels)
    # the box's centre is off the stamp's by what the tilt does to its sides: a few percent of its size
    assert math.dist(centre(match), truth.centre) < 0.08 * rf.STAMP_PX * truth.scale
    assert match.scale == pytest.approx(truth.scale, rel=0.05)
    assert match.angle == pytest.approx(photo.angle, abs=1.5)
    assert match.slant > 1.05 if photo.tilt else match.slant < 1.03
    assert match.correlation >= 0.8
    assert match.inliers >= rm.MIN_INLIERS


def test_a_stamp_over_typed_text_is_found(template: rm.Template) -> None:
    page = rf.recompressed(rf.scan(21, [ff.Placement(rf.stamp(), rf.TEXT_AT, 0.8, 7.0)]), 60)
    [match] = rm.find_region(template, page)
    expected = (rf.TEXT_AT[0] * rf.SCAN_DPI / 72, rf.TEXT_AT[1] * rf.SCAN_DPI / 72)
    assert math.dist(centre(match), expected) < 6
    assert match.scale == pytest.approx(0.8, abs=0.03)
    assert match.angle == pytest.approx(7.0, abs=1.0)
    assert match.correlation >= rm.MIN_CORRELATION


def test_the_template_over_text_finds_the_stamp_on_a_clean_page() -> None:
    """Ink under the stamp on the template's own page: the stamp alone elsewhere is still found."""
    over_text = rf.scan(22, [ff.Placement(rf.stamp(), rf.TEXT_AT)])
    template = rm.region_template(rf.crop(over_text, rf.stamp_box(rf.TEXT_AT)))
    page = rf.scan(23, [ff.Placement(rf.stamp(), (360, 700), 1.3, -9.0)])
    [match] = rm.find_region(template, page)
    assert match.scale == pytest.approx(1.3, abs=0.04)
    assert match.angle == pytest.approx(-9.0, abs=1.0)


def test_a_page_holding_the_stamp_twice_gives_both(template: rm.Template) -> None:
    page = rf.scan(24, [ff.Placement(rf.stamp(), (160, 620)), ff.Placement(rf.stamp(), (430, 300), 0.7, 10)])
    matches = rm.find_region(template, page)
    assert sorted(round(m.scale, 1) for m in matches) == [0.7, 1.0]


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(lambda: rf.stamped_scan(5, other=True), id="a look-alike stamp with other words"),
        pytest.param(lambda: rf.scan(6), id="typed text"),
        pytest.param(lambda: rf.photograph(rf.scan(7), rf.Photo(0.5, 10, 20))[0], id="a photo of a letter"),
        pytest.param(
            lambda: rf.photograph(
                rf.scan(8, [ff.Placement(ff.received_stamp(), (300, 400), 0.7)]), rf.Photo(0.6, 10, 20)
            )[0],
            id="a photo with another stamp",
        ),
    ],
)
def test_pages_without_the_stamp_give_nothing(template: rm.Template, page: object) -> None:
    assert callable(page)
    assert rm.find_region(template, page()) == []


@pytest.mark.slow
def test_pages_of_real_pdfs_give_nothing(template: rm.Template) -> None:
    import pymupdf

    files = sorted(CORPUS.glob("*.pdf"))[:40]
    assert files, f"no PDFs in {CORPUS}"
    searched = 0
    for path in files:
        try:
            with pymupdf.open(path) as doc:
                if doc.needs_pass or doc.page_count == 0:
                    continue
                pix = doc[0].get_pixmap(dpi=100, colorspace=pymupdf.csGRAY, alpha=False)
        except (RuntimeError, ValueError):
            continue
        pixels = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
        if min(pixels.shape) < 32:
            continue
        assert rm.find_region(template, pixels) == [], path.name
        searched += 1
    assert searched >= 20


def test_features_are_plain_and_kept_in_the_page_s_pixels(template: rm.Template) -> None:
    page = rf.stamped_scan(3)
    features = rm.page_features(page)
    assert (features.width, features.height) == (page.shape[1], page.shape[0])
    assert features.points[:, 0].max() <= page.shape[1]
    assert features.points[:, 1].max() <= page.shape[0]
    kept = pickle.loads(pickle.dumps(features))
    [match] = rm.find_region(template, page, kept)
    assert match.scale == pytest.approx(1.0, abs=0.02)
    assert match.correlation > 0.95


def test_unwarp_brings_the_found_place_back_onto_the_template(template: rm.Template) -> None:
    pixels, _truth = rf.photo_of_stamp(12, rf.Photo(0.6, 12, 25, quality=85))
    [match] = rm.find_region(template, pixels)
    height, width = template.pixels.shape
    back = rm.unwarp(pixels, match.matrix(), (width, height), (0, 0)).astype(np.float64)
    ink = template.ink
    a, b = template.pixels.astype(np.float64)[ink], back[ink]
    assert np.corrcoef(a, b)[0, 1] > 0.75


def test_regions_too_small_or_blank() -> None:
    with pytest.raises(ValueError, match="too small"):
        rm.region_template(np.zeros((10, 10), np.uint8))
    with pytest.raises(ValueError, match="blank"):
        rm.region_template(np.full((200, 200), 240, np.uint8))
