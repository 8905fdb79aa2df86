"""Copy-move: parts of one page or picture that are copies of each other (a cloned stamp, a pasted line).

The method of Amerini et al. (2011), as Sherloq and Forensically use it, with OpenCV doing the work:
SIFT keypoints of the page matched against each other with the generalised 2-nearest-neighbour test
(g2NN: a keypoint matches another only if that one is much nearer than the next), the matched pairs
grouped by one similarity transform each (RANSAC, so a copy that was moved, turned or resized a
little is found too), and each group kept only if its two copies lie apart and are big enough to be
a stamp, a signature or a line.

Scans are full of things that look alike: the letters of a typed page, table lines, the boxes of a
form. The ratio test drops a keypoint that has many near-twins (every "e"), and the last check drops
what is left: a real clone copies the paper's grain with the ink, so the two copies agree pixel for
pixel beyond their shapes, where two prints of the same word on a scan differ in their grain.

This is on demand, one page at a time (about a second a page at 200 dpi), never at import.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from reviewer.core.forensics.signals import Severity, Signal

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: The resolution pages are examined at; finer pictures are scaled down to it first.
WORK_DPI = 200.0
_MAX_KEYPOINTS = 15_000
_NEIGHBOURS = 8  # g2NN looks this far down each keypoint's list of nearest descriptors
_RATIO = 0.5  # g2NN: the next neighbour must be at least twice as far
_MAX_TWINS = 2  # a stamp cloned twice is three copies; more is a pattern (table rows, form boxes)
_MIN_INLIERS = 12  # keypoint pairs that one transform explains: fewer is chance
_MIN_SIDE_IN = 0.15  # each copy's keypoints span at least this (inches) in both directions
_MIN_APART_IN = 0.25  # the copies' centres are at least this far apart (inches)
_MAX_ROUNDS = 12  # groups looked for on one page
_BUNCH_GAP_IN = 0.4  # keypoints of one copy lie closer than this (inches) to one of its others
_SCALE_RANGE = (0.6, 1.6)
#: How alike the two copies' shapes must be once one is laid on the other (correlation of detail).
MIN_LIKENESS = 0.6
#: How alike their bare paper must be (correlation of its grain): two prints of a word share nothing
#: there (about 0 to 0.15 on the test scans), a clone shares the scanner's noise (0.4 to 0.8 after JPEG
#: at quality 60 to 90).
MIN_SAMENESS = 0.3
_INK_CONTRAST = 35  # darker than the paper by this much is ink
_MIN_BARE_PIXELS = 400
_MIN_GRAIN = 0.8  # grey levels (standard deviation): scans have 1.2 and more, flat or bilevel paper 0.4


@dataclass(frozen=True, slots=True)
class CopyMove:
    """Two regions of one picture that are copies of each other.

    ``source`` and ``copy`` are boxes (x0, y0, x1, y1) in the pixels given; ``pairs`` is how many
    keypoint pairs one transform explains; ``scale`` and ``angle`` (degrees) are that transform's;
    ``sameness`` (-1 to 1) how alike the grain of their bare paper is once one is laid on the other
    (about 0 for two prints of one word, well above for a clone, which copies the scanner's noise
    too); ``shift`` is where the transform moves the source's top-left corner to.
    """

    source: tuple[float, float, float, float]
    copy: tuple[float, float, float, float]
    pairs: int
    scale: float
    angle: float
    sameness: float
    shift: tuple[float, float] = (0.0, 0.0)

    def scaled(self, factor: float) -> CopyMove:
        """The same finding with its boxes multiplied by ``factor`` (pixels to points, say)."""
        s = tuple(round(v * factor, 1) for v in self.source)
        c = tuple(round(v * factor, 1) for v in self.copy)
        moved = (round(self.shift[0] * factor, 1), round(self.shift[1] * factor, 1))
        return CopyMove(s, c, self.pairs, self.scale, self.angle, self.sameness, moved)  # type: ignore[arg-type]

    def model(self) -> NDArray[np.float64]:
        """The 2×3 similarity transform that lays the source onto the copy."""
        turn = math.radians(self.angle)
        cos, sin = self.scale * math.cos(turn), self.scale * math.sin(turn)
        x, y = self.source[0], self.source[1]
        # chosen so that the source's top-left corner lands on ``shift``
        return np.array(
            [
                [cos, -sin, self.shift[0] - (cos * x - sin * y)],
                [sin, cos, self.shift[1] - (sin * x + cos * y)],
            ]
        )


def find_copies(pixels: NDArray[np.uint8], dpi: float) -> list[CopyMove]:
    """The copied regions of a grey (H×W) or colour (H×W×3) picture drawn at ``dpi``; boxes in its pixels.

    The strongest first; an empty list for a page with nothing copied.
    """
    if pixels.ndim == 2:
        grey = np.asarray(pixels, np.uint8)
    else:
        grey = np.asarray(cv2.cvtColor(np.ascontiguousarray(pixels[:, :, :3]), cv2.COLOR_RGB2GRAY), np.uint8)
    if grey.size == 0 or min(grey.shape) < 32:
        return []
    factor = 1.0
    if dpi > WORK_DPI * 1.05:
        factor = WORK_DPI / dpi
        grey = np.asarray(
            cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), np.uint8
        )
        dpi = WORK_DPI
    grey = np.ascontiguousarray(grey)
    points, descriptors = _keypoints(grey)
    if descriptors is None or len(points) < 2 * _MIN_INLIERS:
        return []
    first, second = _g2nn_pairs(points, descriptors, min_apart=_MIN_APART_IN * dpi)
    found = [_with_sameness(grey, c) for c in _groups(points, first, second, dpi)]
    kept = [c for c in found if c.sameness >= MIN_SAMENESS]
    kept.sort(key=lambda c: -c.pairs)
    return [c.scaled(1.0 / factor) if factor != 1.0 else c for c in kept]


def _keypoints(grey: NDArray[np.uint8]) -> tuple[NDArray[np.float32], NDArray[np.float32] | None]:
    sift = cv2.SIFT.create(nfeatures=_MAX_KEYPOINTS)
    keypoints, descriptors = sift.detectAndCompute(grey, None)
    if descriptors is None or not keypoints:
        return np.zeros((0, 2), np.float32), None
    points = np.array([k.pt for k in keypoints], dtype=np.float32)
    return points, descriptors.astype(np.float32)


def _g2nn_pairs(
    points: NDArray[np.float32], descriptors: NDArray[np.float32], *, min_apart: float
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Index pairs (i, j), each once with i < j, that pass the generalised 2-nearest-neighbour test."""
    k = min(_NEIGHBOURS + 1, len(points))
    matcher = cv2.FlannBasedMatcher({"algorithm": 1, "trees": 4}, {"checks": 64})
    matches = matcher.knnMatch(descriptors, descriptors, k=k)
    pairs: set[tuple[int, int]] = set()
    for row in matches:
        near = [m for m in row if m.trainIdx != m.queryIdx]  # the keypoint itself is not a match
        twins = _twins([m.distance for m in near])
        for m in near[:twins]:
            i, j = m.queryIdx, m.trainIdx
            if float(np.hypot(*(points[i] - points[j]))) >= min_apart:
                pairs.add((min(i, j), max(i, j)))
    if not pairs:
        empty = np.zeros(0, np.intp)
        return empty, empty
    both = np.array(sorted(pairs), dtype=np.intp)
    return both[:, 0], both[:, 1]


