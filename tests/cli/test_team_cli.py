"""A shared case from the command line: init, grant, revoke, two editors at once, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import psycopg
import pytest

from reviewer.cli import main
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

    from tests.pg_cluster import PostgresCluster

WRITES = 20
EDITOR = """
import sys
from pathlib import Path
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents
from reviewer.core.services.case import open_case

with open_case(Path(sys.argv[1])) as case:
    for i in range({writes}):
        box = Rect(i, i, i + 10, i + 10)
        documents.add_annotation(case, 1, page=1, rect=box, note=f"{{case.actor}} {{i}}")
        documents.tag_documents(case, [1], [f"{{case.actor}}-{{i}}"])
"""


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err
    assert "unexpected error" not in err
    [line] = err.strip().splitlines()
    return line


@pytest.fixture
def shared_case(
    tmp_path: Path,
    pg_cluster: PostgresCluster,
    pg_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    monkeypatch.setenv("PGUSER", pg_cluster.superuser)
    root = tmp_path / "case"
    code, out, err = run(capsys, "init", root, "--database", pg_url, "--title", "Leak 42")
    assert code == 0, err
    assert "Leak 42" in out
    assert "reviewer grant" in out
    pdf = filemaker.make_text_pdf(tmp_path / "note.pdf", pages=1)
    code, _, err = run(capsys, "import", root, pdf, "--ocr-later")
    assert code == 0, err
    for name in ("cli_alice", "cli_bob", "cli_olga"):
        if not pg_cluster.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{name}'").strip():
            pg_cluster.create_role(name)
    return root


def test_a_url_with_a_password_is_refused_and_nothing_is_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "init", tmp_path / "c", "--database", "postgresql://u:secret@db.example/leak")
    assert code == 2
    assert "password" in one_line(err)
    assert "secret" not in err
    assert not (tmp_path / "c").exists()
    code, _, err = run(capsys, "init", tmp_path / "c", "--database", "mysql://db.example/leak")
    assert code == 2
    assert "postgresql://" in one_line(err)


def test_two_editors_at_once_lose_nothing_and_the_chain_holds(
    shared_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for editor in ("cli_alice", "cli_bob"):
        code, out, err = run(capsys, "grant", shared_case, editor, "--as", "editor")
        assert code == 0, err
        assert "editor" in out
    script = EDITOR.format(writes=WRITES)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(shared_case)],
            env={**os.environ, "PGUSER": editor},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for editor in ("cli_alice", "cli_bob")
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    code, out, err = run(capsys, "verify", shared_case)
    assert code == 0, out + err
    assert "all as recorded" in out
    url = (shared_case / "reviewer-case.json").read_text().split('"database": "')[1].split('"')[0]
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT actor, count(*) FROM custody_event WHERE action IN ('annotation_added', 'tag_added')"
            " GROUP BY actor ORDER BY actor"
        ).fetchall()
        notes = conn.execute("SELECT count(*) FROM annotation").fetchone()
    assert rows == [("cli_alice", 2 * WRITES), ("cli_bob", 2 * WRITES)]
    assert notes == (2 * WRITES,)


def test_an_observer_is_refused_in_one_line_and_only_the_owner_grants(
    shared_case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "grant", shared_case, "cli_olga", "--as", "observer")[0] == 0
    assert run(capsys, "grant", shared_case, "cli_alice", "--as", "editor")[0] == 0
    code, _, err = run(capsys, "grant", shared_case, "nobody_here", "--as", "editor")
    assert code == 2
    assert "no database role 'nobody_here'" in one_line(err)
    monkeypatch.setenv("PGUSER", "cli_olga")
    code, out, err = run(capsys, "list", shared_case)
    assert code == 0
    assert "note.pdf" in out
    code, _, err = run(capsys, "status", shared_case, "1", "verified", "--note", "fine")
    assert code == 1
    assert "you may only read this case" in err
    assert "Traceback" not in err
    monkeypatch.setenv("PGUSER", "cli_alice")
    code, _, err = run(capsys, "grant", shared_case, "cli_olga", "--as", "editor")
    assert code == 1
    assert "only the case's owner" in one_line(err)
    code, _, err = run(capsys, "revoke", shared_case, "cli_olga")
    assert code == 1
    assert "only the case's owner" in one_line(err)


def test_repair_says_why_not_on_a_shared_case(shared_case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "repair", shared_case)
    assert code == 1
    assert "PostgreSQL" in one_line(err)


def test_without_the_driver_a_shared_case_names_the_extra(shared_case: Path) -> None:
    code = (
        "import sys; sys.modules['psycopg'] = None\n"  # as if psycopg were not installed
        "from reviewer.cli import main\n"
        f"sys.exit(main(['list', {str(shared_case)!r}]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 1
    assert "pip install 'reviewer[team]'" in one_line(done.stderr)
