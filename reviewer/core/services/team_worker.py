"""A worker of a shared case: takes reading, region-features and export jobs from its queue until stopped.

``reviewer worker CASE`` runs :func:`run_worker` on any machine that sees the case folder. It is a
procrastinate worker whose jobs do nothing risky themselves: each page is read by the one worker
boundary (:class:`~reviewer.core.workers.jobs.Jobs`, the registered ``read`` job, ``READ_LIMITS``), so
a page that crashes, hangs or exhausts its reader fails in one line and the worker takes the next job.

- Exactly once: a job carries its page's state when it was enqueued (``team_jobs.page_state``); the
  page is read only while it is still in that state, and its result is written, with its custody
  entry, in one unit of work that checks the state again under the case's write lock. A job run twice
  (its worker killed after writing, before procrastinate heard) changes nothing the second time. The
  entry names its job: a failure leaves a failed page failed (its state unchanged), so a retried page
  that fails again is recorded once per job by that name, not once per run.
- Region features (one job per document, ``services.region_features``): derived data, rebuildable, so
  no custody entry; pages whose kept features are current are left alone, so a job run twice (or
  after its worker died mid-document) builds only what is missing and keeps every file whole.
- Exports (``services.team_exports``): the bundle built beside its folder and renamed at the end, so
  a retry after a kill starts again and never finds half a bundle; a job already logged does nothing.
- A killed worker's jobs: every worker sends a heartbeat; each one also gives back to the queue the
  jobs of workers silent for ``stalled_after`` seconds (procrastinate's stalled-job query), and
  forgets those workers.
- SIGINT or SIGTERM: no new job is taken, the jobs running are finished, then the worker ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text, update

from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import CaseError, ReviewerError, UsageError
from reviewer.core.ingest.reading import OcrMode, OcrStatus, ReadResult, ReadTask
from reviewer.core.ingest.tesseract import check_languages, installed_languages, tesseract_program
from reviewer.core.services import entities
from reviewer.core.services.reading import READ_LIMITS
from reviewer.core.services.region_features import ensure_region_features
from reviewer.core.services.team_exports import run_export_job
from reviewer.core.services.team_jobs import (
    EXPORT_TASK,
    FEATURES_TASK,
    QUEUES,
    READ_TASK,
    TEAM_HINT,
    conninfo,
    page_state,
)
from reviewer.core.storage import custody, search_index
from reviewer.core.storage.orm import Document, Page
from reviewer.core.workers.jobs import JobFailed, Jobs
from reviewer.core.workers.registry import READ

if TYPE_CHECKING:
    from collections.abc import Callable

    from procrastinate import App
    from procrastinate.job_context import JobContext
    from sqlalchemy.orm import Session

    from reviewer.core.services.case import Case

#: Seconds between a worker's heartbeats (procrastinate's default is 10).
HEARTBEAT = 5.0
#: A worker silent this long is taken for dead and its jobs are given back (procrastinate's 30).
STALLED_AFTER = 30.0


@dataclass(slots=True)
class WorkerReport:
    """What one worker did before it stopped."""

    read: int = 0  # pages read and recorded by this worker
    already: int = 0  # jobs whose page another worker had read first
    failed: int = 0
    given_back: int = 0  # jobs of dead workers put back on the queue
    features_built: int = 0  # pages whose region features this worker built
    features_current: int = 0  # pages whose region features were current already
    exported: int = 0  # bundles written by this worker


class _Worker:
    """What every job of one worker process shares: the case, the reading processes, the report."""

    def __init__(self, case: Case, jobs: Jobs, say: Callable[[str], None]) -> None:
        self.case = case
        self.jobs = jobs
        self.say = say
        self.report = WorkerReport()

    def read(
        self, job: int, document_id: int, number: int, expect: str, mode: OcrMode, languages: str, dpi: int
    ) -> None:
        case = self.case
        with case.db.reading() as session:
            state = session.execute(
                select(Page.ocr_status, Page.ocr_at).where(
                    Page.document_id == document_id, Page.number == number
                )
            ).one_or_none()
            document = session.execute(
                select(Document.sha256, Document.password).where(Document.id == document_id)
            ).one_or_none()
            done_before = recorded_by(session, document_id, job)
        if state is None or document is None or page_state(*state) != expect or done_before:
            self.report.already += 1
            return
        ocr_available = tesseract_program() is not None
        if mode is not OcrMode.NEVER:
            languages = check_languages(languages)  # this machine's Tesseract: one line if it cannot
        task = ReadTask(
            document_id,
            str(case.layout.original(document.sha256)),
            document.password,
            (number,),
            mode,
            languages,
            ocr_available,
            dpi,
        )
        try:
            result: ReadResult = self.jobs.submit(READ, task).result()
        except JobFailed as exc:
            if self._record(job, document_id, number, expect, None, str(exc)):
                self.report.failed += 1
                self.say(f"document {document_id}, page {number}: {exc}")
            else:
                self.report.already += 1
            raise
        if self._record(job, document_id, number, expect, result, None):
            self.report.read += 1
        else:
            self.report.already += 1

    def features(self, document_id: int) -> None:
        """Build and keep a document's region features not yet current (through this worker's pool)."""
        report = ensure_region_features(self.case, document_id, jobs=self.jobs)
        self.report.features_built += report.built
        self.report.features_current += report.current
        if report.failed:
            self.report.failed += 1
            for line in report.failed:
                self.say(line)
            raise JobFailed(report.failed[0])

    def export(self, job: int, out: str, options: dict[str, Any], asked_by: str) -> None:
        """Write the bundle the export job asks for; one line if it cannot (the job then fails)."""
        try:
            report = run_export_job(self.case, job, out, options, asked_by)
        except ReviewerError as exc:
            self.report.failed += 1
            self.say(f"export to {out}: {exc}")
            raise
        if report is None:
            self.report.already += 1
            return
        self.report.exported += 1
        self.say(f"exported {report.documents} document(s) to {report.path} (job {job}, asked by {asked_by})")

    def _record(
        self,
        job: int,
        document_id: int,
        number: int,
        expect: str,
        result: ReadResult | None,
        error: str | None,
    ) -> bool:
        """Store one page's reading (or failure) and its custody entry, if still unread; whether it was."""
        case = self.case
        with case.db.unit_of_work() as uow:
            session = uow.session
            where = (Page.document_id == document_id, Page.number == number)
            state = session.execute(select(Page.ocr_status, Page.ocr_at).where(*where)).one_or_none()
            if state is None or page_state(*state) != expect:
                return False  # read by another worker meanwhile (this one was taken for dead)
            if recorded_by(session, document_id, job):
                return False  # this job ran before (its worker died before the queue heard)
            done: list[int] = []
            failed: list[int] = []
            languages = result.languages if result is not None else None
            if result is None:
                values: dict[str, object] = {
                    "words": "[]",
                    "ocr_status": OcrStatus.FAILED.value,
                    "ocr_error": error,
                }
                failed.append(number)
            else:
                (page,) = result.pages
                values = {"words": page.words, "ocr_status": page.status.value}
                if page.status is OcrStatus.DONE:
                    values |= {
                        "ocr_text": page.ocr_text,
                        "ocr_language": result.languages,
                        "ocr_at": utc_now(),
                        "ocr_confidence": page.confidence,
                        "ocr_error": None,
                    }
                    done.append(number)
                elif page.status is OcrStatus.FAILED:
                    values["ocr_error"] = page.error
                    failed.append(number)
            session.execute(update(Page).where(*where).values(**values))
            if result is not None:
                row = session.execute(select(Page.text, Page.ocr_text).where(*where)).one()
                reindex = [(number, row[0], row[1])]
                search_index.index_pages(session, document_id, reindex)
                entities.index_pages(session, document_id, reindex, entities.watch_list(case))
            if done or failed:  # as the local reading logs: a text layer's words alone are not news
                summary = f"OCR ({languages}) of {len(done)} page(s)"
                if failed:
                    summary += f"; failed on {len(failed)} page(s)"
                custody.append(
                    session,
                    document_id=document_id,
                    actor=case.actor,
                    action="ocr",
                    summary=summary,
                    after={
                        "pages": done,
                        "failed": failed,
                        "languages": languages,
                        "engine": "tesseract",
                        "job": job,
                    },
                )
            uow.commit()
        return True


