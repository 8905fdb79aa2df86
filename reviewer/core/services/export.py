"""Exporting an evidence bundle: a BagIt bag anyone can verify without trusting reviewer.

This module runs an export: it chooses the documents, builds the bag in a scratch folder beside the
destination with the workers, moves it into place and logs it. The rest is in its own modules:
:mod:`~reviewer.core.services.export_options` (what is asked and reported),
:mod:`~reviewer.core.services.export_plan` (each document's entry, record and PDF work),
:mod:`~reviewer.core.services.export_bag` (writing the bag) and
:mod:`~reviewer.core.services.export_report` (annotations.jsonld, case.json, report.html).
"""

from __future__ import annotations

import os
import secrets
import shutil
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.core.bundles.bagit import BagError, BagWriter
from reviewer.core.bundles.publication import Finding
from reviewer.core.bundles.zipbag import ZipBagWriter
from reviewer.core.domain.errors import CaseError, ReviewerError, UsageError
from reviewer.core.domain.values import (
    VerificationStatus,
    parse_tag,
)
from reviewer.core.processes import usable_cores
from reviewer.core.services import queries
from reviewer.core.services.case import current_host
from reviewer.core.services.export_bag import write_bag
from reviewer.core.services.export_options import (
    DocumentProblems,
    ExportCancelled,
    ExportOptions,
    ExportReport,
    stop_if_cancelled,
    zipped_if_named_so,
)
from reviewer.core.services.publication import check_publication
from reviewer.core.storage import custody
from reviewer.core.storage.store import DATABASE_NAME, SCRATCH_PREFIX, Claim
from reviewer.core.workers.jobs import Jobs
from reviewer.core.workers.pool import Limits

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from reviewer.core.domain.records import DocumentDetail
    from reviewer.core.services.case import Case

__all__ = [
    "EXPORT_LIMITS",
    "DocumentProblems",
    "ExportCancelled",
    "ExportOptions",
    "ExportReport",
    "check_destination",
    "export_bundle",
    "leave_out_locked",
    "remove_bundle",
    "select_documents",
    "zipped_if_named_so",
]

#: A document's PDF work reports no progress until it is done: a long stall allowed, memory bounded.
EXPORT_LIMITS = Limits(stall_seconds=900.0, total_seconds=3600.0, memory_bytes=3 << 30)


def select_documents(case: Case, options: ExportOptions) -> list[int]:
    """The ids a set of export options picks (documents given, then tag and status filters)."""
    status = VerificationStatus.parse(options.status) if options.status else None
    tag = parse_tag(options.tag) if options.tag else None
    if options.docs:
        with case.db.reading() as session:
            ids = [queries.document_row(session, i).id for i in dict.fromkeys(options.docs)]
    else:
        ids = queries.find_documents(case, queries.DocumentFilter())
    rows = {s.id: s for s in queries.summaries(case, ids)}
    chosen = [
        i
        for i in ids
        if (status is None or rows[i].status is status) and (tag is None or tag in rows[i].tags)
    ]
    if not chosen:
        raise UsageError("no document matches; nothing to export")
    return chosen


def export_bundle(
    case: Case,
    out: Path,
    options: ExportOptions | None = None,
    *,
    on_progress: Callable[[str, int, int], None] | None = None,
    cancel: threading.Event | None = None,
    logged_with: Mapping[str, object] | None = None,
) -> ExportReport:
    """Write an evidence bundle of the chosen documents to ``out`` (a folder, or a zip with ``zip``).

    Every original is hashed as it is copied into the bundle, and the export refused if the case's
    copy no longer matches. The bundle is built beside ``out`` and moved into place at the end: an
    export that fails, or is cancelled through ``cancel``, leaves nothing behind.

    The PDF work (annotated copies, the report's pictures) runs in worker processes while this one
    reads the database and copies the originals. ``logged_with`` is added to the bundle's custody
    entry (a queue's export names its job there: ``services.team_exports``).
    """
    options = zipped_if_named_so(Path(out), options or ExportOptions())
    if options.remove_tracking_dots and not options.redact:
        raise UsageError(
            "removing printer tracking dots is for a publication bundle: add --redact, or leave it out"
        )
    out = check_destination(case, Path(out))
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} already exists; choose a new name for the bundle")
    ids = select_documents(case, options)
    left_out: list[str] = []
    if options.redact:
        ids, left_out = leave_out_locked(case, ids)
    step = _progress(on_progress, len(ids) * 2 + 2 + int(options.check_publication))
    out.parent.mkdir(parents=True, exist_ok=True)
    with _scratch_folder(case, out) as work, _workers(len(ids)) as pool:
        writer = ZipBagWriter(work / out.name) if options.zip else BagWriter(work / out.name)
        try:
            payload = write_bag(case, ids, writer, work, pool, options, step, cancel, left_out)
        except BaseException:
            if isinstance(writer, ZipBagWriter):
                writer.abort()
            raise
        stop_if_cancelled(cancel)
        step("finishing")
        if out.exists():
            out.rmdir()  # an empty folder, checked above
        payload.bag.replace(out)
    _log_export(case, payload.details, out, options, payload.redacted, logged_with or {})
    report = ExportReport(
        str(out),
        len(payload.details),
        tuple(payload.redacted),
        writer.payload_bytes,
        tuple(payload.problems),
        tuple(payload.left_out),  # the locked ones, and any whose publication copy failed
    )
    if options.check_publication:
        step("checking the bundle for anything that could identify a source")
        report = replace(report, findings=_checked(out))
    return report


