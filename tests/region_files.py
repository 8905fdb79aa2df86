# mypy: disable-error-code="no-untyped-call"
"""Generated pages for region search: a stamp on a 200-dpi scan, and "photos" of other pages holding it.

A photo here is what a phone does to a letter: the page drawn larger or smaller than the scan's
pixels, turned, seen tilted (a perspective: the far edge narrower), saved as a JPEG of low quality
whose header claims some DPI. Everything is deterministic for a given seed.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image

from tests import forensics_files as ff

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

SCAN_DPI = 200
STAMP_PX = 314  # a 40 mm stamp at 200 dpi
STAMP_AT = (330.0, 640.0)  # where the stamp sits on a page, in points
TEXT_AT = (230.0, 160.0)  # over the typed lines, in points


@dataclass(frozen=True, slots=True)
class Photo:
    """How a page was photographed: size against the scan's pixels, turn (degrees, counter-clockwise),
    tilt of the page away from the camera (degrees), JPEG quality and the DPI its header claims."""

    scale: float = 1.0
    angle: float = 0.0
    tilt: float = 0.0
    quality: int = 60
    dpi: int = 72


def stamp(diameter: int = STAMP_PX) -> Image.Image:
    """The stamp looked for."""
    return ff.ministry_stamp(diameter)


def scan(
    seed: int, placements: list[ff.Placement] | None = None, *, dpi: int = SCAN_DPI
) -> NDArray[np.uint8]:
    """A grey page of typed text with scanner grain at ``dpi``, with stamps placed (centres in points)."""
    page = ff.scan_page(seed, dpi=dpi)
    for placement in placements or []:
        page = ff.stamp_onto(page, placement, dpi=dpi)
    return page


def stamped_scan(seed: int, *, at: tuple[float, float] = STAMP_AT, other: bool = False) -> NDArray[np.uint8]:
    """A 200-dpi scan with the stamp (or, with ``other``, a look-alike with other words) at ``at``."""
    chosen = ff.other_round_stamp(STAMP_PX) if other else stamp()
    return scan(seed, [ff.Placement(chosen, at)])


def stamp_box(at: tuple[float, float] = STAMP_AT, *, dpi: float = SCAN_DPI) -> tuple[int, int, int, int]:
    """The stamp's box (x0, y0, x1, y1) in the pixels of a page drawn at ``dpi``, with a little paper."""
    half = (STAMP_PX / 2 + 6) * dpi / SCAN_DPI
    cx, cy = at[0] * dpi / 72, at[1] * dpi / 72
    return round(cx - half), round(cy - half), round(cx + half), round(cy + half)


def crop(page: NDArray[np.uint8], box: tuple[int, int, int, int]) -> NDArray[np.uint8]:
    """The pixels of ``box`` (x0, y0, x1, y1) of a page."""
    x0, y0, x1, y1 = box
    return np.ascontiguousarray(page[y0:y1, x0:x1])


def photograph(
    page: NDArray[np.uint8], photo: Photo, *, focus: tuple[float, float] | None = None
) -> tuple[NDArray[np.uint8], NDArray[np.float64]]:
    """``page`` as a phone would take it, and the homography from the page's pixels to the photo's.

    A photo larger than the page (scale over 1) is a close-up: it keeps about 1700 pixels square
    around ``focus`` (in the page's pixels; the centre by default), as a phone held near would.
    """
    height, width = page.shape
    cx, cy = focus if focus is not None else (width / 2, height / 2)
    # scale and turn about the focus (PIL's and the test's convention: counter-clockwise on the page)
    turn = math.radians(photo.angle)
    c, s = math.cos(turn) * photo.scale, math.sin(turn) * photo.scale
    similar = np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])
    to_focus = np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1]], np.float64)
    # a page tilted away from the camera about a horizontal axis: a rotation of the camera, K R K⁻¹
    focal = 1.2 * max(width, height) * photo.scale
    tilt = math.radians(photo.tilt)
    rotation = np.array(
        [[1, 0, 0], [0, math.cos(tilt), -math.sin(tilt)], [0, math.sin(tilt), math.cos(tilt)]], np.float64
    )
    camera = np.array([[focal, 0, 0], [0, focal, 0], [0, 0, 1]], np.float64)
    mapping = camera @ rotation @ np.linalg.inv(camera) @ similar @ to_focus
    corners = np.array([[0, 0, 1], [width, 0, 1], [width, height, 1], [0, height, 1]], np.float64) @ mapping.T
    corners = corners[:, :2] / corners[:, 2:3]
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    if photo.scale > 1:  # a close-up: keep what is around the focus
        fx, fy = _apply(mapping, (cx, cy))
        x0, y0, x1, y1 = max(x0, fx - 850), max(y0, fy - 850), min(x1, fx + 850), min(y1, fy + 850)
    shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64)
    mapping = shift @ mapping
    size = (math.ceil(x1 - x0), math.ceil(y1 - y0))
    # what lies around the page (a table) is darker than paper
    photo_pixels = cv2.warpPerspective(page, mapping, size, flags=cv2.INTER_AREA, borderValue=90)
    return np.asarray(photo_pixels, np.uint8), mapping / mapping[2, 2]


