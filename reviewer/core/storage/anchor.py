"""State anchors: what the custody log says each document (and the case) looked like.

Every custody entry written by reviewer carries ``state_hash``, the SHA-256 of the recorded state it
left behind: of its document, or of the case for an entry without one. The state is kept as small
per-part digests (``state_parts``: status, fields, tags, annotations ...), so a mismatch can say what
was changed. Only recorded facts are covered, never derived data (text layers, OCR, entities, search
index, forensic signals), which reviewer rebuilds without a custody entry.

The columns read here are listed explicitly: a later migration adding a column must not change the
state of documents anchored before it. Changing a list below changes every anchor: don't, add a part.

The chain's head, the newest entry and its hash, is also kept outside the database in ``custody-head``
beside it, so that a log cut short or rewritten end to end (with every hash recomputed) is caught.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import filelock
from sqlalchemy import bindparam, inspect, text

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator
    from pathlib import Path

    from sqlalchemy.orm import Session

HEAD_NAME = "custody-head"

# What each part is called in a finding, in the order findings name them.
DOCUMENT_PARTS = {
    "record": "file record",
    "status": "status",
    "fields": "fields",
    "checklist": "checklist",
    "tags": "tags",
    "annotations": "annotations",
    "quotes": "quoted text",
    "links": "links",
    "sightings": "sightings",
}
CASE_PARTS = {"case": "case details", "settings": "OCR settings", "watch_list": "watch-list"}

# The case settings a person changes (services/settings.py); others, like the search index's version,
# are reviewer's own bookkeeping and change without an entry.
_RECORDED_SETTINGS = ("ocr_languages", "ocr_mode")

_DOCUMENT_SQL = (
    "SELECT id, sha256, size, media_type, file_format, page_count, encrypted, password,"
    " CAST(file_metadata AS TEXT),"
    " imported_at, imported_by, ocr_languages, status, status_note, status_changed_at, title, doc_type,"
    " document_date, reference_number, issuer, recipient, language FROM document"
)
_PER_DOCUMENT_SQL = {
    "fields": "SELECT document_id, name, value FROM document_field",
    "checklist": "SELECT document_id, item, state, note, updated_by, updated_at FROM checklist_entry",
    "tags": "SELECT document_id, tag FROM document_tag",
    "annotations": (
        "SELECT document_id, id, page, x0, y0, x1, y1, kind, note, transcription, translation,"
        " created_by, created_at, updated_at, deleted FROM annotation"
    ),
    "sightings": (
        "SELECT document_id, id, batch_id, original_path, original_name, real_path, size, modified_at,"
        " changed_at, accessed_at, source, received_on, imported_by, imported_at, host FROM sighting"
    ),
}
# Added with 0007: a part only documents holding a text annotation have, so anchors written before it
# (which have no such part) still verify, and a quote written into a region annotation is still caught.
_QUOTES_SQL = (
    "SELECT document_id, id, quote, quote_prefix, quote_suffix, word_boxes FROM annotation"
    " WHERE (quote IS NOT NULL OR quote_prefix IS NOT NULL OR quote_suffix IS NOT NULL"
    " OR word_boxes IS NOT NULL)"
)
_OPTIONAL_PARTS = frozenset({"quotes"})
_ANNOTATION_TAGS_SQL = (
    "SELECT a.document_id, t.annotation_id, t.tag FROM annotation_tag AS t"
    " JOIN annotation AS a ON a.id = t.annotation_id"
)
_LINKS_SQL = (
    "SELECT id, source_id, target_id, relation, note, created_by, created_at, removed FROM document_link"
)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no insignificant space: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _digest(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def state_hash(parts: dict[str, str]) -> str:
    """The one hash an entry commits to, over the digests of every part."""
    return _digest(parts)


def _where(ids: Collection[int] | None, column: str) -> tuple[str, dict[str, Any]]:
    if ids is None:
        return "", {}
    return f" WHERE {column} IN :ids", {"ids": list(ids)}


def _as_stored(value: Any) -> Any:
    """A value as SQLite's driver gives it, whichever backend read it: a state digests alike on both,
    so a case moved to PostgreSQL still matches the anchors written on SQLite (and the other way).

    PostgreSQL's driver gives booleans (SQLite: 0 and 1); JSON columns are read ``CAST(... AS TEXT)``,
    the text as written, on both.
    """
    return int(value) if isinstance(value, bool) else value


def _rows(session: Session, sql: str, params: dict[str, Any], order: str) -> list[tuple[Any, ...]]:
    statement = text(f"{sql} ORDER BY {order}")
    if "ids" in params:
        statement = statement.bindparams(bindparam("ids", expanding=True))
    return [tuple(_as_stored(v) for v in row) for row in session.execute(statement, params)]


_QUOTES_KNOWN = "reviewer_annotation_has_quotes"


def _has_quotes(session: Session) -> bool:
    # Migration 0006 anchors with this code while the columns of 0007 do not exist yet. Once seen, the
    # columns stay: that is remembered with the connection (no catalog query per custody entry).
    conn = session.connection()
    if conn.info.get(_QUOTES_KNOWN):
        return True
    found = any(column["name"] == "quote" for column in inspect(conn).get_columns("annotation"))
    if found:
        conn.info[_QUOTES_KNOWN] = True
    return found


_Query = tuple[str, dict[str, Any], str]


def _rows_of_all(session: Session, queries: list[_Query]) -> list[list[tuple[Any, ...]]]:
    """The rows of every ``(sql, params, order)`` query, in order.

    On PostgreSQL, when the only parameter is the list of document ids, the queries go to the server
    together as one simple-protocol request (one round trip instead of one each: the write lock is
    held meanwhile); the ids are integers, written into the text. The values come back as one by one.
    """
    conn = session.connection()
    ids = queries[0][1].get("ids") if queries else None
    together = (
        conn.dialect.name == "postgresql"
        and ids
        and all(set(params) <= {"ids"} and params.get("ids", ids) == ids for _, params, _ in queries)
    )
    if not together or ids is None:
        return [_rows(session, sql, params, order) for sql, params, order in queries]
    listed = "(" + ",".join(str(int(i)) for i in ids) + ")"
    script = "; ".join(
        f"{sql.replace(' IN :ids', ' IN ' + listed)} ORDER BY {order}" for sql, _params, order in queries
    )
    result = conn.exec_driver_sql(script)
    cursor = result.cursor
    found: list[list[tuple[Any, ...]]] = []
    try:
        for n in range(len(queries)):
            if n and not cursor.nextset():
                raise RuntimeError("the server answered fewer queries than were sent")  # never expected
            found.append([tuple(_as_stored(v) for v in row) for row in cursor.fetchall()])
    finally:
        result.close()
    return found


def document_states(session: Session, ids: Collection[int] | None = None) -> dict[int, dict[str, str]]:
    """The per-part digests of the recorded state of the given documents (every one when None).

    Rows of a part that name a document missing from the ``document`` table come back too, under that
    id with no ``record`` part: someone removed the document and left what hung from it.
    """
    found: dict[int, dict[str, list[Any]]] = {}

    def bucket(doc_id: int) -> dict[str, list[Any]]:
        return found.setdefault(doc_id, {})

    listed = None if ids is None else list(ids)
    wanted = None if listed is None else set(listed)
    where, params = _where(listed, "id")
    queries: list[_Query] = [(_DOCUMENT_SQL + where, params, "id")]
    where, params = _where(listed, "document_id")
    queries += [(sql + where, params, "document_id, 2") for sql in _PER_DOCUMENT_SQL.values()]
    quotes = _has_quotes(session)
    if quotes:
        queries.append((_QUOTES_SQL + where.replace(" WHERE ", " AND "), params, "document_id, 2"))
    where, params = _where(listed, "a.document_id")
    queries.append((_ANNOTATION_TAGS_SQL + where, params, "2, 3"))
    if listed is None:
        queries.append((_LINKS_SQL, {}, "id"))
    else:
        queries.append((_LINKS_SQL + " WHERE source_id IN :ids OR target_id IN :ids", params, "id"))
    answers = iter(_rows_of_all(session, queries))

    for row in next(answers):
        parts = bucket(row[0])
        parts["record"] = list(row[1:12])
        parts["status"] = list(row[12:15])
        parts["fields"] = [list(row[15:22])]
    for part in _PER_DOCUMENT_SQL:
        for row in next(answers):
            bucket(row[0]).setdefault(part, []).append(list(row[1:]))
    if quotes:
        for row in next(answers):
            bucket(row[0]).setdefault("quotes", []).append(list(row[1:]))
    annotation_tags: dict[str, list[str]] = {}
    for _doc_id, annotation_id, tag in next(answers):
        annotation_tags.setdefault(annotation_id, []).append(tag)
    for parts in found.values():
        for annotation in parts.get("annotations", []):
            annotation.append(annotation_tags.get(annotation[0], []))
    for row in next(answers):
        for end in {row[1], row[2]}:
            if wanted is None or end in wanted:
                bucket(end).setdefault("links", []).append(list(row))
    return {
        doc_id: {p: _digest(parts.get(p)) for p in DOCUMENT_PARTS if p not in _OPTIONAL_PARTS or p in parts}
        | _marker(parts)
        for doc_id, parts in found.items()
    }


def _marker(parts: dict[str, list[Any]]) -> dict[str, str]:
    # A document row that is gone must not digest like an empty one that is there.
    return {} if "record" in parts else {"record": "missing"}


def case_state(session: Session) -> dict[str, str]:
    """The per-part digests of the case's own recorded state: its details, settings and watch-list."""
    info = _rows(session, "SELECT id, title, created_at, created_by, created_with FROM case_info", {}, "id")
    settings = [
        [_as_stored(v) for v in row]
        for row in session.execute(
            text(
                "SELECT key, CAST(value AS TEXT) FROM case_setting WHERE key IN :keys ORDER BY key"
            ).bindparams(bindparam("keys", expanding=True)),
            {"keys": list(_RECORDED_SETTINGS)},
        )
    ]
    watch = _rows(
        session,
        "SELECT id, canonical, kind, CAST(aliases AS TEXT), created_by, created_at FROM watch_term",
        {},
        "id",
    )
    return {"case": _digest(info), "settings": _digest(settings), "watch_list": _digest(watch)}


