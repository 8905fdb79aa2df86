"""Region search: where else in the case does an annotated stamp, signature or letterhead appear?

The annotated region and every page of the case are drawn in grey at their pages' own resolution (a
scan's or a photo's pixels, whatever DPI its header claims) in worker processes and searched there
(``reviewer.core.forensics.region_match``: OpenCV's SIFT keypoints and a RANSAC homography, then the
pixels compared: 0.3–3 times the size, turned up to 15 degrees, a page photographed at an angle). The
pages' keypoints are kept in the case's derived data, so a second search skips drawing. Found boxes
are in points of the unrotated page, like annotations. This module never imports OpenCV or PyMuPDF.
"""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import Rect
from reviewer.core.forensics.phash import NEAR_IDENTICAL_BITS, from_hex, hamming, phash, phash_hex
from reviewer.core.ingest.forensic_tasks import (
    Pixels,
    RegionFound,
    RegionSearchTask,
    RegionTemplate,
    RegionTemplateTask,
    UnwarpTask,
)
from reviewer.core.services import documents
from reviewer.core.services.forensics import ON_DEMAND_LIMITS, region_pixels, run_in_worker
from reviewer.core.storage.orm import Annotation, Document, Page, RegionHash
from reviewer.core.storage.records import summary_of
from reviewer.core.workers.pool import WorkerPool
from reviewer.core.workers.registry import REGION_SEARCH, REGION_TEMPLATE, UNWARP

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable, Sequence

    import numpy as np
    from numpy.typing import NDArray

    from reviewer.core.domain.records import AnnotationRecord
    from reviewer.core.services.case import Case

Box = tuple[float, float, float, float]
TEMPLATE_DPI = 150.0
PAGES_PER_TASK = 16
IDS_PER_QUERY = 500  # document ids named in one statement at most
# A found box overlapping the template's own box this much is the template itself, not another sighting.
_SAME_PLACE = 0.3


class MatchQuality(enum.Enum):
    """How well a found place matches the region: what the window says of a hit."""

    STRONG = "strong"  # the pixels agree closely and many keypoints agree on where it is
    GOOD = "good"
    WEAK = "weak"  # found, but worth a look before it is trusted


#: A strong match: pixels correlating this much over the region's ink, with this many keypoint pairs.
STRONG_SCORE, STRONG_INLIERS = 0.75, 30
GOOD_SCORE, GOOD_INLIERS = 0.6, 15


def match_quality(score: float, inliers: int) -> MatchQuality:
    """Strong, good or weak, from the pixels' agreement and the keypoint pairs that agree."""
    if score >= STRONG_SCORE and inliers >= STRONG_INLIERS:
        return MatchQuality.STRONG
    if score >= GOOD_SCORE and inliers >= GOOD_INLIERS:
        return MatchQuality.GOOD
    return MatchQuality.WEAK


@dataclass(frozen=True, slots=True)
class RegionHit:
    """A place where the region of annotation ``annotation_id`` was found.

    ``rect`` is the box around it in points of the unrotated page; ``scale`` its size relative to the
    region (each measured in its own page's pixels), ``angle`` its turn in degrees (counter-clockwise),
    ``score`` how closely the un-warped pixels agree with the region's ink (at most 1), ``inliers`` how
    many keypoint pairs agree on where it is, ``slant`` 1 for a flat copy and more for a page seen at
    an angle. ``homography`` (3×3, row by row) maps points of the region's page onto this page's
    (what Compare un-warps with). ``annotated`` says an annotation already covers that place.
    """

    annotation_id: str
    document_id: int
    document_name: str
    page: int
    rect: Box
    score: float
    scale: float
    angle: float
    annotated: bool
    inliers: int = 0
    slant: float = 1.0
    homography: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0)

    @property
    def quality(self) -> MatchQuality:
        """How well it matches, in the words the window shows."""
        return match_quality(self.score, self.inliers)


