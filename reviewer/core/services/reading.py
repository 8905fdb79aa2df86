"""Reading every page after import: word boxes from text layers, OCR where there is no usable text.

Runs in worker processes on every core (one Tesseract thread each), page by page, and commits as it
goes: cancelled or interrupted, it resumes where it stopped, because a page counts as read only once
its ``ocr_status`` is stored. OCR'd text goes into the search index and onto the custody log in the same
transaction as the page.

The import reads each page's text layer and its words once, in the worker that makes its thumbnail,
and stores them with the page. Reading then opens only the pages that need OCR; the others are
recorded as read (their OCR status and entities) without opening the original again.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, or_, select, update

from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.locked import refuse_if_locked
from reviewer.core.ingest.reading import (
    OcrMode,
    OcrStatus,
    ReadResult,
    ReadTask,
    status_without_ocr,
)
from reviewer.core.ingest.tesseract import DEFAULT_LANGUAGES, check_languages, tesseract_program
from reviewer.core.services import entities
from reviewer.core.services.queries import document_row
from reviewer.core.services.settings import ocr_defaults
from reviewer.core.storage import custody, search_index
from reviewer.core.storage.orm import Document, Page
from reviewer.core.workers.pool import Limits, WorkerPool
from reviewer.core.workers.registry import READ

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable, Sequence

    from sqlalchemy import Select
    from sqlalchemy.orm import Session

    from reviewer.core.services.case import Case
    from reviewer.core.text.watchlist import WatchList

PAGES_PER_TASK = 2
#: pages recorded as read without opening them, per transaction (whole documents)
PAGES_PER_COMMIT = 500
# A 40-megapixel page can keep Tesseract busy for minutes; the beat comes once a page.
READ_LIMITS = Limits(stall_seconds=900.0, total_seconds=3600.0, memory_bytes=3 << 30)


@dataclass(slots=True)
class _DocumentReading:
    """What reading did to one document, for its custody entry."""

    ocr_pages: list[int] = field(default_factory=list)
    failed_pages: list[int] = field(default_factory=list)
    languages: str | None = None


@dataclass(frozen=True, slots=True)
class ReadProgress:
    """How far reading has come; ``eta`` in seconds once there is something to go by."""

    pages_done: int
    pages_total: int
    ocr_done: int
    elapsed: float
    eta: float | None
    document: str | None = None


@dataclass(slots=True)
class ReadReport:
    """What reading did: pages read, OCR'd, failed, skipped, and whether OCR was missing."""

    pages: int = 0
    ocr: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: int = 0
    ocr_missing: bool = False
    cancelled: bool = False
    queued: int = 0  # pages handed to the workers of a shared case (services.team_jobs)


def _documents(session: Session, ids: Sequence[int]) -> list[Document]:
    """The documents ``ids`` in that order, read in a few queries (an import's reading names them all);
    the first id the case does not have is refused as ``document_row`` refuses it."""
    found: dict[int, Document] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):
        chunk = [i for i in unique[start : start + 500] if isinstance(i, int) and not isinstance(i, bool)]
        found.update((d.id, d) for d in session.scalars(select(Document).where(Document.id.in_(chunk))))
    return [found[i] if i in found else document_row(session, i) for i in ids]


@dataclass(frozen=True, slots=True)
class _Wanted:
    """A page to read; ``layer`` is its text layer when its words were stored at import (else None)."""

    number: int
    layer: str | None


SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")


def _wanted(query: SelectT, *, force: bool = False, asked: bool = False) -> SelectT:
    """``query`` (of ``Page``) narrowed to the pages to read: unread ones, those that waited for
    Tesseract, and (``asked``) failed or switched off; every page with ``force``."""
    if force:
        return query
    retry = [OcrStatus.SKIPPED.value] if tesseract_program() else []
    if asked and tesseract_program():
        retry += [OcrStatus.FAILED.value, OcrStatus.OFF.value]
    return query.where(or_(Page.words.is_(None), Page.ocr_status.is_(None), Page.ocr_status.in_(retry)))