def _apply(mapping: NDArray[np.float64], point: tuple[float, float]) -> tuple[float, float]:
    x, y, w = mapping @ np.array([point[0], point[1], 1.0])
    return float(x / w), float(y / w)


def local_scale(mapping: NDArray[np.float64], point: tuple[float, float]) -> float:
    """How much ``mapping`` enlarges a small area around ``point`` (the square root of the area's growth)."""
    step = 5.0
    origin = np.array(_apply(mapping, point))
    across = np.array(_apply(mapping, (point[0] + step, point[1]))) - origin
    down = np.array(_apply(mapping, (point[0], point[1] + step))) - origin
    return math.sqrt(abs(float(across[0] * down[1] - across[1] * down[0]))) / step


def jpeg_bytes(pixels: NDArray[np.uint8], *, quality: int, dpi: int) -> bytes:
    """Grey pixels as a JPEG whose header claims ``dpi``."""
    buffer = io.BytesIO()
    Image.fromarray(pixels, "L").save(buffer, "JPEG", quality=quality, dpi=(dpi, dpi))
    return buffer.getvalue()


def recompressed(pixels: NDArray[np.uint8], quality: int) -> NDArray[np.uint8]:
    """The pixels after a round trip through a JPEG of ``quality``."""
    with Image.open(io.BytesIO(jpeg_bytes(pixels, quality=quality, dpi=72))) as image:
        return np.asarray(image.convert("L"), np.uint8).copy()


@dataclass(frozen=True, slots=True)
class Truth:
    """Where the stamp is in a photo (its centre, in the photo's pixels) and its size there against
    the scan's pixels (the photo's scale times what the tilt does at that place)."""

    centre: tuple[float, float]
    scale: float


def photo_of_stamp(
    seed: int, photo: Photo, *, at: tuple[float, float] = STAMP_AT
) -> tuple[NDArray[np.uint8], Truth]:
    """A photo of another page holding the stamp at ``at``, JPEG round-tripped; and where the stamp is."""
    page = stamped_scan(seed, at=at)
    centre = (at[0] * SCAN_DPI / 72, at[1] * SCAN_DPI / 72)
    pixels, mapping = photograph(page, photo, focus=centre)
    truth = Truth(_apply(mapping, centre), local_scale(mapping, centre))
    return recompressed(pixels, photo.quality), truth


def write_photo(path: Path, seed: int, photo: Photo, *, at: tuple[float, float] = STAMP_AT) -> Truth:
    """Write :func:`photo_of_stamp` as a JPEG whose header claims ``photo.dpi``; where the stamp is."""
    pixels, truth = photo_of_stamp(seed, photo, at=at)
    path.write_bytes(jpeg_bytes(pixels, quality=photo.quality, dpi=photo.dpi))
    return truth


def write_scan_pdf(path: Path, pixels: NDArray[np.uint8], *, dpi: int = SCAN_DPI) -> Path:
    """A one-page PDF holding a grey scan (JPEG q85) at ``dpi``: the page's points follow from it."""
    import pymupdf

    data = jpeg_bytes(pixels, quality=85, dpi=dpi)
    with pymupdf.open() as doc:
        page = doc.new_page(width=pixels.shape[1] * 72 / dpi, height=pixels.shape[0] * 72 / dpi)
        page.insert_image(page.rect, stream=data)
        doc.save(str(path), garbage=4, deflate=True)
    return path
