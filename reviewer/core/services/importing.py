"""Importing files into a case without changing a byte, accounting for every one of them."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from reviewer.core.domain.clock import from_timestamp, utc_now
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.locked import LOCKED_REASON
from reviewer.core.domain.names import path_text, shown, shown_line
from reviewer.core.domain.records import (
    DuplicateFile,
    ImportedFile,
    ImportProgress,
    ImportReport,
    RefusedFile,
)
from reviewer.core.domain.values import checked_optional, parse_full_date
from reviewer.core.ingest.reading import OcrMode, OcrStatus, status_without_ocr
from reviewer.core.ingest.tasks import CANNOT_COPY, FORENSIC_CHECKS, AnalysisTask, FileAnalysis, ReadingPlan
from reviewer.core.ingest.tesseract import tesseract_program
from reviewer.core.ingest.walk import collect
from reviewer.core.services import entities
from reviewer.core.services.case import current_host
from reviewer.core.services.trust import trust_roots
from reviewer.core.storage import custody, list_names, search_index
from reviewer.core.storage.database import DiskFullError
from reviewer.core.storage.forensic_rows import store_new_signals, store_signals
from reviewer.core.storage.orm import Base, Document, Entity, ImportBatch, RefusedEntry, Sighting
from reviewer.core.storage.records import sighting_facts
from reviewer.core.storage.store import Claim, admit_original, fsync_dir, unadmit_original
from reviewer.core.workers.pool import Limits, Outcome, WorkerPool
from reviewer.core.workers.registry import ANALYSE

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable, Sequence

    from sqlalchemy.orm import Session

    from reviewer.core.services.case import Case


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How to import: provenance to record, a password for encrypted files, worker bounds."""

    source: str | None = None
    received_on: str | None = None
    password: str | None = None
    #: more passwords to try in turn on an encrypted file (after ``password``)
    passwords: tuple[str, ...] = ()
    processes: int | None = None
    limits: Limits | None = None
    max_pixels: int = 250_000_000
    #: read the pages as they are recorded, as ``reading.read_pages`` with this mode would after the
    #: import: a page whose text layer decides it (no OCR wanted or possible) gets its OCR status and
    #: entities in the same transaction; the pages to OCR are left to reading. None: all left to it.
    read_as: OcrMode | None = None


