"""Perceptual hashes: 64-bit fingerprints that stay close when an image is rescaled, recompressed or
rescanned, so near-identical pages and regions can be found across a case.

The hash is the classic DCT pHash: the image shrunk to 32×32 grey levels, its 8×8 lowest spatial
frequencies compared with their median. Two hashes are compared by how many of their 64 bits differ
(the Hamming distance).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: At most this many differing bits: the same picture, resized, recompressed or lightly retouched.
NEAR_IDENTICAL_BITS = 10
_SIDE = 32
_LOW = 8


@functools.cache
def _dct_matrix(n: int) -> NDArray[np.float64]:
    """The orthonormal DCT-II matrix: ``D @ x`` is the DCT of a column vector ``x``."""
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    matrix: NDArray[np.float64] = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2 / n)
    matrix[0] /= np.sqrt(2)
    return matrix


def to_gray(pixels: NDArray[np.generic] | Image.Image) -> Image.Image:
    """Pixels as an 8-bit grey Pillow image: from a 2-D (grey), 3-D (RGB/RGBA) array or any image."""
    if isinstance(pixels, Image.Image):
        return pixels if pixels.mode == "L" else pixels.convert("L")
    array = np.asarray(pixels)
    if array.ndim == 3 and array.shape[2] in (3, 4):
        if array.dtype != np.uint8:
            array = np.clip(array, 0, 255).astype(np.uint8)
        return Image.fromarray(np.ascontiguousarray(array[:, :, :3]), "RGB").convert("L")
    if array.ndim != 2:
        raise ValueError(f"expected grey (H×W) or colour (H×W×3) pixels, got shape {array.shape}")
    if array.dtype != np.uint8:
        array = np.clip(array, 0, 255).astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(array), "L")


def phash(pixels: NDArray[np.generic] | Image.Image) -> int:
    """The 64-bit perceptual hash of an image (a page render, a region crop), as an unsigned int.

    Store it as 16 hex digits (:func:`phash_hex`): SQLite's integers are signed 64-bit.
    """
    gray = to_gray(pixels)
    if gray.width < 1 or gray.height < 1:
        raise ValueError("cannot hash an empty image")
    if min(gray.size) > 4 * _SIDE:
        gray = gray.reduce(max(1, min(gray.size) // (2 * _SIDE)))  # faster than one big resample
    small = np.asarray(gray.resize((_SIDE, _SIDE), Image.Resampling.BOX), dtype=np.float64)
    dct = _dct_matrix(_SIDE)
    low = (dct @ small @ dct.T)[:_LOW, :_LOW].ravel()
    # the first coefficient is the mean brightness: it says nothing about the picture's shape
    median = float(np.median(low[1:]))
    value = 0
    for bit in low > median:
        value = (value << 1) | int(bit)
    return value


def phash_hex(value: int) -> str:
    """A hash as 16 lower-case hex digits (what to store and show)."""
    return f"{value & 0xFFFF_FFFF_FFFF_FFFF:016x}"


def from_hex(text: str) -> int:
    """A hash back from its 16 hex digits."""
    return int(text, 16)


def hamming(first: int, second: int) -> int:
    """How many of the 64 bits differ between two hashes (0 = the same picture to the eye)."""
    return ((first ^ second) & 0xFFFF_FFFF_FFFF_FFFF).bit_count()


def is_near_identical(first: int, second: int, *, max_bits: int = NEAR_IDENTICAL_BITS) -> bool:
    """Whether two hashes are close enough to call the pictures near-identical."""
    return hamming(first, second) <= max_bits
