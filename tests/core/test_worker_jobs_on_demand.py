"""The on-demand worker jobs crashing, hanging or eating memory: reading and OCR, region search, forensic
signals, the error-level overlay, a region's pixels, and the publication copy that carries redactions.

Each is one line for the file that misbehaved, and the rest goes on: the other documents are read,
searched, drawn or exported by the same call, and the next call works. The misbehaving jobs are those
of tests/core/test_worker_jobs.py, registered by name in place of the real ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from reviewer.core.domain.values import AnnotationKind, Rect
from reviewer.core.ingest.reading import OcrMode
from reviewer.core.services import documents, export, forensics, reading, region_search
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.export import ExportOptions, export_bundle
from reviewer.core.services.importing import import_paths
from reviewer.core.workers import registry
from reviewer.core.workers.jobs import JobFailed
from reviewer.core.workers.pool import Limits
from tests import forensics_files as ff
from tests.core.test_worker_jobs import MODES, _marked, _misbehave, _one_line, hostile

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ORIGIN = (420.0, 640.0)
HALF = 470 / 300 * 72 / 2 + 2  # half the stamp's side in points, with a little paper around it
STAMP = Rect(ORIGIN[0] - HALF, ORIGIN[1] - HALF, ORIGIN[0] + HALF, ORIGIN[1] + HALF)
ON_DEMAND = (registry.READ, registry.SIGNALS, registry.CLIP, registry.ELA, registry.REGION_SEARCH)
REAL = {name: registry.job(name) for name in ON_DEMAND}
# A 300 dpi scan's error levels or cleaned copy take a job without a beat several seconds on a busy machine.
# Memory: a region search's SIFT builds the scale space of a 2000-px page drawn at twice its size (~0.6 GiB
# of float images at once) in a worker of ~0.4 GiB: past 1 GiB, well within the services' 3 GiB.
LIMITS = Limits(stall_seconds=20.0, total_seconds=120.0, memory_bytes=2 << 30)


def _run_real(kind: str, task: Any, beat: Callable[[], None] | None) -> Any:
    mode = _marked(task)
    if mode is not None:
        _misbehave(mode, beat)
    real = REAL[kind]
    function = registry.load(real.target)
    return function(task, beat) if real.beat else function(task)


def read(task: Any, beat: Callable[[], None]) -> Any:
    """Reading (words, OCR), hostile on demand."""
    return _run_real(registry.READ, task, beat)


def signals(task: Any, beat: Callable[[], None]) -> Any:
    """Forensic signals on demand, hostile on demand."""
    return _run_real(registry.SIGNALS, task, beat)


def clip(task: Any) -> Any:
    """A region's pixels, hostile on demand."""
    return _run_real(registry.CLIP, task, None)


def ela(task: Any) -> Any:
    """The error-level overlay, hostile on demand."""
    return _run_real(registry.ELA, task, None)


def search(task: Any, beat: Callable[[], None]) -> Any:
    """Region search, hostile on demand."""
    return _run_real(registry.REGION_SEARCH, task, beat)


@pytest.fixture
def hostile_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """These jobs and the publication copy's, hostile on demand, with short limits, for this test."""
    module = __name__
    registry.register(registry.READ, f"{module}:read")
    registry.register(registry.SIGNALS, f"{module}:signals")
    registry.register(registry.CLIP, f"{module}:clip", beat=False)
    registry.register(registry.ELA, f"{module}:ela", beat=False)
    registry.register(registry.REGION_SEARCH, f"{module}:search")
    registry.register(registry.CLEAN, "tests.core.test_worker_jobs:clean", beat=False)
    monkeypatch.setattr(reading, "READ_LIMITS", LIMITS)
    monkeypatch.setattr(forensics, "ON_DEMAND_LIMITS", LIMITS)
    monkeypatch.setattr(region_search, "ON_DEMAND_LIMITS", LIMITS)
    monkeypatch.setattr(export, "EXPORT_LIMITS", LIMITS)
    try:
        yield
    finally:
        for name in (*ON_DEMAND, registry.CLEAN):
            registry.restore(name)


