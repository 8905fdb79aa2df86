"""The throwaway PostgreSQL cluster the shared-case tests run on (tests/pg_cluster.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import psycopg
import pytest

from tests import pg_cluster as pg_cluster_module

if TYPE_CHECKING:
    from tests.pg_cluster import PostgresCluster


def test_each_test_gets_an_empty_database_of_its_own(pg_cluster: PostgresCluster, pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
        encoding = conn.execute(
            "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"
        ).fetchone()
    assert tables == (0,)
    assert encoding == ("UTF8",)


def test_a_role_connects_as_itself(pg_cluster: PostgresCluster, pg_url: str) -> None:
    pg_cluster.create_role("cluster_alice")
    db = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(pg_cluster.url(db, "cluster_alice")) as conn:
        assert conn.execute("SELECT session_user").fetchone() == ("cluster_alice",)
    assert pg_cluster.psql("SELECT 1 + 1", db=db).strip() == "2"


def test_missing_binaries_say_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_cluster_module.glob, "glob", lambda _pattern: [])
    monkeypatch.setenv("PATH", "")
    with pytest.raises(pg_cluster_module.PostgresMissingError, match=r"apt-get install postgresql"):
        pg_cluster_module.PostgresCluster()
