"""Team mode (issue 14): OCR with 1 and 2 workers, three clients annotating at once, search at scale.

``--part ocr``: OCR pages per minute with 1 and 2 ``reviewer worker`` processes against one PostgreSQL.
The same scanned pages (tests/filemaker.py, fixed seeds, 200 dpi) are imported into a fresh shared
case for each run, their reading is enqueued (``read_pages(workers="queue")``), then N worker
processes (``reviewer worker CASE --concurrency 1 --until-empty``) are started together and timed
from their start until the last one ends with the queue drained: start-up, taking jobs, rendering,
Tesseract and writing each page with its custody entry included. The baseline is a plain loop of
``tesseract`` on the same pages, rendered the way the reading job renders them (300 dpi grey), one
page at a time, then two at once. A worker's fixed cost (start-up, connecting, seeing the queue empty,
stopping) is timed on a case with nothing queued, best of 3, and the workers' pages per minute are
also given less it: what a day of OCR sees, where that cost is paid once.

``--part annotate``: three client processes, each its own editor role, annotate one shared case at
once through reviewer's services, ``--writes`` each, in turns: ``add_annotation`` (a note on a page of
its document), ``update_annotation`` (that note's text, with what it saw) and ``set_metadata`` (a free
field, with what it saw); each times every call (the whole unit of work: the write lock, the change,
its custody entry and commit, the head file). Baseline in the same run: three processes doing a plain
psycopg ``INSERT`` of the same annotation row and ``COMMIT``, one row a transaction, into a copy of
the table (no lock, no custody). p50/p95/max per client and overall. Goal: p95 < 50 ms.

``--part search``: ``search_pg_speed.py`` (search on PostgreSQL beside FTS5 on the same corpus).

PostgreSQL is a throwaway cluster (tests/pg_cluster.py).

    .venv/bin/python benchmarks/team_speed.py --part ocr --pages 16
    .venv/bin/python benchmarks/team_speed.py --part annotate --writes 150
    .venv/bin/python benchmarks/team_speed.py --part search --pages 100000 --keep /work/bench/t9-100k
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _common import background_load, machine, ms, percentile, prepare, table

prepare()


def _scans(inbox: Path, pages: int) -> None:
    from tests import filemaker

    per_document = 4
    for i in range(0, pages, per_document):
        filemaker.make_scanned_pdf(
            inbox / f"scan{i:03d}.pdf", pages=min(per_document, pages - i), dpi=200, seed=i, noise=0.02
        )


def _workers_run(
    cluster: object, inbox: Path, workdir: Path, workers: int, *, enqueue: bool = True, run: int = 0
) -> tuple[float, int]:
    """Seconds for ``workers`` worker processes to drain the reading of ``inbox``'s pages, and how many
    pages were queued. ``enqueue=False``: the same with nothing queued (a worker's start and stop)."""
    from reviewer.core.services.case import create_case, open_case
    from reviewer.core.services.importing import import_paths
    from reviewer.core.services.reading import read_pages

    name = f"team_speed_{workers}_{enqueue:d}_{run}"
    url = cluster.create_database(name)  # type: ignore[attr-defined]
    root = workdir / name
    with create_case(root, title="team speed", database=url) as case:
        import_paths(case, [inbox])
        queued = read_pages(case, workers="queue").queued if enqueue else 0
    command = [sys.executable, "-m", "reviewer", "worker", str(root), "--concurrency", "1", "--until-empty"]
    started = time.perf_counter()
    processes = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(workers)]
    for process in processes:
        _, err = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"a worker failed: {err.strip()}")
        print(err.strip()[-600:], file=sys.stderr)
    elapsed = time.perf_counter() - started
    if not enqueue:
        return elapsed, 0
    from reviewer.core.services.team_jobs import queue_status

    with open_case(root) as case:
        (reading,) = queue_status(case).kinds
        if reading.done != queued or reading.failed:
            raise SystemExit(f"the queue was not drained cleanly: {reading}")
    return elapsed, queued


