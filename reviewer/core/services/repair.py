"""Repairing a damaged case database: a new, sound database from what can still be read.

The damaged file is never written: it is read through a private copy, and kept beside the new
database under another name (or, with ``to``, left where it is). The new database is made by the
migrations, then filled table by table, row by row, from the damaged file (rows SQLite can no longer
read are skipped, and the ranges lost are named), then from the newest backup in ``CASE/backups``
for rows the damaged file no longer gave. The result is checked (``integrity_check``, the custody
chain) and the repair is logged on the custody log with what was recovered and what was lost.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import CaseError, ReviewerError, UsageError
from reviewer.core.services.case import current_user, open_case
from reviewer.core.storage import custody, list_names, search_index
from reviewer.core.storage.sqlite_db import SqliteDatabase as Database
from reviewer.core.storage.sqlite_db import can_write
from reviewer.core.storage.store import CaseLayout, exclusive_staging, fsync_dir

if TYPE_CHECKING:
    from collections.abc import Iterator

# derived from other tables, rebuilt after the copy; alembic_version is written by the migrations
_SKIPPED_PREFIXES = ("search_", "sqlite_")
_SKIPPED = {"alembic_version"}
_MAX_SKIPS = 10_000


@dataclass(frozen=True, slots=True)
class TableSalvage:
    """What one table gave: rows from the damaged file, rows only the backup still had, what was lost."""

    table: str
    recovered: int
    from_backup: int
    lost: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RepairReport:
    """The outcome of a repair: where the new database is, what it holds, what to check next."""

    case: str
    damaged_kept_as: str | None
    backup_used: str | None
    tables: tuple[TableSalvage, ...]
    integrity: str
    chain_problems: tuple[str, ...] = field(default=())

    @property
    def lost(self) -> tuple[str, ...]:
        """Every range of rows that could not be read, as 'table: …'."""
        return tuple(f"{t.table}: {text}" for t in self.tables for text in t.lost)

    @property
    def ok(self) -> bool:
        """True when the new database is sound and its custody chain unbroken."""
        return self.integrity == "ok" and not self.chain_problems


def repair_case(
    root: Path, *, to: Path | None = None, actor: str | None = None, force: bool = False
) -> RepairReport:
    """Build a sound database for the case at ``root``; with ``to``, a new case there instead.

    Without ``to`` the damaged database is renamed ``reviewer.sqlite.damaged-<time>`` (never removed)
    and the new one takes its place; with ``to`` the old case is left untouched and its originals are
    hard-linked (or copied) into the new case.
    """
    layout = CaseLayout(Path(os.path.abspath(root)))
    if not layout.database.is_file() and layout.is_case():
        raise CaseError(
            "repair rebuilds a local case's SQLite file; this case's database is on a PostgreSQL server, "
            "which keeps its own files sound (restore it from the server's backups if it was damaged)"
        )
    if not layout.database.is_file():
        raise UsageError(f"no reviewer case at {layout.root}")
    if not force and _opens_sound(layout):
        raise UsageError(
            "the case database is sound (it opens, and SQLite's check finds nothing): nothing to repair; "
            "to rebuild it from what it holds anyway, add --force"
        )
    who = actor or current_user()
    stamp = utc_now().replace(":", "")
    if to is not None:
        target = CaseLayout(Path(os.path.abspath(to)))
        if target.root.exists() and (not target.root.is_dir() or any(target.root.iterdir())):
            raise UsageError(
                f"{target.root} exists and is not empty; choose a new folder for the repaired case"
            )
        building = target.database
    else:
        if not can_write(layout.database):
            raise CaseError(
                "the case is read-only; repair it into a new folder with: "
                f"reviewer repair {layout.root} --to NEW_CASE"
            )
        target = layout
        building = layout.root / f"reviewer.sqlite.repairing-{stamp}"
    scratch = target.root / f".repair-{stamp}"
    made_target = to is not None and not target.root.exists()
    try:
        if to is not None:
            target.root.mkdir(parents=True, exist_ok=True)
            target.create_folders()
        with exclusive_staging(layout) as alone:
            # No import, merge or export may write while the database is rebuilt under it.
            if not alone and to is None:
                raise CaseError(
                    "an import, merge or export is running on this case; repair it once that has finished"
                )
            report = _build(layout, target, building, scratch, who, stamp, in_place=to is None)
    except BaseException:
        if to is None:
            for made in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
                made.unlink(missing_ok=True)  # made by this run; never the damaged file
        elif made_target:
            shutil.rmtree(target.root, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return report


def _opens_sound(layout: CaseLayout) -> bool:
    """Whether the case opens for writing as it is: then there is nothing to repair."""
    try:
        with open_case(layout.root) as case:
            return case.db.read_only is None
    except ReviewerError:
        return False


def _build(
    layout: CaseLayout,
    target: CaseLayout,
    building: Path,
    scratch: Path,
    who: str,
    stamp: str,
    *,
    in_place: bool,
) -> RepairReport:
    source = _private_copy(layout.database, scratch)
    backup = _newest_backup(layout)
    db = Database(building)
    try:
        db.upgrade(scratch / "backups")  # a new, empty database: the migrations make every table
    finally:
        db.close()
    tables = _fill(building, source, backup)
    if not in_place:
        _link_store(layout, target)
    kept_as = f"reviewer.sqlite.damaged-{stamp}" if in_place else None
    db = Database(building)
    try:
        integrity = db.integrity_check()
        with db.reading() as session:
            problems = tuple(custody.chain_problems(session))
        lost = [f"{t.table}: {text}" for t in tables for text in t.lost]
        with db.unit_of_work() as uow:
            search_index.rebuild(uow.session)
            # rows salvaged as they were, or from a backup older than the list's folded text: made again
            list_names.rebuild(uow.session.connection())
            custody.append(
                uow.session,
                document_id=None,
                actor=who,
                action="case_repaired",
                summary=f"case repaired from a damaged database: {sum(t.recovered for t in tables)} row(s) "
                f"recovered, {sum(t.from_backup for t in tables)} taken from a backup, "
                f"{len(lost)} unreadable range(s) lost",
                before={"database": str(layout.database), "kept_as": kept_as},
                after={
                    "recovered": {t.table: t.recovered for t in tables if t.recovered},
                    "from_backup": {t.table: t.from_backup for t in tables if t.from_backup},
                    "backup": backup.name if backup else None,
                    "lost": lost,
                    "integrity": integrity,
                    "chain_problems": list(problems),
                },
            )
            uow.commit()
    finally:
        db.close()
    if in_place:
        _swap(layout, building, stamp)
    return RepairReport(
        case=str(target.root),
        damaged_kept_as=str(layout.root / kept_as) if kept_as else None,
        backup_used=str(backup) if backup else None,
        tables=tuple(tables),
        integrity=integrity,
        chain_problems=problems,
    )


def _private_copy(database: Path, scratch: Path) -> Path:
    """Copy the damaged file (and its WAL, which holds its newest transactions) to read it safely."""
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / database.name
    shutil.copyfile(database, copy)
    wal = Path(f"{database}-wal")
    if wal.is_file():
        shutil.copyfile(wal, Path(f"{copy}-wal"))
    return copy


def _newest_backup(layout: CaseLayout) -> Path | None:
    found = sorted(layout.backups.glob("*.sqlite"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    return found[-1] if found else None


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(row[1]) for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _tables(conn: sqlite3.Connection) -> list[str]:
    names = [
        str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
    ]
    return [n for n in names if n not in _SKIPPED and not n.startswith(_SKIPPED_PREFIXES)]


def _fill(building: Path, source: Path, backup: Path | None) -> list[TableSalvage]:
    dst = sqlite3.connect(building, isolation_level=None)
    try:
        dst.execute("PRAGMA foreign_keys=OFF")  # rows arrive table by table, a parent may be lost
        dst.execute("BEGIN IMMEDIATE")
        src = _open_source(source)
        old = _open_source(backup) if backup is not None else None
        try:
            result = []
            for table in _tables(dst):
                columns = _columns(dst, table)
                recovered, lost = _copy_rows(src, dst, table, columns)
                from_backup = 0
                if old is not None:
                    from_backup, _ = _copy_rows(old, dst, table, columns)
                result.append(TableSalvage(table, recovered, from_backup, tuple(lost)))
        finally:
            src.close()
            if old is not None:
                old.close()
        dst.execute("COMMIT")
    finally:
        dst.close()
    return result


def _open_source(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def _copy_rows(
    src: sqlite3.Connection, dst: sqlite3.Connection, table: str, columns: list[str]
) -> tuple[int, list[str]]:
    """Copy what can be read of ``table``; returns the rows added and the ranges that were lost."""
    try:
        present = set(_columns(src, table))
    except sqlite3.DatabaseError as exc:
        return 0, [f"the table could not be read ({exc})"]
    shared = [c for c in columns if c in present]
    if not shared:
        return 0, ["the table is missing"]
    names = ", ".join(f'"{c}"' for c in shared)
    insert = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(shared))})'
    added = 0
    lost: list[str] = []
    for row in _readable_rows(src, table, names, lost):
        before = dst.total_changes
        dst.execute(insert, row)
        added += dst.total_changes - before
    return added, lost


def _readable_rows(
    src: sqlite3.Connection, table: str, names: str, lost: list[str]
) -> Iterator[tuple[object, ...]]:
    """Every row SQLite can still read, in rowid order, stepping over damaged pages.

    A damaged page either fails or yields garbage (rowids out of order, or rows that a seek by their
    rowid does not find): each row is confirmed by such a seek, and a scan that meets damage resumes at
    the first rowid past it, found by doubling steps and then bisection, so only unreadable rows are lost.
    """
    select = f'SELECT rowid, {names} FROM "{table}"'
    last = 0  # rowid of the last row read (rowids start at 1)
    start: int | None = None
    for _attempt in range(_MAX_SKIPS):
        try:
            if start is None:
                cursor = src.execute(f"{select} ORDER BY rowid")
            else:
                cursor = src.execute(f"{select} WHERE rowid >= ? ORDER BY rowid", (start,))
            for row in cursor:
                rowid = int(row[0])
                if rowid <= last or not _found(src, table, rowid):
                    raise _Damaged
                last = rowid
                yield tuple(row[1:])
            return
        except (sqlite3.DatabaseError, _Damaged):
            # past the last start too: a start that was readable but failed at once must not repeat
            resume = _first_readable_start(src, select, table, max(last, start or 0))
            if lost and lost[-1].startswith(f"rows after rowid {last} "):
                lost.pop()  # the last resume failed at once: one range, now wider
            if resume is None:
                break
            lost.append(f"rows after rowid {last} and before rowid {resume} could not be read")
            start = resume
    lost.append(f"rows after rowid {last} could not be read")


class _Damaged(Exception):
    """A scan met a row that is not where its rowid says."""


def _found(src: sqlite3.Connection, table: str, rowid: int) -> bool:
    try:
        return src.execute(f'SELECT 1 FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone() is not None
    except sqlite3.DatabaseError:
        return False


def _readable_from(src: sqlite3.Connection, select: str, table: str, start: int) -> int | None:
    """The rowid of the first row at or after ``start`` when it can be read and found again, else None."""
    try:
        row = src.execute(f"{select} WHERE rowid >= ? ORDER BY rowid LIMIT 1", (start,)).fetchone()
    except sqlite3.DatabaseError:
        return None
    if row is None or not _found(src, table, int(row[0])):
        return None
    return int(row[0])


def _first_readable_start(src: sqlite3.Connection, select: str, table: str, last: int) -> int | None:
    """The smallest rowid after ``last`` where a readable row begins again (None: none found)."""
    bad = last
    step = 1
    while True:
        good = bad + step
        if good > 1 << 62:
            return None
        found = _readable_from(src, select, table, good)
        if found is not None:
            break
        bad = good
        step *= 2
    while good - bad > 1:
        middle = (bad + good) // 2
        if _readable_from(src, select, table, middle) is not None:
            good = middle
        else:
            bad = middle
    return found if good == bad + step else _readable_from(src, select, table, good)


def _link_store(layout: CaseLayout, target: CaseLayout) -> None:
    """Originals and derived data hard-linked into the new case (copied across file systems)."""

    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    for name in ("originals", "derived"):
        source = layout.root / name
        if source.is_dir():
            shutil.copytree(source, target.root / name, copy_function=link_or_copy, dirs_exist_ok=True)
    head = layout.root / "custody-head"
    if head.is_file():
        shutil.copy2(head, target.root / "custody-head")


def _swap(layout: CaseLayout, building: Path, stamp: str) -> None:
    """Keep the damaged file (and its WAL) under another name, then put the new one in its place."""
    kept = layout.root / f"reviewer.sqlite.damaged-{stamp}"
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("", "-wal", "-shm"):  # named as SQLite pairs them: kept-wal belongs to kept
            old = Path(f"{layout.database}{suffix}")
            if old.exists():
                os.rename(old, Path(f"{kept}{suffix}"))
                moved.append((Path(f"{kept}{suffix}"), old))
        os.rename(building, layout.database)
    except OSError:
        for now, then in reversed(moved):
            os.rename(now, then)
        raise
    fsync_dir(layout.root)