def _wanted_pages(
    session: Session, documents: Sequence[int] | None, *, force: bool = False, asked: bool = False
) -> dict[int, list[_Wanted]]:
    """Pages to read (``_wanted``), by document."""
    # read at import (words stored), not read since: what a reading pass may record without opening it
    layer_read = Page.words.is_not(None) & Page.ocr_status.is_(None)
    query = select(Page.document_id, Page.number, Page.text, layer_read)
    if documents is not None:
        query = query.where(Page.document_id.in_(documents))
    query = _wanted(query, force=force, asked=asked)
    pages: dict[int, list[_Wanted]] = {}
    for document_id, number, text, read in session.execute(query.order_by(Page.document_id, Page.number)):
        pages.setdefault(document_id, []).append(
            _Wanted(number, (text or "") if read and not force else None)
        )
    return pages


def pending_pages(case: Case) -> int:
    """How many pages still wait to be read (after an import, or an interrupted reading): counted in the
    database (the window asks this as it opens a case of any size)."""
    with case.db.reading() as session:
        return _pending_count(session)


def _pending_count(
    session: Session, *, asked: bool = False, force: bool = False, among: Sequence[int] | None = None
) -> int:
    query = _wanted(select(func.count()).select_from(Page), force=force, asked=asked)
    if among is not None:
        query = query.where(Page.document_id.in_(among))
    return int(session.execute(query).scalar_one())


def _pending_documents(
    session: Session, *, asked: bool = False, among: Sequence[int] | None = None
) -> list[int]:
    """The documents with pages to read, in id order (of ``among`` only, when given)."""
    query = _wanted(select(Page.document_id).distinct(), asked=asked)
    if among is not None:
        query = query.where(Page.document_id.in_(among))
    return [row[0] for row in session.execute(query.order_by(Page.document_id))]


#: A whole case is read this many documents at a time: what a round holds in memory (its pages to
#: read, their tasks) stays bounded however big the case (a million unread pages were millions of
#: objects in the window's process, and every full garbage collection walked them).
DOCUMENTS_PER_ROUND = 1_000


def _named_rounds(
    case: Case, document_ids: Sequence[int], *, force: bool, asked: bool
) -> tuple[list[int], int]:
    """Documents named (an import names every file it imported, tens of thousands maybe) to read a
    round at a time, and how many pages that is. One statement naming them all passed the bound values
    SQLite and PostgreSQL take in one statement (250,000 and 65,535 here). Each is checked first, as a
    short list is: an unknown or locked one is refused before any page is read."""
    ids = list(dict.fromkeys(document_ids))
    pending: list[int] = []
    total = 0
    with case.db.reading() as session:
        for start in range(0, len(ids), DOCUMENTS_PER_ROUND):
            chunk = ids[start : start + DOCUMENTS_PER_ROUND]
            for document in _documents(session, chunk):
                refuse_if_locked(document.id, document.encrypted, document.password, document.page_count)
            session.expunge_all()  # a round's rows only, however many are named
            pending += chunk if force else _pending_documents(session, asked=asked, among=chunk)
            total += _pending_count(session, asked=asked, force=force, among=chunk)
    return pending, total


