"""The job queue of a shared case: reading jobs handed to workers on any machine, and their progress.

A shared case keeps a procrastinate queue in its own PostgreSQL database (migration 0010). When a
reading pass (after an import, or ``reviewer ocr``) has pages to OCR and workers are there to take them
(``reviewer worker CASE`` on any machine that sees the case folder), it enqueues one job per page
instead of reading them itself (:func:`hand_over`); without a worker it reads them as before. Each job
carries the page's state when it was enqueued (its ``ocr_status`` and ``ocr_at``), so a worker reads
and records only a page still in that state: a job taken again after its worker died, or enqueued
twice, never reads a page twice (``services.team_worker``).

Only this module's enqueueing imports procrastinate, and only for a shared case; a local case never
touches any of it. Progress (:func:`queue_status`) is plain SQL on the queue's table.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text

from reviewer.core.domain.errors import CaseError, UsageError
from reviewer.core.storage.orm import Document, Page

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reviewer.core.ingest.reading import ReadTask
    from reviewer.core.services.case import Case

#: The procrastinate task every reading job runs (registered by ``services.team_worker``).
READ_TASK = "reviewer.read_page"
#: The task that builds and keeps one document's region features (``services.region_features``).
FEATURES_TASK = "reviewer.region_features"
#: The task that writes an evidence bundle into a folder on shared storage (``services.team_exports``).
EXPORT_TASK = "reviewer.export"
#: The queues jobs wait on (reading, features, exports); workers take jobs from all of them.
QUEUES = ("reading", "features", "exports")
#: What ``reviewer jobs`` calls each kind of job.
KINDS = {READ_TASK: "reading", FEATURES_TASK: "features", EXPORT_TASK: "export"}
#: ``--workers auto`` hands the work to the queue when a worker's heartbeat is at most this old.
SEEN_WITHIN = 60.0
TEAM_HINT = "the job queue needs procrastinate: pip install 'reviewer[team]'"
LOCAL_CASE = "{case} is a local case: only a shared case (on PostgreSQL) has workers and a job queue"
_BATCH = 1000


class WorkersChoice(enum.StrEnum):
    """Who reads the pages of a shared case: the queue's workers, this process, or auto."""

    QUEUE = "queue"
    HERE = "here"
    AUTO = "auto"  # the queue when a worker has been seen lately, else here

    @classmethod
    def parse(cls, value: str) -> WorkersChoice:
        """The choice named ``value``; a one-line UsageError otherwise."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise UsageError(f"--workers is queue, here or auto, not {value!r}") from None


@dataclass(frozen=True, slots=True)
class JobCounts:
    """Jobs of one kind: waiting for a worker, running, done, failed."""

    kind: str
    waiting: int = 0
    running: int = 0
    done: int = 0
    failed: int = 0


@dataclass(frozen=True, slots=True)
class QueueStatus:
    """The queue of a shared case: counts per kind, and the workers seen within ``SEEN_WITHIN``."""

    kinds: tuple[JobCounts, ...]
    workers: int


def conninfo(case: Case) -> str:
    """The libpq URL of a shared case's database (no password: libpq's own sources give it)."""
    from reviewer.core.storage.postgres_db import PostgresDatabase

    if not isinstance(case.db, PostgresDatabase):
        raise UsageError(LOCAL_CASE.format(case=case.root))
    return case.db.url.set(drivername="postgresql").render_as_string(hide_password=False)


def workers_seen(case: Case, within: float = SEEN_WITHIN) -> int:
    """How many workers have sent a heartbeat within ``within`` seconds (0 on a local case)."""
    if not case.db.shared:
        return 0
    with case.db.reading() as session:
        found = session.execute(
            text(
                "SELECT count(*) FROM procrastinate_workers"
                " WHERE last_heartbeat > now() - make_interval(secs => :s)"
            ),
            {"s": within},
        ).scalar_one()
    return int(found)


def queue_status(case: Case) -> QueueStatus:
    """Waiting, running, done and failed jobs per kind, and the workers seen lately."""
    conninfo(case)  # a local case: one line saying it has no queue
    counts: dict[str, dict[str, int]] = {}
    with case.db.reading() as session:
        rows = session.execute(
            text("SELECT task_name, status::text, count(*) FROM procrastinate_jobs GROUP BY 1, 2")
        ).all()
    for task_name, status, count in rows:
        kind = KINDS.get(task_name, task_name)
        slot = {
            "todo": "waiting",
            "doing": "running",
            "succeeded": "done",
        }.get(status, "failed")  # failed, cancelled, aborted: not done
        per = counts.setdefault(kind, {})
        per[slot] = per.get(slot, 0) + int(count)
    kinds = tuple(JobCounts(kind, **counts[kind]) for kind in sorted(counts))
    return QueueStatus(kinds, workers_seen(case))


def choose_workers(case: Case, workers: WorkersChoice | str) -> WorkersChoice:
    """``workers`` as a choice; ``queue`` on a local case is a one-line UsageError (before any work)."""
    choice = WorkersChoice.parse(workers) if isinstance(workers, str) else workers
    if choice is WorkersChoice.QUEUE and not case.db.shared:
        raise UsageError(LOCAL_CASE.format(case=case.root))
    return choice


def hand_over(case: Case, tasks: Sequence[ReadTask], workers: WorkersChoice | str) -> int | None:
    """Enqueue ``tasks`` for the workers when ``workers`` says so; the pages enqueued, or None.

    None means this process reads them itself: a local case, ``here``, or ``auto`` without a worker
    seen within ``SEEN_WITHIN`` seconds. ``queue`` on a local case is a usage error.
    """
    choice = choose_workers(case, workers)
    if choice is WorkersChoice.HERE or not case.db.shared:
        return None
    if choice is WorkersChoice.AUTO and workers_seen(case) == 0:
        return None
    return enqueue_reading(case, tasks)


def hand_over_features(case: Case, document_ids: Sequence[int], workers: WorkersChoice | str) -> int | None:
    """Enqueue a features job per document when ``workers`` says so (as :func:`hand_over`); or None.

    Returns the documents enqueued (one already waiting or running is not enqueued again); None means
    this process builds them itself.
    """
    choice = choose_workers(case, workers)
    if choice is WorkersChoice.HERE or not case.db.shared:
        return None
    if choice is WorkersChoice.AUTO and workers_seen(case) == 0:
        return None
    return enqueue_features(case, document_ids)


def enqueue_reading(case: Case, tasks: Sequence[ReadTask]) -> int:
    """Put one reading job per page of ``tasks`` on the queue; returns the pages enqueued."""
    url = conninfo(case)
    return _defer(url, READ_TASK, QUEUES[0], _page_jobs(case, tasks))


def enqueue_features(case: Case, document_ids: Sequence[int]) -> int:
    """Put one features job per document on the queue (none for one already waiting or running)."""
    url = conninfo(case)
    wanted = list(dict.fromkeys(document_ids))
    known: set[int] = set()
    with case.db.reading() as session:
        # a few hundred ids a statement: a whole case's ids in one passed PostgreSQL's 65,535 bound values
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start : start + _BATCH]
            known.update(session.scalars(select(Document.id).where(Document.id.in_(chunk))))
        waiting = set(
            session.execute(
                text(
                    "SELECT (args->>'document_id')::int FROM procrastinate_jobs"
                    " WHERE task_name = :t AND status IN ('todo', 'doing')"
                ),
                {"t": FEATURES_TASK},
            ).scalars()
        )
    missing = [d for d in wanted if d not in known]
    if missing:
        raise UsageError(f"no document {missing[0]}")
    return _defer(url, FEATURES_TASK, QUEUES[1], [{"document_id": d} for d in wanted if d not in waiting])


def defer_one(case: Case, task_name: str, queue: str, arguments: dict[str, Any]) -> int:
    """Put one job on ``queue`` as ``task_name``; returns its number in the queue."""
    url = conninfo(case)
    try:
        from procrastinate import App, SyncPsycopgConnector
    except ImportError:
        raise CaseError(TEAM_HINT) from None
    app = App(connector=SyncPsycopgConnector(conninfo=url, min_size=1, max_size=1))
    with app.open():
        return int(app.configure_task(task_name, queue=queue).defer(**arguments))


def _defer(url: str, task_name: str, queue: str, jobs: list[dict[str, Any]]) -> int:
    """Put ``jobs`` (each one's arguments) on ``queue`` as ``task_name``; returns how many."""
    if not jobs:
        return 0
    try:
        from procrastinate import App, SyncPsycopgConnector
    except ImportError:
        raise CaseError(TEAM_HINT) from None
    app = App(connector=SyncPsycopgConnector(conninfo=url, min_size=1, max_size=1))
    with app.open():
        deferrer = app.configure_task(task_name, queue=queue)
        for start in range(0, len(jobs), _BATCH):
            deferrer.batch_defer(*jobs[start : start + _BATCH])
    return len(jobs)


def page_state(status: str | None, ocr_at: str | None) -> str:
    """What a job expects of its page: it is read only while the page is still in this state."""
    return f"{status or ''}|{ocr_at or ''}"


def _page_jobs(case: Case, tasks: Sequence[ReadTask]) -> list[dict[str, Any]]:
    """One job's arguments per page: no path (a worker finds the original in its own mount)."""
    documents = sorted({t.document_id for t in tasks})
    states: dict[tuple[int, int], str] = {}
    with case.db.reading() as session:
        for start in range(0, len(documents), _BATCH):
            rows = session.execute(
                select(Page.document_id, Page.number, Page.ocr_status, Page.ocr_at).where(
                    Page.document_id.in_(documents[start : start + _BATCH])
                )
            )
            for document_id, number, status, ocr_at in rows:
                states[(document_id, number)] = page_state(status, ocr_at)
        # a page already waiting for a worker (a reading pass asked again) is not enqueued twice
        waiting = session.execute(
            text(
                "SELECT (args->>'document_id')::int, (args->>'page')::int FROM procrastinate_jobs"
                " WHERE task_name = :t AND status IN ('todo', 'doing')"
            ),
            {"t": READ_TASK},
        )
        for document_id, number in waiting:
            states.pop((document_id, number), None)
    return [
        {
            "document_id": task.document_id,
            "page": number,
            "expect": states[(task.document_id, number)],
            "mode": task.mode.value,
            "languages": task.languages,
            "dpi": task.dpi,
        }
        for task in tasks
        for number in task.pages
        if (task.document_id, number) in states
    ]
