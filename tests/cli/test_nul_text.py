"""Text no case keeps, from the command line: a byte of an argument that is not UTF-8 (Python hands
it over as a lone surrogate) is refused in one line naming the field; a local case written before NULs
were refused is not moved onto PostgreSQL: the move names each value holding one."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import psycopg

from reviewer.cli import main
from reviewer.core.domain import values
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.importing import import_paths
from tests import filemaker
from tests.pg_cases import dump

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from tests.pg_cluster import PostgresCluster


def _reviewer(*args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    argv = [a if isinstance(a, bytes) else a.encode() for a in args]
    return subprocess.run(
        [sys.executable.encode(), b"-m", b"reviewer.cli", *argv], capture_output=True, check=False
    )


def test_a_byte_that_is_not_utf8_in_an_argument_is_refused_in_one_line(tmp_path: Path) -> None:
    root = tmp_path / "case"
    filemaker.make_text_pdf(tmp_path / "note.pdf")
    with create_case(root, title="Leak", actor="tester") as case:
        import_paths(case, [tmp_path / "note.pdf"])
    before = dump(root)
    for args, said in [
        ((b"tag", str(root), b"1", b"ab\xffc"), "a tag holds the byte 0xFF at character 3"),
        ((b"meta", str(root), b"1", b"issuer=MFA \xe9"), "field issuer holds the byte 0xE9 at character 5"),
        (
            (b"status", str(root), b"1", b"disputed", b"--note", b"x\x1by"),
            "the status rationale holds a control",
        ),
        (
            (b"import", str(root), str(tmp_path / "note.pdf"), b"--source", b"\xfe"),
            "the source holds the byte 0xFE",
        ),
    ]:
        done = _reviewer(*args)
        err = done.stderr.decode()
        assert done.returncode == 2, err
        [line] = err.splitlines()
        assert line.startswith(f"reviewer: error: {said}"), line
        assert "unexpected error" not in line
    assert dump(root) == before, "nothing written"


def _old_case(root: Path, inbox: Path, monkeypatch: pytest.MonkeyPatch, *, field: bool) -> str:
    """A local case as a reviewer before this change wrote it: a NUL kept in a note (and a field)."""
    filemaker.make_text_pdf(inbox / "note.pdf")
    with monkeypatch.context() as before_the_change:
        before_the_change.setattr(values, "checked_text", lambda what, value, controls=False: value)
        before_the_change.setattr(documents, "checked_text", lambda what, value, controls=False: value)
        with create_case(root, title="Leak", actor="alice") as case:
            import_paths(case, [inbox / "note.pdf"])
            note = documents.add_annotation(case, 1, page=1, rect=Rect(10, 10, 90, 60), note="seal\x00x")
            if field:
                documents.set_metadata(case, 1, {"vessel": "Aurora\x00"})
    return note.id


def _tables(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").fetchone()
        return int(row[0]) if row else 0


def test_a_move_names_the_note_holding_a_nul_and_moves_once_it_is_changed(
    tmp_path: Path,
    pg_cluster: PostgresCluster,
    pg_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PGUSER", pg_cluster.superuser)
    root = tmp_path / "case"
    (tmp_path / "inbox").mkdir()
    note = _old_case(root, tmp_path / "inbox", monkeypatch, field=False)
    before = dump(root)
    capsys.readouterr()
    assert main(["move", str(root), "--to-database", pg_url]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("reviewer: error: PostgreSQL cannot keep a NUL character (U+0000)"), line
    assert f"the note of annotation {note[:8]} on page 1 of document 1" in line
    assert "change those values and move it again (nothing was moved)" in line
    assert dump(root) == before, "the local case is as it was"
    assert _tables(pg_url) == 0, "nothing made on the server"
    with open_case(root) as case:
        documents.update_annotation(case, note, note="seal")
    assert main(["move", str(root), "--to-database", pg_url]) == 0, capsys.readouterr().err
    assert not (root / "reviewer.sqlite").exists()


def test_a_move_says_a_nul_on_the_custody_log_keeps_the_case_local(
    tmp_path: Path,
    pg_cluster: PostgresCluster,
    pg_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PGUSER", pg_cluster.superuser)
    root = tmp_path / "case"
    (tmp_path / "inbox").mkdir()
    _old_case(root, tmp_path / "inbox", monkeypatch, field=True)
    before = dump(root)
    capsys.readouterr()
    assert main(["move", str(root), "--to-database", pg_url]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert "3 value(s) of this case hold one" in line, line
    assert "field 'Aurora\\\\0' of document 1" not in line
    assert "field 'vessel' of document 1" in line
    assert "(hashed: never changed)" in line
    assert "the custody log is hashed and never changed, so this case stays local" in line
    assert dump(root) == before
    assert _tables(pg_url) == 0
