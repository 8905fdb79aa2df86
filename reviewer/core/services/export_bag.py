"""Writing a bundle's bag: the originals copied and checked, the workers' pieces taken in, the tag data."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer import __version__
from reviewer.core.bundles.bagit import BagError, BagWriter, Copied
from reviewer.core.bundles.export_tasks import (
    CleanedPieces,
    DocumentPieces,
)
from reviewer.core.bundles.webannotation import annotation_to_jsonld
from reviewer.core.domain.errors import IntegrityError
from reviewer.core.services import queries
from reviewer.core.services.export_options import (
    DocumentProblems,
    ExportOptions,
    stop_if_cancelled,
)
from reviewer.core.services.export_plan import (
    PlannedDocument,
    plan_document,
    published_annotations,
)
from reviewer.core.services.export_report import (
    link_lines,
    report_document,
    write_tag_data,
)
from reviewer.core.services.publication_rules import (
    rules_for,
)
from reviewer.core.workers.jobs import JobFailed, Jobs

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from reviewer.core.bundles.report import ReportDocument
    from reviewer.core.domain.records import DocumentDetail
    from reviewer.core.services.case import Case

PLAN_BATCH = 16  # documents read from the database at a time


@dataclass(slots=True)
class Written:
    """What the bag holds; ``left_out`` says, one a line, each chosen document it does not carry."""

    bag: Path
    details: list[DocumentDetail]
    redacted: list[int]
    problems: list[DocumentProblems]
    left_out: list[str]


def write_bag(
    case: Case,
    ids: list[int],
    writer: BagWriter,
    work: Path,
    pool: Jobs,
    options: ExportOptions,
    step: Callable[[str], None],
    cancel: threading.Event | None,
    left_out: Sequence[str] = (),
) -> Written:
    """Fill the bag: hand the PDF work to the workers, copy the originals meanwhile, then the rest."""
    documents: list[PlannedDocument] = []
    passwords = _passwords(case, ids)
    rules = rules_for(case) if options.redact else None
    left_out = list(left_out)
    copier = Copier(case, writer, cancel)
    try:
        # Read in small batches: a few queries per batch instead of a dozen per document, and the first
        # workers start without waiting for the whole case to be read.
        for start in range(0, len(ids), PLAN_BATCH):
            for detail in queries.document_details(case, ids[start : start + PLAN_BATCH]):
                stop_if_cancelled(cancel)
                password = passwords.get(detail.summary.id)
                doc = plan_document(
                    case,
                    detail,
                    password,
                    writer,
                    pool,
                    rules,
                    remove_tracking_dots=options.remove_tracking_dots,
                )
                step(f"copying {doc.detail.summary.display_name}")
                copier.put(doc)
                documents.append(doc)
    finally:
        copies = copier.finish()
    if rules is not None:
        documents, copies = _cleaned_documents(documents, copies, left_out)
    annotations: list[dict[str, Any]] = []
    links_of = link_lines(case, [d.detail for d in documents])
    report_docs: list[ReportDocument] = []
    redacted: list[int] = []
    problems: list[DocumentProblems] = []
    for doc, copy in zip(documents, copies, strict=True):
        stop_if_cancelled(cancel)
        step(f"annotating {doc.detail.summary.display_name}")
        if doc.made is not None:  # a publication copy: the worker wrote it and its annotated copy
            pieces = _take_cleaned(doc, writer)
        elif doc.entry.get("locked"):  # a locked document has no pieces
            pieces = None
            doc.entry["annotated"] = None
        elif (pieces := _result(doc)) is not None and copy is not None:
            if pieces.prefix and (pieces.prefix, pieces.source_stat) != (
                copy.size,
                (copy.size, copy.mtime_ns),
            ):
                raise BagError(f"{doc.shown} changed while it was being exported; export again")
            writer.adopt(doc.annotated, copy if pieces.prefix else None)
            doc.entry["annotated"] = f"data/{doc.annotated}"
            for index, picture in zip(doc.missing, pieces.crops, strict=True):
                doc.crops[index] = picture
        else:
            doc.entry["annotated"] = None
        if doc.entry["warnings"] or doc.entry["missing"]:
            problems.append(
                DocumentProblems(
                    doc.detail.summary.id,
                    doc.detail.summary.display_name,
                    tuple(doc.entry["warnings"]),
                    tuple(doc.entry["missing"]),
                )
            )
        if doc.entry.get("redaction") if doc.made is not None else doc.redaction:
            redacted.append(doc.detail.summary.id)
        language = doc.detail.fields.get("language")
        jsonld = [
            annotation_to_jsonld(a, doc.detail.summary.sha256, language=language, withhold=options.redact)
            for a in (
                published_annotations(doc.detail.annotations) if options.redact else doc.detail.annotations
            )
        ]
        annotations += [rules.annotation_jsonld(item) for item in jsonld] if rules is not None else jsonld
        thumbnail = doc.thumbnail if doc.thumbnail is not None or pieces is None else pieces.thumbnail
        report = report_document(
            case, doc.detail, doc.redaction, options.redact, doc.crops, thumbnail, doc.record.get("custody")
        )
        if rules is not None and doc.made is not None:
            report = rules.report(replace(report, cleaning=doc.made.cleaning), doc.detail.summary.title)
        report_docs.append(
            replace(
                report,
                links=links_of.get(doc.detail.summary.id, ()),
                warnings=tuple(doc.entry["warnings"]),
                missing=tuple(doc.entry["missing"]),
            )
        )
    step("writing the report")
    details = [d.detail for d in documents]
    write_tag_data(
        case,
        writer,
        options,
        details,
        [{**d.entry, **d.record} for d in documents],
        annotations,
        report_docs,
        left_out,
        rules,
    )
    info = {
        "Source-Organization": options.organization or f"{case.actor} (reviewer)",
        "External-Description": "Evidence bundle of case "
        + repr(case.title if rules is None else rules.text(case.title))
        + f": {len(details)} document(s)"
        + (", redacted for publication" if options.redact else ""),
        "Bag-Software-Agent": f"reviewer {__version__}",
    }
    if rules is not None and not options.organization:
        del info["Source-Organization"]  # optional in BagIt; a publication bundle names no one
    bag = writer.finish(info)
    return Written(bag, details, redacted, problems, left_out)


def _cleaned_documents(
    documents: list[PlannedDocument], copies: list[Copied | None], left_out: list[str]
) -> tuple[list[PlannedDocument], list[Copied | None]]:
    """Wait for each publication copy; a document whose copy could not be made is left out, said so.

    Its original cannot stand in for it: a publication bundle carries no original.
    """
    kept: list[tuple[PlannedDocument, Copied | None]] = []
    for doc, copy in zip(documents, copies, strict=True):
        if doc.clean is None:
            kept.append((doc, copy))
            continue
        try:
            made = doc.clean.result()
        except JobFailed as exc:  # its worker crashed, hung or ran out of memory
            made = CleanedPieces(intact=True, error=str(exc))
        if not made.intact:
            check_fixity(doc.detail, "")  # raises: the case's copy no longer matches its SHA-256
        if made.error is not None:
            left_out.append(
                f"document {doc.detail.summary.id} could not be cleaned ({made.error}) and was left out of "
                "the publication bundle"
            )
            continue
        doc.made = made
        kept.append((doc, copy))
    return [d for d, _ in kept], [c for _, c in kept]


def _take_cleaned(doc: PlannedDocument, writer: BagWriter) -> DocumentPieces | None:
    """Take a publication copy and its annotated copy (written by the worker) into the bag."""
    made = doc.made
    assert made is not None
    digest = writer.adopt(doc.base)
    doc.entry.update(
        {
            "file": f"data/{doc.base}",
            "file_sha256": digest,
            # "redacted": the file is a copy, not the original (a merge checks its own SHA-256);
            # "redaction" counts the regions removed, by page (none for a copy only cleaned)
            "redacted": True,
            "cleaned": True,
            "redaction": {str(page): count for page, count in made.pages},
        }
    )
    doc.redaction = list(made.redaction)
    if made.pieces is None:
        doc.entry["annotated"] = None
        doc.entry["missing"].append(
            f"annotated copy: it could not be made ({made.pieces_error}); the cleaned copy is in the bundle, "
            "its annotations are in annotations.jsonld and case.json"
        )
        return None
    writer.adopt(doc.annotated)
    doc.entry["annotated"] = f"data/{doc.annotated}"
    for index, picture in zip(doc.missing, made.pieces.crops, strict=True):
        doc.crops[index] = picture
    return made.pieces


def _result(doc: PlannedDocument) -> DocumentPieces | None:
    """The worker's pieces; None, said in the entry's ``missing``, when the annotated copy failed.

    One document's damaged file does not stop the export: its original (or redacted copy) is in
    the bundle all the same, and case.json, report.html and the export's report say what is missing.
    """
    try:
        return doc.pieces.result()
    except JobFailed as exc:  # refused, or its worker crashed, hung or ran out of memory
        Path(doc.target).unlink(missing_ok=True)  # the bag must not hold a file its manifest lacks
        carried = "its redacted copy" if doc.redaction else "its original"
        doc.entry["missing"].append(
            f"annotated copy: it could not be made ({exc}); {carried} is in the bundle, its annotations "
            "are in annotations.jsonld and case.json"
        )
        return None


def _copy_original(case: Case, doc: PlannedDocument, writer: BagWriter) -> Copied:
    """Copy the original (or its redacted copy) into the bag; the original's copy is its fixity check."""
    if doc.redaction:
        copy = writer.add_original(f"originals/{Path(doc.base).stem}.redacted.pdf", doc.shown)
        doc.entry.update({"file": f"data/{copy.name}", "file_sha256": copy.digest, "redacted": True})
        return copy
    copy = writer.add_original(f"originals/{doc.base}", case.layout.original(doc.detail.summary.sha256))
    check_fixity(doc.detail, copy.digest)
    doc.entry.update({"file": f"data/{copy.name}", "file_sha256": copy.digest, "redacted": False})
    return copy


