"""Words as SQLite's FTS5 ``unicode61`` tokenizer cuts and folds them, for indexes that are not FTS5.

A case on PostgreSQL must find exactly what the local FTS5 index finds, so both must see the same
tokens. PostgreSQL's own parser cuts differently (hyphenated words, e-mail addresses, numbers with dots
stay whole) and ``unicode61`` folds by its own tables (Latin diacritics go, ``й`` stays ``й``), which no
Python imitation matches character for character. So the tokenizer itself is asked: the texts go into
an FTS5 table of a private in-memory SQLite database and come back, token by token, through
``fts5vocab``'s ``instance`` view: the same library, the same tables, the same tokens.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

# The local index's tokenizer (migration 0004); both must change together.
TOKENIZE = "unicode61 remove_diacritics 2"


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Each text's tokens in order, folded as the local FTS5 index folds them."""
    out: list[list[str]] = [[] for _ in texts]
    if not any(texts):
        return out
    # A private connection per call: nothing shared between threads, nothing kept between calls.
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize = '{TOKENIZE}')")
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
        conn.executemany(
            "INSERT INTO t (rowid, body) VALUES (?, ?)", [(i, s) for i, s in enumerate(texts) if s]
        )
        positions: list[dict[int, str]] = [{} for _ in texts]
        for doc, offset, term in conn.execute("SELECT doc, offset, term FROM v"):
            positions[doc][offset] = term
    finally:
        conn.close()
    for i, found in enumerate(positions):
        out[i] = [found[k] for k in sorted(found)]
    return out


def matching(fts: str, texts: Sequence[str]) -> list[int]:
    """Which of ``texts`` an FTS5 expression matches (their indexes), asked of FTS5 itself."""
    if not texts:
        return []
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize = '{TOKENIZE}')")
        conn.executemany("INSERT INTO t (rowid, body) VALUES (?, ?)", list(enumerate(texts)))
        return sorted(r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (fts,)))
    finally:
        conn.close()
