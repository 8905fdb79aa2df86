"""Region search with OpenCV: the same stamp, seal or signature at any size, turn and slant.

A page and a template (an annotated region's pixels) are each described by SIFT keypoints: places
recognisable at whatever size they are drawn, with a 128-number description of what surrounds them.
Template keypoints are paired with page keypoints whose descriptions are clearly the closest (Lowe's
ratio test); RANSAC then finds the one homography (a perspective mapping: size, turn, slant of a page
photographed at an angle) that most pairs agree with. A homography that enough pairs agree with, of a
plausible size and turn, is then checked on the pixels: the page is un-warped onto the template and
their ink compared (normalised cross-correlation over the template's ink only, so typed text printed
over or under the stamp on the page does not count against it).

Sizes are in the pixels of the images given: the caller draws each page at its own resolution (a scan's
or a photo's pixels, whatever DPI its header claims), so a scale here is the hit's size in its page's
pixels over the template's size in its own page's pixels. Nothing here reads files or runs PyMuPDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Bumped whenever what :func:`page_features` makes changes: kept features of another version are rebuilt.
FEATURES_VERSION = 1
#: Pages longer than this (in pixels) are reduced before their keypoints are found: SIFT's time grows
#: with the pixels, and a 40 mm stamp at a third of its size still spans ~60 pixels at this size.
WORK_SIDE = 2000
#: Sizes and turns searched: what a scan, a copy or a hand-held photo of a page does to a stamp.
MIN_SCALE, MAX_SCALE = 0.3, 3.0
MAX_ANGLE = 15.0
#: Pairs of keypoints that must agree on one homography before the pixels are compared.
MIN_INLIERS = 10
#: The un-warped pixels must correlate at least this much with the template's ink.
MIN_CORRELATION = 0.45
#: At or above these, a match is called strong (plain words in the window).
STRONG_CORRELATION, STRONG_INLIERS = 0.7, 30
_FLANN_KDTREE = 1
_RATIO = 0.8  # Lowe's ratio test: the best pairing must be clearly better than the second best
_RANSAC_PX = 4.0  # in the template's pixels a pair may be off by this and still agree
_MAX_TEMPLATE_KEYPOINTS = 3000  # at each level
_TEMPLATE_LEVELS = (1.0, 0.6, 0.36)
_MIN_TEMPLATE_KEYPOINTS = 12
_MIN_TEMPLATE_PX = 24
_MAX_SLANT = 2.2  # the longer over the shorter axis of the local mapping: ~60° of tilt, well past 25°
_INK_CONTRAST = 40  # grey levels below the template's paper that count as ink
_MIN_INK_SHARE = 0.02


@dataclass(frozen=True, slots=True)
class Features:
    """Keypoints of an image: their places (N×2, x then y, in the image's pixels) and descriptors.

    ``width`` and ``height`` are the image's size in the same pixels. Plain numpy arrays: picklable,
    and kept per page in the case's derived data.
    """

    points: NDArray[np.float32]
    descriptors: NDArray[np.float32]
    width: int
    height: int

    @property
    def nbytes(self) -> int:
        """The memory (and roughly the storage) the features take."""
        return int(self.points.nbytes + self.descriptors.nbytes)


@dataclass(frozen=True, slots=True)
class Template:
    """A region to look for, built by :func:`region_template`: its grey pixels, ink and keypoints."""

    pixels: NDArray[np.uint8]
    ink: NDArray[np.bool_]
    features: Features


@dataclass(frozen=True, slots=True)
class Match:
    """A place where the template was found on a page.

    ``homography`` (3×3, row by row) maps the template's pixels onto the page's; ``corners`` are the
    template's corners mapped onto the page (top left, top right, bottom right, bottom left) and
    ``box`` (x0, y0, x1, y1) the box around them, in the page's pixels. ``scale`` is the found size
    over the template's, ``angle`` its turn in degrees (counter-clockwise), ``slant`` how unevenly it
    is stretched (1 for a flat copy; a page photographed tilted by 25° gives about 1.1).
    ``inliers`` is how many keypoint pairs agree, ``correlation`` how closely the un-warped pixels
    agree with the template's ink (at most 1).
    """

    homography: tuple[float, ...]
    corners: tuple[tuple[float, float], ...]
    box: tuple[float, float, float, float]
    scale: float
    angle: float
    slant: float
    inliers: int
    correlation: float

    @property
    def strong(self) -> bool:
        """Whether both the keypoints and the pixels agree well."""
        return self.correlation >= STRONG_CORRELATION and self.inliers >= STRONG_INLIERS

    def matrix(self) -> NDArray[np.float64]:
        """The homography as a 3×3 array."""
        return np.array(self.homography, dtype=np.float64).reshape(3, 3)


def _detector() -> cv2.SIFT:
    return cv2.SIFT.create()


def work_size(width: int, height: int) -> float:
    """The factor a page of this many pixels is reduced by (at most 1) before its keypoints are found."""
    longest = max(width, height)
    return min(1.0, WORK_SIDE / longest) if longest > 0 else 1.0


def to_grey(pixels: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Grey pixels from grey, RGB or RGBA ones."""
    if pixels.ndim == 2:
        return np.ascontiguousarray(pixels)
    if pixels.shape[2] == 4:
        return np.asarray(cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGBA2GRAY), np.uint8)
    if pixels.shape[2] == 3:
        return np.asarray(cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2GRAY), np.uint8)
    return np.ascontiguousarray(pixels[:, :, 0])


