"""The SQLite database of a case: engines, the unit of work, and upgrades at open.

SQLite runs in WAL mode with foreign keys on and a busy timeout. Every write transaction starts with
``BEGIN IMMEDIATE`` so there is one writer at a time and the custody chain can never fork; reads use a
separate engine with ordinary deferred transactions, so they never block a writer.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import CaseError

if TYPE_CHECKING:
    from types import TracebackType

    from alembic.config import Config
    from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000


def _casefold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def _make_engine(path: Path, *, begin: str) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin (transactional DDL too).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # FULL: a committed custody entry survives a power cut, not only a crash.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()
        # SQLite's lower() and LIKE fold ASCII only; fact-checkers search Cyrillic and Azerbaijani too.
        dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


class UnitOfWork:
    """One write transaction: rolled back on leaving the block unless :meth:`commit` was called."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """The session of this unit of work (only inside the ``with`` block)."""
        if self._session is None:
            raise RuntimeError("a unit of work is used inside 'with'")
        return self._session

    def __enter__(self) -> Self:
        self._session = self._factory()
        self._session.begin()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session = self.session
        try:
            if session.in_transaction():
                session.rollback()
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        """Make everything done in this unit of work permanent."""
        self.session.commit()


class Database:
    """The engines of one case database. Build one per open case and pass it on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer = _make_engine(path, begin="BEGIN IMMEDIATE")
        self._reader = _make_engine(path, begin="BEGIN")
        self._write_sessions = sessionmaker(self._writer, expire_on_commit=False, autobegin=False)
        self._read_sessions = sessionmaker(self._reader, expire_on_commit=False)

    def unit_of_work(self) -> UnitOfWork:
        """A new write transaction."""
        return UnitOfWork(self._write_sessions)

    def reading(self) -> Session:
        """A session for reads only; use it in a ``with`` block."""
        return self._read_sessions()

    def integrity_check(self) -> str:
        """SQLite's own check of the database file: ``ok`` when sound."""
        with self._reader.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
        return "; ".join(str(r[0]) for r in rows)

    def close(self) -> None:
        """Release every connection."""
        self._writer.dispose()
        self._reader.dispose()

    # -- schema --------------------------------------------------------------------------------------

    def _alembic_config(self) -> Config:
        from alembic.config import Config  # Alembic costs ~0.2 s to import; only upgrades need it

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return config

    def current_revision(self) -> str | None:
        """The schema revision of the database file, or None for an empty one."""
        with self._reader.connect() as conn:
            has_table = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).first()
            if not has_table:
                return None
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
            return str(row[0]) if row else None

    def head_revision(self) -> str:
        """The newest schema revision this version of reviewer knows (from the migration files' names)."""
        revisions = sorted(p.name.split("_")[3] for p in (MIGRATIONS / "versions").glob("*_*_*_*_*.py"))
        return revisions[-1]

    def upgrade(self, backups: Path) -> tuple[str | None, str] | None:
        """Bring the schema to head; copy an existing database aside first.

        Returns ``(from, to)`` revisions when an upgrade ran, None when already current.
        """
        current = self.current_revision()
        head = self.head_revision()
        if current == head:
            return None
        from alembic import command
        from alembic.script import ScriptDirectory

        config = self._alembic_config()
        scripts = ScriptDirectory.from_config(config)
        if current is not None:
            try:
                scripts.get_revision(current)
            except Exception:  # noqa: BLE001  (alembic raises several kinds for an unknown revision)
                raise CaseError(
                    "this case was made by a newer version of reviewer; update reviewer to open it"
                ) from None
            self.backup(backups / f"before-{head}-{utc_now().replace(':', '')}.sqlite")
        with self._writer.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        return current, head

    def backup(self, target: Path) -> Path:
        """A consistent copy of the live database (WAL included) at ``target``."""
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        source = sqlite3.connect(self.path)
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
        shutil.move(partial, target)
        return target
