"""Planning each document's way into a bundle: its entry, its record, the PDF work handed to a worker."""

from __future__ import annotations

import re
import unicodedata
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from reviewer.core.bundles.webannotation import WITHHELD
from reviewer.core.domain.file_facts import file_facts
from reviewer.core.domain.locked import NOT_IN_BUNDLE
from reviewer.core.domain.quotes import TextQuote, line_boxes
from reviewer.core.domain.records import as_plain
from reviewer.core.domain.values import (
    AnnotationKind,
    ChecklistItem,
    Rect,
)
from reviewer.core.forensics.damage import damage_warnings
from reviewer.core.services.publication_rules import (
    PublicationRules,
    neutral_name,
    public_facts,
    public_title,
)
from reviewer.core.workers.registry import CLEAN, PIECES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reviewer.core.bundles.bagit import BagWriter
    from reviewer.core.domain.records import AnnotationRecord, DocumentDetail
    from reviewer.core.services.case import Case
    from reviewer.core.workers.jobs import Jobs

_UNSAFE = re.compile(r"[^\w.\- ()\[\]№+,]+", re.UNICODE)
PRIVATE_KEYS = ("path", "source", "host", "real_path")
CROP_WIDTH = 320
THUMBNAIL_WIDTH = 160


@dataclass(slots=True)
class PlannedDocument:
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


def safe_name(name: str) -> str:
    clean = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" ._") or "document"
    return clean[:120]


def plan_document(
    case: Case,
    detail: DocumentDetail,
    password: str | None,
    writer: BagWriter,
    pool: Jobs,
    rules: PublicationRules | None = None,
    *,
    remove_tracking_dots: bool = False,
) -> PlannedDocument:
    """Hand a document's PDF work to a worker: its annotated copy, or with ``rules`` (a publication
    bundle, ``--redact``) its cleaned and redacted copy and the annotated copy of that (with
    ``remove_tracking_dots``, printer tracking dots painted out of the cleaned copy's page images)."""
    summary = detail.summary
    original = case.layout.original(summary.sha256)
    name = safe_name(detail.sightings[0].original_name if detail.sightings else summary.sha256[:12])
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
        return _plan_public(case, detail, password, writer, pool, rules, regions, entry, remove_tracking_dots)
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
        cover=evidence_cover(detail, [], False),
        password=password,
        withhold=False,
        crops=tuple(requests),
        thumbnail_width=None if thumbnail is not None else THUMBNAIL_WIDTH,
        filetype=summary.media_type,
    )
    record = _document_record(detail, False, publish=False)
    pieces = pool.submit(PIECES, request)
    return PlannedDocument(
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
    remove_tracking_dots: bool = False,
) -> PlannedDocument:
    """A publication bundle's document: a worker checks the original, cleans it (redacting where
    asked) into ``documents/document-0003.pdf`` and makes the annotated copy of that."""
    summary = detail.summary
    name = neutral_name(summary.id)
    cleaned = f"documents/{name}"
    annotated = f"annotated/{Path(name).stem}.annotated.pdf"
    cleaned_path, target = writer.reserve(cleaned), writer.reserve(annotated)
    published = [rules.annotation(a) for a in published_annotations(detail.annotations)]
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
        remove_tracking_dots=remove_tracking_dots,
    )
    record = rules.record(_document_record(detail, True, publish=True), summary.id, summary.title)
    never: Future[DocumentPieces] = Future()  # the pieces come with the cleaned copy
    doc = PlannedDocument(
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


def _locked_document(
    detail: DocumentDetail, base: str, entry: dict[str, Any], *, publish: bool
) -> PlannedDocument:
    """A locked document's way into the bag: its original byte for byte, no annotated copy, said so."""
    entry["locked"] = True
    entry["missing"].append(NOT_IN_BUNDLE + "; its original is in the bundle byte for byte")
    never: Future[DocumentPieces] = Future()  # no PDF work: nothing in it can be read
    record = _document_record(detail, False, publish=publish)
    return PlannedDocument(
        detail, base, "", Path(base), entry, record, [], never, [None] * len(detail.annotations), [], None, ""
    )


def _scrub(value: Any) -> Any:
    """Leave out where files were found, from whom, on which machine: publication protects sources."""
    if isinstance(value, dict):
        return {k: (WITHHELD if k in PRIVATE_KEYS and v else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def published_annotations(annotations: Sequence[AnnotationRecord]) -> list[AnnotationRecord]:
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
        quotes = {a.id: a.quote for a in published_annotations(detail.annotations) if a.quote is not None}
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


def evidence_cover(detail: DocumentDetail, redaction: list[str], publish: bool) -> str:
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
