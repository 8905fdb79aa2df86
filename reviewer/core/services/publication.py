"""``reviewer check-publication BUNDLE``: everything in a bag that could identify a source.

Works on any BagIt bag, folder or zip (opened with the same safe reader as ``reviewer verify``).
Each file is inspected in a worker process, bounded in time and memory like an import, since a
bag from elsewhere may hold hostile files; a file that cannot be inspected is itself a finding.
Text files are searched last, for the names the other files gave up (authors, accounts, received
file names).
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.core.bundles.bagit import BagLimits, open_bag
from reviewer.core.bundles.publication import (
    ORIGINALS,
    Finding,
    is_structure,
    name_findings,
    original_findings,
    payload_names,
    read_facts,
)
from reviewer.core.forensics.traces_file import FileTask, FileTraces, sniff
from reviewer.core.workers.pool import Limits, WorkerPool
from reviewer.core.workers.registry import INSPECT

if TYPE_CHECKING:
    from collections.abc import Callable

CHECK_LIMITS = Limits(stall_seconds=60.0, total_seconds=900.0, memory_bytes=3 << 30)


def check_publication(
    bundle: Path,
    *,
    processes: int | None = None,
    limits: Limits | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Finding]:
    """Every finding in the bag at ``bundle``, bag-level ones first, then file by file.

    Raises :class:`~reviewer.core.bundles.bagit.BagError` for a bag that cannot be opened safely.
    """
    with open_bag(Path(bundle), limits=BagLimits()) as root:
        names = payload_names(root)
        facts, findings = read_facts(root, names)
        kinds = {name: _kind(root / name, name) for name in names}
        first = [name for name in names if kinds[name] != "text"]
        results, failures = _inspect(root, first, (), processes, limits, progress, (0, len(names)))
        needles = tuple(dict.fromkeys(n for r in results.values() for n in r.names if len(n) >= 4))
        rest = [name for name in names if kinds[name] == "text"]
        more, more_failures = _inspect(
            root, rest, needles, processes, limits, progress, (len(first), len(names))
        )
        results.update(more)
        failures.update(more_failures)
    findings += original_findings(names, facts)
    findings += _shared_ids(results)
    known = [n for r in results.values() for n in r.names]
    findings += name_findings(names, known)
    for name in names:
        if name in failures:
            findings.append(Finding(name, "uninspectable", f"cannot be inspected: {failures[name]}"))
        result = results.get(name)
        if result is not None:
            findings.extend(Finding(name, kind, detail) for kind, detail in result.traces)
    order = {name: i for i, name in enumerate(names)}
    return sorted(findings, key=lambda f: (order.get(f.file, -1) if not is_structure(f.file) else -1, f.file))


def _kind(path: Path, name: str) -> str:
    try:
        with open(path, "rb") as handle:
            return sniff(handle.read(1024), name)
    except OSError:
        return "other"


def _inspect(
    root: Path,
    names: list[str],
    needles: tuple[str, ...],
    processes: int | None,
    limits: Limits | None,
    progress: Callable[[int, int], None] | None,
    count: tuple[int, int],
) -> tuple[dict[str, FileTraces], dict[str, str]]:
    results: dict[str, FileTraces] = {}
    failures: dict[str, str] = {}
    if not names:
        return results, failures
    queue = deque(FileTask(str(root / name), name, needles) for name in names)
    with WorkerPool[FileTask, FileTraces](
        INSPECT, processes=processes, limits=limits or CHECK_LIMITS
    ) as pool:
        for outcome in pool.run(queue):
            if outcome.result is not None:
                results[outcome.task.name] = outcome.result
            else:
                failures[outcome.task.name] = outcome.error or "the inspection returned nothing"
            if progress is not None:
                progress(count[0] + len(results) + len(failures), count[1])
    return results, failures


def _shared_ids(results: dict[str, FileTraces]) -> list[Finding]:
    """A PDF whose /ID equals an original's in the same bag: the ID links the copy to the original."""
    originals: dict[str, str] = {}
    for name, result in results.items():
        if name.startswith(ORIGINALS) and result.pdf_id:
            originals.setdefault(result.pdf_id, name)
    found = []
    for name, result in sorted(results.items()):
        original = originals.get(result.pdf_id or "")
        if original is not None and original != name:
            found.append(
                Finding(
                    name,
                    "document-id",
                    f"PDF /ID equals that of {original} ({result.pdf_id}): "
                    "it links this copy to the original",
                )
            )
    return found
