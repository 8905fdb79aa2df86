"""Export speed: ``export_bundle`` beside a plain copy plus SHA-256 of the same originals.

Run from the repository root (as root, to start each run with an empty page cache)::

    python benchmarks/export_speed.py [--repeat N] [--warmup N] [--keep DIR] [--warm] [--no-alternatives]

The case: 40 scanned PDFs (6 to 10 pages of 300-dpi grainy JPEG, 8-15 MB each), 20 born-digital PDFs
(5 to 24 pages) and 4 phone photos (JPEG, ~1 MB), 473 MB in all, made with ``tests.filemaker``,
imported with ``import_paths`` into a new case, and given two notes each (page 1 and the last
page; every fifth document a redaction mark too), so every annotated PDF and the report carry
something. The set and the case are made in a temporary folder, or in ``--keep DIR`` where a later
run reuses them (making them takes two to three minutes). Each export adds to the case's custody
log, so the database is put back as the import left it before every export (untimed).

Each repetition times, in an order that rotates from one repetition to the next:

``plain``
    for each original, ``hashlib.sha256`` of the file (read once) and, separately,
    ``shutil.copyfile`` into a fresh folder: "a plain copy plus SHA-256".
``strict``
    what an export must at least do: re-hash each original (the fixity check), then copy it
    hashing in the same pass (as ``BagWriter`` does).
``strict-zip``
    the same, the copies going into one stored (uncompressed) zip, fsync'd at the end, as
    ``zip_bag`` does.
``export``
    ``export_bundle(case, OUT, ExportOptions())``: the bag as a folder.
``export-zip``
    ``export_bundle(case, OUT.zip, ExportOptions(zip=True))``.
``export-redact``
    ``export_bundle(case, OUT, ExportOptions(redact=True))``: the publication bundle, every document a
    cleaned copy (its redactions applied) made in the workers, and an annotated copy of that.

Before each run, when the benchmark may (root on Linux), dirty pages are written out and the page
cache dropped (``sync; echo 3 > /proc/sys/vm/drop_caches``, for the whole machine) so every
contender starts cold; with ``--warm``, or when that is not allowed, runs are warm-cache and the
report says so. After each run ``os.sync()`` is timed too (``flush s``): what was left for the disk
to write. ``CPU s`` is this process's user + system time during the run.

The export's time is split into phases by wrapping reviewer's functions for the duration of the
run (a few hundred calls, nothing measurable): the database reads, the fixity re-hash, the payload
copy, the annotated PDFs (their ``save`` apart, and their copy into the bag), the report's page
thumbnails and annotation crops, the report, the tag files, the manifests, the zip, the custody log.

Finally, unless ``--no-alternatives``, the costly steps are done once more other ways, each on
every document, warm cache: the payload copy with the fixity check folded into it; the annotated
PDFs with other ``save`` options, written straight into the bag, or as a copy of the original plus
an incremental save (hashing the whole file, or only the appended bytes); the cover pages alone;
the report's thumbnails taken from the import's, and its crops rendered other ways (one open per
document, JPEG, no encoding, two worker processes).

Nothing here asserts a time; a run fails only if an export's manifest disagrees with the plain
SHA-256 of an original.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime
import hashlib
import html
import json
import multiprocessing
import os
import platform
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from reviewer.core.services.case import Case

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 1 << 20
SET_VERSION = 2
DATABASE = "reviewer.sqlite"
SCANS = 40
BORN_DIGITAL = 20
PHOTOS = 4
CONTENDERS = ("plain", "strict", "strict-zip", "export", "export-zip", "export-uncached", "export-redact")
#: each export's ratio is taken against these baselines of the same repetition
RATIOS = (
    ("export", "plain"),
    ("export", "strict"),
    ("export-zip", "plain"),
    ("export-zip", "strict-zip"),
    ("export-uncached", "plain"),
    ("export-redact", "plain"),
)
DROP_CACHES = Path("/proc/sys/vm/drop_caches")


# -- the set and the case --------------------------------------------------------------------------


def _scan_spec(i: int) -> dict[str, Any]:
    rng = random.Random(f"export-bench-scan:{i}")
    return {
        "pages": (6, 8, 10, 10)[i % 4],
        "dpi": 300,
        "noise": round(rng.uniform(0.3, 0.5), 2),
        "skew_degrees": round(rng.uniform(-1.2, 1.2), 2) if i % 2 else 0.0,
        "stamp": i % 5 == 0,
        "seed": 70_000 + i,
    }


def expected_names() -> list[str]:
    """The files of the set, sorted."""
    return sorted(
        [f"scan_{i:03d}.pdf" for i in range(SCANS)]
        + [f"text_{i:03d}.pdf" for i in range(BORN_DIGITAL)]
        + [f"photo_{i:03d}.jpg" for i in range(PHOTOS)]
    )


def make_set(folder: Path) -> None:
    """Write the benchmark files into ``folder`` (deterministic)."""
    sys.path.insert(0, str(ROOT))
    from tests.filemaker import make_jpeg_with_exif, make_scanned_pdf, make_text_pdf

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(SCANS):
        make_scanned_pdf(folder / f"scan_{i:03d}.pdf", **_scan_spec(i))
        print(".", end="", flush=True)
    for i in range(BORN_DIGITAL):
        make_text_pdf(
            folder / f"text_{i:03d}.pdf",
            pages=5 + (i * 7) % 20,
            title=f"Нота 12-05/{2000 + i}",
            seed=80_000 + i,
        )
    for i in range(PHOTOS):
        make_jpeg_with_exif(folder / f"photo_{i:03d}.jpg", width=3000, height=4000, seed=90_000 + i)


def _annotate(case: Case, imported: list[tuple[int, int]]) -> int:
    """Two notes on each document (page 1, last page), a redaction mark on every fifth; how many."""
    from reviewer.core.domain.values import AnnotationKind, Rect
    from reviewer.core.services.documents import add_annotation

    count = 0
    for n, (doc_id, pages) in enumerate(imported):
        add_annotation(
            case,
            doc_id,
            page=1,
            rect=Rect(72, 90, 320, 170),
            note=f"Letterhead matches the ministry's 2019 template (document {doc_id}).",
            tags=["letterhead"],
        )
        add_annotation(
            case,
            doc_id,
            page=pages,
            rect=Rect(300, 600, 520, 700),
            note="Signature block: compare with the known specimen.",
            transcription="Подпись / signature",
        )
        count += 2
        if n % 5 == 0:
            add_annotation(
                case,
                doc_id,
                page=1,
                rect=Rect(80, 200, 400, 230),
                kind=AnnotationKind.REDACTION,
                note="Name of a source; withhold.",
            )
            count += 1
    return count


def prepare_case(keep: Path | None, scratch: Path) -> tuple[Path, dict[str, Any]]:
    """The case folder holding the set, with its annotations: reused from ``keep`` if complete."""
    base = keep.resolve() if keep is not None else scratch
    base.mkdir(parents=True, exist_ok=True)
    files, case_root, ready = base / "set", base / "case", base / "case-ready.json"
    pristine = base / "case-pristine.sqlite"
    names = expected_names()
    wanted: dict[str, Any] = {"version": SET_VERSION, "files": names}
    if ready.is_file():
        facts: dict[str, Any] = json.loads(ready.read_text())
        if {k: facts.get(k) for k in wanted} == wanted and case_root.is_dir() and pristine.is_file():
            print(f"reusing the case in {case_root}")
            return case_root, facts
    ready.unlink(missing_ok=True)
    if not files.is_dir() or sorted(p.name for p in files.iterdir()) != names:
        shutil.rmtree(files, ignore_errors=True)
        partial = base / "set.partial"
        shutil.rmtree(partial, ignore_errors=True)
        print(f"writing the set to {files} ", end="", flush=True)
        started = time.perf_counter()
        make_set(partial)
        partial.rename(files)
        print(f" {time.perf_counter() - started:.0f} s")
    from reviewer.core.services.case import create_case
    from reviewer.core.services.importing import import_paths

    shutil.rmtree(case_root, ignore_errors=True)
    print(f"importing it into {case_root} ...", end=" ", flush=True)
    started = time.perf_counter()
    with create_case(case_root, title="Export benchmark", actor="bench") as case:
        report = import_paths(case, [files])
        if len(report.imported) != len(names) or report.failed or report.duplicates:
            raise SystemExit(
                f"import: expected {len(names)} new documents, got {len(report.imported)} "
                f"({len(report.duplicates)} duplicates, failed: {report.failed[:3]})"
            )
        imported = sorted((item.id, item.pages) for item in report.imported)
        annotations = _annotate(case, imported)
    print(f"{time.perf_counter() - started:.0f} s")
    facts = {
        **wanted,
        "documents": len(imported),
        "pages": sum(p for _, p in imported),
        "annotations": annotations,
    }
    for suffix in ("-wal", "-shm"):
        if (case_root / (DATABASE + suffix)).exists():
            raise SystemExit(f"the case's database was not closed cleanly ({DATABASE}{suffix} is left)")
    shutil.copyfile(case_root / DATABASE, pristine)
    ready.write_text(json.dumps(facts))
    return case_root, facts


def restore_database(case_root: Path) -> None:
    """Put back the database as it was after the import: each export adds to the custody log."""
    for suffix in ("-wal", "-shm", "-journal"):
        (case_root / (DATABASE + suffix)).unlink(missing_ok=True)
    shutil.copyfile(case_root.parent / "case-pristine.sqlite", case_root / DATABASE)


def forget_crops(case_root: Path) -> int:
    """Remove the report crops earlier exports kept in the case's derived/ folder; how many."""
    crops = [p for pattern in ("crop-*.jpg", "crop-*.png") for p in (case_root / "derived").rglob(pattern)]
    for crop in crops:
        crop.unlink()
    return len(crops)


