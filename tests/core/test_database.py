"""The case database: migrations build the schema the models describe, and upgrades keep a backup."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from reviewer.core.domain.errors import CaseError, UsageError
from reviewer.core.services.case import create_case, open_case
from reviewer.core.storage.database import Database
from reviewer.core.storage.orm import Base, include_name
from tests.conftest import raw_db

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


def test_empty_database_upgrades_to_head_and_matches_the_models(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.sqlite")
    assert db.current_revision() is None
    assert db.upgrade(tmp_path / "backups") == (None, db.head_revision())
    assert db.current_revision() == db.head_revision()
    with db._writer.connect() as conn:  # the models and the migrations must describe one schema
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"render_as_batch": True, "include_name": include_name}),
            Base.metadata,
        )
    assert diff == []
    assert not (tmp_path / "backups").exists(), "a new database needs no backup"
    db.close()


def test_pragmas_are_set(case: Case) -> None:
    with case.db._writer.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_older_case_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    root = tmp_path / "case"
    create_case(root, title="Old", actor="tester").close()
    db = Database(root / "reviewer.sqlite")
    config = db._alembic_config()
    with db._writer.begin() as conn:  # take the case back to the first schema, as an old version made it
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    db.close()
    with raw_db(root) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)

    with open_case(root, actor="tester") as case:
        assert case.db.current_revision() == case.db.head_revision()
        assert case.title == "Old"
    backups = list((root / "backups").glob("*.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT title FROM case_info").fetchone() == ("Old",)
    with raw_db(root) as conn:
        actions = [r[0] for r in conn.execute("SELECT action FROM custody_event ORDER BY id")]
    assert actions == ["case_created", "schema_upgraded"]


def test_case_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    root = tmp_path / "case"
    create_case(root, actor="tester").close()
    with raw_db(root) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = (root / "reviewer.sqlite").read_bytes()
    with pytest.raises(CaseError, match="newer version of reviewer"):
        open_case(root)
    assert (root / "reviewer.sqlite").read_bytes() == before


def test_no_case_here(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no reviewer case"):
        open_case(tmp_path)
    (tmp_path / "stuff.txt").write_text("x")
    with pytest.raises(UsageError, match="not empty"):
        create_case(tmp_path)


def test_case_layout_on_disk(case: Case) -> None:
    root = case.root
    assert (root / "reviewer.sqlite").is_file()
    for folder in ("originals", "derived", "staging", "backups"):
        assert (root / folder).is_dir()
    with pytest.raises(UsageError, match="already a case"):
        create_case(root)


def test_the_quick_head_revision_agrees_with_alembic(tmp_path: Path) -> None:
    """Opening a case reads the head from the migration files' names, to spare importing Alembic."""
    from alembic.script import ScriptDirectory

    db = Database(tmp_path / "x.sqlite")
    assert db.head_revision() == ScriptDirectory.from_config(db._alembic_config()).get_current_head()
    db.close()


def test_a_case_that_cannot_be_made_leaves_the_persons_empty_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer.core.storage import search_index

    folder = tmp_path / "chosen"
    folder.mkdir()

    def fail(_session: object) -> None:
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(search_index, "rebuild", fail)
    with pytest.raises(RuntimeError):
        create_case(folder)
    assert folder.is_dir(), "the folder the person chose stays"
    assert list(folder.iterdir()) == [], "what the failed creation put in it is gone"
    with pytest.raises(RuntimeError):
        create_case(tmp_path / "new")
    assert not (tmp_path / "new").exists(), "a folder it made itself is taken back"
