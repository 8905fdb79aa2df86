"""reviewer never deletes an original: restored databases, edited hashes, strays, interrupted imports.

Each test here failed before the store stopped sweeping unrecorded originals (issue: 40 originals
deleted by opening a case after restoring an older copy of its database).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

import pytest

from reviewer.cli import main
from reviewer.core.services.case import open_case
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.quarantine import quarantine_unexplained, unexplained_originals
from reviewer.core.storage.store import Claim, exclusive_staging, sha256_of
from tests import filemaker
from tests.conftest import raw_db

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


def _store(case: Case) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in case.layout.iter_originals()}


def _backup(case: Case, target: Path) -> None:
    source = sqlite3.connect(case.layout.database)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()


def test_restoring_an_older_database_deletes_no_original(case: Case, inbox: Path, tmp_path: Path) -> None:
    for i in range(2):
        filemaker.make_text_pdf(inbox / f"early-{i}.pdf", seed=i)
    import_paths(case, [inbox])
    older = tmp_path / "older.sqlite"
    _backup(case, older)
    later = tmp_path / "later"
    later.mkdir()
    for i in range(3):
        filemaker.make_text_pdf(later / f"later-{i}.pdf", seed=10 + i)
    import_paths(case, [later])
    before = _store(case)
    assert len(before) == 5
    root = case.root
    case.close()
    for suffix in ("-wal", "-shm"):
        (root / f"reviewer.sqlite{suffix}").unlink(missing_ok=True)
    shutil.copyfile(older, root / "reviewer.sqlite")  # what anyone does after a mistake

    with open_case(root, actor="tester") as reopened:
        assert _store(reopened) == before, "opening the case removed nothing"
        report = verify_case(reopened)
        assert _store(reopened) == before, "verifying removed nothing"
        unexplained = [p for p in report.problems if "no document records" in p.problem]
        assert len(unexplained) == 3
        assert not report.ok

        moved = quarantine_unexplained(reopened)
        assert len(moved.found) == 3
        for target in moved.moved_to:
            assert (root / target).is_file()
        quarantined = {p.name: p.read_bytes() for p in (root / "quarantine").rglob("*") if p.is_file()}
        assert {**_store(reopened), **quarantined} == before, "every byte is still in the case"
        assert unexplained_originals(reopened) == []
    with raw_db(root) as conn:
        [(after,)] = conn.execute("SELECT after_json FROM custody_event WHERE action = 'quarantined'")
    assert {entry["sha256"] for entry in json.loads(after)} == set(before) - set(_store_names(root))


def _store_names(root: Path) -> set[str]:
    return {p.name for p in (root / "originals").rglob("*") if p.is_file()}


def test_a_hash_edited_in_the_database_deletes_no_original(case: Case, inbox: Path) -> None:
    [imported] = import_paths(case, [filemaker.make_text_pdf(inbox / "note.pdf")]).imported
    doc_id, sha = imported.id, imported.sha256
    forged = ("0" if sha[0] != "0" else "1") + sha[1:]
    root = case.root
    case.close()
    with raw_db(root) as conn:
        conn.execute("UPDATE document SET sha256 = ? WHERE id = ?", (forged, doc_id))
    with open_case(root, actor="tester") as reopened:
        assert reopened.layout.original(sha).is_file()
        problems = " | ".join(p.problem for p in verify_case(reopened).problems)
    assert f"the original of document {doc_id} is missing" in problems
    assert f"no document records: originals/{sha[:2]}/{sha}" in problems
    assert (root / "originals" / sha[:2] / sha).is_file()


def test_a_stray_file_is_reported_not_removed(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    stray = case.layout.originals / "zz" / "holiday.jpg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"not evidence, but not ours to delete")
    root = case.root
    case.close()
    assert main(["list", str(root)]) == 0
    assert stray.is_file()
    assert main(["verify", str(root)]) == 1
    out = capsys.readouterr().out
    assert "originals/zz/holiday.jpg" in out
    assert stray.is_file()
    assert main(["quarantine", str(root), "--dry-run"]) == 0
    assert stray.is_file()
    assert main(["quarantine", str(root)]) == 0
    assert not stray.exists()
    [kept] = [p for p in (root / "quarantine").rglob("holiday.jpg")]
    assert kept.read_bytes() == b"not evidence, but not ours to delete"
    assert main(["verify", str(root)]) == 0


def test_what_a_dead_operation_journaled_is_cleared_and_nothing_else(case: Case, tmp_path: Path) -> None:
    layout = case.layout
    # an import that died after moving its copy into the store, before its transaction committed
    copied = filemaker.make_text_pdf(tmp_path / "copied.pdf")
    sha = sha256_of(copied)
    layout.original(sha).parent.mkdir(parents=True)
    shutil.copyfile(copied, layout.original(sha))
    dead = layout.staging / "import-99999-deadbeef"
    dead.mkdir()
    (dead / "x.part").write_bytes(b"half a copy")
    scratch = tmp_path / ".reviewer-export-abc"
    scratch.mkdir()
    (scratch / "copy.pdf").write_bytes(b"a copy of evidence")
    innocent = tmp_path / "notes.txt"
    innocent.write_text("a journal must never get this removed")
    (dead / "journal").write_text(
        "\n".join(
            json.dumps(entry)
            for entry in (
                {"admit": sha},
                {"path": str(scratch)},
                {"path": str(innocent)},  # not a scratch name: a forged or damaged journal
            )
        )
        + "\n{ cut short by the cr"
    )
    by_hand = layout.staging / "put-here-by-hand"
    by_hand.mkdir()
    (by_hand / "keep.txt").write_text("no journal names me")
    root = case.root
    case.close()

    with open_case(root, actor="tester") as reopened:
        assert not dead.exists()
        assert not scratch.exists()
        assert innocent.read_text().startswith("a journal")
        assert (by_hand / "keep.txt").is_file()
        assert not reopened.layout.original(sha).exists()
        [kept] = list((root / "quarantine").rglob(sha))
        assert kept.read_bytes() == copied.read_bytes()
        assert not [p for p in verify_case(reopened).problems if "store" in p.problem]
    with raw_db(root) as conn:
        [(summary, after)] = conn.execute(
            "SELECT summary, after_json FROM custody_event WHERE action = 'staging_swept'"
        )
    assert "1 original(s)" in summary
    assert json.loads(after)["quarantined"] == [str(kept.relative_to(root))]


def test_no_claim_starts_while_a_sweep_holds_the_store(case: Case) -> None:
    entered = threading.Event()

    def start_import() -> None:
        with Claim(case.layout, "import"):
            entered.set()

    with exclusive_staging(case.layout) as alone:
        assert alone
        thread = threading.Thread(target=start_import)
        thread.start()
        assert not entered.wait(0.5), "a claim started in the middle of a sweep"
    thread.join(10)
    assert entered.is_set()


def test_no_sweep_while_a_claim_is_live(case: Case) -> None:
    with Claim(case.layout, "import") as claim:
        with exclusive_staging(case.layout) as alone:
            assert not alone
        root = case.root
        with open_case(root, actor="other") as other:
            assert other is not None
        assert claim.folder.is_dir(), "a live import's folder is never swept"
    assert not claim.folder.exists()


def _cli(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "reviewer", *(str(a) for a in args)]


@pytest.mark.slow
def test_commands_beside_a_live_import_take_nothing_from_it(case: Case, inbox: Path) -> None:
    """`reviewer list` and `reviewer verify` in a loop beside a real import process: the import loses
    no file, and verify reports no false problem (nor logs one)."""
    files = 240  # enough that even a quick import is still going after several commands
    for i in range(files):
        filemaker.make_text_pdf(inbox / f"note-{i:03d}.pdf", pages=3, seed=i)
    root = case.root
    case.close()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    said, errors = inbox.parent / "import.json", inbox.parent / "import.err"
    # into files, not pipes: 240 files' JSON is more than a pipe holds while nobody reads it
    with said.open("wb") as out, errors.open("wb") as err:
        importer = subprocess.Popen(
            _cli("import", root, inbox, "--ocr-later", "--json"), stdout=out, stderr=err, env=env
        )
        verdicts: list[tuple[int, str]] = []
        while importer.poll() is None:
            for command in ("list", "verify"):
                done = subprocess.run(
                    _cli(command, root), capture_output=True, text=True, env=env, check=False
                )
                verdicts.append((done.returncode, done.stdout + done.stderr))
        importer.wait(timeout=120)
    assert importer.returncode == 0, errors.read_text()
    outcome = json.loads(said.read_text())
    assert len(outcome["imported"]) == files
    assert outcome["failed"] == []
    assert len(verdicts) >= 4, "the import finished before the commands could race it; make it longer"
    assert all(code == 0 for code, _ in verdicts), [text for code, text in verdicts if code]
    with open_case(root, actor="tester") as reopened:
        assert len(_store(reopened)) == files
        assert verify_case(reopened).ok
    with raw_db(root) as conn:
        findings = [
            json.loads(row[0])["problems"]
            for row in conn.execute("SELECT after_json FROM custody_event WHERE action = 'fixity_check'")
        ]
    assert all(problems == [] for problems in findings)


def test_a_restored_database_stays_reported_until_a_person_accepts_it(
    case: Case, inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Work done after the restore must not move the recorded head past the gap and hide it."""
    import_paths(case, [filemaker.make_text_pdf(inbox / "early.pdf")])
    older = tmp_path / "older.sqlite"
    _backup(case, older)
    [later] = import_paths(case, [filemaker.make_text_pdf(tmp_path / "later.pdf", seed=7)]).imported
    root = case.root
    case.close()
    for suffix in ("-wal", "-shm"):
        (root / f"reviewer.sqlite{suffix}").unlink(missing_ok=True)
    shutil.copyfile(older, root / "reviewer.sqlite")

    # a day of work on the restored copy: more entries than the replaced log had
    for i in range(12):
        assert main(["tag", str(root), "1", f"t{i}"]) == 0
    assert main(["verify", str(root)]) == 1
    out = capsys.readouterr().out
    assert "the custody log was rewritten" in out or "the last entries were removed" in out
    assert "reviewer accept-restore CASE" in out

    assert main(["accept-restore", str(root)]) == 0
    assert "put back from an older copy" in capsys.readouterr().out
    assert main(["verify", str(root)]) == 1, "the original the restore forgot is still reported"
    out = capsys.readouterr().out
    assert f"originals/{later.sha256[:2]}/{later.sha256}" in out
    assert "custody log" not in out.split("PROBLEM", 1)[-1].split("\n")[0]
    assert main(["quarantine", str(root)]) == 0
    capsys.readouterr()
    assert main(["verify", str(root)]) == 0
    with raw_db(root) as conn:
        [(summary,)] = conn.execute("SELECT summary FROM custody_event WHERE action = 'restore_accepted'")
    assert "older copy" in summary
    assert main(["accept-restore", str(root)]) == 2, "nothing left to accept"