def import_paths(
    case: Case,
    paths: Sequence[Path],
    options: ImportOptions | None = None,
    *,
    on_progress: Callable[[ImportProgress], None] | None = None,
    cancel: threading.Event | None = None,
    analyser: str | Callable[[AnalysisTask, Callable[[], None]], FileAnalysis] = ANALYSE,
) -> ImportReport:
    """Import files and folders (recursively) into ``case``; returns what became of each file.

    Files are copied and hashed in one pass and read in worker processes on every core; each new
    document is committed with its pages, sighting and custody entry, a few documents to a
    transaction, so an interruption at any moment leaves no half-imported document.
    """
    options = options or ImportOptions()
    if not paths:
        raise UsageError("give at least one file or folder to import")
    received = parse_full_date(options.received_on) if options.received_on else None
    # the window's import dialog and the CLI both come here: one check of what a person typed
    source = (checked_optional("the source", options.source) or "").strip() or None
    walk = collect([Path(p) for p in paths], exclude=case.root)
    failed = [RefusedFile(path, error) for path, error in walk.refused]
    imported: list[ImportedFile] = []
    duplicates: list[DuplicateFile] = []
    roots = trust_roots(case)  # signatures and content credentials checked against the case's roots
    batch_id = _start_batch(case, [os.path.abspath(p) for p in paths], source, received)
    reading = None
    if options.read_as is not None:
        reading = ReadingPlan(
            options.read_as, tesseract_program() is not None, entities.watch_spellings(case)
        )
    total = len(walk.files)
    done = 0
    pages_read = pages_skipped = 0
    cancelled = False

    def progress(current: str | None) -> None:
        if on_progress is not None:
            on_progress(ImportProgress(done, total, current, len(imported), len(duplicates), len(failed)))

    progress(None)
    try:
        with Claim(case.layout, "import") as claim:
            tasks = deque(
                AnalysisTask(
                    order=order,
                    source=str(path),
                    staging_dir=str(claim.folder),
                    originals_dir=str(case.layout.originals),
                    password=options.password,
                    passwords=options.passwords,
                    max_pixels=options.max_pixels,
                    received_on=received,
                    trust_roots=roots,
                    reading=reading,
                )
                for order, path in enumerate(walk.files)
            )
            # Workers finish in any order; results are recorded in the order the files were given, so
            # ids and "which sighting came first" do not depend on which core was faster. They are
            # recorded a few files to a transaction (each document with its own custody entry): a
            # commit, its fsyncs and the custody head's file cost more than recording a document.
            waiting: dict[int, Outcome[AnalysisTask, FileAnalysis]] = {}
            ready: list[Outcome[AnalysisTask, FileAnalysis]] = []  # next in order, not yet recorded
            next_order = 0  # the first file not yet in ``ready``
            since = 0.0  # when ``ready`` got its first file

            def record(group: list[Outcome[AnalysisTask, FileAnalysis]]) -> _Batch:
                try:
                    return _record_batch(
                        case,
                        claim,
                        group,
                        batch_id,
                        source,
                        received,
                        options.password,
                        reading,
                        between=pool.pump,  # idle workers get their next file meanwhile
                    )
                except DiskFullError:
                    raise _DiskFull(group[0].task.order, listed=False) from None

            def absorb(group: list[Outcome[AnalysisTask, FileAnalysis]], batch: _Batch) -> bool:
                """Count what ``batch`` recorded of ``group``; True if the rest of ``group`` waits."""
                nonlocal done, next_order, pages_read, pages_skipped
                pages_read += batch.pages_read
                pages_skipped += batch.pages_skipped
                for outcome, recorded in batch.recorded:
                    if isinstance(recorded, RefusedFile):
                        failed.append(recorded)
                    elif isinstance(recorded, DuplicateFile):
                        duplicates.append(recorded)
                    else:
                        imported.append(recorded)
                    done += 1
                    progress(path_text(outcome.task.source))
                if batch.disk_full is not None:
                    failed.append(batch.disk_full[1])
                    raise _DiskFull(batch.disk_full[0], listed=True)
                if batch.needs_analysis is None:
                    return False
                # read it after all, then go on in order from it
                tasks.append(replace(batch.needs_analysis.task, analyse_known=True))
                rest = group[len(batch.recorded) + 1 :]
                waiting.update((o.task.order, o) for o in rest)
                next_order = batch.needs_analysis.task.order
                return True

            def flush() -> None:
                if not ready:
                    return
                try:
                    absorb(ready, record(ready))
                except _DiskFull:
                    raise
                except Exception:
                    if len(ready) == 1:
                        raise
                    # Nothing of the batch was kept. Record its files one by one: those before the
                    # file that cannot be recorded are kept, and the error stops the import at it.
                    for i, outcome in enumerate(ready):
                        if absorb(ready[i:], record([outcome])):
                            break
                ready.clear()

            with WorkerPool(analyser, processes=options.processes, limits=options.limits) as pool:
                while True:
                    for outcome in pool.run(tasks, cancel):
                        waiting[outcome.task.order] = outcome
                        if not ready:
                            since = time.monotonic()
                        while next_order in waiting:
                            ready.append(waiting.pop(next_order))
                            next_order += 1
                        if len(ready) >= BATCH_FILES or time.monotonic() - since >= BATCH_SECONDS:
                            flush()
                    flush()  # what was read last, or before a cancel
                    if not tasks or (cancel is not None and cancel.is_set()):
                        break
                cancelled = cancel is not None and cancel.is_set()
    except KeyboardInterrupt:
        cancelled = True
    except _DiskFull as full:
        # Each document already committed stays; the rest is accounted for, and the import stops.
        first = full.stopped_at + 1 if full.listed else full.stopped_at
        remaining = [RefusedFile(path_text(str(p)), DISK_FULL_REASON) for p in walk.files[first:]]
        report = ImportReport(
            tuple(imported),
            tuple(duplicates),
            (*failed, *remaining),
            True,
            total - done,
            pages_read=pages_read,
            pages_skipped=pages_skipped,
        )
        _finish_batch(case, batch_id, report)
        return report
    except BaseException:
        # Whatever stopped it, the batch is closed on record with what became of the files so far.
        _finish_batch(case, batch_id, ImportReport(tuple(imported), tuple(duplicates), tuple(failed), True))
        raise
    report = ImportReport(
        tuple(imported),
        tuple(duplicates),
        tuple(failed),
        cancelled,
        pages_read=pages_read,
        pages_skipped=pages_skipped,
    )
    _finish_batch(case, batch_id, report)
    return report