def originals_of(case: Case) -> list[tuple[str, Path]]:
    """(sha256, path in the case's store) of every document, in id order."""
    from reviewer.core.services import queries

    ids = queries.find_documents(case, queries.DocumentFilter())
    return [(s.sha256, case.layout.original(s.sha256)) for s in queries.summaries(case, ids)]


# -- the machine -----------------------------------------------------------------------------------


def _cpu_jiffies() -> tuple[int, int] | None:
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def busy_cores(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """How many cores were busy, machine-wide, between two readings of /proc/stat."""
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1]) * (os.cpu_count() or 1)


def background_load(seconds: float = 1.0) -> float | None:
    """Cores kept busy by other programs while this one sleeps."""
    before = _cpu_jiffies()
    time.sleep(seconds)
    return busy_cores(before, _cpu_jiffies())


def drop_cache() -> bool:
    """Write out dirty pages and drop the page cache; False where that is not allowed."""
    os.sync()
    try:
        DROP_CACHES.write_text("3\n")
    except OSError:
        return False
    return True


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def folder_bytes(path: Path) -> int:
    """Bytes in the files under ``path`` (or of ``path`` itself if a file)."""
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# -- the baselines ---------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_hashing(source: Path, target: Path, buffer: bytearray) -> str:
    """Copy ``source`` to ``target`` and return its SHA-256, from one read of it."""
    digest = hashlib.sha256()
    view = memoryview(buffer)
    with open(source, "rb", buffering=0) as src, open(target, "xb") as dst:
        while count := src.readinto(buffer):
            digest.update(view[:count])
            dst.write(view[:count])
    return digest.hexdigest()


