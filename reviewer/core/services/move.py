"""Moving a local case to a shared one: its database copied onto a PostgreSQL server, whole or not at all.

The originals, derived data and everything else in the case folder stay where they are; only the
database moves. In order, each step leaving the local case as it was if it fails or is killed:

1. the local case is checked (its custody chain, its head and every recorded state, every original
   present) and the target database must be empty (a database a failed move left with the schema
   only counts as empty);
2. the schema is made on the server by the same migrations as ``reviewer init --database``;
3. every row is copied in ONE transaction on the server, while the local database's write lock is
   held (no one changes the local case meanwhile); the sequences are set past the copied ids, the
   search index is filled and the move itself is logged (``case_moved``, by the connected role);
4. ``verify`` runs on the server's copy (every original re-hashed against it, chain, head, states);
5. the case file ``reviewer-case.json`` is written (atomically; while ``reviewer.sqlite`` is there the
   case is still local), then ``reviewer.sqlite`` is renamed ``reviewer.sqlite.moved-<time>`` (never
   removed): that rename is the moment the case becomes shared.

Actors. On PostgreSQL a trigger sets every new custody entry's actor to ``session_user`` so nobody
writes in someone else's name. The copied entries must keep the names they were hashed with, so the
copy's transaction disables that one trigger (``ALTER TABLE ... DISABLE TRIGGER``) and enables it again
before it logs the move. Why this cannot forge an actor: only the table's owner (the role that ran the
migrations in step 2, or a superuser) may alter the table, so editors and observers cannot do it; the
owner could drop the trigger with psql anyway, so reviewer gives no power the server had not given;
PostgreSQL's DDL is transactional and ALTER TABLE holds the table's exclusive lock until commit, so no
other session inserts while the trigger is off, and a move that dies leaves the trigger on; the move
only writes into an empty database, so it adds a whole history and never edits one; and every copied
entry still carries the hash that covers its actor, which ``verify`` (step 4) re-checks. The move's
own entry is written with the trigger on, so the log names who brought the history onto the server.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text

from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import CaseError, UsageError
from reviewer.core.services import fixity
from reviewer.core.services.case import Case, open_case
from reviewer.core.storage import anchor, custody, nul_rows, search_index
from reviewer.core.storage.orm import Base, CaseInfo, CustodyEvent, Document
from reviewer.core.storage.store import CaseLayout, check_database_url, exclusive_staging, fsync_dir

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    from reviewer.core.domain.records import FixityReport
    from reviewer.core.storage.postgres_db import PostgresDatabase

# rebuilt on the server from the copied rows (the FTS5 table behind it is SQLite's own)
_REBUILT = {"search_entry"}
_ACTOR_TRIGGER = "custody_event_actor"
_BATCH = 1000
MOVED_SUFFIX = ".moved-"


@dataclass(frozen=True, slots=True)
class MoveReport:
    """What a move did: where the database went, the rows copied, the check of the copy."""

    case: str
    database: str
    owner: str
    rows: dict[str, int]
    indexed: int
    local_kept_as: str
    verify: FixityReport


def move_case(
    root: Path,
    url: str,
    *,
    actor: str | None = None,
    on_table: Callable[[str, int], None] | None = None,
) -> MoveReport:
    """Make the local case at ``root`` a shared case whose database is ``url`` (an empty database).

    ``on_table(table, rows)`` is told after each table is copied (inside the copy's transaction).
    """
    check_database_url(url)
    layout = CaseLayout(Path(os.path.abspath(root)))
    if not layout.is_case():
        raise UsageError(f"no reviewer case at {layout.root}")
    if not layout.database.is_file():
        raise UsageError(f"{layout.root} is already a shared case: its database is on a server")
    stamp = utc_now().replace(":", "")
    with tempfile.TemporaryDirectory(prefix="reviewer-move-") as scratch:
        with open_case(layout.root, actor=actor) as local:
            if local.read_only is not None:
                raise CaseError(
                    f"only a case that can be changed is moved; this one is read-only ({local.read_only})"
                )
            with local.db.reading() as session:
                head_now = custody.head_of(session)
                _refuse_nul(nul_rows.nul_places(session))  # before anything is made on the server
            target = _target(url, Path(scratch), head_now)
            try:
                if _already_copied(target, local):
                    # a move that died after its copy committed: the copy is this case, finish it
                    copied = _copied_before(target, local)
                else:
                    copied = _copy_case(local, target, on_table)
                local_head = copied[2]
                report = fixity.verify_case(Case(layout, target, target.session_user()))
                with target.reading() as session:
                    server_head = custody.head_of(session)
            finally:
                target.close()
        if not report.ok:
            raise CaseError(
                f"the copy on {target.where} does not verify ({len(report.problems)} problem(s), first: "
                f"{report.problems[0].problem}); the local case is unchanged and still local"
            )
        _switch(layout, url, stamp, local_head)
    if server_head is not None:
        anchor.advance_head(layout.case_file, server_head)
    return MoveReport(
        case=str(layout.root),
        database=target.where,
        owner=copied[3],
        rows=copied[0],
        indexed=copied[1],
        local_kept_as=str(layout.root / f"{layout.database.name}{MOVED_SUFFIX}{stamp}"),
        verify=report,
    )


def _refuse_nul(places: list[str]) -> None:
    """Refuse (in one line naming each place, the first 8) a case holding a NUL character."""
    if not places:
        return
    shown = "; ".join(places[:8]) + (f"; and {len(places) - 8} more" if len(places) > 8 else "")
    hashed = any("hashed" in p for p in places)
    then = (
        "the custody log is hashed and never changed, so this case stays local"
        if hashed
        else "change those values and move it again"
    )
    raise CaseError(
        f"PostgreSQL cannot keep a NUL character (U+0000), and {len(places)} value(s) of this case "
        f"hold one: {shown}; {then} (nothing was moved)"
    )


def _target(url: str, scratch: Path, local_head: anchor.ChainHead | None) -> PostgresDatabase:
    """The server's database, its chain head anchored in ``scratch``: nothing the move writes there
    moves the case's own ``custody-head`` until the case is switched (a failed move leaves it as it was)."""
    from reviewer.core.storage.postgres_db import PostgresDatabase  # only for a shared case

    target = PostgresDatabase(url, scratch)
    try:
        _check_empty(target, local_head)
        target.upgrade(scratch)
    except BaseException:
        target.close()
        raise
    return target


def _check_empty(target: PostgresDatabase, local_head: anchor.ChainHead | None) -> None:
    """Refuse (usage) a database that holds anything but, at most, an empty schema of this version,
    or this very case copied by a move that died before it switched the case (which is finished)."""
    revision = target.current_revision()
    with target.reading() as session:
        conn = session.connection()
        if revision is None:
            found = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            ).scalar_one()
            if found:
                raise UsageError(
                    f"the database {target.where} is not empty ({found} table(s)); give an empty database"
                )
            return
        if revision != target.head_revision():
            raise UsageError(f"the database {target.where} already holds a case; give an empty database")
        held = sum(
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (CaseInfo, CustodyEvent, Document)
        )
        if held and _holds_copy_of(session, local_head):
            return
    if held:
        raise UsageError(f"the database {target.where} already holds a case; give an empty database")


