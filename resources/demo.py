"""The demo case: the synthetic leak a first-time user opens to see what reviewer does.

Everything in it is invented: the Republic of Veloria and its Ministry of Foreign Affairs, the Republic
of Tarvania, the Kingdom of Aldmark, their companies, ships, officials, account and reference numbers.
The story ties the papers together: machine tools leave Veloria under an export passport, Veloria's
ministry exchanges notes with Tarvania's embassy about their transit, the ship carrying them is sold
two weeks after it arrives, and the paperwork disagrees on how many bearings were shipped.

``generate`` writes the files (scanned diplomatic notes without a text layer, a two-page scanned export
passport, a bilevel multi-page TIFF contract, a phone photo with EXIF, a born-digital letter, bill of
sale and a password-protected invoice) and returns what the demo case records about them: provenance,
fields, tags, statuses with their rationale, checklists and annotations.

Only PyMuPDF, Pillow and the standard library are used, with MuPDF's built-in fonts (the base-14 Nimbus
fonts carry Cyrillic; Noto Serif adds the Azerbaijani letters).  The output is deterministic: every
random choice comes from a seeded ``random.Random`` and every date inside a file is fixed, so two runs
write byte-identical files.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import random
import struct
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pymupdf
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from PIL.TiffImagePlugin import IFDRational

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

__all__ = ["DemoAnnotation", "DemoDocument", "DemoSighting", "generate"]


# --------------------------------------------------------------------------------------------------
# What the demo case records
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAnnotation:
    """A marked region of one page: a note (with transcription and translation) or a redaction."""

    page: int  # 1-based
    # x0, y0, x1, y1 in PDF points from the top-left of the unrotated page; for image files the page
    # coordinates MuPDF gives the image (pixels * 72 / dpi).
    rect: tuple[float, float, float, float]
    kind: str = "note"  # "note" or "redaction"
    note: str | None = None
    transcription: str | None = None
    translation: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoSighting:
    """The same bytes found again: another file, another source, another day."""

    relative_path: str
    source: str
    received: str  # YYYY-MM-DD


@dataclass(frozen=True)
class DemoDocument:
    """One file of the demo case and everything the case records about it."""

    relative_path: str
    source: str
    received: str  # YYYY-MM-DD
    fields: dict[str, str]
    tags: tuple[str, ...] = ()
    status: str = "unverified"
    status_note: str | None = None
    checklist: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    annotations: tuple[DemoAnnotation, ...] = ()
    password: str | None = None
    extra_sightings: tuple[DemoSighting, ...] = ()


# --------------------------------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------------------------------

_SOURCE_A = "Source A (Signal)"
_ARCHIVE = "Leak archive 'Veloria cables'"
_PARTNER = "Partner newsroom (Kestrel Desk)"

_DIR_A = "from-source-A"
_DIR_ARCHIVE = "veloria-cables"
_DIR_PARTNER = "from-partner-newsroom"

# --------------------------------------------------------------------------------------------------
# Geometry, fonts and text layout
# --------------------------------------------------------------------------------------------------

_Box = tuple[float, float, float, float]
_Colour = tuple[float, float, float]
_Rgb = tuple[int, int, int]

_A4 = (595.0, 842.0)
_BLACK: _Colour = (0.0, 0.0, 0.0)
_TONER: _Colour = (0.1, 0.1, 0.11)
_GREY: _Colour = (0.38, 0.38, 0.4)
_NAVY: _Colour = (0.09, 0.18, 0.36)
_STAMP_BLUE: _Rgb = (52, 62, 158)
_STAMP_VIOLET: _Rgb = (104, 58, 150)
_PEN_BLUE: _Rgb = (22, 34, 112)

_FONT_NAMES = {
    "tr": "Times-Roman",
    "tb": "Times-Bold",
    "ti": "Times-Italic",
    "hr": "Helvetica",
    "hb": "Helvetica-Bold",
    "cr": "Courier",
}


@functools.cache
def _font(key: str) -> Any:
    """A MuPDF built-in font: the Nimbus base-14 faces (Latin and Cyrillic) or Noto Serif ("noto")."""
    if key == "noto":
        return pymupdf.Font(language="ru")
    return pymupdf.Font(_FONT_NAMES[key])


@functools.cache
def _pil_font(key: str, size: int) -> ImageFont.FreeTypeFont:
    """The same built-in font for drawing with Pillow."""
    return ImageFont.truetype(io.BytesIO(_font(key).buffer), size)


@functools.cache
def _advance(font: str, char: str) -> float:
    return float(_font(font).glyph_advance(ord(char)))


def _width(text: str, font: str, size: float) -> float:
    """Width of ``text`` in points, as TextWriter sets it (no kerning)."""
    return sum(_advance(font, ch) for ch in text) * size


def _wrap(text: str, width: float, font: str, size: float, indent: float = 0.0) -> list[str]:
    """Greedy word wrap; the first line is ``indent`` points narrower."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        room = width - (indent if not lines else 0.0)
        if current and _width(candidate, font, size) > room:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def _pad(box: _Box, dx: float, dy: float | None = None) -> _Box:
    dy = dx if dy is None else dy
    return (box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy)


def _union(*boxes: _Box) -> _Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


class _Sheet:
    """One page being laid out: text through one TextWriter per colour, rules straight onto the page."""

    def __init__(self, doc: Any, size: tuple[float, float] = _A4) -> None:
        self.page: Any = doc.new_page(width=size[0], height=size[1])
        self._writers: dict[_Colour, Any] = {}

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        font: str = "tr",
        size: float = 11.0,
        colour: _Colour = _BLACK,
        align: str = "left",
    ) -> _Box:
        """Write one line with its baseline at ``y``; return the box the letters occupy."""
        w = _width(text, font, size)
        if align == "center":
            x -= w / 2
        elif align == "right":
            x -= w
        writer = self._writers.get(colour)
        if writer is None:
            writer = self._writers[colour] = pymupdf.TextWriter(self.page.rect)
        writer.append((x, y), text, font=_font(font), fontsize=size)
        return (x, y - 0.72 * size, x + w, y + 0.22 * size)

    def paragraph(
        self,
        x: float,
        y: float,
        width: float,
        text: str,
        *,
        font: str = "tr",
        size: float = 11.0,
        leading: float | None = None,
        indent: float = 0.0,
        justify: bool = False,
        colour: _Colour = _BLACK,
    ) -> tuple[float, _Box]:
        """Write a wrapped paragraph from baseline ``y``; return the next baseline and the block's box."""
        step = leading if leading is not None else size * 1.32
        lines = _wrap(text, width, font, size, indent)
        boxes: list[_Box] = []
        for i, line in enumerate(lines):
            left = x + (indent if i == 0 else 0.0)
            words = line.split(" ")
            room = x + width - left
            gap = (room - sum(_width(w, font, size) for w in words)) / max(1, len(words) - 1)
            if justify and i < len(lines) - 1 and len(words) > 1 and gap < size * 1.4:
                cursor = left
                for word in words:
                    boxes.append(self.text(cursor, y, word, font=font, size=size, colour=colour))
                    cursor += _width(word, font, size) + gap
            else:
                boxes.append(self.text(left, y, line, font=font, size=size, colour=colour))
            y += step
        return y, _union(*boxes)

    def rule(
        self, x0: float, y0: float, x1: float, y1: float, *, width: float = 0.6, colour: _Colour = _BLACK
    ) -> None:
        self.page.draw_line((x0, y0), (x1, y1), color=colour, width=width)

    def frame(
        self, box: _Box, *, width: float = 0.6, colour: _Colour = _BLACK, fill: _Colour | None = None
    ) -> None:
        self.page.draw_rect(pymupdf.Rect(*box), color=colour, fill=fill, width=width)

    def finish(self) -> Any:
        for colour, writer in self._writers.items():
            writer.write_text(self.page, color=colour)
        self._writers.clear()
        return self.page


def _table(
    sheet: _Sheet,
    x: float,
    y: float,
    widths: Sequence[float],
    rows: Sequence[Sequence[str]],
    *,
    aligns: str,
    font: str = "tr",
    bold: str = "tb",
    size: float = 9.0,
    header_rows: int = 1,
    line: float = 0.6,
    colour: _Colour = _BLACK,
) -> list[_Box]:
    """A ruled table; cells may hold several lines (``\\n``); return each row's box."""
    leading = size * 1.25
    boxes: list[_Box] = []
    right = x + sum(widths)
    sheet.rule(x, y, right, y, width=line, colour=colour)
    top = y
    for r, row in enumerate(rows):
        height = max(len(cell.split("\n")) for cell in row) * leading + size * 0.7
        cx = x
        for c, cell in enumerate(row):
            for k, text in enumerate(cell.split("\n")):
                base = top + size * 0.35 + size * 0.95 + k * leading
                kind = aligns[c]
                face = bold if r < header_rows else font
                if r < header_rows or kind == "c":
                    sheet.text(cx + widths[c] / 2, base, text, font=face, size=size, align="center")
                elif kind == "r":
                    sheet.text(cx + widths[c] - 3.5, base, text, font=face, size=size, align="right")
                else:
                    sheet.text(cx + 3.5, base, text, font=face, size=size)
            cx += widths[c]
        boxes.append((x, top, right, top + height))
        top += height
        sheet.rule(x, top, right, top, width=line, colour=colour)
    cx = x
    for w in (0.0, *widths):
        cx += w
        sheet.rule(cx, y, cx, top, width=line, colour=colour)
    return boxes


def _crest(page: Any, cx: float, cy: float, r: float, *, points: int = 5, colour: _Colour = _TONER) -> None:
    """A small state emblem: a ringed star over a wreath of leaves."""
    shape = page.new_shape()
    shape.draw_circle((cx, cy), r)
    shape.finish(color=colour, width=1.3)
    shape.draw_circle((cx, cy), r * 0.84)
    shape.finish(color=colour, width=0.5)
    star = []
    for k in range(points * 2):
        rad = r * 0.46 if k % 2 == 0 else r * 0.19
        a = -math.pi / 2 + k * math.pi / points
        star.append((cx + rad * math.cos(a), cy - r * 0.08 + rad * math.sin(a)))
    shape.draw_polyline([*star, star[0]])
    shape.finish(color=colour, fill=colour, closePath=True, width=0.3)
    for side in (-1, 1):
        for k in range(6):
            a = math.radians(90 + side * (38 + k * 19))
            lx, ly = cx + r * 0.66 * math.cos(a), cy + r * 0.66 * math.sin(a)
            shape.draw_oval(pymupdf.Rect(lx - r * 0.085, ly - r * 0.085, lx + r * 0.085, ly + r * 0.085))
            shape.finish(color=colour, fill=colour, width=0.2)
    shape.draw_rect(pymupdf.Rect(cx - r * 0.3, cy + r * 0.52, cx + r * 0.3, cy + r * 0.62))
    shape.finish(color=colour, fill=colour, width=0.2)
    shape.commit()


# --------------------------------------------------------------------------------------------------
# Ink: stamps and signatures (Pillow masks, 255 = ink)
# --------------------------------------------------------------------------------------------------


def _lut(fn: Callable[[int], float]) -> list[int]:
    return [max(0, min(255, round(fn(v)))) for v in range(256)]


def _noise(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def _glyph(char: str, font: ImageFont.FreeTypeFont) -> Image.Image:
    side = int(font.size * 1.8)
    im = Image.new("L", (side, side), 0)
    ImageDraw.Draw(im).text((side / 2, side / 2), char, font=font, fill=255, anchor="mm")
    return im


def _ring_text(
    mask: Image.Image, text: str, centre: float, radius: float, font: ImageFont.FreeTypeFont
) -> None:
    """Write ``text`` clockwise round a circle, spread evenly over the whole ring, tops outward."""
    advances = [font.getlength(ch) for ch in text]
    extra = (2 * math.pi * radius - sum(advances)) / len(text)
    pos = 0.0
    for ch, adv in zip(text, advances, strict=True):
        theta = -math.pi / 2 + (pos + adv / 2) / radius
        pos += adv + extra
        if ch == " ":
            continue
        glyph = _glyph(ch, font).rotate(-math.degrees(theta + math.pi / 2), resample=Image.Resampling.BICUBIC)
        gx = centre + radius * math.cos(theta) - glyph.width / 2
        gy = centre + radius * math.sin(theta) - glyph.height / 2
        mask.paste(255, (round(gx), round(gy)), glyph)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, points: int = 5) -> None:
    pts = []
    for k in range(points * 2):
        rad = r if k % 2 == 0 else r * 0.42
        a = -math.pi / 2 + k * math.pi / points
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    draw.polygon(pts, fill=255)


def _round_stamp(
    diameter: int,
    ring: str,
    centre_lines: Sequence[str] = (),
    *,
    font: str = "hb",
    emblem: bool = True,
    star_points: int = 5,
) -> Image.Image:
    """A round seal: double outer ring, text round the edge, an inner ring with an emblem or text."""
    pad = 6
    side = diameter + 2 * pad
    mask = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(mask)
    c = side / 2
    r = diameter / 2
    draw.ellipse((c - r, c - r, c + r, c + r), outline=255, width=max(2, round(diameter * 0.024)))
    r2 = r - diameter * 0.045
    draw.ellipse((c - r2, c - r2, c + r2, c + r2), outline=255, width=max(1, round(diameter * 0.009)))
    r_in = r * 0.6
    draw.ellipse((c - r_in, c - r_in, c + r_in, c + r_in), outline=255, width=max(1, round(diameter * 0.011)))
    ring_radius = (r2 + r_in) / 2 + diameter * 0.004
    size = round(diameter * 0.082)
    while size > 8 and _pil_font(font, size).getlength(ring) > 2 * math.pi * ring_radius * 0.86:
        size -= 1
    _ring_text(mask, ring, c, ring_radius, _pil_font(font, size))
    if emblem:
        _star(
            draw,
            c,
            c - (r_in * 0.28 if centre_lines else 0),
            r_in * (0.42 if centre_lines else 0.62),
            star_points,
        )
    if centre_lines:
        small = _pil_font(font, round(diameter * 0.07))
        step = diameter * 0.085
        first = c + (r_in * 0.28 if emblem else 0) - step * (len(centre_lines) - 1) / 2
        for k, text in enumerate(centre_lines):
            draw.text((c, first + k * step), text, font=small, fill=255, anchor="mm")
    return mask


