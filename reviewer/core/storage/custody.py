"""The custody log: append-only, hash-chained, and anchored to the state it records.

Each entry's hash covers its content and the previous entry's hash, so removing, reordering or editing
an entry anywhere in the log (with a tool other than reviewer) breaks the chain from that point on.
Each entry also commits to the recorded state it left behind (``state_hash``, see ``anchor``), so a
document changed behind reviewer's back no longer matches its newest entry; and the chain's head is
kept in a file beside the database, so a log cut short or rewritten end to end is caught too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, insert, select, text
from sqlalchemy import event as sa_event

from reviewer.core.domain.clock import utc_now
from reviewer.core.storage import anchor
from reviewer.core.storage.anchor import ChainHead, canonical_json
from reviewer.core.storage.case_db import HEAD_ANCHOR
from reviewer.core.storage.orm import CustodyEvent

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from sqlalchemy.orm import Session, SessionTransaction

__all__ = [
    "GENESIS",
    "DocumentEntry",
    "append",
    "append_documents",
    "canonical_json",
    "chain_problems",
    "entry_digest",
    "head_of",
    "head_problems",
    "holds_head",
]

GENESIS = "0" * 64
RESTORE_HINT = (
    " (if you put an older copy of the database back yourself, record it with: reviewer accept-restore CASE)"
)
_PENDING_HEAD = "reviewer.custody_head"
_FORCE_HEAD = "reviewer.custody_head_forced"
_CONTINUES = "reviewer.custody_continues_head"


def entry_digest(prev_hash: str, event: CustodyEvent) -> str:
    """The hash an entry must carry, given the hash of the entry before it.

    ``state_hash`` is part of it when set; entries written before state anchors keep their old digest.
    """
    fields: list[Any] = [
        event.document_id,
        event.at,
        event.actor,
        event.action,
        event.summary,
        event.before_json,
        event.after_json,
    ]
    if event.state_hash is not None:
        fields.append(event.state_hash)
    return hashlib.sha256(f"{prev_hash}\n{canonical_json(fields)}".encode()).hexdigest()


def append(
    session: Session,
    *,
    document_id: int | None,
    actor: str,
    action: str,
    summary: str,
    before: Any = None,
    after: Any = None,
    at: str | None = None,
) -> CustodyEvent:
    """Add an entry to the log inside the caller's transaction (which holds the write lock).

    Call it after the change it records is made in ``session``: the entry commits to the state of its
    document (or of the case) as it is now. Once the transaction commits, the entry becomes the head.
    """
    session.flush()  # the document id must exist, and the change be visible, before the state is read
    actor, summary = _as_the_database_records(session, actor, summary)
    _continues_recorded_head(session)  # asked of the log as it was before this entry
    parts = anchor.state_of(session, document_id)
    last = session.scalars(select(CustodyEvent.entry_hash).order_by(CustodyEvent.id.desc()).limit(1)).first()
    prev_hash = last or GENESIS
    event = CustodyEvent(
        document_id=document_id,
        at=at or utc_now(),
        actor=actor,
        action=action,
        summary=summary,
        before_json=canonical_json(before),
        after_json=canonical_json(after),
        prev_hash=prev_hash,
        entry_hash="",
        state_hash=None if parts is None else anchor.state_hash(parts),
        state_parts=None if parts is None else canonical_json(parts),
    )
    event.entry_hash = entry_digest(prev_hash, event)
    session.add(event)
    session.flush()
    _head_after_commit(session, ChainHead(event.id, event.entry_hash, event.at))
    return event


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One document's entry for :func:`append_documents`."""

    document_id: int
    actor: str
    action: str
    summary: str
    after: Any = None