@dataclass(frozen=True, slots=True)
class RegionProgress:
    """Pages searched so far, of all pages."""

    pages_done: int
    pages_total: int


def _overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box: 1 when one box holds the other."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / smaller if smaller > 0 else 0.0


def find_region_elsewhere(
    case: Case,
    annotation_id: str,
    *,
    documents_only: Sequence[int] | None = None,
    progress: Callable[[RegionProgress], None] | None = None,
    cancel: threading.Event | None = None,
    processes: int | None = None,
    failed: list[str] | None = None,
) -> list[RegionHit]:
    """Every other place in the case (or in ``documents_only``) where an annotated region appears, best first.

    The annotation's own place is left out; places already annotated are found too, and say so. Pages
    that could not be searched (their worker crashed, hung or ran out of memory) hold nothing found;
    each such batch is a line in ``failed``, and the search goes on.
    """
    with case.db.reading() as session:
        annotation = session.get(Annotation, annotation_id)
        if annotation is None or annotation.deleted:
            raise UsageError(f"no annotation {annotation_id!r}")
        source: tuple[int, int, Box] = (
            annotation.document_id,
            annotation.page,
            (annotation.x0, annotation.y0, annotation.x1, annotation.y1),
        )
        key = f"{annotation.id}:{source[2]}:{annotation.updated_at}"
    template = region_as_searched(case, source[0], source[1], source[2])
    hashed = region_pixels(case, source[0], source[1], source[2], TEMPLATE_DPI, grey=True)
    _keep_region_hash(case, annotation_id, source[2], phash_hex(phash(hashed.array())))

    with case.db.reading() as session:
        query = select(Document.id, Document.sha256, Document.password, Document.page_count)
        if documents_only is not None:
            query = query.where(Document.id.in_(list(documents_only)))
        tasks: deque[RegionSearchTask] = deque()
        for document_id, sha256, password, count in session.execute(query.order_by(Document.id)):
            numbers = list(range(1, count + 1))
            for start in range(0, len(numbers), PAGES_PER_TASK):
                chunk = tuple(numbers[start : start + PAGES_PER_TASK])
                tasks.append(
                    RegionSearchTask(
                        document_id,
                        str(case.layout.original(sha256)),
                        password,
                        chunk,
                        tuple(str(case.layout.region_features(sha256, n)) for n in chunk),
                        template,
                        key,
                    )
                )
    total = sum(len(t.pages) for t in tasks)
    done = 0
    if progress is not None:
        progress(RegionProgress(0, total))
    found: list[RegionFound] = []
    with WorkerPool[RegionSearchTask, tuple[RegionFound, ...]](
        REGION_SEARCH, processes=processes, limits=ON_DEMAND_LIMITS
    ) as pool:
        for outcome in pool.run(tasks, cancel):
            found.extend(outcome.result or ())  # a page that cannot be searched holds nothing found
            if outcome.result is None and failed is not None:
                failed.append(_failure_line(outcome.task, outcome.error))
            done += len(outcome.task.pages)
            if progress is not None:
                progress(RegionProgress(done, total))
    if cancel is not None and cancel.is_set():
        return []
    return _hits(case, annotation_id, source, found)


def region_as_searched(case: Case, document_id: int, page: int, rect: Box) -> RegionTemplate:
    """A region drawn as region search sees it (its page's own pixels), in a worker.

    :class:`UsageError` if it cannot be searched for: too small, or blank (too little detail).
    """
    with case.db.reading() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise UsageError(f"no document {document_id}")
        task = RegionTemplateTask(str(case.layout.original(document.sha256)), document.password, page, rect)
    return run_in_worker(REGION_TEMPLATE, task, RegionTemplate)


