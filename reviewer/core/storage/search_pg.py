"""The full-text index on PostgreSQL: the same tokens, positions and answers as the local FTS5 index.

``search_text`` (migration 0008) holds, under the ids of ``search_entry``, a ``tsvector`` built here
from the tokens SQLite's own ``unicode61`` tokenizer cuts (reviewer.core.text.unicode61), never by
PostgreSQL's parser, and a GIN index over it, with a copy of the entry's place (document, kind, page,
ref; migration 0013) so a page of results is read from this table alone. Queries are the FTS5
expression of ``reviewer.core.text.fts.parse_query`` turned into ``tsquery`` text (``to_tsquery``
there).

A tsvector keeps at most 256 positions of a lexeme and no position past 16,383, so phrases in a very
long text, or with a word used hundreds of times in it, could be missed or wrongly found. Such a row
(rare: a page of about 30 dense pages' words) keeps its lexemes without positions and its folded text
in ``folded``; a query takes these rows by a looser query that needs no positions and then asks FTS5
itself, in memory, which of them the exact expression matches. So every row answers as FTS5 would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from reviewer.core.text.fts import to_tsquery
from reviewer.core.text.unicode61 import matching, tokenize

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.engine import Connection

_LAST_POSITION = 16383  # PostgreSQL's MAXENTRYPOS - 1
_POSITIONS_PER_LEXEME = 256  # MAXNUMPOS
_LEXEME_BYTES = 2047  # MAXSTRLEN: a longer "word" (a run of base64, say) cannot be a lexeme
_VECTOR_BYTES = 1_000_000  # below MAXSTRPOS (1 MiB), with room for each lexeme's header


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(tokens: Sequence[str]) -> tuple[str, bool]:
    """``tsvector`` text for a text's tokens, and whether it holds every position (see the module)."""
    where: dict[str, list[int]] = {}
    for position, token in enumerate(tokens, start=1):
        where.setdefault(token, []).append(position)
    # A "word" longer than a lexeme may be (a run of base64, say) is left to FTS5 on `folded`.
    lexemes = [w for w in where if len(w.encode()) <= _LEXEME_BYTES]
    exact = (
        len(lexemes) == len(where)
        and len(tokens) <= _LAST_POSITION
        and all(len(p) <= _POSITIONS_PER_LEXEME for p in where.values())
        and sum(len(w.encode()) + 8 + 2 * len(where[w]) for w in lexemes) <= _VECTOR_BYTES
    )
    if exact:
        return " ".join(_quote(w) + ":" + ",".join(map(str, where[w])) for w in lexemes), True
    parts: list[str] = []
    size = 0
    for lexeme in lexemes:
        size += len(lexeme.encode()) + 8
        if size > _VECTOR_BYTES:
            break
        parts.append(_quote(lexeme))
    return " ".join(parts), False


def add(conn: Connection, rows: Sequence[tuple[int, str]]) -> None:
    """Index ``(entry id, folded text)`` rows (the text as ``index_text`` makes it).

    Each row takes its entry's place (document, kind, page, ref) with it (migration 0013), in one
    statement for all of them; an id without its entry is refused by the database, as before.
    """
    if not rows:
        return
    ids: list[int] = []
    bodies: list[str] = []
    kept_folded: list[str | None] = []
    for (entry_id, folded), tokens in zip(rows, tokenize([r[1] for r in rows]), strict=True):
        vector, exact = tsvector(tokens)
        ids.append(entry_id)
        bodies.append(vector)
        kept_folded.append(None if exact else folded)
    conn.execute(
        text(
            "INSERT INTO search_text (id, body, folded, document_id, kind, page, ref) "
            "SELECT v.id, CAST(v.body AS tsvector), v.folded, e.document_id, e.kind, e.page, e.ref "
            "FROM unnest(CAST(:ids AS integer[]), CAST(:bodies AS text[]), CAST(:folded AS text[])) "
            "AS v (id, body, folded) LEFT JOIN search_entry AS e ON e.id = v.id"
        ),
        {"ids": ids, "bodies": bodies, "folded": kept_folded},
    )


