"""ORM rows turned into the plain frozen records of ``reviewer.core.domain.records``.

The services hand these records to the window, the command line and the worker processes; no live ORM
object leaves a session. Each function reads only what is loaded or lazily loadable in the row's own
session, so call it inside that session.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from reviewer.core.domain.locked import is_locked
from reviewer.core.domain.quotes import TextQuote, boxes_from_json
from reviewer.core.domain.records import (
    AnnotationRecord,
    CheckRecord,
    CustodyRecord,
    DocumentDetail,
    DocumentSummary,
    PageRecord,
    SightingRecord,
)
from reviewer.core.domain.values import AnnotationKind, ChecklistItem, MetadataField, VerificationStatus
from reviewer.core.forensics.damage import damage_warnings

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from reviewer.core.storage.orm import Annotation, CustodyEvent, Document, Page, Sighting

# The document's columns that hold its known fields (the rest are free fields in their own table).
FIELD_COLUMNS = {
    MetadataField.TITLE: "title",
    MetadataField.TYPE: "doc_type",
    MetadataField.DOCUMENT_DATE: "document_date",
    MetadataField.REFERENCE_NUMBER: "reference_number",
    MetadataField.ISSUER: "issuer",
    MetadataField.RECIPIENT: "recipient",
    MetadataField.LANGUAGE: "language",
}


def sighting_facts(s: Sighting) -> dict[str, object]:
    """What a sighting says about where a file was found: the same facts are the same sighting."""
    return {
        "path": s.original_path,
        "size": s.size,
        "modified_at": s.modified_at,
        "source": s.source,
        "received_on": s.received_on,
    }


def display_name(document: Document) -> str:
    """What a person calls a document: its title, else the name it was first received under."""
    if document.title:
        return document.title
    if document.sightings:
        return document.sightings[0].original_name
    return document.sha256[:12]


def summary_of(document: Document) -> DocumentSummary:
    """The list row of a loaded document."""
    return DocumentSummary(
        id=document.id,
        sha256=document.sha256,
        title=document.title,
        display_name=display_name(document),
        doc_type=document.doc_type,
        document_date=document.document_date,
        status=VerificationStatus(document.status),
        tags=tuple(sorted(t.tag for t in document.tags)),
        page_count=document.page_count,
        size=document.size,
        media_type=document.media_type,
        imported_at=document.imported_at,
        locked=is_locked(document.encrypted, document.password, document.page_count),
        reference=document.reference_number,
        damaged=damage_line(document.file_metadata or {}),
    )


def damage_line(metadata: Mapping[str, Any]) -> str | None:
    """The one line saying how a document's file is damaged (``file_metadata``'s ``damage``), or None."""
    warnings = damage_warnings(metadata)
    return warnings[0] if warnings else None


def damaged_pages(metadata: Mapping[str, Any]) -> dict[int, str]:
    """The pages of a damaged file MuPDF could not read whole, by number, and what each is short of."""
    damage = metadata.get("damage")
    pages = damage.get("pages") if isinstance(damage, dict) else None
    if not isinstance(pages, dict):
        return {}
    return {int(number): str(problem) for number, problem in pages.items() if str(number).isdigit()}


def annotation_record(annotation: Annotation) -> AnnotationRecord:
    """The plain record of an annotation."""
    return AnnotationRecord(
        id=annotation.id,
        document_id=annotation.document_id,
        page=annotation.page,
        x0=annotation.x0,
        y0=annotation.y0,
        x1=annotation.x1,
        y1=annotation.y1,
        kind=AnnotationKind(annotation.kind),
        note=annotation.note,
        transcription=annotation.transcription,
        translation=annotation.translation,
        tags=tuple(sorted(t.tag for t in annotation.tags)),
        created_by=annotation.created_by,
        created_at=annotation.created_at,
        updated_at=annotation.updated_at,
        quote=(
            TextQuote(annotation.quote, annotation.quote_prefix or "", annotation.quote_suffix or "")
            if annotation.quote is not None
            else None
        ),
        boxes=boxes_from_json(annotation.word_boxes),
    )


def custody_record(event: CustodyEvent) -> CustodyRecord:
    """The plain record of a custody log entry."""
    return CustodyRecord(
        id=event.id,
        document_id=event.document_id,
        at=event.at,
        actor=event.actor,
        action=event.action,
        summary=event.summary,
        before=json.loads(event.before_json),
        after=json.loads(event.after_json),
        entry_hash=event.entry_hash,
    )


def sighting_record(s: Sighting) -> SightingRecord:
    """The plain record of one sighting (one place and time a document's bytes were received)."""
    return SightingRecord(
        id=s.id,
        original_path=s.original_path,
        original_name=s.original_name,
        size=s.size,
        modified_at=s.modified_at,
        changed_at=s.changed_at,
        accessed_at=s.accessed_at,
        source=s.source,
        received_on=s.received_on,
        imported_by=s.imported_by,
        imported_at=s.imported_at,
        host=s.host,
    )


def page_record(p: Page) -> PageRecord:
    """A page's geometry and how much text it has."""
    return PageRecord(
        number=p.number,
        width=p.width,
        height=p.height,
        rotation=p.rotation,
        label=p.label,
        text_length=len(p.text),
        ocr_text_length=len(p.ocr_text) if p.ocr_text is not None else None,
    )


def detail_of(
    document: Document, annotations: Sequence[Annotation], events: Sequence[CustodyEvent]
) -> DocumentDetail:
    """Everything known about a document, given its live annotations and custody entries."""
    checks = {e.item: e for e in document.checklist}
    fields = {
        "title": document.title,
        "type": document.doc_type,
        "document_date": document.document_date,
        "reference_number": document.reference_number,
        "issuer": document.issuer,
        "recipient": document.recipient,
        "language": document.language,
    }
    return DocumentDetail(
        summary=summary_of(document),
        status_note=document.status_note,
        fields={k: v for k, v in fields.items() if v is not None},
        free_fields={f.name: f.value for f in document.free_fields},
        file_format=document.file_format,
        file_metadata=dict(document.file_metadata or {}),
        pages=tuple(page_record(p) for p in document.pages),
        sightings=tuple(sighting_record(s) for s in document.sightings),
        annotations=tuple(annotation_record(a) for a in annotations),
        custody=tuple(custody_record(e) for e in events),
        checklist={
            item.value: CheckRecord(e.state, e.note, e.updated_by, e.updated_at)
            if (e := checks.get(item.value))
            else CheckRecord("unchecked", None, None, None)
            for item in ChecklistItem
        },
    )
