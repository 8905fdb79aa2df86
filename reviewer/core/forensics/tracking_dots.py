"""Printer tracking dots: the faint yellow Machine Identification Code colour laser printers add.

Many colour laser printers cover every colour page with a grid of tiny yellow dots (about 0.1 mm,
about 1 mm apart, the pattern repeating every 0.5 to 1 inch) that encodes the printer's serial
number and the time of printing. A scan of such a page carries the code into the leak.

In the blue channel of a colour scan a yellow dot is a small dark spot where red and green stay
high. :func:`find_tracking_dots` keeps such spots only where they are tiny and isolated (nothing
else yellow around them, so yellow print and highlighter are not counted) and then asks whether
they sit on a regular lattice: for a printer's code most dots have a nearest neighbour at the same
distance along the grid's axes, for specks of scanner noise or JPEG ringing they do not.
:func:`remove_tracking_dots` paints such isolated pale-yellow specks in the paper's colour.

Pixels are read in horizontal strips, so a page of any size needs little memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: red and green at least this bright: the spot is on paper, not on print
MIN_BRIGHT = 150
#: blue at least this far below red and green: yellow, not the paper's own tint (JPEG noise stays under)
MIN_YELLOW = 18
#: a dot fits in a square of 2 * INNER + 1 pixels (about 0.25 mm at 600 dpi)...
INNER = 3
#: ...and nothing else yellow is within OUTER pixels of it
OUTER = 7
#: at most this many yellow pixels make one dot
MAX_DOT_PIXELS = 24
#: fewer dots than this are no pattern
MIN_DOTS = 24
#: nearest neighbours farther apart than this (pixels) are not looked for
MAX_SPACING = 160
#: this share of the dots must have their nearest neighbour at the common spacing (±15 %)...
MIN_REGULAR_SHARE = 0.55
#: ...and along the same axes (±12 degrees, modulo 90)
MIN_ALIGNED_SHARE = 0.55
_STRIP = 512
_MAX_CANDIDATES = 400_000


@dataclass(frozen=True, slots=True)
class DotPattern:
    """A lattice of tiny yellow dots: how many were found and their usual spacing in pixels."""

    dots: int
    spacing_px: float

    def describe(self) -> str:
        """The finding in words."""
        return (
            f"yellow printer tracking dots (a pattern of {self.dots} dots, spacing ~{self.spacing_px:.0f} px)"
        )


def _yellow(rgb: NDArray[np.uint8]) -> tuple[NDArray[np.bool_], NDArray[np.int16]]:
    """Where a strip of pixels is pale yellow, and by how much blue falls below red and green."""
    pixels = rgb.astype(np.int16)
    bright = np.minimum(pixels[..., 0], pixels[..., 1])
    deficit = bright - pixels[..., 2]
    return (bright >= MIN_BRIGHT) & (deficit >= MIN_YELLOW), deficit


def _box_count(mask: NDArray[np.bool_], half: int) -> NDArray[np.int32]:
    """How many set pixels lie in the (2*half+1)-square around each pixel (zero beyond the edges)."""
    padded = np.pad(mask.astype(np.int32), half + 1)
    table = padded.cumsum(0).cumsum(1)
    size = 2 * half + 1
    h, w = mask.shape
    counts: NDArray[np.int32] = (
        table[size : size + h, size : size + w]
        - table[0:h, size : size + w]
        - table[size : size + h, 0:w]
        + table[0:h, 0:w]
    )
    return counts


def _isolated(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Yellow pixels that belong to a tiny blob with nothing else yellow around it."""
    inner = _box_count(mask, INNER)
    outer = _box_count(mask, OUTER)
    isolated: NDArray[np.bool_] = mask & (inner == outer) & (inner <= MAX_DOT_PIXELS)
    return isolated


def _strips(image: Image.Image) -> list[tuple[int, int, int]]:
    """(top, bottom, first row kept) of each overlapping strip, so blobs on a seam are seen whole."""
    spans = []
    for top in range(0, image.height, _STRIP):
        start = max(0, top - 2 * OUTER)
        end = min(image.height, top + _STRIP + 2 * OUTER)
        spans.append((start, end, top))
    return spans


def dot_centres(image: Image.Image) -> NDArray[np.float64]:
    """The (x, y) centre of every tiny isolated yellow spot of an RGB image."""
    found: list[NDArray[np.float64]] = []
    total = 0
    for start, end, top in _strips(image):
        rgb = np.asarray(image.crop((0, start, image.width, end)), dtype=np.uint8)
        mask, deficit = _yellow(rgb)
        if not mask.any():
            continue
        spots = _isolated(mask)
        ys, xs = np.nonzero(spots)
        total += len(ys)
        if total > _MAX_CANDIDATES:
            break  # yellow speckle everywhere is no printer's code: give up rather than crawl
        centres = _centres(ys, xs, deficit[ys, xs].astype(np.float64))
        keep = (centres[:, 1] + start >= top) & (centres[:, 1] + start < top + _STRIP)
        centres = centres[keep]
        centres[:, 1] += start
        found.append(centres)
    return np.concatenate(found) if found else np.zeros((0, 2))


