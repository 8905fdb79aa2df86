"""Every kind of worker job, crashing, hanging or eating memory: one line for that file, the rest goes on.

The misbehaving jobs are registered by name through the registry's public API, in place of the real
ones: each runs the real job, except on a file marked hostile (``HOSTILE`` at its end), where it
aborts, segfaults, hangs or eats memory as ``worker-mode.txt`` in a folder above the file says (a
file, so that fork-server and spawn workers see it alike).
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from reviewer.core.processes import StartMethodError, start_method
from reviewer.core.rendering.renderer import PageRenderer
from reviewer.core.rendering.requests import RenderedPage, RenderRequest
from reviewer.core.services import export, export_bag
from reviewer.core.services.case import create_case
from reviewer.core.services.export import ExportOptions, export_bundle
from reviewer.core.services.importing import ImportOptions, import_paths
from reviewer.core.workers import registry
from reviewer.core.workers.pool import Limits, WorkerPool
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


HOSTILE = b"\n%HOSTILE\n"
LIMITS = Limits(stall_seconds=5.0, total_seconds=60.0, memory_bytes=1 << 30)
MODES = ("abort", "segv", "hang", "memory")
REAL = {
    name: registry.job(name)
    for name in (registry.ANALYSE, registry.PIECES, registry.CLEAN, registry.RENDER, registry.INSPECT)
}


def hostile(path: Path) -> Path:
    """Mark a file hostile: readers ignore what follows a PDF's %%EOF or a JPEG's end."""
    with open(path, "ab") as handle:
        handle.write(HOSTILE)
    return path


def _marked(task: Any) -> str | None:
    for field in ("source", "path", "original"):
        value = getattr(task, field, None)
        if isinstance(value, str) and os.path.isfile(value):
            with open(value, "rb") as handle:
                handle.seek(max(0, os.path.getsize(value) - len(HOSTILE)))
                if handle.read() == HOSTILE:
                    return _mode(value)
    return None


def _mode(path: str) -> str:
    for folder in Path(path).parents:
        mode = folder / "worker-mode.txt"
        if mode.is_file():
            return mode.read_text().strip()
    return "abort"


def _misbehave(mode: str, beat: Callable[[], None] | None) -> None:
    if mode == "abort":
        os.abort()
    if mode == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    if mode == "hang":
        time.sleep(600)
    if mode == "memory":
        hoard = []
        while True:
            hoard.append(bytearray(64 << 20))
            if beat is not None:
                beat()


def _run_real(kind: str, task: Any, beat: Callable[[], None] | None) -> Any:
    real = REAL[kind]
    mode = _marked(task)
    if mode is not None:
        _misbehave(mode, beat)
    function = registry.load(real.target)
    return function(task, beat) if real.beat else function(task)


def analyse(task: Any, beat: Callable[[], None]) -> Any:
    """The import's job, hostile on demand."""
    return _run_real(registry.ANALYSE, task, beat)


def pieces(task: Any) -> Any:
    """The export's annotated-copy job, hostile on demand."""
    return _run_real(registry.PIECES, task, None)


def clean(task: Any) -> Any:
    """The publication copy's job, hostile on demand."""
    return _run_real(registry.CLEAN, task, None)


def render(task: Any) -> Any:
    """The page renderer's job, hostile on demand."""
    return _run_real(registry.RENDER, task, None)


def inspect(task: Any, beat: Callable[[], None]) -> Any:
    """check-publication's job, hostile on demand."""
    return _run_real(registry.INSPECT, task, beat)


@pytest.fixture
def hostile_jobs() -> Iterator[None]:
    """Register the hostile-on-demand jobs in place of the real ones, for this test."""
    module = __name__
    registry.register(registry.ANALYSE, f"{module}:analyse")
    registry.register(registry.PIECES, f"{module}:pieces", beat=False)
    registry.register(registry.CLEAN, f"{module}:clean", beat=False)
    registry.register(registry.RENDER, f"{module}:render", beat=False)
    registry.register(registry.INSPECT, f"{module}:inspect")
    try:
        yield
    finally:
        for name in REAL:
            registry.restore(name)


def _setup(tmp_path: Path, mode: str) -> tuple[Path, Path]:
    (tmp_path / "worker-mode.txt").write_text(mode)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = filemaker.make_text_pdf(inbox / "good.pdf", seed=1)
    bad = filemaker.make_text_pdf(inbox / "bad.pdf", seed=2)
    return good, bad


