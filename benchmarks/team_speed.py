"""Team mode: OCR pages per minute with 1 and 2 ``reviewer worker`` processes against one PostgreSQL.

The same scanned pages (tests/filemaker.py, fixed seeds, 200 dpi) are imported into a fresh shared
case for each run, their reading is enqueued (``read_pages(workers="queue")``), then N worker
processes (``reviewer worker CASE --concurrency 1 --until-empty``) are started together and timed
from their start until the last one ends with the queue drained: start-up, taking jobs, rendering,
Tesseract and writing each page with its custody entry included. The baseline is a plain loop of
``tesseract`` on the same pages, rendered the way the reading job renders them (300 dpi grey), one
page at a time, then two at once.

PostgreSQL is a throwaway cluster (tests/pg_cluster.py).

    .venv/bin/python benchmarks/team_speed.py --pages 16
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _common import background_load, machine, prepare, table

prepare()


def _scans(inbox: Path, pages: int) -> None:
    from tests import filemaker

    per_document = 4
    for i in range(0, pages, per_document):
        filemaker.make_scanned_pdf(
            inbox / f"scan{i:03d}.pdf", pages=min(per_document, pages - i), dpi=200, seed=i, noise=0.02
        )


def _workers_run(cluster: object, inbox: Path, workdir: Path, workers: int) -> tuple[float, int]:
    from reviewer.core.services.case import create_case, open_case
    from reviewer.core.services.importing import import_paths
    from reviewer.core.services.reading import read_pages

    url = cluster.create_database(f"team_speed_{workers}_{int(time.time())}")  # type: ignore[attr-defined]
    root = workdir / f"case{workers}"
    with create_case(root, title="team speed", database=url) as case:
        import_paths(case, [inbox])
        queued = read_pages(case, workers="queue").queued
    command = [sys.executable, "-m", "reviewer", "worker", str(root), "--concurrency", "1", "--until-empty"]
    started = time.perf_counter()
    processes = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(workers)]
    for process in processes:
        _, err = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"a worker failed: {err.strip()}")
        print(err.strip()[-600:], file=sys.stderr)
    elapsed = time.perf_counter() - started
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=16)
    args = parser.parse_args()
    from tests.pg_cluster import PostgresCluster

    load = background_load()
    cluster = PostgresCluster().start()
    os.environ["PGUSER"] = cluster.superuser
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            inbox = work / "inbox"
            inbox.mkdir()
            _scans(inbox, args.pages)
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
                    ]
                )
            timed = {}
            for n in (1, 2):
                timed[n], pages = _workers_run(cluster, inbox, work, n)
                rows.append(
                    [
                        f"reviewer worker x{n}",
                        f"{pages}",
                        f"{timed[n]:.1f}",
                        f"{pages / timed[n] * 60:.1f}",
                        f"{timed[1] / timed[n]:.2f}x",
                    ]
                )
    finally:
        cluster.stop()
    print(machine())
    print(f"other processes' load before the runs: {load if load is not None else '?'} cores")
    print(table(["run", "pages", "seconds", "pages/min", "speed-up"], rows))


if __name__ == "__main__":
    main()
