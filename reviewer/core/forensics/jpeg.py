"""What a JPEG's own structure says: the quality it was saved at, and the thumbnail hidden in its EXIF.

Both are read without decoding the full image: quantization tables sit in the header, and the
thumbnail is a small JPEG of its own inside the EXIF block.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

# The example luminance table of the JPEG standard (ITU T.81, Annex K), in natural order: what libjpeg
# and most software scale by the "quality" setting.
_STANDARD_LUMINANCE = (
    16, 11, 10, 16, 24, 40, 51, 61,
    12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77,
    24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101,
    72, 92, 95, 98, 112, 100, 103, 99,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class JpegQuality:
    """An estimate of the quality setting (1–100) a JPEG was last saved with.

    ``standard`` is True when the luminance table is exactly the standard one scaled to ``estimate``
    (libjpeg and most programs); cameras, Photoshop and some phones use tables of their own, and then
    ``estimate`` is the nearest libjpeg quality.
    """

    estimate: int
    standard: bool
    tables: int


def _scaled(quality: int) -> list[int]:
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    return [min(255, max(1, (q * scale + 50) // 100)) for q in _STANDARD_LUMINANCE]


@functools.cache
def _all_scaled() -> NDArray[np.int64]:
    """The standard table at every quality, 1 to 100 (row 0 is quality 1): built once, not per JPEG."""
    return np.array([_scaled(quality) for quality in range(1, 101)], dtype=np.int64)


def estimate_quality(quantization: dict[int, list[int]] | None) -> JpegQuality | None:
    """The quality estimate from Pillow's ``image.quantization`` tables; None without a usable table."""
    if not quantization:
        return None
    luminance = quantization.get(0)
    if luminance is None or len(luminance) != 64:
        return None
    table = np.array([int(v) for v in luminance], dtype=np.int64)
    errors = np.abs(_all_scaled() - table).sum(axis=1)
    best = int(np.argmin(errors))  # the first of equal errors: the lowest quality, as before
    return JpegQuality(best + 1, int(errors[best]) == 0, len(quantization))


def exif_thumbnail(exif: bytes) -> bytes | None:
    """The JPEG thumbnail stored in an EXIF block (IFD1), or None; ``exif`` with or without ``Exif\\0\\0``.

    A tiny parser of the TIFF structure with bounds checks throughout: EXIF blocks in the wild are
    often truncated or corrupt, and Pillow does not expose the thumbnail's bytes.
    """
    tiff = exif[6:] if exif.startswith(b"Exif\x00\x00") else exif
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None
    order = "<" if tiff[:2] == b"II" else ">"
    try:
        (first,) = struct.unpack_from(order + "I", tiff, 4)
        (entries,) = struct.unpack_from(order + "H", tiff, first)
        (second,) = struct.unpack_from(order + "I", tiff, first + 2 + 12 * entries)
        if second == 0 or second == first:
            return None
        (entries,) = struct.unpack_from(order + "H", tiff, second)
        offset = length = None
        for i in range(min(entries, 512)):
            tag, _kind, _count, value = struct.unpack_from(order + "HHII", tiff, second + 2 + 12 * i)
            if tag == 0x0201:  # JPEGInterchangeFormat
                offset = value
            elif tag == 0x0202:  # JPEGInterchangeFormatLength
                length = value
    except struct.error:
        return None
    if offset is None or not length or offset + length > len(tiff):
        return None
    thumbnail = tiff[offset : offset + length]
    return thumbnail if thumbnail.startswith(b"\xff\xd8") else None