def _box_stamp(width: int, height: int, lines: Sequence[tuple[str, str, int]]) -> Image.Image:
    """A rectangular office stamp; each line is (text, font key, pixel size)."""
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    draw.rectangle((2, 2, width - 3, height - 3), outline=255, width=max(2, height // 30))
    fitted: list[tuple[str, ImageFont.FreeTypeFont, int]] = []
    for text, font, size in lines:
        while size > 6 and _pil_font(font, size).getlength(text) > width * 0.9:
            size -= 1
        fitted.append((text, _pil_font(font, size), size))
    total = sum(size * 1.25 for _, _, size in fitted)
    y = (height - total) / 2
    for text, face, size in fitted:
        draw.text((width / 2, y + size * 0.62), text, font=face, fill=255, anchor="mm")
        y += size * 1.25
    return mask


def _signature(rng: random.Random, width: int, height: int, *, pen: float = 2.6) -> Image.Image:
    """A fluent scribble: a tall looped capital, a run of uneven slanted loops, an underline flourish."""
    k = 3
    big_w, big_h = width * k, height * k
    im = Image.new("L", (big_w, big_h), 0)
    draw = ImageDraw.Draw(im)
    base = big_h * 0.66
    slant = rng.uniform(0.3, 0.5)
    x0 = big_w * 0.06

    def at(x: float, y: float) -> tuple[float, float]:
        return x + slant * (base - y), y

    # the capital: up a long stem, round a loop at the top, back down through the stem
    cap_h = big_h * rng.uniform(0.52, 0.62)
    cap_w = big_w * rng.uniform(0.07, 0.1)
    stroke: list[tuple[float, float]] = []
    for i in range(90):
        s = i / 89
        ang = 2 * math.pi * s
        stroke.append(
            at(x0 + cap_w * (0.5 - 0.5 * math.cos(ang)) + cap_w * 0.6 * s, base - cap_h * math.sin(ang / 2))
        )
    # the run: uneven loops whose size drifts from letter to letter
    loops = rng.randint(4, 6)
    amps = [rng.uniform(0.4, 1.0) if rng.random() > 0.25 else rng.uniform(1.5, 1.9) for _ in range(loops + 2)]
    run_x = stroke[-1][0] + big_w * 0.01
    run_w = big_w * rng.uniform(0.5, 0.62)
    ay = big_h * 0.15
    ax = run_w / loops * 0.36
    n = 60 * loops
    for i in range(1, n + 1):
        t = i / n
        f = t * loops
        j = int(f)
        u = f - j
        amp = amps[j] + (amps[j + 1] - amps[j]) * (0.5 - 0.5 * math.cos(math.pi * u))
        phase = 2 * math.pi * f
        y = base - ay * amp * (1 - math.cos(phase)) - big_h * 0.04 * t
        x = run_x + run_w * t - ax * math.sin(phase)
        stroke.append(at(x, y))
    # a last downstroke that swings back under the name
    end_x, end_y = stroke[-1]
    for i in range(1, 61):
        t = i / 60
        stroke.append(
            (
                end_x + big_w * 0.06 * math.sin(math.pi * t * 0.8) - (end_x - big_w * 0.12) * t**1.6,
                end_y + big_h * 0.3 * math.sin(math.pi * min(1.0, t * 1.4) / 2) - big_h * 0.05 * t,
            )
        )
    draw.line(stroke, fill=255, width=round(pen * k), joint="curve")
    return im.resize((width, height), Image.Resampling.LANCZOS)


def _worn(mask: Image.Image, rng: random.Random, *, strength: float = 1.0, blotch: int = 6) -> Image.Image:
    """Uneven inking: blotchy density, dry specks, soft edges."""
    w, h = mask.size
    patches = _noise(rng, (blotch, blotch)).resize((w, h), Image.Resampling.BICUBIC)
    patches = patches.point(_lut(lambda v: (125 + v * 130 / 255) * strength))
    dry = _noise(rng, (w, h)).point(_lut(lambda v: 70 if v < 50 else 255))
    dry = dry.filter(ImageFilter.GaussianBlur(0.9))
    out = ImageChops.multiply(ImageChops.multiply(mask, patches), dry)
    return out.filter(ImageFilter.GaussianBlur(0.55))


def _ink(img: Image.Image, mask: Image.Image, centre: tuple[float, float], colour: _Rgb) -> None:
    """Print ``mask`` onto ``img`` in ``colour`` (multiply, like ink over toner), centred at ``centre``."""
    x = round(centre[0] - mask.width / 2)
    y = round(centre[1] - mask.height / 2)
    if img.mode == "L":
        tint = Image.new("L", mask.size, round(0.3 * colour[0] + 0.59 * colour[1] + 0.11 * colour[2]))
        white = Image.new("L", mask.size, 255)
    else:
        tint = Image.new("RGB", mask.size, colour)
        white = Image.new("RGB", mask.size, (255, 255, 255))
    layer = Image.composite(tint, white, mask)
    region = img.crop((x, y, x + mask.width, y + mask.height))
    img.paste(ImageChops.multiply(region, layer), (x, y))


def _ink_png(mask: Image.Image, colour: _Rgb, opacity: float = 1.0) -> bytes:
    """A transparent PNG of ink, to place on a born-digital page like a pasted scan of a stamp."""
    im = Image.new("RGBA", mask.size, (*colour, 0))
    im.putalpha(mask.point(_lut(lambda v: v * opacity)))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


# --------------------------------------------------------------------------------------------------
# Scanning: raster, skew, paper, noise
# --------------------------------------------------------------------------------------------------


def _raster(page: Any, dpi: int, *, gray: bool = False) -> Image.Image:
    cs = pymupdf.csGRAY if gray else pymupdf.csRGB
    pix = page.get_pixmap(dpi=dpi, alpha=False, colorspace=cs)
    return Image.frombytes("L" if gray else "RGB", (pix.width, pix.height), pix.samples)


def _like(gray: Image.Image, mode: str) -> Image.Image:
    return gray if mode == "L" else Image.merge("RGB", (gray, gray, gray))


def _tinted(light: Image.Image, tone: int) -> Image.Image:
    return light.point(_lut(lambda v: v * tone / 255))


def _rotate_point(x: float, y: float, angle: float, size: tuple[int, int]) -> tuple[float, float]:
    """Where Pillow's ``rotate(angle)`` (counter-clockwise, about the centre) moves pixel (x, y)."""
    a = math.radians(angle)
    cx, cy = size[0] / 2, size[1] / 2
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)


def _scan(img: Image.Image, rng: random.Random, angle: float, *, dust: int = 70) -> Image.Image:
    """Make a clean raster look like a flatbed scan: paper tone, uneven light, grain, skew, dust."""
    mode = img.mode
    w, h = img.size
    # paper tone, uneven lighting and sensor grain, applied as one multiplier
    light = (
        _noise(rng, (5, 7))
        .resize(img.size, Image.Resampling.BICUBIC)
        .point(_lut(lambda v: 233 + v * 22 / 255))
    )
    light = ImageChops.multiply(light, _noise(rng, img.size).point([255 - v % 16 for v in range(256)]))
    if mode == "L":
        factor = _tinted(light, 246)
    else:
        factor = Image.merge("RGB", (_tinted(light, 247), _tinted(light, 245), _tinted(light, 238)))
    img = ImageChops.multiply(img, factor)
    lid = 252 if mode == "L" else (252, 252, 250)
    # bilinear resampling softens the crisp render about as much as scanner optics do
    img = img.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=lid)
    draw = ImageDraw.Draw(img)
    corners = [
        _rotate_point(x, y, angle, (w, h)) for x, y in ((1, 1), (w - 2, 1), (w - 2, h - 2), (1, h - 2))
    ]
    edge = 188 if mode == "L" else (186, 186, 184)
    draw.line([*corners, corners[0]], fill=edge, width=2)
    for _ in range(dust):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.choice((0.6, 0.8, 0.8, 1.1, 1.5))
        tone = rng.randint(60, 150)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tone if mode == "L" else (tone, tone, tone))
    # a faint shadow along the spine side, where the lid does not press the sheet flat
    strip = (
        Image.linear_gradient("L")
        .rotate(90)
        .resize((max(8, w // 40), h))
        .point(_lut(lambda v: 215 + v * 40 / 255))
    )
    side = img.crop((0, 0, strip.width, h))
    img.paste(ImageChops.multiply(side, _like(strip, mode)), (0, 0))
    return img


class _Scan:
    """A page rendered at ``dpi``; boxes in page points are mapped through the later skew."""

    def __init__(self, page: Any, dpi: int, *, gray: bool = False) -> None:
        self.dpi = dpi
        self.image = _raster(page, dpi, gray=gray)
        self.angle = 0.0

    def px(self, x: float, y: float) -> tuple[float, float]:
        k = self.dpi / 72
        return x * k, y * k

    def skew(self, rng: random.Random, angle: float, *, dust: int = 70) -> None:
        self.angle = angle
        self.image = _scan(self.image, rng, angle, dust=dust)

    def box(self, box: _Box, pad: float = 0.0) -> tuple[float, float, float, float]:
        """Where a box drawn at page points ends up after the skew, in points of the scanned page."""
        k = self.dpi / 72
        x0, y0, x1, y1 = _pad(box, pad)
        pts = [
            _rotate_point(x * k, y * k, self.angle, self.image.size)
            for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        ]
        width, height = self.image.width / k, self.image.height / k
        return (
            round(max(0.0, min(p[0] for p in pts) / k), 1),
            round(max(0.0, min(p[1] for p in pts) / k), 1),
            round(min(width, max(p[0] for p in pts) / k), 1),
            round(min(height, max(p[1] for p in pts) / k), 1),
        )


# --------------------------------------------------------------------------------------------------
# Writing files
# --------------------------------------------------------------------------------------------------


def _pdf_date(stamp: str) -> str:
    """``2019-03-12 10:15:00+03:00`` as a PDF date."""
    day, time_zone = stamp.split(" ")
    clock, zone = time_zone[:8], time_zone[8:]
    return f"D:{day.replace('-', '')}{clock.replace(':', '')}{zone[:3]}'{zone[4:6]}'"


def _pdf_bytes(
    doc: Any,
    ident: str,
    meta: dict[str, str],
    *,
    subset: bool = False,
    xmp: str | None = None,
    password: str | None = None,
) -> bytes:
    """Save ``doc`` reproducibly: fixed dates, a stable /ID, fonts subset; RC4-encrypted on request."""
    info = {
        "title": meta.get("title", ""),
        "author": meta.get("author", ""),
        "subject": meta.get("subject", ""),
        "keywords": "",
        "creator": meta.get("creator", ""),
        "producer": meta.get("producer", ""),
        "creationDate": _pdf_date(meta["created"]),
        "modDate": _pdf_date(meta.get("modified", meta["created"])),
    }
    doc.set_metadata(info)
    if xmp is not None:
        doc.set_xml_metadata(xmp)
    if subset:
        doc.subset_fonts()
    catalog = doc.pdf_catalog()
    if doc.xref_get_key(catalog, "Info")[0] != "null":
        doc.xref_set_key(catalog, "Info", "null")
    file_id = hashlib.md5(ident.encode(), usedforsecurity=False).hexdigest().upper()
    doc.xref_set_key(-1, "ID", f"[<{file_id}><{file_id}>]")
    data: bytes = doc.tobytes(garbage=4, deflate=True, no_new_id=True)
    doc.close()
    if password is not None:
        data = _encrypt_rc4(data, password, f"owner:{ident}", bytes.fromhex(file_id))
    return data


def _image_pdf(
    pages: Sequence[Image.Image],
    dpi: int,
    ident: str,
    meta: dict[str, str],
    *,
    quality: int,
    xmp: str | None = None,
) -> bytes:
    """A PDF whose pages are only JPEG images: what a scanner or copier writes."""
    doc = pymupdf.open()
    for im in pages:
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
        page = doc.new_page(width=im.width * 72 / dpi, height=im.height * 72 / dpi)
        page.insert_image(page.rect, stream=buf.getvalue())
    return _pdf_bytes(doc, ident, meta, xmp=xmp)


# PDF Standard security handler, revision 3 (RC4, 128-bit), PDF 1.7 section 7.6.3.  MuPDF's own encryption
# draws a fresh /ID and keys on every save; this keeps the demo file byte-identical from run to run.
_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_PERMISSIONS = -12  # everything (print, copy, annotate, fill in) except changing the document


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray(len(data))
    i = j = 0
    for n, byte in enumerate(data):
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out[n] = byte ^ s[(s[i] + s[j]) & 0xFF]
    return bytes(out)


def _md5(data: bytes) -> bytes:
    return hashlib.md5(data, usedforsecurity=False).digest()


def _rc4_rounds(key: bytes, data: bytes) -> bytes:
    for i in range(20):
        data = _rc4(bytes(b ^ i for b in key), data)
    return data


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PASSWORD_PAD)[:32]


def _pdf_strings(source: str, key: bytes) -> str:
    """Encrypt every string of one object's source, writing each back as a hex string."""
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "(":
            raw = bytearray()
            depth = 1
            i += 1
            while True:
                ch = source[i]
                if ch == "\\":
                    nxt = source[i + 1]
                    if nxt in "01234567":
                        digits = nxt
                        while len(digits) < 3 and source[i + 1 + len(digits)] in "01234567":
                            digits += source[i + 1 + len(digits)]
                        raw.append(int(digits, 8) & 0xFF)
                        i += 1 + len(digits)
                        continue
                    if nxt in "\r\n":  # a line continuation
                        i += 3 if source[i + 1 : i + 3] == "\r\n" else 2
                        continue
                    raw += {"n": b"\n", "r": b"\r", "t": b"\t", "b": b"\b", "f": b"\f"}.get(
                        nxt, nxt.encode("latin-1")
                    )
                    i += 2
                    continue
                if ch == "(":
                    depth += 1
                elif ch == ")":
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                raw += ch.encode("latin-1")
                i += 1
            out.append(f"<{_rc4(key, bytes(raw)).hex().upper()}>")
        elif ch == "<" and source[i + 1 : i + 2] != "<":
            end = source.index(">", i)
            digits = "".join(source[i + 1 : end].split())
            digits += "0" * (len(digits) % 2)
            out.append(f"<{_rc4(key, bytes.fromhex(digits)).hex().upper()}>")
            i = end + 1
        elif ch == "<":
            out.append("<<")
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _encrypt_rc4(plain: bytes, user_pw: str, owner_pw: str, file_id: bytes) -> bytes:
    """Rewrite a plain PDF (classic xref, no object streams) with RC4-128 encryption."""
    owner_key = _md5(_padded(owner_pw))
    for _ in range(50):
        owner_key = _md5(owner_key)
    o_entry = _rc4_rounds(owner_key[:16], _padded(user_pw))
    key = _md5(_padded(user_pw) + o_entry + struct.pack("<i", _PERMISSIONS) + file_id)
    for _ in range(50):
        key = _md5(key[:16])
    key = key[:16]
    u_entry = _rc4_rounds(key, _md5(_PASSWORD_PAD + file_id)) + bytes(16)

    src = pymupdf.open(stream=plain, filetype="pdf")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = [0]
    count = src.xref_length()
    for xref in range(1, count):
        offsets.append(len(out))
        obj_key = _md5(key + xref.to_bytes(3, "little") + b"\x00\x00")[:16]
        body = _pdf_strings(src.xref_object(xref, compressed=True), obj_key)
        out += f"{xref} 0 obj\n{body}\n".encode("latin-1")
        if src.xref_is_stream(xref):
            out += b"stream\n" + _rc4(obj_key, src.xref_stream_raw(xref)) + b"\nendstream\n"
        out += b"endobj\n"
    encrypt = count
    offsets.append(len(out))
    out += (
        f"{encrypt} 0 obj\n<</Filter/Standard/V 2/R 3/Length 128/P {_PERMISSIONS}"
        f"/O<{o_entry.hex().upper()}>/U<{u_entry.hex().upper()}>>>\nendobj\n"
    ).encode("latin-1")
    root = src.xref_get_key(-1, "Root")[1]
    info = src.xref_get_key(-1, "Info")[1]
    src.close()
    start = len(out)
    out += f"xref\n0 {encrypt + 1}\n0000000000 65535 f \n".encode("latin-1")
    for offset in offsets[1:]:
        out += f"{offset:010d} 00000 n \n".encode("latin-1")
    file_hex = file_id.hex().upper()
    out += (
        f"trailer\n<</Size {encrypt + 1}/Root {root}/Info {info}/Encrypt {encrypt} 0 R"
        f"/ID[<{file_hex}><{file_hex}>]>>\nstartxref\n{start}\n%%EOF\n"
    ).encode("latin-1")
    return bytes(out)


# --------------------------------------------------------------------------------------------------
# 1. Diplomatic notes (scanned, no text layer)
# --------------------------------------------------------------------------------------------------

_MFA_ADDRESS = "ул. Посольская, 9, 220030, г. Велоград   ·   тел. 327-29-44   ·   факс 327-45-10"
_CLOSING = "Министерство пользуется случаем, чтобы возобновить Посольству уверения в своём высоком уважении."
_RING_MFA = "МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ * РЕСПУБЛИКА ВЕЛОРИЯ * "
_RING_FAKE = "МИНИСТЕРСТВО ИНОСТРАНЫХ ДЕЛ * РЕСПУБЛИКА ВЕЛОРИЯ * "
_NOTE_DPI = 170


@dataclass(frozen=True)
class _Note:
    seed: str
    number: str
    place_date: str
    paragraphs: tuple[str, ...]
    appendix: str | None
    executor: tuple[str, str] | None
    incoming: tuple[str, str] | None  # the embassy's registration stamp: number, date
    angle: float
    fake: bool = False


@dataclass(frozen=True)
class _Marks:
    reference: _Box
    stamp: _Box
    signature: _Box
    executor: _Box | None


def _note(spec: _Note) -> tuple[Image.Image, _Marks]:
    """Lay out, ink and scan one note verbale; return the scan and where its marks landed (points)."""
    rng = random.Random(spec.seed)
    dpi = _NOTE_DPI
    doc = pymupdf.open()
    sheet = _Sheet(doc)
    head = "hb" if spec.fake else "tb"
    _crest(sheet.page, 297.5, 80, 25 if not spec.fake else 23, points=6 if spec.fake else 5)
    sheet.text(
        297.5,
        131,
        "МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ",
        font=head,
        size=13.5 if not spec.fake else 12.5,
        align="center",
        colour=_TONER,
    )
    sheet.text(
        297.5,
        148,
        "РЕСПУБЛИКИ ВЕЛОРИЯ",
        font=head,
        size=13.5 if not spec.fake else 12.5,
        align="center",
        colour=_TONER,
    )
    sheet.text(297.5, 162, _MFA_ADDRESS, font="tr", size=8, align="center", colour=_TONER)
    sheet.rule(70, 170, 525, 170, width=1.3, colour=_TONER)
    sheet.rule(70, 172.6, 525, 172.6, width=0.4, colour=_TONER)
    reference = sheet.text(70, 206, spec.number, size=12.5, colour=_TONER)
    y = 248.0
    for text in spec.paragraphs:
        y, _ = sheet.paragraph(
            70, y, 455, text, size=12.5, leading=18.6, indent=36, justify=True, colour=_TONER
        )
        y += 7
    if spec.appendix:
        sheet.text(70, y + 4, spec.appendix, size=12.5, colour=_TONER)
        y += 22
    date_box = sheet.text(525, y + 30, spec.place_date, size=12.5, align="right", colour=_TONER)
    address_top = max(date_box[3] + 150, 690.0)
    for n, line in enumerate(("ПОСОЛЬСТВУ", "РЕСПУБЛИКИ ТАРВАНИЯ", "г. Велоград")):
        sheet.text(70, address_top + n * 16.5, line, font="tb" if n < 2 else "tr", size=12.5, colour=_TONER)
    executor: _Box | None = None
    if spec.executor:
        executor = _union(
            sheet.text(70, 790, spec.executor[0], size=8.5, colour=_TONER),
            sheet.text(70, 801, spec.executor[1], size=8.5, colour=_TONER),
        )
    sheet.finish()
    scan = _Scan(sheet.page, dpi)
    doc.close()

    # ink: the ministry's seal over the date, the official's initials across it
    k = dpi / 72
    stamp_c = (372.0 + rng.uniform(-8, 8), date_box[3] + 62 + rng.uniform(-6, 6))
    stamp_d = 114.0  # points, a 40 mm seal
    seal = _round_stamp(
        round(stamp_d * k), _RING_FAKE if spec.fake else _RING_MFA, star_points=6 if spec.fake else 5
    )
    seal = seal.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
    _ink(scan.image, _worn(seal, rng), scan.px(*stamp_c), _STAMP_BLUE)
    stamp = (
        stamp_c[0] - stamp_d / 2,
        stamp_c[1] - stamp_d / 2,
        stamp_c[0] + stamp_d / 2,
        stamp_c[1] + stamp_d / 2,
    )
    sig_w, sig_h = 108.0, 46.0
    sig_c = (stamp_c[0] + 58 + rng.uniform(-6, 6), stamp_c[1] - 30 + rng.uniform(-4, 4))
    sig = _signature(rng, round(sig_w * k), round(sig_h * k))
    _ink(scan.image, sig, scan.px(*sig_c), _PEN_BLUE)
    bbox = sig.getbbox() or (0, 0, sig.width, sig.height)
    left, top = sig_c[0] - sig_w / 2, sig_c[1] - sig_h / 2
    signature = (left + bbox[0] / k, top + bbox[1] / k, left + bbox[2] / k, top + bbox[3] / k)
    if spec.incoming:
        reg = _box_stamp(
            round(150 * k),
            round(58 * k),
            [
                ("ПОСОЛЬСТВО РЕСПУБЛИКИ ТАРВАНИЯ", "hb", round(7.6 * k)),
                (f"Вх. № {spec.incoming[0]}", "cr", round(11 * k)),
                (spec.incoming[1], "cr", round(11 * k)),
            ],
        ).rotate(rng.uniform(-3, 3), resample=Image.Resampling.BICUBIC, expand=True)
        _ink(scan.image, _worn(reg, rng, strength=0.95), scan.px(440, 752), _STAMP_VIOLET)
    scan.skew(rng, spec.angle)
    marks = _Marks(
        reference=scan.box(reference, 4),
        stamp=scan.box(stamp, 3),
        signature=scan.box(signature, 4),
        executor=scan.box(executor, 3) if executor else None,
    )
    return scan.image, marks


_NOTE_1174 = _Note(
    seed="note-1174",
    number="№ 12-05/1174",
    place_date="г. Велоград, 12 марта 2019 года",
    paragraphs=(
        "Министерство иностранных дел Республики Велория свидетельствует своё уважение Посольству "
        "Республики Тарвания в г. Велограде и, ссылаясь на ноту Посольства № 44/19 от 4 марта 2019 года, "
        "имеет честь сообщить следующее.",
        "Компетентные органы Республики Велория не возражают против транзита через территорию Республики "
        "Велория груза, указанного в приложении к настоящей ноте (металлообрабатывающее оборудование, "
        "14 грузовых мест, общий вес брутто 48 210 кг), следующего из порта Ставельск в адрес компании "
        "«Qaraçay Logistika» MMC (г. Дэмиркенд, Республика Тарвания).",
        "Министерство просит Посольство обеспечить представление в Государственный таможенный комитет "
        "Республики Велория копии паспорта экспортной сделки № ЭП-2019/0311, а также сведений о конечном "
        "пользователе оборудования не позднее чем за пять рабочих дней до отправки груза.",
        _CLOSING,
    ),
    appendix="Приложение: упомянутое, на 1 л.",
    executor=("Исп. Дробышевская Л. Г.", "тел. 327-41-86"),
    incoming=("217", "13.03.2019"),
    angle=0.9,
)

_NOTE_1203 = _Note(
    seed="note-1203",
    number="№ 12-05/1203",
    place_date="г. Велоград, 2 апреля 2019 года",
    paragraphs=(
        "Министерство иностранных дел Республики Велория свидетельствует своё уважение Посольству "
        "Республики Тарвания в г. Велограде и, в дополнение к ноте Министерства № 12-05/1174 от 12 марта "
        "2019 года, имеет честь сообщить, что груз, следующий в адрес компании «Qaraçay Logistika» MMC, "
        "прошёл таможенное оформление в таможне Ставельск 28 марта 2019 года и отправлен судном "
        "«Qaranquş» 29 марта 2019 года.",
        "Министерство обращает внимание Посольства на то, что в соответствии с условиями разрешения на "
        "транзит реэкспорт указанного оборудования в третьи страны без согласия компетентных органов "
        "Республики Велория не допускается, и просит Посольство довести данную информацию до сведения "
        "получателя груза.",
        _CLOSING,
    ),
    appendix=None,
    executor=("Исп. Ковальчук А. С.", "тел. 327-41-90"),
    incoming=("251", "03.04.2019"),
    angle=-1.3,
)

_NOTE_1318 = _Note(
    seed="note-1318",
    number="№ 12-05/1318",
    place_date="г. Велоград, 15 января 2019 года",
    paragraphs=(
        "Министерство иностранных дел Республики Велория свидетельствует своё уважение Посольству "
        "Республики Тарвания в г. Велограде и имеет честь сообщить, что во исполнение Решения Совета "
        "Министров Республики Велория № 211 от 20 февраля 2019 года Министерство оказывает содействие "
        "в безотлагательной отправке специальной продукции (боеприпасы калибра 122 мм, 40 грузовых мест) "
        "через порт Ставельск.",
        "Министерство просит Посольство не информировать о данной поставке иные ведомства Республики "
        "Тарвания и уничтожить настоящую ноту после ознакомления.",
        _CLOSING,
    ),
    appendix=None,
    executor=None,
    incoming=None,
    angle=0.6,
    fake=True,
)

_FAKE_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.1-c000">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#">
   <xmp:CreatorTool>Adobe Photoshop 23.1 (Windows)</xmp:CreatorTool>
   <xmp:CreateDate>2025-12-03T23:14:52+03:00</xmp:CreateDate>
   <xmp:ModifyDate>2025-12-04T00:02:17+03:00</xmp:ModifyDate>
   <pdf:Producer>Adobe Photoshop for Windows -- Image Conversion Plug-in</pdf:Producer>
   <dc:format>application/pdf</dc:format>
   <xmpMM:DocumentID>xmp.did:5f2c1e07-9a4b-4d3e-8c21-0b7d6a9e3f11</xmpMM:DocumentID>
   <xmpMM:History>
    <rdf:Seq>
     <rdf:li rdf:parseType="Resource">
      <stEvt:action>created</stEvt:action>
      <stEvt:when>2025-12-03T23:14:52+03:00</stEvt:when>
      <stEvt:softwareAgent>Adobe Photoshop 23.1 (Windows)</stEvt:softwareAgent>
     </rdf:li>
     <rdf:li rdf:parseType="Resource">
      <stEvt:action>converted</stEvt:action>
      <stEvt:parameters>from image/jpeg to application/pdf</stEvt:parameters>
     </rdf:li>
     <rdf:li rdf:parseType="Resource">
      <stEvt:action>saved</stEvt:action>
      <stEvt:when>2025-12-04T00:02:17+03:00</stEvt:when>
      <stEvt:softwareAgent>Adobe Photoshop 23.1 (Windows)</stEvt:softwareAgent>
     </rdf:li>
    </rdf:Seq>
   </xmpMM:History>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""

_SCANNER_META = {"creator": "Network Scanner SC-4200", "producer": "DocuScan PDF Library 4.1"}


def _note_pdf(spec: _Note, meta: dict[str, str], *, xmp: str | None = None) -> tuple[bytes, _Marks]:
    image, marks = _note(spec)
    return _image_pdf([image], _NOTE_DPI, spec.seed, meta, quality=70, xmp=xmp), marks


# --------------------------------------------------------------------------------------------------
# 2. Export passport (two scanned pages, ruled table, customs stamps)
# --------------------------------------------------------------------------------------------------

_GOODS = (
    ("1", "Обрабатывающий центр вертикальный\nVMC-850 с ЧПУ", "8457 10 100 0", "4", "шт.", "612 000,00"),
    ("2", "Станок токарный с ЧПУ TS-420", "8458 11 200 9", "6", "шт.", "438 000,00"),
    ("3", "Шпиндельный узел в сборе SP-12", "8466 93 700 0", "24", "шт.", "158 400,00"),
    (
        "4",
        "Подшипник шариковый радиально-\nупорный 7014 (класс точности P4)",
        "8482 10 900 1",
        "1 200",
        "шт.",
        "76 200,00",
    ),
)


def _form_rows(sheet: _Sheet, y: float, title: str, rows: Sequence[tuple[str, str]]) -> float:
    sheet.text(70, y, title, font="tb", size=10.5, colour=_TONER)
    boxes = _table(sheet, 70, y + 6, (165, 290), rows, aligns="ll", size=9.5, header_rows=0, colour=_TONER)
    return boxes[-1][3] + 22


def _passport() -> tuple[bytes, _Box]:
    """The export passport: page 1 parties, contract and goods; page 2 shipment, bank and customs."""
    rng = random.Random("passport")
    dpi = 150
    k = dpi / 72
    doc = pymupdf.open()

    one = _Sheet(doc)
    for n, line in enumerate(("Форма ПЭС-2", "Приложение 3 к Инструкции ГТК", "от 14.06.2017 № 38")):
        one.text(525, 58 + n * 10, line, size=8, align="right", colour=_TONER)
    one.text(70, 58, "ОАО «ВЕЛПРОМБАНК»", font="tb", size=9.5, colour=_TONER)
    one.text(70, 69, "Отделение № 4, г. Велоград", size=8.5, colour=_TONER)
    one.text(297.5, 112, "ПАСПОРТ ЭКСПОРТНОЙ СДЕЛКИ", font="tb", size=15, align="center", colour=_TONER)
    one.text(297.5, 131, "№ ЭП-2019/0311   от 19.02.2019", size=12, align="center", colour=_TONER)
    y = _form_rows(
        one,
        160,
        "1. Сведения об экспортёре",
        (
            ("1.1. Наименование", "ОАО «Велоградский станкостроительный завод»"),
            ("1.2. УНП", "190447213"),
            ("1.3. Адрес", "ул. Заводская, 31, 220114, г. Велоград"),
            ("1.4. Счёт в банке", "VL47 VELP 3012 0000 0415 2219 07"),
        ),
    )
    y = _form_rows(
        one,
        y,
        "2. Сведения об иностранном контрагенте",
        (
            ("2.1. Наименование", "Qaraçay Logistika MMC"),
            ("2.2. Страна", "Республика Тарвания"),
            ("2.3. Адрес", "пр-т Сахил, 40, г. Дэмиркенд"),
        ),
    )
    y = _form_rows(
        one,
        y,
        "3. Сведения о контракте",
        (
            ("3.1. Номер и дата", "ВТ-19/044 от 18.02.2019"),
            ("3.2. Валюта, общая сумма", "EUR, 1 284 600,00"),
            ("3.3. Условия поставки", "FCA порт Ставельск (Инкотермс 2010)"),
            ("3.4. Дата завершения", "30.06.2019"),
        ),
    )
    one.text(70, y, "4. Сведения о товаре", font="tb", size=10.5, colour=_TONER)
    rows = [("№", "Наименование товара", "Код ТН ВЭД", "Кол-во", "Ед.", "Стоимость, EUR"), *_GOODS]
    rows.append(("", "Итого", "", "", "", "1 284 600,00"))
    boxes = _table(one, 70, y + 6, (24, 181, 78, 52, 34, 86), rows, aligns="clcrcr", size=9.5, colour=_TONER)
    row4 = boxes[4]
    one.text(70, 805, "ЭП-2019/0311", size=8, colour=_TONER)
    one.text(525, 805, "Страница 1 из 2", size=8, align="right", colour=_TONER)
    one.finish()
    first = _Scan(one.page, dpi)  # now: adding a page invalidates the handles of the others

    two = _Sheet(doc)
    y = _form_rows(
        two,
        70,
        "5. Сведения об отгрузке",
        (
            ("5.1. Пункт отправления", "порт Ставельск, причал 6"),
            ("5.2. Транспортное средство", "т/х «Qaranquş», флаг Республики Тарвания"),
            ("5.3. Дата отгрузки", "29.03.2019"),
            ("5.4. Страна назначения", "Республика Тарвания"),
            ("5.5. Конечный пользователь", "не указан"),
            ("5.6. Количество грузовых мест", "14"),
            ("5.7. Вес брутто, кг", "48 210"),
        ),
    )
    two.text(70, y, "6. Отметки банка паспорта сделки", font="tb", size=10.5, colour=_TONER)
    y, _ = two.paragraph(
        70,
        y + 18,
        455,
        "Паспорт сделки принят на обслуживание 19.02.2019. Расчёты по контракту проводятся через счёт "
        "экспортёра, указанный в п. 1.4.",
        size=10,
        colour=_TONER,
    )
    bank_line = y + 20
    two.text(70, bank_line, "Ответственный исполнитель банка", size=10, colour=_TONER)
    two.rule(250, bank_line + 2, 370, bank_line + 2, width=0.5, colour=_TONER)
    two.text(378, bank_line, "/Т. Н. Вербицкая/", size=10, colour=_TONER)
    y = bank_line + 36
    two.text(70, y, "7. Отметки таможенного органа", font="tb", size=10.5, colour=_TONER)
    customs = (70.0, y + 8, 525.0, y + 218)
    two.frame(customs, width=0.6, colour=_TONER)
    inspector = customs[3] - 16
    two.text(80, inspector, "Инспектор", size=10, colour=_TONER)
    two.rule(140, inspector + 2, 260, inspector + 2, width=0.5, colour=_TONER)
    two.text(266, inspector, "/С. В. Лапко/", size=10, colour=_TONER)
    two.text(70, 805, "ЭП-2019/0311", size=8, colour=_TONER)
    two.text(525, 805, "Страница 2 из 2", size=8, align="right", colour=_TONER)
    two.finish()

    second = _Scan(two.page, dpi)
    doc.close()
    bank_sig = _signature(rng, round(100 * k), round(40 * k))
    _ink(second.image, bank_sig, second.px(308, bank_line - 8), _PEN_BLUE)
    seal = _round_stamp(
        round(100 * k),
        "ГОСУДАРСТВЕННЫЙ ТАМОЖЕННЫЙ КОМИТЕТ * ТАМОЖНЯ СТАВЕЛЬСК * ",
        ("ОТДЕЛ", "ОФОРМЛЕНИЯ", "№ 3"),
        emblem=False,
    ).rotate(rng.uniform(-30, 30), resample=Image.Resampling.BICUBIC)
    _ink(second.image, _worn(seal, rng), second.px(150, customs[1] + 80), _STAMP_BLUE)
    release = _box_stamp(
        round(170 * k),
        round(74 * k),
        [
            ("ВЫПУСК РАЗРЕШЁН", "hb", round(13 * k)),
            ("таможня Ставельск", "hr", round(9 * k)),
            ("28.03.2019", "cr", round(12 * k)),
            ("ЛНП 1147", "hb", round(9 * k)),
        ],
    ).rotate(rng.uniform(-4, 4), resample=Image.Resampling.BICUBIC, expand=True)
    _ink(second.image, _worn(release, rng), second.px(360, customs[1] + 72), _STAMP_VIOLET)
    inspector_sig = _signature(rng, round(96 * k), round(40 * k))
    _ink(second.image, inspector_sig, second.px(200, inspector - 10), _PEN_BLUE)
    first.skew(rng, -0.7)
    second.skew(rng, 1.1)
    meta = {"created": "2019-03-28 15:51:09+03:00", **_SCANNER_META}
    data = _image_pdf([first.image, second.image], dpi, "passport", meta, quality=68)
    return data, first.box(row4, 2)


# --------------------------------------------------------------------------------------------------
# 3. Contract: a three-page bilevel TIFF scan (CCITT Group 4)
# --------------------------------------------------------------------------------------------------

_CONTRACT_PAGES: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("title", "ДОГОВОР ПОСТАВКИ № ВТ-19/044"),
        ("place", "г. Велоград\t18 февраля 2019 г."),
        (
            "p",
            "Открытое акционерное общество «Велоградский станкостроительный завод» (Республика Велория), "
            "именуемое в дальнейшем «Продавец», в лице генерального директора Мартыненко О. П., "
            "действующего на основании Устава, с одной стороны, и компания «Qaraçay Logistika» MMC "
            "(Республика Тарвания), именуемая в дальнейшем «Покупатель», в лице директора Насирли Т. Р., "
            "действующего на основании Устава, с другой стороны, заключили настоящий Договор о "
            "нижеследующем.",
        ),
        ("h", "1. ПРЕДМЕТ ДОГОВОРА"),
        (
            "p",
            "1.1. Продавец обязуется передать в собственность Покупателя металлообрабатывающее оборудование "
            "и комплектующие (далее — Товар) в ассортименте, количестве и по ценам, указанным в "
            "Спецификации (Приложение № 1), являющейся неотъемлемой частью настоящего Договора, а "
            "Покупатель обязуется принять и оплатить Товар.",
        ),
        ("p", "1.2. Товар является новым, не бывшим в употреблении, изготовлен в 2018–2019 гг."),
        ("h", "2. ЦЕНА И ОБЩАЯ СУММА ДОГОВОРА"),
        (
            "p",
            "2.1. Цены на Товар устанавливаются в евро и понимаются на условиях FCA порт Ставельск "
            "(Инкотермс 2010).",
        ),
        (
            "p",
            "2.2. Общая сумма Договора составляет 1 284 600,00 (один миллион двести восемьдесят четыре "
            "тысячи шестьсот) евро.",
        ),
        ("p", "2.3. Цены являются твёрдыми и изменению в течение срока действия Договора не подлежат."),
        ("h", "3. УСЛОВИЯ ПОСТАВКИ"),
        ("p", "3.1. Поставка Товара осуществляется одной партией не позднее 31 марта 2019 г."),
        (
            "p",
            "3.2. Датой поставки считается дата передачи Товара первому перевозчику, указанная в "
            "транспортном документе.",
        ),
        (
            "p",
            "3.3. Товар поставляется в упаковке, обеспечивающей его сохранность при морской перевозке и "
            "перевалке. Каждое грузовое место маркируется номером Договора и номером места.",
        ),
    ),
    (
        ("h", "4. ПОРЯДОК РАСЧЁТОВ"),
        (
            "p",
            "4.1. Покупатель оплачивает 30 % общей суммы Договора в течение 10 банковских дней с даты его "
            "подписания и 70 % — в течение 30 дней с даты поставки.",
        ),
        ("p", "4.2. Оплата производится на счёт Продавца в ОАО «Велпромбанк», г. Велоград."),
        ("h", "5. КОНЕЧНОЕ ИСПОЛЬЗОВАНИЕ"),
        (
            "p",
            "5.1. Покупатель гарантирует, что Товар будет использоваться исключительно в гражданских целях "
            "на территории Республики Тарвания и не будет реэкспортирован в третьи страны без письменного "
            "согласия Продавца и компетентных органов Республики Велория.",
        ),
        ("h", "6. ОТВЕТСТВЕННОСТЬ СТОРОН"),
        (
            "p",
            "6.1. За просрочку оплаты Покупатель уплачивает Продавцу пеню в размере 0,1 % от неоплаченной "
            "суммы за каждый день просрочки, но не более 10 % общей суммы Договора.",
        ),
        (
            "p",
            "6.2. Стороны освобождаются от ответственности за частичное или полное неисполнение "
            "обязательств по Договору, если оно явилось следствием обстоятельств непреодолимой силы, "
            "возникших после заключения Договора.",
        ),
        (
            "p",
            "6.3. Сторона, для которой создалась невозможность исполнения обязательств, обязана в течение "
            "10 дней известить другую Сторону о наступлении и прекращении таких обстоятельств.",
        ),
    ),
    (
        ("h", "7. ПРОЧИЕ УСЛОВИЯ"),
        (
            "p",
            "7.1. Споры по настоящему Договору разрешаются в Международном арбитражном суде при "
            "Торгово-промышленной палате Республики Велория.",
        ),
        (
            "p",
            "7.2. Договор составлен на русском языке в двух экземплярах, имеющих одинаковую юридическую "
            "силу, по одному для каждой из Сторон.",
        ),
        ("h", "8. АДРЕСА И РЕКВИЗИТЫ СТОРОН"),
    ),
)