DISK_FULL_REASON = "not imported: the disk holding the case is full"
#: Files recorded in one transaction at most, and seconds the first of them waits for the others.
BATCH_FILES = 8
BATCH_SECONDS = 1.0


class _DiskFull(Exception):
    """The case's disk filled up while the file in this place of the order was imported."""

    def __init__(self, stopped_at: int, *, listed: bool) -> None:
        super().__init__(stopped_at)
        self.stopped_at = stopped_at
        self.listed = listed  # that file is already among the refused, with the copy's reason


def _start_batch(case: Case, paths: list[str], source: str | None, received: str | None) -> int:
    with case.db.unit_of_work() as uow:
        batch = ImportBatch(
            started_at=utc_now(),
            actor=case.actor,
            host=current_host(),
            source=source,
            received_on=received,
            paths=[path_text(p) for p in paths],  # exact bytes kept, as text JSON accepts
        )
        uow.session.add(batch)
        uow.session.flush()
        batch_id = batch.id
        uow.commit()
    return batch_id


def _finish_batch(case: Case, batch_id: int, report: ImportReport) -> None:
    try:
        _close_batch(case, batch_id, report)
    except DiskFullError:
        # Not even the full record fits: at least mark the batch interrupted, with its counts. If that
        # fails too it stays unfinished, which is how an interrupted batch looks anyway.
        with contextlib.suppress(DiskFullError), case.db.unit_of_work() as uow:
            batch = uow.session.get_one(ImportBatch, batch_id)
            batch.finished_at = utc_now()
            batch.imported = len(report.imported)
            batch.duplicates = len(report.duplicates)
            batch.failed = len(report.failed)
            batch.cancelled = True
            uow.commit()


def _close_batch(case: Case, batch_id: int, report: ImportReport) -> None:
    with case.db.unit_of_work() as uow:
        batch = uow.session.get_one(ImportBatch, batch_id)
        batch.finished_at = utc_now()
        batch.imported = len(report.imported)
        batch.duplicates = len(report.duplicates)
        batch.failed = len(report.failed)
        batch.cancelled = report.cancelled
        for refused in report.failed:
            uow.session.add(RefusedEntry(batch_id=batch_id, path=refused.path, error=refused.error))
        verb = "cancelled" if report.cancelled else "finished"
        custody.append(
            uow.session,
            document_id=None,
            actor=case.actor,
            action="import_batch",
            summary=f"import {batch_id} {verb}: {len(report.imported)} new, "
            f"{len(report.duplicates)} already known, {len(report.failed)} refused",
            after={
                "batch": batch_id,
                "imported": [f.sha256 for f in report.imported],
                "duplicates": [f.sha256 for f in report.duplicates],
                "refused": [{"path": f.path, "error": f.error} for f in report.failed],
            },
        )
        uow.commit()


def _sighting(
    result: FileAnalysis, batch_id: int, source: str | None, received: str | None, actor: str
) -> Sighting:
    path = Path(result.source)  # as the file system gave it: may hold bytes that are not UTF-8
    real = os.path.realpath(path)
    times = result.times
    return Sighting(
        batch_id=batch_id,
        original_path=path_text(path),
        original_name=path_text(path.name),
        real_path=path_text(real) if real != str(path) else None,
        size=result.size,
        modified_at=from_timestamp(times.modified) if times.modified is not None else None,
        changed_at=from_timestamp(times.changed) if times.changed is not None else None,
        accessed_at=from_timestamp(times.accessed) if times.accessed is not None else None,
        source=source,
        received_on=received,
        imported_by=actor,
        imported_at=utc_now(),
        host=current_host(),
    )


@dataclass(slots=True)
class _Batch:
    """What became of the files of one transaction, in order, and why it stopped short if it did."""

    recorded: list[tuple[Outcome[AnalysisTask, FileAnalysis], ImportedFile | DuplicateFile | RefusedFile]]
    needs_analysis: Outcome[AnalysisTask, FileAnalysis] | None = None
    disk_full: tuple[int, RefusedFile] | None = None  # the order of the file that could not be copied
    pages_read: int = 0
    pages_skipped: int = 0