def plain(originals: list[tuple[str, Path]], out: Path) -> dict[str, str]:
    """A plain copy plus SHA-256 of the same files: hash (one read), then ``shutil.copyfile``."""
    out.mkdir()
    digests = {}
    for index, (_, path) in enumerate(originals):
        digests[path.name] = sha256_file(path)
        shutil.copyfile(path, out / f"{index:04d}.bin")
    return digests


def strict(originals: list[tuple[str, Path]], out: Path) -> dict[str, str]:
    """Re-hash every original first (fixity), then copy each hashing in the same pass."""
    out.mkdir()
    for sha256, path in originals:
        if sha256_file(path) != sha256:
            raise SystemExit(f"strict: {path} does not match its SHA-256")
    buffer = bytearray(CHUNK)
    return {
        path.name: copy_hashing(path, out / f"{i:04d}.bin", buffer) for i, (_, path) in enumerate(originals)
    }


def strict_zip(originals: list[tuple[str, Path]], out: Path) -> dict[str, str]:
    """Fixity re-hash, then each original into one stored zip, hashed as it is written; fsync'd."""
    for sha256, path in originals:
        if sha256_file(path) != sha256:
            raise SystemExit(f"strict-zip: {path} does not match its SHA-256")
    digests = {}
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
        for index, (_, path) in enumerate(originals):
            info = zipfile.ZipInfo(f"bag/data/originals/{index:04d}.bin")
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = path.stat().st_size
            digest = hashlib.sha256()
            with open(path, "rb", buffering=0) as src, archive.open(info, "w") as dst:
                while count := src.readinto(buffer):
                    digest.update(view[:count])
                    dst.write(view[:count])
            digests[path.name] = digest.hexdigest()
    with open(out, "rb+") as handle:
        os.fsync(handle.fileno())
    return digests


