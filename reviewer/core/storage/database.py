"""The database of a case: the backend chosen from the case folder (see ``case_db`` for the interface).

A local case keeps SQLite in ``CASE/reviewer.sqlite`` (``sqlite_db``); a shared case names a PostgreSQL
database in ``CASE/reviewer-case.json`` (``postgres_db``, imported only for such a case, so a local case
needs nothing of PostgreSQL installed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.core.storage.case_db import (
    HEAD_ANCHOR,
    MIGRATIONS,
    OBSERVER_ONLY,
    READ_ONLY_CASE,
    SCHEMA_MISMATCH,
    CaseDatabase,
    DiskFullError,
    UnitOfWork,
)
from reviewer.core.storage.sqlite_db import (
    SqliteDatabase,
    can_write,
    damaged_message,
    database_problem,
    quick_check,
)

if TYPE_CHECKING:
    from reviewer.core.storage.store import CaseLayout

# The local database under the name this module gave it before the backends were split.
Database = SqliteDatabase

__all__ = [
    "HEAD_ANCHOR",
    "MIGRATIONS",
    "OBSERVER_ONLY",
    "READ_ONLY_CASE",
    "SCHEMA_MISMATCH",
    "CaseDatabase",
    "Database",
    "DiskFullError",
    "SqliteDatabase",
    "UnitOfWork",
    "can_write",
    "damaged_message",
    "database_problem",
    "open_database",
    "quick_check",
]


def open_database(layout: CaseLayout, *, new: bool = False, password: str | None = None) -> CaseDatabase:
    """The database of the case at ``layout``: local SQLite, or the PostgreSQL its case file names.

    ``new`` for a case being created: nothing is checked, the database is made by the upgrade.
    ``password``: for a shared case's server when libpq finds none (asked by the window).
    """
    url = layout.shared_database_url()
    if url is not None:
        from reviewer.core.storage.postgres_db import PostgresDatabase  # only for a shared case

        return PostgresDatabase(url, layout.root, password=password)
    if new:
        return SqliteDatabase(layout.database)
    return SqliteDatabase.open_checked(layout.database)