def features_of(pixels: NDArray[np.uint8], *, limit: int = 0) -> Features:
    """SIFT keypoints of grey (or colour) pixels, at most ``limit`` of the strongest (0: all)."""
    grey = to_grey(pixels)
    keypoints, descriptors = cv2.SIFT.create(nfeatures=limit).detectAndCompute(grey, None)
    if descriptors is None or not keypoints:
        return Features(
            np.zeros((0, 2), np.float32), np.zeros((0, 128), np.float32), grey.shape[1], grey.shape[0]
        )
    points = np.array([k.pt for k in keypoints], dtype=np.float32).reshape(-1, 2)
    return Features(points, np.asarray(descriptors, np.float32), grey.shape[1], grey.shape[0])


def page_features(pixels: NDArray[np.uint8]) -> Features:
    """The keypoints of a page, in the page's own pixels (found on it reduced to :data:`WORK_SIDE`)."""
    grey = to_grey(pixels)
    factor = work_size(grey.shape[1], grey.shape[0])
    if factor < 1.0:
        small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        found = features_of(np.asarray(small, np.uint8))
        points = found.points / np.float32(factor)
        return Features(points.astype(np.float32), found.descriptors, grey.shape[1], grey.shape[0])
    return features_of(grey)


def region_template(pixels: NDArray[np.uint8]) -> Template:
    """A template from a region's pixels (grey or colour); ValueError if it holds too little to find."""
    grey = to_grey(pixels)
    if min(grey.shape) < _MIN_TEMPLATE_PX:
        raise ValueError("the region is too small to search for")
    features = _pyramid_features(grey)
    if len(features.points) < _MIN_TEMPLATE_KEYPOINTS or float(grey.std()) < 3.0:
        raise ValueError("the region holds too little detail to be found again (it looks blank)")
    return Template(grey, _ink_mask(grey), features)


def _pyramid_features(grey: NDArray[np.uint8]) -> Features:
    """The template's keypoints found on it at full size and reduced, all in its full-size pixels.

    A stamp found at a third of its size has lost the template's finest detail: keypoints found on the
    template reduced alike are the ones that still have a partner there.
    """
    points, descriptors = [], []
    for factor in _TEMPLATE_LEVELS:
        size = (round(grey.shape[1] * factor), round(grey.shape[0] * factor))
        if min(size) < _MIN_TEMPLATE_PX:
            break
        level = grey if factor == 1 else cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
        found = features_of(np.asarray(level, np.uint8), limit=_MAX_TEMPLATE_KEYPOINTS)
        points.append(found.points / np.float32(factor))
        descriptors.append(found.descriptors)
    return Features(
        np.concatenate(points).astype(np.float32),
        np.concatenate(descriptors).astype(np.float32),
        grey.shape[1],
        grey.shape[0],
    )