@dataclass(slots=True)
class _Pending:
    """What new documents of a transaction add to the search index, entities and custody log, written
    together once their rows are in (a few statements for all of them instead of ~30 a document)."""

    entries: list[custody.DocumentEntry] = field(default_factory=list)
    texts: list[search_index.NewDocumentText] = field(default_factory=list)
    entities: list[dict[str, object]] = field(default_factory=list)
    signals: list[tuple[int, tuple[dict[str, Any], ...]]] = field(default_factory=list)
    pages_read: int = 0
    pages_skipped: int = 0

    def write(self, session: Session) -> None:
        conn = session.connection()
        # Derived, like the text layer: what the checks found is stored with the document, not logged.
        store_new_signals(conn, self.signals, checks=FORENSIC_CHECKS, at=utc_now())
        search_index.index_new_documents(session, self.texts)
        if self.entities:
            conn.execute(insert(Entity), self.entities)
        custody.append_documents(session, self.entries)
        self.entries, self.texts, self.entities, self.signals = [], [], [], []


def _record_batch(
    case: Case,
    claim: Claim,
    ready: list[Outcome[AnalysisTask, FileAnalysis]],
    batch_id: int,
    source: str | None,
    received: str | None,
    password: str | None,
    reading: ReadingPlan | None = None,
    *,
    between: Callable[[], None] = lambda: None,
) -> _Batch:
    """Record analysed files in order in one transaction: all of them or, if it fails, none.

    Stops before a file whose bytes are in the store but not in the database (it must be read after
    all) and at a file that could not be copied for lack of room (the import stops there).
    ``between`` is called after each file (the pool's ``pump``: recording a batch took longer than a
    worker's file, and the workers sat idle meanwhile).
    """
    batch = _Batch([])
    to_store: list[tuple[str, Path]] = []  # the originals of the documents this transaction records
    admitted: list[tuple[str, Path]] = []  # originals this transaction put in the store, and from where
    new: list[FileAnalysis] = []
    pending = _Pending()
    try:
        with case.db.unit_of_work() as uow:
            session = uow.session
            hashes = [o.result.sha256 for o in ready if o.result is not None]
            known = set(session.scalars(select(Document.sha256).where(Document.sha256.in_(hashes))))
            for outcome in ready:
                result = outcome.result
                if outcome.error is not None or result is None:
                    reason = shown_line(outcome.error or "no result")
                    refused = RefusedFile(path_text(outcome.task.source), reason)
                    if reason.startswith(CANNOT_COPY):
                        batch.disk_full = (outcome.task.order, refused)
                        break
                    batch.recorded.append((outcome, refused))
                    continue
                existing = None
                if result.sha256 in known:
                    pending.write(session)  # the log keeps the files' order
                    existing = session.scalars(select(Document).where(Document.sha256 == result.sha256)).one()
                if existing is not None:
                    _discard(result)
                    _add_sighting(session, case, existing, result, batch_id, source, received)
                    found = DuplicateFile(existing.id, existing.sha256, path_text(result.source))
                    batch.recorded.append((outcome, found))
                    continue
                if result.known or result.staged is None:
                    batch.needs_analysis = outcome
                    break
                to_store.append((result.sha256, Path(result.staged)))
                document_id = _new_document(
                    session,
                    case,
                    result,
                    batch_id,
                    source,
                    received,
                    password,
                    pending=pending,
                    reading=reading,
                )
                known.add(result.sha256)
                warnings = tuple(str(line) for line in result.metadata.get("warnings") or ())
                locked = bool(result.metadata.get("locked"))
                item = ImportedFile(
                    document_id,
                    result.sha256,
                    path_text(result.source),
                    len(result.pages),
                    warnings,
                    locked=locked,
                )
                batch.recorded.append((outcome, item))
                new.append(result)
                between()
            pending.write(session)
            # The originals into the store, then the commit that records them. Each is journalled
            # first, so that a crash before the commit leaves it explained (all of them with one
            # fsync: one per file was a tenth of the import's time in the recording process).
            claim.admitting(*(sha for sha, _path in to_store if not case.layout.original(sha).exists()))
            for sha256, path in to_store:
                if not case.layout.original(sha256).exists():
                    admitted.append((sha256, path))
                admit_original(case.layout, path, sha256)
            uow.commit()
        batch.pages_read, batch.pages_skipped = pending.pages_read, pending.pages_skipped
    except BaseException:
        for sha256, staged in admitted:  # back to staging: recorded alone, they may yet be kept
            unadmit_original(case.layout, sha256, staged)
        raise
    for result in new:
        _place_thumbnails(case, result)
        between()
    return batch