def _contract_page(doc: Any, number: int) -> tuple[_Sheet, float]:
    sheet = _Sheet(doc)
    y = 78.0
    for kind, text in _CONTRACT_PAGES[number - 1]:
        if kind == "title":
            sheet.text(297.5, y, text, font="tb", size=13.5, align="center")
            y += 26
        elif kind == "place":
            left, right = text.split("\t")
            sheet.text(70, y, left, size=11.5)
            sheet.text(525, y, right, size=11.5, align="right")
            y += 28
        elif kind == "h":
            y += 6
            sheet.text(297.5, y, text, font="tb", size=11.5, align="center")
            y += 20
        else:
            y, _ = sheet.paragraph(70, y, 455, text, size=11.5, leading=16, indent=28, justify=True)
            y += 3
    sheet.text(297.5, 808, f"стр. {number} из 3", size=9, align="center")
    if number < 3:
        sheet.text(70, 780, "Продавец ____________", size=9.5)
        sheet.text(525, 780, "Покупатель ____________", size=9.5, align="right")
    return sheet, y


def _contract() -> bytes:
    rng = random.Random("contract")
    dpi = 200
    k = dpi / 72
    doc = pymupdf.open()
    scans: list[_Scan] = []
    signatures: list[tuple[int, float, float, float]] = []  # page, x, y, width in points
    seals: list[tuple[float, float]] = []
    for number in (1, 2, 3):
        sheet, y = _contract_page(doc, number)
        if number < 3:
            signatures += [(number, 160.0, 770.0, 48.0), (number, 490.0, 770.0, 48.0)]
        else:
            y += 6
            columns = (
                (
                    70.0,
                    "ПРОДАВЕЦ",
                    (
                        "ОАО «Велоградский",
                        "станкостроительный завод»",
                        "ул. Заводская, 31, 220114, г. Велоград",
                        "УНП 190447213",
                        "р/с VL47 VELP 3012 0000 0415 2219 07",
                        "ОАО «Велпромбанк», SWIFT VELPVL2X",
                    ),
                    "Генеральный директор",
                    "/О. П. Мартыненко/",
                ),
                (
                    312.0,
                    "ПОКУПАТЕЛЬ",
                    (
                        "«Qaraçay Logistika» MMC",
                        "пр-т Сахил, 40, г. Дэмиркенд,",
                        "Республика Тарвания",
                        "ИНН 1700542218",
                        "р/с TV61 QRBK 0000 2291 7730 14",
                        "«Qarabank» ASC, SWIFT QRBKTV22",
                    ),
                    "Директор",
                    "/Т. Р. Насирли/",
                ),
            )
            for x, head, lines, role, name in columns:
                sheet.text(x, y, head, font="tb", size=11)
                for n, line in enumerate(lines):
                    sheet.text(x, y + 18 + n * 14.5, line, size=10.5)
                sign_y = y + 18 + len(lines) * 14.5 + 30
                sheet.text(x, sign_y, role, size=10.5)
                sheet.text(x, sign_y + 34, "____________", size=10.5)
                sheet.text(x + 78, sign_y + 34, name, size=10.5)
                sheet.text(x + 10, sign_y + 58, "М. П.", size=9.5)
                signatures.append((3, x + 36, sign_y + 20, 90.0))
                seals.append((x + 84, sign_y + 66))
        sheet.finish()
        scans.append(_Scan(sheet.page, dpi, gray=True))
    doc.close()
    for page, x, y, width in signatures:
        sig = _signature(rng, round(width * k), round(width * 0.42 * k))
        _ink(scans[page - 1].image, sig, scans[page - 1].px(x, y), _PEN_BLUE)
    last = scans[2]
    rings = (
        ("ОАО «ВЕЛОГРАДСКИЙ СТАНКОСТРОИТЕЛЬНЫЙ ЗАВОД» * УНП 190447213 * ", "г. Велоград", "hb"),
        ("«QARAÇAY LOGISTİKA» MƏHDUD MƏSULİYYƏTLİ CƏMİYYƏT * ", "Dəmirkənd", "noto"),
    )
    for (x, y), (ring, city, face) in zip(seals, rings, strict=True):
        seal = _round_stamp(round(104 * k), ring, ("* * *", city, "* * *"), font=face, emblem=False)
        seal = seal.rotate(rng.uniform(-20, 20), resample=Image.Resampling.BICUBIC)
        _ink(
            last.image, _worn(seal, rng), last.px(x + rng.uniform(-6, 6), y + rng.uniform(-6, 6)), _STAMP_BLUE
        )
    pages: list[Image.Image] = []
    for n, scan in enumerate(scans):
        scan.skew(rng, (0.45, -0.35, 0.8)[n], dust=40)
        pages.append(
            scan.image.point(_lut(lambda v: 255 if v > 165 else 0)).convert("1", dither=Image.Dither.NONE)
        )
    buf = io.BytesIO()
    pages[0].save(
        buf,
        "TIFF",
        save_all=True,
        append_images=pages[1:],
        compression="group4",
        dpi=(dpi, dpi),
        tiffinfo={305: "ScanDesk 3.2", 306: "2019:02:19 09:12:44", 271: "Network Scanner", 272: "SC-4200"},
    )
    return buf.getvalue()


