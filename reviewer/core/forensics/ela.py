"""Error level analysis: where a picture reacts differently to one more JPEG compression.

A JPEG saved once compresses evenly: saved again at a known quality, every region changes by about the
same small amount. A region pasted in from elsewhere, or retouched and saved fewer times, often changes
by a different amount and stands out in the overlay. It is a hint for the eye, never proof: edges,
text and flat areas also differ, and so do images that were never JPEGs.

This is on demand (tens of milliseconds per page at screen resolution), never at import.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: The quality of the test compression: high enough that an evenly compressed picture barely changes.
DEFAULT_QUALITY = 90


def _as_image(pixels: NDArray[np.generic] | Image.Image) -> Image.Image:
    if isinstance(pixels, Image.Image):
        return pixels.convert("RGB") if pixels.mode not in ("L", "RGB") else pixels
    array = np.asarray(pixels)
    if array.dtype != np.uint8:
        array = np.clip(array, 0, 255).astype(np.uint8)
    if array.ndim == 2:
        return Image.fromarray(np.ascontiguousarray(array), "L")
    if array.ndim == 3 and array.shape[2] in (3, 4):
        return Image.fromarray(np.ascontiguousarray(array[:, :, :3]), "RGB")
    raise ValueError(f"expected grey (H×W) or colour (H×W×3) pixels, got shape {array.shape}")


def error_levels(
    pixels: NDArray[np.generic] | Image.Image,
    *,
    quality: int = DEFAULT_QUALITY,
    amplify: float | None = None,
) -> NDArray[np.uint8]:
    """The error-level overlay of an image: same height and width, grey (H×W) or colour (H×W×3).

    Each pixel is how much it changed when saved once more as JPEG at ``quality``, multiplied by
    ``amplify`` (by default, so that the strongest 0.1 % of changes reach full brightness).
    """
    if not 1 <= quality <= 100:
        raise ValueError("quality must be between 1 and 100")
    image = _as_image(pixels)
    if image.width < 1 or image.height < 1:
        raise ValueError("cannot analyse an empty image")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as again:
        resaved = np.asarray(again.convert(image.mode), dtype=np.int16)
    original = np.asarray(image, dtype=np.int16)
    difference = np.abs(original - resaved).astype(np.float32)
    if amplify is None:
        top = float(np.percentile(difference, 99.9))
        amplify = 255.0 / top if top > 0 else 1.0
    overlay: NDArray[np.uint8] = np.clip(difference * amplify, 0, 255).astype(np.uint8)
    return overlay


def error_levels_png(
    pixels: NDArray[np.generic] | Image.Image,
    *,
    quality: int = DEFAULT_QUALITY,
    amplify: float | None = None,
) -> bytes:
    """The overlay of :func:`error_levels` as PNG bytes, ready to draw over the page."""
    overlay = error_levels(pixels, quality=quality, amplify=amplify)
    buffer = io.BytesIO()
    Image.fromarray(overlay).save(buffer, "PNG")
    return buffer.getvalue()


def region_error_level(overlay: NDArray[np.uint8], box: tuple[int, int, int, int]) -> float:
    """Mean error level inside ``box`` (x0, y0, x1, y1 in pixels) relative to the whole overlay.

    About 1 for a region like the rest of the picture; well above 1 for one that reacts differently.
    """
    x0, y0, x1, y1 = box
    inside = overlay[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
    whole = float(overlay.mean())
    if inside.size == 0 or whole == 0:
        return 1.0
    return float(inside.mean()) / whole
