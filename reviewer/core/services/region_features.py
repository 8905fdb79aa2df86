"""Region features kept ahead: the keypoints region search reads, built before anyone searches.

Region search (``services.region_search``) builds each page's keypoints on its first look and keeps
them in the case's derived data (``CaseLayout.region_features``: one versioned ``.npz`` a page, written
under a temporary name and renamed). :func:`ensure_region_features` builds them ahead for a document,
in worker processes, so a later search only matches; on a shared case the queue's workers do it for
whole documents (``team_jobs.hand_over_features``, the ``reviewer.region_features`` job).

Features are derived data: rebuildable from the original at any time, they change nothing known about
a document, so building them writes no custody entry. A page whose kept features are current is left
as it is (its file not even rewritten): asking again, or twice at once, does nothing more.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from reviewer.core.domain.errors import UsageError
from reviewer.core.ingest.forensic_tasks import RegionFeaturesResult, RegionFeaturesTask
from reviewer.core.services.forensics import ON_DEMAND_LIMITS
from reviewer.core.storage.orm import Document
from reviewer.core.workers.jobs import JobFailed
from reviewer.core.workers.pool import WorkerPool
from reviewer.core.workers.registry import REGION_FEATURES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reviewer.core.services.case import Case
    from reviewer.core.workers.jobs import Jobs

#: Pages per worker task: a task beats after every page, and a failed one loses only these.
PAGES_PER_TASK = 16


@dataclass(frozen=True, slots=True)
class FeaturesReport:
    """What building a document's region features did: pages built, already current, not drawable.

    ``failed`` holds a line for each batch of pages whose worker crashed, hung or refused.
    """

    document_id: int
    built: int = 0
    current: int = 0
    undrawable: int = 0
    failed: tuple[str, ...] = ()


def feature_tasks(case: Case, document_id: int) -> list[RegionFeaturesTask]:
    """The worker tasks that build a document's page features, PAGES_PER_TASK pages each."""
    with case.db.reading() as session:
        row = session.execute(
            select(Document.sha256, Document.password, Document.page_count).where(Document.id == document_id)
        ).one_or_none()
    if row is None:
        raise UsageError(f"no document {document_id}")
    sha256, password, count = row
    original = str(case.layout.original(sha256))
    numbers = list(range(1, (count or 0) + 1))
    return [
        RegionFeaturesTask(
            document_id,
            original,
            password,
            tuple(chunk),
            tuple(str(case.layout.region_features(sha256, n)) for n in chunk),
        )
        for chunk in (numbers[i : i + PAGES_PER_TASK] for i in range(0, len(numbers), PAGES_PER_TASK))
    ]


def ensure_region_features(
    case: Case, document_id: int, *, jobs: Jobs | None = None, processes: int | None = None
) -> FeaturesReport:
    """Build and keep the region-search features of a document's pages that have none current.

    Pages are drawn and their keypoints found in worker processes: through ``jobs`` when given (a
    queue worker's pool, with its limits), else a pool of ``processes`` with the on-demand limits.
    Derived data only: no custody entry (see the module's notes). A batch whose worker fails is a line
    in the report's ``failed``; the other batches are kept.
    """
    (report,) = _build(case, [document_id], jobs, processes)
    return report


def build_region_features(
    case: Case, document_ids: Sequence[int] | None = None, *, processes: int | None = None
) -> list[FeaturesReport]:
    """:func:`ensure_region_features` for each document named (None: every document), one pool for all."""
    if document_ids is None:
        document_ids = every_document(case)
    return _build(case, list(dict.fromkeys(document_ids)), None, processes)


def every_document(case: Case) -> list[int]:
    """The ids of every document of the case, in order."""
    with case.db.reading() as session:
        return list(session.scalars(select(Document.id).order_by(Document.id)))


def _build(
    case: Case, document_ids: list[int], jobs: Jobs | None, processes: int | None
) -> list[FeaturesReport]:
    tasks = [task for d in document_ids for task in feature_tasks(case, d)]
    results: dict[int, list[RegionFeaturesResult]] = {d: [] for d in document_ids}
    failed: dict[int, list[str]] = {d: [] for d in document_ids}
    if jobs is not None:
        futures = [(task, jobs.submit(REGION_FEATURES, task)) for task in tasks]
        for task, future in futures:
            try:
                results[task.document_id].append(future.result())
            except JobFailed as exc:
                failed[task.document_id].append(_failure_line(task, str(exc)))
    elif tasks:
        with WorkerPool[RegionFeaturesTask, RegionFeaturesResult](
            REGION_FEATURES, processes=processes, limits=ON_DEMAND_LIMITS
        ) as pool:
            for outcome in pool.run(deque(tasks)):
                if outcome.result is None:
                    failed[outcome.task.document_id].append(_failure_line(outcome.task, outcome.error))
                else:
                    results[outcome.task.document_id].append(outcome.result)
    return [
        FeaturesReport(
            d,
            sum(len(r.built) for r in results[d]),
            sum(len(r.current) for r in results[d]),
            sum(len(r.undrawable) for r in results[d]),
            tuple(failed[d]),
        )
        for d in document_ids
    ]


def _failure_line(task: RegionFeaturesTask, error: str | None) -> str:
    pages = f"page {task.pages[0]}" if len(task.pages) == 1 else f"pages {task.pages[0]}–{task.pages[-1]}"
    reason = " ".join((error or "no result").split())
    return f"document {task.document_id}, {pages}: region features not built: {reason}"