def _twins(distances: list[float]) -> int:
    """How many of the nearest descriptors are twins (g2NN), or 0 if there are none or too many.

    The twins are those before the first big jump in distance (the next at least twice as far). A
    keypoint with more than :data:`_MAX_TWINS` is part of a pattern a page repeats on purpose (the
    rows of a table, a letter of a typed page): no evidence of a copy, however alike.
    """
    for index in range(len(distances) - 1):
        if distances[index] < _RATIO * distances[index + 1]:
            return index + 1 if index + 1 <= _MAX_TWINS else 0
    return 0


def _groups(
    points: NDArray[np.float32], first: NDArray[np.intp], second: NDArray[np.intp], dpi: float
) -> list[CopyMove]:
    """Groups of pairs that one similarity transform explains, found one after another by RANSAC."""
    if len(first) < _MIN_INLIERS:
        return []
    # each pair both ways round: which copy is the "source" is unknown, and RANSAC needs one direction
    src = np.concatenate([points[first], points[second]])
    dst = np.concatenate([points[second], points[first]])
    ids = np.concatenate([np.arange(len(first)), np.arange(len(first))])
    left = np.ones(len(src), dtype=bool)
    cv2.setRNGSeed(0)  # RANSAC draws at random: the same page gives the same findings every time
    found: list[CopyMove] = []
    threshold = 3.0 * dpi / WORK_DPI
    for _ in range(_MAX_ROUNDS):
        if int(left.sum()) < _MIN_INLIERS:
            break
        where = np.flatnonzero(left)
        # OpenCV gives None for both when no model fits, though its stubs say otherwise
        estimate: tuple[Any, Any] = cv2.estimateAffinePartial2D(
            src[where], dst[where], method=cv2.RANSAC, ransacReprojThreshold=threshold, maxIters=4000
        )
        model, inliers = estimate
        if model is None or inliers is None:
            break
        chosen = where[inliers.ravel().astype(bool)]
        if len(chosen) < _MIN_INLIERS:
            break
        left[np.isin(ids, ids[chosen])] = False  # a pair explained is done, whichever way round
        scale = float(math.hypot(model[0, 0], model[1, 0]))
        angle = math.degrees(math.atan2(model[1, 0], model[0, 0]))
        # a transform may also explain a few chance pairs elsewhere (a word typed twice the same
        # distance apart): the copy is the biggest tight bunch of its pairs
        bunch = _biggest_bunch(src[chosen], dpi)
        if int(bunch.sum()) < _MIN_INLIERS:
            continue
        a, b = src[chosen][bunch], dst[chosen][bunch]
        corner = model @ np.array([a[:, 0].min(), a[:, 1].min(), 1.0])
        copy = CopyMove(_box(a), _box(b), len(a), scale, angle, 0.0, (float(corner[0]), float(corner[1])))
        if _SCALE_RANGE[0] <= scale <= _SCALE_RANGE[1] and _big_and_apart(copy, dpi):
            found.append(copy)
    return found