# what a move writes after the copied log: its own entry, then verify's
_MOVE_ACTIONS = ("case_moved", "fixity_check")


def _holds_copy_of(session: Session, local_head: anchor.ChainHead | None) -> bool:
    """Whether the server's log is the local log up to its head, then only a move's own entries."""
    if local_head is None:
        return False
    copied = session.get(CustodyEvent, local_head.entry_id)
    if copied is None or copied.entry_hash != local_head.entry_hash:
        return False
    after = session.scalars(
        select(CustodyEvent.action).where(CustodyEvent.id > local_head.entry_id).order_by(CustodyEvent.id)
    ).all()
    return bool(after) and after[0] == "case_moved" and all(a in _MOVE_ACTIONS for a in after)


def _already_copied(target: PostgresDatabase, local: Case) -> bool:
    with local.db.reading() as mine, target.reading() as theirs:
        return _holds_copy_of(theirs, custody.head_of(mine))


def _copied_before(
    target: PostgresDatabase, local: Case
) -> tuple[dict[str, int], int, anchor.ChainHead | None, str]:
    """What a move that died after its commit had copied (read back from the server)."""
    with local.db.reading() as mine:
        local_head = custody.head_of(mine)
    with target.reading() as session:
        moved = session.scalars(
            select(CustodyEvent).where(CustodyEvent.action == "case_moved").order_by(CustodyEvent.id.desc())
        ).first()
        rows = {} if moved is None else dict(json.loads(moved.after_json).get("rows", {}))
        indexed = int(session.execute(text("SELECT count(*) FROM search_entry")).scalar_one())
        owner = moved.actor if moved is not None else "?"
    return rows, indexed, local_head, owner


def _local_problems(local: Case) -> list[str]:
    """What ``verify`` would find in the local case's log, and any original missing (no re-hash here:
    the copy's own verify re-hashes every original)."""
    try:
        recorded = anchor.read_head(local.layout.database)  # before the log is read: see head_problems
    except ValueError:
        return [f"the chain head file ({anchor.HEAD_NAME}) is unreadable"]
    with local.db.reading() as session:
        problems = list(custody.chain_problems(session))
        problems.extend(custody.head_problems(session, recorded))
        problems.extend(f.problem for f in anchor.state_problems(session))
        for doc_id, sha256 in session.execute(select(Document.id, Document.sha256).order_by(Document.id)):
            if not local.layout.original(sha256).is_file():
                problems.append(f"the original of document {doc_id} is missing")
    return problems


