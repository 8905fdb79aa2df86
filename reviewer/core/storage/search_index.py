"""The full-text index: what is in it, kept in step with the case, and the one query that reads it.

Rows of ``search_entry`` say what each indexed text is (a page's text layer, its OCR, an annotation,
a document's metadata); ``search_text`` holds that text, folded (see ``reviewer.core.text.fts``),
under the same id: an FTS5 table in a local case, a ``tsvector`` with a GIN index in a case on
PostgreSQL (``reviewer.core.storage.search_pg``, same tokens and same answers). Every function here
works inside the caller's transaction, so the index changes in the same commit as what it indexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, text

from reviewer.core.storage import search_journal, search_pg
from reviewer.core.storage.orm import (
    Annotation,
    AnnotationTag,
    CaseSetting,
    Document,
    DocumentField,
    DocumentTag,
    Page,
    SearchEntry,
    Sighting,
)
from reviewer.core.text.fts import index_text

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

# Bump when what goes into the index changes: cases are re-indexed when they are opened.
# 2: Latin and Cyrillic look-alikes folded by word (reviewer.core.text.scripts).
INDEX_VERSION = 2
_VERSION_KEY = "search_index_version"

TEXT, OCR, NOTE, META = "text", "ocr", "note", "meta"


def _conn(session: Session) -> Connection:
    return session.connection()


def _on_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _remove(session: Session, ids: Sequence[int]) -> None:
    if not ids:
        return
    conn = _conn(session)
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        if _on_postgres(conn):
            search_pg.remove(conn, chunk)
        else:
            marks = ",".join("?" * len(chunk))
            conn.exec_driver_sql(f"DELETE FROM search_text WHERE rowid IN ({marks})", tuple(chunk))
            search_journal.journal(session, chunk)
        conn.execute(delete(SearchEntry).where(SearchEntry.id.in_(chunk)))


def _add(session: Session, rows: Iterable[tuple[int, str, int | None, str | None, str]]) -> None:
    """Index these ``(document id, kind, page, ref, text)`` rows, a few statements for all of them."""
    conn = _conn(session)
    bodies: dict[tuple[int, str, int | None, str | None], str] = {}
    for document_id, kind, page, ref, body in rows:
        if body.strip():
            key = (document_id, kind, page, ref)
            if key in bodies:
                _add(session, [(*key, bodies.pop(key))])  # the same place twice: each its own entry
            bodies[key] = body
    if not bodies:
        return
    # One multi-row INSERT ... RETURNING: rows come back in no set order, so each is known by its place
    # (which is why a place given twice above is written on its own).
    added = conn.execute(
        insert(SearchEntry).returning(
            SearchEntry.id, SearchEntry.document_id, SearchEntry.kind, SearchEntry.page, SearchEntry.ref
        ),
        [{"document_id": d, "kind": kind, "page": page, "ref": ref} for d, kind, page, ref in bodies],
    ).all()
    indexed = sorted(
        (entry_id, index_text(bodies[(d, kind, page, ref)])) for entry_id, d, kind, page, ref in added
    )
    if _on_postgres(conn):
        search_pg.add(conn, indexed)
    else:
        conn.exec_driver_sql("INSERT INTO search_text (rowid, body) VALUES (?, ?)", indexed)
        search_journal.journal(session, [entry for entry, _body in indexed])


def index_pages(session: Session, document_id: int, pages: Iterable[tuple[int, str, str | None]]) -> None:
    """(Re)index pages ``(number, text layer, OCR text)`` of a document."""
    pages = list(pages)
    numbers = [p[0] for p in pages]
    old = session.scalars(
        select(SearchEntry.id).where(
            SearchEntry.document_id == document_id,
            SearchEntry.kind.in_((TEXT, OCR)),
            SearchEntry.page.in_(numbers),
        )
    ).all()
    _remove(session, old)
    rows: list[tuple[int, str, int | None, str | None, str]] = []
    for number, layer, ocr in pages:
        rows.append((document_id, TEXT, number, None, layer))
        if ocr:
            rows.append((document_id, OCR, number, None, ocr))
    _add(session, rows)


def annotation_text(annotation: Annotation) -> str:
    """What of an annotation is searchable: note, transcription, translation, tags."""
    parts = [annotation.note, annotation.transcription, annotation.translation]
    parts += [t.tag for t in annotation.tags]
    return "\n".join(p for p in parts if p)


def index_annotation(session: Session, annotation: Annotation) -> None:
    """(Re)index one annotation; a deleted one leaves the index."""
    old = session.scalars(
        select(SearchEntry.id).where(
            SearchEntry.document_id == annotation.document_id,
            SearchEntry.kind == NOTE,
            SearchEntry.ref == annotation.id,
        )
    ).all()
    _remove(session, old)
    if not annotation.deleted:
        _add(
            session,
            [(annotation.document_id, NOTE, annotation.page, annotation.id, annotation_text(annotation))],
        )


_META_COLUMNS = ("title", "doc_type", "document_date", "reference_number", "issuer", "recipient", "language")
_FILE_METADATA_KEYS = ("title", "author", "subject", "keywords", "creator", "producer")


def meta_text(session: Session, document_id: int) -> str:
    """What of a document's description is searchable: its fields, file names, tags, PDF metadata."""
    document = session.get(Document, document_id)
    if document is None:
        return ""
    names = session.scalars(select(Sighting.original_name).where(Sighting.document_id == document_id)).all()
    fields = session.execute(
        select(DocumentField.name, DocumentField.value).where(DocumentField.document_id == document_id)
    ).all()
    tags = session.scalars(select(DocumentTag.tag).where(DocumentTag.document_id == document_id)).all()
    columns = [getattr(document, c) for c in _META_COLUMNS]
    return describe(columns, names, [(n, v) for n, v in fields], tags, document.file_metadata)