def _biggest_bunch(points: NDArray[np.float32], dpi: float) -> NDArray[np.bool_]:
    """Which of ``points`` belong to the biggest bunch: points within :data:`_BUNCH_GAP_IN` of a neighbour."""
    cell = _BUNCH_GAP_IN * dpi / 2
    cells = np.floor(points / cell).astype(np.int64)
    cells -= cells.min(axis=0)
    height, width = int(cells[:, 1].max()) + 3, int(cells[:, 0].max()) + 3
    grid = np.zeros((height, width), np.uint8)
    grid[cells[:, 1] + 1, cells[:, 0] + 1] = 1
    grid = np.asarray(cv2.dilate(grid, np.ones((3, 3), np.uint8)), np.uint8)  # neighbouring cells touch
    _count, labels = cv2.connectedComponents(grid, connectivity=8)
    of_point = labels[cells[:, 1] + 1, cells[:, 0] + 1]
    biggest = np.bincount(of_point).argmax()
    chosen: NDArray[np.bool_] = of_point == biggest
    return chosen


def _box(points: NDArray[np.float32]) -> tuple[float, float, float, float]:
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    return (float(x0), float(y0), float(x1), float(y1))


def _big_and_apart(copy: CopyMove, dpi: float) -> bool:
    side = _MIN_SIDE_IN * dpi
    for x0, y0, x1, y1 in (copy.source, copy.copy):
        if x1 - x0 < side or y1 - y0 < side:
            return False
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = copy.source, copy.copy
    apart = math.hypot((ax0 + ax1 - bx0 - bx1) / 2, (ay0 + ay1 - by0 - by1) / 2)
    overlap = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    smaller = min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))
    return apart >= _MIN_APART_IN * dpi and overlap <= 0.5 * smaller