def read_page_job(
    context: JobContext,
    *,
    document_id: int,
    page: int,
    expect: str,
    mode: str,
    languages: str,
    dpi: int = 300,
) -> None:
    """The queue's reading job: one page, through the worker boundary, recorded exactly once."""
    worker: _Worker = context.additional_context["reviewer"]
    job = context.job.id
    if job is None:
        raise CaseError("a reading job without its number in the queue")
    worker.read(job, document_id, page, expect, OcrMode(mode), languages, dpi)


def region_features_job(context: JobContext, *, document_id: int) -> None:
    """The queue's features job: one document's region features, built where not current."""
    worker: _Worker = context.additional_context["reviewer"]
    worker.features(document_id)


def export_job(context: JobContext, *, out: str, options: dict[str, Any], asked_by: str) -> None:
    """The queue's export job: a bundle written into ``out``, logged once (see the module's notes)."""
    worker: _Worker = context.additional_context["reviewer"]
    job = context.job.id
    if job is None:
        raise CaseError("an export job without its number in the queue")
    worker.export(job, out, options, asked_by)


def recorded_by(session: Session, document_id: int, job: int) -> bool:
    """Whether the queue's job ``job`` has its custody entry on ``document_id`` already."""
    found = session.execute(
        text(
            "SELECT 1 FROM custody_event WHERE document_id = :d AND action = 'ocr'"
            " AND CAST(after_json AS jsonb) ->> 'job' = :j LIMIT 1"
        ),
        {"d": document_id, "j": str(job)},
    ).first()
    return found is not None