def state_of(session: Session, document_id: int | None) -> dict[str, str] | None:
    """The current per-part digests of one document (None if it does not exist), or of the case."""
    if document_id is None:
        return case_state(session)
    state = document_states(session, [document_id]).get(document_id)
    return None if state is None or state["record"] == "missing" else state


def changed_parts(anchored: dict[str, str], current: dict[str, str], names: dict[str, str]) -> list[str]:
    """The names of the parts whose digests differ, in the order of ``names``."""
    return [label for part, label in names.items() if anchored.get(part) != current.get(part)]


# -- the chain's head, outside the database ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The newest custody entry reviewer committed: its id and hash, and when it was written."""

    entry_id: int
    entry_hash: str
    at: str

    def line(self) -> str:
        """The head file's one line of text."""
        return f"{self.entry_id} {self.entry_hash} {self.at}\n"

    @classmethod
    def parse(cls, content: str) -> ChainHead:
        """Read a head file's text; ValueError when it is not one."""
        fields = content.split()
        if len(fields) != 3 or len(fields[1]) != 64 or not fields[0].isdigit():
            raise ValueError("not a custody chain head")
        int(fields[1], 16)
        return cls(int(fields[0]), fields[1], fields[2])


def head_path(database: Path) -> Path:
    """Where the chain head of the case database ``database`` is kept."""
    return database.with_name(HEAD_NAME)


