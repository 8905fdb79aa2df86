"""Error levels of the JPEG pictures themselves, mapped onto the page where each is placed.

Error-level analysis only means something on the JPEG's own pixels: its 8×8 blocks, at its own
resolution, as the last program that saved it left them. The page as drawn has been scaled (the
blocks no longer line up) and mixed with whatever else the page draws. So each picture's own bytes
are decoded at their own size, their error levels computed there, and only the result is laid onto
the page through the picture's placement, for the eye to compare with the page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from reviewer.core.forensics.ela import DEFAULT_QUALITY, error_levels

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Pictures larger than this are not decoded (a hostile header can claim any size).
MAX_PICTURE_PIXELS = 50_000_000  # above a 600-dpi A4 scan (35 MP); the analysis holds ~20 bytes a pixel


@dataclass(frozen=True, slots=True)
class PlacedJpeg:
    """A JPEG's bytes and where the page puts it.

    ``transform`` (a, b, c, d, e, f) maps the picture's unit square, (0, 0) its top-left pixel, onto
    points of the unrotated page: x = a·u + c·v + e, y = b·u + d·v + f (PyMuPDF's ``transform``).
    """

    data: bytes
    transform: tuple[float, float, float, float, float, float]
    xref: int = 0


@dataclass(frozen=True, slots=True)
class MappedLevels:
    """The page's error levels (H×W, or H×W×3 if a picture is in colour) at ``dpi``; the ``pictures`` used."""

    overlay: NDArray[np.uint8]
    dpi: float
    pictures: tuple[dict[str, Any], ...]


def decode_jpeg(data: bytes) -> Image.Image | None:
    """The JPEG's pixels at its own size (grey or RGB), or None if the bytes are not a JPEG we can decode."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "JPEG" or image.width * image.height > MAX_PICTURE_PIXELS:
                return None
            image.load()
            return image.convert("L" if image.mode == "L" else "RGB")
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError, SyntaxError):
        return None


def picture_dpi(width_px: int, transform: tuple[float, ...]) -> float:
    """The resolution a picture is placed at: its pixels over the length of its top edge, in inches."""
    a, b = transform[0], transform[1]
    length = float(np.hypot(a, b))
    return width_px * 72.0 / length if length > 0 else 0.0


def mapped_error_levels(
    placed: list[PlacedJpeg],
    page_size: tuple[float, float],
    dpi: float,
    *,
    quality: int = DEFAULT_QUALITY,
) -> MappedLevels | None:
    """Each picture's error levels at its own resolution, laid onto the unrotated page drawn at ``dpi``.

    ``page_size`` is the unrotated page's (width, height) in points. Where no picture lies the overlay
    is black. All pictures share one brightness scale, so one that reacts more stands out. None if
    no picture could be decoded.
    """
    zoom = dpi / 72.0
    width, height = max(1, round(page_size[0] * zoom)), max(1, round(page_size[1] * zoom))
    # raw levels (0-255, one byte a pixel and channel) until the end: a 300-dpi page's worth of floats
    # would take the worker past its memory limit
    decoded = [(picture, decode_jpeg(picture.data)) for picture in placed]
    colour = any(image is not None and image.mode == "RGB" for _, image in decoded)
    total = np.zeros((height, width, 3) if colour else (height, width), np.uint8)
    covered = np.zeros((height, width), bool)
    used: list[dict[str, Any]] = []
    for picture, image in decoded:
        if image is None:
            continue
        levels = error_levels(image.convert("RGB") if colour else image, quality=quality, amplify=1.0)
        coefficients = _page_to_picture(picture.transform, image.size, zoom)
        if coefficients is None:
            continue
        laid = Image.fromarray(levels).transform(
            (width, height), Image.Transform.AFFINE, coefficients, resample=Image.Resampling.BILINEAR
        )
        mask = Image.new("L", image.size, 255).transform(
            (width, height), Image.Transform.AFFINE, coefficients, resample=Image.Resampling.NEAREST
        )
        inside = np.asarray(mask) > 0
        total[inside] = np.asarray(laid)[inside]  # later pictures are drawn on top
        covered |= inside
        used.append(
            {
                "object": picture.xref,
                "width": image.width,
                "height": image.height,
                "dpi": round(picture_dpi(image.width, picture.transform), 1),
            }
        )
    if not used:
        return None
    # brightest 0.1 % at full brightness, from a histogram (no sorted copy of the page)
    counts = np.bincount(total[covered].ravel(), minlength=256)
    top = int(np.searchsorted(np.cumsum(counts), 0.999 * counts.sum()))
    scale = np.clip(np.arange(256) * (255.0 / top if top > 0 else 1.0), 0, 255).astype(np.uint8)
    overlay: NDArray[np.uint8] = scale[total]
    return MappedLevels(overlay, dpi, tuple(used))


def _page_to_picture(
    transform: tuple[float, ...], size: tuple[int, int], zoom: float
) -> tuple[float, float, float, float, float, float] | None:
    """Pillow's affine coefficients: for each pixel of the page drawn at ``zoom``, where in the picture."""
    a, b, c, d, e, f = transform
    # pixel (x, y) of the picture -> pixel of the page: scale to the unit square, place, zoom
    forward = np.array(
        [
            [a * zoom / size[0], c * zoom / size[1], e * zoom],
            [b * zoom / size[0], d * zoom / size[1], f * zoom],
            [0.0, 0.0, 1.0],
        ]
    )
    try:
        inverse = np.linalg.inv(forward)
    except np.linalg.LinAlgError:
        return None  # a picture squeezed to a line shows nothing
    x0, x1, x2, y0, y1, y2 = (float(v) for v in inverse[:2].ravel())
    return (x0, x1, x2, y0, y1, y2)


def overlay_png(overlay: NDArray[np.uint8]) -> bytes:
    """An overlay as PNG bytes."""
    buffer = io.BytesIO()
    Image.fromarray(overlay).save(buffer, "PNG")
    return buffer.getvalue()
