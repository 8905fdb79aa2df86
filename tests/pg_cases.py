"""Cases on either backend for tests that work on a case folder: a local case (SQLite) or a shared one
(PostgreSQL), copied the way each is copied, and read with plain drivers (sqlite3, psycopg), never
through reviewer's own code.

A shared case's folder holds its originals and ``reviewer-case.json`` naming its database; a copy is
the folder copied and the database made again from the source's as a template (the source must be
closed). The plain readers connect as ``PGUSER`` (the fixtures set it to the cluster's superuser).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reviewer.core.storage.store import CASE_FILE_NAME

if TYPE_CHECKING:
    from pathlib import Path

    from tests.pg_cluster import PostgresCluster


def is_shared(root: Path) -> bool:
    """Whether the case at ``root`` keeps its database on a server."""
    return not (root / "reviewer.sqlite").exists() and (root / CASE_FILE_NAME).is_file()


def database_url(root: Path) -> str:
    """The URL a shared case's file names (no user: libpq takes PGUSER)."""
    url: str = json.loads((root / CASE_FILE_NAME).read_text(encoding="utf-8"))["database"]
    return url


def copy_case(source: Path, target: Path, cluster: PostgresCluster | None = None) -> Path:
    """A copy of the closed case at ``source`` at ``target``: its folder, and a shared case's database too."""
    shutil.copytree(source, target)
    if not is_shared(source):
        return target
    assert cluster is not None, "a shared case is copied on its cluster"
    parts = urlsplit(database_url(source))
    name = f"t_{uuid.uuid4().hex[:16]}"
    cluster.psql(f'CREATE DATABASE "{name}" TEMPLATE "{parts.path.lstrip("/")}"')
    url = parts._replace(path=f"/{name}").geturl()
    (target / CASE_FILE_NAME).write_text(json.dumps({"database": url}, indent=2) + "\n", encoding="utf-8")
    return target


def query(root: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of one plain SQL statement (no parameters) on the case's database, either backend."""
    if is_shared(root):
        import psycopg

        with psycopg.connect(database_url(root)) as conn:
            return [tuple(row) for row in conn.execute(sql.encode()).fetchall()]
    conn = sqlite3.connect(root / "reviewer.sqlite")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def execute(root: Path, *statements: str) -> None:
    """Run plain SQL statements (no parameters) on the case's database in one transaction, either backend."""
    if is_shared(root):
        import psycopg

        with psycopg.connect(database_url(root)) as conn:
            for sql in statements:
                conn.execute(sql.encode())
        return
    conn = sqlite3.connect(root / "reviewer.sqlite")
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def dump(root: Path) -> list[str]:
    """Every row of every table, as text: SQLite's iterdump, or on PostgreSQL each table of the case's
    schema with its rows ordered by id (by the whole row as text where a table has no id)."""
    if not is_shared(root):
        conn = sqlite3.connect(root / "reviewer.sqlite")
        try:
            return list(conn.iterdump())
        finally:
            conn.close()
    import psycopg

    lines: list[str] = []
    with psycopg.connect(database_url(root)) as conn:
        tables = [
            (schema, table)
            for schema, table in conn.execute(
                "SELECT table_schema, table_name FROM information_schema.tables"
                " WHERE table_type = 'BASE TABLE'"
                " AND table_schema NOT IN ('pg_catalog', 'information_schema')"
                " ORDER BY table_schema, table_name"
            )
        ]
        for schema, table in tables:
            columns = [
                name
                for (name,) in conn.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                    (schema, table),
                )
            ]
            order = '"id"' if "id" in columns else "CAST(t AS text)"  # json has no ordering of its own
            sql = f'SELECT * FROM "{schema}"."{table}" AS t ORDER BY {order}'
            rows = conn.execute(sql.encode()).fetchall()
            lines.append(f"{schema}.{table} {columns}")
            lines.extend(f"  {row!r}" for row in rows)
    return lines
