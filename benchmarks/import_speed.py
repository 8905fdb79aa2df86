"""Import speed: ``reviewer import`` beside a plain single-process PyMuPDF loop doing the same work.

Run from the repository root::

    python benchmarks/import_speed.py [--repeat N] [--keep DIR] [--jobs N] [--warmup N]

The benchmark set (60 born-digital 5-page PDFs and 20 two-page 200-dpi scans, ~24 MB, made by
``tests.filemaker.make_benchmark_set``) is written to a temporary folder, or to ``--keep DIR`` where
a later run reuses it. Each repetition then times, in an order that rotates from one repetition to
the next (the machine is noisy, so only figures measured in the same repetition are compared):

``plain``
    a fresh ``python`` process running one loop over the files: read the bytes, SHA-256 them and
    write a copy in the same pass (fsync'd, as reviewer does), open the copy with PyMuPDF, read
    ``doc.metadata``, ``get_xml_metadata()`` and ``get_page_labels()``, and for every page
    ``get_text("text")``, ``get_text("words")`` (the words and their boxes reviewer stores for
    highlighting) and a thumbnail 200 px on its longest side written as PNG. No database.
``plain-jpeg``
    the plain loop writing its thumbnails as JPEG (MuPDF's writer, quality 90), as reviewer does since
    December 2026: how much of reviewer's time against ``plain`` is only the thumbnails' format.
``plain-2``
    two such processes at once, each doing every other file: what perfect use of two cores would give
    on this machine at this moment (the second core is often partly busy with other work).
``never``
    the real command line, end to end, start-up included:
    ``python -m reviewer import CASE FOLDER --json --ocr never`` into a fresh case (made, untimed,
    with ``reviewer init``): the import and the reading of every page, without OCR. Its JSON must
    report every file imported, none refused, and every page read. The goal is ``never`` ≤ ``plain``.
``auto``
    the same with the default ``--ocr auto``: the 40 scanned pages are OCR'd (Tesseract) as well.
``later``
    the same with ``--ocr-later``: the import alone; reading waits for the window or ``reviewer ocr``.
``console``
    ``later`` through the installed ``reviewer`` console script (what people type), when it exists.
``in-process``
    ``import_paths`` alone, timed inside a process that has already imported reviewer and opened
    the case: no interpreter start-up, no imports, no case opening.
``never-before``, ``auto-before``
    with ``--before TREE``: ``never`` and ``auto`` run by reviewer from another source tree (the code
    before a change), in the same rounds, so a change is measured against what it changed under the
    same load.

Each ratio is a contender's time / plain's of the same repetition; its median and minimum are
reported with the median and minimum of each time. Nothing here asserts a time: the run fails only
if an import does not import every file (or, reading, every page).

This module imports only the standard library at its top level: worker processes started by
``multiprocessing`` re-import the main script, and the ``--_import-paths`` helper below is one.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 1 << 20
THUMBNAIL_PX = 200
BORN_DIGITAL = 60
SCANS = 20
EXPECTED_NAMES = sorted(
    [f"text_{i:03d}.pdf" for i in range(BORN_DIGITAL)] + [f"scan_{i:03d}.pdf" for i in range(SCANS)]
)
CONTENDERS = ("plain", "plain-jpeg", "plain-2", "never", "auto", "later", "console", "in-process")
#: what ``reviewer import`` is given besides CASE FOLDER --json, for each command-line contender
COMMAND_LINE = {"never": ["--ocr", "never"], "auto": ["--ocr", "auto"], "later": ["--ocr-later"]}
MAIN = "never"  # the contender the goal is about
BEFORE = "-before"  # a contender run from the --before tree


# -- the benchmark set ----------------------------------------------------------------------------------


def benchmark_set(keep: Path | None, scratch: Path) -> Path:
    """The folder holding the benchmark files: reused from ``keep`` if complete, made otherwise."""
    folder = keep.resolve() if keep is not None else scratch / "set"
    if folder.is_dir():
        names = sorted(p.name for p in folder.iterdir())
        if names == EXPECTED_NAMES:
            print(f"reusing the benchmark set in {folder}")
            return folder
        if names:
            raise SystemExit(f"{folder} holds other files; give --keep an empty or new folder")
        folder.rmdir()
    sys.path.insert(0, str(ROOT))
    from tests.filemaker import make_benchmark_set

    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"writing the benchmark set to {folder} ...", end=" ", flush=True)
    started = time.perf_counter()
    make_benchmark_set(partial, born_digital=BORN_DIGITAL, scans=SCANS, seed=0)
    partial.rename(folder)
    print(f"{time.perf_counter() - started:.1f} s")
    return folder


# -- the plain loop (runs in its own process: --_plain SRC DEST) --------------------------------------


def plain_loop(
    source: Path, dest: Path, part: tuple[int, int] = (0, 1), thumbnail: str = "png"
) -> dict[str, Any]:
    """Everything reviewer's workers do to each file, one file after another, in this process.

    ``part`` (k, n) takes every n-th file from the k-th on: two processes with (0, 2) and (1, 2) split
    the set between them. ``thumbnail`` is the thumbnails' format: ``png`` or ``jpg``.
    """
    started = time.perf_counter()
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    imported = time.perf_counter()
    files = pages = 0
    dest.mkdir(parents=True, exist_ok=True)
    chosen = sorted(p for p in source.iterdir() if p.is_file())[part[0] :: part[1]]
    for index, path in enumerate(chosen):
        copy = dest / f"{index:05d}.part"
        digest = hashlib.sha256()
        with open(path, "rb") as src, open(copy, "xb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        digest.hexdigest()
        thumbs = dest / f"{index:05d}-pages"
        thumbs.mkdir()
        doc = pymupdf.open(str(copy))
        try:
            _ = doc.metadata, doc.get_xml_metadata(), doc.get_page_labels()
            for number in range(1, doc.page_count + 1):
                page = doc.load_page(number - 1)
                page.get_text("text")
                page.get_text("words")
                rect = page.rect
                scale = THUMBNAIL_PX / max(rect.width, rect.height)
                pixmap = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
                if thumbnail == "jpg":
                    pixmap.save(str(thumbs / f"thumb-{number:05d}.jpg"), jpg_quality=90)
                else:
                    pixmap.save(str(thumbs / f"thumb-{number:05d}.png"))
                pages += 1
        finally:
            doc.close()
        files += 1
    done = time.perf_counter()
    return {"files": files, "pages": pages, "import_s": imported - started, "loop_s": done - imported}


# -- import_paths in a process of its own (--_import-paths CASE SRC) ----------------------------------


def in_process_import(case_root: Path, source: Path, jobs: int | None) -> dict[str, Any]:
    """Time ``import_paths`` only: reviewer is imported and the case opened before the clock starts."""
    from reviewer.core.services.case import open_case
    from reviewer.core.services.importing import ImportOptions, import_paths

    with open_case(case_root) as case:
        started = time.perf_counter()
        report = import_paths(case, [source], ImportOptions(processes=jobs))
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "imported": len(report.imported),
        "duplicates": len(report.duplicates),
        "failed": len(report.failed),
        "pages": sum(item.pages for item in report.imported),
    }


# -- how busy the machine is ---------------------------------------------------------------------------


def _cpu_jiffies() -> tuple[int, int] | None:
    """(busy, total) clock ticks of all cores since boot, from /proc/stat; None where there is none."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def busy_cores(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """How many cores, on average, were busy between two :func:`_cpu_jiffies` readings."""
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1]) * (os.cpu_count() or 1)


def background_load(seconds: float = 1.0) -> float | None:
    """Cores kept busy by other programs, sampled while this benchmark sleeps."""
    before = _cpu_jiffies()
    time.sleep(seconds)
    return busy_cores(before, _cpu_jiffies())


# -- running the contenders --------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """One timed run of one contender."""

    seconds: float
    pages: int
    cores: float | None  # cores busy machine-wide while it ran (its own work and anything else's)
    cpu: float | None = None  # CPU seconds of the contender's processes (all of them, workers too)


@dataclass
class Runs:
    """The timings of one contender over all repetitions."""

    seconds: list[float] = field(default_factory=list)
    cores: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, timing: Timing) -> None:
        """Record one repetition."""
        self.seconds.append(timing.seconds)
        if timing.cores is not None:
            self.cores.append(timing.cores)
        if timing.cpu is not None:
            self.cpu.append(timing.cpu)


def become_subreaper() -> bool:
    """Adopt this process's orphaned descendants (Linux), so their CPU time is counted when reaped.

    A worker started by ``multiprocessing``'s fork server is the fork server's child, and the fork
    server outlives the command that started it by a moment: without this, their CPU time is lost.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        return bool(ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


SUBREAPER = False  # set by main()


def children_cpu() -> float | None:
    """CPU seconds (user + system) of every child reaped so far, orphans adopted included."""
    if not SUBREAPER:
        return None
    import resource

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the fork server and its workers end once their parent has
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.01)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compile_bytecode(tree: Path) -> None:
    """Compile reviewer's modules as an install does (pip compiles a wheel's at install; an editable
    install writes them at the first run). With ``PYTHONDONTWRITEBYTECODE`` set, as in some shells
    and CI images, every timed run compiled the modules changed since their bytecode was last written
    from source again: 40 of them, ~0.1 s of the command's CPU and of the fork server's, which the
    plain loop (its libraries compiled at install) never paid."""
    compileall.compile_dir(tree / "reviewer", quiet=1)