def _copy_case(
    local: Case, target: PostgresDatabase, on_table: Callable[[str, int], None] | None
) -> tuple[dict[str, int], int, anchor.ChainHead | None, str]:
    """Copy every row in one server transaction; returns (rows per table, rows indexed, the local
    head copied, the owner). The local write lock is held from the check to the commit."""
    with exclusive_staging(local.layout) as alone:
        if not alone:
            raise CaseError(
                "an import, merge or export is running on this case (or the case cannot be written); "
                "move it once that has finished"
            )
        with local.db.unit_of_work() as source:  # BEGIN IMMEDIATE: nobody writes the local case meanwhile
            problems = _local_problems(local)
            if problems:
                raise CaseError(
                    f"the case does not verify ({len(problems)} problem(s), first: {problems[0]}); "
                    f"see 'reviewer verify {local.root}' and mend it before moving it"
                )
            local_head = custody.head_of(source.session)
            with target.unit_of_work() as uow:
                conn = uow.session.connection()
                owner = str(conn.exec_driver_sql("SELECT session_user").scalar_one())
                conn.exec_driver_sql(f"ALTER TABLE custody_event DISABLE TRIGGER {_ACTOR_TRIGGER}")
                rows: dict[str, int] = {}
                for table in Base.metadata.sorted_tables:
                    if table.name in _REBUILT:
                        continue
                    rows[table.name] = _copy_table(source.session, conn, table.name)
                    if on_table is not None:
                        on_table(table.name, rows[table.name])
                conn.exec_driver_sql(f"ALTER TABLE custody_event ENABLE TRIGGER {_ACTOR_TRIGGER}")
                _set_sequences(conn)
                indexed = search_index.rebuild(uow.session)
                custody.append(
                    uow.session,
                    document_id=None,
                    actor=owner,
                    action="case_moved",
                    summary=f"case moved from its local database to {target.where}: "
                    f"{sum(rows.values())} row(s) copied, custody log of {rows.get('custody_event', 0)} "
                    "entries kept as written",
                    before={"database": "reviewer.sqlite", "head": _head_json(local_head)},
                    after={"database": target.where, "rows": rows},
                )
                uow.commit()
    return rows, indexed, local_head, owner


def _head_json(head: anchor.ChainHead | None) -> dict[str, object] | None:
    return None if head is None else {"entry": head.entry_id, "sha256": head.entry_hash}


def _copy_table(source: Session, conn: Connection, name: str) -> int:
    """Copy one table's rows as SQLAlchemy reads them (typed by the ORM's columns), in batches."""
    table = Base.metadata.tables[name]
    order = list(table.primary_key.columns) or list(table.columns)
    result = source.execute(select(table).order_by(*order).execution_options(yield_per=_BATCH))
    count = 0
    for batch in result.partitions():
        conn.execute(table.insert(), [dict(row._mapping) for row in batch])
        count += len(batch)
    return count


def _set_sequences(conn: Connection) -> None:
    """Set each table's id sequence past the copied ids, so the next row gets a new one."""
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar_one_or_none()
            if sequence is None:
                continue
            conn.execute(
                text(
                    f'SELECT setval(:s, COALESCE((SELECT max("{column.name}") FROM "{table.name}"), 1), '
                    f'(SELECT max("{column.name}") FROM "{table.name}") IS NOT NULL)'
                ),
                {"s": sequence},
            )


def _switch(layout: CaseLayout, url: str, stamp: str, copied: anchor.ChainHead | None) -> None:
    """Turn the folder into a shared case: case file first (local wins while reviewer.sqlite is
    there), then reviewer.sqlite renamed aside, which is the moment the case becomes shared."""
    now = _local_head(layout)
    if now != copied:
        raise CaseError(
            "the local case was changed while it was being moved (by another window or command); "
            "it is unchanged by the move and still local: close the others and move it again"
        )
    layout.write_case_file(url)
    kept = layout.root / f"{layout.database.name}{MOVED_SUFFIX}{stamp}"
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("-wal", "-shm", ""):  # the database last: its rename is the switch
            old = Path(f"{layout.database}{suffix}")
            if old.exists():
                os.rename(old, Path(f"{kept}{suffix}"))
                moved.append((Path(f"{kept}{suffix}"), old))
    except OSError:
        for now_at, then in reversed(moved):
            os.rename(now_at, then)
        layout.case_file.unlink(missing_ok=True)  # written by this run
        raise
    fsync_dir(layout.root)


def _local_head(layout: CaseLayout) -> anchor.ChainHead | None:
    from reviewer.core.storage.sqlite_db import SqliteDatabase

    db = SqliteDatabase(layout.database)
    try:
        with db.reading() as session:
            return custody.head_of(session)
    finally:
        db.close()