# -- the export, with its phases timed -------------------------------------------------------------


PHASES = (
    "database reads",
    "planning: covers, crop cache look-ups, handing work to the workers",
    "fixity re-hash (redacted documents only)",
    "payload copy + hash: what is left after the planning",
    "waiting for the workers (annotated copies' updates, crops)",
    "annotated copies into the bag",
    "report: HTML",
    "annotations.jsonld, case.json, report into the bag",
    "manifests (and closing the zip)",
    "custody log",
)


@dataclass
class PhaseClock:
    """Seconds spent in each phase of one export; nested phases are subtracted from their parent."""

    seconds: dict[str, float] = field(default_factory=dict)
    _stack: list[tuple[str, float]] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        """Whether a phase is being timed now."""
        return bool(self._stack)

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Charge the time inside to ``name`` (and not to the phase around it)."""
        started = time.perf_counter()
        self._stack.append((name, 0.0))
        try:
            yield
        finally:
            _, inner = self._stack.pop()
            spent = time.perf_counter() - started
            self.seconds[name] = self.seconds.get(name, 0.0) + spent - inner
            if self._stack:
                outer, nested = self._stack[-1]
                self._stack[-1] = (outer, nested + spent)


def _wrap(
    clock: PhaseClock, name: str | Callable[..., str], function: Callable[..., Any]
) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        with clock.phase(name(*args, **kwargs) if callable(name) else name):
            return function(*args, **kwargs)

    return timed


@contextlib.contextmanager
def instrumented(clock: PhaseClock) -> Iterator[None]:
    """Wrap the functions ``export_bundle`` calls so their time goes to ``clock``; undone after.

    Only this thread is timed: the payload copies made meanwhile on the export's copier thread
    show as the wait for them once the planning is done, and the PDF work of the worker processes
    as "waiting for the workers" when this thread has nothing else left to do.
    """
    from reviewer.core.bundles import bagit
    from reviewer.core.services import export, export_bag, export_report, queries

    def add_bytes_phase(_self: object, relative: str, _data: bytes) -> str:
        return (
            "annotated copies into the bag"
            if relative.startswith("annotated/")
            else "annotations.jsonld, case.json, report into the bag"
        )

    patches: list[tuple[object, str, str | Callable[..., str]]] = [
        (queries, "document_detail", "database reads"),
        (export_bag, "_passwords", "database reads"),
        (export_bag, "plan_document", "planning: covers, crop cache look-ups, handing work to the workers"),
        (export_bag.Copier, "finish", "payload copy + hash: what is left after the planning"),
        (export_bag, "_result", "waiting for the workers (annotated copies' updates, crops)"),
        (bagit.BagWriter, "adopt", "annotated copies into the bag"),
        (bagit.BagWriter, "add_bytes", add_bytes_phase),
        (export_report, "render_report", "report: HTML"),
        (bagit.BagWriter, "finish", "manifests (and closing the zip)"),
        (export, "_log_export", "custody log"),
    ]
    saved = [(owner, attr, getattr(owner, attr)) for owner, attr, _ in patches]
    try:
        for (owner, attr, name), (_, _, original) in zip(patches, saved, strict=True):
            setattr(owner, attr, _wrap(clock, name, original))
        yield
    finally:
        for owner, attr, original in saved:
            setattr(owner, attr, original)


def manifest_of(bundle: Path) -> dict[str, str]:
    """The originals' SHA-256 as the bundle's manifest lists them (file name -> digest)."""
    if bundle.is_file():
        with zipfile.ZipFile(bundle) as archive:
            text = next(
                archive.read(n).decode() for n in archive.namelist() if n.endswith("/manifest-sha256.txt")
            )
    else:
        text = (bundle / "manifest-sha256.txt").read_text()
    pairs = (line.split("  ", 1) for line in text.splitlines())
    return {name: digest for digest, name in pairs if name.startswith("data/originals/")}


def run_export(case: Case, out: Path, *, zipped: bool, redact: bool = False) -> dict[str, float]:
    """One export, its phases timed; returns the phase seconds."""
    from reviewer.core.services.export import ExportOptions, export_bundle

    clock = PhaseClock()
    with instrumented(clock):
        export_bundle(case, out, ExportOptions(zip=zipped, redact=redact))
    return clock.seconds


@contextlib.contextmanager
def fresh_case(case_root: Path) -> Iterator[Case]:
    """The case as the import left it (the database put back), open."""
    from reviewer.core.services.case import open_case

    restore_database(case_root)
    with open_case(case_root, actor="bench") as case:
        yield case


# -- running the contenders ------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """One timed run."""

    seconds: float
    cpu: float
    flush: float
    cores: float | None
    out_bytes: int
    phases: dict[str, float]


def run_once(name: str, case_root: Path, originals: list[tuple[str, Path]], work: Path, cold: bool) -> Timing:
    """Time one contender once, from a dropped page cache when ``cold``."""
    out = work / ("out.zip" if name.endswith("zip") else "out")
    shutil.rmtree(out, ignore_errors=True)
    out.unlink(missing_ok=True)
    phases: dict[str, float] = {}
    with contextlib.ExitStack() as stack:
        case = stack.enter_context(fresh_case(case_root)) if name.startswith("export") else None
        if name == "export-uncached":
            forget_crops(case_root)
        if cold:
            drop_cache()
        before, cpu = _cpu_jiffies(), _cpu_seconds()
        started = time.perf_counter()
        if name == "plain":
            plain(originals, out)
        elif name == "strict":
            strict(originals, out)
        elif name == "strict-zip":
            strict_zip(originals, out)
        else:
            assert case is not None
            phases = run_export(case, out, zipped=name == "export-zip", redact=name == "export-redact")
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu
        cores = busy_cores(before, _cpu_jiffies())
    flushing = time.perf_counter()
    os.sync()
    flush = time.perf_counter() - flushing
    size = folder_bytes(out)
    if name.startswith("export") and name != "export-redact":  # a publication bag carries no originals
        listed = sorted(manifest_of(out).values())
        if listed != sorted(sha for sha, _ in originals):
            raise SystemExit(f"{name}: the manifest does not list the originals' SHA-256")
    if out.is_dir():
        shutil.rmtree(out)
    else:
        out.unlink()
    return Timing(seconds, cpu, flush, cores, size, phases)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(runs: dict[str, list[Timing]], ratios: dict[str, list[float]], payload: int, cache: str) -> None:
    """Print the summary as Markdown tables, ready for docs/benchmarks.md."""
    rounds = len(next(iter(runs.values())))
    print(f"\n{rounds} repetitions, {payload / 1e6:.0f} MB of originals, {cache}:\n")
    print("| contender | median s | min s | MB/s of originals | CPU s | flush s | written MB | cores busy |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, timings in runs.items():
        seconds = [t.seconds for t in timings]
        cores = [t.cores for t in timings if t.cores is not None]
        print(
            f"| {name} | {_median(seconds):.2f} | {min(seconds):.2f} | "
            f"{payload / 1e6 / _median(seconds):.0f} | "
            f"{_median([t.cpu for t in timings]):.2f} | {_median([t.flush for t in timings]):.2f} | "
            f"{_median([t.out_bytes for t in timings]) / 1e6:.0f} | "
            + (f"{_median(cores):.1f} |" if cores else "? |")
        )
    print("\n| ratio | median | min | max |")
    print("|---|---:|---:|---:|")
    for label, values in ratios.items():
        print(f"| {label} | {_median(values):.2f} | {min(values):.2f} | {max(values):.2f} |")
    for name in ("export", "export-zip", "export-redact"):
        if not runs.get(name):
            continue
        timings = runs[name]
        total = _median([t.seconds for t in timings])
        print(f"\nwhere `{name}` spends its time (median of each phase over the repetitions):\n")
        print("| phase | median s | share |")
        print("|---|---:|---:|")
        accounted = 0.0
        for phase in PHASES:
            values = [t.phases.get(phase, 0.0) for t in timings]
            if not any(values):
                continue
            accounted += _median(values)
            print(f"| {phase} | {_median(values):.2f} | {_median(values) / total:.0%} |")
        rest = total - accounted
        print(f"| everything else | {rest:.2f} | {rest / total:.0%} |")
        print(f"| **total** | **{total:.2f}** | 100% |")


# -- the alternatives ------------------------------------------------------------------------------


def render_crops(path: str, regions: list[tuple[int, float, float, float, float]]) -> int:
    """Render the crops of one document as PNG, as the report does (in a worker process)."""
    import pymupdf

    with pymupdf.open(path) as doc:
        for page_number, x0, y0, x1, y1 in regions:
            page = doc.load_page(page_number - 1)
            area = pymupdf.Rect(x0, y0, x1, y1) * page.rotation_matrix
            scale = 320 / max(area.width, 1.0)
            page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), clip=area, alpha=False).tobytes("png")
    return len(regions)


def alternatives(case: Case, work: Path) -> None:
    """Time the export's costly steps done other ways, on every document, warm cache, one at a time."""
    import pymupdf

    from reviewer.core.bundles import annotated, pieces
    from reviewer.core.services import export_plan, queries

    ids = queries.find_documents(case, queries.DocumentFilter())
    details = [queries.document_detail(case, i) for i in ids]
    originals = [(d, case.layout.original(d.summary.sha256)) for d in details]
    covers = {d.summary.id: export_plan.evidence_cover(d, [], False) for d in details}
    folder = work / "alt"
    save: Callable[..., Any] = pymupdf.Document.save
    rows: list[tuple[str, float, str]] = []
    tails: dict[Path, str] = {}

    def check_tails() -> None:
        for target, digest in tails.items():  # the original's digest carried on = the whole file's
            if sha256_file(target) != digest:
                raise SystemExit(f"{target}: the incremental save changed the original's bytes")
        if not tails:
            raise SystemExit("no incremental save was made")
        tails.clear()

    def fresh() -> Path:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        return folder

    def timed(label: str, run: Callable[[], object]) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        run()
        seconds = time.perf_counter() - started
        note = f"{folder_bytes(folder) / 1e6:.0f} MB written" if folder.is_dir() else ""
        rows.append((label, seconds, note))
        print(f"  {label}: {seconds:.2f} s {note}", flush=True)

    # Warm the cache (every variant below reads from memory) and keep each original's digest state,
    # which the payload copy has at hand when the annotated copy is made.
    states = {d.summary.id: hashlib.sha256(path.read_bytes()) for d, path in originals}
    print("\nthe export's steps done other ways (all documents, warm cache):")

    # -- the payload ---------------------------------------------------------------------------------

    def fixity_then_copy() -> None:
        out, buffer = fresh(), bytearray(CHUNK)
        for detail, path in originals:
            if sha256_file(path) != detail.summary.sha256:
                raise SystemExit(f"{path} does not match its SHA-256")
        for detail, path in originals:
            copy_hashing(path, out / f"{detail.summary.id:04d}", buffer)

    def copy_then_check() -> None:
        out, buffer = fresh(), bytearray(CHUNK)
        for detail, path in originals:
            if copy_hashing(path, out / f"{detail.summary.id:04d}", buffer) != detail.summary.sha256:
                raise SystemExit(f"{path} does not match its SHA-256")

    timed("payload: fixity re-hash, then copy + hash (now)", fixity_then_copy)
    timed("payload: copy + hash once, compared with the stored SHA-256 after", copy_then_check)

    # -- the annotated PDFs --------------------------------------------------------------------------

    def write_all(options: dict[str, Any], *, into_bag: str) -> Callable[[], None]:
        """``write_annotated`` for every document, saving with ``options``.

        ``into_bag``: "copy" writes a scratch file, then copies it into the bag hashing it (now);
        "hash" writes straight into the bag and hashes the file after; "tail" (incremental saves)
        hashes only what the save appended, carrying on from the original's digest.
        """

        def patched(doc: Any, filename: Any, *_args: Any, **_kwargs: Any) -> Any:
            if options.get("incremental") and doc.name and Path(doc.name) == Path(filename):
                return save(doc, doc.name, incremental=True, encryption=pymupdf.mupdf.PDF_ENCRYPT_KEEP)
            if options.get("incremental"):  # a photo, made a PDF in memory: saved whole
                return save(doc, filename, garbage=3, deflate=True)
            return save(doc, filename, **options)

        def run() -> None:
            out, buffer = fresh(), bytearray(CHUNK)
            scratch = work / "alt-scratch"
            scratch.mkdir(exist_ok=True)
            setattr(pymupdf.Document, "save", patched)  # noqa: B010
            try:
                for detail, original in originals:
                    name = f"{detail.summary.id:04d}.annotated.pdf"
                    target = (scratch if into_bag == "copy" else out) / name
                    pdf = detail.summary.media_type == "application/pdf"
                    source = original
                    if options.get("incremental") and pdf:
                        shutil.copyfile(original, target)
                        source = target
                    annotated.write_annotated(source, target, detail.annotations, covers[detail.summary.id])
                    if into_bag == "copy":
                        copy_hashing(target, out / name, buffer)
                        target.unlink()
                    elif into_bag == "tail" and pdf:
                        digest = states[detail.summary.id].copy()
                        with open(target, "rb") as handle:
                            handle.seek(detail.summary.size)
                            digest.update(handle.read())
                        tails[target] = digest.hexdigest()
                    else:
                        sha256_file(target)
            finally:
                setattr(pymupdf.Document, "save", save)  # noqa: B010
                shutil.rmtree(scratch, ignore_errors=True)

        return run

    now = {"garbage": 3, "deflate": True}
    timed(
        "annotated: garbage=3, deflate; scratch file copied into the bag (now)",
        write_all(now, into_bag="copy"),
    )
    for options in (now, {"garbage": 1, "deflate": True}, {"garbage": 0, "deflate": True}):
        label = ", ".join(f"{k}={v}" for k, v in options.items())
        timed(f"annotated: {label}; straight into the bag, hashed after", write_all(options, into_bag="hash"))
    incremental = {"incremental": True}
    timed(
        "annotated: copy of the original + incremental save, hashed after",
        write_all(incremental, into_bag="hash"),
    )
    timed(
        "annotated: copy of the original + incremental save, only the appended bytes hashed",
        write_all(incremental, into_bag="tail"),
    )
    check_tails()
    busy_loop = vars(pymupdf.Annot)["update_timing_test"]  # the staticmethod itself
    setattr(pymupdf.Annot, "update_timing_test", staticmethod(lambda: 0))  # noqa: B010
    try:
        timed(
            "annotated: the same, PyMuPDF's busy loop in Annot.update (update_timing_test) stubbed",
            write_all(incremental, into_bag="tail"),
        )
    finally:
        setattr(pymupdf.Annot, "update_timing_test", busy_loop)  # noqa: B010
    check_tails()

    def covers_now() -> None:
        for text in covers.values():
            with pymupdf.open() as doc:
                annotated._add_cover(doc, text)

    def covers_as_text() -> None:
        box = pymupdf.Rect(48, 48, annotated.A4.x1 - 48, annotated.A4.y1 - 48)
        for text in covers.values():
            with pymupdf.open() as doc:
                page = doc.new_page(0, width=annotated.A4.width, height=annotated.A4.height)
                page.insert_textbox(box, html.unescape(re.sub(r"<[^>]+>", "\n", text)), fontsize=9)

    timed("cover pages alone: insert_htmlbox (now)", covers_now)
    timed("cover pages alone: insert_textbox of the same text, unformatted", covers_as_text)

    # -- the report's images -------------------------------------------------------------------------

    def thumbnails_now() -> None:
        for _, path in originals:
            with pymupdf.open(str(path)) as doc:
                pieces._picture(doc, 1, None, 160)

    def thumbnails_from_import() -> None:
        for detail, _ in originals:
            case.layout.thumbnail(detail.summary.sha256, 1).read_bytes()

    def crops_now() -> None:
        for detail, path in originals:
            with pymupdf.open(str(path)) as doc:
                for a in detail.annotations:
                    pieces._picture(doc, a.page, (a.x0, a.y0, a.x1, a.y1), 320)

    def crops(kind: str) -> Callable[[], None]:
        def run() -> None:
            for detail, path in originals:
                with pymupdf.open(str(path)) as doc:
                    for a in detail.annotations:
                        page = doc.load_page(a.page - 1)
                        area = pymupdf.Rect(a.x0, a.y0, a.x1, a.y1) * page.rotation_matrix
                        scale = 320 / max(area.width, 1.0)
                        pixmap = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), clip=area, alpha=False)
                        if kind == "png":
                            pixmap.tobytes("png")
                        elif kind == "jpeg":
                            pixmap.tobytes("jpeg", jpg_quality=85)

        return run

    count = sum(len(d.annotations) for d in details)
    timed("report: page-1 thumbnails rendered, JPEG for scans (the fallback)", thumbnails_now)
    timed("report: page-1 thumbnails read from the import's 200-px PNGs", thumbnails_from_import)
    timed(f"report: {count} crops, one open per document, JPEG q80 for scans (now, in a worker)", crops_now)
    timed(f"report: {count} crops, file opened per document, PNG", crops("png"))
    timed(f"report: {count} crops, file opened per document, JPEG q85", crops("jpeg"))
    timed(f"report: {count} crops, file opened per document, rendered only", crops("none"))

    def crops_in_workers() -> None:
        tasks = [
            (str(path), [(a.page, a.x0, a.y0, a.x1, a.y1) for a in detail.annotations])
            for detail, path in originals
        ]
        context = multiprocessing.get_context("forkserver")
        with concurrent.futures.ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
            done = sum(pool.map(render_crops, *zip(*tasks, strict=True)))
        if done != count:
            raise SystemExit(f"the workers rendered {done} crops, not {count}")

    timed(f"report: {count} crops, PNG, in 2 worker processes (started, forkserver)", crops_in_workers)
    shutil.rmtree(folder, ignore_errors=True)

    print("\n| step, done this way | s | written |")
    print("|---|---:|---|")
    for label, seconds, note in rows:
        print(f"| {label} | {seconds:.2f} | {note} |")