def append_documents(session: Session, entries: Sequence[DocumentEntry]) -> None:
    """Add one entry for each of several documents, in order, as :func:`append` would one after another.

    For documents changed in this transaction with nothing of theirs changed between their entries
    (a batch of files just imported): each entry anchors its own document's state, read for all of them
    at once, and the entries are chained and inserted together. A document may appear only once.
    """
    if not entries:
        return
    ids = [entry.document_id for entry in entries]
    if len(set(ids)) != len(ids):
        raise ValueError("a document appears twice among the entries appended together")
    session.flush()
    _continues_recorded_head(session)  # asked of the log as it was before these entries
    states = anchor.document_states(session, ids)
    last = session.scalars(select(CustodyEvent.entry_hash).order_by(CustodyEvent.id.desc()).limit(1)).first()
    prev_hash = last or GENESIS
    events = []
    for entry in entries:
        parts = states.get(entry.document_id)
        if parts is not None and parts["record"] == "missing":
            parts = None
        actor, summary = _as_the_database_records(session, entry.actor, entry.summary)
        event = CustodyEvent(
            document_id=entry.document_id,
            at=utc_now(),
            actor=actor,
            action=entry.action,
            summary=summary,
            before_json=canonical_json(None),
            after_json=canonical_json(entry.after),
            prev_hash=prev_hash,
            entry_hash="",
            state_hash=None if parts is None else anchor.state_hash(parts),
            state_parts=None if parts is None else canonical_json(parts),
        )
        event.entry_hash = prev_hash = entry_digest(prev_hash, event)
        events.append(event)
    columns = [c.key for c in CustodyEvent.__table__.columns if c.key != "id"]
    session.connection().execute(
        insert(CustodyEvent), [{c: getattr(event, c) for c in columns} for event in events]
    )
    newest = events[-1]
    newest_id = session.scalars(
        select(CustodyEvent.id).where(CustodyEvent.entry_hash == newest.entry_hash)
    ).one()
    _head_after_commit(session, ChainHead(newest_id, newest.entry_hash, newest.at))


def as_recorded(session: Session, actor: str, summary: str) -> tuple[str, str]:
    """The actor and summary an entry given as (``actor``, ``summary``) is recorded with on this case,
    for comparing entries from elsewhere (a merged bundle's) with those already on the log."""
    return _as_the_database_records(session, actor, summary)


_SESSION_USER = "reviewer_session_user"


def _as_the_database_records(session: Session, actor: str, summary: str) -> tuple[str, str]:
    """On a shared case the database records the connected role as the actor (a trigger does it,
    whatever is sent): hash that name, and keep any other name the entry gives (a colleague's, from a
    merged bundle) in its summary, so the entry still matches its hash."""
    if session.get_bind().dialect.name != "postgresql":
        return actor, summary
    conn = session.connection()
    role = conn.info.get(_SESSION_USER)  # a connection's login role never changes: asked once
    if role is None:
        role = conn.info[_SESSION_USER] = str(conn.execute(text("SELECT session_user")).scalar_one())
    if actor == role:
        return actor, summary
    return role, f"{summary} (by {actor}, as recorded by {role})"


def _head_after_commit(session: Session, head: ChainHead) -> None:
    """Write ``head`` to the head file once the transaction commits (forgotten if it rolls back).

    Only while this log continues the head recorded beside it: after the database was replaced by an
    older copy (or its log cut short or rewritten), moving the head on would erase the only trace of
    that. The head stays where it was, ``verify`` keeps saying so, and :func:`accept_head` is how a
    person records that they restored an older copy on purpose.
    """
    if _continues_recorded_head(session):
        session.info[_PENDING_HEAD] = head
    if not sa_event.contains(session, "after_commit", _write_pending_head):
        sa_event.listen(session, "after_commit", _write_pending_head)
        sa_event.listen(session, "after_rollback", _forget_pending_head)


def _continues_recorded_head(session: Session) -> bool:
    """Whether the log (as this transaction, which holds the write lock, sees it) holds the recorded head.

    Asked once per transaction; every commit before this one is visible to it, and a head is written
    only after its commit, so a recorded head is never newer than what this transaction sees.
    """
    known = session.info.get(_CONTINUES)
    if known is None:
        known = _holds_recorded_head(session)
        session.info[_CONTINUES] = known
        if not sa_event.contains(session, "after_transaction_end", _forget_continues):
            sa_event.listen(session, "after_transaction_end", _forget_continues)
    return bool(known)


def _holds_recorded_head(session: Session) -> bool:
    database = _database_of(session)
    if database is None:
        return True
    try:
        recorded = anchor.read_head(database)
    except ValueError:
        return False  # unreadable (damaged or forged): kept for verify to report, never replaced
    if recorded is None:
        # No head: a new case, or a log older than head files (none of its entries anchors a state),
        # starts one; a log that had one lost it, and the gap stays for verify to report.
        anchored = select(CustodyEvent.id).where(CustodyEvent.state_hash.is_not(None)).limit(1)
        return session.scalars(anchored).first() is None
    stored = session.scalars(
        select(CustodyEvent.entry_hash).where(CustodyEvent.id == recorded.entry_id)
    ).first()
    return stored == recorded.entry_hash