def read_head(database: Path) -> ChainHead | None:
    """The recorded chain head, None when there is no head file; ValueError when it is unreadable."""
    try:
        content = head_path(database).read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from exc
    return ChainHead.parse(content)


@contextlib.contextmanager
def _head_lock(database: Path) -> Iterator[None]:
    # filelock: flock on POSIX, LockFileEx on Windows; one lock object per use, not per thread
    with filelock.FileLock(str(head_path(database).with_name(HEAD_NAME + ".lock")), thread_local=False):
        yield


def advance_head(database: Path, head: ChainHead, *, force: bool = False) -> None:
    """Record ``head`` as the chain's head, unless a newer one is recorded already (or ``force``).

    Two processes commit one after the other but may get here in either order: under a lock, the
    head only moves forward. Written to a temporary file, synced, then renamed over the old head.
    ``force`` is for a restore a person accepted: the head then moves back to an older entry id.
    """
    target = head_path(database)
    with _head_lock(database):
        try:
            current = read_head(database)
        except ValueError:
            if not force:
                return  # an unreadable head stays for verify to report, until a person accepts a restore
            current = None
        if current is not None and current.entry_id >= head.entry_id and not force:
            return
        partial = target.with_name(f".{HEAD_NAME}.{os.getpid()}.partial")
        with open(partial, "w", encoding="ascii") as handle:
            handle.write(head.line())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


