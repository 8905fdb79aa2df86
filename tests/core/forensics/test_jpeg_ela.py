"""Error levels of the embedded JPEG itself, mapped onto the page; quantisation tables across pages."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import pymupdf
import pytest
from PIL import Image

from reviewer.core.forensics.jpeg_tables import PageTables, document_table_signals, table_signals, tables_of
from reviewer.core.ingest.forensic_tasks import ElaTask
from reviewer.core.ingest.pixel_work import ela
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

    from reviewer.core.forensics.signals import Signal

A4 = (595.0, 842.0)
PATCH = (300, 400, 500, 520)  # x0, y0, x1, y1 in the picture's own pixels (800 × 1000)


def doctored_jpeg(tmp_path: Path) -> bytes:
    """A phone photo of a page with a sharp patch pasted in, saved once more at quality 95."""
    photo = filemaker.make_jpeg_with_exif(tmp_path / "photo.jpg", width=800, height=1000)
    with Image.open(photo) as image:
        pixels = np.asarray(image.convert("RGB")).copy()
    x0, y0, x1, y1 = PATCH
    pixels[y0:y1, x0:x1] = np.random.default_rng(0).integers(0, 255, (y1 - y0, x1 - x0, 1), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def placed_pdf(path: Path, data: bytes, rect: pymupdf.Rect, rotate: int = 0) -> Path:
    """A born-digital page (a heading) with the JPEG placed in ``rect``, turned ``rotate`` degrees."""
    with pymupdf.open() as doc:
        page = doc.new_page(width=A4[0], height=A4[1])
        page.insert_text((50, 60), "Annex 2: photograph received", fontsize=14)
        page.insert_image(rect, stream=data, rotate=rotate)
        doc.save(str(path))
    return path


def overlay(png: bytes) -> NDArray[np.float32]:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("L"), np.float32)


def mean_in(levels: NDArray[np.float32], box: tuple[float, float, float, float], dpi: float) -> float:
    """Mean error level in a box given in points."""
    z = dpi / 72.0
    x0, y0, x1, y1 = (round(v * z) for v in box)
    return float(levels[y0:y1, x0:x1].mean())


def test_the_patch_stands_out_where_the_picture_is_placed(tmp_path: Path) -> None:
    # 800 × 1000 pixels in 300 × 375 points: 192 dpi, lower on the page and off to the right
    rect = pymupdf.Rect(200, 300, 500, 675)
    pdf = placed_pdf(tmp_path / "annex.pdf", doctored_jpeg(tmp_path), rect)
    result = ela(ElaTask(str(pdf), None, 1))
    assert result.of_jpegs
    [picture] = result.pictures
    assert (picture["width"], picture["height"], picture["dpi"]) == (800, 1000, pytest.approx(192.0))
    assert result.dpi == pytest.approx(192.0)
    levels = overlay(result.png)
    assert levels.shape == (round(A4[1] * 192 / 72), round(A4[0] * 192 / 72))
    x0, y0, x1, y1 = PATCH
    patch = (200 + x0 * 0.375, 300 + y0 * 0.375, 200 + x1 * 0.375, 300 + y1 * 0.375)
    rest = (210.0, 310.0, 300.0, 400.0)  # inside the picture, away from the patch
    assert mean_in(levels, patch, result.dpi) > 5 * mean_in(levels, rest, result.dpi)
    assert mean_in(levels, (20.0, 20.0, 190.0, 290.0), result.dpi) == 0  # no picture there, no levels


def test_a_picture_turned_on_the_page_is_mapped_turned(tmp_path: Path) -> None:
    # turned 90° counter-clockwise: the picture's top edge runs up the left of the rectangle
    rect = pymupdf.Rect(100, 150, 475, 450)
    pdf = placed_pdf(tmp_path / "turned.pdf", doctored_jpeg(tmp_path), rect, rotate=90)
    result = ela(ElaTask(str(pdf), None, 1))
    levels = overlay(result.png)
    x0, y0, x1, y1 = PATCH
    scale = 375 / 1000  # picture pixels to points, both ways once turned
    patch = (100 + y0 * scale, 150 + (800 - x1) * scale, 100 + y1 * scale, 150 + (800 - x0) * scale)
    elsewhere = (110.0, 160.0, 200.0, 250.0)  # inside the picture, away from the patch
    assert mean_in(levels, patch, result.dpi) > 5 * mean_in(levels, elsewhere, result.dpi)
    # and MuPDF draws the patch exactly there: its noise is where the page is busiest
    drawn = busy(page_pixels(pdf, result.dpi))
    assert mean_in(drawn, patch, result.dpi) > 3 * mean_in(drawn, elsewhere, result.dpi)


def page_pixels(pdf: Path, dpi: float) -> NDArray[np.float32]:
    with pymupdf.open(pdf) as doc:
        pix = doc[0].get_pixmap(dpi=round(dpi), colorspace=pymupdf.csGRAY)
        return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).astype(np.float32)


def busy(pixels: NDArray[np.float32]) -> NDArray[np.float32]:
    return np.abs(np.diff(pixels, axis=1, prepend=pixels[:, :1]))


def test_a_jpeg_file_is_analysed_on_its_own_pixels_and_turned_as_its_exif_says(tmp_path: Path) -> None:
    data = doctored_jpeg(tmp_path)
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        exif[0x0112] = 6  # shown turned 90° clockwise
        path = tmp_path / "turned.jpg"
        image.save(path, "JPEG", quality=95, exif=exif.tobytes(), dpi=(72, 72))
    result = ela(ElaTask(str(path), None, 1))
    [picture] = result.pictures
    assert (picture["width"], picture["height"]) == (800, 1000)
    levels = overlay(result.png)
    assert levels.shape == (800, 1000)  # shown 1000 wide and 800 high, at 72 dpi
    x0, y0, x1, y1 = PATCH
    turned = (1000 - y1, x0, 1000 - y0, x1)  # clockwise: a pixel (x, y) is shown at (H - y, x)
    elsewhere = (50, 50, 250, 250)
    assert mean_in(levels, turned, 72) > 5 * mean_in(levels, elsewhere, 72)


def test_a_page_without_a_jpeg_is_analysed_as_drawn(tmp_path: Path) -> None:
    pdf = filemaker.make_text_pdf(tmp_path / "typed.pdf", pages=1)
    result = ela(ElaTask(str(pdf), None, 1))
    assert not result.of_jpegs
    assert result.pictures == ()
    assert result.png.startswith(b"\x89PNG")


def scan_pages(path: Path, qualities: list[int]) -> Path:
    """A scanned PDF whose page N's picture was saved at ``qualities[N]``."""
    with pymupdf.open() as doc:
        for number, quality in enumerate(qualities):
            grey = np.random.default_rng(number).normal(200, 20, (1100, 780)).clip(0, 255).astype(np.uint8)
            buffer = io.BytesIO()
            Image.fromarray(grey).save(buffer, "JPEG", quality=quality)
            page = doc.new_page(width=A4[0], height=A4[1])
            page.insert_image(page.rect, stream=buffer.getvalue())
        doc.save(str(path))
    return path