def _with_sameness(grey: NDArray[np.uint8], copy: CopyMove) -> CopyMove:
    """``copy`` with how alike the two regions' paper is, one laid on the other (0: unlike shapes)."""
    model = copy.model()
    pad = 8
    x0, y0 = (max(0, int(v) - pad) for v in copy.copy[:2])
    x1 = min(grey.shape[1], math.ceil(copy.copy[2]) + pad)
    y1 = min(grey.shape[0], math.ceil(copy.copy[3]) + pad)
    same = 0.0
    if x1 - x0 >= 8 and y1 - y0 >= 8:
        laid = cv2.warpAffine(grey, model, (grey.shape[1], grey.shape[0]), flags=cv2.INTER_LINEAR)
        target = grey[y0:y1, x0:x1].astype(np.float32)
        moved = laid[y0:y1, x0:x1].astype(np.float32)
        if _correlation(_detail(target), _detail(moved)) >= MIN_LIKENESS:
            same = _grain_correlation(target, moved)
    return CopyMove(
        copy.source,
        copy.copy,
        copy.pairs,
        round(copy.scale, 3),
        round(copy.angle, 1),
        round(same, 3),
        copy.shift,
    )


def _detail(pixels: NDArray[np.float32]) -> NDArray[np.float32]:
    """What a slight blur takes away: edges of ink, and the grain of paper and scanner."""
    detail: NDArray[np.float32] = pixels - cv2.GaussianBlur(pixels, (0, 0), 2.0)
    return detail


def _correlation(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    a, b = a - a.mean(), b - b.mean()
    norm = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum()) / norm if norm > 0 else 0.0


def _grain_correlation(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    """How alike two aligned regions' detail is on bare paper only, away from any ink in either.

    Two prints of one word share the shapes of their letters; only a copy shares the noise between
    them. Too little bare paper, or paper without grain, cannot tell: 0.
    """
    paper = float(np.median(a))
    ink = ((a < paper - _INK_CONTRAST) | (b < paper - _INK_CONTRAST)).astype(np.uint8)
    # far enough from ink that a JPEG's ringing around letters is not taken for grain
    bare = cv2.dilate(ink, np.ones((19, 19), np.uint8)) == 0
    if int(bare.sum()) < _MIN_BARE_PIXELS:
        return 0.0
    grain_a, grain_b = _detail(a)[bare], _detail(b)[bare]
    if min(float(grain_a.std()), float(grain_b.std())) < _MIN_GRAIN:
        return 0.0  # flat paper (a picture never scanned): a copy and a repeat look the same
    return _correlation(grain_a, grain_b)


#: Above this sameness the paper's grain agrees well beyond chance: a warning, not a notice.
CLONE_SAMENESS = 0.45


def copy_move_signal(found: CopyMove, page: int) -> Signal:
    """The signal for one finding, its boxes already in points; ``page`` 0-based, as checks count."""
    clone = found.sameness >= CLONE_SAMENESS
    return Signal(
        "image.copy_move",
        Severity.WARNING if clone else Severity.NOTICE,
        f"Page {page + 1}: two regions are copies of each other",
        "One part of the page is a copy of another part"
        + (", down to the grain of the paper" if clone else "")
        + ". Printed pages repeat letters and lines, but not the noise of a scan: a stamp, a signature "
        "or a line copied from elsewhere on the page in an image editor looks like this. Compare the "
        "two boxes; a form printed twice on one sheet, or a page scanned with a repeating pattern, "
        "can look alike too.",
        {
            "source": list(found.source),
            "copy": list(found.copy),
            "keypoint_pairs": found.pairs,
            "scale": found.scale,
            "angle": found.angle,
            "sameness": found.sameness,
        },
        page,
    )
