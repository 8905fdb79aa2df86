"""Perceptual hashes and error level analysis on real renders and real JPEGs."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import pytest
from PIL import Image

from reviewer.core.forensics.ela import error_levels, error_levels_png, region_error_level
from reviewer.core.forensics.phash import from_hex, hamming, is_near_identical, phash, phash_hex
from tests import filemaker, forensics_files

if TYPE_CHECKING:
    from pathlib import Path


def test_a_scan_and_its_born_digital_page_are_near_identical(tmp_path: Path) -> None:
    text = filemaker.make_text_pdf(tmp_path / "t.pdf", pages=2)
    scan = filemaker.make_scanned_pdf(tmp_path / "s.pdf", pages=2, noise=0.3, skew_degrees=0.7)
    born = [phash(forensics_files.render_gray(text, 50, page)) for page in (0, 1)]
    scanned = [phash(forensics_files.render_gray(scan, 40, page)) for page in (0, 1)]
    assert is_near_identical(born[0], scanned[0])
    assert is_near_identical(born[1], scanned[1])
    # a page of another layout is far apart
    assert hamming(born[0], born[1]) > 16


def test_a_hash_survives_resizing_and_recompression() -> None:
    page = forensics_files.scan_page(3, dpi=100)
    small = np.asarray(Image.fromarray(page).resize((page.shape[1] // 3, page.shape[0] // 3)))
    buffer = io.BytesIO()
    Image.fromarray(page).save(buffer, "JPEG", quality=40)
    buffer.seek(0)
    with Image.open(buffer) as again:
        recompressed = np.asarray(again)
    reference = phash(page)
    assert hamming(reference, phash(small)) <= 4
    assert hamming(reference, phash(recompressed)) <= 4
    assert phash(np.dstack([page] * 3)) == reference  # colour and grey of one picture hash alike


def test_hex_round_trip_and_range() -> None:
    value = phash(forensics_files.ministry_stamp())
    assert 0 <= value < 2**64
    text = phash_hex(value)
    assert len(text) == 16
    assert from_hex(text) == value
    assert hamming(value, value ^ 0b1011) == 3


def test_an_empty_image_cannot_be_hashed() -> None:
    with pytest.raises(ValueError, match="empty"):
        phash(np.zeros((0, 0), np.uint8))


def test_error_levels_show_a_patch_that_was_never_compressed(tmp_path: Path) -> None:
    photo = filemaker.make_jpeg_with_exif(tmp_path / "p.jpg", width=800, height=1000)
    with Image.open(photo) as image:
        pixels = np.asarray(image.convert("RGB")).copy()
    # a sharp, never-compressed patch pasted into the JPEG: what a forger's clone or text edit leaves
    rng = np.random.default_rng(0)
    pixels[400:520, 300:500] = rng.integers(0, 255, (120, 200, 1), dtype=np.uint8)
    overlay = error_levels(pixels)
    assert overlay.shape == pixels.shape
    assert overlay.dtype == np.uint8
    assert region_error_level(overlay, (300, 400, 500, 520)) > 3
    assert region_error_level(overlay, (50, 50, 250, 170)) < 1.5
    png = error_levels_png(pixels[:, :, 0])
    assert png.startswith(b"\x89PNG")


def test_error_levels_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="quality"):
        error_levels(np.zeros((8, 8), np.uint8), quality=0)
    with pytest.raises(ValueError, match="shape"):
        error_levels(np.zeros((8, 8, 2), np.uint8))