def remove(conn: Connection, ids: Sequence[int]) -> None:
    """Take rows out of the index."""
    conn.execute(text("DELETE FROM search_text WHERE id = ANY(CAST(:ids AS integer[]))"), {"ids": list(ids)})


def clear(conn: Connection) -> None:
    """Empty the index."""
    conn.execute(text("DELETE FROM search_text"))


def size(conn: Connection) -> int:
    """How many rows the index holds."""
    return int(conn.execute(text("SELECT count(*) FROM search_text")).scalar_one())


# One statement, one round trip, per question, on search_text alone (each row carries its entry's
# place, migration 0013). The exact rows are ranked and cut to the page in the statement, so a small
# answer plans serially: a plan that joined search_entry before the cut took two parallel workers
# (~5 ms to start them) to spare that join, and joined 990 entries for a page of 101. A common term
# still gets its parallel scan. The loose rows (see the module) come in the same statement, with
# their folded text, through their partial index. Sent as the driver's own SQL: SQLAlchemy's text()
# cost ~0.1 ms more per search, a sixth of a rare term's first page.
_EXACT_ROWS = (
    "(SELECT s.id, s.document_id, s.kind, s.page, s.ref, -ts_rank(s.body, CAST(%(q)s AS tsquery)) AS rank, "
    "NULL AS folded FROM search_text AS s "
    "WHERE s.body @@ CAST(%(q)s AS tsquery) AND s.folded IS NULL{within} ORDER BY rank, s.id{cut})"
)
_LOOSE_ROWS = (
    " UNION ALL SELECT s.id, s.document_id, s.kind, s.page, s.ref, "
    "-ts_rank(s.body, CAST(%(loose)s AS tsquery)), s.folded FROM search_text AS s "
    "WHERE s.folded IS NOT NULL AND s.body @@ CAST(%(loose)s AS tsquery)"
)
_IN_DOCUMENTS = " AND s.document_id = ANY(CAST(%(documents)s AS integer[]))"


def matching_entries(
    conn: Connection, fts: str, *, limit: int | None, documents: Sequence[int] | None = None
) -> list[tuple[int, int, str, int | None, str | None, float]]:
    """As ``search_index.matching_entries``: ranked by ``ts_rank`` (negated, so lower is better)."""
    exact = to_tsquery(fts)
    if not exact:
        return []
    # The loose query is never empty when the exact one is not (to_tsquery: only NOT drops a side).
    params: dict[str, Any] = {"q": exact, "loose": to_tsquery(fts, loose=True)}
    within = cut = ""
    if documents is not None:
        within = _IN_DOCUMENTS
        params["documents"] = [int(d) for d in documents]
    if limit is not None:
        cut = " LIMIT %(n)s"
        params["n"] = limit
    sql = _EXACT_ROWS.format(within=within, cut=cut) + _LOOSE_ROWS + within + " ORDER BY 6, 1"
    rows = conn.exec_driver_sql(sql, params).all()
    candidates = [r for r in rows if r[6] is not None]
    if candidates:
        # Rows without positions count only where FTS5 itself says the exact expression matches.
        kept = {candidates[i][0] for i in matching(fts, [r[6] for r in candidates])}
        rows = [r for r in rows if r[6] is None or r[0] in kept][:limit]
    return [(r[0], r[1], r[2], r[3], r[4], float(r[5])) for r in rows]


def count_matches(conn: Connection, fts: str) -> int:
    """How many index rows match."""
    exact = to_tsquery(fts)
    if not exact:
        return 0
    rows = conn.exec_driver_sql(
        (
            "SELECT count(*), NULL FROM search_text WHERE body @@ CAST(%(q)s AS tsquery) AND folded IS NULL "
            "UNION ALL SELECT NULL, folded FROM search_text "
            "WHERE folded IS NOT NULL AND body @@ CAST(%(loose)s AS tsquery)"
        ),
        {"q": exact, "loose": to_tsquery(fts, loose=True)},
    ).all()
    found = sum(int(r[0]) for r in rows if r[0] is not None)
    return found + len(matching(fts, [str(r[1]) for r in rows if r[1] is not None]))
