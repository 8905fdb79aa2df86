"""What reading made of a document's pages, kept aside and put back: "Read again with OCR" undone.

A reading is everything OCR wrote on a page (words and their boxes, the OCR text, its languages,
confidence, status and error). ``page_readings`` takes a copy; ``restore_page_readings`` writes a copy
back, finds the pages' words and entities again, and says so on the document's custody log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from reviewer.core.domain.errors import UsageError
from reviewer.core.services import entities
from reviewer.core.services.queries import document_row
from reviewer.core.storage import custody, search_index
from reviewer.core.storage.orm import Page

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from reviewer.core.services.case import Case

_COLUMNS = ("words", "ocr_text", "ocr_language", "ocr_at", "ocr_status", "ocr_error", "ocr_confidence")


@dataclass(frozen=True, slots=True)
class PageReading:
    """What reading recorded of one page."""

    number: int
    words: str | None
    ocr_text: str | None
    ocr_language: str | None
    ocr_at: str | None
    ocr_status: str | None
    ocr_error: str | None
    ocr_confidence: float | None


def page_readings(case: Case, document_id: int) -> tuple[PageReading, ...]:
    """A copy of what reading recorded of every page of a document."""
    with case.db.reading() as session:
        document = document_row(session, document_id)
        rows = session.execute(
            select(Page.number, *(getattr(Page, c) for c in _COLUMNS))
            .where(Page.document_id == document.id)
            .order_by(Page.number)
        ).all()
    return tuple(PageReading(*row) for row in rows)


def restore_page_readings(case: Case, document_id: int, readings: Sequence[PageReading]) -> int:
    """Put back what reading recorded of pages (from ``page_readings``); on the custody log.

    Returns how many pages changed; nothing is logged when none did.
    """
    watch = entities.watch_list(case)
    with case.db.unit_of_work() as uow:
        session = uow.session
        document = document_row(session, document_id)
        now = {r.number: r for r in _current(session, document.id)}
        changed = [r for r in readings if r.number in now and now[r.number] != r]
        if any(r.number not in now for r in readings):
            raise UsageError(f"document {document.id} has no page {min(r.number for r in readings)}")
        if not changed:
            return 0
        for reading in changed:
            session.execute(
                update(Page)
                .where(Page.document_id == document.id, Page.number == reading.number)
                .values({c: getattr(reading, c) for c in _COLUMNS})
            )
        texts = session.execute(
            select(Page.number, Page.text, Page.ocr_text).where(
                Page.document_id == document.id, Page.number.in_([r.number for r in changed])
            )
        ).all()
        reindex = [(n, text, ocr) for n, text, ocr in texts]
        search_index.index_pages(session, document.id, reindex)
        entities.index_pages(session, document.id, reindex, watch)
        pages = [r.number for r in changed]
        custody.append(
            session,
            document_id=document.id,
            actor=case.actor,
            action="ocr_restored",
            summary=f"earlier reading of {len(pages)} page(s) put back",
            before={"pages": pages, "languages": sorted({now[n].ocr_language or "" for n in pages})},
            after={"pages": pages, "languages": sorted({r.ocr_language or "" for r in changed})},
        )
        uow.commit()
    return len(changed)


def _current(session: Session, document_id: int) -> list[PageReading]:
    rows = session.execute(
        select(Page.number, *(getattr(Page, c) for c in _COLUMNS)).where(Page.document_id == document_id)
    ).all()
    return [PageReading(*row) for row in rows]