def check_fixity(detail: DocumentDetail, digest: str) -> None:
    if digest != detail.summary.sha256:
        raise IntegrityError(
            f"the case's copy of document {detail.summary.id} no longer matches its SHA-256; "
            "nothing was exported (run: reviewer verify CASE)"
        )


def _passwords(case: Case, ids: list[int]) -> dict[int, str | None]:
    from sqlalchemy import select

    from reviewer.core.storage.orm import Document

    found: dict[int, str | None] = {}
    with case.db.reading() as session:
        # a few hundred ids a statement: a whole case's ids in one passed PostgreSQL's 65,535 bound values
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[start : start + IDS_PER_QUERY]
            rows = session.execute(
                select(Document.id, Document.password).where(
                    Document.id.in_(chunk), Document.password.is_not(None)
                )
            ).all()
            found.update((row.id, row.password) for row in rows)
    return found


#: Document ids named in one statement at most
IDS_PER_QUERY = 500


class Copier:
    """Copies the originals into the bag on a thread of its own while the database is read.

    Hashing and file I/O let go of the GIL, so the copies overlap with the reading and planning
    done on the calling thread. ``finish`` waits for the last copy and raises what went wrong.
    """

    def __init__(self, case: Case, writer: BagWriter, cancel: threading.Event | None) -> None:
        self._case, self._writer, self._cancel = case, writer, cancel
        self._queue: queue.SimpleQueue[PlannedDocument | None] = queue.SimpleQueue()
        self._copies: list[Copied | None] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="export copier", daemon=True)
        self._thread.start()

    def put(self, doc: PlannedDocument) -> None:
        """Copy this document's original next."""
        self._queue.put(doc)

    def _run(self) -> None:
        while (doc := self._queue.get()) is not None:
            if self._error is not None or (self._cancel is not None and self._cancel.is_set()):
                continue  # drain the queue; the export is failing or stopped
            if doc.clean is not None:
                self._copies.append(None)  # a publication bundle carries no original
                continue
            try:
                self._copies.append(_copy_original(self._case, doc, self._writer))
            except BaseException as exc:  # noqa: BLE001  (raised again on the export's thread)
                self._error = exc

    def finish(self) -> list[Copied | None]:
        """Wait for the copies; the copies in the order given, or the first error."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._copies
