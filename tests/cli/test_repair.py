"""reviewer repair: a sound database from a damaged one, the damaged file kept and never written."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from reviewer.core.services.case import open_case
from reviewer.core.storage.database import Database
from tests.core.test_damaged_case import (  # the 30-document case and how it is damaged
    DOCUMENTS,
    copy_case,
    damage_documents,
    digest,
    run,
    sound_case,
)

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

__all__ = ["sound_case"]  # a fixture, shared with the damaged-case tests


def documents_in(root: Path) -> int:
    with sqlite3.connect(root / "reviewer.sqlite") as conn:
        return int(conn.execute("SELECT count(*) FROM document").fetchone()[0])


def test_repair_in_place_salvages_what_can_be_read_and_keeps_the_damaged_file(
    sound_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_case(sound_case, tmp_path / "case")
    damage_documents(root)
    damaged = digest(root / "reviewer.sqlite")

    code, out, err = run(capsys, "repair", root)
    assert code == 0, out + err
    [kept] = root.glob("reviewer.sqlite.damaged-*")
    assert digest(kept) == damaged  # renamed, never written
    assert "LOST      document: rows after rowid" in out
    assert f"check it next with: reviewer verify {root}" in out

    salvaged = documents_in(root)
    assert DOCUMENTS // 2 < salvaged < DOCUMENTS  # one page of rows lost, the pages after it recovered
    db = Database.open_checked(root / "reviewer.sqlite")
    try:
        assert db.read_only is None
        assert db.integrity_check() == "ok"
    finally:
        db.close()
    with sqlite3.connect(root / "reviewer.sqlite") as conn:
        [(summary, after)] = conn.execute(
            "SELECT summary, after_json FROM custody_event WHERE action = 'case_repaired'"
        ).fetchall()
    assert "case repaired" in summary
    assert json.loads(after)["lost"]
    # the case is writable again; verify names the originals no document records any more
    assert run(capsys, "status", root, "1", "in_review", "--note", "after the repair")[0] == 0
    code, out, _ = run(capsys, "verify", root)
    assert code == 1
    assert out.count("a file in the store that no document records") == DOCUMENTS - salvaged


def test_repair_from_a_backup_recovers_everything_and_verify_passes(
    sound_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_case(sound_case, tmp_path / "case")
    with open_case(root) as case:
        case.db.backup(case.layout.backups / "before-test.sqlite")
    damage_documents(root)

    code, out, err = run(capsys, "repair", root)
    assert code == 0, out + err
    assert "taken from the backup" in out or "from the backup" in out
    assert documents_in(root) == DOCUMENTS
    code, out, err = run(capsys, "verify", root)
    assert code == 0, out + err
    assert "all as recorded" in out


def test_repair_to_a_new_case_leaves_the_old_one_untouched(
    sound_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_case(sound_case, tmp_path / "case")
    damage_documents(root)
    before = {p.relative_to(root): digest(p) for p in root.rglob("*") if p.is_file()}
    target = tmp_path / "repaired"

    code, out, err = run(capsys, "repair", root, "--to", target)
    assert code == 0, out + err
    assert {p.relative_to(root): digest(p) for p in root.rglob("*") if p.is_file()} == before
    assert not list(root.glob("reviewer.sqlite.damaged-*"))
    assert DOCUMENTS // 2 < documents_in(target) < DOCUMENTS
    code, out, _ = run(capsys, "list", target)
    assert code == 0
    assert out.count(".pdf") == documents_in(target)


def test_repair_of_a_missing_schema_revision(
    sound_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_case(sound_case, tmp_path / "case")
    with sqlite3.connect(root / "reviewer.sqlite") as conn:
        conn.execute("DELETE FROM alembic_version")
    assert run(capsys, "list", root)[0] == 1
    code, out, err = run(capsys, "repair", root)
    assert code == 0, out + err
    assert documents_in(root) == DOCUMENTS
    code, out, err = run(capsys, "verify", root)
    assert code == 0, out + err


def test_a_sound_case_is_not_repaired_unless_forced(
    sound_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_case(sound_case, tmp_path / "case")
    before = digest(root / "reviewer.sqlite")
    code, _out, err = run(capsys, "repair", root)
    assert code == 2
    assert "sound" in err
    assert "--force" in err
    assert digest(root / "reviewer.sqlite") == before
    assert not list(root.glob("reviewer.sqlite.damaged-*")), "a sound database is never called damaged"
    code, out, err = run(capsys, "repair", root, "--force")
    assert code == 0, out + err
    assert documents_in(root) == DOCUMENTS


def test_no_repair_in_place_while_an_import_is_running(
    sound_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reviewer.core.storage.store import CaseLayout, Claim

    root = copy_case(sound_case, tmp_path / "case")
    damage_documents(root)
    damaged = digest(root / "reviewer.sqlite")
    with Claim(CaseLayout(root), "import"):
        code, _out, err = run(capsys, "repair", root)
    assert code == 1
    assert "running on this case" in err
    assert digest(root / "reviewer.sqlite") == damaged
    assert not list(root.glob("reviewer.sqlite.damaged-*"))
    assert not list(root.glob("reviewer.sqlite.repairing-*"))