def _one_line(message: str | None, mode: str) -> None:
    assert message is not None
    assert "\n" not in message
    assert "Traceback" not in message
    expected = {
        "abort": "SIGABRT",
        "segv": "SIGSEGV",
        "hang": "no progress",
        "memory": "memory",
    }[mode]
    assert expected in message, message


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_an_import_job_that_misbehaves_refuses_that_file_only(
    tmp_path: Path, mode: str, hostile_jobs: None
) -> None:
    good, bad = _setup(tmp_path, mode)
    hostile(bad)
    with create_case(tmp_path / "case", title="t", actor="tester") as case:
        report = import_paths(case, [good, bad], ImportOptions(limits=LIMITS))
    assert [i.path for i in report.imported] == [str(good)]
    [failed] = report.failed
    assert failed.path == str(bad)
    _one_line(failed.error, mode)


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("redact", [False, True], ids=["evidence", "publication"])
def test_an_export_job_that_misbehaves_fails_that_document_only(
    tmp_path: Path, mode: str, redact: bool, hostile_jobs: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad = _setup(tmp_path, mode)
    monkeypatch.setattr(export, "EXPORT_LIMITS", LIMITS)
    with create_case(tmp_path / "case", title="t", actor="tester") as case:
        import_paths(case, [good, bad])
        [stored] = [p for p in case.layout.iter_originals() if p.read_bytes() == bad.read_bytes()]
        # the case's original is read-only evidence; the test marks it as a hostile file would be
        os.chmod(stored, 0o644)
        hostile(stored)
        monkeypatch.setattr(export_bag, "check_fixity", lambda detail, digest: None)
        report = export_bundle(case, tmp_path / "bundle", ExportOptions(redact=redact))
    assert (tmp_path / "bundle" / "bagit.txt").is_file()
    if redact:  # left out of a publication bundle, and said so in its report
        assert report.documents == 1
        said = (tmp_path / "bundle" / "data" / "report.html").read_text()
        [line] = [part for part in said.split("<") if "could not be cleaned" in part]
        _one_line(line, mode)
    else:
        assert report.documents == 2
        [problem] = report.problems
        [missing] = problem.missing
        _one_line(missing, mode)


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_a_check_publication_job_that_misbehaves_is_one_finding(
    tmp_path: Path, mode: str, hostile_jobs: None
) -> None:
    from reviewer.core.services.publication import check_publication

    good, bad = _setup(tmp_path, mode)
    bag = tmp_path / "bag"
    (bag / "data").mkdir(parents=True)
    (bag / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    for name, source in (("good.pdf", good), ("bad.pdf", bad)):
        (bag / "data" / name).write_bytes(source.read_bytes())
    hostile(bag / "data" / "bad.pdf")
    import hashlib

    (bag / "manifest-sha256.txt").write_text(
        "".join(
            f"{hashlib.sha256((bag / 'data' / n).read_bytes()).hexdigest()}  data/{n}\n"
            for n in ("good.pdf", "bad.pdf")
        )
    )
    findings = check_publication(bag, limits=LIMITS)
    flagged = [f.line() for f in findings if f.file.endswith("bad.pdf")]
    assert flagged, findings
    assert all("\n" not in line for line in flagged)
    assert not [f for f in findings if f.file.endswith("good.pdf") and "could not" in f.line()]


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_a_render_job_that_misbehaves_fails_that_page_and_the_renderer_goes_on(
    tmp_path: Path, mode: str, hostile_jobs: None
) -> None:
    good, bad = _setup(tmp_path, mode)
    hostile(bad)
    results: deque[RenderedPage] = deque()
    renderer = PageRenderer(results.append, processes=1, limits=LIMITS)
    try:
        renderer.request(RenderRequest(str(bad), 1, 0.5))
        deadline = time.monotonic() + 120
        while not results and time.monotonic() < deadline:
            time.sleep(0.05)
        renderer.request(RenderRequest(str(good), 1, 0.5))
        while len(results) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        renderer.close()
    failed, drawn = results
    assert failed.error is not None
    assert "\n" not in failed.error
    assert drawn.error is None
    assert drawn.width > 0


@pytest.mark.slow
def test_the_cli_says_one_line_when_an_export_worker_crashes(tmp_path: Path) -> None:
    good, bad = _setup(tmp_path, "segv")
    root = Path(__file__).resolve().parents[2]
    script = textwrap.dedent(
        f"""
        import os, sys
        from pathlib import Path
        from reviewer.core.workers import registry
        from tests.core.test_worker_jobs import hostile
        registry.register(registry.PIECES, "tests.core.test_worker_jobs:pieces", beat=False)
        from reviewer.cli import main
        case = {str(tmp_path / "case")!r}
        assert main(["init", case, "--title", "t"]) == 0
        assert main(["import", case, {str(good)!r}, {str(bad)!r}]) == 0
        bad = Path({str(bad)!r}).read_bytes()
        [stored] = [p for p in Path(case, "originals").rglob("*") if p.is_file() and p.read_bytes() == bad]
        os.chmod(stored, 0o644)
        hostile(stored)
        from reviewer.core.services import export_bag
        export_bag.check_fixity = lambda detail, digest: None
        sys.exit(main(["export", case, {str(tmp_path / "bundle")!r}]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=600, check=False
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    assert "unexpected error" not in output, output
    crashed = [line for line in output.splitlines() if "SIGSEGV" in line]
    assert len(crashed) == 1, output
    assert (tmp_path / "bundle" / "bagit.txt").is_file()


def test_jobs_are_registered_by_name_and_must_be_module_level() -> None:
    assert registry.job(registry.PIECES).target == "reviewer.core.bundles.pieces:make_pieces"
    with pytest.raises(LookupError):
        registry.job("no-such-job")
    with pytest.raises(ValueError, match="module:function"):
        registry.register("test-bad", "not a target")
    with pytest.raises(ValueError, match="module-level"):
        registry.job_of(lambda task, beat: task)

    def inner(task: object, beat: object) -> object:
        return task

    with pytest.raises(ValueError, match="module-level"):
        registry.job_of(inner)
    registry.register("test-refuse", "tests.core.test_workers:misbehave")
    try:
        with WorkerPool[str, str]("test-refuse", processes=1, limits=LIMITS) as pool:
            [outcome] = pool.run(deque(["refuse"]))
        assert outcome.error == "refused in plain words"
    finally:
        registry.restore("test-refuse")
    with pytest.raises(LookupError):
        registry.job("test-refuse")


def test_every_job_is_importable_by_name() -> None:
    for name in (
        registry.ANALYSE,
        registry.READ,
        registry.SIGNALS,
        registry.CLIP,
        registry.ELA,
        registry.REGION_SEARCH,
        registry.INSPECT,
        registry.RENDER,
        registry.PIECES,
        registry.CLEAN,
    ):
        assert callable(registry.load(registry.job(name).target)), name
    assert callable(registry.load(registry.INITIALISER))
    for module in registry.modules():
        importlib.import_module(module)


def test_the_window_and_the_services_do_not_load_pymupdf(tmp_path: Path) -> None:
    """The window's process: PyMuPDF only in its workers (import-linter checks the imports; this, the
    modules as Python loads them)."""
    script = textwrap.dedent(
        """
        import sys
        import reviewer.core.services.export, reviewer.core.services.importing
        import reviewer.core.services.reading, reviewer.core.services.forensics
        import reviewer.core.services.publication, reviewer.core.services.unlock
        import reviewer.core.services.region_search, reviewer.core.rendering.renderer
        import reviewer.core.workers.jobs, reviewer.ui.main_window, reviewer.ui.export_dialog, reviewer.ui.app
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pymupdf", "fitz"))
        print(loaded)
        """
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_the_start_method_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEWER_START_METHOD", "spawn")
    assert start_method() == "spawn"
    monkeypatch.setenv("REVIEWER_START_METHOD", "fork")
    with pytest.raises(StartMethodError, match="REVIEWER_START_METHOD='fork'"):
        start_method()
    monkeypatch.delenv("REVIEWER_START_METHOD")
    assert start_method() == ("forkserver" if sys.platform.startswith("linux") else "spawn")


def test_annot_update_runs_a_busy_loop_that_annotating_skips(tmp_path: Path) -> None:
    """Why annotated.py works around Annot.update_timing_test: update() calls it for every annotation
    (a Python loop of 30,000 additions); annotate() skips it, and leaves PyMuPDF as it found it."""
    import pymupdf

    from reviewer.core.bundles import annotated

    if "update_timing_test" not in pymupdf.Annot.__dict__:
        pytest.skip("this PyMuPDF has no update_timing_test: nothing to work around")
    original = pymupdf.Annot.__dict__["update_timing_test"]
    calls: list[int] = []
    monkey = pytest.MonkeyPatch()
    monkey.setattr(pymupdf.Annot, "update_timing_test", staticmethod(lambda: calls.append(1) or 0))
    try:
        doc = pymupdf.open()
        page = doc.new_page()
        page.add_rect_annot(pymupdf.Rect(10, 10, 50, 50)).update()
        assert calls == [1]  # the loop runs on every update()
        counted = pymupdf.Annot.__dict__["update_timing_test"]
        with annotated._without_update_timing_test():
            page.add_rect_annot(pymupdf.Rect(60, 60, 90, 90)).update()
        assert calls == [1]  # skipped while annotating
        assert pymupdf.Annot.__dict__["update_timing_test"] is counted  # and put back
    finally:
        monkey.undo()
    assert pymupdf.Annot.__dict__["update_timing_test"] is original


def test_the_fork_server_loads_what_starts_most_work_and_no_more() -> None:
    """Every import waits for the fork server: it loads the analysis, reading and rendering jobs and
    Pillow's plugins (else each worker imports them on its first file), not OpenCV or the bundle
    writers (~0.1 s later with them; a worker imports those on its first task of theirs)."""
    script = textwrap.dedent(
        """
        import json, sys
        import reviewer.core.workers.preload
        print(json.dumps(sorted(sys.modules)))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout))
    for name in registry.PRELOADED:
        assert registry.job(name).module in loaded, name
    assert {"pymupdf", "PIL.PngImagePlugin", "PIL.JpegImagePlugin"} <= loaded
    assert {"reviewer.core.text.dates", "reviewer.core.text.money"} <= loaded  # the analysis finds entities
    assert "cv2" not in loaded
    assert not any(m.startswith("reviewer.core.bundles.") for m in loaded)
    assert registry.job(registry.REGION_SEARCH).module not in loaded
