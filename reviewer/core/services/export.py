"""Exporting an evidence bundle: a BagIt bag anyone can verify without trusting reviewer."""

from __future__ import annotations

import json
import os
import queue
import re
import secrets
import shutil
import threading
import unicodedata
import uuid
from concurrent.futures import Future
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer import __version__
from reviewer.core.bundles.bagit import BagError, BagWriter, Copied
from reviewer.core.bundles.export_tasks import (
    CleanedPieces,
    CleanRequest,
    CropRequest,
    DocumentPieces,
    PiecesRequest,
    RedactionRegion,
    cached_crop,
    cover_html,
    crop_cache_key,
)
from reviewer.core.bundles.report import ReportAnnotation, ReportDocument, render_report
from reviewer.core.bundles.webannotation import WITHHELD, annotation_to_jsonld, collection
from reviewer.core.bundles.zipbag import ZipBagWriter
from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import CaseError, IntegrityError, ReviewerError, UsageError
from reviewer.core.domain.file_facts import file_facts
from reviewer.core.domain.labels import format_utc
from reviewer.core.domain.locked import NOT_IN_BUNDLE
from reviewer.core.domain.quotes import TextQuote, line_boxes
from reviewer.core.domain.records import as_plain
from reviewer.core.domain.values import (
    AnnotationKind,
    ChecklistItem,
    LinkRelation,
    Rect,
    VerificationStatus,
    parse_tag,
)
from reviewer.core.forensics.damage import damage_warnings
from reviewer.core.processes import usable_cores
from reviewer.core.services import queries
from reviewer.core.services.case import current_host
from reviewer.core.services.links import all_links
from reviewer.core.services.publication_rules import (
    PublicationRules,
    neutral_name,
    public_facts,
    public_title,
    rules_for,
)
from reviewer.core.services.report_data import (
    report_checklist,
    report_custody,
    report_facts,
    report_provenance,
    report_signals,
)
from reviewer.core.storage import custody
from reviewer.core.storage.store import DATABASE_NAME, SCRATCH_PREFIX, Claim
from reviewer.core.workers.jobs import JobFailed, Jobs
from reviewer.core.workers.pool import Limits
from reviewer.core.workers.registry import CLEAN, PIECES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from reviewer.core.domain.records import AnnotationRecord, DocumentDetail
    from reviewer.core.services.case import Case

BUNDLE_FORMAT = "reviewer-evidence-bundle"
BUNDLE_VERSION = 1
_UNSAFE = re.compile(r"[^\w.\- ()\[\]№+,]+", re.UNICODE)
PRIVATE_KEYS = ("path", "source", "host", "real_path")
CROP_WIDTH = 320
THUMBNAIL_WIDTH = 160
PLAN_BATCH = 16  # documents read from the database at a time
#: A document's PDF work reports no progress until it is done: a long stall allowed, memory bounded.
EXPORT_LIMITS = Limits(stall_seconds=900.0, total_seconds=3600.0, memory_bytes=3 << 30)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What to export and how."""

    docs: Sequence[str] = ()
    tag: str | None = None
    status: str | None = None
    redact: bool = False
    zip: bool = False
    organization: str | None = None


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote."""

    path: str
    documents: int
    redacted: tuple[int, ...]
    payload_bytes: int
    #: documents that arrived damaged, or whose bundle lacks a piece (said in case.json and report.html)
    problems: tuple[DocumentProblems, ...] = ()
    #: why a chosen document is not in the bundle (a locked one in a publication bundle), one a line
    left_out: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentProblems:
    """What is wrong with one exported document: damage it arrived with, pieces the bundle lacks."""

    id: int
    name: str
    warnings: tuple[str, ...]
    missing: tuple[str, ...]


def zipped_if_named_so(out: Path, options: ExportOptions) -> ExportOptions:
    """A bundle named ``*.zip`` is written as a zip, ``zip`` given or not (never a folder so named).

    With ``zip`` and another name, the zip is written under the name as given.
    """
    return replace(options, zip=True) if out.suffix.lower() == ".zip" else options


def _safe_name(name: str) -> str:
    clean = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" ._") or "document"
    return clean[:120]


