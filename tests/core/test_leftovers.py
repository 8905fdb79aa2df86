"""A killed command leaves nothing running and no copies of evidence behind; bundles never go in a case.

Real processes, killed with SIGKILL: each command is started in a session of its own, so every process
it ever started (fork server, resource tracker, workers, Tesseract) is found by its session id in /proc
whoever its parent has become since.
"""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reviewer.cli import main
from reviewer.core.domain.values import AnnotationKind, Rect
from reviewer.core.services import documents, importing
from reviewer.core.services.case import create_case
from reviewer.core.workers.pool import Limits, WorkerPool
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Callable

CLI = [sys.executable, "-m", "reviewer"]
GONE_WITHIN = 10.0  # seconds the brief allows for everything to end after the kill
WAIT_FOR_WORK = 120.0  # generous: the machine is shared


def hog(task: str, beat: Callable[[], None]) -> str:
    """A worker task that never ends: stuck in C code holding the GIL (as PyMuPDF on a hostile page),
    or waiting for a child process of its own (as for Tesseract), whose pid goes to the file named."""
    if task.startswith("child:"):
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        Path(task.removeprefix("child:")).write_text(str(child.pid))
        child.wait()
    if task == "warm":
        return task  # the worker has imported this module: what follows is timed from a warm start
    return str(sum(range(10**13)))


