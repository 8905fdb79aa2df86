"""Two edits of the same value never lose either: the second is refused with the value now recorded.

Optimistic, chosen over keeping both on the log: a field, a status or a note holds one value, and a
person deciding between two versions must see the other one before theirs replaces it; keeping both
would leave the record showing whichever came last, silently. So an edit made in the window carries
the value the person saw (``seen``); the service compares it with the recorded value inside its own
unit of work, which holds the case's single write lock, so nothing can slip in between the comparison
and the write. When they differ a :class:`ConflictError` names who changed it, when, and to what; the
window offers to apply the edit anyway (again, with the value now seen) or to take the other value.
Both edits stay on the custody log either way. A call without ``seen`` (the command line, an undo)
writes as before.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import select

from reviewer.core.domain.errors import ConflictError
from reviewer.core.storage.orm import CustodyEvent

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sqlalchemy.orm import Session

# How many of a document's newest entries are searched for the one that made the value current.
_LOOK_BACK = 200


def same(seen: object, current: object) -> bool:
    """Whether a value seen is the value recorded (an empty text is no value)."""
    return _plain(seen) == _plain(current)


def _plain(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def names(key: str) -> Callable[[dict[str, object]], bool]:
    """An entry's ``after`` concerns the value when it names ``key`` (a field, a checklist item)."""
    return lambda after: key in after


def names_id(value: str) -> Callable[[dict[str, object]], bool]:
    """An entry's ``after`` concerns the value when its ``id`` is ``value`` (an annotation)."""
    return lambda after: after.get("id") == value


def refuse_if_changed(
    session: Session,
    document_id: int,
    *,
    what: str,
    seen: object,
    current: object,
    actions: Iterable[str],
    concerns: Callable[[dict[str, object]], bool] | None = None,
    shown: str | None = None,
) -> None:
    """Raise :class:`ConflictError` when ``seen`` is not ``current``, naming the entry that made it so.

    ``concerns`` tells, from an entry's ``after`` (a dict), whether it changed this value; the newest
    such entry among ``actions`` on the document names who changed it and when; ``shown`` is the
    current value as the message says it (its ``repr`` otherwise).
    """
    if same(seen, current):
        return
    actor, at = last_change(session, document_id, actions, concerns)
    raise ConflictError(what, current, actor, at, shown=shown)


def last_change(
    session: Session,
    document_id: int,
    actions: Iterable[str],
    concerns: Callable[[dict[str, object]], bool] | None = None,
) -> tuple[str | None, str | None]:
    """Who made the newest custody entry among ``actions`` on a document that ``concerns`` the value."""
    rows = session.execute(
        select(CustodyEvent.actor, CustodyEvent.at, CustodyEvent.after_json)
        .where(CustodyEvent.document_id == document_id, CustodyEvent.action.in_(list(actions)))
        .order_by(CustodyEvent.id.desc())
        .limit(_LOOK_BACK)
    )
    for actor, at, after_json in rows:
        try:
            after = json.loads(after_json)
        except ValueError:
            continue
        if concerns is None or (isinstance(after, dict) and concerns(after)):
            return str(actor), str(at)
    return None, None


def last_tag_change(session: Session, document_id: int, tags: Iterable[str]) -> tuple[str | None, str | None]:
    """Who last added or removed one of ``tags`` on a document, and when (the tag entries' before/after)."""
    wanted = set(tags)
    rows = session.execute(
        select(CustodyEvent.actor, CustodyEvent.at, CustodyEvent.before_json, CustodyEvent.after_json)
        .where(CustodyEvent.document_id == document_id, CustodyEvent.action.in_(["tag_added", "tag_removed"]))
        .order_by(CustodyEvent.id.desc())
        .limit(_LOOK_BACK)
    )
    for actor, at, before_json, after_json in rows:
        try:
            before, after = json.loads(before_json or "[]"), json.loads(after_json or "[]")
        except ValueError:
            continue
        if isinstance(before, list) and isinstance(after, list) and wanted & (set(before) ^ set(after)):
            return str(actor), str(at)
    return None, None
