"""The architecture holds: the core never imports Qt or a front end, layers point one way, code is typed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is part of the test extra; install with: pip install -e '.[test]'")
    return found


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def test_import_contracts() -> None:
    done = _run(_tool("lint-imports"), "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_core_is_strictly_typed() -> None:
    done = _run(_tool("mypy"), "--strict", "reviewer")
    assert done.returncode == 0, done.stdout + done.stderr


def test_lint() -> None:
    done = _run(_tool("ruff"), "check", "reviewer", "tests", "benchmarks", "resources", "docs", "packaging")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_work_at_import_time() -> None:
    """Importing the package opens no database, starts no process and touches no file."""
    code = (
        "import sys, threading, multiprocessing; import reviewer.cli, reviewer.core.services.importing; "
        "assert threading.active_count() == 1; assert not multiprocessing.active_children(); "
        "assert 'PySide6' not in sys.modules"
    )
    done = _run(sys.executable, "-c", code)
    assert done.returncode == 0, done.stderr