def _run(command: list[str], what: str, tree: Path = ROOT) -> tuple[float, str, float | None]:
    global LAST_CPU
    cpu_before = children_cpu()
    before = _cpu_jiffies()
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(tree)} if tree != ROOT else None
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    cores = busy_cores(before, _cpu_jiffies())
    cpu_after = children_cpu()
    LAST_CPU = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    if done.returncode != 0:
        raise SystemExit(
            f"{what} failed (exit {done.returncode}):\n{done.stderr.strip() or done.stdout.strip()}"
        )
    return seconds, done.stdout, cores


LAST_CPU: float | None = None  # the CPU seconds of the last command run


def _run_parallel(commands: list[list[str]], what: str) -> tuple[float, list[str], float | None]:
    global LAST_CPU
    cpu_before = children_cpu()
    before = _cpu_jiffies()
    started = time.perf_counter()
    running = [
        subprocess.Popen(c, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    outputs = [p.communicate() for p in running]
    seconds = time.perf_counter() - started
    cores = busy_cores(before, _cpu_jiffies())
    cpu_after = children_cpu()
    LAST_CPU = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    for process, (_, err) in zip(running, outputs, strict=True):
        if process.returncode != 0:
            raise SystemExit(f"{what} failed (exit {process.returncode}):\n{err.strip()}")
    return seconds, [out for out, _ in outputs], cores


def _new_case(work: Path, name: str) -> Path:
    case = work / name
    shutil.rmtree(case, ignore_errors=True)
    _run([sys.executable, "-m", "reviewer", "init", str(case)], "reviewer init")
    return case


def _check_import(stdout: str, files: int, what: str, *, read: bool) -> int:
    report = json.loads(stdout)
    imported, failed = report["imported"], report["failed"]
    if len(imported) != files or failed or report.get("duplicates"):
        raise SystemExit(
            f"{what}: expected {files} imported and 0 failed, got {len(imported)} imported, "
            f"{len(report.get('duplicates') or [])} already known, {len(failed)} failed: {failed[:3]}"
        )
    pages = sum(int(item["pages"]) for item in imported)
    reading = report.get("reading")
    if read and (not reading or reading["pages"] != pages or reading["failed"]):
        raise SystemExit(f"{what}: expected all {pages} pages read, got {reading}")
    return pages


def run_once(
    name: str, source: Path, work: Path, files: int, jobs: list[str], console: Path, before: Path | None
) -> Timing:
    """Time one contender once."""
    me = str(Path(__file__).resolve())
    if name in ("plain", "plain-jpeg"):
        dest = work / name
        shutil.rmtree(dest, ignore_errors=True)
        jpeg = ["--_jpeg"] if name == "plain-jpeg" else []
        seconds, out, cores = _run([sys.executable, me, "--_plain", str(source), str(dest), *jpeg], name)
        shutil.rmtree(dest, ignore_errors=True)
        result = json.loads(out)
        if result["files"] != files:
            raise SystemExit(f"plain loop: read {result['files']} files, expected {files}")
        return Timing(seconds, int(result["pages"]), cores, LAST_CPU)
    if name == "plain-2":
        halves = [work / "plain-a", work / "plain-b"]
        commands = [
            [sys.executable, me, "--_plain", str(source), str(dest), "--_part", str(k), "2"]
            for k, dest in enumerate(halves)
        ]
        seconds, outs, cores = _run_parallel(commands, "plain-2")
        for dest in halves:
            shutil.rmtree(dest, ignore_errors=True)
        results = [json.loads(out) for out in outs]
        if sum(r["files"] for r in results) != files:
            raise SystemExit(f"plain-2: read {[r['files'] for r in results]} files, expected {files}")
        return Timing(seconds, sum(int(r["pages"]) for r in results), cores, LAST_CPU)
    case = _new_case(work, f"case-{name}")
    try:
        if name.endswith(BEFORE) and before is not None:
            given = COMMAND_LINE[name.removesuffix(BEFORE)]
            command = [
                sys.executable,
                "-m",
                "reviewer",
                "import",
                str(case),
                str(source),
                "--json",
                *given,
                *jobs,
            ]
            seconds, out, cores = _run(command, name, before)
            return Timing(seconds, _check_import(out, files, name, read=True), cores, LAST_CPU)
        if name in COMMAND_LINE or name == "console":
            prefix = [sys.executable, "-m", "reviewer"] if name != "console" else [str(console)]
            given = COMMAND_LINE.get(name, COMMAND_LINE["later"])
            command = [*prefix, "import", str(case), str(source), "--json", *given, *jobs]
            seconds, out, cores = _run(command, name)
            read = "--ocr-later" not in given
            return Timing(seconds, _check_import(out, files, name, read=read), cores, LAST_CPU)
        _, out, cores = _run([sys.executable, me, "--_import-paths", str(case), str(source), *jobs], name)
        result = json.loads(out)
        if result["imported"] != files or result["failed"] or result["duplicates"]:
            raise SystemExit(f"import_paths: expected {files} imported and 0 failed, got {result}")
        return Timing(float(result["seconds"]), int(result["pages"]), cores)
    finally:
        shutil.rmtree(case, ignore_errors=True)


def _median(values: list[float], digits: int = 1) -> str:
    return f"{statistics.median(values):.{digits}f}" if values else "?"


def report(runs: dict[str, Runs], ratios: dict[str, list[float]], files: int, pages: int) -> None:
    """Print the summary as a Markdown table, ready for docs/benchmarks.md."""
    print(f"\n{len(ratios[MAIN])} repetitions, {files} files, {pages} pages:\n")
    print(
        "| contender | median s | min s | files/s | pages/s | ratio to plain: median | min | cores busy "
        "| CPU s (median) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, run in runs.items():
        median = statistics.median(run.seconds)
        ratio = ratios.get(name)
        shown = f"{statistics.median(ratio):.2f} | {min(ratio):.2f}" if ratio else "1.00 | 1.00"
        print(
            f"| {name} | {median:.2f} | {min(run.seconds):.2f} | {files / median:.1f} | "
            f"{pages / median:.0f} | {shown} | {_median(run.cores)} | {_median(run.cpu, 2)} |"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="timed repetitions (default 3)")
    parser.add_argument("--warmup", type=int, default=1, metavar="N", help="untimed rounds first (default 1)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="make the set in DIR or reuse it from there")
    parser.add_argument("--jobs", type=int, metavar="N", help="reviewer's worker processes (default: 1/core)")
    parser.add_argument(
        "--only", action="append", choices=CONTENDERS, help="run only these contenders (repeatable)"
    )
    parser.add_argument(
        "--before", type=Path, metavar="TREE", help="also run never and auto from this source tree"
    )
    parser.add_argument("--_plain", nargs=2, metavar=("SRC", "DEST"), help=argparse.SUPPRESS)
    parser.add_argument("--_jpeg", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--_part", nargs=2, type=int, default=(0, 1), help=argparse.SUPPRESS)
    parser.add_argument("--_import-paths", nargs=2, metavar=("CASE", "SRC"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._plain:
        thumbnail = "jpg" if args._jpeg else "png"
        print(
            json.dumps(plain_loop(Path(args._plain[0]), Path(args._plain[1]), tuple(args._part), thumbnail))
        )
        return 0
    if args._import_paths:
        case_root, source = (Path(p) for p in args._import_paths)
        print(json.dumps(in_process_import(case_root, source, args.jobs)))
        return 0
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")
    global SUBREAPER
    SUBREAPER = become_subreaper()
    if args.before is not None:
        args.before = args.before.resolve()
        if not (args.before / "reviewer" / "__init__.py").is_file():
            parser.error(f"--before {args.before}: not a reviewer source tree")

    console = Path(sys.executable).with_name("reviewer")
    contenders = [c for c in CONTENDERS if not args.only or c in args.only]
    if "plain" not in contenders or MAIN not in contenders:
        parser.error(f"--only must keep plain and {MAIN} (the ratio compares them)")
    if args.before is not None:
        contenders += [name + BEFORE for name in ("never", "auto") if name in contenders]
    if "console" in contenders and not console.is_file():
        print(f"no console script at {console}; leaving 'console' out")
        contenders.remove("console")
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []

    import pymupdf  # only for the report's header

    print(
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}  Python {platform.python_version()}  "
        f"PyMuPDF {pymupdf.__version__}  {os.cpu_count()} cores  {platform.platform()}"
    )
    for tree in (ROOT, args.before) if args.before else (ROOT,):
        compile_bytecode(tree)
    with tempfile.TemporaryDirectory(prefix="reviewer-bench-") as scratch:
        work = Path(scratch)
        source = benchmark_set(args.keep, work)
        files = len(EXPECTED_NAMES)
        size = sum(p.stat().st_size for p in source.iterdir())
        print(f"{files} files, {size / 1e6:.1f} MB; jobs: {args.jobs or 'one per core'}")
        print("each line: seconds (cores busy machine-wide meanwhile); idle: cores busy by others before")
        runs = {name: Runs() for name in contenders}
        ratios: dict[str, list[float]] = {name: [] for name in contenders if name != "plain"}
        pages_seen: set[int] = set()
        to_jpeg: dict[str, list[float]] = {name: [] for name in contenders if not name.startswith("plain")}
        for round_ in range(args.warmup + args.repeat):
            warm = round_ < args.warmup
            shift = round_ % len(contenders)
            order = contenders[shift:] + contenders[:shift]
            idle = background_load()
            timings = {
                name: run_once(name, source, work, files, jobs, console, args.before) for name in order
            }
            pages_seen.update(t.pages for t in timings.values())
            label = "warm-up" if warm else f"run {round_ - args.warmup + 1}"
            shown = "  ".join(
                f"{name} {t.seconds:.2f}"
                + (f" ({t.cores:.1f})" if t.cores is not None else "")
                + (f" [{t.cpu:.2f} cpu]" if t.cpu is not None else "")
                for name, t in timings.items()
            )
            ratio = timings[MAIN].seconds / timings["plain"].seconds
            loaded = f"idle {idle:.1f}  " if idle is not None else ""
            print(f"{label:>8}: {loaded}{shown}  ratio {ratio:.2f}", flush=True)
            if not warm:
                for name, timing in timings.items():
                    runs[name].add(timing)
                    if name != "plain":
                        ratios[name].append(timing.seconds / timings["plain"].seconds)
                    if name in to_jpeg and "plain-jpeg" in timings:
                        to_jpeg[name].append(timing.seconds / timings["plain-jpeg"].seconds)
        if len(pages_seen) != 1:
            raise SystemExit(f"contenders disagree on the number of pages read: {sorted(pages_seen)}")
        pages = pages_seen.pop()
    report(runs, ratios, files, pages)
    for name, values in ratios.items():
        print(f"ratio {name} / plain: median {statistics.median(values):.2f}, min {min(values):.2f}")
    for name, values in to_jpeg.items():
        if values:
            print(f"ratio {name} / plain-jpeg: median {statistics.median(values):.2f}, min {min(values):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