def _tesseract_run(images: list[Path], at_once: int) -> float:
    def one(image: Path) -> None:
        subprocess.run(
            ["tesseract", str(image), "-", "-l", "rus+eng", "--dpi", "300", "tsv"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(at_once) as pool:
        list(pool.map(one, images))
    return time.perf_counter() - started


def _page_images(inbox: Path, out: Path) -> list[Path]:
    import pymupdf

    images = []
    for pdf in sorted(inbox.glob("*.pdf")):
        with pymupdf.open(pdf) as doc:
            for page in doc:
                path = out / f"{pdf.stem}-{page.number}.pgm"
                page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY).save(path)
                images.append(path)
    return images


# -- three clients annotating at once -------------------------------------------------------------------

CLIENTS = ("desk_anna", "desk_boris", "desk_vera")
_PLAIN_INSERT = (
    "INSERT INTO plain_annotation (id, document_id, page, x0, y0, x1, y1, kind, note, created_by,"
    " created_at, updated_at, deleted) VALUES (%s, %s, 1, 10, 10, 200, 60, 'note', %s, %s, %s, %s, false)"
)


def _client(root: Path, document: int, writes: int, pace: float) -> None:
    """One desk: open the case, say ready, wait for go, then time its writes (JSON on stdout).

    ``pace``: the mean seconds between the start of one write and the next (random, exponential);
    0 writes back to back.
    """
    import random

    from reviewer.core.domain.values import Rect
    from reviewer.core.services.case import open_case
    from reviewer.core.services.documents import add_annotation, set_metadata, update_annotation

    rng = random.Random(document)
    field = f"checked_{round(pace * 1000)}"  # a field of this round's own
    times: dict[str, list[float]] = {"add": [], "update": [], "field": []}
    with open_case(root) as case:
        note = add_annotation(case, document, page=1, rect=Rect(10, 10, 200, 60), note="warm")
        seen_note, seen_field = "warm", None
        print("ready", flush=True)
        sys.stdin.readline()
        for i in range(writes):
            way = ("add", "update", "field")[i % 3]
            if pace:
                time.sleep(rng.expovariate(1 / pace))
            started = time.perf_counter()
            if way == "add":
                note = add_annotation(case, document, page=1, rect=Rect(10, 10, 200, 60), note=f"n{i}")
                seen_note = f"n{i}"
            elif way == "update":
                update_annotation(case, note.id, note=f"u{i}", seen={"note": seen_note})
                seen_note = f"u{i}"
            else:
                set_metadata(case, document, {field: f"c{i}"}, seen={field: seen_field})
                seen_field = f"c{i}"
            times[way].append(time.perf_counter() - started)
    print(json.dumps(times), flush=True)


def _plain_client(url: str, role: str, document: int, writes: int, pace: float) -> None:
    """The baseline: the same annotation rows, INSERT + COMMIT each, straight through psycopg."""
    import random
    import uuid

    rng = random.Random(document)

    import psycopg

    times: list[float] = []
    with psycopg.connect(url) as conn:
        conn.execute("SELECT 1")
        conn.commit()
        print("ready", flush=True)
        sys.stdin.readline()
        for i in range(writes):
            if pace:
                time.sleep(rng.expovariate(1 / pace))
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            started = time.perf_counter()
            conn.execute(_PLAIN_INSERT, (str(uuid.uuid4()), document, f"n{i}", role, now, now))
            conn.commit()
            times.append(time.perf_counter() - started)
    print(json.dumps({"plain": times}), flush=True)


def _at_once(commands: list[tuple[list[str], str]]) -> list[dict[str, list[float]]]:
    """Start the clients, wait until each is ready, let them all go together, collect their times."""
    processes = [
        subprocess.Popen(
            argv,
            env={**os.environ, "PGUSER": role},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv, role in commands
    ]
    for process in processes:
        assert process.stdout is not None
        line = process.stdout.readline()
        if line.strip() != "ready":
            raise SystemExit(f"a client failed to start: {line}{process.communicate()[1][-2000:]}")
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, err = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"a client failed: {err.strip()[-2000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _latency_row(label: str, values: list[float]) -> list[str]:
    return [
        label,
        f"{len(values)}",
        ms(percentile(values, 50)),
        ms(percentile(values, 95)),
        ms(max(values)),
    ]


def annotate(cluster: object, workdir: Path, writes: int, paces: list[float]) -> list[list[str]]:
    """Three editors annotating one shared case at once, beside three plain psycopg writers.

    Once for each pace in ``paces`` (0: back to back). The server syncs its commits to disk (the
    throwaway cluster starts with fsync off, a real server has it on).
    """
    from reviewer.core.services.case import create_case
    from reviewer.core.services.importing import import_paths
    from reviewer.core.services.team import grant_access
    from tests import filemaker

    url = cluster.create_database(f"team_annotate_{int(time.time())}")  # type: ignore[attr-defined]
    root = workdir / "annotated"
    inbox = workdir / "notes"
    inbox.mkdir()
    for i, _ in enumerate(CLIENTS):
        filemaker.make_text_pdf(inbox / f"note{i}.pdf", pages=2, seed=i)
    with create_case(root, title="three desks", database=url) as case:
        import_paths(case, [inbox])
        for role in CLIENTS:
            if not cluster.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'").strip():  # type: ignore[attr-defined]
                cluster.create_role(role)  # type: ignore[attr-defined]
            grant_access(case, role, "editor")
    database = url.rsplit("/", 1)[1]
    cluster.psql(  # type: ignore[attr-defined]
        "CREATE TABLE plain_annotation (LIKE annotation INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
        " INCLUDING INDEXES); GRANT INSERT ON plain_annotation TO " + ", ".join(CLIENTS),
        db=database,
    )
    for setting in ("ALTER SYSTEM SET fsync = on", "ALTER SYSTEM SET full_page_writes = on"):
        cluster.psql(setting)  # type: ignore[attr-defined]
    cluster.psql("SELECT pg_reload_conf()")  # type: ignore[attr-defined]
    me = [sys.executable, __file__]
    rows = []
    for pace in paces:
        plain = _at_once(
            [
                (
                    [
                        *me,
                        "--plain-client",
                        cluster.url(database, role),
                        role,
                        str(n + 1),
                        str(writes),
                        str(pace),
                    ],  # type: ignore[attr-defined]
                    role,
                )
                for n, role in enumerate(CLIENTS)
            ]
        )
        served = _at_once(
            [
                ([*me, "--client", str(root), str(n + 1), str(writes), str(pace)], role)
                for n, role in enumerate(CLIENTS)
            ]
        )
        rows += _annotate_rows("back to back" if not pace else f"one write every ~{pace:g} s", served, plain)
    verify = subprocess.run(
        [sys.executable, "-m", "reviewer", "verify", str(root)], capture_output=True, text=True, check=False
    )
    if verify.returncode != 0:
        raise SystemExit(f"the case does not verify after the run: {verify.stdout}{verify.stderr}")
    return rows


def _annotate_rows(
    pace: str, served: list[dict[str, list[float]]], plain: list[dict[str, list[float]]]
) -> list[list[str]]:
    rows = [[f"**{pace}**", "", "", "", ""]]
    everything: dict[str, list[float]] = {"add": [], "update": [], "field": []}
    for role, times in zip(CLIENTS, served, strict=True):
        rows.append(_latency_row(f"{role}: every write", [t for v in times.values() for t in v]))
        for way, values in times.items():
            everything[way] += values
    for way, values in everything.items():
        rows.append(_latency_row(f"all three: {way}", values))
    rows.append(_latency_row("all three: every write", [t for v in everything.values() for t in v]))
    for role, times in zip(CLIENTS, plain, strict=True):
        rows.append(_latency_row(f"plain psycopg, {role}", times["plain"]))
    rows.append(_latency_row("plain psycopg, all three", [t for r in plain for t in r["plain"]]))
    return rows


def ocr(cluster: object, work: Path, pages: int) -> list[list[str]]:
    """OCR pages per minute: plain tesseract, then 1 and 2 reviewer workers."""
    inbox = work / "inbox"
    inbox.mkdir()
    _scans(inbox, pages)
    pictures = work / "pictures"
    pictures.mkdir()
    images = _page_images(inbox, pictures)
    rows = []
    plain = {n: _tesseract_run(images, n) for n in (1, 2)}
    for n in (1, 2):
        rows.append(
            [
                f"plain tesseract, {n} at once",
                f"{len(images)}",
                f"{plain[n]:.1f}",
                f"{len(images) / plain[n] * 60:.1f}",
                f"{plain[1] / plain[n]:.2f}x",
                "",
                "",
            ]
        )
    fixed = min(_workers_run(cluster, inbox, work, 1, enqueue=False, run=r)[0] for r in range(3))
    timed = {}
    for n in (1, 2):
        timed[n], done = _workers_run(cluster, inbox, work, n)
        net = {k: max(v - fixed, 1e-9) for k, v in timed.items()}
        rows.append(
            [
                f"reviewer worker x{n}",
                f"{done}",
                f"{timed[n]:.1f}",
                f"{done / timed[n] * 60:.1f}",
                f"{timed[1] / timed[n]:.2f}x",
                f"{done / net[n] * 60:.1f}",
                f"{net[1] / net[n]:.2f}x",
            ]
        )
    rows.append(
        ["a worker's start and stop, nothing queued (best of 3)", "0", f"{fixed:.1f}", "", "", "", ""]
    )
    return rows


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        _client(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--plain-client":
        _plain_client(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("ocr", "annotate", "search"), default="ocr")
    parser.add_argument("--pages", type=int, default=16, help="ocr: scanned pages; search: its pages")
    parser.add_argument("--writes", type=int, default=150, help="annotate: writes per client")
    parser.add_argument(
        "--pace",
        type=float,
        action="append",
        help="annotate: mean seconds between a client's writes, 0 back to back (repeatable; 0 and 1)",
    )
    args, rest = parser.parse_known_args()
    if args.part == "search":
        import search_pg_speed

        sys.argv = [search_pg_speed.__file__, "--pages", str(args.pages), *rest]
        search_pg_speed.main()
        return
    from tests.pg_cluster import PostgresCluster

    load = background_load()
    cluster = PostgresCluster().start()
    os.environ["PGUSER"] = cluster.superuser
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if args.part == "ocr":
                rows = ocr(cluster, Path(tmp), args.pages)
            else:
                rows = annotate(cluster, Path(tmp), args.writes, args.pace or [0.0, 1.0])
    finally:
        cluster.stop()
    print(machine())
    print(f"other processes' load before the runs: {load if load is not None else '?'} cores")
    if args.part == "ocr":
        print(
            table(
                [
                    "run",
                    "pages",
                    "seconds",
                    "pages/min",
                    "speed-up",
                    "pages/min less start and stop",
                    "speed-up",
                ],
                rows,
            )
        )
    else:
        print(table(["writer", "writes", "p50 ms", "p95 ms", "max ms"], rows))


if __name__ == "__main__":
    main()