def by_code(found: list[object]) -> list[object]:
    return [s for s in found if getattr(s, "code", None) == "pdf.jpeg_tables_differ"]


def table_check(path: Path) -> list[Signal]:
    with pymupdf.open(path) as doc:
        return list(document_table_signals(doc))


def test_a_page_saved_at_another_quality_stands_out(tmp_path: Path) -> None:
    pdf = scan_pages(tmp_path / "mixed.pdf", [80, 60, 80, 80])
    [signal] = table_check(pdf)
    assert signal.severity == "notice"
    assert signal.page == 1
    value = signal.value
    assert (value["quality"], value["usual_quality"]) == (60, 80)
    assert value["usual_pages"] == [1, 3, 4]
    assert value["standard_tables"] is True


def test_the_same_tables_on_every_page_raise_nothing(tmp_path: Path) -> None:
    assert table_check(scan_pages(tmp_path / "even.pdf", [80, 80, 80])) == []
    assert table_check(filemaker.make_scanned_pdf(tmp_path / "scan.pdf", pages=3, noise=0.3)) == []
    assert table_check(filemaker.make_text_pdf(tmp_path / "text.pdf", pages=2)) == []


def test_two_pages_two_tables_is_one_notice_for_the_document(tmp_path: Path) -> None:
    [signal] = table_check(scan_pages(tmp_path / "two.pdf", [90, 50]))
    assert signal.page is None
    groups = signal.value["groups"]
    assert sorted(g["quality"] for g in groups) == [50, 90]


def test_tables_are_read_from_the_header_of_any_jpeg_and_nonsense_is_none() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, "JPEG", quality=75)
    tables = tables_of(buffer.getvalue())
    assert tables is not None
    assert len(tables) == 2
    assert tables_of(b"not a jpeg") is None
    assert table_signals([PageTables(0, 5, tables), PageTables(1, 5, tables)]) == []
