"""Every job a worker can do, by name: the name a service submits, the ``module:function`` that does it.

The parent process only ever handles the names and the plain task records; the module that does
the work (and PyMuPDF with it) is imported in the worker. A job function takes ``(task, beat)`` and
calls ``beat()`` when it makes progress, or takes ``(task)`` alone when it registers with
``beat=False`` (such a job must finish within the stall limit). Under the spawn start method every
target must be importable by name in a fresh interpreter: a module-level function, never a lambda or
a closure.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass
from typing import Any

ANALYSE = "analyse"  # read one file being imported
READ = "read"  # words and OCR of some pages
SIGNALS = "forensic-signals"
CLIP = "forensic-clip"  # the pixels of a region of a page
ELA = "forensic-ela"  # an error-level picture
COPY_MOVE = "forensic-copy-move"  # regions of one page that are copies of each other
REGION_SEARCH = "region-search"
REGION_FEATURES = "region-features"  # a document's pages' region-search keypoints, kept ahead
REGION_TEMPLATE = "region-template"  # an annotated region as region search sees it
UNWARP = "region-unwarp"  # a found region brought back onto the template's size, turn and slant
INSPECT = "inspect"  # check-publication: the traces in one file of a bag
RENDER = "render"  # a page drawn for the window
PIECES = "export-pieces"  # an export's annotated copy and pictures of one document
CLEAN = "export-clean"  # a publication copy: redacted, cleaned, annotated

#: What configures a worker before its first job.
INITIALISER = "reviewer.core.workers.mupdf:configure"


@dataclass(frozen=True, slots=True)
class Job:
    """Where a job's function is (``module:function``), and whether it takes a ``beat``."""

    target: str
    beat: bool = True

    @property
    def module(self) -> str:
        """The module the worker imports."""
        return self.target.partition(":")[0]


_lock = threading.Lock()
_jobs: dict[str, Job] = {
    ANALYSE: Job("reviewer.core.ingest.analyse:analyse_file"),
    READ: Job("reviewer.core.ingest.read_page:read_pages"),
    SIGNALS: Job("reviewer.core.ingest.forensic_work:signals"),
    CLIP: Job("reviewer.core.ingest.forensic_work:clip", beat=False),
    ELA: Job("reviewer.core.ingest.pixel_work:ela", beat=False),
    COPY_MOVE: Job("reviewer.core.ingest.pixel_work:copy_move", beat=False),
    REGION_SEARCH: Job("reviewer.core.ingest.forensic_work:region_search"),
    REGION_FEATURES: Job("reviewer.core.ingest.forensic_work:region_features"),
    REGION_TEMPLATE: Job("reviewer.core.ingest.forensic_work:region_template_pixels", beat=False),
    UNWARP: Job("reviewer.core.ingest.forensic_work:unwarp_region", beat=False),
    INSPECT: Job("reviewer.core.forensics.inspect_job:inspect_file"),
    RENDER: Job("reviewer.core.rendering.worker:render", beat=False),
    PIECES: Job("reviewer.core.bundles.pieces:make_pieces", beat=False),
    CLEAN: Job("reviewer.core.bundles.cleaned:clean_for_publication", beat=False),
}
_builtin = dict(_jobs)


def register(name: str, target: str, *, beat: bool = True) -> None:
    """Name a job (or name another function for an existing one): ``target`` is ``module:function``.

    Pools started afterwards run ``target`` for ``name``; a worker imports it on its first task.
    """
    module, colon, function = target.partition(":")
    if not (module and colon and function.isidentifier()):
        raise ValueError(f"a job's target is 'module:function', not {target!r}")
    with _lock:
        _jobs[name] = Job(target, beat)


def restore(name: str) -> None:
    """Undo :func:`register` for ``name``: reviewer's own job again, or no job of that name."""
    with _lock:
        if name in _builtin:
            _jobs[name] = _builtin[name]
        else:
            _jobs.pop(name, None)


def job(name: str) -> Job:
    """The job registered as ``name``."""
    with _lock:
        found = _jobs.get(name)
    if found is None:
        raise LookupError(f"no worker job is registered as {name!r}")
    return found


def job_of(function: Any, *, beat: bool = True) -> Job:
    """The job for a module-level function given itself (tests and benchmarks pass functions)."""
    module, name = getattr(function, "__module__", None), getattr(function, "__qualname__", "")
    if not module or not name.isidentifier():  # a lambda, a closure or a method
        raise ValueError(f"a worker job must be a module-level function, not {function!r}")
    return Job(f"{module}:{name}", beat)


#: The jobs whose modules a fork server loads before its first fork: those that start most work and
#: whose first task someone waits for (an import's analysis, reading, a page drawn for the window).
#: Loading every job's module (OpenCV, the bundle writers) made the fork server ~0.1 s later, and
#: every import waits for it; the others load in a worker on its first task of theirs (~10-30 ms).
PRELOADED = (ANALYSE, READ, RENDER)


def modules(names: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The initialiser's module and those of the jobs ``names`` (every registered job by default)."""
    with _lock:
        jobs = list(_jobs.values()) if names is None else [_jobs[n] for n in names if n in _jobs]
        targets = [INITIALISER.partition(":")[0]] + [j.module for j in jobs]
    return tuple(dict.fromkeys(targets))


def load(target: str) -> Any:
    """Import ``module:function`` and return the function (in the worker)."""
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)
