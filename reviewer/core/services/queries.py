"""Finding documents and reading everything known about them, as plain records."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.records import (
    AnnotationRecord,
    CustodyRecord,
    DocumentDetail,
    DocumentSummary,
    PageRecord,
    SightingRecord,
)
from reviewer.core.domain.values import AnnotationKind, VerificationStatus
from reviewer.core.storage.orm import Annotation, CustodyEvent, Document, Sighting

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from reviewer.core.services.case import Case

_HEX = re.compile(r"^[0-9a-fA-F]+$")
MIN_PREFIX = 8


def resolve(session: Session, ref: str) -> Document:
    """The document a person means by ``ref``: an id from ``list``, or a unique SHA-256 prefix."""
    text = ref.strip()
    by_id = session.get(Document, int(text)) if text.isdigit() and len(text) < 19 else None
    if len(text) >= MIN_PREFIX and _HEX.match(text):
        prefix = text.lower()
        matches = session.scalars(
            select(Document).where(Document.sha256 >= prefix, Document.sha256 < prefix + "g").limit(2)
        ).all()
        if len(matches) > 1 or (matches and by_id is not None and matches[0].id != by_id.id):
            raise UsageError(f"{ref!r} matches more than one document; give more of the SHA-256")
        if matches:
            return matches[0]
    if by_id is not None:
        return by_id
    if _HEX.match(text) and len(text) < MIN_PREFIX and not text.isdigit():
        raise UsageError(f"give at least {MIN_PREFIX} hex digits of a SHA-256, or a document id")
    raise UsageError(f"no document {ref!r} in this case (see: reviewer list)")


def _display_name(document: Document) -> str:
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
        display_name=_display_name(document),
        doc_type=document.doc_type,
        document_date=document.document_date,
        status=VerificationStatus(document.status),
        tags=tuple(sorted(t.tag for t in document.tags)),
        page_count=document.page_count,
        size=document.size,
        media_type=document.media_type,
        imported_at=document.imported_at,
    )


def list_documents(case: Case) -> list[DocumentSummary]:
    """Every document of the case, in import order."""
    with case.db.reading() as session:
        documents = session.scalars(
            select(Document)
            .options(selectinload(Document.tags), selectinload(Document.sightings))
            .order_by(Document.id)
        ).all()
        return [summary_of(d) for d in documents]


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


def _sighting_record(s: Sighting) -> SightingRecord:
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


def document_detail(case: Case, ref: str) -> DocumentDetail:
    """Everything known about one document."""
    with case.db.reading() as session:
        document = resolve(session, ref)
        annotations = session.scalars(
            select(Annotation)
            .where(Annotation.document_id == document.id, Annotation.deleted.is_(False))
            .options(selectinload(Annotation.tags))
            .order_by(Annotation.page, Annotation.created_at)
        ).all()
        events = session.scalars(
            select(CustodyEvent).where(CustodyEvent.document_id == document.id).order_by(CustodyEvent.id)
        ).all()
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
            pages=tuple(
                PageRecord(
                    number=p.number,
                    width=p.width,
                    height=p.height,
                    rotation=p.rotation,
                    label=p.label,
                    text_length=len(p.text),
                    ocr_text_length=len(p.ocr_text) if p.ocr_text is not None else None,
                )
                for p in document.pages
            ),
            sightings=tuple(_sighting_record(s) for s in document.sightings),
            annotations=tuple(annotation_record(a) for a in annotations),
            custody=tuple(custody_record(e) for e in events),
        )


def page_text(case: Case, ref: str, page: int) -> str:
    """The embedded text of one page (1-based)."""
    with case.db.reading() as session:
        document = resolve(session, ref)
        for p in document.pages:
            if p.number == page:
                return p.text
    raise UsageError(f"the document has no page {page}")