@pytest.fixture(scope="module")
def stamped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], str]:
    """A case of three stamped scans; ``bad``'s original marked hostile; a stamp annotated on ``good``.

    Returns the case folder, the documents' ids by name, and the stamp annotation's id.
    """
    root = tmp_path_factory.mktemp("on-demand")
    inbox = root / "inbox"
    inbox.mkdir()
    stamp, other = ff.ministry_stamp(), ff.other_round_stamp()
    files = {
        "good": ff.make_stamped_scan(inbox / "good.pdf", [ff.Placement(stamp, ORIGIN)], seed=1),
        "elsewhere": ff.make_stamped_scan(
            inbox / "elsewhere.pdf", [ff.Placement(stamp, (160, 300), 0.85, 4.0)], seed=2
        ),
        "bad": ff.make_stamped_scan(inbox / "bad.pdf", [ff.Placement(other, (200, 640))], seed=3),
    }
    with create_case(root / "case", title="t", actor="tester") as case:
        report = import_paths(case, list(files.values()))
        ids = {
            name: next(i.id for i in report.imported if i.path == str(path)) for name, path in files.items()
        }
        template = documents.add_annotation(case, ids["good"], page=1, rect=STAMP, note="ministry stamp")
        for name in ("good", "bad"):
            documents.add_annotation(
                case, ids[name], page=1, rect=Rect(50, 50, 200, 90), kind=AnnotationKind.REDACTION
            )
        stored = case.layout.original(next(s.sha256 for s in _summaries(case, [ids["bad"]])))
    # the case's original is read-only evidence; the test marks it as a hostile file would be
    os.chmod(stored, 0o644)
    hostile(stored)
    return root / "case", ids, template.id


def _summaries(case: Any, ids: list[int]) -> list[Any]:
    from reviewer.core.services.queries import summaries

    return summaries(case, ids)


def _mode(case_root: Path, mode: str) -> None:
    (case_root.parent / "worker-mode.txt").write_text(mode)


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_reading_a_document_whose_worker_misbehaves_fails_its_pages_only(
    stamped: tuple[Path, dict[str, int], str], mode: str, hostile_jobs: None
) -> None:
    root, ids, _ = stamped
    _mode(root, mode)
    with open_case(root) as case:
        report = reading.read_pages(
            case, [ids["good"], ids["elsewhere"], ids["bad"]], force=True, mode=OcrMode.NEVER, processes=2
        )
    assert report.pages == 3
    [failed] = report.failed
    assert failed.startswith(f"document {ids['bad']}, page 1: ")
    _one_line(failed, mode)


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_a_region_search_whose_worker_misbehaves_says_so_and_finds_the_rest(
    stamped: tuple[Path, dict[str, int], str], mode: str, hostile_jobs: None
) -> None:
    root, ids, template = stamped
    _mode(root, mode)
    failed: list[str] = []
    with open_case(root) as case:
        hits = region_search.find_region_elsewhere(case, template, processes=2, failed=failed)
    assert [(h.document_id, h.page) for h in hits] == [(ids["elsewhere"], 1)], failed
    [line] = failed
    assert line.startswith(f"document {ids['bad']}, page 1 could not be searched: ")
    _one_line(line, mode)


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_forensics_on_demand_whose_worker_misbehaves_is_one_error_and_the_next_call_works(
    stamped: tuple[Path, dict[str, int], str], mode: str, hostile_jobs: None
) -> None:
    root, ids, _ = stamped
    _mode(root, mode)
    box = (STAMP.x0, STAMP.y0, STAMP.x1, STAMP.y1)
    with open_case(root) as case:
        for ask in (
            lambda doc: forensics.ensure_forensics(case, doc, force=True),
            lambda doc: forensics.error_level_overlay(case, doc, 1),
            lambda doc: forensics.region_pixels(case, doc, 1, box, 72.0),
        ):
            with pytest.raises(JobFailed) as failed:
                ask(ids["bad"])
            _one_line(str(failed.value), mode)
            assert ask(ids["good"])  # the next job gets a worker of its own


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_a_redacted_copy_whose_worker_misbehaves_is_left_out_in_one_line(
    stamped: tuple[Path, dict[str, int], str], mode: str, hostile_jobs: None, tmp_path: Path
) -> None:
    root, ids, _ = stamped
    _mode(root, mode)
    with open_case(root) as case:
        report = export_bundle(case, tmp_path / "bundle", ExportOptions(redact=True))
    assert report.documents == 2
    assert set(report.redacted) == {ids["good"]}
    [line] = report.left_out  # said to the caller (and the command line), not only in report.html
    assert line.startswith(f"document {ids['bad']} could not be cleaned (")
    _one_line(line, mode)
    assert (tmp_path / "bundle" / "bagit.txt").is_file()


@pytest.mark.slow
def test_the_cli_says_one_line_for_each_page_whose_reading_worker_crashed(
    stamped: tuple[Path, dict[str, int], str], tmp_path: Path
) -> None:
    root, ids, _ = stamped
    _mode(root, "segv")
    script = textwrap.dedent(
        f"""
        import sys
        from reviewer.core.workers import registry
        registry.register(registry.READ, "{__name__}:read")
        from reviewer.cli import main
        sys.exit(main(["ocr", {str(root)!r}, "{ids["good"]}", "{ids["bad"]}", "--force", "--mode", "never"]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output, output
    assert "unexpected error" not in output, output
    [crashed] = [line for line in output.splitlines() if "SIGSEGV" in line]
    assert crashed.startswith(f"OCR failed  document {ids['bad']}, page 1: "), output
    assert "2 page(s) read" in output, output
