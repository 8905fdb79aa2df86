"""A Tantivy index beside a local case's database: the first page of results of a big case, fast.

FTS5 scores every matching row before it knows the best hundred: ~1 s for a term on almost every page
of a million-page case. Tantivy skips the blocks of its postings that cannot reach the top k
(block-max WAND), so the same first page takes milliseconds (docs/benchmarks.md, "A million pages").

What it holds: for each row of ``search_text`` (FTS5's folded text, rowid = ``search_entry.id``) the
tokens FTS5's own ``unicode61`` tokenizer cuts from that text (:mod:`reviewer.core.text.unicode61`),
joined by spaces and indexed by Tantivy's whitespace tokenizer with positions: the same tokens in the
same places, so the same rows match, phrases and prefixes included. Queries are FTS5 expressions made
by :func:`reviewer.core.text.fts.parse_query`, read with the same grammar as for PostgreSQL.

The database stays the one truth. Every row entering or leaving ``search_text`` is written in the same
transaction to ``search_text_journal`` (migration 0011) under an ever-growing ``seq``; after the commit
the journal is absorbed into Tantivy, whose commit is followed by ``state.json`` naming the last
``seq`` absorbed, and only then are the absorbed journal rows removed. A crash anywhere leaves the
index at its last commit and the journal saying what it lacks: :func:`behind` sees it, and
:func:`catch_up` (at open, and before a search when little is missing) brings it up to date. While it
is behind, missing or locked by another process, searches use FTS5, so answers never differ.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import filelock
import tantivy

from reviewer.core.storage.search_journal import RESET, enabled, high_water
from reviewer.core.text.fts import _fts_items, _Op, _Parser, _Phrase
from reviewer.core.text.unicode61 import tokenize

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path

    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

# Bump when what goes into the index changes: the index is then rebuilt from the database.
FORMAT = 1
FOLDER = "search-index"
_STATE = "state.json"
_BODY, _ENTRY, _DOCUMENT = "body", "entry", "document"
_BATCH = 2000
# A prefix with more spellings than this in the index is matched by a regular expression (every
# match scored alike) instead of as an OR of its words (each scored by bm25).
_MAX_EXPANSIONS = 64
_REGEX_SPECIAL = frozenset("\\.+*?()|[]{}^$#&-~")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # i64, not u64: the bindings make a Python int an i64 term, so deleting by a u64 term finds nothing
    builder.add_integer_field(_ENTRY, indexed=True, fast=True)
    builder.add_integer_field(_DOCUMENT, indexed=True, fast=True)
    builder.add_text_field(_BODY, tokenizer_name="whitespace", index_option="position")
    return builder.build()


# -- the index's own state -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _State:
    format: int
    absorbed: int


def _read_state(folder: Path) -> _State | None:
    try:
        data = json.loads((folder / _STATE).read_text(encoding="utf-8"))
        return _State(int(data["format"]), int(data["absorbed"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_state(folder: Path, state: _State) -> None:
    temporary = folder / f"{_STATE}.{os.getpid()}.tmp"
    with temporary.open("w", encoding="utf-8") as out:
        json.dump({"format": state.format, "absorbed": state.absorbed}, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, folder / _STATE)


def behind(session: Session, folder: Path) -> int | None:
    """How many journal rows the index lacks (0: current); None when it must be built anew."""
    conn = session.connection()
    state = _read_state(folder)
    if (
        not enabled(session)
        or state is None
        or state.format != FORMAT
        or not tantivy.Index.exists(str(folder))
    ):
        return None
    high = high_water(conn)
    if state.absorbed > high:
        return None  # an index of another history (a database put back from a copy)
    if state.absorbed == high:
        return 0
    reset = conn.exec_driver_sql(
        "SELECT 1 FROM search_text_journal WHERE seq > ? AND entry_id = ? LIMIT 1", (state.absorbed, RESET)
    ).first()
    if reset is not None:
        return None
    return high - state.absorbed


# -- bringing the index up to date ---------------------------------------------------------------


# Text of ASCII and the Russian alphabet alone (most of a case) is cut here as unicode61 cuts it: its
# letters and digits, lower-cased, everything else a separator (tests/core/test_search_index_big.py
# holds the two to each other); any other text is cut by FTS5 itself (a few times slower).
_PLAIN = re.compile("[\x00-\x7f\u0410-\u044f\u2116]*")
_PLAIN_WORD = re.compile("[0-9a-z\u0430-\u044f]+")


def tokens(texts: Sequence[str]) -> list[list[str]]:
    """Each text's tokens, exactly as the case's FTS5 index has them."""
    out: list[list[str]] = []
    other: list[int] = []
    for i, text in enumerate(texts):
        if _PLAIN.fullmatch(text):
            out.append(_PLAIN_WORD.findall(text.lower()))
        else:
            out.append([])
            other.append(i)
    for i, words in zip(other, tokenize([texts[i] for i in other]), strict=True):
        out[i] = words
    return out


def _add_rows(writer: tantivy.IndexWriter, rows: Sequence[tuple[int, int, str]]) -> None:
    for (entry, document, _body), words in zip(rows, tokens([r[2] for r in rows]), strict=True):
        doc = tantivy.Document()
        doc.add_integer(_ENTRY, entry)
        doc.add_integer(_DOCUMENT, document)
        doc.add_text(_BODY, " ".join(words))
        writer.add_document(doc)


_ROWS = "SELECT t.rowid, e.document_id, t.body FROM search_text AS t JOIN search_entry AS e ON e.id = t.rowid"


def catch_up(
    session: Session,
    folder: Path,
    *,
    most: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[bool, int, bool]:
    """Absorb what the index lacks, reading the database in ``session``'s one snapshot.

    Returns whether the index is now current, the journal's ``seq`` it is current to, and whether
    journal rows it has absorbed are left to remove (the caller removes them with
    :func:`forget_absorbed`, in a write transaction of its own). Does nothing when more than ``most``
    rows are missing (journal rows, or every row when it must be built anew) or another process is
    writing the index. ``progress`` is told the number of rows indexed after each batch.
    """
    lacking = behind(session, folder)
    conn = session.connection()
    high = high_water(conn)
    damaged = lacking == 0 and most is None and not _opens(folder)  # checked at open only
    if lacking == 0 and not damaged:
        left = conn.exec_driver_sql("SELECT 1 FROM search_text_journal LIMIT 1").first()
        return True, high, left is not None
    if most is not None:
        if lacking is None:
            lacking = int(conn.exec_driver_sql("SELECT count(*) FROM search_entry").scalar_one())
            if lacking > most:
                return False, high, False
            lacking = None
        elif lacking > most:
            return False, high, False
    folder.mkdir(parents=True, exist_ok=True)
    try:
        # One process at a time, waiting for none: the index is made anew under this lock too.
        with filelock.FileLock(folder / ".reviewer-indexing.lock", blocking=False):
            lacking = behind(session, folder)  # again: another process may have caught up meanwhile
            if lacking != 0 or damaged:
                _absorb(conn, folder, None if damaged else lacking, high, progress)
    except filelock.Timeout:
        return False, high, False
    return True, high, True


def _opens(folder: Path) -> bool:
    try:
        tantivy.Index.open(str(folder)).searcher()
    except ValueError:
        return False
    return True


def _absorb(
    conn: Connection, folder: Path, lacking: int | None, high: int, progress: Callable[[int], None] | None
) -> None:
    index = None
    if lacking is not None:
        try:
            index = tantivy.Index.open(str(folder))
        except ValueError:  # damaged, or made by another version of Tantivy: made anew
            lacking = None
    if index is None:
        index = tantivy.Index(_schema(), str(folder), reuse=False)
    writer = index.writer(heap_size=64_000_000, num_threads=1)
    done = 0
    with writer:
        batches: Iterator[Sequence[Any]]
        if lacking is None:
            result = conn.exec_driver_sql(f"{_ROWS} ORDER BY t.rowid")
            batches = iter(lambda: result.fetchmany(_BATCH), [])
        else:
            state = _read_state(folder)
            absorbed = state.absorbed if state else 0
            ids = [
                int(r[0])
                for r in conn.exec_driver_sql(
                    "SELECT DISTINCT entry_id FROM search_text_journal WHERE seq > ? AND seq <= ?",
                    (absorbed, high),
                )
            ]
            for entry in ids:
                writer.delete_documents_by_term(_ENTRY, entry)
            rows = _rows_of(conn, ids)
            batches = (rows[at : at + _BATCH] for at in range(0, len(rows), _BATCH))
        for batch in batches:
            _add_rows(writer, [(int(r[0]), int(r[1]), str(r[2] or "")) for r in batch])
            done += len(batch)
            if progress is not None:
                progress(done)
        writer.commit()
        writer.garbage_collect_files()  # the files of an index made anew, or merged away
        writer.wait_merging_threads()
    _write_state(folder, _State(FORMAT, high))


def _rows_of(conn: Connection, ids: list[int]) -> list[Any]:
    rows: list[Any] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows += conn.exec_driver_sql(f"{_ROWS} WHERE t.rowid IN ({marks})", tuple(chunk)).all()
    return rows


def entries(
    session: Session, ranked: Sequence[tuple[int, float]]
) -> list[tuple[int, int, str, int | None, str | None, float]]:
    """``(entry, document, kind, page, ref, rank)`` of ranked index rows, in their order.

    A row the database no longer holds (the index a moment ahead of this reading) is left out.
    """
    conn = session.connection()
    found: dict[int, tuple[int, str, int | None, str | None]] = {}
    ids = [entry for entry, _rank in ranked]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for e, d, kind, page, ref in conn.exec_driver_sql(
            f"SELECT id, document_id, kind, page, ref FROM search_entry WHERE id IN ({marks})", tuple(chunk)
        ):
            found[int(e)] = (int(d), str(kind), page, ref)
    return [(entry, *found[entry], rank) for entry, rank in ranked if entry in found]


def forget_absorbed(session: Session, upto: int) -> None:
    """Remove the journal rows the index has absorbed (inside the caller's write transaction)."""
    session.connection().exec_driver_sql("DELETE FROM search_text_journal WHERE seq <= ?", (upto,))


# -- searching -------------------------------------------------------------------------------------


def _escape(word: str) -> str:
    return "".join("\\" + c if c in _REGEX_SPECIAL else c for c in word)


class _Translate:
    """An FTS5 expression of reviewer's as a Tantivy query over the same tokens."""

    def __init__(self, index: tantivy.Index, searcher: tantivy.Searcher) -> None:
        self.schema = index.schema
        self.searcher = searcher

    def node(self, node: _Phrase | _Op) -> tantivy.Query:
        if isinstance(node, _Phrase):
            return self.phrase(node)
        left, right = self.node(node.left), self.node(node.right)
        must, should, must_not = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
        if node.op == "OR":
            return tantivy.Query.boolean_query([(should, left), (should, right)])
        if node.op == "AND":
            return tantivy.Query.boolean_query([(must, left), (must, right)])
        return tantivy.Query.boolean_query([(must, left), (must_not, right)])

    def _words(self, words: Sequence[str]) -> tantivy.Query:
        if len(words) == 1:
            return tantivy.Query.term_query(self.schema, _BODY, words[0])
        return tantivy.Query.phrase_query(self.schema, _BODY, list(words))

    def phrase(self, phrase: _Phrase) -> tantivy.Query:
        words = list(phrase.words)
        if not phrase.prefix:
            return self._words(words)
        found = self.searcher.terms_with_prefix(_BODY, words[-1], limit=_MAX_EXPANSIONS + 1)
        if not found:
            return tantivy.Query.empty_query()
        if len(found) > _MAX_EXPANSIONS:
            pattern = _escape(words[-1]) + ".*"
            if len(words) == 1:
                return tantivy.Query.regex_query(self.schema, _BODY, pattern)
            return tantivy.Query.regex_phrase_query(self.schema, _BODY, [*map(_escape, words[:-1]), pattern])
        should = tantivy.Occur.Should
        return tantivy.Query.boolean_query([(should, self._words([*words[:-1], term])) for term, _n in found])


def _query(index: tantivy.Index, searcher: tantivy.Searcher, fts: str) -> tantivy.Query:
    parser = _Parser(_fts_items(fts))
    node = parser.expression()
    if node is None or parser.at != len(parser.items):
        return tantivy.Query.empty_query()
    return _Translate(index, searcher).node(node)


class SearchIndex:
    """The index of one case folder, opened for searching (cheap: open one per search)."""

    def __init__(self, folder: Path) -> None:
        self.index = tantivy.Index.open(str(folder))
        self.searcher = self.index.searcher()

    def best(
        self, fts: str, *, limit: int | None, documents: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """The best-scored rows ``(entry, rank)``, best first; rank is minus Tantivy's bm25 (as FTS5)."""
        query = _query(self.index, self.searcher, fts)
        if documents is not None:
            within = tantivy.Query.term_set_query(self.index.schema, _DOCUMENT, [int(d) for d in documents])
            query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, within)])
        if limit is None:
            limit = max(self.count_query(query), 1)
        # count=False: a top-k collector alone is what lets Tantivy skip blocks (block-max WAND)
        hits = self.searcher.search(query, limit, count=False).hits
        if not hits:
            return []
        entries = self.searcher.fast_field_values(_ENTRY, [address for _score, address in hits])
        return [
            (int(e), -float(score)) for (score, _a), e in zip(hits, entries, strict=True) if e is not None
        ]

    def count_query(self, query: tantivy.Query) -> int:
        found: Any = self.searcher.search(query, 1, count=True)
        return int(found.count)

    def count(self, fts: str) -> int:
        """How many rows match."""
        return self.count_query(_query(self.index, self.searcher, fts))


def open_current(session: Session, folder: Path) -> SearchIndex | None:
    """The index, when it holds exactly what the database in ``session`` says; else None (use FTS5)."""
    if behind(session, folder) != 0:
        return None
    with contextlib.suppress(ValueError, OSError):
        return SearchIndex(folder)
    return None