def _checked(bundle: Path) -> tuple[Finding, ...]:
    """What ``check-publication`` finds in the bundle just written; a check that cannot run is a finding."""
    try:
        return tuple(check_publication(bundle))
    except ReviewerError as exc:
        return (Finding("", "uninspectable", f"the publication check could not run: {exc}"),)


def remove_bundle(case: Case, report: ExportReport) -> None:
    """Remove the bundle the export that returned ``report`` wrote (after its check found something).

    Only a bag at the report's path is removed (a zip, or a real folder holding ``bagit.txt``), never
    anything else; the removal is on the custody log beside the export.
    """
    out = Path(report.path)
    if out.is_symlink() or not (out.is_file() or (out / "bagit.txt").is_file()):
        raise BagError(f"{out} is not the bundle this export wrote; nothing was removed")
    try:
        if out.is_dir():
            shutil.rmtree(out)
        else:
            out.unlink()
    except OSError as exc:
        raise BagError(f"the bundle {out} could not be removed ({exc.strerror or exc})") from None
    with case.db.unit_of_work() as uow:
        custody.append(
            uow.session,
            document_id=None,
            actor=case.actor,
            action="bundle_removed",
            summary=f"evidence bundle {out.name} removed after the publication check",
            after={"bundle": str(out), "findings": len(report.findings or ())},
        )
        uow.commit()


def leave_out_locked(case: Case, ids: Sequence[int]) -> tuple[list[int], list[str]]:
    """For a publication bundle: the documents that can be cleaned, and a line for each locked one left out.

    A locked document (encrypted, password not known) cannot be read, so no cleaned copy of it can be
    made; its original may not be published either.
    """
    summaries = queries.summaries(case, list(ids))
    kept = [s.id for s in summaries if not s.locked]
    lines = [
        f"document {s.id} is locked and was left out of the publication bundle" for s in summaries if s.locked
    ]
    if not kept:
        raise CaseError(
            "every document chosen is locked, and a publication bundle cannot carry a locked document; "
            "unlock them first (reviewer unlock CASE DOC --password PW)"
        )
    return kept, lines


def check_destination(case: Case, out: Path) -> Path:
    """Where a bundle may go: never inside a case (symlinks and ``..`` resolved); the resolved path.

    A bundle inside this case would be taken for the case's own files (the next open sweeps its
    staging folder); inside another case's folders it would be swept there, or taken for evidence.
    """
    target = Path(os.path.realpath(out))
    root = Path(os.path.realpath(case.root))
    if target == root or root in target.parents:
        raise UsageError(f"{out} is inside the case folder {case.root}; export to a folder outside the case")
    for folder in (target, *target.parents):
        if (folder / DATABASE_NAME).exists():
            raise UsageError(f"{out} is inside the case folder {folder}; export to a folder outside any case")
    return target


@contextmanager
def _scratch_folder(case: Case, out: Path) -> Iterator[Path]:
    """A hidden folder beside ``out`` to build the bundle in, claimed on the case before it is made.

    The claim's journal names it first, so if this process dies (even by SIGKILL) the next command
    that opens the case removes it, copies of originals and all; a normal end removes it here.
    """
    scratch = out.parent / f"{SCRATCH_PREFIX}export-{secrets.token_hex(8)}"
    with ExitStack() as stack:
        try:
            claim = stack.enter_context(Claim(case.layout, "export"))
        except OSError as exc:
            raise CaseError(
                f"the case at {case.root} cannot be written ({exc.strerror or exc}); nothing was exported"
            ) from None
        claim.record(scratch)
        try:
            scratch.mkdir()
        except OSError as exc:
            raise BagError(
                f"cannot write in {out.parent} ({exc.strerror or exc}); nothing was exported"
            ) from None
        stack.callback(shutil.rmtree, scratch, ignore_errors=True)
        yield scratch


@contextmanager
def _workers(documents: int) -> Iterator[Jobs]:
    """The export's workers: the common pool (its limits, and the lifeline: they end with this
    process, even by SIGKILL); on failure or cancel, the work still queued is dropped."""
    with Jobs(processes=max(1, min(usable_cores(), documents)), limits=EXPORT_LIMITS) as pool:
        yield pool


def _progress(callback: Callable[[str, int, int], None] | None, total: int) -> Callable[[str], None]:
    done = [0]

    def step(what: str) -> None:
        if callback is not None:
            callback(what, done[0], total)
        done[0] += 1

    return step


def _log_export(
    case: Case,
    details: list[DocumentDetail],
    out: Path,
    options: ExportOptions,
    redacted: list[int],
    logged_with: Mapping[str, object],
) -> None:
    with case.db.unit_of_work() as uow:
        for detail in details:
            was_redacted = detail.summary.id in redacted
            custody.append(
                uow.session,
                document_id=detail.summary.id,
                actor=case.actor,
                action="exported",
                summary=f"exported to {out.name}" + (" as a redacted copy" if was_redacted else ""),
                after={"bundle": str(out), "redacted": was_redacted, "host": current_host()},
            )
        custody.append(
            uow.session,
            document_id=None,
            actor=case.actor,
            action="bundle_exported",
            summary=f"evidence bundle {out.name}: {len(details)} document(s)"
            + (f", {len(redacted)} redacted" if redacted else ""),
            after={
                "bundle": str(out),
                "documents": [d.summary.sha256 for d in details],
                "zip": options.zip,
                "redacted": options.redact,
                **logged_with,
            },
        )
        uow.commit()
