"""Changes announced on a shared case, heard by whoever has it open (PostgreSQL LISTEN/NOTIFY).

Every custody entry on a shared case sends a notification when its transaction commits (migration
0009's trigger): the entry's id, its document (None for the case), the action and the actor. A
:class:`ChangeListener` holds its own connection in LISTEN; it is used from one thread at a time:
:meth:`ChangeListener.wait` blocks (a thread, a test), :meth:`ChangeListener.pending` never does, for
an event loop that watches :meth:`ChangeListener.fileno`. A local case has no listener: one window per
person, nobody else to hear from.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer.core.domain.errors import CaseError

if TYPE_CHECKING:
    from reviewer.core.storage.case_db import CaseDatabase

CHANNEL = "reviewer_changes"  # migration 0009's; NOTIFY is scoped to one database, i.e. to one case
#: the listener's application_name: one per window with the case open, which is how others see it
LISTENER_NAME = "reviewer window"
CONNECT_TIMEOUT = 5  # seconds: a server gone away is said, not waited for


@dataclass(frozen=True)
class Change:
    """One committed change to what is known (a custody entry), as announced."""

    entry: int
    document_id: int | None
    action: str
    actor: str
    #: the server process of the connection that wrote it (0 when not known): a window skips its own
    backend: int = 0


@dataclass(frozen=True)
class Presence:
    """Someone else with the case open in a window: their role, and since when (None where the
    server does not tell this role: only its own sessions' times are shown to a role that is no
    superuser)."""

    actor: str
    since: str | None


def parse_change(payload: str, backend: int = 0) -> Change | None:
    """The change a notification's payload describes (None for one that is not reviewer's)."""
    try:
        data = json.loads(payload)
        document = data["document"]
        return Change(
            entry=int(data["entry"]),
            document_id=None if document is None else int(document),
            action=str(data["action"]),
            actor=str(data["actor"]),
            backend=backend,
        )
    except (ValueError, KeyError, TypeError):
        return None


class ChangeListener:
    """A connection to a shared case's database that hears every committed change (see the module)."""

    def __init__(self, connection: Any, own: set[int] | None = None) -> None:
        self._conn = connection
        #: the server processes of the case's own connections (kept current by the database)
        self.own: set[int] = own if own is not None else set()

    @classmethod
    def open(cls, db: CaseDatabase) -> ChangeListener | None:
        """Listen on ``db``'s case; None for a local case (nothing to hear)."""
        if not db.shared:
            return None
        import psycopg

        from reviewer.core.storage.postgres_db import PostgresDatabase

        if not isinstance(db, PostgresDatabase):  # the only shared backend
            return None
        url = db.url
        params: dict[str, Any] = {
            key: value
            for key, value in {
                "host": url.host,
                "port": url.port,
                "dbname": url.database,
                "user": url.username or db.session_user(),  # as the case is open, whatever PGUSER says now
                "password": url.password,
            }.items()
            if value is not None
        }
        params.update({k: v for k, v in url.query.items() if isinstance(v, str)})
        try:
            conn = psycopg.connect(
                autocommit=True, application_name=LISTENER_NAME, connect_timeout=CONNECT_TIMEOUT, **params
            )
            conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise CaseError(f"cannot hear changes on the case database {db.where} ({first})") from None
        return cls(conn, db.backends)

    @property
    def backend(self) -> int:
        """The server process of this listener's connection (it is this window's, in ``people_here``)."""
        return int(self._conn.info.backend_pid)

    def fileno(self) -> int:
        """The connection's socket: readable when a notification (or anything else) arrives."""
        return int(self._conn.fileno())

    def pending(self) -> list[Change]:
        """Every change announced and not yet taken, without waiting."""
        return self._take(0.0)

    def others(self, changes: list[Change]) -> list[Change]:
        """The changes written through other connections than this case's own (its own are known)."""
        return [c for c in changes if c.backend not in self.own]

    def wait(self, timeout: float) -> list[Change]:
        """Wait up to ``timeout`` seconds for changes; every one announced by then, possibly none."""
        deadline = time.monotonic() + timeout
        while True:
            changes = self._take(max(0.0, deadline - time.monotonic()))
            if changes or time.monotonic() >= deadline:
                return changes

    def _take(self, timeout: float) -> list[Change]:
        import psycopg

        changes: list[Change] = []
        try:
            # the first packet (never left half-read: the rest of a packet would be lost), then
            # whatever else has arrived by now, without waiting
            notes = [*self._conn.notifies(timeout=timeout, stop_after=1)]
            notes += self._conn.notifies(timeout=0.0)
            for note in notes:
                change = parse_change(note.payload, note.pid) if note.channel == CHANNEL else None
                if change is not None:
                    changes.append(change)
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise CaseError(f"lost the connection that hears changes ({first})") from None
        return changes

    def close(self) -> None:
        """Stop listening and close the connection."""
        self._conn.close()

    def __enter__(self) -> ChangeListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def people_here(db: CaseDatabase, *, me: int | None = None) -> list[Presence]:
    """Everyone with ``db``'s case open in a window (its listener connected), but the listener ``me``.

    A cheap read of the server's own list of connections (``pg_stat_activity``, which every role may
    read for this much); a local case has nobody else. Several windows of one role are one each.
    """
    if not db.shared:
        return []
    from sqlalchemy import text

    query = text(
        "SELECT usename, backend_start FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name = :name AND pid <> :me "
        "ORDER BY usename, pid"
    )
    with db.reading() as session:
        rows = session.execute(query, {"name": LISTENER_NAME, "me": me or 0}).all()
    return [
        Presence(actor=str(name), since=None if start is None else start.isoformat(timespec="seconds"))
        for name, start in rows
    ]
