"""Searching a case: every page's text and OCR, annotations and descriptions, at once."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

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


def _source_texts(
    session: Session, rows: list[tuple[int, str, int | None, str | None]]
) -> dict[tuple[int, str, int | None, str | None], str]:
    """The original text of each index row, in three queries whatever their number."""
    pairs = {
        (d, p) for d, kind, p, _ in rows if kind in (search_index.TEXT, search_index.OCR) and p is not None
    }
    pages: dict[tuple[int, int], tuple[str, str | None]] = {}
    if pairs:
        # OR of pairs, not a row-value IN: SQLite looks each pair up in the index instead of scanning
        # it; written out, because building 200 such clauses in SQLAlchemy costs more than the query.
        # Named parameters, so the same text runs on SQLite and PostgreSQL.
        ordered = sorted(pairs)
        where = " OR ".join(f"(document_id = :d{i} AND number = :n{i})" for i in range(len(ordered)))
        params = {f"{key}{i}": v for i, pair in enumerate(ordered) for key, v in zip("dn", pair, strict=True)}
        for d, n, layer, ocr in session.connection().execute(
            text(f"SELECT document_id, number, text, ocr_text FROM page WHERE {where}"), params
        ):
            pages[(d, n)] = (layer or "", ocr)
    notes = {r for _, kind, _, r in rows if kind == search_index.NOTE and r is not None}
    annotations = (
        {
            a.id: search_index.annotation_text(a)
            for a in session.scalars(
                select(Annotation).where(Annotation.id.in_(notes)).options(selectinload(Annotation.tags))
            )
        }
        if notes
        else {}
    )
    out: dict[tuple[int, str, int | None, str | None], str] = {}
    for row in rows:
        d, kind, page, ref = row
        if kind in (search_index.TEXT, search_index.OCR) and page is not None:
            layer, ocr = pages.get((d, page), ("", None))
            out[row] = layer if kind == search_index.TEXT else (ocr or "")
        elif kind == search_index.NOTE and ref is not None:
            out[row] = annotations.get(ref, "")
        else:
            out[row] = search_index.meta_text(session, d)
    return out


def search(
    case: Case,
    query: str,
    wanted: DocumentFilter | None = None,
    *,
    limit: int = 100,
) -> SearchResults:
    """Find ``query`` everywhere in the case (see ``reviewer.core.text.fts`` for what may be typed).

    Up to ``limit`` matching places (a first page of results) are read, best first, and grouped by
    document; documents come in the order of their best hit; ``truncated`` says there are more.
    ``wanted`` narrows the documents searched (tag, status, type, dates).
    """
    if limit < 1:
        raise UsageError("the number of results must be at least 1")
    parsed = parse_query(query)
    within = find_documents(case, wanted) if wanted is not None and wanted.narrows else None
    with case.db.reading() as session:
        try:
            rows = search_index.matching_entries(session, parsed.fts, limit=limit + 1, documents=within)
            matches = search_index.count_matches(session, parsed.fts) if within is None else len(rows)
        except UsageError:
            raise
        except Exception as exc:  # noqa: BLE001  (sqlite reports a query it cannot run as a generic error)
            # The driver's own words, first line only: SQLAlchemy's message adds the SQL on more lines.
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise UsageError(f"cannot search for {query!r}: {reason}") from None
        truncated = len(rows) > limit
        rows = rows[:limit]
        shown: list[tuple[int, str, int | None, str | None, float]] = []
        per_document: dict[int, int] = {}
        for _entry, document_id, kind, page, ref, rank in rows:
            if per_document.get(document_id, 0) < HITS_PER_DOCUMENT:
                per_document[document_id] = per_document.get(document_id, 0) + 1
                shown.append((document_id, kind, page, ref, rank))
        texts = _source_texts(session, [r[:4] for r in shown])
        grouped: dict[int, list[SearchHit]] = {}
        for document_id, kind, page, ref, rank in shown:
            cut = snippet(texts[(document_id, kind, page, ref)], parsed.terms)
            grouped.setdefault(document_id, []).append(
                SearchHit(document_id, kind, page, ref, cut.text, cut.marks, rank)
            )
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