def _add_sighting(
    session: Session,
    case: Case,
    document: Document,
    result: FileAnalysis,
    batch_id: int,
    source: str | None,
    received: str | None,
) -> None:
    sighting = _sighting(result, batch_id, source, received, case.actor)
    facts = sighting_facts(sighting)
    if any(sighting_facts(s) == facts for s in document.sightings):
        return  # the very same file imported again: nothing new is known
    document.sightings.append(sighting)
    custody.append(
        session,
        document_id=document.id,
        actor=case.actor,
        action="sighting_added",
        summary=f"the same bytes found again at {shown(sighting.original_path)}",
        after=facts,
    )


_DOCUMENTS = Base.metadata.tables["document"]
_PAGES = Base.metadata.tables["page"]
_SIGHTINGS = Base.metadata.tables["sighting"]


def _new_document(
    session: Session,
    case: Case,
    result: FileAnalysis,
    batch_id: int,
    source: str | None,
    received: str | None,
    password: str | None,
    *,
    sighting: Sighting | None = None,
    pending: _Pending | None = None,
    reading: ReadingPlan | None = None,
) -> int:
    """Insert a new document with its pages and sighting, and log it; returns its id.

    Plain Core inserts with bound parameters, in the caller's transaction: the ORM's unit of work
    costs ~10 ms a file here, which the workers would spend waiting for the next one. With ``pending``,
    its search index rows, entities and custody entry are left to ``pending.write`` (the caller's).
    """
    own = pending is None
    pending = pending if pending is not None else _Pending()
    conn = session.connection()
    locked = bool(result.metadata.get("locked"))
    sighting = sighting or _sighting(result, batch_id, source, received, case.actor)
    document_id = conn.execute(
        insert(_DOCUMENTS).returning(_DOCUMENTS.c.id),
        {
            "sha256": result.sha256,
            "size": result.size,
            "media_type": result.media_type,
            "file_format": result.file_format,
            "page_count": len(result.pages),
            "encrypted": result.encrypted,
            # a locked file's password is not known: a wrong one given is not kept
            "password": (result.password or password) if result.encrypted and not locked else None,
            "file_metadata": result.metadata,
            "imported_at": utc_now(),
            "imported_by": case.actor,
            "status": "unverified",
        }
        # no title yet: the list names it by the file it is first seen as
        | list_names.values(None, sighting.original_name, None, None, None, result.sha256),
    ).scalar_one()
    _insert_pages(session, document_id, result, pending, reading)
    conn.execute(
        insert(_SIGHTINGS),
        {column.key: getattr(sighting, column.key) for column in _SIGHTINGS.columns if column.key != "id"}
        | {"document_id": document_id},
    )
    pending.texts.append(
        search_index.NewDocumentText(
            document_id,
            (sighting.original_name,),
            result.metadata,
            tuple((p.number, p.text) for p in result.pages),
        )
    )
    if locked:
        summary = f"imported locked: {LOCKED_REASON} ({shown(sighting.original_name)}, {result.size:,} bytes)"
    else:
        summary = (
            f"imported {shown(sighting.original_name)} ({result.size:,} bytes, {len(result.pages)} pages)"
        )
    after = {
        "sha256": result.sha256,
        "size": result.size,
        "media_type": result.media_type,
        "pages": len(result.pages),
        **({"locked": True} if locked else {}),
        **sighting_facts(sighting),
    }
    pending.entries.append(custody.DocumentEntry(document_id, case.actor, "imported", summary, after))
    if own:
        pending.write(session)
    return int(document_id)


