"""The check of a case database at open costs the same whatever the file's size (issue 16).

``PRAGMA quick_check`` reads the whole file (~7 s for a 4.4 GB case), so it runs only when the file is
not the one reviewer last checked or closed (``derived/database-check.json``); the header and length are
checked at every open, so a cut file is still caught at once.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
from typing import TYPE_CHECKING

import pytest

from reviewer.cli import main
from reviewer.core.domain.clock import utc_now
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.documents import tag_documents
from reviewer.core.storage import sqlite_db
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

DAMAGED = "the case database is damaged"


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files ``quick_check`` read whole, in order."""
    seen: list[Path] = []
    real = sqlite_db.quick_check

    def counted(path: Path) -> str:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(sqlite_db, "quick_check", counted)
    return seen


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A closed case of three documents, opened once since it was made (so its check is recorded)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(3):
        filemaker.make_text_pdf(inbox / f"n{i}.pdf", seed=i, title=f"Note {i}")
    folder = tmp_path / "case"
    create_case(folder, actor="tester").close()
    assert main(["import", str(folder), str(inbox), "--ocr-later"]) == 0
    return folder


def test_an_unchanged_database_is_not_read_whole_at_open(root: Path, full_checks: list[Path]) -> None:
    for _ in range(3):
        open_case(root, actor="tester").close()
    assert full_checks == []


def test_reviewers_own_writes_do_not_make_the_next_open_read_it_whole(
    root: Path, full_checks: list[Path]
) -> None:
    database = root / "reviewer.sqlite"
    before = database.stat().st_mtime_ns
    with open_case(root, actor="tester") as case:
        tag_documents(case, [1, 2], ["stamp"])
    assert database.stat().st_mtime_ns != before, "the write reached the file"
    with open_case(root, actor="tester") as case:
        assert not case.db.read_only
    assert full_checks == []


def test_a_change_made_outside_reviewer_is_checked_whole_at_the_next_open(
    root: Path, full_checks: list[Path]
) -> None:
    database = root / "reviewer.sqlite"
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE document SET title = 'changed' WHERE id = 1")
    conn.close()
    open_case(root, actor="tester").close()
    assert full_checks == [database]
    open_case(root, actor="tester").close()  # checked, and recorded as checked
    assert full_checks == [database]


def test_a_copied_or_restored_database_is_checked_whole(
    root: Path, tmp_path: Path, full_checks: list[Path]
) -> None:
    copy = tmp_path / "copy"
    # times kept, the record of the check copied with it: another file all the same
    shutil.copytree(root, copy)
    open_case(copy, actor="tester").close()
    assert full_checks == [copy / "reviewer.sqlite"]


def test_a_week_old_full_check_is_done_again(root: Path, full_checks: list[Path]) -> None:
    marker = root / sqlite_db.CHECK_MARKER
    record = json.loads(marker.read_text(encoding="utf-8"))
    old = datetime.datetime.now(datetime.UTC) - sqlite_db.FULL_CHECK_EVERY - datetime.timedelta(hours=1)
    record["checked_at"] = old.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    marker.write_text(json.dumps(record), encoding="utf-8")
    open_case(root, actor="tester").close()
    assert full_checks == [root / "reviewer.sqlite"]
    assert json.loads(marker.read_text(encoding="utf-8"))["checked_at"] > record["checked_at"]


def cut(database: Path, pages: int) -> None:
    """Cut the last ``pages`` pages off the file, keeping its times (as a copy cut short in transit)."""
    info = database.stat()
    page_size = int.from_bytes(database.read_bytes()[16:18], "big")
    with open(database, "r+b") as handle:
        handle.truncate(info.st_size - pages * page_size)
    os.utime(database, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_a_database_cut_by_four_pages_is_caught_at_open_in_one_line(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = root / "reviewer.sqlite"
    assert not (root / "reviewer.sqlite-wal").exists()
    cut(database, 4)
    assert sqlite_db.header_problem(database) == (
        "the file is 4 page(s) shorter than its header says: cut short"
    )
    before = database.read_bytes()
    code = main(["list", str(root)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count(DAMAGED) == 1, err
    code = main(["tag", str(root), "1", "stamp"])
    err = capsys.readouterr().err
    assert code == 1
    [line] = [line for line in err.splitlines() if line.startswith("reviewer: error:")]
    assert DAMAGED in line
    assert "reviewer repair" in line
    assert "Traceback" not in err
    assert database.read_bytes() == before, "a damaged database is never written"
    assert not (root / "reviewer.sqlite-wal").exists()


def test_a_cut_file_is_caught_even_if_its_record_says_checked(root: Path, full_checks: list[Path]) -> None:
    """The header is read at every open: a record made to match the cut file does not hide it."""
    database = root / "reviewer.sqlite"
    cut(database, 4)
    checked = utc_now()
    sqlite_db._write_marker(database, checked)
    assert sqlite_db.open_check(database)[0].endswith("cut short")
    assert full_checks == []


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "reviewer.sqlite"
    junk.write_bytes(b"not a database at all" * 50)
    assert sqlite_db.header_problem(junk) == "file is not a database"
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    assert sqlite_db.header_problem(empty) == "file is not a database"