def unwarped_region(
    case: Case, document_id: int, page: int, homography: tuple[float, ...], source_rect: Box, dpi: float
) -> Pixels:
    """A found place brought back onto its region (the region's size, turn and slant), RGB at ``dpi``.

    ``homography`` is a hit's (points of the region's page onto points of page ``page`` of
    ``document_id``); ``source_rect`` is the region's box on its own page. The result is that box's
    size at ``dpi``, so it lies exactly over the region drawn at ``dpi``. Warped in a worker.
    """
    with case.db.reading() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise UsageError(f"no document {document_id}")
        original = str(case.layout.original(document.sha256))
        task = UnwarpTask(original, document.password, page, homography, source_rect, dpi)
    return run_in_worker(UNWARP, task, Pixels)


def _failure_line(task: RegionSearchTask, error: str | None) -> str:
    pages = f"page {task.pages[0]}" if len(task.pages) == 1 else f"pages {task.pages[0]}–{task.pages[-1]}"
    reason = " ".join((error or "no result").split())
    return f"document {task.document_id}, {pages} could not be searched: {reason}"


def _hits(
    case: Case, annotation_id: str, source: tuple[int, int, Box], found: list[RegionFound]
) -> list[RegionHit]:
    places = [
        f
        for f in found
        if not (
            f.document_id == source[0] and f.page == source[1] and _overlap(f.rect, source[2]) > _SAME_PLACE
        )
    ]
    names: dict[int, str] = {}
    marked: dict[tuple[int, int], list[Box]] = {}
    with case.db.reading() as session:
        ids = sorted({f.document_id for f in places})
        # a seal found on tens of thousands of documents: a few hundred ids a statement (PostgreSQL
        # takes 65,535 bound values in one)
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[start : start + IDS_PER_QUERY]
            for d in session.scalars(select(Document).where(Document.id.in_(chunk))):
                names[d.id] = summary_of(d).display_name
            for a in session.scalars(
                select(Annotation).where(Annotation.document_id.in_(chunk), Annotation.deleted.is_(False))
            ):
                marked.setdefault((a.document_id, a.page), []).append((a.x0, a.y0, a.x1, a.y1))
            session.expunge_all()
    hits = [
        RegionHit(
            annotation_id,
            f.document_id,
            names.get(f.document_id, str(f.document_id)),
            f.page,
            tuple(round(v, 2) for v in f.rect),  # type: ignore[arg-type]
            round(f.score, 3),
            f.scale,
            f.angle,
            any(_overlap(f.rect, box) > _SAME_PLACE for box in marked.get((f.document_id, f.page), ())),
            f.inliers,
            f.slant,
            f.homography,
        )
        for f in places
    ]
    return sorted(hits, key=lambda h: -h.score)


def _unhashed(case: Case, document_id: int) -> list[tuple[str, int, Box]]:
    with case.db.reading() as session:
        return [
            (a.id, a.page, (a.x0, a.y0, a.x1, a.y1))
            for a, known in session.execute(
                select(Annotation, RegionHash.rect)
                .outerjoin(RegionHash, RegionHash.annotation_id == Annotation.id)
                .where(Annotation.document_id == document_id, Annotation.deleted.is_(False))
            )
            if known != ",".join(f"{v:g}" for v in (a.x0, a.y0, a.x1, a.y1))
        ]


def needs_region_hashes(case: Case, document_id: int) -> bool:
    """Whether an annotated region of the document has no hash yet, or was moved since."""
    return bool(_unhashed(case, document_id))


def ensure_region_hashes(case: Case, document_id: int) -> int:
    """Perceptual hashes of a document's annotated regions that have none yet (or were moved since).

    Returns how many were computed. A region too small to hash is left without one.
    """
    made = 0
    for annotation_id, page, rect in _unhashed(case, document_id):
        pixels = region_pixels(case, document_id, page, rect, TEMPLATE_DPI, grey=True)
        if not _hashable(pixels.array()):
            continue
        _keep_region_hash(case, annotation_id, rect, phash_hex(phash(pixels.array())))
        made += 1
    return made