def describe(
    columns: Sequence[object],
    names: Sequence[str],
    fields: Sequence[tuple[str, str]],
    tags: Sequence[str],
    file_metadata: Any,
) -> str:
    """A description's searchable text from its parts (``columns`` as in ``_META_COLUMNS``)."""
    parts: list[str] = [str(c or "") for c in columns]
    parts += names
    parts += [f"{name}: {value}" for name, value in fields]
    parts += tags
    info: Any = (file_metadata or {}).get("info") or {}
    if isinstance(info, dict):
        parts += [str(info[k]) for k in _FILE_METADATA_KEYS if isinstance(info.get(k), str)]
    return "\n".join(dict.fromkeys(p for p in parts if p))


def index_meta(session: Session, document_id: int) -> None:
    """(Re)index a document's description."""
    old = session.scalars(
        select(SearchEntry.id).where(SearchEntry.document_id == document_id, SearchEntry.kind == META)
    ).all()
    _remove(session, old)
    _add(session, [(document_id, META, None, None, meta_text(session, document_id))])


def index_new_documents(session: Session, documents: Sequence[NewDocumentText]) -> None:
    """Index documents just inserted in this transaction (nothing of them is in the index yet): their
    description and their pages' text layers, in one statement a table for all of them.

    The same rows as :func:`index_meta` and :func:`index_pages` would make, one document at a time.
    """
    rows: list[tuple[int, str, int | None, str | None, str]] = []
    for new in documents:
        rows += [(new.document_id, TEXT, number, None, layer) for number, layer in new.pages]
        rows.append((new.document_id, META, None, None, describe((), new.names, (), (), new.file_metadata)))
    _add(session, rows)


@dataclass(frozen=True, slots=True)
class NewDocumentText:
    """What is searchable of a document just imported: file names, file metadata, text layers."""

    document_id: int
    names: tuple[str, ...]
    file_metadata: Any
    pages: tuple[tuple[int, str], ...]


def index_is_current(session: Session) -> bool:
    """Whether the index was built by this version's rules."""
    setting = session.get(CaseSetting, _VERSION_KEY)
    return setting is not None and setting.value == INDEX_VERSION