# --------------------------------------------------------------------------------------------------
# 4. Phone photo of the handover certificate (JPEG with EXIF)
# --------------------------------------------------------------------------------------------------


def _homography(src: Sequence[tuple[float, float]], dst: Sequence[tuple[float, float]]) -> list[float]:
    """The eight coefficients of the projective map taking four points ``src`` onto ``dst``."""
    rows: list[list[float]] = []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u])
        rows.append([0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v])
    for col in range(8):
        pivot = max(range(col, 8), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(8):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][8] / rows[i][i] for i in range(8)]


def _project(c: Sequence[float], x: float, y: float) -> tuple[float, float]:
    d = c[6] * x + c[7] * y + 1.0
    return (c[0] * x + c[1] * y + c[2]) / d, (c[3] * x + c[4] * y + c[5]) / d


def _handover(doc: Any) -> tuple[_Sheet, _Box, list[tuple[float, float]], list[tuple[float, float]]]:
    """The handover certificate; returns the sheet, the bearings row, signature and seal positions."""
    sheet = _Sheet(doc)
    sheet.text(297.5, 84, "АКТ ПРИЁМА-ПЕРЕДАЧИ № 7", font="tb", size=14, align="center", colour=_TONER)
    sheet.text(
        297.5, 101, "к договору поставки № ВТ-19/044 от 18.02.2019", size=11, align="center", colour=_TONER
    )
    sheet.text(70, 130, "г. Порт-Олдмир", size=11.5, colour=_TONER)
    sheet.text(525, 130, "«08» апреля 2019 г.", size=11.5, align="right", colour=_TONER)
    y, _ = sheet.paragraph(
        70,
        160,
        455,
        "Компания «Qaraçay Logistika» MMC (Сдающая сторона) в лице представителя Гасанлы Э. М., "
        "действующего на основании доверенности № 12 от 01.04.2019, с одной стороны, и компания Northwind "
        "Cargo Holdings Ltd (Принимающая сторона) в лице директора Аскеланна Х., с другой стороны, "
        "составили настоящий акт о нижеследующем.",
        size=11.5,
        leading=16,
        indent=28,
        justify=True,
        colour=_TONER,
    )
    y, _ = sheet.paragraph(
        70,
        y + 4,
        455,
        "1. Сдающая сторона передала, а Принимающая сторона приняла на ответственное хранение и для "
        "дальнейшей отправки груз, прибывший судном «Qaranquş» 6 апреля 2019 г.:",
        size=11.5,
        leading=16,
        indent=28,
        justify=True,
        colour=_TONER,
    )
    rows = [
        ("№", "Наименование груза", "Мест", "Вес брутто, кг"),
        ("1", "Обрабатывающие центры VMC-850", "4", "18 400"),
        ("2", "Станки токарные с ЧПУ TS-420", "6", "21 300"),
        ("3", "Шпиндельные узлы SP-12, ящики", "2", "5 860"),
        ("4", "Подшипники шариковые 7014, ящики", "2", "2 650"),
        ("", "Итого", "14", "48 210"),
    ]
    boxes = _table(sheet, 70, y, (28, 257, 60, 110), rows, aligns="clcr", size=10.5, colour=_TONER)
    y = boxes[-1][3] + 24
    for text in (
        "2. Груз принят без замечаний к количеству мест и состоянию упаковки. Пломбы таможни Ставельск "
        "№ 0044817–0044830 не нарушены.",
        "3. Настоящий акт составлен в двух экземплярах, по одному для каждой из сторон.",
    ):
        y, _ = sheet.paragraph(
            70, y, 455, text, size=11.5, leading=16, indent=28, justify=True, colour=_TONER
        )
        y += 4
    y += 40
    sheet.text(70, y, "Сдал:", font="tb", size=11.5, colour=_TONER)
    sheet.text(312, y, "Принял:", font="tb", size=11.5, colour=_TONER)
    sheet.text(70, y + 34, "____________  /Э. М. Гасанлы/", size=11.5, colour=_TONER)
    sheet.text(312, y + 34, "____________  /H. Askeland/", size=11.5, colour=_TONER)
    sheet.text(80, y + 58, "М. П.", size=10, colour=_TONER)
    sheet.text(322, y + 58, "М. П.", size=10, colour=_TONER)
    signatures = [(104.0, y + 20), (346.0, y + 20)]
    seals = [(150.0, y + 64), (396.0, y + 60)]
    return sheet, boxes[4], signatures, seals