# -- checking ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StateFinding:
    """A difference between the recorded state and the newest custody entry that anchors it."""

    document_id: int | None
    problem: str


def _anchors(session: Session) -> dict[int | None, tuple[int, str, str | None]]:
    rows = session.execute(
        text(
            "SELECT document_id, id, state_hash, state_parts FROM custody_event WHERE id IN"
            " (SELECT max(id) FROM custody_event WHERE state_hash IS NOT NULL GROUP BY document_id)"
        )
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def _compare(
    what: str, anchor: tuple[int, str, str | None], current: dict[str, str], names: dict[str, str]
) -> str | None:
    entry_id, anchored_hash, stored_parts = anchor
    if state_hash(current) == anchored_hash:
        return None
    parts: dict[str, str] | None = None
    if stored_parts is not None:
        try:
            loaded = json.loads(stored_parts)
        except ValueError:
            loaded = None
        if isinstance(loaded, dict) and state_hash(loaded) == anchored_hash:
            parts = loaded
    if parts is None:
        return f"{what} recorded state was changed outside reviewer after custody entry {entry_id}"
    changed = changed_parts(parts, current, names) or ["state"]
    verb = "was" if len(changed) == 1 else "were"
    return (
        f"{what} recorded {', '.join(changed)} {verb} changed outside reviewer after custody entry {entry_id}"
    )


def state_problems(session: Session) -> Iterator[StateFinding]:
    """Every document, and the case, whose recorded state differs from what its newest entry anchors."""
    anchors = _anchors(session)
    documents = document_states(session)
    logged = {row[0] for row in session.execute(text("SELECT DISTINCT document_id FROM custody_event"))}
    for doc_id in sorted(documents.keys() | {d for d in logged if d is not None}):
        state = documents.get(doc_id)
        if state is None or state["record"] == "missing":
            yield StateFinding(
                doc_id,
                f"document {doc_id} was removed from the database outside reviewer "
                "(its custody entries or records remain)",
            )
        elif doc_id not in logged:
            yield StateFinding(
                doc_id, f"document {doc_id} has no custody entry: it was added outside reviewer"
            )
        elif doc_id not in anchors:
            yield StateFinding(
                doc_id, f"document {doc_id} has no custody entry recording its state (entries were removed?)"
            )
        else:
            found = _compare(f"document {doc_id}'s", anchors[doc_id], state, DOCUMENT_PARTS)
            if found is not None:
                yield StateFinding(doc_id, found)
    if None in anchors:
        found = _compare("the case's", anchors[None], case_state(session), CASE_PARTS)
        if found is not None:
            yield StateFinding(None, found)
    elif None in logged:
        yield StateFinding(None, "no custody entry records the case's own state (entries were removed?)")