def _read_in_rounds(
    case: Case,
    pending: list[int],
    *,
    total: int,
    asked: bool,
    force: bool = False,
    on_progress: Callable[[ReadProgress], None] | None,
    cancel: threading.Event | None,
    **options: Any,
) -> ReadReport:
    """``read_pages`` of ``pending``, ``DOCUMENTS_PER_ROUND`` documents at a time, as one reading of
    ``total`` pages."""
    report = ReadReport()
    started = time.monotonic()
    for start in range(0, len(pending), DOCUMENTS_PER_ROUND):
        chunk = pending[start : start + DOCUMENTS_PER_ROUND]
        if not force:
            with case.db.reading() as session:  # still there, still unread (deleted, or read by others?)
                chunk = _pending_documents(session, asked=asked, among=chunk)
        if not chunk:
            continue
        before = (report.pages, report.ocr)

        def forward(progress: ReadProgress, before: tuple[int, int] = before) -> None:
            if on_progress is None:
                return
            done = before[0] + progress.pages_done
            elapsed = time.monotonic() - started
            eta = elapsed / done * (total - done) if done and total > done else None
            ocr = before[1] + progress.ocr_done
            on_progress(ReadProgress(done, max(total, done), ocr, elapsed, eta, progress.document))

        part = read_pages(
            case, chunk, asked=asked, force=force, on_progress=forward, cancel=cancel, **options
        )
        report.pages += part.pages
        report.ocr += part.ocr
        report.failed += part.failed
        report.skipped += part.skipped
        report.queued += part.queued
        report.ocr_missing = report.ocr_missing or part.ocr_missing
        if part.cancelled or (cancel is not None and cancel.is_set()):
            report.cancelled = True
            break
    return report


