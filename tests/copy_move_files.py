"""Scans with a signature cloned within the page, for the copy-move tests of the checks, services and CLI."""

from __future__ import annotations

import io
import math
import random
from typing import TYPE_CHECKING

import numpy as np
import pymupdf
from PIL import Image, ImageDraw

from tests import forensics_files as ff

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

DPI = 200
A4 = (595.0, 842.0)
Box = tuple[float, float, float, float]
# where the signature is signed, and the rectangle a forger copies around it (pixels at 200 dpi)
SIGNED = (200, 1500, 560, 1640)
COPIED = (180, 1480, 580, 1660)
PASTED_AT = (1000, 1480)


def signature(seed: int = 1, size: tuple[int, int] = (360, 140)) -> Image.Image:
    """A hand-signature-like scrawl: one long looping stroke and an underline, dark ink on white."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    x, points = 10.0, []
    for i in range(60):
        x += rng.uniform(2, 10)
        y = height / 2 + 40 * math.sin(i * 0.7 + rng.uniform(-0.5, 0.5)) + rng.uniform(-10, 10)
        points.append((x, y))
    draw.line(points, fill=30, width=3, joint="curve")
    draw.line([(20, height - 25), (width - 20, height - 35)], fill=40, width=2)
    return image


def signed_scan(seed: int = 3) -> NDArray[np.uint8]:
    """A 200-dpi grey scan of a typed page (grain and all) with a signature in ink."""
    page = ff.scan_page(seed, dpi=DPI).astype(np.float32)
    x0, y0, x1, y1 = SIGNED
    page[y0:y1, x0:x1] *= np.asarray(signature(), np.float32) / 255.0
    return np.clip(page, 0, 255).astype(np.uint8)


def cloned(page: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """``page`` with the rectangle around its signature copied (paper grain too) to ``PASTED_AT``."""
    out = page.copy()
    x0, y0, x1, y1 = COPIED
    px, py = PASTED_AT
    out[py : py + y1 - y0, px : px + x1 - x0] = page[y0:y1, x0:x1]
    return out


def jpeg(pixels: NDArray[np.uint8], quality: int = 85) -> NDArray[np.uint8]:
    """``pixels`` after a round trip through JPEG, as a scanner or editor would save them."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as image:
        return np.asarray(image.convert("L")).copy()


def scan_pdf(path: Path, pixels: NDArray[np.uint8], quality: int = 85) -> Path:
    """A one-page A4 PDF whose page is the JPEG of ``pixels`` (a 200-dpi scan)."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=quality, dpi=(DPI, DPI))
    with pymupdf.open() as doc:
        page = doc.new_page(width=A4[0], height=A4[1])
        page.insert_image(page.rect, stream=buffer.getvalue())
        doc.save(str(path))
    return path
