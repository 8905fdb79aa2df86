"""OCR throughput on both cores: reviewer's reading of scanned pages beside Tesseract run directly.

Makes ``--pages`` synthetic Russian scans (image-only PDF pages at 200 dpi, skewed and noisy, as in the
tests), imports them into a fresh case without reading, then times:

- ``reviewer``: ``read_pages(case)`` (worker processes, one per core: open the original, render each
  page at 300 dpi in grey, Tesseract ``rus+eng`` on a pipe, words with boxes, text, entities, the
  search index and the custody log, committed page pair by page pair);
- ``plain``: the ``tesseract`` program on the same pages already rendered to 300-dpi PNG files, two at a
  time (one per core), ``OMP_THREAD_LIMIT=1``, TSV output, nothing stored.

and prints pages per minute for each and their ratio; the order alternates between repetitions. Goal
(issue 5): ratio about 1.0.

    .venv/bin/python benchmarks/ocr_speed.py --pages 12 --repeat 2
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _common import DATE, machine, median, prepare, table

prepare()

LINES = [
    "МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ РЕСПУБЛИКИ ВЕЛОРИЯ",
    "Исх. № 12-05/1174 от 12 мая 2019 г.",
    "Министерство иностранных дел Республики Велория свидетельствует своё уважение",
    "Посольству и имеет честь сообщить, что экспортный паспорт ЭП-078/1133-19",
    "на поставку станков оформлен концерном Белнефтехим в установленном порядке.",
    "Министерство пользуется случаем, чтобы возобновить Посольству уверения",
    "в своём весьма высоком уважении.",
]


def make_pages(folder: Path, pages: int) -> list[Path]:
    """Scanned PDFs of 2 pages each (the last may have 1)."""
    from tests.filemaker import make_scanned_pdf

    files = []
    for i in range(0, pages, 2):
        files.append(
            make_scanned_pdf(
                folder / f"scan{i:03d}.pdf",
                pages=min(2, pages - i),
                dpi=200,
                skew_degrees=0.8,
                noise=0.1,
                lines=LINES,
                seed=i,
            )
        )
    return files


def render_for_tesseract(files: list[Path], out: Path) -> list[Path]:
    """Each page at 300 dpi in grey, as PNG, the way reviewer hands it to Tesseract."""
    import pymupdf

    images = []
    for path in files:
        with pymupdf.open(path) as doc:
            for page in doc:
                target = out / f"{path.stem}-{page.number + 1}.png"
                page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY).save(target)
                images.append(target)
    return images


def plain(images: list[Path], cores: int) -> float:
    """Seconds for ``tesseract`` on every image, ``cores`` at a time."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(image: Path) -> None:
        subprocess.run(
            ["tesseract", str(image), "stdout", "-l", "rus+eng", "--dpi", "300", "--psm", "3", "tsv"],
            capture_output=True,
            env=env,
            check=True,
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(cores) as pool:
        list(pool.map(one, images))
    return time.perf_counter() - started


def ours(files: list[Path], workdir: Path, run: int) -> tuple[float, int]:
    """Seconds for reviewer to read (OCR) every page of a fresh import; and pages OCR'd."""
    from reviewer.core.ingest.reading import OcrMode
    from reviewer.core.services.case import create_case
    from reviewer.core.services.importing import import_paths
    from reviewer.core.services.reading import read_pages

    root = workdir / f"case{run}"
    with create_case(root, actor="bench") as case:
        import_paths(case, files)
        started = time.perf_counter()
        report = read_pages(case, mode=OcrMode.AUTO)
        elapsed = time.perf_counter() - started
    shutil.rmtree(root, ignore_errors=True)
    return elapsed, report.ocr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    from reviewer.core.processes import usable_cores

    cores = usable_cores()
    workdir = Path(tempfile.mkdtemp(prefix="ocr-bench-"))
    try:
        files = make_pages(workdir, args.pages)
        images_dir = workdir / "images"
        images_dir.mkdir()
        images = render_for_tesseract(files, images_dir)
        rows = []
        ours_rates: list[float] = []
        plain_rates: list[float] = []
        for run in range(args.repeat):
            order = ("ours", "plain") if run % 2 == 0 else ("plain", "ours")
            times: dict[str, float] = {}
            for which in order:
                if which == "ours":
                    times["ours"], done = ours(files, workdir, run)
                    if done != len(images):
                        raise SystemExit(f"reviewer OCR'd {done} of {len(images)} pages")
                else:
                    times["plain"] = plain(images, cores)
            ours_rates.append(len(images) / times["ours"] * 60)
            plain_rates.append(len(images) / times["plain"] * 60)
            rows.append(
                [
                    f"run {run + 1}",
                    f"{times['ours']:.1f}",
                    f"{ours_rates[-1]:.1f}",
                    f"{times['plain']:.1f}",
                    f"{plain_rates[-1]:.1f}",
                    f"{times['ours'] / times['plain']:.2f}×",
                ]
            )
        rows.append(
            [
                "median",
                "",
                f"{median(ours_rates):.1f}",
                "",
                f"{median(plain_rates):.1f}",
                f"{median(plain_rates) / median(ours_rates):.2f}×",
            ]
        )
        print(f"{len(images)} scanned pages, {cores} cores, {DATE}, {machine()}")
        print(
            table(
                ["", "reviewer s", "reviewer pages/min", "tesseract s", "tesseract pages/min", "time ratio"],
                rows,
            )
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