def read_pages(
    case: Case,
    document_ids: Sequence[int] | None = None,
    *,
    mode: OcrMode | None = None,
    languages: str | None = None,
    force: bool = False,
    asked: bool = False,
    processes: int | None = None,
    on_progress: Callable[[ReadProgress], None] | None = None,
    cancel: threading.Event | None = None,
    workers: str = "auto",
    background: bool = False,
) -> ReadReport:
    """Read the pages still unread (of ``document_ids``, or of the whole case); OCR those that need it.

    ``force`` reads every page of the documents again (with ``mode`` ALWAYS: OCR them all again).
    ``asked`` (a person asked for OCR) also retries pages whose OCR failed or was switched off.
    ``languages`` overrides the documents' and the case's OCR languages for this run.
    ``workers`` (queue, here, auto) on a shared case: enqueue the pages to OCR for ``reviewer worker``
    instead of reading them here; auto when a worker has been seen lately (``team_jobs.hand_over``).
    ``background``: nobody waits for it (the window reading a case's pages): its workers, and their
    Tesseract, run at a lower priority than the window and anything a person started.
    """
    if workers != "auto":
        from reviewer.core.services.team_jobs import choose_workers

        choose_workers(case, workers)  # queue on a local case: said before anything is read
    rounds: tuple[list[int], int] | None = None  # the documents to read a round at a time, their pages
    if document_ids is None and not force:
        with case.db.reading() as session:
            pending = _pending_documents(session, asked=asked)
            if len(pending) > DOCUMENTS_PER_ROUND:
                rounds = pending, _pending_count(session, asked=asked)
    elif document_ids is not None and len(document_ids) > DOCUMENTS_PER_ROUND:
        rounds = _named_rounds(case, document_ids, force=force, asked=asked)
    if rounds is not None:
        return _read_in_rounds(
            case,
            rounds[0],
            total=rounds[1],
            asked=asked,
            force=force,
            on_progress=on_progress,
            cancel=cancel,
            mode=mode,
            languages=languages,
            processes=processes,
            workers=workers,
            background=background,
        )
    default_mode, default_languages = ocr_defaults(case)
    mode = mode or default_mode
    report = ReadReport()
    ocr_available = tesseract_program() is not None
    if mode is not OcrMode.NEVER and not ocr_available:
        report.ocr_missing = True
    if languages is not None and ocr_available:
        languages = check_languages(languages)
    with case.db.reading() as session:
        named = _documents(session, document_ids) if document_ids is not None else None
        for document in named or ():
            # a locked document has no pages yet: named, it is said so (the whole case skips it)
            refuse_if_locked(document.id, document.encrypted, document.password, document.page_count)
        ids = [document.id for document in named] if named is not None else None
        if force and ids is None:
            raise UsageError("name the documents to read again")
        wanted = _wanted_pages(session, ids, force=force, asked=asked)
        docs = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(list(wanted))))}
        tasks: deque[ReadTask] = deque()
        known: dict[int, list[tuple[int, OcrStatus]]] = {}  # pages recorded without opening them
        for document_id, pages in wanted.items():
            document = docs[document_id]
            numbers = []
            for page in pages:
                status = None if page.layer is None else status_without_ocr(page.layer, mode, ocr_available)
                if status is None:
                    numbers.append(page.number)
                else:
                    known.setdefault(document_id, []).append((page.number, status))
            if not numbers:
                continue
            langs = languages or document.ocr_languages or default_languages
            if ocr_available and mode is not OcrMode.NEVER:
                langs = check_languages(langs)
            for start in range(0, len(numbers), PAGES_PER_TASK):
                tasks.append(
                    ReadTask(
                        document_id,
                        str(case.layout.original(document.sha256)),
                        document.password,
                        tuple(numbers[start : start + PAGES_PER_TASK]),
                        mode,
                        langs or DEFAULT_LANGUAGES,
                        ocr_available,
                    )
                )
    total = sum(len(t.pages) for t in tasks) + sum(len(p) for p in known.values())
    remaining: dict[int, int] = {}
    for task in tasks:
        remaining[task.document_id] = remaining.get(task.document_id, 0) + len(task.pages)
    per_document: dict[int, _DocumentReading] = {}
    started = time.monotonic()
    watch = entities.watch_list(case)

    def progress(name: str | None) -> None:
        if on_progress is None:
            return
        elapsed = time.monotonic() - started
        eta = elapsed / report.pages * (total - report.pages) if report.pages else None
        on_progress(ReadProgress(report.pages, total, report.ocr, elapsed, eta, name))

    progress(None)
    _record_known(case, known, report, watch, cancel, lambda d: progress(docs[d].title))
    if not tasks or report.cancelled:
        return report
    if case.db.shared or workers == "queue":
        from reviewer.core.services.team_jobs import hand_over

        queued = hand_over(case, tasks, workers)
        if queued is not None:
            report.queued = queued
            return report
    with WorkerPool[ReadTask, ReadResult](
        READ, processes=processes, limits=READ_LIMITS, background=background
    ) as pool:
        for outcome in pool.run(tasks, cancel):
            task = outcome.task
            if outcome.result is None:
                error = outcome.error or "no result"
                report.failed += [f"document {task.document_id}, page {n}: {error}" for n in task.pages]
                report.pages += len(task.pages)
                _store_failure(case, task, error)
                per_document.setdefault(task.document_id, _DocumentReading()).failed_pages.extend(task.pages)
            else:
                _store(
                    case,
                    outcome.result,
                    report,
                    per_document.setdefault(task.document_id, _DocumentReading()),
                    watch,
                )
            remaining[task.document_id] -= len(task.pages)
            if remaining[task.document_id] == 0:
                _log_reading(case, task.document_id, per_document.pop(task.document_id, _DocumentReading()))
            progress(docs[task.document_id].title if task.document_id in docs else None)
        report.cancelled = cancel is not None and cancel.is_set()
    for document_id, facts in per_document.items():
        _log_reading(case, document_id, facts)  # partly read before a cancel: what was done is logged
    return report


