"""Region search: where else in a case does this stamp, signature or letterhead appear?

Given a template (the pixels of an annotated region) and page images, it finds the template again at
another place, at 0.8–1.2 times its size and turned up to 5 degrees either way, by normalised cross-
correlation in two stages:

1. **coarse**: the whole page at a low resolution (the template about 16–32 pixels across) against the
   template at seven sizes, through the FFT; the few best places above a loose threshold go on;
2. **fine**: around each such place, at up to 72 dpi, the template at finer sizes and at nine angles
   on a small window; the best agreement is the match's score (1 = identical pixels).

Pages are described by :class:`PageFeatures` (a small image pyramid) that the caller can build once
per page and keep: building it is most of the cost of a page that is searched again.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

import numpy as np
from PIL import Image

from reviewer.core.forensics.phash import to_gray

if TYPE_CHECKING:
    from collections.abc import Iterable

    from numpy.typing import NDArray

K = TypeVar("K")

#: The finest resolution searched: at 72 dpi two round stamps of one size barely differ, at 100 they do.
FINE_DPI = 100.0
#: A match's score (normalised cross-correlation over the template's ink) must reach this.
DEFAULT_THRESHOLD = 0.63
MIN_SCALE, MAX_SCALE = 0.8, 1.2
MAX_ANGLE = 5.0
_COARSE_SCALES = tuple(float(s) for s in np.linspace(MIN_SCALE, MAX_SCALE, 7))
_FINE_SCALE_STEP = 0.025
_FINE_ANGLES = tuple(float(a) for a in np.linspace(-MAX_ANGLE, MAX_ANGLE, 9))
_COARSE_SIDE = 16  # the template's short side at the coarse level, at the smallest scale, in pixels
_MIN_LEVEL_DPI = 9.0
_COARSE_THRESHOLD = 0.3
_CANDIDATES = 4  # places per page that go on to the fine stage
_MIN_STD = 3.0  # grey levels: flat paper is not allowed to correlate with anything
_MIN_TEMPLATE_PX = 8  # at the finest level: smaller regions hold too little to be found again
_INK_CONTRAST = 40  # grey levels below the template's paper that count as ink
_MIN_INK_SHARE = 0.02  # below this share of ink, the whole template is compared, not only its ink


@dataclass(frozen=True, slots=True)
class PageFeatures:
    """What region search needs of a page, built by :func:`page_features`; picklable, cacheable.

    ``levels[0]`` is the page in grey at ``dpi`` (at most :data:`FINE_DPI`); each next level halves it.
    """

    dpi: float
    levels: tuple[NDArray[np.uint8], ...]

    @property
    def nbytes(self) -> int:
        """The memory (and roughly the storage) the features take."""
        return sum(level.nbytes for level in self.levels)


@dataclass(frozen=True, slots=True)
class RegionMatch(Generic[K]):
    """One place where the template was found.

    ``page`` is the caller's own reference for the page. ``rect`` (x0, y0, x1, y1) is the box around
    the found region in points (1/72 inch) from the top left of the page image, ``center`` its centre;
    ``scale`` is its size relative to the template, ``angle`` its turn in degrees (counter-clockwise),
    ``score`` how closely the pixels agree (normalised cross-correlation, at most 1).
    """

    page: K
    score: float
    rect: tuple[float, float, float, float]
    center: tuple[float, float]
    scale: float
    angle: float

    def pixel_rect(self, dpi: float) -> tuple[int, int, int, int]:
        """``rect`` in the pixels of an image of the page rendered at ``dpi``."""
        factor = dpi / 72.0
        x0, y0, x1, y1 = self.rect
        return (
            math.floor(x0 * factor),
            math.floor(y0 * factor),
            math.ceil(x1 * factor),
            math.ceil(y1 * factor),
        )


@dataclass(frozen=True, slots=True)
class _Variant:
    pixels: NDArray[np.float64]  # zero-mean grey levels, for the coarse stage
    norm: float
    ink: NDArray[np.float64]  # zero-mean over the ink mask and 0 elsewhere, for the fine stage
    ink_norm: float
    mask: NDArray[np.float64]  # 1 on the template's ink (and a pixel around it), 0 on its paper
    scale: float
    angle: float


@dataclass(slots=True)
class RegionTemplate:
    """A region to look for, built by :func:`region_template`; its resized variants are made lazily."""

    image: Image.Image
    dpi: float
    width_pt: float
    height_pt: float
    _variants: dict[tuple[float, float, float], _Variant | None] = field(default_factory=dict, repr=False)
    _spectra: dict[tuple[float, float, float, tuple[int, int]], NDArray[np.complex128]] = field(
        default_factory=dict, repr=False
    )
    _ink_spectra: dict[
        tuple[float, float, float, tuple[int, int]], tuple[NDArray[np.complex128], NDArray[np.complex128]]
    ] = field(default_factory=dict, repr=False)

    def variant(self, dpi: float, scale: float, angle: float) -> _Variant | None:
        """The template at ``dpi``, ``scale`` and ``angle``, cropped to what every angle keeps."""
        key = (round(dpi, 3), round(scale, 4), round(angle, 3))
        if key not in self._variants:
            self._variants[key] = _make_variant(self, dpi, scale, angle)
        return self._variants[key]

    def spectrum(
        self, dpi: float, scale: float, angle: float, shape: tuple[int, int]
    ) -> NDArray[np.complex128]:
        """The conjugate spectrum of a variant padded to ``shape`` (pages of one size share it)."""
        key = (round(dpi, 3), round(scale, 4), round(angle, 3), shape)
        found = self._spectra.get(key)
        if found is None:
            variant = self.variant(dpi, scale, angle)
            assert variant is not None
            found = np.conj(np.fft.rfft2(variant.pixels, s=shape))
            self._spectra[key] = found
        return found

    def ink_spectra(
        self, dpi: float, scale: float, angle: float, shape: tuple[int, int]
    ) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
        """The conjugate spectra of a variant's ink and ink mask padded to ``shape``."""
        key = (round(dpi, 3), round(scale, 4), round(angle, 3), shape)
        found = self._ink_spectra.get(key)
        if found is None:
            variant = self.variant(dpi, scale, angle)
            assert variant is not None
            found = (
                np.conj(np.fft.rfft2(variant.ink, s=shape)),
                np.conj(np.fft.rfft2(variant.mask, s=shape)),
            )
            if len(self._ink_spectra) > 2_000:  # windows clipped by a page edge have odd shapes
                self._ink_spectra.clear()
            self._ink_spectra[key] = found
        return found


