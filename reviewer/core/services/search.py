"""Searching a case: every page's text and OCR, annotations and descriptions, at once."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.records import DocumentHits, PageText, SearchHit, SearchResults
from reviewer.core.domain.values import Rect
from reviewer.core.services.queries import find_documents, summaries
from reviewer.core.storage import search_index, search_journal, search_tantivy
from reviewer.core.storage.orm import Annotation, Document, Page, SearchEntry
from reviewer.core.text.fts import match_spans, matching_words, parse_query, snippet

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from sqlalchemy.orm import Session

    from reviewer.core.services.case import Case
    from reviewer.core.services.queries import DocumentFilter

HITS_PER_DOCUMENT = 5
# Before a search, an index lacking at most this many rows is brought up to date first (a few hundred
# milliseconds at most); one lacking more waits for the next open, and FTS5 answers meanwhile.
CATCH_UP_BEFORE_SEARCH = 2000
# A case with fewer index rows than this gets no Tantivy index: FTS5 answers a common term in under
# 50 ms there (docs/benchmarks.md), and the index would only double what the case keeps.
INDEX_FROM_ROWS = 25_000


def _index_folder(case: Case) -> Path:
    return case.layout.derived / search_tantivy.FOLDER


def update_index(
    case: Case,
    *,
    most: int | None = None,
    forget: bool = True,
    progress: Callable[[int], None] | None = None,
) -> bool:
    """Bring a local case's Tantivy index up to date with its database; whether it now is.

    ``most``: do nothing when more rows than that are missing. ``forget``: remove the absorbed journal
    rows (a write transaction; a search leaves them to the next open). A shared case has none
    (PostgreSQL answers alone); a read-only case is never written, so FTS5 answers there.
    """
    if case.db.shared or case.db.read_only is not None:
        return False
    folder = _index_folder(case)
    with case.db.reading() as session:
        journaled = search_journal.enabled(session)
        rows = 0 if journaled else int(session.scalar(select(func.count()).select_from(SearchEntry)) or 0)
    if not journaled:
        if rows < INDEX_FROM_ROWS or (most is not None and rows > most):
            return False
        with case.db.unit_of_work() as uow:  # from here on every change is journaled
            search_journal.enable(uow.session)
            uow.commit()
    try:
        with case.db.reading() as session:
            current, upto, changed = search_tantivy.catch_up(session, folder, most=most, progress=progress)
    except (OSError, ValueError) as exc:  # a full disk, a damaged index: FTS5 answers meanwhile
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        logging.getLogger(__name__).warning(
            "reviewer: the search index beside the case is behind: %s", reason
        )
        return False
    if changed and forget:
        with case.db.unit_of_work() as uow:
            search_tantivy.forget_absorbed(uow.session, upto)
            uow.commit()
    return current


def _matching(
    case: Case, session: Session, fts: str, *, limit: int, documents: Sequence[int] | None
) -> tuple[list[tuple[int, int, str, int | None, str | None, float]], int | None]:
    """The best rows and, when known at once, their number: Tantivy when current, else FTS5."""
    engine = None if case.db.shared else search_tantivy.open_current(session, _index_folder(case))
    if engine is None:
        return search_index.matching_entries(session, fts, limit=limit, documents=documents), None
    ranked = engine.best(fts, limit=limit, documents=documents)
    return search_tantivy.entries(session, ranked), engine.count(fts) if documents is None else None


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
    update_index(case, most=CATCH_UP_BEFORE_SEARCH, forget=False)
    with case.db.reading() as session:
        try:
            rows, counted = _matching(case, session, parsed.fts, limit=limit + 1, documents=within)
            if counted is not None:
                matches = counted
            elif within is not None or len(rows) <= limit:
                matches = len(rows)  # every match is on this page: nothing more to count
            else:
                matches = search_index.count_matches(session, parsed.fts)
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
