"""A shared case's database: PostgreSQL, named by ``CASE/reviewer-case.json``.

Imported only for a shared case, so a local case needs nothing of PostgreSQL. Each person connects as
their own role, with libpq's usual sources for credentials (``PGUSER``, ``PGPASSWORD``, ``~/.pgpass``);
the case file never holds a password.

One writer at a time, as on SQLite: every write transaction first takes a transaction-level advisory
lock (``pg_advisory_xact_lock``), the equivalent of ``BEGIN IMMEDIATE``, so two people's custody
entries never chain from the same head. Reads take no lock. What a role may do is enforced by the
server: the case's group roles ``<db>_editor`` (change the case, only INSERT into the custody log)
and ``<db>_observer`` (SELECT only), made at init and granted with ``reviewer grant``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from reviewer.core.domain.errors import CaseError, UsageError
from reviewer.core.storage.case_db import (
    OBSERVER_ONLY,
    CaseDatabase,
    PasswordNeededError,
    WrongPasswordError,
)
from reviewer.core.storage.store import CASE_FILE_NAME

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.engine import Connection, Engine, ExceptionContext

TEAM_HINT = "a shared case needs the PostgreSQL driver: pip install 'reviewer[team]'"
# "reviewer" in ASCII: the one advisory lock key every writer of a case's database takes.
WRITE_LOCK_KEY = 0x7265766965776572
ROLES = ("editor", "observer")
NOT_OWNER = "only the case's owner ({owner}) may grant or revoke access to it"
UPGRADE_NOTE = (
    "in one transaction on the PostgreSQL server; no copy is taken aside "
    "(the server's own backups, such as pg_dump, are the copy)"
)


def _require_driver() -> None:
    try:
        import psycopg  # noqa: F401  (only to learn whether it is installed)
    except ImportError:
        raise CaseError(TEAM_HINT) from None


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


# PostgreSQL's text cannot hold U+0000 (SQLite's can): a change carrying one is refused, whatever it was.
NUL_REFUSED = "a shared case's database cannot keep a NUL character (U+0000) in text: nothing was changed"


class PostgresDatabase(CaseDatabase):
    """A case's database on a PostgreSQL server (see the module's notes)."""

    shared = True

    def __init__(self, url: str, case_root: Path, *, password: str | None = None) -> None:
        _require_driver()
        self.url = make_url(url).set(drivername="postgresql+psycopg")
        if password is not None:  # typed in the window: kept in memory only, never in the case file
            self.url = self.url.set(password=password)
        self.name = str(self.url.database)
        self.head_anchor = case_root / CASE_FILE_NAME
        port = f":{self.url.port}" if self.url.port else ""
        self.where = f"postgresql://{self.url.host or 'localhost'}{port}/{self.name}"
        self.backends: set[int] = set()  # see _engine
        writer = self._engine(lock=True)
        reader = self._engine(lock=False)
        super().__init__(read_only=None, writer=writer, reader=reader)

    def _engine(self, *, lock: bool) -> Engine:
        engine = create_engine(self.url, pool_pre_ping=True, connect_args={"application_name": "reviewer"})

        # The server processes of this process's own connections: the changes they announce are ours.
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, record: Any) -> None:
            record.info["backend"] = int(dbapi_connection.info.backend_pid)
            self.backends.add(record.info["backend"])

        @event.listens_for(engine, "close")
        def _on_close(_dbapi_connection: Any, record: Any) -> None:
            self.backends.discard(record.info.get("backend", 0))

        @event.listens_for(engine, "handle_error")
        def _on_error(context: ExceptionContext) -> None:
            problem = self._problem(context.original_exception)
            if problem is not None:
                raise problem

        if lock:

            @event.listens_for(engine, "begin")
            def _on_begin(connection: Any) -> None:
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

        return engine

    def _problem(self, exc: BaseException) -> CaseError | None:
        import psycopg
        from psycopg import errors

        if isinstance(exc, errors.InsufficientPrivilege):
            return CaseError(
                OBSERVER_ONLY if self.is_observer() else f"the database refused: {_first_line(exc)}"
            )
        if isinstance(exc, errors.RaiseException) and "append-only" in str(exc):
            return CaseError("the custody log is append-only")
        if isinstance(exc, psycopg.DataError) and "NUL (0x00)" in str(exc):
            return CaseError(NUL_REFUSED)
        if isinstance(exc, psycopg.OperationalError):
            said = str(exc)
            who = self._role_asked()
            if "no password supplied" in said:
                return PasswordNeededError(f"the case database {self.where} asks for {who}'s password")
            if "password authentication failed" in said:
                return WrongPasswordError(f"wrong password for {who} on the case database {self.where}")
            return CaseError(f"cannot reach the case database {self.where} ({_first_line(exc)})")
        return None

    def _role_asked(self) -> str:
        """The role libpq logs in as: the URL's, else ``PGUSER``, else the OS user (as libpq does)."""
        if self.url.username:
            return str(self.url.username)
        if os.environ.get("PGUSER"):
            return os.environ["PGUSER"]
        import getpass

        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "you"

    # -- who may do what ----------------------------------------------------------------------------

    def session_user(self) -> str:
        """The role this connection logged in as: the custody log's actor on this case."""
        with self._reader.connect() as conn:
            return str(conn.exec_driver_sql("SELECT session_user").scalar_one())

    def is_observer(self) -> bool:
        """Whether this role may not add to the custody log (so it may change nothing)."""
        with self._reader.connect() as conn:
            has_log = conn.exec_driver_sql("SELECT to_regclass('custody_event') IS NOT NULL").scalar_one()
            if not has_log:
                return False
            return not conn.exec_driver_sql(
                "SELECT has_table_privilege('custody_event', 'INSERT')"
            ).scalar_one()

    def check_access(self) -> None:
        """Open read-only, with one line saying why, a case this role may only read."""
        if self.is_observer():
            self.read_only = OBSERVER_ONLY

    def role_name(self, kind: str) -> str:
        """The case's group role for ``kind`` (editor or observer)."""
        return f"{self.name}_{kind}"

    def owner(self) -> str:
        """The role that owns the case's tables (who made it)."""
        with self._reader.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()"
                " AND tablename = 'custody_event'"
            ).scalar_one_or_none()
        return str(found) if found is not None else "?"

    def check_owner(self, conn: Connection) -> None:
        """Refuse, in one line, a grant or revoke by anyone but the case's owner (or a superuser)."""
        mine = conn.execute(
            text(
                "SELECT pg_has_role(session_user, tableowner, 'USAGE')"
                " OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user), tableowner"
                " FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'custody_event'"
            )
        ).one()
        if not mine[0]:
            raise CaseError(NOT_OWNER.format(owner=mine[1]))

    @staticmethod
    def check_role(conn: Connection, role: str) -> None:
        """Refuse, in one line, a role the server does not know."""
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is None:
            raise UsageError(f"there is no database role {role!r} on the server (create it first)")

    def grant_sql(self, role: str, kind: str) -> list[str]:
        """The statements that make ``role`` an editor or observer of this case (and not the other)."""
        if kind not in ROLES:
            raise UsageError(f"a role is granted --as editor or --as observer, not {kind!r}")
        others = [self.role_name(k) for k in ROLES if k != kind]
        return [
            *(f"REVOKE {_ident(o)} FROM {_ident(role)}" for o in others),
            f"GRANT {_ident(self.role_name(kind))} TO {_ident(role)}",
        ]

    def revoke_sql(self, role: str) -> list[str]:
        """The statements that take away ``role``'s access to this case."""
        return [f"REVOKE {_ident(self.role_name(k))} FROM {_ident(role)}" for k in ROLES]

    def granted(self, conn: Connection, role: str) -> list[str]:
        """Which of this case's group roles ``role`` is a member of (editor, observer)."""
        rows = conn.execute(
            text(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                " JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = :r"
            ),
            {"r": role},
        )
        names = {row[0] for row in rows}
        return [k for k in ROLES if self.role_name(k) in names]

    # -- schema --------------------------------------------------------------------------------------

    def _before_upgrade(self, current: str, head: str, backups: Path) -> None:
        del current, head, backups  # the upgrade is one transaction on the server: all or nothing
        self.upgrade_note = UPGRADE_NOTE

    def _after_upgrade(self, conn: Connection) -> None:
        """Make the case's group roles if they are missing, and grant them on every table."""
        editor, observer = (_ident(self.role_name(k)) for k in ROLES)
        for kind in ROLES:
            name = self.role_name(kind)
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}).first() is None:
                try:
                    with conn.begin_nested():
                        conn.exec_driver_sql(f"CREATE ROLE {_ident(name)} NOLOGIN")
                except CaseError:
                    raise CaseError(
                        f"your database role may not create the case's roles ({name}): "
                        "ask the server's administrator for CREATEROLE, or to create them"
                    ) from None
        for statement in (
            f"GRANT USAGE ON SCHEMA public TO {editor}, {observer}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {editor}, {observer}",
            f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {observer}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {editor}",
            f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {editor}",
            # the log only grows; its triggers refuse UPDATE and DELETE from anyone, the owner too
            f"REVOKE UPDATE, DELETE, TRUNCATE ON custody_event FROM {editor}",
            # the schema is the owner's: only an upgrade by the owner changes its revision
            f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {editor}",
            f"GRANT EXECUTE ON FUNCTION casefold(text) TO {editor}, {observer}",
        ):
            conn.exec_driver_sql(statement)

    def integrity_check(self) -> str:
        """The server keeps its own files sound; reviewer checks that it can read every table."""
        with self._reader.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM custody_event").scalar_one()
        return "ok"

    def backup(self, target: Path) -> Path:
        """Not here: a server database is backed up by the server's own tools (pg_dump)."""
        raise CaseError(
            f"a shared case's database is backed up on the server ({self.where}), with pg_dump; "
            "reviewer does not copy it"
        )