def select_documents(case: Case, options: ExportOptions) -> list[int]:
    """The ids a set of export options picks (documents given, then tag and status filters)."""
    status = VerificationStatus.parse(options.status) if options.status else None
    tag = parse_tag(options.tag) if options.tag else None
    if options.docs:
        with case.db.reading() as session:
            ids = list(dict.fromkeys(queries.resolve(session, ref).id for ref in options.docs))
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
) -> ExportReport:
    """Write an evidence bundle of the chosen documents to ``out`` (a folder, or a zip with ``zip``).

    Every original is hashed as it is copied into the bundle, and the export refused if the case's
    copy no longer matches. The bundle is built beside ``out`` and moved into place at the end: an
    export that fails, or is cancelled through ``cancel``, leaves nothing behind.

    The PDF work (annotated copies, the report's pictures) runs in worker processes while this one
    reads the database and copies the originals.
    """
    options = zipped_if_named_so(Path(out), options or ExportOptions())
    out = check_destination(case, Path(out))
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} already exists; choose a new name for the bundle")
    ids = select_documents(case, options)
    left_out: list[str] = []
    if options.redact:
        ids, left_out = leave_out_locked(case, ids)
    step = _progress(on_progress, len(ids) * 2 + 2)
    out.parent.mkdir(parents=True, exist_ok=True)
    with _scratch_folder(case, out) as work, _workers(len(ids)) as pool:
        writer = ZipBagWriter(work / out.name) if options.zip else BagWriter(work / out.name)
        try:
            payload = _write_bag(case, ids, writer, work, pool, options, step, cancel, left_out)
        except BaseException:
            if isinstance(writer, ZipBagWriter):
                writer.abort()
            raise
        _stop_if_cancelled(cancel)
        step("finishing")
        if out.exists():
            out.rmdir()  # an empty folder, checked above
        payload.bag.replace(out)
    _log_export(case, payload.details, out, options, payload.redacted)
    return ExportReport(
        str(out),
        len(payload.details),
        tuple(payload.redacted),
        writer.payload_bytes,
        tuple(payload.problems),
        tuple(left_out),
    )


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


class ExportCancelled(ReviewerError):
    """The person stopped the export; nothing was written."""


@dataclass(slots=True)
class _Document:
    """One document on its way into the bag."""

    detail: DocumentDetail
    base: str
    annotated: str
    shown: Path
    entry: dict[str, Any]
    record: dict[str, Any]
    redaction: list[str]
    pieces: Future[DocumentPieces]
    crops: list[bytes | None]
    missing: list[int]  # indexes into crops of the pictures the worker draws
    thumbnail: bytes | None
    target: str  # where the worker writes the annotated copy
    #: a publication bundle's document: the worker's cleaned copy and annotated copy of it
    clean: Future[CleanedPieces] | None = None
    made: CleanedPieces | None = None


@dataclass(slots=True)
class _Written:
    bag: Path
    details: list[DocumentDetail]
    redacted: list[int]
    problems: list[DocumentProblems]


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


