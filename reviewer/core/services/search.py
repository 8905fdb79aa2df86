"""Searching a case: every page's text and OCR, annotations and descriptions, at once."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import select

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.records import DocumentHits, PageText, SearchHit, SearchResults
from reviewer.core.domain.values import Rect
from reviewer.core.services.queries import find_documents, summaries
from reviewer.core.storage import search_index
from reviewer.core.storage.orm import Annotation, Document, Page
from reviewer.core.text.fts import match_spans, matching_words, parse_query, snippet

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from reviewer.core.services.case import Case
    from reviewer.core.services.queries import DocumentFilter

HITS_PER_DOCUMENT = 5


def _source_text(session: Session, kind: str, document_id: int, page: int | None, ref: str | None) -> str:
    if kind in (search_index.TEXT, search_index.OCR) and page is not None:
        row = session.execute(
            select(Page.text, Page.ocr_text).where(Page.document_id == document_id, Page.number == page)
        ).first()
        if row is None:
            return ""
        return (row[0] if kind == search_index.TEXT else row[1]) or ""
    if kind == search_index.NOTE and ref is not None:
        annotation = session.get(Annotation, ref)
        return search_index.annotation_text(annotation) if annotation is not None else ""
    return search_index.meta_text(session, document_id)


def search(
    case: Case,
    query: str,
    wanted: DocumentFilter | None = None,
    *,
    limit: int = 200,
) -> SearchResults:
    """Find ``query`` everywhere in the case (see ``reviewer.core.text.fts`` for what may be typed).

    Up to ``limit`` matching places are read, best first, and grouped by document; documents come in
    the order of their best hit. ``wanted`` narrows the documents searched (tag, status, type, dates).
    """
    if limit < 1:
        raise UsageError("the number of results must be at least 1")
    parsed = parse_query(query)
    within = find_documents(case, wanted) if wanted is not None and wanted.narrows else None
    with case.db.reading() as session:
        try:
            rows = search_index.matching_entries(session, parsed.fts, limit=limit + 1, documents=within)
            matches = search_index.count_matches(session, parsed.fts) if within is None else len(rows)
        except Exception as exc:  # noqa: BLE001  (sqlite reports a query it cannot run as a generic error)
            raise UsageError(f"cannot search for {query!r}: {exc}") from None
        truncated = len(rows) > limit
        rows = rows[:limit]
        grouped: dict[int, list[SearchHit]] = {}
        for _entry, document_id, kind, page, ref, rank in rows:
            hits = grouped.setdefault(document_id, [])
            if len(hits) >= HITS_PER_DOCUMENT:
                continue
            cut = snippet(_source_text(session, kind, document_id, page, ref), parsed.terms)
            hits.append(SearchHit(document_id, kind, page, ref, cut.text, cut.marks, rank))
    found = {s.id: s for s in summaries(case, list(grouped))}
    documents = tuple(DocumentHits(found[d], tuple(h)) for d, h in grouped.items() if d in found)
    return SearchResults(query, documents, matches, truncated)


def page_text(case: Case, document_id: int, page: int) -> PageText:
    """Everything known of the text of one page (1-based)."""
    with case.db.reading() as session:
        row = session.execute(
            select(Page, Document.ocr_languages)
            .join(Document, Document.id == Page.document_id)
            .where(Page.document_id == document_id, Page.number == page)
        ).first()
        if row is None:
            raise UsageError(f"document {document_id} has no page {page}")
        p, languages = row
        return PageText(
            document_id,
            page,
            p.text,
            p.ocr_text,
            p.ocr_status,
            p.ocr_language or languages,
            p.ocr_confidence,
            p.ocr_error,
        )


def highlights(case: Case, document_id: int, page: int, query: str) -> list[Rect]:
    """Boxes (unrotated page points) of the words on a page that a search for ``query`` matched."""
    parsed = parse_query(query)
    with case.db.reading() as session:
        words_json = session.scalar(
            select(Page.words).where(Page.document_id == document_id, Page.number == page)
        )
    if not words_json:
        return []
    try:
        words = json.loads(words_json)
    except ValueError:
        return []
    return [Rect(*(float(v) for v in words[i][:4])) for i in matching_words(words, parsed.terms)]


def text_matches(text: str, query: str) -> list[tuple[int, int]]:
    """Where a search for ``query`` matches inside ``text`` (for the page text view)."""
    return match_spans(text, parse_query(query).terms)
