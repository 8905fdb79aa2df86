"""Damaged, read-only and full cases: told apart, opened read-only, refused in one line, never written."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from reviewer.cli import main
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

DOCUMENTS = 30
DAMAGED = "the case database is damaged"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sound_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case of 30 documents, its database checkpointed so every row is in the main file."""
    base = tmp_path_factory.mktemp("sound")
    inbox = base / "inbox"
    inbox.mkdir()
    for i in range(DOCUMENTS):
        filemaker.make_text_pdf(inbox / f"d{i:03}.pdf", seed=i, title=f"Note {i}")
    root = base / "case"
    assert main(["init", str(root)]) == 0
    assert main(["import", str(root), str(inbox), "--ocr-later"]) == 0
    return root


def copy_case(sound: Path, target: Path) -> Path:
    shutil.copytree(sound, target, symlinks=True)
    return target


def damage_documents(root: Path) -> int:
    """Overwrite the middle of a leaf page of the ``document`` table; returns that page's number."""
    database = root / "reviewer.sqlite"
    conn = sqlite3.connect(database)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        leaves = [
            r[0]
            for r in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'document' AND pagetype = 'leaf' ORDER BY pageno"
            )
        ]
    finally:
        conn.close()
    assert len(leaves) >= 3, "the document table spans several pages"
    page = leaves[1]
    with open(database, "r+b") as handle:
        handle.seek((page - 1) * page_size + 8)
        handle.write(b"\xff" * 16)  # the cell pointers
        handle.seek((page - 1) * page_size + page_size // 2)
        handle.write(bytes(range(200, 256)) * 4)
    assert not (root / "reviewer.sqlite-wal").exists()
    return page


@pytest.fixture
def damaged(sound_case: Path, tmp_path: Path) -> Path:
    root = copy_case(sound_case, tmp_path / "damaged")
    damage_documents(root)
    return root


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("reviewer: error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert "unexpected error" not in err
    assert "SELECT" not in err
    assert "CREATE" not in err
    return lines[0]


def test_writes_to_a_damaged_case_are_refused_and_the_file_is_not_touched(
    damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = damaged / "reviewer.sqlite"
    before = digest(database)
    pdf = filemaker.make_text_pdf(tmp_path / "new.pdf", seed=99)
    for args in (
        ("status", damaged, "1", "verified", "--note", "checked"),
        ("annotate", damaged, "1", "--page", "1", "--rect", "10,10,50,50"),
        ("import", damaged, pdf, "--ocr-later"),
        ("tag", damaged, "1", "stamp"),
    ):
        code, _, err = run(capsys, *args)
        assert code == 1, (args, err)
        line = one_line(err)
        assert DAMAGED in line
        assert "reviewer repair" in line
    assert digest(database) == before
    assert not (damaged / "reviewer.sqlite-wal").exists()
    assert not (damaged / "reviewer.sqlite-shm").exists()


def test_reads_that_meet_the_damage_say_so_in_one_line(
    damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(damaged / "reviewer.sqlite")
    # what can still be read is listed, under a one-line notice that the case is damaged
    listed = subprocess.run(
        [sys.executable, "-m", "reviewer", "list", str(damaged)], capture_output=True, text=True, check=False
    )
    # Whether the list needs a row of the damaged page depends on where SQLite put the rows: it lists
    # what it can under a one-line notice, and when it meets the damage it stops with one more line
    # (or, if the damage is met at open, with that line alone); never more, never SQL.
    lines = listed.stderr.splitlines()
    assert 1 <= len(lines) <= 2, listed.stderr
    for line in lines:
        assert line.startswith((f"reviewer: {DAMAGED} (", f"reviewer: error: {DAMAGED} (")), line
        assert "reviewer repair" in line
    assert "SELECT" not in listed.stderr
    if listed.returncode == 0:
        assert len(lines) == 1
        assert "opened read-only" in lines[0]
    else:
        assert listed.returncode == 1
        assert lines[-1].startswith(f"reviewer: error: {DAMAGED} (")
    for args in (("verify", damaged), ("export", damaged, tmp_path / "out")):
        code, _, err = run(capsys, *args)
        assert code == 1, (args, err)
        assert DAMAGED in one_line(err)
    # a document outside the damaged page still shows
    code, out, _ = run(capsys, "show", damaged, "1")
    assert code == 0
    assert "document 1" in out
    assert digest(damaged / "reviewer.sqlite") == before


def test_missing_or_stale_schema_revision_is_one_line_without_sql(
    sound_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = copy_case(sound_case, tmp_path / "missing")
    stale = copy_case(sound_case, tmp_path / "stale")
    with sqlite3.connect(missing / "reviewer.sqlite") as conn:
        conn.execute("DELETE FROM alembic_version")
    with sqlite3.connect(stale / "reviewer.sqlite") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0003'")
    for root in (missing, stale):
        code, _, err = run(capsys, "list", root)
        assert code == 1
        line = one_line(err)
        assert "schema revision is missing or does not match its tables" in line
        assert "reviewer repair" in line


@pytest.fixture
def read_only_case(sound_case: Path, tmp_path: Path) -> Iterator[Path]:
    """The case seen through a read-only bind mount (root ignores file permissions, not EROFS)."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    source = copy_case(sound_case, tmp_path / "rw")
    mount = tmp_path / "ro"
    mount.mkdir()
    subprocess.run(["mount", "--bind", str(source), str(mount)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)], check=True)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_read_only_case_reads_and_refuses_writes(
    read_only_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = read_only_case
    code, out, err = run(capsys, "list", root)
    assert code == 0, err
    assert len([line for line in out.splitlines() if line.strip()]) == DOCUMENTS + 1
    assert run(capsys, "show", root, "3")[0] == 0
    assert run(capsys, "search", root, "note")[0] == 0
    code, _, err = run(capsys, "status", root, "3", "verified", "--note", "x")
    assert code == 1
    assert one_line(err) == "reviewer: error: the case is read-only"
    code, out, err = run(capsys, "verify", root)
    assert code == 0, out + err
    assert "not recorded on the custody log: the case is read-only" in err
    assert not (root / "reviewer.sqlite-wal").exists()


@pytest.mark.slow
def test_disk_full_during_import_stops_cleanly(tmp_path: Path) -> None:
    """A 3 MB tmpfs holds the case: the import fills it, stops, and says what it imported."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(14):
        filemaker.make_scanned_pdf(inbox / f"s{i:02}.pdf", seed=i)
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3M", "tmpfs", str(disk)], check=True)
    try:
        root = disk / "case"
        cli = [sys.executable, "-m", "reviewer"]
        subprocess.run([*cli, "init", str(root)], check=True, capture_output=True)
        done = subprocess.run(
            [*cli, "import", str(root), str(inbox), "--ocr-later", "--jobs", "1"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert "unexpected error" not in done.stderr
        imported = [line for line in done.stdout.splitlines() if line.startswith("imported")]
        assert imported, done.stdout
        assert "cannot copy into the case: No space left on device" in done.stdout
        # the full disk is the case's, not the source file's fault
        full = [line for line in done.stdout.splitlines() if "No space" in line]
        assert all("cannot copy into the case" in line for line in full)
        not_imported = len(list(inbox.iterdir())) - len(imported)
        assert f"the disk is full: {not_imported} files not imported" in done.stdout
        with sqlite3.connect(root / "reviewer.sqlite") as conn:
            batches = conn.execute("SELECT finished_at, imported, cancelled FROM import_batch").fetchall()
            documents = conn.execute("SELECT count(*) FROM document").fetchone()[0]
        assert documents == len(imported)
        [(finished, count, cancelled)] = batches
        assert finished is not None
        assert (count, cancelled) == (len(imported), 1)
        # room again: everything recorded is exactly as recorded
        subprocess.run(["mount", "-o", "remount,size=32M", str(disk)], check=True)
        verified = subprocess.run([*cli, "verify", str(root)], capture_output=True, text=True, check=False)
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        # lazily: a worker process of the last command may still be exiting
        subprocess.run(["umount", "--lazy", str(disk)], check=True)