def _insert_pages(
    session: Session,
    document_id: int,
    result: FileAnalysis,
    pending: _Pending | None = None,
    reading: ReadingPlan | None = None,
) -> None:
    """A new (or newly unlocked) document's pages with their words and forensic signals, and (without
    ``pending``) their text in the search index; with ``reading``, read as ``ReadingPlan`` says."""
    conn = session.connection()
    statuses: dict[int, OcrStatus] = {}
    if reading is not None and pending is not None:
        for info in result.pages:
            if info.words is not None:  # else reading reads its words from the original
                status = status_without_ocr(info.text, reading.mode, reading.ocr_available)
                if status is not None:
                    statuses[info.number] = status
        for info in result.pages:
            if info.number not in statuses:
                continue
            if info.entities is None:  # not found by the worker (a bundle's or an unlock's analysis)
                pending.entities += entities.entity_rows(
                    document_id, [(info.number, info.text, None)], reading.watch
                )
            else:
                pending.entities += (
                    {
                        "document_id": document_id,
                        "page": info.number,
                        "kind": kind,
                        "value": value,
                        "text": text,
                        "start": start,
                    }
                    for kind, value, text, start in info.entities
                )
        pending.pages_read += len(statuses)
        pending.pages_skipped += sum(s in (OcrStatus.SKIPPED, OcrStatus.OFF) for s in statuses.values())
    if result.pages:
        conn.execute(
            insert(_PAGES),
            [
                {
                    "document_id": document_id,
                    "number": info.number,
                    "width": info.width,
                    "height": info.height,
                    "rotation": info.rotation,
                    "label": info.label,
                    "pixel_width": info.pixel_width,
                    "pixel_height": info.pixel_height,
                    "text": info.text,
                    # read with the text, in the same worker pass: highlights work from the start,
                    # and reading after import only OCRs the pages that need it
                    "words": info.words,
                    "phash": info.phash,
                    "ocr_status": statuses[info.number].value if info.number in statuses else None,
                }
                for info in result.pages
            ],
        )
    # Derived, like the text layer: what the checks found is stored with the document, not logged.
    if result.signals is not None:
        if pending is None:
            store_signals(conn, document_id, result.signals, checks=FORENSIC_CHECKS, at=utc_now())
        else:
            pending.signals.append((document_id, result.signals))
    # Searchable by its text layer from the moment its pages are in the case.
    if pending is None:
        search_index.index_pages(session, document_id, [(p.number, p.text, None) for p in result.pages])


def _discard(result: FileAnalysis) -> None:
    if result.staged:
        Path(result.staged).unlink(missing_ok=True)
    if result.thumbnails_dir:
        shutil.rmtree(result.thumbnails_dir, ignore_errors=True)


def _place_thumbnails(case: Case, result: FileAnalysis) -> None:
    """Move the thumbnails into derived data; they are rebuildable, so a failure here is not fatal."""
    if not result.thumbnails_dir:
        return
    target = case.layout.derived_dir(result.sha256)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        os.replace(result.thumbnails_dir, target)
        fsync_dir(target.parent)
    except OSError:
        shutil.rmtree(result.thumbnails_dir, ignore_errors=True)


# -- for merging an evidence bundle: analysis without recording, recording in the caller's transaction --


def analyse_files(
    paths: Sequence[Path],
    staging: Path,
    case: Case,
    options: ImportOptions | None = None,
    *,
    cancel: threading.Event | None = None,
    analyser: str | Callable[[AnalysisTask, Callable[[], None]], FileAnalysis] = ANALYSE,
) -> list[FileAnalysis | str]:
    """Copy, hash and read each file in the worker pool into ``staging`` (the caller's), recording nothing.

    Returns, in the order given, each file's analysis or the one-line reason it cannot be read. Files
    already in the store are read all the same: the caller decides what is new.
    """
    options = options or ImportOptions()
    tasks = deque(
        AnalysisTask(
            order=order,
            source=str(path),
            staging_dir=str(staging),
            originals_dir=str(case.layout.originals),
            password=options.password,
            passwords=options.passwords,
            max_pixels=options.max_pixels,
            analyse_known=True,
            trust_roots=trust_roots(case),
        )
        for order, path in enumerate(paths)
    )
    found: dict[int, FileAnalysis | str] = {}
    with WorkerPool(analyser, processes=options.processes, limits=options.limits) as pool:
        for outcome in pool.run(tasks, cancel):
            result = outcome.result
            found[outcome.task.order] = result if result is not None else outcome.error or "no result"
    return [found.get(order, "cancelled") for order in range(len(paths))]


def record_analysed(
    session: Session, case: Case, result: FileAnalysis, sighting: Sighting, password: str | None = None
) -> int:
    """Insert an analysed file as a new document in the caller's transaction, with the caller's sighting.

    Admitting the original to the store and committing are the caller's; returns the document id.
    """
    return _new_document(session, case, result, 0, None, None, password, sighting=sighting)


def record_pages(session: Session, document_id: int, result: FileAnalysis) -> None:
    """Insert an analysed file's pages, signals and text index for a document already recorded
    (one just unlocked), in the caller's transaction."""
    _insert_pages(session, document_id, result)


def place_thumbnails(case: Case, result: FileAnalysis) -> None:
    """Move an analysed file's thumbnails into derived data once its document is committed."""
    _place_thumbnails(case, result)