def _ink_mask(grey: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """Where the template has ink, grown by two pixels; everywhere if it has too little ink to tell.

    A stamp is printed over whatever the paper already holds: comparing only where the template has
    ink ignores that clutter on the page searched, and compares the stamp, not the paper.
    """
    paper = float(np.percentile(grey, 90))
    ink = (grey < paper - _INK_CONTRAST).astype(np.uint8)
    grown = cv2.dilate(ink, np.ones((5, 5), np.uint8)) > 0
    if grown.mean() < _MIN_INK_SHARE:
        return np.ones(grey.shape, bool)
    return np.asarray(grown, dtype=np.bool_)


# -- finding ---------------------------------------------------------------------------------------------


def find_candidates(template: Template, page: Features, *, per_page: int = 3) -> list[Match]:
    """Places on ``page`` where enough keypoint pairs agree on one plausible homography, best first.

    Their ``correlation`` is 0 until :func:`verify` compares the pixels. After each place is found,
    its pairs are set aside and the rest searched again, so a page holding the stamp twice gives both.
    """
    ours, theirs = template.features, page
    if len(ours.points) < 2 or len(theirs.points) < 2:
        return []
    # FLANN's trees are ~5× quicker than comparing every pair and pair the same; its trees and RANSAC
    # draw random numbers: seeded, the same search gives the same places and numbers every time
    cv2.setRNGSeed(0)
    matcher = cv2.FlannBasedMatcher({"algorithm": _FLANN_KDTREE, "trees": 4}, {"checks": 64})
    pairs = matcher.knnMatch(ours.descriptors, theirs.descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < _RATIO * p[1].distance]
    src = np.array([ours.points[m.queryIdx] for m in good], np.float32).reshape(-1, 2)
    dst = np.array([theirs.points[m.trainIdx] for m in good], np.float32).reshape(-1, 2)
    found: list[Match] = []
    while len(src) >= MIN_INLIERS and len(found) < per_page:
        # the template's pixels are where a pair may be off by a few pixels: map the page onto them
        found_h: tuple[Any, Any] = cv2.findHomography(
            dst, src, cv2.RANSAC, _RANSAC_PX, maxIters=4000, confidence=0.999
        )
        inverse, mask = found_h  # None and None where RANSAC finds nothing
        if inverse is None or mask is None:
            break
        agree = np.asarray(mask).ravel().astype(bool)
        if int(agree.sum()) < MIN_INLIERS:
            break
        match = _plausible(template, np.asarray(inverse, np.float64), int(agree.sum()))
        if match is not None:
            found.append(match)
        # set aside the pairs that agreed, and those landing inside this place
        inside = _inside(dst, match.corners) if match is not None else np.zeros(len(dst), bool)
        keep = ~(agree | inside)
        if keep.all():
            break
        src, dst = src[keep], dst[keep]
    return sorted(found, key=lambda m: -m.inliers)


def _inside(points: NDArray[np.float32], corners: tuple[tuple[float, float], ...]) -> NDArray[np.bool_]:
    contour = np.array(corners, np.float32).reshape(-1, 1, 2)
    return np.array(
        [cv2.pointPolygonTest(contour, (float(x), float(y)), False) >= 0 for x, y in points], bool
    )


def _plausible(template: Template, inverse: NDArray[np.float64], inliers: int) -> Match | None:
    """The match a page-to-template homography describes, or None if no stamp is drawn like that."""
    try:
        forward = np.linalg.inv(inverse)
    except np.linalg.LinAlgError:
        return None
    forward = forward / forward[2, 2]
    height, width = template.pixels.shape
    corners_in = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float64)
    ones = np.hstack([corners_in, np.ones((4, 1))])
    mapped = ones @ forward.T
    if np.any(mapped[:, 2] <= 1e-6):
        return None  # the template's plane folds over the horizon: not a view of a page
    corners = mapped[:, :2] / mapped[:, 2:3]
    if not cv2.isContourConvex(corners.astype(np.float32).reshape(-1, 1, 2)):
        return None
    scale, angle, slant = _local_shape(forward, width / 2, height / 2)
    limit = MAX_ANGLE + 5.0  # a tilted page turns a stamp's sides unevenly: room past the range
    if not (MIN_SCALE * 0.85 <= scale <= MAX_SCALE * 1.15 and abs(angle) <= limit and slant <= _MAX_SLANT):
        return None
    xs, ys = corners[:, 0], corners[:, 1]
    return Match(
        tuple(float(v) for v in forward.ravel()),
        tuple((float(x), float(y)) for x, y in corners),
        (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())),
        round(scale, 3),
        round(angle, 2),
        round(slant, 3),
        inliers,
        0.0,
    )


