"""Three real processes import, annotate and verify one case, then each is killed at a random moment.

Afterwards the case must be whole: `verify` clean, SQLite's integrity check clean, every document and
annotation a process saw committed is there, nothing is there twice, and no debris is left.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import import_paths
from tests import filemaker

ROOT = Path(__file__).resolve().parents[2]
SECONDS = float(os.environ.get("REVIEWER_STRESS_SECONDS", "60"))


def _messy_folders(base: Path) -> list[Path]:
    """Folders of mixed files: born-digital, scans, TIFF, a phone photo with GPS, damaged, odd names."""
    folders = []
    for batch in range(6):
        folder = base / f"batch-{batch}"
        folder.mkdir(parents=True)
        for i in range(6):
            filemaker.make_text_pdf(folder / f"note {batch}-{i} №45.pdf", pages=2, seed=batch * 10 + i)
        folders.append(folder)
    filemaker.make_scanned_pdf(folders[1] / "scan.pdf", pages=1)
    filemaker.make_tiff(folders[2] / "passport.tiff", pages=2)
    filemaker.make_jpeg_with_exif(folders[3] / "IMG_0042.jpg")
    filemaker.make_truncated_pdf(folders[4] / "truncated.pdf")
    filemaker.make_encrypted_pdf(folders[5] / "locked.pdf")
    return folders


def _lines(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (workers, the fork server, the resource tracker)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(") ", 1)[-1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return {p for p in found if _alive(p)}


@pytest.mark.slow
def test_three_processes_then_kill_9_lose_nothing_and_double_nothing(tmp_path: Path) -> None:
    folders = _messy_folders(tmp_path / "inbox")
    root = tmp_path / "case"
    with create_case(root, actor="tester") as case:
        import_paths(case, [folders[0]])  # something to annotate from the start
    logs = {role: tmp_path / f"{role}.log" for role in ("importer", "annotator", "verifier")}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    errors = contextlib.ExitStack()
    processes = {
        role: subprocess.Popen(
            [sys.executable, "-m", "tests.stress_roles", role, str(root), str(log)]
            + ([str(f) for f in folders[1:]] if role == "importer" else []),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors.enter_context(open(tmp_path / f"{role}.err", "wb")),  # noqa: SIM115
        )
        for role, log in logs.items()
    }
    rng = random.Random(int(os.environ.get("REVIEWER_STRESS_SEED", "0")) or None)
    kill_at = {role: rng.uniform(SECONDS / 2, SECONDS) for role in processes}
    started = time.monotonic()
    left_behind: set[int] = set()
    try:
        while kill_at:
            now = time.monotonic() - started
            for role, when in list(kill_at.items()):
                process = processes[role]
                assert process.poll() is None, (
                    f"the {role} stopped by itself: "
                    + (tmp_path / f"{role}.err").read_text(errors="replace")[-2000:]
                )
                if now >= when:
                    left_behind |= _descendants(process.pid)
                    process.send_signal(signal.SIGKILL)
                    process.wait(10)
                    del kill_at[role]
            time.sleep(0.05)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait(10)
        errors.close()

    imported = {
        line.split()[1] for line in _lines(logs["importer"]) if line.startswith(("imported", "known"))
    }
    annotations = [line.split()[1] for line in _lines(logs["annotator"]) if line.startswith("annotation")]
    verdicts = [line for line in _lines(logs["verifier"]) if line.startswith("verify")]
    assert len(imported) >= 6, "the importer had time to import"
    assert len(annotations) >= 6, "the annotator had time to annotate"
    assert verdicts, "the verifier had time to verify"
    assert [v for v in verdicts if v != "verify ok"] == [], "verify saw a problem while the others worked"

    deadline = time.monotonic() + 15
    while any(_alive(p) for p in left_behind) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in left_behind if _alive(p)], "no worker outlives the process that started it"

    with open_case(root, actor="tester") as case:
        report = verify_case(case)
        assert report.ok, [p.problem for p in report.problems]
        assert case.db.integrity_check() == "ok"
        assert list(case.layout.staging.iterdir()) == [], "the dead processes' staging was cleared"
    conn = sqlite3.connect(root / "reviewer.sqlite")
    try:
        shas = [row[0] for row in conn.execute("SELECT sha256 FROM document")]
        assert len(shas) == len(set(shas)), "no document twice"
        assert imported <= set(shas), "every document the importer saw committed is there"
        stored = {p.name for p in (root / "originals").rglob("*") if p.is_file()}
        assert stored == set(shas), "every original recorded, every record with its original"
        pages = conn.execute(
            "SELECT count(*) FROM document d "
            "WHERE d.page_count != (SELECT count(*) FROM page p WHERE p.document_id = d.id)"
        ).fetchone()[0]
        assert pages == 0, "every document has all its pages"
        ids = [row[0] for row in conn.execute("SELECT id FROM annotation")]
        assert len(ids) == len(set(ids))
        assert set(annotations) <= set(ids), "every annotation the annotator saw committed is there"
        assert len(ids) <= len(annotations) + 1, "at most the one being made at the kill is unlogged"
        problems = conn.execute("PRAGMA integrity_check").fetchall()
        assert problems == [("ok",)]
    finally:
        conn.close()