def rebuild(session: Session) -> int:
    """Index the whole case from scratch; returns the number of rows indexed."""
    conn = _conn(session)
    if _on_postgres(conn):
        search_pg.clear(conn)
    else:
        conn.exec_driver_sql("DELETE FROM search_text")
    conn.execute(delete(SearchEntry))
    for (document_id,) in session.execute(select(Document.id)):
        pages = session.execute(
            select(Page.number, Page.text, Page.ocr_text).where(Page.document_id == document_id)
        ).all()
        index_pages(session, document_id, [(n, t or "", o) for n, t, o in pages])
        index_meta(session, document_id)
    for annotation in session.scalars(select(Annotation).where(Annotation.deleted.is_(False))):
        _ = annotation.tags
        index_annotation(session, annotation)
    if not _on_postgres(conn):
        search_journal.journal_reset(session)  # the Tantivy index is made anew too, after the commit
    setting = session.get(CaseSetting, _VERSION_KEY)
    if setting is None:
        session.add(CaseSetting(key=_VERSION_KEY, value=INDEX_VERSION))
    else:
        setting.value = INDEX_VERSION
    session.flush()
    if _on_postgres(conn):
        return search_pg.size(conn)
    return int(conn.exec_driver_sql("SELECT count(*) FROM search_text").scalar_one())


def matching_entries(
    session: Session, fts: str, *, limit: int | None, documents: Sequence[int] | None = None
) -> list[tuple[int, int, str, int | None, str | None, float]]:
    """Best-ranked index rows for an FTS5 expression: ``(entry, document, kind, page, ref, rank)``.

    The MATCH runs alone in a subquery and only its rowids meet the other tables: FTS5 mixed into a
    larger WHERE clause can be a thousand times slower. On PostgreSQL the same rows match (ranked by
    ``ts_rank`` instead of bm25; see ``search_pg``).
    """
    conn = _conn(session)
    if _on_postgres(conn):
        return search_pg.matching_entries(conn, fts, limit=limit, documents=documents)
    params: dict[str, Any] = {"q": fts}
    if documents is None:
        # bm25() spelled out: ORDER BY the rank column computes the same score ~35 % slower (measured at
        # 100,000 pages: 167 against 267 ms for a term on almost every page).
        inner = (
            "SELECT rowid, bm25(search_text) AS rank FROM search_text WHERE search_text MATCH :q "
            "ORDER BY bm25(search_text)"
        )
        if limit is not None:
            inner += " LIMIT :n"
            params["n"] = limit
        sql = (
            f"SELECT e.id, e.document_id, e.kind, e.page, e.ref, m.rank FROM ({inner}) AS m "
            "JOIN search_entry AS e ON e.id = m.rowid ORDER BY m.rank"
        )
    else:
        wanted = ",".join(str(int(d)) for d in documents) or "NULL"
        sql = (
            "SELECT e.id, e.document_id, e.kind, e.page, e.ref, m.rank FROM "
            "(SELECT rowid, bm25(search_text) AS rank FROM search_text WHERE search_text MATCH :q) AS m "
            f"JOIN search_entry AS e ON e.id = m.rowid WHERE e.document_id IN ({wanted}) ORDER BY m.rank"
        )
        if limit is not None:
            sql += " LIMIT :n"
            params["n"] = limit
    rows = conn.execute(text(sql), params).all()
    return [(r[0], r[1], r[2], r[3], r[4], float(r[5])) for r in rows]


def count_matches(session: Session, fts: str) -> int:
    """How many index rows match."""
    conn = _conn(session)
    if _on_postgres(conn):
        return search_pg.count_matches(conn, fts)
    return int(
        conn.execute(
            text("SELECT count(*) FROM search_text WHERE search_text MATCH :q"), {"q": fts}
        ).scalar_one()
    )


def annotation_tags(session: Session, annotation_id: str) -> list[str]:
    """The tags of an annotation (for snippets of annotation hits)."""
    return list(
        session.scalars(select(AnnotationTag.tag).where(AnnotationTag.annotation_id == annotation_id))
    )
