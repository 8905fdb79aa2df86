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
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pymupdf
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from PIL.TiffImagePlugin import IFDRational

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

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


def _width(text: str, font: str, size: float) -> float:
    return float(_font(font).text_length(text, fontsize=size))


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
            if justify and i < len(lines) - 1 and len(words) > 1:
                room = x + width - left
                gap = (room - sum(_width(w, font, size) for w in words)) / (len(words) - 1)
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


def _ring_text(mask: Image.Image, text: str, centre: float, radius: float, font: ImageFont.FreeTypeFont) -> None:
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
    ring_font = _pil_font(font, round(diameter * 0.082))
    _ring_text(mask, ring, c, (r2 + r_in) / 2 + diameter * 0.004, ring_font)
    if emblem:
        _star(draw, c, c - (r_in * 0.28 if centre_lines else 0), r_in * (0.42 if centre_lines else 0.62), star_points)
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
    total = sum(size * 1.25 for _, _, size in lines)
    y = (height - total) / 2
    for text, font, size in lines:
        draw.text((width / 2, y + size * 0.62), text, font=_pil_font(font, size), fill=255, anchor="mm")
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
        stroke.append(at(x0 + cap_w * (0.5 - 0.5 * math.cos(ang)) + cap_w * 0.6 * s, base - cap_h * math.sin(ang / 2)))
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
    im.save(buf, "PNG", optimize=True)
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


def _rotate_point(x: float, y: float, angle: float, size: tuple[int, int]) -> tuple[float, float]:
    """Where Pillow's ``rotate(angle)`` (counter-clockwise, about the centre) moves pixel (x, y)."""
    a = math.radians(angle)
    cx, cy = size[0] / 2, size[1] / 2
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)


def _scan(img: Image.Image, rng: random.Random, angle: float, *, dust: int = 70) -> Image.Image:
    """Make a clean raster look like a flatbed scan: paper tone, uneven light, blur, skew, grain, dust."""
    mode = img.mode
    w, h = img.size
    img = ImageChops.multiply(img, Image.new(mode, img.size, 246 if mode == "L" else (247, 245, 238)))
    shade = _noise(rng, (5, 7)).resize(img.size, Image.Resampling.BICUBIC).point(_lut(lambda v: 233 + v * 22 / 255))
    img = ImageChops.multiply(img, _like(shade, mode))
    img = img.filter(ImageFilter.GaussianBlur(0.65))
    lid = 252 if mode == "L" else (252, 252, 250)
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=lid)
    draw = ImageDraw.Draw(img)
    corners = [_rotate_point(x, y, angle, (w, h)) for x, y in ((1, 1), (w - 2, 1), (w - 2, h - 2), (1, h - 2))]
    edge = 188 if mode == "L" else (186, 186, 184)
    draw.line([*corners, corners[0]], fill=edge, width=2)
    grain = _noise(rng, img.size).point([255 - v % 10 for v in range(256)])
    img = ImageChops.multiply(img, _like(grain, mode))
    draw = ImageDraw.Draw(img)
    for _ in range(dust):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.choice((0.6, 0.8, 0.8, 1.1, 1.5))
        tone = rng.randint(60, 150)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tone if mode == "L" else (tone, tone, tone))
    # a faint shadow along the spine side, where the lid does not press the sheet flat
    strip = Image.linear_gradient("L").rotate(90).resize((max(8, w // 40), h)).point(_lut(lambda v: 215 + v * 40 / 255))
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


def _image_pdf(pages: Sequence[Image.Image], dpi: int, ident: str, meta: dict[str, str], *, quality: int) -> bytes:
    """A PDF whose pages are only JPEG images: what a scanner or copier writes."""
    doc = pymupdf.open()
    for im in pages:
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=quality, optimize=True, dpi=(dpi, dpi))
        page = doc.new_page(width=im.width * 72 / dpi, height=im.height * 72 / dpi)
        page.insert_image(page.rect, stream=buf.getvalue())
    return _pdf_bytes(doc, ident, meta)


# PDF Standard security handler, revision 3 (RC4, 128-bit), PDF 1.7 section 7.6.3.  MuPDF's own encryption
# draws a fresh /ID and keys on every save; this keeps the demo file byte-identical from run to run.
_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_PERMISSIONS = -3904  # print, copy, annotate; no changes


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
    dpi = 170
    doc = pymupdf.open()
    sheet = _Sheet(doc)
    head = "hb" if spec.fake else "tb"
    _crest(sheet.page, 297.5, 80, 25 if not spec.fake else 23, points=6 if spec.fake else 5)
    sheet.text(297.5, 131, "МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ", font=head, size=13.5 if not spec.fake else 12.5, align="center", colour=_TONER)
    sheet.text(297.5, 148, "РЕСПУБЛИКИ ВЕЛОРИЯ", font=head, size=13.5 if not spec.fake else 12.5, align="center", colour=_TONER)
    sheet.text(297.5, 162, _MFA_ADDRESS, font="tr", size=8, align="center", colour=_TONER)
    sheet.rule(70, 170, 525, 170, width=1.3, colour=_TONER)
    sheet.rule(70, 172.6, 525, 172.6, width=0.4, colour=_TONER)
    reference = sheet.text(70, 206, spec.number, size=12.5, colour=_TONER)
    y = 248.0
    for text in spec.paragraphs:
        y, _ = sheet.paragraph(70, y, 455, text, size=12.5, leading=18.6, indent=36, justify=True, colour=_TONER)
        y += 7
    if spec.appendix:
        sheet.text(70, y + 4, spec.appendix, size=12.5, colour=_TONER)
        y += 22
    date_box = sheet.text(525, y + 30, spec.place_date, size=12.5, align="right", colour=_TONER)
    address_top = max(date_box[3] + 150, 690.0)
    for k, line in enumerate(("ПОСОЛЬСТВУ", "РЕСПУБЛИКИ ТАРВАНИЯ", "г. Велоград")):
        sheet.text(70, address_top + k * 16.5, line, font="tb" if k < 2 else "tr", size=12.5, colour=_TONER)
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
    seal = _round_stamp(round(stamp_d * k), _RING_FAKE if spec.fake else _RING_MFA, star_points=6 if spec.fake else 5)
    seal = seal.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
    _ink(scan.image, _worn(seal, rng), scan.px(*stamp_c), _STAMP_BLUE)
    stamp = (stamp_c[0] - stamp_d / 2, stamp_c[1] - stamp_d / 2, stamp_c[0] + stamp_d / 2, stamp_c[1] + stamp_d / 2)
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


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def generate(folder: Path) -> list[DemoDocument]:
    """Write every demo file under folder (created if needed) and return their descriptions."""
    raise NotImplementedError