def _app(url: str, concurrency: int) -> App:
    try:
        from procrastinate import App, PsycopgConnector
    except ImportError:
        raise CaseError(TEAM_HINT) from None
    app = App(connector=PsycopgConnector(conninfo=url, min_size=1, max_size=concurrency + 4))
    app.task(name=READ_TASK, queue=QUEUES[0], pass_context=True)(read_page_job)
    app.task(name=FEATURES_TASK, queue=QUEUES[1], pass_context=True)(region_features_job)
    app.task(name=EXPORT_TASK, queue=QUEUES[2], pass_context=True)(export_job)
    return app


def run_worker(
    case: Case,
    *,
    concurrency: int | None = None,
    stalled_after: float = STALLED_AFTER,
    until_empty: bool = False,
    say: Callable[[str], None] = print,
) -> WorkerReport:
    """Take jobs from the case's queue until SIGINT/SIGTERM (or, ``until_empty``, none is left)."""
    url = conninfo(case)
    if case.db.read_only is not None:
        raise CaseError(case.db.read_only)
    n = concurrency or len(os.sched_getaffinity(0))
    if n < 1:
        raise UsageError("--concurrency is at least 1")
    if stalled_after < 2:
        raise UsageError("--stalled-after is at least 2 seconds")
    heartbeat = min(HEARTBEAT, stalled_after / 3)
    app = _app(url, n)
    # Tesseract's languages are listed once, now: a listing run by a job would be this process's
    # child, in the terminal's process group, and a Ctrl-C meanwhile would leave "no languages"
    # cached for every page after it (the pool's own children are in groups of their own).
    installed_languages()
    with Jobs(processes=n, limits=READ_LIMITS) as jobs:
        worker = _Worker(case, jobs, say)
        name = f"{socket.gethostname()}:{os.getpid()}"
        say(f"worker {name} takes reading, features and export jobs of {case.db.where} ({n} at once)")
        asyncio.run(_serve(app, worker, name, n, heartbeat, stalled_after, until_empty))
    return worker.report


async def _serve(
    app: App, worker: _Worker, name: str, n: int, heartbeat: float, stalled_after: float, until_empty: bool
) -> None:
    async with app.open_async():
        rescue = asyncio.create_task(_give_back_stalled(app, worker, heartbeat, stalled_after))
        try:
            options: dict[str, Any] = {
                "queues": list(QUEUES),
                "name": name,
                "concurrency": n,
                "wait": not until_empty,
                "additional_context": {"reviewer": worker},
                "update_heartbeat_interval": heartbeat,
                "stalled_worker_timeout": stalled_after,
                "install_signal_handlers": True,
            }
            await app.run_worker_async(**options)
        finally:
            rescue.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await rescue


async def _give_back_stalled(app: App, worker: _Worker, every: float, stalled_after: float) -> None:
    """Put back on the queue the jobs of workers silent for ``stalled_after`` seconds (killed, cut off)."""
    while True:
        await asyncio.sleep(every)
        try:
            stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after)
            for job in stalled:
                try:
                    await app.job_manager.retry_job(job)
                except Exception:  # noqa: BLE001  (another worker gave it back first)
                    continue
                worker.report.given_back += 1
                worker.say(f"job {job.id} given back to the queue: its worker stopped answering")
            await app.job_manager.prune_stalled_workers(stalled_after)
        except Exception as exc:  # noqa: BLE001  (the database away for a moment: try again next time)
            worker.say(f"could not look for stalled jobs ({type(exc).__name__}: {exc})")