def _local_shape(homography: NDArray[np.float64], x: float, y: float) -> tuple[float, float, float]:
    """Size, turn (degrees, counter-clockwise on the page) and slant of the mapping around (x, y)."""
    h = homography
    w = h[2, 0] * x + h[2, 1] * y + h[2, 2]
    u = h[0, 0] * x + h[0, 1] * y + h[0, 2]
    v = h[1, 0] * x + h[1, 1] * y + h[1, 2]
    jacobian = np.array(
        [
            [(h[0, 0] * w - u * h[2, 0]) / w**2, (h[0, 1] * w - u * h[2, 1]) / w**2],
            [(h[1, 0] * w - v * h[2, 0]) / w**2, (h[1, 1] * w - v * h[2, 1]) / w**2],
        ]
    )
    determinant = float(np.linalg.det(jacobian))
    if determinant <= 0:
        return 0.0, 180.0, math.inf  # mirrored
    singular = np.linalg.svd(jacobian, compute_uv=False)
    # y grows downwards: a counter-clockwise turn on the page is a clockwise one in these coordinates
    angle = math.degrees(math.atan2(jacobian[0, 1] - jacobian[1, 0], jacobian[0, 0] + jacobian[1, 1]))
    return math.sqrt(determinant), angle, float(singular[0] / singular[1])


# -- checking the pixels ---------------------------------------------------------------------------------


def unwarp(
    pixels: NDArray[np.uint8],
    homography: NDArray[np.float64],
    size: tuple[int, int],
    origin: tuple[float, float],
) -> NDArray[np.uint8]:
    """The found place of a page brought back onto the template: ``size`` (width, height) pixels.

    ``pixels`` is the page (or a part of it whose top-left corner is at ``origin`` in the page's
    pixels), grey or colour; ``homography`` maps the template's pixels onto the page's. Outside the
    page is white.
    """
    shift = np.array([[1, 0, -origin[0]], [0, 1, -origin[1]], [0, 0, 1]], np.float64)
    mapping = shift @ homography
    border = (255, 255, 255) if pixels.ndim == 3 else 255
    warped = cv2.warpPerspective(
        np.ascontiguousarray(pixels),
        mapping,
        size,
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=border,
    )
    return np.asarray(warped, dtype=np.uint8)


def verify(
    template: Template, pixels: NDArray[np.uint8], match: Match, origin: tuple[float, float] = (0, 0)
) -> Match:
    """``match`` with its ``correlation``: the page's pixels un-warped onto the template, over its ink.

    ``pixels`` is the page or the part of it holding the match (top-left at ``origin``), in the same
    pixels as the features the match was found on. A found place smaller than the template is compared
    with the template blurred to the same sharpness.
    """
    height, width = template.pixels.shape
    found = unwarp(to_grey(pixels), match.matrix(), (width, height), origin).astype(np.float64)
    reference = template.pixels
    if match.scale < 0.9:
        small = (max(1, round(width * match.scale)), max(1, round(height * match.scale)))
        reduced = cv2.resize(reference, small, interpolation=cv2.INTER_AREA)
        reference = np.asarray(cv2.resize(reduced, (width, height)), np.uint8)
    ink = template.ink
    a = reference.astype(np.float64)[ink]
    b = found[ink]
    a, b = a - a.mean(), b - b.mean()
    spread = math.sqrt(float((a * a).sum()) * float((b * b).sum()))
    value = float((a * b).sum()) / spread if spread > 0 else 0.0
    return Match(
        match.homography,
        match.corners,
        match.box,
        match.scale,
        match.angle,
        match.slant,
        match.inliers,
        round(max(0.0, min(1.0, value)), 3),
    )


def find_region(
    template: Template, pixels: NDArray[np.uint8], features: Features | None = None, *, per_page: int = 3
) -> list[Match]:
    """Every place on a page (its pixels, and its features if already known) where the template is.

    Places whose pixels do not agree (:data:`MIN_CORRELATION`) are left out; best first.
    """
    if features is None:
        features = page_features(pixels)
    verified = [verify(template, pixels, c) for c in find_candidates(template, features, per_page=per_page)]
    kept = [m for m in verified if m.correlation >= MIN_CORRELATION]
    return sorted(kept, key=lambda m: (-m.correlation, -m.inliers))
