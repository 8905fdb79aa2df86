# mypy: disable-error-code="no-untyped-call"
"""Generated files that carry (or deliberately lack) forensic signals, for tests and benchmarks.

Stamps are drawn with Pillow onto pages of ``tests.filemaker`` text rendered at 300 dpi with scanner
grain, so region search meets what it will meet in a case: noise, JPEG, other stamps nearby.
Everything is deterministic for a given seed.
"""

from __future__ import annotations

import functools
import io
import math
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pymupdf
from PIL import Image, ImageDraw, ImageFont

from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

SCAN_DPI = 300
A4 = (595.0, 842.0)


@functools.cache
def _font_bytes() -> bytes:
    return bytes(pymupdf.Font(language="ru").buffer)


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(_font_bytes()), size)


def round_stamp(diameter: int, *, ring: str, centre: tuple[str, ...], star: bool = True) -> Image.Image:
    """A round office stamp in grey (ink 40 on white 255): two rings, text around, lines in the middle."""
    pad = 4
    size = diameter + 2 * pad
    layer = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(layer)
    ink = 40
    width = max(2, diameter // 70)
    draw.ellipse((pad, pad, pad + diameter, pad + diameter), outline=ink, width=width)
    inner = diameter // 8
    draw.ellipse((pad + inner, pad + inner, size - pad - inner, size - pad - inner), outline=ink, width=width)
    font = _font(max(8, diameter // 13))
    middle = size / 2
    radius = diameter / 2 - inner / 2
    for i, char in enumerate(ring):
        angle = 2 * math.pi * i / len(ring) - math.pi / 2
        glyph = Image.new("L", (font.size * 2, font.size * 2), 0)
        ImageDraw.Draw(glyph).text((font.size, font.size), char, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BILINEAR)
        x = round(middle + radius * math.cos(angle) - font.size)
        y = round(middle + radius * math.sin(angle) - font.size)
        layer.paste(ink, (x, y), glyph)
    centre_font = _font(max(8, diameter // 10))
    step = diameter / 8
    for i, line in enumerate(centre):
        y = middle + (i - (len(centre) - 1) / 2) * step
        draw.text((middle, y), line, fill=ink, font=centre_font, anchor="mm")
    if star:
        draw.regular_polygon((middle, middle - diameter / 4.2, diameter / 22), 5, fill=ink)
    return layer


def rect_stamp(width: int, height: int, *, lines: tuple[str, ...]) -> Image.Image:
    """A rectangular stamp (received, registered...) in grey on white."""
    layer = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(layer)
    draw.rectangle((2, 2, width - 3, height - 3), outline=40, width=max(2, width // 90))
    font = _font(max(8, height // (len(lines) + 2)))
    for i, line in enumerate(lines):
        draw.text((width / 2, height * (i + 1) / (len(lines) + 1)), line, fill=40, font=font, anchor="mm")
    return layer


#: The stamp region search looks for, and two others that must not be mistaken for it.
def ministry_stamp(diameter: int = 470) -> Image.Image:
    """The stamp looked for: ~40 mm at 300 dpi."""
    return round_stamp(
        diameter, ring="МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ * СЕВЕРАНИЯ * ", centre=("ДЛЯ", "ПАКЕТОВ")
    )


def other_round_stamp(diameter: int = 470) -> Image.Image:
    """A distractor of the same shape and size, with other words."""
    return round_stamp(
        diameter, ring="ТОРГОВАЯ ПАЛАТА ЮЖАНИИ * ОТДЕЛ ЭКСПОРТА * ", centre=("ЭКСПОРТ", "№ 7"), star=False
    )


def received_stamp() -> Image.Image:
    """A rectangular distractor."""
    return rect_stamp(560, 230, lines=("ПОЛУЧЕНО", "вх. № 0412", "«14» 03 2019"))


@dataclass(frozen=True, slots=True)
class Placement:
    """A stamp put on a page: its centre in points, size factor and turn in degrees (counter-clockwise)."""

    stamp: Image.Image
    center: tuple[float, float]
    scale: float = 1.0
    angle: float = 0.0


def scan_page(seed: int, *, noise: float = 6.0, dpi: int = SCAN_DPI) -> NDArray[np.uint8]:
    """A page of ``tests.filemaker`` text rendered at ``dpi`` in grey, with paper tone and grain."""
    with pymupdf.open() as doc:
        page = doc.new_page(width=A4[0], height=A4[1])
        lines = [filemaker.DEFAULT_REF, f"seed {seed}"]
        rng = np.random.default_rng(seed)
        words = ["Министерство", "сообщает", "Посольству", "договорённости", "раунд", "переговоров", "note"]
        lines += [" ".join(rng.choice(words, 8)) for _ in range(22)]
        writer = pymupdf.TextWriter(page.rect)
        for i, line in enumerate(lines):
            writer.append((64, 80 + 20 * i), line, font=pymupdf.Font(language="ru"), fontsize=11)
        writer.write_text(page)
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        gray = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).astype(np.float32)
    gray = 20 + gray * 0.9  # scanner glass is never white
    gray += rng.normal(0, noise, gray.shape).astype(np.float32)
    return np.clip(gray, 0, 255).astype(np.uint8)


def stamp_onto(page: NDArray[np.uint8], placement: Placement, *, dpi: int = SCAN_DPI) -> NDArray[np.uint8]:
    """``page`` with the stamp multiplied on (ink darkens, paper shows through), as a new array."""
    stamp = placement.stamp
    size = (max(1, round(stamp.width * placement.scale)), max(1, round(stamp.height * placement.scale)))
    stamp = stamp.resize(size, Image.Resampling.LANCZOS)
    if placement.angle:
        stamp = stamp.rotate(placement.angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    cx, cy = (round(v * dpi / 72) for v in placement.center)
    x0, y0 = cx - stamp.width // 2, cy - stamp.height // 2
    out = page.astype(np.float32)
    ink = np.asarray(stamp, dtype=np.float32) / 255.0
    ys, xs = (
        slice(max(0, y0), min(page.shape[0], y0 + stamp.height)),
        slice(max(0, x0), min(page.shape[1], x0 + stamp.width)),
    )
    out[ys, xs] *= ink[ys.start - y0 : ys.stop - y0, xs.start - x0 : xs.stop - x0]
    return np.clip(out, 0, 255).astype(np.uint8)


def make_stamped_scan(path: Path, placements: list[Placement], *, seed: int = 0, quality: int = 85) -> Path:
    """A one-page scanned PDF (300 dpi JPEG) with the stamps placed; producer names a scanner."""
    page = scan_page(seed)
    for placement in placements:
        page = stamp_onto(page, placement)
    buffer = io.BytesIO()
    Image.fromarray(page, "L").save(buffer, "JPEG", quality=quality, dpi=(SCAN_DPI, SCAN_DPI))
    with pymupdf.open() as doc:
        pdf_page = doc.new_page(width=A4[0], height=A4[1])
        pdf_page.insert_image(pdf_page.rect, stream=buffer.getvalue())
        doc.set_metadata(
            {
                "producer": "Synthetic Scanner Driver 2.1",
                "creator": "ScanApp (synthetic)",
                "creationDate": "D:20190312101500+03'00'",
                "modDate": "D:20190312101500+03'00'",
            }
        )
        doc.save(str(path), garbage=4, deflate=True)
    return path


def render_gray(path: Path, dpi: float, page: int = 0) -> NDArray[np.uint8]:
    """Page ``page`` of a PDF rendered in grey at ``dpi``."""
    with pymupdf.open(str(path)) as doc:
        pix = doc[page].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()


def render_clip(
    path: Path, rect: tuple[float, float, float, float], dpi: float, page: int = 0
) -> NDArray[np.uint8]:
    """The region ``rect`` (points) of a PDF page rendered in grey at ``dpi``: an annotation's pixels."""
    with pymupdf.open(str(path)) as doc:
        pix = doc[page].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False, clip=pymupdf.Rect(rect))
        return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()


# -- images with EXIF ------------------------------------------------------------------------------------


def _ifd(entries: list[tuple[int, int, int, bytes]], start: int, next_ifd: int) -> tuple[bytes, bytes]:
    """A little-endian TIFF IFD at offset ``start``; values over 4 bytes go after it."""
    table = struct.pack("<H", len(entries))
    extra = b""
    data_at = start + 2 + 12 * len(entries) + 4
    for tag, kind, count, value in entries:
        if len(value) <= 4:
            table += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\x00")
        else:
            table += struct.pack("<HHII", tag, kind, count, data_at + len(extra))
            extra += value + (b"\x00" if len(value) % 2 else b"")
    return table + struct.pack("<I", next_ifd), extra


def _ascii(tag: int, text: str) -> tuple[int, int, int, bytes]:
    raw = text.encode("ascii") + b"\x00"
    return tag, 2, len(raw), raw


def exif_with_thumbnail(
    thumbnail: bytes, *, make: str, model: str, software: str | None, taken: str
) -> bytes:
    """An EXIF block (``Exif\\0\\0`` + TIFF) with IFD0 text tags and an IFD1 JPEG thumbnail."""
    ifd0_entries = [_ascii(0x010F, make), _ascii(0x0110, model), _ascii(0x0132, taken)]
    if software:
        ifd0_entries.append(_ascii(0x0131, software))
    ifd0_entries.sort()
    ifd0_size = 2 + 12 * len(ifd0_entries) + 4
    ifd0_extra_size = sum(len(v) + len(v) % 2 for *_, v in ifd0_entries if len(v) > 4)
    ifd1_at = 8 + ifd0_size + ifd0_extra_size
    ifd1_size = 2 + 12 * 2 + 4
    thumb_at = ifd1_at + ifd1_size
    ifd0, extra0 = _ifd(ifd0_entries, 8, ifd1_at)
    ifd1, extra1 = _ifd(
        [(0x0201, 4, 1, struct.pack("<I", thumb_at)), (0x0202, 4, 1, struct.pack("<I", len(thumbnail)))],
        ifd1_at,
        0,
    )
    tiff = b"II*\x00" + struct.pack("<I", 8) + ifd0 + extra0 + ifd1 + extra1 + thumbnail
    return b"Exif\x00\x00" + tiff


def make_photo_with_thumbnail(path: Path, *, thumbnail_differs: bool, software: str | None = None) -> Path:
    """A camera-like JPEG whose EXIF carries a thumbnail: of itself, or of another picture."""
    photo = filemaker.make_jpeg_with_exif(path, seed=1)
    with Image.open(photo) as image:
        picture = image.convert("RGB")
    if thumbnail_differs:
        # what an editor leaves behind: the preview of the picture before a region was replaced
        with Image.open(filemaker.make_jpeg_with_exif(path.with_suffix(".orig.jpg"), seed=7)) as other:
            source = other.convert("RGB").transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    else:
        source = picture
    small = source.copy()
    small.thumbnail((160, 160))
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=80)
    exif = exif_with_thumbnail(
        buffer.getvalue(), make="Canon", model="EOS 80D", software=software, taken="2019:03:12 10:15:00"
    )
    picture.save(path, "JPEG", quality=90, exif=exif)
    return path
