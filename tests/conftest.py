"""Shared fixtures: real cases in temporary folders, real files made by ``tests.filemaker``."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reviewer.core.services.case import Case, create_case

if TYPE_CHECKING:
    from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdfjs"


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    """A new, empty case, opened as user 'tester'."""
    with create_case(tmp_path / "case", title="Test case", actor="tester") as opened:
        yield opened


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