def region_template(pixels: NDArray[np.generic] | Image.Image, dpi: float) -> RegionTemplate:
    """A template from the pixels of a region (grey or colour) rendered at ``dpi``."""
    if dpi <= 0:
        raise ValueError("dpi must be positive")
    image = to_gray(pixels)
    if image.width * FINE_DPI / dpi < _MIN_TEMPLATE_PX or image.height * FINE_DPI / dpi < _MIN_TEMPLATE_PX:
        raise ValueError("the region is too small to search for (under 1/9 inch)")
    return RegionTemplate(image, dpi, image.width * 72.0 / dpi, image.height * 72.0 / dpi)


def page_features(pixels: NDArray[np.generic] | Image.Image, dpi: float) -> PageFeatures:
    """The search pyramid of a page image (grey or colour) rendered at ``dpi``.

    A render at :data:`FINE_DPI` (72) or a little above is ideal: higher resolutions are reduced first.
    """
    if dpi <= 0:
        raise ValueError("dpi must be positive")
    image = to_gray(pixels)
    if dpi > FINE_DPI * 1.05:
        size = (max(1, round(image.width * FINE_DPI / dpi)), max(1, round(image.height * FINE_DPI / dpi)))
        image = image.resize(size, Image.Resampling.BOX)
        dpi = FINE_DPI
    levels = [np.asarray(image, dtype=np.uint8)]
    level_dpi = dpi
    while level_dpi / 2 >= _MIN_LEVEL_DPI and min(levels[-1].shape) >= 32:
        image = image.reduce(2)
        levels.append(np.asarray(image, dtype=np.uint8))
        level_dpi /= 2
    return PageFeatures(dpi, tuple(levels))