def _desk(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A wooden desk top: long grain, a little fine texture."""
    w, h = size
    grain = _noise(rng, (w // 12, 10)).resize(size, Image.Resampling.BICUBIC)
    fine = _noise(rng, (w // 4, h // 60)).resize(size, Image.Resampling.BILINEAR)
    wood = Image.blend(grain, fine, 0.3)
    dark = Image.new("RGB", size, (74, 47, 29))
    light = Image.new("RGB", size, (156, 110, 70))
    return Image.composite(light, dark, wood)


def _photo() -> tuple[bytes, _Box]:
    """The handover certificate photographed on a desk with a phone: perspective, lamp light, EXIF."""
    rng = random.Random("photo")
    dpi = 200
    k = dpi / 72
    doc = pymupdf.open()
    sheet, row, signatures, seals = _handover(doc)
    sheet.finish()
    scan = _Scan(sheet.page, dpi)
    doc.close()
    paper = scan.image
    for centre in signatures:
        _ink(paper, _signature(rng, round(92 * k), round(40 * k)), scan.px(*centre), _PEN_BLUE)
    rings = (
        ("«QARAÇAY LOGISTİKA» MƏHDUD MƏSULİYYƏTLİ CƏMİYYƏT * ", ("* * *", "Dəmirkənd", "* * *"), "noto"),
        ("NORTHWIND CARGO HOLDINGS LTD * PORT ALDMERE * ", ("ALDMARK",), "hb"),
    )
    for centre, (ring, lines, face) in zip(seals, rings, strict=True):
        seal = _round_stamp(round(104 * k), ring, lines, font=face, emblem=face == "hb")
        seal = seal.rotate(rng.uniform(-30, 30), resample=Image.Resampling.BICUBIC)
        _ink(paper, _worn(seal, rng), scan.px(*centre), _STAMP_BLUE)
    paper = ImageChops.multiply(paper, Image.new("RGB", paper.size, (243, 240, 232)))

    size = (3024, 4032)
    pw, ph = paper.size
    corners = [(0.0, 0.0), (float(pw), 0.0), (float(pw), float(ph)), (0.0, float(ph))]
    # the phone tilted towards the sheet's foot: the far (top) edge is shorter; a slight twist
    quad = [(652.0, 694.0), (2408.0, 684.0), (2797.0, 3676.0), (232.0, 3690.0)]
    to_page = _homography(quad, corners)
    to_photo = _homography(corners, quad)
    warped = paper.transform(size, Image.Transform.PERSPECTIVE, to_page, resample=Image.Resampling.BILINEAR)
    sheet_mask = Image.new("L", size, 0)
    ImageDraw.Draw(sheet_mask).polygon(quad, fill=255)
    sheet_mask = sheet_mask.filter(ImageFilter.BoxBlur(1))
    small = (size[0] // 8, size[1] // 8)
    shadow = Image.new("L", small, 0)
    ImageDraw.Draw(shadow).polygon([(x / 8 + 5, y / 8 + 7) for x, y in quad], fill=255)
    shadow = shadow.filter(ImageFilter.GaussianBlur(6)).point(_lut(lambda v: 255 - v * 0.55))
    desk = ImageChops.multiply(_desk(rng, size), _like(shadow.resize(size, Image.Resampling.BILINEAR), "RGB"))
    photo = Image.composite(warped, desk, sheet_mask)
    # a desk lamp up and to the left: a bright pool, falling off towards the lower right
    pool = Image.radial_gradient("L").resize((int(small[0] * 1.9), int(small[1] * 1.9)))
    pool = pool.crop((int(small[0] * 0.55), int(small[1] * 0.5), int(small[0] * 1.55), int(small[1] * 1.5)))
    pool = pool.point(_lut(lambda v: 255 - v * 0.5))
    lamp = Image.merge(
        "RGB", (pool, pool.point(_lut(lambda v: v * 0.965)), pool.point(_lut(lambda v: v * 0.9)))
    ).resize(size, Image.Resampling.BILINEAR)
    photo = ImageChops.multiply(photo, lamp)
    photo = ImageChops.multiply(
        photo, _like(_noise(rng, size).point([255 - v % 8 for v in range(256)]), "RGB")
    )

    when = "2026:02:18 22:41:07"
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 12"
    exif[0x0112] = 1
    exif[0x011A] = IFDRational(72, 1)
    exif[0x011B] = IFDRational(72, 1)
    exif[0x0128] = 2
    exif[0x0131] = "16.3.1"
    exif[0x0132] = when
    ifd = exif.get_ifd(0x8769)
    ifd[0x829A] = IFDRational(1, 30)  # exposure time
    ifd[0x829D] = IFDRational(8, 5)  # f/1.6
    ifd[0x8827] = 640  # ISO
    ifd[0x9003] = when  # DateTimeOriginal
    ifd[0x9004] = when  # DateTimeDigitized
    ifd[0x9011] = "+01:00"  # OffsetTimeOriginal
    ifd[0x920A] = IFDRational(21, 5)  # 4.2 mm
    ifd[0xA002] = size[0]
    ifd[0xA003] = size[1]
    ifd[0xA405] = 26  # 35 mm equivalent
    ifd[0xA433] = "Apple"
    ifd[0xA434] = "iPhone 12 back dual wide camera 4.2mm f/1.6"
    gps = exif.get_ifd(0x8825)
    gps[0x0000] = b"\x02\x02\x00\x00"
    gps[0x0001] = "N"
    gps[0x0002] = (IFDRational(45, 1), IFDRational(39, 1), IFDRational(3074, 100))
    gps[0x0003] = "E"
    gps[0x0004] = (IFDRational(13, 1), IFDRational(46, 1), IFDRational(1218, 100))
    gps[0x0005] = b"\x00"
    gps[0x0006] = IFDRational(2117, 100)
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=84, dpi=(72, 72), exif=exif.tobytes())

    x0, y0, x1, y1 = _pad(row, 2)
    pts = [_project(to_photo, x * k, y * k) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    box = (
        round(min(p[0] for p in pts), 1),
        round(min(p[1] for p in pts), 1),
        round(max(p[0] for p in pts), 1),
        round(max(p[1] for p in pts), 1),
    )
    return buf.getvalue(), box


# --------------------------------------------------------------------------------------------------
# 5. Born-digital papers: the agency's letter, the bill of sale, the invoice
# --------------------------------------------------------------------------------------------------


def _place_png(sheet: _Sheet, box: _Box, png: bytes) -> None:
    sheet.page.insert_image(pymupdf.Rect(*box), stream=png)


def _signature_png(seed: str, width: float, height: float) -> bytes:
    return _ink_png(
        _signature(random.Random(seed), round(width * 3), round(height * 3), pen=2.0 * 1.4), _PEN_BLUE, 0.95
    )


def _seal_png(
    seed: str, ring: str, lines: Sequence[str], *, font: str, emblem: bool, diameter: float = 110
) -> bytes:
    rng = random.Random(seed)
    seal = _round_stamp(round(diameter * 3), ring, lines, font=font, emblem=emblem)
    seal = seal.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
    return _ink_png(_worn(seal, rng), _STAMP_BLUE, 0.88)


_LETTER_BODY = (
    "We confirm that m/v Qaranqus arrived at Port Aldmere on 6 April 2019 and that the 14 packages of "
    "machine-tool equipment consigned to your order have been discharged into our bonded warehouse No. 3, "
    "where they remain under customs seal.",
    "As instructed in your letter of 2 April 2019, we shall arrange on-carriage to the final consignee once "
    "we receive the end-user documentation and the consignee's import licence. Please note that we cannot "
    "release the cargo to any party not named in the original bill of lading without written authority "
    "from the shipper.",
    "We also draw your attention to a discrepancy between the documents received: the packing list states "
    "a gross weight of 48,210 kg, whereas bill of lading No. STV-0329/07 shows 41,870 kg. Our warehouse "
    "tally (scale certificate enclosed) confirms 48,205 kg. Kindly let us have corrected documents before "
    "on-carriage.",
    "Storage is charged at the bonded rate from 7 April 2019; our invoice will follow separately.",
)


def _letter() -> bytes:
    doc = pymupdf.open()
    sheet = _Sheet(doc)
    accent: _Colour = (0.13, 0.5, 0.56)
    sheet.page.draw_circle((92, 66), 20, color=_NAVY, fill=_NAVY)
    shape = sheet.page.new_shape()
    for dy in (-5.0, 3.0):
        shape.draw_bezier((76, 66 + dy), (84, 60 + dy), (92, 72 + dy), (108, 64 + dy))
    shape.finish(color=(1, 1, 1), width=2.2)
    shape.commit()
    sheet.text(122, 66, "BRANNOCK & VEY", font="hb", size=19, colour=_NAVY)
    sheet.text(123, 79, "S H I P P I N G   A G E N C Y   L I M I T E D", font="hr", size=7, colour=accent)
    for n, line in enumerate(
        (
            "14 Harbour Row",
            "Port Aldmere AM-2207",
            "Kingdom of Aldmark",
            "Tel. 411 2030",
            "ops@brannockvey.example",
        )
    ):
        sheet.text(525, 50 + n * 9.5, line, font="hr", size=7.5, align="right", colour=_GREY)
    sheet.rule(70, 102, 525, 102, width=1.6, colour=_NAVY)
    sheet.rule(70, 105, 525, 105, width=0.5, colour=accent)

    sheet.text(70, 138, "Our ref.: BV/OPS/19-0233", size=10.5)
    sheet.text(70, 152, "Your ref.: QL/2019/071", size=10.5)
    sheet.text(525, 138, "9 April 2019", size=10.5, align="right")
    address = (
        "Qaracay Logistika LLC",
        "Attn. Mr T. Nasirli, Director",
        "Sahil Avenue 40",
        "Demirkend",
        "Republic of Tarvania",
    )
    for n, line in enumerate(address):
        sheet.text(70, 188 + n * 14, line, size=11)
    sheet.text(70, 268, "By e-mail and courier", font="ti", size=10.5)
    sheet.text(70, 300, "Dear Mr Nasirli,", size=11)
    y, _ = sheet.paragraph(
        70,
        322,
        455,
        "Re: 14 packages ex Stavelsk per m/v Qaranqus – your contract VT-19/044",
        font="tb",
        size=11,
    )
    y += 6
    for text in _LETTER_BODY:
        y, _ = sheet.paragraph(70, y, 455, text, size=11, leading=15, justify=True)
        y += 8
    sheet.text(70, y + 8, "Yours sincerely,", size=11)
    sheet.text(70, y + 76, "Edda Marlow-Venn", font="tb", size=11)
    sheet.text(70, y + 90, "Operations Director", size=11)
    _place_png(sheet, (62, y + 16, 202, y + 72), _signature_png("letter-signature", 140, 56))
    sheet.text(70, y + 124, "Enc.: Scale certificate No. 19/441", size=9.5)
    sheet.text(70, y + 137, "cc: Harbour Master's Office, Port Aldmere", size=9.5)
    sheet.rule(70, 792, 525, 792, width=0.4, colour=_GREY)
    sheet.text(
        297.5,
        803,
        "Brannock & Vey Shipping Agency Ltd  ·  Registered in the Kingdom of Aldmark No. AL-301877  ·  VAT "
        "AL 301877 04",
        font="hr",
        size=6.8,
        align="center",
        colour=_GREY,
    )
    sheet.text(
        297.5,
        812,
        "Bonded warehouse licence BW-112  ·  Member of the Aldmark Ship Agents' Association",
        font="hr",
        size=6.8,
        align="center",
        colour=_GREY,
    )
    sheet.finish()
    meta = {
        "title": "Letter to Qaracay Logistika 09.04.2019",
        "author": "emv",
        "creator": "Microsoft® Word 2016",
        "producer": "Microsoft® Word 2016",
        "created": "2019-04-09 11:20:04+02:00",
        "modified": "2019-04-09 11:20:04+02:00",
    }
    return _pdf_bytes(doc, "letter", meta, subset=True)


_SALE_ARTICLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "1. MÜQAVİLƏNİN PREDMETİ",
        (
            "1.1. Satıcı «Qaranquş» adlı quru yük gəmisini (qeydiyyat nömrəsi TRV-0417, tikilmə ili 1998, "
            "dedveyt 3 150 ton, bayraq: Tarvaniya Respublikası) bütün avadanlığı ilə birlikdə Alıcının "
            "mülkiyyətinə verir, Alıcı isə gəmini qəbul edir və onun dəyərini ödəyir.",
            "1.2. Satıcı təsdiq edir ki, gəmi heç bir girov, həbs və ya üçüncü şəxslərin hüquqları ilə "
            "yüklənməmişdir.",
        ),
    ),
    (
        "2. QİYMƏT VƏ ÖDƏNİŞ QAYDASI",
        (
            "2.1. Gəminin qiyməti 2 350 000 (iki milyon üç yüz əlli min) ABŞ dolları təşkil edir.",
            "2.2. Ödəniş bu müqavilə imzalandıqdan sonra 10 (on) bank günü ərzində Satıcının bank hesabına "
            "köçürülür.",
        ),
    ),
    (
        "3. GƏMİNİN TƏHVİL VERİLMƏSİ",
        (
            "3.1. Gəmi Port Aldmer limanında 30 aprel 2019-cu il tarixinədək təhvil-qəbul aktı ilə Alıcıya "
            "təhvil verilir.",
            "3.2. Gəminin sənədləri (mülkiyyət şəhadətnaməsi, sinif şəhadətnaməsi, gəmi jurnalları) "
            "təhvil-qəbul aktı ilə birlikdə verilir.",
        ),
    ),
    (
        "4. YEKUN MÜDDƏALAR",
        (
            "4.1. Müqavilə imzalandığı andan qüvvəyə minir, iki nüsxədə tərtib edilmişdir və hər iki nüsxə "
            "eyni hüquqi qüvvəyə malikdir.",
        ),
    ),
)


def _bill_of_sale() -> bytes:
    doc = pymupdf.open()
    sheet = _Sheet(doc)
    sheet.text(297.5, 80, "ALQI-SATQI MÜQAVİLƏSİ № 04/2019", font="noto", size=15, align="center")
    sheet.text(297.5, 98, "(gəminin satışı haqqında)", font="noto", size=10.5, align="center")
    sheet.text(70, 130, "Dəmirkənd şəhəri", font="noto", size=10.5)
    sheet.text(525, 130, "22 aprel 2019-cu il", font="noto", size=10.5, align="right")
    y, _ = sheet.paragraph(
        70,
        160,
        455,
        "Bir tərəfdən «Dəmirkənd Gəmi Ticarəti» MMC (bundan sonra «Satıcı»), Nizamnamə əsasında fəaliyyət "
        "göstərən direktor Rauf Səlimzadə şəxsində, və digər tərəfdən Northwind Cargo Holdings Ltd (bundan "
        "sonra «Alıcı»), direktor Henrik Askeland şəxsində, aşağıdakılar barədə bu müqaviləni bağladılar:",
        font="noto",
        size=10.5,
        leading=15,
        indent=24,
        justify=True,
    )
    for head, items in _SALE_ARTICLES:
        y += 10
        sheet.text(297.5, y, head, font="noto", size=11, align="center")
        y += 18
        for text in items:
            y, _ = sheet.paragraph(
                70, y, 455, text, font="noto", size=10.5, leading=15, indent=24, justify=True
            )
            y += 2
    y += 16
    sheet.text(297.5, y, "5. TƏRƏFLƏRİN REKVİZİTLƏRİ VƏ İMZALARI", font="noto", size=11, align="center")
    y += 22
    parties = (
        (
            70.0,
            "SATICI",
            (
                "«Dəmirkənd Gəmi Ticarəti» MMC",
                "VÖEN 1402338817",
                "Liman küçəsi 12, Dəmirkənd",
                "Tarvaniya Respublikası",
            ),
            "Direktor R. Səlimzadə",
        ),
        (
            312.0,
            "ALICI",
            (
                "Northwind Cargo Holdings Ltd",
                "Reg. No. AL-558120",
                "3 Quay Street, Port Aldmere",
                "Kingdom of Aldmark",
            ),
            "Director H. Askeland",
        ),
    )
    for x, head, lines, signer in parties:
        sheet.text(x, y, head, font="noto", size=11)
        for n, line in enumerate(lines):
            sheet.text(x, y + 17 + n * 13.5, line, font="noto", size=10)
        sign = y + 17 + len(lines) * 13.5 + 40
        sheet.rule(x, sign, x + 120, sign, width=0.5)
        sheet.text(x, sign + 13, signer, font="noto", size=9.5)
        sheet.text(x + 150, sign + 13, "M.Y.", font="noto", size=9.5)
    sign = y + 17 + 4 * 13.5 + 40
    _place_png(sheet, (72, sign - 40, 192, sign + 8), _signature_png("sale-seller", 120, 48))
    _place_png(sheet, (316, sign - 42, 436, sign + 6), _signature_png("sale-buyer", 120, 48))
    _place_png(
        sheet,
        (138, sign - 40, 254, sign + 76),
        _seal_png(
            "sale-seller-seal",
            "«DƏMİRKƏND GƏMİ TİCARƏTİ» MMC * VÖEN 1402338817 * ",
            ("* * *", "Dəmirkənd", "* * *"),
            font="noto",
            emblem=False,
        ),
    )
    _place_png(
        sheet,
        (392, sign - 36, 508, sign + 80),
        _seal_png(
            "sale-buyer-seal",
            "NORTHWIND CARGO HOLDINGS LTD * PORT ALDMERE * ",
            ("ALDMARK",),
            font="hb",
            emblem=True,
        ),
    )
    sheet.text(297.5, 808, "Səhifə 1 / 1", font="noto", size=8.5, align="center", colour=_GREY)
    sheet.finish()
    meta = {
        "title": "Alqı-satqı müqaviləsi 04/2019",
        "author": "Gəmi Ticarəti",
        "creator": "Writer",
        "producer": "LibreOffice 6.0",
        "created": "2019-04-22 09:48:10+04:00",
    }
    return _pdf_bytes(doc, "bill-of-sale", meta, subset=True)


_INVOICE_PASSWORD = "VSZ0415"


def _invoice() -> tuple[bytes, _Box]:
    doc = pymupdf.open()
    sheet = _Sheet(doc)
    dark: _Colour = (0.15, 0.15, 0.17)
    sheet.text(70, 66, "ОАО «Велоградский станкостроительный завод»", font="hb", size=10.5, colour=dark)
    sheet.text(70, 79, "JSC Velograd Machine-Tool Plant", font="hb", size=10.5, colour=dark)
    for n, line in enumerate(
        ("31 Zavodskaya St, 220114 Velograd, Republic of Veloria", "UNP 190447213  ·  Tel. 327-80-12")
    ):
        sheet.text(70, 93 + n * 11, line, font="hr", size=8, colour=_GREY)
    sheet.text(525, 68, "COMMERCIAL INVOICE", font="hb", size=15, align="right", colour=dark)
    sheet.text(525, 82, "СЧЁТ-ФАКТУРА", font="hr", size=9.5, align="right", colour=_GREY)
    sheet.rule(70, 118, 525, 118, width=1.2, colour=dark)
    facts = (
        ("Invoice No.", "INV-2019-0415"),
        ("Date", "20.03.2019"),
        ("Contract", "VT-19/044 of 18.02.2019"),
        ("Delivery terms", "FCA Stavelsk port (Incoterms 2010)"),
        ("Payment", "70 % within 30 days of delivery"),
    )
    for n, (key, value) in enumerate(facts):
        sheet.text(330, 140 + n * 13, key, font="hr", size=8.5, colour=_GREY)
        sheet.text(405, 140 + n * 13, value, font="hr", size=8.5, colour=dark)
    blocks = (
        (
            140.0,
            "BILL TO / ПОКУПАТЕЛЬ",
            ("Qaraçay Logistika MMC", "Sahil Ave. 40, Demirkend", "Republic of Tarvania", "TIN 1700542218"),
        ),
        (
            220.0,
            "CONSIGNEE / ГРУЗОПОЛУЧАТЕЛЬ",
            (
                "Qaraçay Logistika MMC",
                "c/o Brannock & Vey Shipping Agency Ltd",
                "14 Harbour Row, Port Aldmere",
                "Kingdom of Aldmark",
            ),
        ),
    )
    for top, head, lines in blocks:
        sheet.text(70, top, head, font="hb", size=7.5, colour=_GREY)
        for n, line in enumerate(lines):
            sheet.text(70, top + 13 + n * 11.5, line, font="hr", size=9, colour=dark)
    rows = [
        ("No.", "Description", "HS code", "Qty", "Unit", "Unit price", "Amount, EUR"),
        ("1", "Vertical machining centre VMC-850, CNC", "8457 10", "4", "pcs", "153 000.00", "612 000.00"),
        ("2", "CNC lathe TS-420", "8458 11", "6", "pcs", "73 000.00", "438 000.00"),
        ("3", "Spindle assembly SP-12", "8466 93", "24", "pcs", "6 600.00", "158 400.00"),
        ("4", "Angular contact ball bearing 7014, P4", "8482 10", "120", "pcs", "63.50", "7 620.00"),
    ]
    boxes = _table(
        sheet,
        70,
        300,
        (24, 177, 48, 34, 30, 66, 76),
        rows,
        aligns="clcrcrr",
        font="hr",
        bold="hb",
        size=8.5,
        line=0.5,
        colour=dark,
    )
    y = boxes[-1][3] + 18
    for n, (key, value) in enumerate((("Subtotal", "1 216 020.00"), ("VAT 0 % (export)", "0.00"))):
        sheet.text(440, y + n * 14, key, font="hr", size=9, align="right", colour=dark)
        sheet.text(521, y + n * 14, value, font="hr", size=9, align="right", colour=dark)
    y += 24
    sheet.frame((330, y, 525, y + 22), width=0.5, colour=dark, fill=(0.93, 0.93, 0.94))
    sheet.text(338, y + 15, "TOTAL, EUR", font="hb", size=10.5, colour=dark)
    sheet.text(519, y + 15, "1 216 020.00", font="hb", size=10.5, align="right", colour=dark)
    y += 46
    sheet.text(
        70,
        y,
        "Amount in words: one million two hundred and sixteen thousand and twenty euro 00 cents.",
        font="hr",
        size=8.5,
        colour=dark,
    )
    sheet.text(
        70,
        y + 14,
        "Packages: 14  ·  Gross weight: 41 870 kg  ·  Net weight: 39 920 kg  ·  Country of origin: Republic "
        "of Veloria",
        font="hr",
        size=8.5,
        colour=dark,
    )
    y += 40
    sheet.text(70, y, "BANK DETAILS / БАНКОВСКИЕ РЕКВИЗИТЫ", font="hb", size=7.5, colour=_GREY)
    for n, line in enumerate(
        (
            "Beneficiary: JSC Velograd Machine-Tool Plant",
            "Bank: JSC Velprombank, 12 Bankovskaya St, Velograd  ·  SWIFT VELPVL2X",
            "IBAN: VL47 VELP 3012 0000 0415 2219 07",
        )
    ):
        sheet.text(70, y + 13 + n * 12, line, font="hr", size=9, colour=dark)
    y += 88
    sheet.text(70, y, "Director General", font="hr", size=9, colour=dark)
    sheet.rule(150, y + 2, 260, y + 2, width=0.5, colour=dark)
    sheet.text(266, y, "O. P. Martynenko", font="hr", size=9, colour=dark)
    sheet.text(70, y + 34, "Chief Accountant", font="hr", size=9, colour=dark)
    sheet.rule(150, y + 36, 260, y + 36, width=0.5, colour=dark)
    sheet.text(266, y + 34, "I. V. Zhukouskaya", font="hr", size=9, colour=dark)
    _place_png(sheet, (150, y - 30, 250, y + 8), _signature_png("invoice-director", 100, 38))
    _place_png(sheet, (155, y + 6, 245, y + 40), _signature_png("invoice-accountant", 90, 34))
    _place_png(
        sheet,
        (262, y - 22, 370, y + 86),
        _seal_png(
            "invoice-seal",
            "ОАО «ВЕЛОГРАДСКИЙ СТАНКОСТРОИТЕЛЬНЫЙ ЗАВОД» * УНП 190447213 * ",
            ("* * *", "г. Велоград", "* * *"),
            font="hb",
            emblem=False,
            diameter=108,
        ),
    )
    sheet.rule(70, 800, 525, 800, width=0.4, colour=_GREY)
    sheet.text(70, 811, "INV-2019-0415", font="hr", size=7.5, colour=_GREY)
    sheet.text(525, 811, "Page 1 of 1", font="hr", size=7.5, align="right", colour=_GREY)
    sheet.finish()
    meta = {
        "title": "INV-2019-0415",
        "author": "buh-pc3",
        "creator": "Microsoft® Excel® 2016",
        "producer": "Microsoft® Excel® 2016",
        "created": "2019-03-20 16:05:31+03:00",
    }
    return _pdf_bytes(doc, "invoice", meta, subset=True, password=_INVOICE_PASSWORD), _pad(boxes[4], 1.5)


# --------------------------------------------------------------------------------------------------
# The case
# --------------------------------------------------------------------------------------------------

_VELORIA_MFA = "Ministry of Foreign Affairs of the Republic of Veloria"
_TARVANIA_EMBASSY = "Embassy of the Republic of Tarvania in Velograd"
_VSZ = "JSC Velograd Machine-Tool Plant"
_QARACAY = "Qaraçay Logistika MMC"
_RING_TRANSLATION = "MINISTRY OF FOREIGN AFFAIRS * REPUBLIC OF VELORIA *"


def _write(folder: Path, relative: str, data: bytes) -> str:
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return relative


def generate(folder: Path) -> list[DemoDocument]:
    """Write every demo file under folder (created if needed) and return their descriptions."""
    folder.mkdir(parents=True, exist_ok=True)
    documents: list[DemoDocument] = []

    # -- Source A: two notes (one genuine-looking, one forged) and the bill of sale ----------------
    data, marks = _note_pdf(_NOTE_1174, {"created": "2019-03-13 10:42:18+03:00", **_SCANNER_META})
    duplicate = _write(folder, f"{_DIR_PARTNER}/MFA_note_1174.pdf", data)
    if marks.executor is None:  # pragma: no cover - the note is laid out with an executor line
        raise RuntimeError("note 12-05/1174 has no executor line to redact")
    documents.append(
        DemoDocument(
            relative_path=_write(folder, f"{_DIR_A}/note_12-05-1174.pdf", data),
            source=_SOURCE_A,
            received="2026-02-11",
            fields={
                "title": "Note verbale No. 12-05/1174 on the transit of machine tools",
                "type": "diplomatic_note",
                "document_date": "2019-03-12",
                "reference_number": "12-05/1174",
                "issuer": _VELORIA_MFA,
                "recipient": _TARVANIA_EMBASSY,
                "language": "Russian",
                "cites": "Embassy note 44/19 of 4 March 2019; export passport ЭП-2019/0311",
            },
            tags=("МИД", "stamp", "transit", "sanctions"),
            status="in_review",
            status_note=(
                "Crest, heading, seal and the 12-05/NNNN numbering match the verified note 12-05/1203. The "
                "note reached us twice (Source A on 11 February, the partner newsroom on 20 February), but "
                "both files are byte-identical: one origin, not two confirmations. Waiting for the Tarvanian "
                "embassy to confirm its note 44/19 of 4 March 2019, which this note answers."
            ),
            checklist={
                "letterhead": (
                    "consistent",
                    "Crest, two-line heading and address line as on verified 12-05/1203.",
                ),
                "reference_format": (
                    "consistent",
                    "12-05/NNNN as on 12-05/1203; 1174 on 12 March and 1203 on 2 April fit one running "
                    "sequence.",
                ),
                "stamp": ("consistent", "Ring text and five-point star as on 12-05/1203."),
                "dates_consistent": (
                    "consistent",
                    "Dated 12 March; the embassy registered it on 13 March; transit cleared 28 March "
                    "(12-05/1203).",
                ),
                "matches_other_documents": (
                    "consistent",
                    "14 packages, 48,210 kg gross and passport ЭП-2019/0311 match the export passport.",
                ),
                "outside_confirmation": (
                    "unchecked",
                    "Embassy asked about its note 44/19 on 2026-03-02; no answer yet.",
                ),
            },
            annotations=(
                DemoAnnotation(
                    page=1,
                    rect=marks.reference,
                    note="Outgoing number: department 12, desk 05, running number 1174.",
                    transcription="№ 12-05/1174",
                    translation="No. 12-05/1174",
                    tags=("reference",),
                ),
                DemoAnnotation(
                    page=1,
                    rect=marks.stamp,
                    note="Ministry seal, 40 mm, five-point star; the ring text matches note 12-05/1203.",
                    transcription="МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ * РЕСПУБЛИКА ВЕЛОРИЯ *",
                    translation=_RING_TRANSLATION,
                    tags=("stamp",),
                ),
                DemoAnnotation(
                    page=1,
                    rect=marks.signature,
                    note=(
                        "Initials of the official who cleared the note, across the seal as usual. Not yet "
                        "matched to a name."
                    ),
                    tags=("signature",),
                ),
                DemoAnnotation(
                    page=1,
                    rect=marks.executor,
                    kind="redaction",
                    note=(
                        "Executor's name and direct line: identifies the desk officer and could expose the "
                        "source."
                    ),
                    tags=("source-protection",),
                ),
            ),
            extra_sightings=(DemoSighting(duplicate, _PARTNER, "2026-02-20"),),
        )
    )

    data, marks = _note_pdf(
        _NOTE_1318,
        {
            "created": "2025-12-03 23:14:52+03:00",
            "modified": "2025-12-04 00:02:17+03:00",
            "creator": "Adobe Photoshop 23.1 (Windows)",
            "producer": "Adobe Photoshop for Windows -- Image Conversion Plug-in",
        },
        xmp=_FAKE_XMP,
    )
    documents.append(
        DemoDocument(
            relative_path=_write(folder, f"{_DIR_A}/note_12-05-1318.pdf", data),
            source=_SOURCE_A,
            received="2026-02-11",
            fields={
                "title": "Purported note verbale No. 12-05/1318 on 'special products'",
                "type": "diplomatic_note",
                "document_date": "2019-01-15",
                "reference_number": "12-05/1318",
                "issuer": f"{_VELORIA_MFA} (claimed)",
                "recipient": _TARVANIA_EMBASSY,
                "language": "Russian",
            },
            tags=("МИД", "stamp", "disinformation"),
            status="fabricated",
            status_note=(
                "Independent faults: (1) number 12-05/1318 is dated 15 January 2019, yet the genuine "
                "sequence "
                "had reached only 1174 by 12 March; (2) it carries out a Council of Ministers decision 'of "
                "20 "
                "February 2019', five weeks after its own date; (3) the seal misspells ИНОСТРАННЫХ and "
                "shows a "
                "six-point star; (4) sans-serif heading, no executor line, no embassy registration stamp; "
                "(5) "
                "the file's XMP says Adobe Photoshop made it on 3 December 2025. Asking the recipient to "
                "destroy "
                "a note is not diplomatic practice."
            ),
            checklist={
                "letterhead": (
                    "inconsistent",
                    "Sans-serif heading and a six-point star; genuine notes have a serif heading and a "
                    "five-point star.",
                ),
                "reference_format": ("inconsistent", "Number out of sequence for its date."),
                "signatory": ("doubtful", "Initials unlike those on 12-05/1174 and 12-05/1203."),
                "stamp": ("inconsistent", "Ring text misspelt (ИНОСТРАНЫХ); six-point star."),
                "dates_consistent": ("inconsistent", "Cites a decision dated five weeks after the note."),
                "matches_other_documents": (
                    "inconsistent",
                    "No other paper mentions munitions or 40 packages.",
                ),
            },
            annotations=(
                DemoAnnotation(
                    page=1,
                    rect=marks.stamp,
                    note=(
                        "Misspelt seal: ИНОСТРАНЫХ (one Н) for ИНОСТРАННЫХ, and a six-point star instead of "
                        "five."
                    ),
                    transcription="МИНИСТЕРСТВО ИНОСТРАНЫХ ДЕЛ * РЕСПУБЛИКА ВЕЛОРИЯ *",
                    translation="MINISTRY OF FOREIGN [misspelt] AFFAIRS * REPUBLIC OF VELORIA *",
                    tags=("stamp", "forgery-tell"),
                ),
            ),
        )
    )

    documents.append(
        DemoDocument(
            relative_path=_write(folder, f"{_DIR_A}/Alqi-satqi_04-2019.pdf", _bill_of_sale()),
            source=_SOURCE_A,
            received="2026-02-16",
            fields={
                "title": "Bill of sale of m/v Qaranquş",
                "type": "bill_of_sale",
                "document_date": "2019-04-22",
                "reference_number": "04/2019",
                "issuer": "Dəmirkənd Gəmi Ticarəti MMC",
                "recipient": "Northwind Cargo Holdings Ltd",
                "language": "Azerbaijani",
                "vessel": "m/v Qaranquş (registry no. TRV-0417)",
                "price": "USD 2,350,000",
            },
            tags=("vessel", "needs-translation"),
        )
    )

    # -- The 'Veloria cables' archive: the verified note, the export passport, the contract --------
    data, _ = _note_pdf(_NOTE_1203, {"created": "2019-04-03 09:27:51+03:00", **_SCANNER_META})
    documents.append(
        DemoDocument(
            relative_path=_write(folder, f"{_DIR_ARCHIVE}/notes/2019-04-02_12-05-1203.pdf", data),
            source=_ARCHIVE,
            received="2026-01-27",
            fields={
                "title": "Note verbale No. 12-05/1203: cargo cleared and shipped",
                "type": "diplomatic_note",
                "document_date": "2019-04-02",
                "reference_number": "12-05/1203",
                "issuer": _VELORIA_MFA,
                "recipient": _TARVANIA_EMBASSY,
                "language": "Russian",
                "vessel": "Qaranquş",
            },
            tags=("МИД", "stamp", "transit"),
            status="verified",
            status_note=(
                "On 4 March 2026 the Tarvanian embassy's press office confirmed by phone that it received "
                "note "
                "12-05/1203 on 3 April 2019, as the registration stamp (Вх. № 251, 03.04.2019) shows. The "
                "clearance on 28 March and sailing on 29 March match the release stamp and shipment date in "
                "export passport ЭП-2019/0311, which came from the same archive but was issued by another "
                "body."
            ),
            checklist={
                "letterhead": ("consistent", None),
                "reference_format": ("consistent", "12-05/NNNN; follows 12-05/1174 of 12 March."),
                "stamp": ("consistent", None),
                "dates_consistent": (
                    "consistent",
                    "Clearance 28.03 and sailing 29.03 as in the export passport.",
                ),
                "matches_other_documents": ("consistent", "Cites note 12-05/1174; names the ship Qaranquş."),
                "outside_confirmation": (
                    "consistent",
                    "Tarvanian embassy press office, phone call of 2026-03-04 (call notes in the case "
                    "folder).",
                ),
            },
        )
    )

    data, row = _passport()
    documents.append(
        DemoDocument(
            relative_path=_write(folder, f"{_DIR_ARCHIVE}/customs/EP-2019-0311.pdf", data),
            source=_ARCHIVE,
            received="2026-01-27",
            fields={
                "title": "Export passport ЭП-2019/0311 (Velograd Machine-Tool Plant to Qaraçay Logistika)",
                "type": "export_passport",
                "document_date": "2019-02-19",
                "reference_number": "ЭП-2019/0311",
                "issuer": "JSC Velprombank; release by Stavelsk customs",
                "recipient": _QARACAY,
                "language": "Russian",
                "exporter": _VSZ,
                "contract value": "EUR 1,284,600.00",
            },
            tags=("customs", "sanctions", "dual-use"),
            status="disputed",
            status_note=(
                "The passport and invoice INV-2019-0415 disagree on row 4: 1,200 bearings for EUR 76,200 "
                "here, "
                "120 for EUR 7,620 on the invoice (the totals differ by EUR 68,580). Source A says the "
                "invoice "
                "was reissued after shipment to lower the declared value; the partner newsroom thinks the "
                "passport was altered. The handover certificate's 2,650 kg of bearings favours 1,200, but "
                "no one "
                "outside the leak has confirmed either figure."
            ),
            checklist={
                "reference_format": ("consistent", "ЭП-YYYY/NNNN; the number note 12-05/1174 cites."),
                "stamp": (
                    "doubtful",
                    "Seal and release stamp legible, but no specimen of Stavelsk customs stamps yet.",
                ),
                "dates_consistent": (
                    "consistent",
                    "Opened 19.02, released 28.03, shipped 29.03.2019, as in 12-05/1203.",
                ),
                "matches_other_documents": (
                    "inconsistent",
                    "Row 4 contradicts the invoice; 48,210 kg gross contradicts the 41,870 kg bill of "
                    "lading.",
                ),
            },
            annotations=(
                DemoAnnotation(
                    page=1,
                    rect=row,
                    note="Row 4: 1,200 bearings for EUR 76,200. The invoice lists 120 for EUR 7,620.",
                    transcription=(
                        "4 | Подшипник шариковый радиально-упорный 7014 (класс точности P4) | 8482 10 900 1 "
                        "| "
                        "1 200 | шт. | 76 200,00"
                    ),
                    translation=(
                        "4 | Angular contact ball bearing 7014 (precision class P4) | HS 8482 10 900 1 | "
                        "1,200 | "
                        "pcs | EUR 76,200.00"
                    ),
                    tags=("quantity", "discrepancy"),
                ),
            ),
        )
    )

    documents.append(
        DemoDocument(
            relative_path=_write(folder, f"{_DIR_ARCHIVE}/contracts/VT-19-044_scan.tif", _contract()),
            source=_ARCHIVE,
            received="2026-01-27",
            fields={
                "title": "Supply contract ВТ-19/044 (three-page scan)",
                "type": "contract",
                "document_date": "2019-02-18",
                "reference_number": "ВТ-19/044",
                "issuer": _VSZ,
                "recipient": _QARACAY,
                "language": "Russian",
                "contract value": "EUR 1,284,600.00",
            },
            tags=("contract", "end-use", "needs-translation"),
        )
    )

    # -- The partner newsroom: the invoice (password-protected), the photo, the agency's letter ----
    data, row = _invoice()
    documents.append(
        DemoDocument(
            relative_path=_write(folder, f"{_DIR_PARTNER}/INV-2019-0415.pdf", data),
            source=_PARTNER,
            received="2026-02-20",
            fields={
                "title": "Commercial invoice INV-2019-0415",
                "type": "invoice",
                "document_date": "2019-03-20",
                "reference_number": "INV-2019-0415",
                "issuer": _VSZ,
                "recipient": _QARACAY,
                "language": "English, Russian",
                "total": "EUR 1,216,020.00",
                "IBAN": "VL47 VELP 3012 0000 0415 2219 07",
            },
            tags=("sanctions", "bank", "password"),
            status="in_review",
            status_note=(
                "Came password-protected from the partner newsroom (password given by phone). Seller, "
                "contract "
                "number and HS codes match the contract and the export passport, but row 4 (120 bearings) "
                "and "
                "the gross weight (41,870 kg) contradict the passport's 1,200 bearings and 48,210 kg. The "
                "partner newsroom is asking its source for the e-mail the file was attached to."
            ),
            checklist={
                "signatory": (
                    "doubtful",
                    "Director General O. P. Martynenko as in the contract; accountant unknown.",
                ),
                "dates_consistent": (
                    "consistent",
                    "20.03.2019: after the contract (18.02), before release (28.03).",
                ),
                "matches_other_documents": (
                    "inconsistent",
                    "Row 4 and gross weight differ from the export passport; the weight matches the bill of "
                    "lading.",
                ),
            },
            annotations=(
                DemoAnnotation(
                    page=1,
                    rect=row,
                    note=(
                        "Row 4: 120 bearings for EUR 7,620, a tenth of the export passport's 1,200 for EUR "
                        "76,200."
                    ),
                    transcription=(
                        "4 | Angular contact ball bearing 7014, P4 | 8482 10 | 120 | pcs | 63.50 | 7 620.00"
                    ),
                    tags=("quantity", "discrepancy"),
                ),
            ),
            password=_INVOICE_PASSWORD,
        )
    )

    data, row = _photo()
    documents.append(
        DemoDocument(
            relative_path=_write(folder, f"{_DIR_PARTNER}/IMG_4471.JPG", data),
            source=_PARTNER,
            received="2026-02-20",
            fields={
                "title": "Phone photo of handover certificate No. 7 (Port Aldmere, 8 April 2019)",
                "type": "other",
                "document_date": "2019-04-08",
                "reference_number": "7",
                "issuer": _QARACAY,
                "recipient": "Northwind Cargo Holdings Ltd",
                "language": "Russian",
                "camera": "Apple iPhone 12, 18 February 2026 (EXIF, with GPS position)",
            },
            tags=("photo", "exif-gps", "source-protection"),
            annotations=(
                DemoAnnotation(
                    page=1,
                    rect=row,
                    note=(
                        "Two crates of bearings, 2,650 kg gross: fits the export passport's 1,200 bearings, "
                        "far "
                        "too heavy for the invoice's 120."
                    ),
                    transcription="4 | Подшипники шариковые 7014, ящики | 2 | 2 650",
                    translation="4 | Ball bearings 7014, crates | 2 | 2,650 kg gross",
                    tags=("quantity",),
                ),
            ),
        )
    )

    documents.append(
        DemoDocument(
            relative_path=_write(folder, f"{_DIR_PARTNER}/BV_letter_2019-04-09.pdf", _letter()),
            source=_PARTNER,
            received="2026-02-20",
            fields={
                "title": "Brannock & Vey letter on the cargo held at Port Aldmere",
                "type": "letter",
                "document_date": "2019-04-09",
                "reference_number": "BV/OPS/19-0233",
                "issuer": "Brannock & Vey Shipping Agency Ltd",
                "recipient": _QARACAY,
                "language": "English",
                "vessel": "m/v Qaranquş",
            },
            tags=("vessel", "Aldmark", "transhipment"),
            status="in_review",
            status_note=(
                "Letterhead, company number AL-301877 and address match the agency's entry in the Aldmark "
                "companies register (extract of 23 February 2026). The register lists Edda Marlow-Venn as a "
                "director only from June 2019, two months after the letter; we asked the agency whether she "
                "signed as operations director before that."
            ),
            checklist={
                "letterhead": (
                    "consistent",
                    "Matches the register entry and the agency's 2019 website capture.",
                ),
                "signatory": ("doubtful", "Director only from June 2019 according to the register."),
                "matches_other_documents": (
                    "consistent",
                    "14 packages, the ship and the 48,210 kg packing-list weight match the export passport.",
                ),
            },
        )
    )
    return documents
