"""The custody log: append-only and hash-chained.

Each entry's hash covers its content and the previous entry's hash, so removing, reordering or editing
an entry anywhere in the log (with a tool other than reviewer) breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from reviewer.core.domain.clock import utc_now
from reviewer.core.storage.orm import CustodyEvent

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.orm import Session

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no insignificant space: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_digest(prev_hash: str, event: CustodyEvent) -> str:
    """The hash an entry must carry, given the hash of the entry before it."""
    body = canonical_json(
        [
            event.document_id,
            event.at,
            event.actor,
            event.action,
            event.summary,
            event.before_json,
            event.after_json,
        ]
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


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
    """Add an entry to the log inside the caller's transaction (which holds the write lock)."""
    session.flush()  # the document id must exist before an entry refers to it
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
    )
    event.entry_hash = entry_digest(prev_hash, event)
    session.add(event)
    session.flush()
    return event


def chain_problems(session: Session) -> Iterator[str]:
    """Describe every place where the stored log does not chain as reviewer wrote it."""
    prev_hash = GENESIS
    for event in session.scalars(select(CustodyEvent).order_by(CustodyEvent.id)).yield_per(1000):
        if event.prev_hash != prev_hash:
            yield f"custody log entry {event.id} does not follow the entry before it (an entry was removed?)"
        elif entry_digest(prev_hash, event) != event.entry_hash:
            yield f"custody log entry {event.id} was changed after it was written"
        prev_hash = event.entry_hash