def _centres(ys: NDArray[np.intp], xs: NDArray[np.intp], weight: NDArray[np.float64]) -> NDArray[np.float64]:
    """Group isolated pixels into blobs (pixels of one blob are within INNER of each other)."""
    if len(ys) == 0:
        return np.zeros((0, 2))
    cells: dict[tuple[int, int], list[int]] = {}
    blob_of = np.full(len(ys), -1)
    sums: list[list[float]] = []
    order = np.lexsort((xs, ys))
    span = INNER + 1
    for i in order.tolist():
        y, x = int(ys[i]), int(xs[i])
        key = (y // span, x // span)
        blob = -1
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for j in cells.get((key[0] + dy, key[1] + dx), ()):
                    if abs(int(ys[j]) - y) <= INNER and abs(int(xs[j]) - x) <= INNER:
                        blob = int(blob_of[j])
                        break
                if blob >= 0:
                    break
            if blob >= 0:
                break
        if blob < 0:
            blob = len(sums)
            sums.append([0.0, 0.0, 0.0])
        w = max(float(weight[i]), 1.0)
        sums[blob][0] += x * w
        sums[blob][1] += y * w
        sums[blob][2] += w
        blob_of[i] = blob
        cells.setdefault(key, []).append(i)
    return np.array([[sx / s, sy / s] for sx, sy, s in sums], dtype=np.float64)


def _nearest(points: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each point's distance to its nearest neighbour (within MAX_SPACING) and the angle to it."""
    cell = MAX_SPACING
    buckets: dict[tuple[int, int], list[int]] = {}
    keys = np.floor(points / cell).astype(np.int64)
    for i, (kx, ky) in enumerate(keys.tolist()):
        buckets.setdefault((kx, ky), []).append(i)
    distances = np.full(len(points), np.inf)
    angles = np.zeros(len(points))
    for (kx, ky), members in buckets.items():
        near = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in buckets.get((kx + dx, ky + dy), ())]
        others = points[near]
        for i in members:
            delta = others - points[i]
            d = np.hypot(delta[:, 0], delta[:, 1])
            d[d == 0] = np.inf
            k = int(np.argmin(d))
            if d[k] <= MAX_SPACING:
                distances[i] = d[k]
                angles[i] = math.degrees(math.atan2(delta[k, 1], delta[k, 0]))
    return distances, angles


def lattice(points: NDArray[np.float64]) -> DotPattern | None:
    """A DotPattern if the points sit on a regular lattice, else None."""
    if len(points) < MIN_DOTS:
        return None
    distances, angles = _nearest(points)
    usable = np.isfinite(distances)
    if usable.sum() < MIN_DOTS:
        return None
    d, a = distances[usable], angles[usable]
    spacing = float(np.median(d))
    if spacing < 2 * INNER + 2:
        return None
    regular = np.abs(d - spacing) <= 0.15 * spacing
    if regular.sum() < MIN_REGULAR_SHARE * len(points):
        return None
    folded = np.mod(a[regular], 90.0)
    # the grid's axis: the circular mean of the angles folded to a quarter turn
    axis = (
        math.degrees(math.atan2(np.sin(np.radians(folded * 4)).mean(), np.cos(np.radians(folded * 4)).mean()))
        / 4
    )
    off = np.abs((folded - axis + 45.0) % 90.0 - 45.0)
    if (off <= 12.0).sum() < MIN_ALIGNED_SHARE * len(points):
        return None
    return DotPattern(len(points), spacing)


def is_colour(image: Image.Image) -> bool:
    """Whether an image has colour at all (a grey or black-and-white scan cannot carry yellow dots)."""
    return image.mode in ("RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "HSV", "P", "PA")


def find_tracking_dots(image: Image.Image) -> DotPattern | None:
    """The printer tracking-dot pattern in a page image, or None (also for grey images)."""
    if not is_colour(image):
        return None
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return lattice(dot_centres(rgb))


def remove_tracking_dots(image: Image.Image) -> Image.Image:
    """A copy of ``image`` with every tiny isolated pale-yellow speck painted in the paper's colour.

    Yellow print, highlighter and anything larger than a dot is left alone; a grey image is returned
    as it is (copied). The paper's colour is the median of the page's bright, neutral pixels.
    """
    if not is_colour(image):
        return image.copy()
    rgb = np.array(image.convert("RGB"), dtype=np.uint8)
    paper = _paper_colour(rgb)
    for start, end, top in _strips(image):
        strip = rgb[start:end]
        mask, deficit = _yellow(strip)
        if not mask.any():
            continue
        spots = _isolated(mask)
        # the faint rim around each dot goes too: slightly yellow pixels next to a removed one
        bright = np.minimum(strip[..., 0], strip[..., 1]) >= MIN_BRIGHT - 30  # paper, not print
        rim = (_box_count(spots, 1) > 0) & (deficit >= MIN_YELLOW // 3) & bright
        paint = (spots | rim)[top - start : top - start + _STRIP]
        strip[top - start : top - start + _STRIP][paint] = paper
    result = Image.fromarray(rgb, "RGB")
    return result if image.mode == "RGB" else result.convert(image.mode)


def _paper_colour(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    sample = (
        rgb[:: max(1, rgb.shape[0] // 256), :: max(1, rgb.shape[1] // 256)].reshape(-1, 3).astype(np.int16)
    )
    neutral = sample[(sample.min(axis=1) >= 180) & (sample.max(axis=1) - sample.min(axis=1) <= 12)]
    if len(neutral) == 0:
        return np.array([255, 255, 255], dtype=np.uint8)
    colour: NDArray[np.uint8] = np.median(neutral, axis=0).astype(np.uint8)
    return colour