# -- main ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="timed repetitions (default 3)")
    parser.add_argument("--warmup", type=int, default=1, metavar="N", help="untimed rounds first (default 1)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="make the set and case in DIR or reuse them")
    parser.add_argument("--warm", action="store_true", help="do not drop the page cache before each run")
    parser.add_argument(
        "--only", action="append", choices=CONTENDERS, help="run only these contenders (repeatable)"
    )
    parser.add_argument("--no-alternatives", action="store_true", help="skip the annotated-PDF variants")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")
    contenders = [c for c in CONTENDERS if not args.only or c in args.only]

    sys.path.insert(0, str(ROOT))
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    print(
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}  Python {platform.python_version()}  "
        f"PyMuPDF {pymupdf.__version__}  {os.cpu_count()} cores  {platform.platform()}"
    )
    with tempfile.TemporaryDirectory(prefix="reviewer-export-bench-") as scratch:
        work = Path(scratch)
        case_root, facts = prepare_case(args.keep, work)
        cold = not args.warm and drop_cache()
        cache = "cold cache (dropped before each run)" if cold else "warm cache"
        if not args.warm and not cold:
            print("cannot drop the page cache (not root?): runs are warm-cache")
        runs_dir = (args.keep.resolve() if args.keep else work) / "runs"
        shutil.rmtree(runs_dir, ignore_errors=True)
        runs_dir.mkdir()
        with fresh_case(case_root) as case:
            originals = originals_of(case)
        payload = sum(p.stat().st_size for _, p in originals)
        print(
            f"{facts['documents']} documents, {facts['pages']} pages, {facts['annotations']} annotations, "
            f"{payload / 1e6:.0f} MB of originals; {cache}"
        )
        print("each line: seconds (cores busy machine-wide meanwhile); idle: cores busy by others before")
        runs: dict[str, list[Timing]] = {name: [] for name in contenders}
        ratios: dict[str, list[float]] = {
            f"{a} / {b}": [] for a, b in RATIOS if a in contenders and b in contenders
        }
        for round_ in range(args.warmup + args.repeat):
            warm = round_ < args.warmup
            shift = round_ % len(contenders)
            order = contenders[shift:] + contenders[:shift]
            idle = background_load()
            timings = {name: run_once(name, case_root, originals, runs_dir, cold) for name in order}
            label = "warm-up" if warm else f"run {round_ - args.warmup + 1}"
            shown = "  ".join(
                f"{name} {t.seconds:.2f}" + (f" ({t.cores:.1f})" if t.cores is not None else "")
                for name, t in timings.items()
            )
            loaded = f"idle {idle:.1f}  " if idle is not None else ""
            print(f"{label:>8}: {loaded}{shown}", flush=True)
            if warm:
                continue
            for name, timing in timings.items():
                runs[name].append(timing)
            for a, b in RATIOS:
                if a in timings and b in timings:
                    ratios[f"{a} / {b}"].append(timings[a].seconds / timings[b].seconds)
        report(runs, ratios, payload, cache)
        if not args.no_alternatives:
            with fresh_case(case_root) as case:
                alternatives(case, runs_dir)
        shutil.rmtree(runs_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
