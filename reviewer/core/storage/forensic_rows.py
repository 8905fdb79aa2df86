"""Writing a document's forensic signals and page hashes: plain Core statements, in the caller's transaction.

The import stores what its workers found here, and so does computing them on demand for a document
imported before forensics existed; both replace whatever an older version of the checks left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, insert, update

from reviewer.core.storage.orm import Base

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from sqlalchemy import Connection

_SIGNALS = Base.metadata.tables["forensic_signal"]
_RUNS = Base.metadata.tables["forensics_run"]
_PAGES = Base.metadata.tables["page"]


def store_signals(
    conn: Connection, document_id: int, signals: Sequence[dict[str, Any]], *, checks: int, at: str
) -> None:
    """Replace the document's signals with ``signals`` (``Signal.as_dict`` shapes, pages 0-based)."""
    conn.execute(delete(_SIGNALS).where(_SIGNALS.c.document_id == document_id))
    conn.execute(delete(_RUNS).where(_RUNS.c.document_id == document_id))
    store_new_signals(conn, [(document_id, signals)], checks=checks, at=at)


def store_new_signals(
    conn: Connection, documents: Sequence[tuple[int, Sequence[dict[str, Any]]]], *, checks: int, at: str
) -> None:
    """Store the signals of documents that have none stored yet (just inserted), one insert a table."""
    rows = [
        {
            "document_id": document_id,
            "code": str(s["code"])[:64],
            "severity": str(s["severity"]),
            "title": str(s["title"]),
            "explanation": str(s["explanation"]),
            "value": s.get("value"),
            # the checks count pages from 0; the case, like the person reading, from 1
            "page": s["page"] + 1 if s.get("page") is not None else None,
        }
        for document_id, signals in documents
        for s in signals
    ]
    if rows:
        conn.execute(insert(_SIGNALS), rows)
    if documents:
        conn.execute(
            insert(_RUNS), [{"document_id": d, "checks": checks, "computed_at": at} for d, _s in documents]
        )


def store_page_hashes(conn: Connection, document_id: int, hashes: Iterable[tuple[int, str | None]]) -> None:
    """Set the perceptual hash of pages given as (1-based number, 16 hex digits or None)."""
    rows = [{"d": document_id, "n": number, "h": value} for number, value in hashes if value is not None]
    if rows:
        conn.execute(
            update(_PAGES)
            .where(_PAGES.c.document_id == bindparam("d"), _PAGES.c.number == bindparam("n"))
            .values(phash=bindparam("h")),
            rows,
        )
