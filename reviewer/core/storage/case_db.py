"""What a case's database is, whichever engine holds it: the unit of work and the interface services use.

A local case keeps its database in ``CASE/reviewer.sqlite`` (``sqlite_db``); a shared case names a
PostgreSQL database in ``CASE/reviewer-case.json`` (``postgres_db``, only imported for such a case).
Both give services the same thing: :meth:`CaseDatabase.unit_of_work` for one write transaction that
holds the case's single write lock (so the custody chain never forks), :meth:`CaseDatabase.reading`
for reads that never block a writer, and Alembic upgrades at open.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Self

from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError, ProgrammingError

from reviewer.core.domain.errors import CaseError

if TYPE_CHECKING:
    from types import TracebackType

    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker


MIGRATIONS = Path(__file__).with_name("migrations")
SCHEMA_MISMATCH = (
    "the case database's schema revision is missing or does not match its tables; "
    "run 'reviewer repair {case}'"
)
READ_ONLY_CASE = "the case is read-only"
OBSERVER_ONLY = "you may only read this case (your database role is an observer of it)"
# The key the session info holds: the path beside which the custody chain's head file is kept.
HEAD_ANCHOR = "reviewer.head_anchor"


class DiskFullError(CaseError):
    """The disk holding the case has no room left for the database to grow."""


class PasswordNeededError(CaseError):
    """The database server asks for a password and libpq found none (PGPASSWORD, ~/.pgpass)."""


class WrongPasswordError(CaseError):
    """The database server refused the password given."""


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


class CaseDatabase(ABC):
    """The engines of one case database. Build one per open case (:func:`open_database`), pass it on.

    With ``read_only`` (the reason, in one line) nothing is ever written: every write is refused with
    that reason as a :class:`CaseError`.
    """

    #: True for a database on a server shared by several people (PostgreSQL).
    shared: bool = False
    #: Where the custody chain's head file is kept beside: ``anchor.head_path(head_anchor)``.
    head_anchor: Path
    #: Where this database is, in one line, for messages.
    where: str
    #: Set by :meth:`upgrade` on a backend that takes no copy aside: what it does instead.
    upgrade_note: str | None = None

    def __init__(self, *, read_only: str | None, writer: Engine, reader: Engine) -> None:
        from sqlalchemy.orm import sessionmaker

        from reviewer.core.storage import list_names

        list_names.watch()  # the list's folded names follow every ORM write of what they are made of
        self.read_only = read_only
        self._writer = writer
        self._reader = reader
        info = {HEAD_ANCHOR: self.head_anchor}
        self._write_sessions = sessionmaker(writer, expire_on_commit=False, autobegin=False, info=info)
        self._read_sessions = sessionmaker(reader, expire_on_commit=False, info=info)

    def unit_of_work(self) -> UnitOfWork:
        """A new write transaction; refused with one line when the database is read-only."""
        if self.read_only is not None:
            raise CaseError(self.read_only)
        return UnitOfWork(self._write_sessions)

    def reading(self) -> Session:
        """A session for reads only; use it in a ``with`` block."""
        return self._read_sessions()

    @abstractmethod
    def integrity_check(self) -> str:
        """The engine's own check of the database: ``ok`` when sound."""

    @abstractmethod
    def backup(self, target: Path) -> Path:
        """A consistent copy of the live database at ``target`` (local databases only)."""

    def check_access(self) -> None:
        """Mark the database read-only, with one line why, when the server lets this user only read.

        Files carry their own permissions (checked at open), so only a server database asks.
        """
        self.read_only = self.read_only or None

    @abstractmethod
    def session_user(self) -> str | None:
        """The database's own name for who is connected (None where the engine has no users)."""

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

    @staticmethod
    def _revision_on(conn: Connection) -> str | None:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return str(row[0]) if row else None

    def current_revision(self) -> str | None:
        """The schema revision of the database, or None for an empty one."""
        with self._reader.connect() as conn:
            return self._revision_on(conn)

    def head_revision(self) -> str:
        """The newest schema revision this version of reviewer knows (from the migration files' names)."""
        revisions = sorted(p.name.split("_")[3] for p in (MIGRATIONS / "versions").glob("*_*_*_*_*.py"))
        return revisions[-1]

    def _has_tables(self) -> bool:
        with self._reader.connect() as conn:
            return any(not name.startswith("sqlite_") for name in inspect(conn).get_table_names())

    @abstractmethod
    def _before_upgrade(self, current: str, head: str, backups: Path) -> None:
        """Keep what an upgrade could lose: a copy aside (SQLite), or a note of what is done instead."""

    def _after_upgrade(self, conn: Connection) -> None:
        """Anything the backend does in the upgrade's transaction once the schema is at head."""
        del conn  # nothing by default

    def upgrade(self, backups: Path) -> tuple[str | None, str] | None:
        """Bring the schema to head (see :meth:`_before_upgrade` for what is kept first).

        Returns ``(from, to)`` revisions when an upgrade ran, None when already current.
        """
        case_root = self.head_anchor.parent
        current = self.current_revision()
        head = self.head_revision()
        if current == head:
            return None
        if current is None and self._has_tables():
            raise CaseError(SCHEMA_MISMATCH.format(case=case_root))
        if self.read_only is not None:
            if self.read_only == READ_ONLY_CASE:
                raise CaseError("this case needs upgrading and is read-only")
            raise CaseError(self.read_only)
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
            self._before_upgrade(current, head, backups)
        try:
            with self._writer.begin() as conn:  # holds the case's write lock
                if self._revision_on(conn) == head:
                    return None  # another process upgraded it while this one waited for the lock
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                self._after_upgrade(conn)
        except (OperationalError, ProgrammingError) as exc:
            # the tables are newer than the revision says: a migration meets what it was to create
            if any(s in str(exc.orig) for s in ("already exists", "duplicate column", "no such")):
                raise CaseError(SCHEMA_MISMATCH.format(case=case_root)) from None
            raise
        return current, head