def _stop_if_cancelled(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ExportCancelled("the export was cancelled; nothing was written")


def _write_bag(
    case: Case,
    ids: list[int],
    writer: BagWriter,
    work: Path,
    pool: Jobs,
    options: ExportOptions,
    step: Callable[[str], None],
    cancel: threading.Event | None,
    left_out: Sequence[str] = (),
) -> _Written:
    """Fill the bag: hand the PDF work to the workers, copy the originals meanwhile, then the rest."""
    documents: list[_Document] = []
    passwords = _passwords(case, ids)
    rules = rules_for(case) if options.redact else None
    left_out = list(left_out)
    copier = _Copier(case, writer, cancel)
    try:
        # Read in small batches: a few queries per batch instead of a dozen per document, and the first
        # workers start without waiting for the whole case to be read.
        for start in range(0, len(ids), PLAN_BATCH):
            for detail in queries.document_details(case, ids[start : start + PLAN_BATCH]):
                _stop_if_cancelled(cancel)
                password = passwords.get(detail.summary.id)
                doc = _plan(case, detail, password, writer, pool, rules)
                step(f"copying {doc.detail.summary.display_name}")
                copier.put(doc)
                documents.append(doc)
    finally:
        copies = copier.finish()
    if rules is not None:
        documents, copies = _cleaned_documents(documents, copies, left_out)
    annotations: list[dict[str, Any]] = []
    links_of = _link_lines(case, [d.detail for d in documents])
    report_docs: list[ReportDocument] = []
    redacted: list[int] = []
    problems: list[DocumentProblems] = []
    for doc, copy in zip(documents, copies, strict=True):
        _stop_if_cancelled(cancel)
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
            for a in (_published(doc.detail.annotations) if options.redact else doc.detail.annotations)
        ]
        annotations += [rules.annotation_jsonld(item) for item in jsonld] if rules is not None else jsonld
        thumbnail = doc.thumbnail if doc.thumbnail is not None or pieces is None else pieces.thumbnail
        report = _report_document(
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
    _write_tag_data(
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
    return _Written(bag, details, redacted, problems)


def _cleaned_documents(
    documents: list[_Document], copies: list[Copied | None], left_out: list[str]
) -> tuple[list[_Document], list[Copied | None]]:
    """Wait for each publication copy; a document whose copy could not be made is left out, said so.

    Its original cannot stand in for it: a publication bundle carries no original.
    """
    kept: list[tuple[_Document, Copied | None]] = []
    for doc, copy in zip(documents, copies, strict=True):
        if doc.clean is None:
            kept.append((doc, copy))
            continue
        try:
            made = doc.clean.result()
        except JobFailed as exc:  # its worker crashed, hung or ran out of memory
            made = CleanedPieces(intact=True, error=str(exc))
        if not made.intact:
            _check_fixity(doc.detail, "")  # raises: the case's copy no longer matches its SHA-256
        if made.error is not None:
            left_out.append(
                f"document {doc.detail.summary.id} could not be cleaned ({made.error}) and was left out of "
                "the publication bundle"
            )
            continue
        doc.made = made
        kept.append((doc, copy))
    return [d for d, _ in kept], [c for _, c in kept]


def _take_cleaned(doc: _Document, writer: BagWriter) -> DocumentPieces | None:
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


def _result(doc: _Document) -> DocumentPieces | None:
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


def _link_lines(case: Case, details: list[DocumentDetail]) -> dict[int, tuple[str, ...]]:
    """For the report: each document's links to others in the bundle, read from its side."""
    names = {d.summary.id: d.summary.display_name for d in details}
    lines: dict[int, list[str]] = {}
    for source, target, relation, note in all_links(case):
        if source in names and target in names:
            kind = LinkRelation(relation)
            said = f": {note}" if note else ""
            lines.setdefault(source, []).append(f"{kind.label} document {target} ({names[target]}){said}")
            lines.setdefault(target, []).append(
                f"{kind.inverse_label} document {source} ({names[source]}){said}"
            )
    return {d: tuple(v) for d, v in lines.items()}


def _links(case: Case, details: list[DocumentDetail]) -> list[dict[str, Any]]:
    """Links between documents that are both in the bundle, each end named by its SHA-256."""
    sha = {d.summary.id: d.summary.sha256 for d in details}
    return [
        {"source": sha[s], "target": sha[t], "relation": relation, "note": note}
        for s, t, relation, note in all_links(case)
        if s in sha and t in sha
    ]


def _plan(
    case: Case,
    detail: DocumentDetail,
    password: str | None,
    writer: BagWriter,
    pool: Jobs,
    rules: PublicationRules | None = None,
) -> _Document:
    """Hand a document's PDF work to a worker: its annotated copy, or with ``rules`` (a publication
    bundle, ``--redact``) its cleaned and redacted copy and the annotated copy of that."""
    summary = detail.summary
    original = case.layout.original(summary.sha256)
    name = _safe_name(detail.sightings[0].original_name if detail.sightings else summary.sha256[:12])
    base = f"{summary.id:04d}_{name}"
    entry: dict[str, Any] = {"id": summary.id, "sha256": summary.sha256, "size": summary.size}
    entry["warnings"] = damage_warnings(detail.file_metadata)  # damage the file arrived with
    entry["missing"] = []  # pieces of the bundle that could not be made, and why
    if summary.locked:
        return _locked_document(detail, base, entry, publish=rules is not None)
    if rules is not None:
        regions = [
            RedactionRegion(a.page, r.x0, r.y0, r.x1, r.y1)
            for a in detail.annotations
            if a.kind is AnnotationKind.REDACTION
            # a text redaction removes its words (a box per run of them on a line), not the space around
            for r in (line_boxes(a.boxes) if a.boxes else [Rect(a.x0, a.y0, a.x1, a.y1)])
        ]
        return _plan_public(case, detail, password, writer, pool, rules, regions, entry)
    # An evidence bundle: the original byte for byte, its annotated copy made in a worker.
    crops: list[bytes | None] = []
    requests: list[CropRequest] = []
    missing: list[int] = []
    for a in detail.annotations:
        rect = (a.x0, a.y0, a.x1, a.y1)
        cache = str(
            case.layout.derived_dir(summary.sha256) / crop_cache_key(summary.sha256, a.page, rect, CROP_WIDTH)
        )
        kept = cached_crop(cache)
        crops.append(kept)
        if kept is None:
            missing.append(len(crops) - 1)
            requests.append(CropRequest(a.page, rect, CROP_WIDTH, cache))
    stored = case.layout.thumbnail(summary.sha256, 1)
    thumbnail = stored.read_bytes() if stored.is_file() else None
    annotated = f"annotated/{Path(base).stem}.annotated.pdf"
    request = PiecesRequest(
        source=str(original),
        target=str(writer.reserve(annotated)),
        title=original.name,
        annotations=detail.annotations,
        cover=_cover(detail, [], False),
        password=password,
        withhold=False,
        crops=tuple(requests),
        thumbnail_width=None if thumbnail is not None else THUMBNAIL_WIDTH,
        filetype=summary.media_type,
    )
    record = _document_record(detail, False, publish=False)
    pieces = pool.submit(PIECES, request)
    return _Document(
        detail,
        base,
        annotated,
        original,
        entry,
        record,
        [],
        pieces,
        crops,
        missing,
        thumbnail,
        request.target,
    )


def _plan_public(
    case: Case,
    detail: DocumentDetail,
    password: str | None,
    writer: BagWriter,
    pool: Jobs,
    rules: PublicationRules,
    regions: list[RedactionRegion],
    entry: dict[str, Any],
) -> _Document:
    """A publication bundle's document: a worker checks the original, cleans it (redacting where
    asked) into ``documents/document-0003.pdf`` and makes the annotated copy of that."""
    summary = detail.summary
    name = neutral_name(summary.id)
    cleaned = f"documents/{name}"
    annotated = f"annotated/{Path(name).stem}.annotated.pdf"
    cleaned_path, target = writer.reserve(cleaned), writer.reserve(annotated)
    published = [rules.annotation(a) for a in _published(detail.annotations)]
    crops: list[bytes | None] = []
    requests: list[CropRequest] = []
    missing: list[int] = []
    for a in published:
        crops.append(None)  # drawn from the cleaned copy, never kept: what a redaction hides is not shown
        if a.kind is not AnnotationKind.REDACTION:
            missing.append(len(crops) - 1)
            requests.append(CropRequest(a.page, (a.x0, a.y0, a.x1, a.y1), CROP_WIDTH, None))
    pieces = PiecesRequest(
        source=str(cleaned_path),
        target=str(target),
        title=name,
        annotations=published,
        cover="",
        withhold=True,
        crops=tuple(requests),
        thumbnail_width=THUMBNAIL_WIDTH,
        filetype="application/pdf",
    )
    title, facts, before, after = _public_cover(detail, rules)
    request = CleanRequest(
        original=str(case.layout.original(summary.sha256)),
        sha256=summary.sha256,
        cleaned=str(cleaned_path),
        regions=tuple(regions),
        pieces=pieces,
        title=title,
        facts=facts,
        before=before,
        after=after,
        password=password,
        filetype=summary.media_type,
    )
    record = rules.record(_document_record(detail, True, publish=True), summary.id, summary.title)
    never: Future[DocumentPieces] = Future()  # the pieces come with the cleaned copy
    doc = _Document(
        detail, cleaned, annotated, cleaned_path, entry, record, [], never, crops, missing, None, ""
    )
    doc.clean = pool.submit(CLEAN, request)
    return doc


def _public_cover(
    detail: DocumentDetail, rules: PublicationRules
) -> tuple[
    str,
    tuple[tuple[str, str], ...],
    tuple[tuple[str, tuple[str, ...]], ...],
    tuple[tuple[str, tuple[str, ...]], ...],
]:
    """A publication copy's cover: title, facts, and the sections before and after what was removed."""
    summary = detail.summary
    facts = [("SHA-256 of the original", summary.sha256), ("Status", summary.status.value)]
    if detail.status_note:
        facts.append(("Rationale", rules.text(detail.status_note)))
    facts += [(label, rules.text(value)) for label, value in _fields(detail)]
    facts += public_facts(detail.file_metadata)
    checklist = tuple(
        rules.text(f"{item}: {state}" + (f" ({note})" if note else ""))
        for item, state, note in _checked(detail)
    )
    log = tuple(f"{e.at[:19]} {rules.actor(e.actor)}: {rules.text(e.summary)}" for e in detail.custody)
    provenance = tuple(rules.text(line) for line in _provenance(detail, True))
    return (
        public_title(summary.id, summary.title, rules),
        tuple(facts),
        (("Damage", tuple(rules.text(w) for w in damage_warnings(detail.file_metadata))),),
        (("Checklist", checklist), ("Provenance", provenance), ("Custody log", log)),
    )


def _locked_document(detail: DocumentDetail, base: str, entry: dict[str, Any], *, publish: bool) -> _Document:
    """A locked document's way into the bag: its original byte for byte, no annotated copy, said so."""
    entry["locked"] = True
    entry["missing"].append(NOT_IN_BUNDLE + "; its original is in the bundle byte for byte")
    never: Future[DocumentPieces] = Future()  # no PDF work: nothing in it can be read
    record = _document_record(detail, False, publish=publish)
    return _Document(
        detail, base, "", Path(base), entry, record, [], never, [None] * len(detail.annotations), [], None, ""
    )


def _copy_original(case: Case, doc: _Document, writer: BagWriter) -> Copied:
    """Copy the original (or its redacted copy) into the bag; the original's copy is its fixity check."""
    if doc.redaction:
        copy = writer.add_original(f"originals/{Path(doc.base).stem}.redacted.pdf", doc.shown)
        doc.entry.update({"file": f"data/{copy.name}", "file_sha256": copy.digest, "redacted": True})
        return copy
    copy = writer.add_original(f"originals/{doc.base}", case.layout.original(doc.detail.summary.sha256))
    _check_fixity(doc.detail, copy.digest)
    doc.entry.update({"file": f"data/{copy.name}", "file_sha256": copy.digest, "redacted": False})
    return copy


def _write_tag_data(
    case: Case,
    writer: BagWriter,
    options: ExportOptions,
    details: list[DocumentDetail],
    entries: list[dict[str, Any]],
    annotations: list[dict[str, Any]],
    report_docs: list[ReportDocument],
    left_out: Sequence[str] = (),
    rules: PublicationRules | None = None,
) -> None:
    """annotations.jsonld, case.json and report.html."""
    exported_at = utc_now()
    exporter = case.actor if rules is None else rules.account(case.actor)
    title = case.title if rules is None else rules.text(case.title)
    label = f"Annotations of case {title!r}"
    writer.add_bytes(
        "annotations.jsonld",
        _json(
            collection(
                annotations, label=label, collection_id=f"urn:uuid:{uuid.uuid4()}", generated=exported_at
            )
        ),
    )
    writer.add_bytes(
        "case.json",
        _json(
            {
                "format": BUNDLE_FORMAT,
                "version": BUNDLE_VERSION,
                "exported_at": exported_at,
                "exported_by": exporter,
                "reviewer": __version__,
                "redacted_for_publication": options.redact,
                "case": {"title": title, "custody_head": _custody_head(case)},
                "documents": entries,
                "links": _links(case, details),
                **({"left_out": list(left_out)} if left_out else {}),
            }
        ),
    )
    subtitle = (
        f"{len(details)} document(s), exported {format_utc(exported_at)} by {exporter} "
        f"with reviewer {__version__}" + ("; redacted for publication" if options.redact else "")
    ) + "".join(f"; {line}" for line in left_out)
    writer.add_bytes(
        "report.html", render_report(f"Evidence bundle: {title}", subtitle, report_docs).encode()
    )


def _custody_head(case: Case) -> dict[str, Any] | None:
    """The case's custody chain head as the bundle is written: `reviewer verify CASE --head` takes it."""
    with case.db.reading() as session:
        head = custody.head_of(session)
    return None if head is None else {"entry": head.entry_id, "sha256": head.entry_hash, "at": head.at}


def _check_fixity(detail: DocumentDetail, digest: str) -> None:
    if digest != detail.summary.sha256:
        raise IntegrityError(
            f"the case's copy of document {detail.summary.id} no longer matches its SHA-256; "
            "nothing was exported (run: reviewer verify CASE)"
        )


def _progress(callback: Callable[[str, int, int], None] | None, total: int) -> Callable[[str], None]:
    done = [0]

    def step(what: str) -> None:
        if callback is not None:
            callback(what, done[0], total)
        done[0] += 1

    return step


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


def _passwords(case: Case, ids: list[int]) -> dict[int, str | None]:
    from sqlalchemy import select

    from reviewer.core.storage.orm import Document

    with case.db.reading() as session:
        rows = session.execute(
            select(Document.id, Document.password).where(Document.id.in_(ids), Document.password.is_not(None))
        ).all()
    return {row.id: row.password for row in rows}


class _Copier:
    """Copies the originals into the bag on a thread of its own while the database is read.

    Hashing and file I/O let go of the GIL, so the copies overlap with the reading and planning
    done on the calling thread. ``finish`` waits for the last copy and raises what went wrong.
    """

    def __init__(self, case: Case, writer: BagWriter, cancel: threading.Event | None) -> None:
        self._case, self._writer, self._cancel = case, writer, cancel
        self._queue: queue.SimpleQueue[_Document | None] = queue.SimpleQueue()
        self._copies: list[Copied | None] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="export copier", daemon=True)
        self._thread.start()

    def put(self, doc: _Document) -> None:
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


def _scrub(value: Any) -> Any:
    """Leave out where files were found, from whom, on which machine: publication protects sources."""
    if isinstance(value, dict):
        return {k: (WITHHELD if k in PRIVATE_KEYS and v else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _published(annotations: Sequence[AnnotationRecord]) -> list[AnnotationRecord]:
    """Annotations as published: no text quoted around any words (it may be redacted), and no words
    quoted that a redaction covers, even in part."""
    hidden: dict[int, list[Rect]] = {}
    for a in annotations:
        if a.kind is AnnotationKind.REDACTION:
            hidden.setdefault(a.page, []).extend(a.boxes or [Rect(a.x0, a.y0, a.x1, a.y1)])

    def covered(a: AnnotationRecord) -> bool:
        return a.kind is AnnotationKind.REDACTION or any(
            b.x0 < h.x1 and h.x0 < b.x1 and b.y0 < h.y1 and h.y0 < b.y1
            for b in a.boxes
            for h in hidden.get(a.page, [])
        )

    return [
        a if a.quote is None else replace(a, quote=TextQuote(WITHHELD if covered(a) else a.quote.exact))
        for a in annotations
    ]


def _document_record(detail: DocumentDetail, redacted: bool, *, publish: bool) -> dict[str, Any]:
    plain = as_plain(detail)
    summary = plain["summary"]
    record: dict[str, Any] = {
        "title": summary["title"],
        "display_name": summary["display_name"],
        "media_type": summary["media_type"],
        "file_format": detail.file_format,
        "pages": plain["pages"],
        "fields": detail.fields,
        "free_fields": detail.free_fields,
        "tags": list(summary["tags"]),
        "status": summary["status"],
        "status_note": detail.status_note,
        "checklist": plain["checklist"],
        "sightings": plain["sightings"],
        "annotations": plain["annotations"],
        "custody": plain["custody"],
        "file_metadata": {} if redacted else plain["file_metadata"],
    }
    if publish:
        for sighting in record["sightings"]:
            sighting["original_path"] = sighting["original_name"]
            sighting["source"] = WITHHELD if sighting["source"] else None
            sighting["host"] = WITHHELD
        record["custody"] = _scrub(record["custody"])
        for annotation in record["annotations"]:
            if annotation["kind"] == AnnotationKind.REDACTION.value:
                for key in ("note", "transcription", "translation"):
                    if annotation[key]:
                        annotation[key] = WITHHELD
        redaction_ids = {
            a["id"] for a in record["annotations"] if a["kind"] == AnnotationKind.REDACTION.value
        }
        quotes = {a.id: a.quote for a in _published(detail.annotations) if a.quote is not None}
        for annotation in record["annotations"]:
            if annotation.get("quote"):
                annotation["quote"] = as_plain(quotes[annotation["id"]])
        for event in record["custody"]:
            for side in ("before", "after"):
                facts = event.get(side)
                if isinstance(facts, dict) and isinstance(facts.get("quote"), dict):
                    withheld = facts.get("id") not in quotes or quotes[facts["id"]].exact == WITHHELD
                    exact = WITHHELD if withheld else facts["quote"].get("exact")
                    facts["quote"] = {"exact": exact, "prefix": "", "suffix": ""}
        for event in record["custody"]:
            for side in ("before", "after"):
                facts = event.get(side)
                if isinstance(facts, dict) and facts.get("id") in redaction_ids:
                    event[side] = {
                        k: (WITHHELD if k in ("note", "transcription", "translation") and v else v)
                        for k, v in facts.items()
                    }
    return record


def _fields(detail: DocumentDetail) -> list[tuple[str, str]]:
    return [(k.replace("_", " ").capitalize(), v) for k, v in {**detail.fields, **detail.free_fields}.items()]


def _checked(detail: DocumentDetail) -> list[tuple[str, str, str]]:
    """(item, finding, note) of every checklist item that was looked at."""
    return [
        (ChecklistItem(item).label, check.state.replace("_", " "), check.note or "")
        for item, check in detail.checklist.items()
        if check.state != "unchecked"
    ]


def _provenance(detail: DocumentDetail, publish: bool) -> list[str]:
    """One line per sighting; for publication, no folder and no source."""
    return [
        ("a file (its name as received withheld)" if publish else s.original_path)
        + (f", from {WITHHELD if publish else s.source}" if s.source else "")
        + (f", received {s.received_on}" if s.received_on else "")
        + f"; imported by {s.imported_by} {s.imported_at[:19]}"
        for s in detail.sightings
    ]


def _cover(detail: DocumentDetail, redaction: list[str], publish: bool) -> str:
    summary = detail.summary
    facts = [("SHA-256 of the original", summary.sha256), ("Status", summary.status.value)]
    if detail.status_note:
        facts.append(("Rationale", detail.status_note))
    facts += _fields(detail)
    if not redaction:
        facts += file_facts(detail.file_metadata)
        method = detail.file_metadata.get("encryption")
        if method:
            # MuPDF cannot add to an encrypted file, and the bundle does not carry the password.
            facts.append(
                (
                    "This copy",
                    f"a decrypted working copy: the original is encrypted ({method}) and is in the bundle "
                    "unchanged, openable only with its password",
                )
            )
    checklist = [
        f"{item}: {state}" + (f" ({note})" if note else "") for item, state, note in _checked(detail)
    ]
    log = [f"{e.at[:19]} {e.actor}: {e.summary}" for e in detail.custody]
    sections = [
        ("Damage", damage_warnings(detail.file_metadata)),
        ("Redacted for publication", redaction),
        ("Checklist", checklist),
        ("Provenance", _provenance(detail, publish)),
        ("Custody log", log),
    ]
    return cover_html(summary.display_name, facts, sections)


def _report_document(
    case: Case,
    detail: DocumentDetail,
    redaction: list[str],
    publish: bool,
    crops: list[bytes | None],
    thumbnail: bytes | None,
    carried_custody: list[dict[str, Any]] | None = None,
) -> ReportDocument:
    """A document's part of report.html, in words (services/report_data.py); ``carried_custody`` are
    its custody entries as case.json carries them, whose before and after the log lines show."""
    summary = detail.summary
    notes = []
    for a, crop in zip(detail.annotations, crops, strict=True):
        hidden = publish and a.kind is AnnotationKind.REDACTION
        texts = [
            (label, WITHHELD if hidden else value)
            for label, value in (
                ("Note", a.note),
                ("Transcription", a.transcription),
                ("Translation", a.translation),
            )
            if value
        ]
        notes.append(ReportAnnotation(a.page, a.kind.value, texts, a.tags, None if hidden else crop))
    locked = summary.locked  # a locked document's file was never read: no checks ran on it
    signals, plain_signals = (None, 0) if locked else report_signals(case, summary.id, publish=publish)
    return ReportDocument(
        id=summary.id,
        title=summary.display_name,
        sha256=summary.sha256,
        status=summary.status.value,
        rationale=detail.status_note,
        thumbnail_image=thumbnail,
        facts=report_facts(detail, publish=publish, redacted=bool(redaction)),
        checklist=report_checklist(detail),
        sightings=report_provenance(detail, publish=publish),
        annotations=notes,
        custody=report_custody(detail, carried_custody or ()),
        redaction=redaction,
        signals=signals,
        plain_signals=plain_signals,
    )


def _log_export(
    case: Case, details: list[DocumentDetail], out: Path, options: ExportOptions, redacted: list[int]
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
            },
        )
        uow.commit()
