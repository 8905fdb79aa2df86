"""Shared fixtures: real cases in temporary folders, real files made by ``tests.filemaker``."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reviewer.core.services.case import Case, create_case
from tests.pg_cluster import PostgresCluster, PostgresMissingError

if TYPE_CHECKING:
    from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdfjs"


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a thread of its own running (a renderer, an import, a loader)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while True:
        leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not leaked:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"threads left running: {[t.name for t in leaked]}")
        time.sleep(0.05)


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    """A new, empty case, opened as user 'tester'."""
    with create_case(tmp_path / "case", title="Test case", actor="tester") as opened:
        yield opened


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    """One throwaway PostgreSQL server for the session (fails in one line when it is not installed)."""
    try:
        cluster = PostgresCluster().start()
    except PostgresMissingError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PostgresCluster) -> str:
    """A fresh, empty database on the session's cluster, as the superuser's URL."""
    return pg_cluster.create_database(f"t_{uuid.uuid4().hex[:16]}")


@pytest.fixture(params=["sqlite", "postgres"])
def any_case(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Case]:
    """A new, empty case, local (SQLite) or shared (PostgreSQL): the same tests run on both.

    On PostgreSQL the actor is the connected role (the cluster's superuser), not 'tester'.
    """
    database = None
    if request.param == "postgres":
        cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
        database = request.getfixturevalue("pg_url")
        monkeypatch.setenv("PGUSER", cluster.superuser)  # reopening reads the case file: no user in it
    with create_case(tmp_path / "case", title="Test case", actor="tester", database=database) as opened:
        yield opened


@pytest.fixture(params=["sqlite", "postgres"])
def any_case_root(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder of a new case titled 'Leak 42' made by ``reviewer init``, local (SQLite) or shared
    (``--database``, PostgreSQL): the same command-line tests run on both. PGUSER is the superuser."""
    from reviewer.cli import main

    root = tmp_path / "case"
    argv = ["init", str(root), "--title", "Leak 42"]
    if request.param == "postgres":
        cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
        argv += ["--database", request.getfixturevalue("pg_url")]
        monkeypatch.setenv("PGUSER", cluster.superuser)  # the case file names no user
    assert main(argv) == 0, f"reviewer {' '.join(argv)} failed"
    return root


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """An empty folder to put files to import in."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@contextlib.contextmanager
def raw_db(case_root: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection to a case database, for checks independent of reviewer's code.

    Commits on a clean exit, and always closes.
    """
    conn = sqlite3.connect(case_root / "reviewer.sqlite")
    try:
        yield conn
        conn.commit()
    finally:
        conn.close()