def _hashable(pixels: NDArray[np.uint8]) -> bool:
    """Whether a region holds enough to hash: 1/9 inch at the least (at TEMPLATE_DPI), and not blank."""
    return min(pixels.shape[:2]) >= TEMPLATE_DPI / 9 and float(pixels.std()) >= 3.0


def similar_regions(
    case: Case, annotation_id: str, max_bits: int = NEAR_IDENTICAL_BITS
) -> list[tuple[str, int, int, int]]:
    """Other annotated regions whose perceptual hash is within ``max_bits`` of this one's.

    ``(annotation id, document id, page, bits apart)``, closest first; [] before the hash is known.
    """
    with case.db.reading() as session:
        mine = session.get(RegionHash, annotation_id)
        if mine is None:
            return []
        rows = session.execute(
            select(RegionHash.annotation_id, RegionHash.phash, Annotation.document_id, Annotation.page)
            .join(Annotation, Annotation.id == RegionHash.annotation_id)
            .where(RegionHash.annotation_id != annotation_id, Annotation.deleted.is_(False))
        ).all()
    mine_value = from_hex(mine.phash)
    near = [(a, d, p, hamming(mine_value, from_hex(h))) for a, h, d, p in rows]
    return sorted((n for n in near if n[3] <= max_bits), key=lambda n: (n[3], n[1], n[2]))


def annotated_regions(case: Case, document_id: int) -> list[dict[str, object]]:
    """Each annotated region of a document with its hash and the near-identical regions elsewhere."""
    with case.db.reading() as session:
        rows = session.execute(
            select(Annotation.id, Annotation.page, RegionHash.phash)
            .outerjoin(RegionHash, RegionHash.annotation_id == Annotation.id)
            .where(Annotation.document_id == document_id, Annotation.deleted.is_(False))
            .order_by(Annotation.page, Annotation.created_at)
        ).all()
    return [
        {
            "annotation": annotation_id,
            "page": page,
            "phash": value,
            "near_identical": [
                {"annotation": a, "doc": d, "page": p, "bits": bits}
                for a, d, p, bits in similar_regions(case, annotation_id)
            ],
        }
        for annotation_id, page, value in rows
    ]


def _keep_region_hash(case: Case, annotation_id: str, rect: Box, value: str) -> None:
    with case.db.unit_of_work() as uow:
        row = uow.session.get(RegionHash, annotation_id)
        if row is None:
            row = RegionHash(annotation_id=annotation_id)
            uow.session.add(row)
        row.phash, row.rect, row.computed_at = value, ",".join(f"{v:g}" for v in rect), utc_now()
        uow.commit()


def annotate_region_hit(case: Case, hit: RegionHit) -> AnnotationRecord:
    """Mark a found place as an annotation on its document, saying what it matched; on the custody log."""
    with case.db.reading() as session:
        source = session.get(Annotation, hit.annotation_id)
        if source is None:
            raise UsageError(f"no annotation {hit.annotation_id!r}")
        page = session.scalars(
            select(Page).where(Page.document_id == hit.document_id, Page.number == hit.page)
        ).first()
        if page is None:
            raise UsageError(f"document {hit.document_id} has no page {hit.page}")
        width, height = page.width, page.height
        what = f"“{source.note}”" if source.note else "the region"
        tags = [t.tag for t in source.tags]
        note = (
            f"Same as {what} on document {source.document_id}, page {source.page} "
            f"(region search: {hit.quality.value} match, score {hit.score:.2f}, "
            f"{hit.inliers} keypoints agree, size {hit.scale:.2f}×, turned {hit.angle:+.1f}°)"
        )
    x0, y0, x1, y1 = hit.rect
    rect = Rect(max(0.0, x0), max(0.0, y0), min(width, x1), min(height, y1))
    return documents.add_annotation(case, hit.document_id, page=hit.page, rect=rect, note=note, tags=tags)