def find_region(
    template: RegionTemplate,
    pages: Iterable[tuple[K, PageFeatures]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    per_page: int = 3,
) -> list[RegionMatch[K]]:
    """Every place on ``pages`` where ``template`` appears, best first.

    Pages are ``(reference, features)`` pairs; the reference comes back on each match. The template's
    own place is found too (with a score near 1): leave it out by its page and rect.
    """
    matches: list[RegionMatch[K]] = []
    for reference, features in pages:
        for found in _search_page(template, features, threshold, per_page):
            matches.append(RegionMatch(reference, *found))
    return sorted(matches, key=lambda m: -m.score)


# -- the variants ----------------------------------------------------------------------------------------


def _keep_fraction(width: float, height: float) -> float:
    """How much of a w×h box, turned by up to MAX_ANGLE, stays inside the unturned box (same centre)."""
    c, s = math.cos(math.radians(MAX_ANGLE)), math.sin(math.radians(MAX_ANGLE))
    return min(width / (width * c + height * s), height / (width * s + height * c))


def _make_variant(template: RegionTemplate, dpi: float, scale: float, angle: float) -> _Variant | None:
    factor = dpi / template.dpi * scale
    width = max(1, round(template.image.width * factor))
    height = max(1, round(template.image.height * factor))
    if min(width, height) < 4:
        return None
    resized = template.image.resize(
        (width, height), Image.Resampling.BOX if factor < 1 else Image.Resampling.BILINEAR
    )
    if angle:
        resized = resized.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    # every angle keeps the same central part, so the scores of all angles compare fairly
    keep = _keep_fraction(width, height)
    crop_w, crop_h = max(3, int(width * keep)), max(3, int(height * keep))
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    pixels = np.asarray(resized.crop((left, top, left + crop_w, top + crop_h)), dtype=np.float64)
    mask = _ink_mask(pixels)
    inked = pixels[mask > 0]
    ink = (pixels - inked.mean()) * mask
    pixels = pixels - pixels.mean()
    norm = float(np.sqrt((pixels**2).sum()))
    ink_norm = float(np.sqrt((ink**2).sum()))
    if norm < _MIN_STD * math.sqrt(pixels.size) or ink_norm == 0:
        return None  # a blank region: nothing to recognise it by
    return _Variant(pixels, norm, ink, ink_norm, mask, scale, angle)


def _ink_mask(pixels: NDArray[np.float64]) -> NDArray[np.float64]:
    """Where the template has ink, grown by a pixel; everywhere if it has too little ink to tell.

    A stamp is printed over whatever the paper already holds (typed lines, a signature): comparing
    only where the template has ink ignores that clutter, and compares the letters, not the paper.
    """
    paper = float(np.percentile(pixels, 90))
    ink = pixels < paper - _INK_CONTRAST
    grown = ink.copy()
    grown[1:, :] |= ink[:-1, :]
    grown[:-1, :] |= ink[1:, :]
    grown[:, 1:] |= ink[:, :-1]
    grown[:, :-1] |= ink[:, 1:]
    if grown.mean() < _MIN_INK_SHARE:
        return np.ones_like(pixels)
    return grown.astype(np.float64)


# -- correlation ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _fast_size(n: int) -> int:
    """The next size at or above ``n`` with no prime factor over 5 (the FFT is fastest there)."""
    size = n
    while True:
        m = size
        for p in (2, 3, 5):
            while m % p == 0:
                m //= p
        if m == 1:
            return size
        size += 1


def _integrals(image: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    first = np.zeros((image.shape[0] + 1, image.shape[1] + 1))
    second = np.zeros_like(first)
    first[1:, 1:] = image.cumsum(0).cumsum(1)
    second[1:, 1:] = (image * image).cumsum(0).cumsum(1)
    return first, second


def _window(integral: NDArray[np.float64], h: int, w: int) -> NDArray[np.float64]:
    window: NDArray[np.float64] = (
        integral[h:, w:] - integral[:-h, w:] - integral[h:, :-w] + integral[:-h, :-w]
    )
    return window


class _Correlator:
    """One image (a page level, or a window of it) ready to be correlated with many variants."""

    def __init__(self, image: NDArray[np.float64]) -> None:
        self.image = image
        self.shape = (_fast_size(image.shape[0]), _fast_size(image.shape[1]))
        self.spectrum = np.fft.rfft2(image, s=self.shape)
        self._squares: NDArray[np.complex128] | None = None
        self.first, self.second = _integrals(image)

    def _valid(self, variant: _Variant) -> tuple[int, int]:
        h, w = variant.pixels.shape
        return self.image.shape[0] - h + 1, self.image.shape[1] - w + 1

    def _correlate(
        self, spectrum: NDArray[np.complex128], other: NDArray[np.complex128]
    ) -> NDArray[np.float64]:
        result: NDArray[np.float64] = np.fft.irfft2(spectrum * other, s=self.shape)
        return result

    def ncc(self, variant: _Variant, spectrum: NDArray[np.complex128]) -> NDArray[np.float64] | None:
        """Scores at every top-left position where the variant fits entirely in the image."""
        rows, cols = self._valid(variant)
        if rows < 1 or cols < 1:
            return None
        h, w = variant.pixels.shape
        corr = self._correlate(self.spectrum, spectrum)[:rows, :cols]
        n = h * w
        total = _window(self.first, h, w)
        variance = _window(self.second, h, w) - total * total / n
        variance = np.maximum(variance, n * _MIN_STD**2)
        scores: NDArray[np.float64] = corr / (np.sqrt(variance) * variant.norm)
        return scores

    def masked_ncc(
        self, variant: _Variant, spectra: tuple[NDArray[np.complex128], NDArray[np.complex128]]
    ) -> NDArray[np.float64] | None:
        """Scores over the variant's ink mask only (three correlations instead of one)."""
        rows, cols = self._valid(variant)
        if rows < 1 or cols < 1:
            return None
        if self._squares is None:
            self._squares = np.fft.rfft2(self.image * self.image, s=self.shape)
        ink, mask = spectra
        n = float(variant.mask.sum())
        corr = self._correlate(self.spectrum, ink)[:rows, :cols]
        total = self._correlate(self.spectrum, mask)[:rows, :cols]
        squares = self._correlate(self._squares, mask)[:rows, :cols]
        variance = np.maximum(squares - total * total / n, n * _MIN_STD**2)
        scores: NDArray[np.float64] = corr / (np.sqrt(variance) * variant.ink_norm)
        return scores


# -- the two stages ---------------------------------------------------------------------------------------


def _coarse_level(template: RegionTemplate, features: PageFeatures) -> int:
    short_in = min(template.width_pt, template.height_pt) / 72.0
    chosen = 0
    for index in range(len(features.levels)):
        if short_in * MIN_SCALE * features.dpi / 2**index >= _COARSE_SIDE:
            chosen = index
    return chosen


def _search_page(
    template: RegionTemplate, features: PageFeatures, threshold: float, per_page: int
) -> list[tuple[float, tuple[float, float, float, float], tuple[float, float], float, float]]:
    level = _coarse_level(template, features)
    level_dpi = features.dpi / 2**level
    page = features.levels[level].astype(np.float64)
    correlator = _Correlator(page)
    best: NDArray[np.float64] = np.full(page.shape, -1.0)
    best_scale: NDArray[np.float64] = np.zeros(page.shape)
    for scale in _COARSE_SCALES:
        variant = template.variant(level_dpi, scale, 0.0)
        if variant is None:
            continue
        scores = correlator.ncc(variant, template.spectrum(level_dpi, scale, 0.0, correlator.shape))
        if scores is None:
            continue
        h, w = variant.pixels.shape
        # index the scores by the variant's centre so that all sizes share one map
        target = best[h // 2 : h // 2 + scores.shape[0], w // 2 : w // 2 + scores.shape[1]]
        better = scores > target
        target[better] = scores[better]
        best_scale[h // 2 : h // 2 + scores.shape[0], w // 2 : w // 2 + scores.shape[1]][better] = scale
    found = []
    radius = max(2, int(min(template.width_pt, template.height_pt) / 72.0 * level_dpi * MIN_SCALE / 2))
    for _ in range(_CANDIDATES):
        index = int(np.argmax(best))
        y, x = divmod(index, best.shape[1])
        if best[y, x] < _COARSE_THRESHOLD:
            break
        scale = float(best_scale[y, x])
        best[max(0, y - radius) : y + radius + 1, max(0, x - radius) : x + radius + 1] = -1.0
        refined = _refine(template, features, (y + 0.5) / level_dpi, (x + 0.5) / level_dpi, scale, level_dpi)
        if refined is not None and refined[0] >= threshold:
            found.append(refined)
    found.sort(key=lambda f: -f[0])
    kept: list[tuple[float, tuple[float, float, float, float], tuple[float, float], float, float]] = []
    for candidate in found:
        cx, cy = candidate[2]
        if all(math.dist((cx, cy), k[2]) > 0.5 * min(template.width_pt, template.height_pt) for k in kept):
            kept.append(candidate)
    return kept[:per_page]


def _refine(
    template: RegionTemplate,
    features: PageFeatures,
    cy_in: float,
    cx_in: float,
    scale: float,
    coarse_dpi: float,
) -> tuple[float, tuple[float, float, float, float], tuple[float, float], float, float] | None:
    dpi = features.dpi
    page = features.levels[0]
    # the coarse centre is good to about one coarse pixel, plus what a wrong size or angle shifts it
    margin = math.ceil(2.5 * dpi / coarse_dpi) + 2
    half_w = template.width_pt / 72.0 * dpi * MAX_SCALE / 2
    half_h = template.height_pt / 72.0 * dpi * MAX_SCALE / 2
    cy, cx = cy_in * dpi, cx_in * dpi
    top, left = max(0, int(cy - half_h - margin)), max(0, int(cx - half_w - margin))
    bottom = min(page.shape[0], math.ceil(cy + half_h + margin))
    right = min(page.shape[1], math.ceil(cx + half_w + margin))
    window = page[top:bottom, left:right].astype(np.float64)
    if window.size == 0:
        return None
    correlator = _Correlator(window)

    def score(s: float, a: float) -> tuple[float, float, float]:
        variant = template.variant(dpi, s, a)
        if variant is None:
            return -1.0, 0.0, 0.0
        scores = correlator.masked_ncc(variant, template.ink_spectra(dpi, s, a, correlator.shape))
        if scores is None:
            return -1.0, 0.0, 0.0
        index = int(np.argmax(scores))
        y, x = divmod(index, scores.shape[1])
        h, w = variant.pixels.shape
        return float(scores[y, x]), top + y + h / 2, left + x + w / 2

    def snap(s: float) -> float:
        return min(MAX_SCALE, max(MIN_SCALE, round(s / _FINE_SCALE_STEP) * _FINE_SCALE_STEP))

    best_s, best_a = snap(scale), 0.0
    best = score(best_s, best_a)
    for _ in range(2):  # turn, then size, then turn again: the two barely interact
        for a in _FINE_ANGLES:
            trial = score(best_s, a)
            if trial[0] > best[0]:
                best, best_a = trial, a
        for step in (-2, -1, 1, 2):
            s = snap(best_s + step * _FINE_SCALE_STEP)
            trial = score(s, best_a)
            if trial[0] > best[0]:
                best, best_s = trial, s
    value, py, px = best
    if value < 0:
        return None
    center = (px * 72.0 / dpi, py * 72.0 / dpi)
    w, h = template.width_pt * best_s, template.height_pt * best_s
    c, s = abs(math.cos(math.radians(best_a))), abs(math.sin(math.radians(best_a)))
    half = ((w * c + h * s) / 2, (w * s + h * c) / 2)
    rect = (center[0] - half[0], center[1] - half[1], center[0] + half[0], center[1] + half[1])
    return min(1.0, value), rect, center, round(best_s, 3), round(best_a, 3)