def _store(
    case: Case, result: ReadResult, report: ReadReport, facts: _DocumentReading, watch: WatchList
) -> None:
    now = utc_now()
    with case.db.unit_of_work() as uow:
        session = uow.session
        reindex: list[tuple[int, str, str | None]] = []
        for page in result.pages:
            values: dict[str, object] = {"words": page.words, "ocr_status": page.status.value}
            if page.status is OcrStatus.DONE:
                values |= {
                    "ocr_text": page.ocr_text,
                    "ocr_language": result.languages,
                    "ocr_at": now,
                    "ocr_confidence": page.confidence,
                    "ocr_error": None,
                }
                report.ocr += 1
                facts.ocr_pages.append(page.number)
            elif page.status is OcrStatus.FAILED:
                values["ocr_error"] = page.error
                report.failed.append(f"document {result.document_id}, page {page.number}: {page.error}")
                facts.failed_pages.append(page.number)
            elif page.status in (OcrStatus.SKIPPED, OcrStatus.OFF):
                report.skipped += 1
            session.execute(
                update(Page)
                .where(Page.document_id == result.document_id, Page.number == page.number)
                .values(**values)
            )
            report.pages += 1
            row = session.execute(
                select(Page.text, Page.ocr_text).where(
                    Page.document_id == result.document_id, Page.number == page.number
                )
            ).one()
            reindex.append((page.number, row[0], row[1]))
        search_index.index_pages(session, result.document_id, reindex)
        entities.index_pages(session, result.document_id, reindex, watch)
        facts.languages = result.languages
        uow.commit()


def _record_known(
    case: Case,
    known: dict[int, list[tuple[int, OcrStatus]]],
    report: ReadReport,
    watch: WatchList,
    cancel: threading.Event | None,
    done: Callable[[int], None],
) -> None:
    """Record pages read at import as read: their OCR status and entities, a few documents a commit.

    Nothing is logged, as for any page read from its text layer; only a page still unread is changed
    (another reading may have come first).
    """
    batch: list[int] = []
    for document_id in known:
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        batch.append(document_id)
        if sum(len(known[d]) for d in batch) >= PAGES_PER_COMMIT:
            _store_known(case, {d: known[d] for d in batch}, report, watch)
            for d in batch:
                done(d)
            batch = []
    if batch and not report.cancelled:
        _store_known(case, {d: known[d] for d in batch}, report, watch)
        for d in batch:
            done(d)


def _store_known(
    case: Case, known: dict[int, list[tuple[int, OcrStatus]]], report: ReadReport, watch: WatchList
) -> None:
    with case.db.unit_of_work() as uow:
        session = uow.session
        for document_id, pages in known.items():
            by_status: dict[OcrStatus, list[int]] = {}
            for number, status in pages:
                by_status.setdefault(status, []).append(number)
            for status, numbers in by_status.items():
                session.execute(
                    update(Page)
                    .where(
                        Page.document_id == document_id,
                        Page.number.in_(numbers),
                        Page.ocr_status.is_(None),
                        Page.words.is_not(None),
                    )
                    .values(ocr_status=status.value)
                )
                if status in (OcrStatus.SKIPPED, OcrStatus.OFF):
                    report.skipped += len(numbers)
            texts = session.execute(
                select(Page.number, Page.text, Page.ocr_text).where(
                    Page.document_id == document_id, Page.number.in_([n for n, _ in pages])
                )
            ).all()
            # the search index has the text layer since the import; entities are found on reading
            entities.index_pages(session, document_id, [(n, t, o) for n, t, o in texts], watch)
            report.pages += len(pages)
        uow.commit()


def _store_failure(case: Case, task: ReadTask, error: str) -> None:
    with case.db.unit_of_work() as uow:
        uow.session.execute(
            update(Page)
            .where(Page.document_id == task.document_id, Page.number.in_(task.pages))
            .values(words="[]", ocr_status=OcrStatus.FAILED.value, ocr_error=error)
        )
        uow.commit()


def _log_reading(case: Case, document_id: int, facts: _DocumentReading) -> None:
    done, failed = facts.ocr_pages, facts.failed_pages
    if not done and not failed:
        return  # only word boxes of a text layer: nothing new is known of the document
    summary = f"OCR ({facts.languages}) of {len(done)} page(s)"
    if failed:
        summary += f"; failed on {len(failed)} page(s)"
    with case.db.unit_of_work() as uow:
        custody.append(
            uow.session,
            document_id=document_id,
            actor=case.actor,
            action="ocr",
            summary=summary,
            after={
                "pages": done,
                "failed": failed,
                "languages": facts.languages,
                "engine": "tesseract",
            },
        )
        uow.commit()