def _forget_continues(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole transaction, not a flush's inner one
        session.info.pop(_CONTINUES, None)


def accept_head(session: Session) -> ChainHead:
    """Make the newest entry of this log the recorded head, whatever the head file said.

    For a database restored from an older copy on purpose: call it after appending the entry that
    records the restore (which names the head that was recorded), inside that transaction.
    """
    session.flush()
    head = head_of(session)
    if head is None:
        raise ValueError("an empty custody log has no head to accept")
    session.info[_PENDING_HEAD] = head
    session.info[_FORCE_HEAD] = True
    if not sa_event.contains(session, "after_commit", _write_pending_head):
        sa_event.listen(session, "after_commit", _write_pending_head)
        sa_event.listen(session, "after_rollback", _forget_pending_head)
    return head


def _write_pending_head(session: Session) -> None:
    head = session.info.pop(_PENDING_HEAD, None)
    force = session.info.pop(_FORCE_HEAD, False)
    database = _database_of(session)
    if head is not None and database is not None:
        anchor.advance_head(database, head, force=force)


def _forget_pending_head(session: Session) -> None:
    session.info.pop(_PENDING_HEAD, None)
    session.info.pop(_FORCE_HEAD, None)


def _database_of(session: Session) -> Path | None:
    """The path the chain's head file is kept beside: the case's, or a SQLite file's own."""
    anchored = session.info.get(HEAD_ANCHOR)
    if isinstance(anchored, Path):
        return anchored
    bind = session.get_bind()
    url = (bind if isinstance(bind, Engine) else bind.engine).url
    if url.get_backend_name() != "sqlite":
        return None  # a server database's name is no path: only a case's session knows its folder
    name = url.database
    return Path(name) if name and name != ":memory:" else None


def head_of(session: Session) -> ChainHead | None:
    """The newest entry of the log as it is in the database, None for an empty log."""
    newest = session.scalars(select(CustodyEvent).order_by(CustodyEvent.id.desc()).limit(1)).first()
    return None if newest is None else ChainHead(newest.id, newest.entry_hash, newest.at)


def chain_problems(session: Session) -> Iterator[str]:
    """Describe every place where the stored log does not chain as reviewer wrote it."""
    prev_hash = GENESIS
    for event in session.scalars(select(CustodyEvent).order_by(CustodyEvent.id)).yield_per(1000):
        if event.prev_hash != prev_hash:
            yield f"custody log entry {event.id} does not follow the entry before it (an entry was removed?)"
        elif entry_digest(prev_hash, event) != event.entry_hash:
            yield f"custody log entry {event.id} was changed after it was written"
        prev_hash = event.entry_hash


def head_problems(session: Session, recorded: ChainHead | None) -> Iterator[str]:
    """Where the log in the database does not reach the head recorded beside it.

    ``recorded`` must be read before ``session`` looks at the log: a head written by a commit that
    the session does not see yet would look like entries removed.
    """
    newest = head_of(session)
    if recorded is None:
        if newest is not None:
            yield (
                f"the chain head file is missing ({anchor.HEAD_NAME} beside the database): "
                "whether the end of the custody log was removed or rewritten cannot be checked"
            )
        return
    entry = session.get(CustodyEvent, recorded.entry_id)
    if newest is None or newest.entry_id < recorded.entry_id or entry is None:
        end = f"ends at entry {newest.entry_id}" if newest is not None else "is empty"
        yield (
            f"the custody log {end}, but the chain head file records entry {recorded.entry_id}: "
            f"the last entries were removed{RESTORE_HINT}"
        )
    elif entry.entry_hash != recorded.entry_hash:
        yield (
            f"custody entry {recorded.entry_id} is not the one the chain head file recorded "
            f"(sha256 {recorded.entry_hash[:16]}…): the custody log was rewritten{RESTORE_HINT}"
        )


def holds_head(session: Session, noted: str) -> bool:
    """Whether an entry of the log has the hash ``noted`` (or a hash starting with it)."""
    found = session.scalars(
        select(CustodyEvent.id)
        .where(CustodyEvent.entry_hash.startswith(noted.lower(), autoescape=True))
        .limit(1)
    ).first()
    return found is not None
