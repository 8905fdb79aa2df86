"""`verify`: a changed, missing or stray original, or an edited custody log, is caught."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import import_paths
from tests import filemaker
from tests.conftest import raw_db
from tests.pg_cases import query

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


# Edits the SQLite file itself (raw_db), so runs on the local case only.
SQLITE_ONLY = pytest.mark.parametrize("any_case", ["sqlite"], indirect=True)


@pytest.fixture
def case(any_case: Case) -> Case:
    """Every test here runs on a local (SQLite) and a shared (PostgreSQL) case, but SQLITE_ONLY ones."""
    return any_case


@pytest.fixture
def stored(case: Case, inbox: Path) -> Path:
    """The stored original of one imported document."""
    [item] = import_paths(case, [filemaker.make_text_pdf(inbox / "a.pdf")]).imported
    return case.layout.original(item.sha256)


def test_an_untouched_case_verifies(case: Case, stored: Path) -> None:
    report = verify_case(case)
    assert report.ok
    assert report.checked == 1
    assert report.bytes_checked == stored.stat().st_size


def test_one_changed_byte_is_caught(case: Case, stored: Path) -> None:
    os.chmod(stored, 0o644)
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0x01
    stored.write_bytes(bytes(data))
    os.chmod(stored, 0o444)
    [problem] = verify_case(case).problems
    assert "was altered" in problem.problem


def test_a_writable_original_is_reported(case: Case, stored: Path) -> None:
    os.chmod(stored, 0o644)
    [problem] = verify_case(case).problems
    assert "no longer read-only" in problem.problem


def test_missing_and_stray_files_are_caught(case: Case, stored: Path) -> None:
    stray = stored.parent / ("f" * 64)
    stored.rename(stray)
    problems = sorted(p.problem for p in verify_case(case).problems)
    assert len(problems) == 2
    assert any("is missing" in p for p in problems)
    assert any("no document records: originals/" in p and "nothing was removed" in p for p in problems)
    assert stray.is_file(), "reported, never removed"


@SQLITE_ONLY
def test_an_edited_custody_log_is_caught(case: Case, stored: Path) -> None:
    with raw_db(case.root) as conn:
        conn.execute("DROP TRIGGER custody_event_no_update")
        conn.execute("UPDATE custody_event SET actor = 'nobody' WHERE action = 'imported'")
    [problem] = verify_case(case).problems
    assert "custody log entry" in problem.problem


def test_each_check_is_on_the_case_log(case: Case, stored: Path) -> None:
    verify_case(case)
    verify_case(case)
    rows = query(case.root, "SELECT summary FROM custody_event WHERE action = 'fixity_check' ORDER BY id")
    assert [r[0] for r in rows] == ["fixity check: 1 originals re-hashed, all as recorded"] * 2