# -- processes, from /proc ----------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, str, int, int] | None:
    """(parent, state, session, start time) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], int(fields[3]), int(fields[19])


def _processes() -> dict[int, tuple[int, str, int, int]]:
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (info := _stat(int(entry))) is not None and info[1] not in "ZX":
            found[int(entry)] = info
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _session(sid: int) -> dict[int, str]:
    """Live processes of a session (zombies do not count), with their command lines."""
    return {pid: _cmdline(pid) for pid, info in _processes().items() if info[2] == sid}


def _grandchildren(pid: int) -> list[int]:
    """The workers of a command: the children of its children (the fork server's)."""
    table = _processes()
    children = {p for p, info in table.items() if info[0] == pid}
    return [p for p, info in table.items() if info[0] in children]


def _start(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )


def _wait_for(proc: subprocess.Popen[bytes], ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_FOR_WORK
    while not ready():
        if proc.poll() is not None:
            out = proc.communicate()
            pytest.fail(f"the command ended (exit {proc.returncode}) before {what}: {out!r}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"no {what} after {WAIT_FOR_WORK:g} s")
        time.sleep(0.01)


def _family(proc: subprocess.Popen[bytes]) -> dict[int, int]:
    """The live processes of the command's session, with their start times."""
    return {p: info[3] for p, info in _processes().items() if info[2] == proc.pid}


def _kill_and_check(proc: subprocess.Popen[bytes], family: dict[int, int] | None = None) -> None:
    """SIGKILL the command; then everything it started must end and its stdout and stderr reach EOF.

    ``family``: the processes seen when the command was caught at work (taken then, because work that
    ends quickly on a fast machine may be over a moment later); by default, those alive now.
    """
    family = family or _family(proc)
    assert len(family) > 1, "the command had started no other process yet"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.stdout is not None
    assert proc.stderr is not None
    # The pipes: read until both reach EOF; a process still holding one keeps it open.
    open_pipes = {proc.stdout.fileno(): "stdout", proc.stderr.fileno(): "stderr"}
    deadline = time.monotonic() + GONE_WITHIN
    with selectors.DefaultSelector() as selector:
        for fd in open_pipes:
            selector.register(fd, selectors.EVENT_READ)
        while open_pipes and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=max(0.0, deadline - time.monotonic())):
                fd = int(key.fd)
                if not os.read(fd, 65536):
                    selector.unregister(fd)
                    del open_pipes[fd]
    proc.stdout.close()
    proc.stderr.close()
    left = _session(proc.pid)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = _session(proc.pid)
    assert not left, f"still running {GONE_WITHIN:g} s after the kill: {left}"
    survivors = [
        p for p, start in family.items() if (info := _stat(p)) and info[3] == start and info[1] != "Z"
    ]
    assert not survivors, {p: _cmdline(p) for p in survivors}
    assert not open_pipes, f"{sorted(open_pipes.values())} of the killed command still open"


def _claims_left(case_root: Path) -> list[str]:
    return sorted(p.name for p in (case_root / "staging").iterdir() if p.name != ".lock")


# -- the cases ----------------------------------------------------------------------------------------


def _scans(folder: Path, count: int = 30, pages: int = 2) -> Path:
    folder.mkdir()
    for i in range(count):
        filemaker.make_scanned_pdf(folder / f"scan-{i:02d}.pdf", pages=pages, dpi=150, seed=i)
    return folder


@pytest.fixture(scope="module")
def scanned_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 imported two-page scans, two redactions on each: an export with --redact takes seconds."""
    base = tmp_path_factory.mktemp("scanned")
    inbox = _scans(base / "inbox")
    with create_case(base / "case", title="Scans", actor="tester") as case:
        report = importing.import_paths(case, [inbox])
        assert len(report.imported) == 30
        for item in report.imported:
            for page in (1, 2):
                documents.add_annotation(
                    case, item.id, page=page, rect=Rect(50, 50, 300, 200), kind=AnnotationKind.REDACTION
                )
    return base / "case"


def _run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=300, check=False)


# -- killed commands ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_killed_export_leaves_no_process_no_open_pipe_and_no_copies(
    scanned_case: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bundle"
    proc = _start([*CLI, "export", str(scanned_case), str(out), "--redact"], tmp_path)
    _wait_for(
        proc,
        lambda: (
            any(p.name.startswith(".reviewer-export-") for p in tmp_path.iterdir())
            and len(_grandchildren(proc.pid)) > 0
        ),
        "export workers and scratch folder",
    )
    _kill_and_check(proc)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".reviewer-export-")], "test too slow"

    listed = _run_cli("list", scanned_case)
    assert listed.returncode == 0, listed.stderr
    assert list(tmp_path.iterdir()) == [], "the scratch folder (copies of originals) or the bundle remain"
    assert _claims_left(scanned_case) == []


@pytest.mark.slow
def test_a_killed_import_leaves_no_process_and_no_claim(tmp_path: Path) -> None:
    inbox = _scans(tmp_path / "inbox")
    assert _run_cli("init", tmp_path / "case").returncode == 0
    proc = _start([*CLI, "import", str(tmp_path / "case"), str(inbox)], tmp_path)
    _wait_for(proc, lambda: len(_grandchildren(proc.pid)) > 0, "import workers")
    _kill_and_check(proc)

    listed = _run_cli("list", tmp_path / "case")
    assert listed.returncode == 0, listed.stderr
    assert _claims_left(tmp_path / "case") == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (CI has it)")
def test_a_killed_ocr_leaves_no_tesseract_running(tmp_path: Path) -> None:
    # Killed while Tesseract reads a page: the worker and Tesseract must end with the command.
    inbox = _scans(tmp_path / "inbox", count=2, pages=20)
    with create_case(tmp_path / "case", title="OCR", actor="tester") as case:
        importing.import_paths(case, [inbox])
    proc = _start([*CLI, "ocr", str(tmp_path / "case"), "--languages", "eng"], tmp_path)
    at_work: dict[int, int] = {}

    def tesseract_running() -> bool:
        family = _family(proc)
        if any("tesseract" in _cmdline(p).split(" ", 1)[0] for p in family):
            at_work.update(family)
            return True
        return False

    _wait_for(proc, tesseract_running, "Tesseract process")
    _kill_and_check(proc, at_work)


@pytest.mark.slow
def test_busy_workers_and_their_children_end_with_their_program(tmp_path: Path) -> None:
    child = tmp_path / "child.pid"
    script = textwrap.dedent(
        f"""
        from collections import deque
        from reviewer.core.workers.pool import Limits, WorkerPool
        from tests.core.test_leftovers import hog

        with WorkerPool(hog, processes=2, limits=Limits(stall_seconds=3600)) as pool:
            for _ in pool.run(deque(["gil", "child:{child}"])):
                pass
        """
    )
    root = Path(__file__).resolve().parents[2]
    proc = _start([sys.executable, "-c", script], root)
    _wait_for(proc, lambda: len(_grandchildren(proc.pid)) >= 2 and child.exists(), "two busy workers")
    time.sleep(0.5)  # the GIL hog well into its sum
    _kill_and_check(proc)


@pytest.mark.slow
def test_a_stalled_worker_is_stopped_with_the_processes_it_started(tmp_path: Path) -> None:
    child = tmp_path / "child.pid"
    with WorkerPool(hog, processes=1, limits=Limits(stall_seconds=120)) as pool:
        (warm,) = pool.run(deque(["warm"]))
        assert warm.result == "warm"
        pool.limits = Limits(stall_seconds=1.0)
        (outcome,) = pool.run(deque([f"child:{child}"]))
    assert "made no progress" in (outcome.error or "")
    pid = int(child.read_text())
    deadline = time.monotonic() + GONE_WITHIN
    while (info := _stat(pid)) is not None and info[1] != "Z" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert info is None or info[1] == "Z", f"the worker's child {pid} outlived it: {_cmdline(pid)}"


@pytest.mark.slow
def test_page_renderer_workers_end_with_their_program(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import time
        from reviewer.core.rendering.renderer import PageRenderer

        renderer = PageRenderer(lambda page: None, processes=2)
        time.sleep(600)
        """
    )
    proc = _start([sys.executable, "-c", script], tmp_path)
    _wait_for(proc, lambda: len(_grandchildren(proc.pid)) >= 2, "two render workers")
    _kill_and_check(proc)


# -- bundles never go inside a case -------------------------------------------------------------------


@pytest.fixture
def small_case(tmp_path: Path) -> Path:
    root = tmp_path / "case"
    with create_case(root, title="Small", actor="tester") as case:
        pdf = filemaker.make_text_pdf(tmp_path / "note.pdf")
        assert importing.import_paths(case, [pdf]).imported
    (tmp_path / "note.pdf").unlink()
    return root


def _tree(root: Path) -> set[str]:
    return {
        str(Path(folder, name).relative_to(root))
        for folder, dirs, files in os.walk(root)
        for name in dirs + files
        if not name.startswith("reviewer.sqlite")
    }


@pytest.mark.parametrize(
    "where",
    [
        "case/staging/x",
        "case/originals/x",
        "case/derived/x",
        "case/x",
        "case/deeper/still/x",
        "case",
        "case/",
        "elsewhere/../case/staging/x",
        "into-case/staging/x",  # a symlink to the case folder
        "other/staging/x",  # another case's folders
        "other/originals/x",
    ],
)
def test_an_export_into_a_case_is_refused_before_anything_is_written(
    small_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "into-case").symlink_to(small_case)
    assert main(["init", str(tmp_path / "other")]) == 0
    assert main(["list", str(small_case)]) == 0  # opened once: what an open writes is written now
    capsys.readouterr()
    before = _tree(tmp_path)

    code = main(["export", str(small_case), str(tmp_path / where)])

    err = capsys.readouterr().err
    assert code == 2, err
    assert "inside the case folder" in err
    assert len(err.strip().splitlines()) == 1
    assert _tree(tmp_path) == before


def test_an_export_beside_the_case_is_allowed(
    small_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(small_case), str(tmp_path / "casebundle")]) == 0
    assert (tmp_path / "casebundle" / "bagit.txt").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".reviewer-")]
    assert _claims_left(small_case) == []
