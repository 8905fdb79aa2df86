"""Who may work on a shared case: granting and revoking the case's editor and observer roles.

The server enforces it (see ``storage.postgres_db``); each change is on the case's custody log, in
the same transaction as the GRANT or REVOKE, so a grant that is not logged never happens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.core.domain.errors import UsageError
from reviewer.core.storage import custody

if TYPE_CHECKING:
    from reviewer.core.services.case import Case
    from reviewer.core.storage.postgres_db import PostgresDatabase

LOCAL_CASE = "{case} is a local case: only a shared case (on PostgreSQL) has roles to grant"


def _shared(case: Case) -> PostgresDatabase:
    from reviewer.core.storage.postgres_db import PostgresDatabase

    if not isinstance(case.db, PostgresDatabase):
        raise UsageError(LOCAL_CASE.format(case=case.root))
    return case.db


def grant_access(case: Case, role: str, kind: str) -> str:
    """Make the database role ``role`` an editor or observer of the case (owner only). Returns its group."""
    db = _shared(case)
    with db.unit_of_work() as uow:
        conn = uow.session.connection()
        db.check_owner(conn)
        db.check_role(conn, role)
        before = db.granted(conn, role)
        for statement in db.grant_sql(role, kind):
            conn.exec_driver_sql(statement)
        custody.append(
            uow.session,
            document_id=None,
            actor=case.actor,
            action="access_granted",
            summary=f"database role {role!r} may now work on the case as {kind}",
            before={"role": role, "as": before},
            after={"role": role, "as": [kind]},
        )
        uow.commit()
    return db.role_name(kind)


def revoke_access(case: Case, role: str) -> list[str]:
    """Take the case's editor and observer roles from ``role`` (owner only). Returns what it had."""
    db = _shared(case)
    with db.unit_of_work() as uow:
        conn = uow.session.connection()
        db.check_owner(conn)
        db.check_role(conn, role)
        before = db.granted(conn, role)
        for statement in db.revoke_sql(role):
            conn.exec_driver_sql(statement)
        custody.append(
            uow.session,
            document_id=None,
            actor=case.actor,
            action="access_revoked",
            summary=f"database role {role!r} may no longer work on the case"
            + (f" (it was {', '.join(before)})" if before else " (it had no access through the case)"),
            before={"role": role, "as": before},
            after={"role": role, "as": []},
        )
        uow.commit()
    return before
