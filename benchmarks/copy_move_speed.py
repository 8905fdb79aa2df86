"""Copy-move detection: time per page at 200 dpi, copies found, and false alarms on clean pages.

    python benchmarks/copy_move_speed.py [--letters 10] [--forms 6] [--clones 10] [--corpus DIR]

Sets, all 200 dpi grey pages:
- ``letters``: ``tests.filemaker`` scanned letters (grain 0 to 0.6, skew, a blue stamp on some);
- ``forms``: a generated form with labelled lines, tick boxes and a table of identical rows, with and
  without grain (the classic false alarms);
- ``clones``: a typed scan with a signature, the rectangle around it copied elsewhere on the page
  (straight, or turned 8° and enlarged 10 %), saved as JPEG at quality 60 to 90;
- ``corpus``: the first two pages of each pdf.js corpus file whose first page is mostly one picture
  (scanned-looking), drawn at 200 dpi.

``find_copies`` is timed on the drawn pixels (one process); ``job`` times the worker job itself on
the cloned scans saved as PDFs (drawing the page, the check, and dropping repeats of a text layer).
A clean page counts as a false alarm if anything is reported; a clone counts as found if something is.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reviewer.core.forensics.copy_move import find_copies
from reviewer.core.ingest.pixel_tasks import CopyMoveTask
from reviewer.core.ingest.pixel_work import copy_move
from tests import filemaker
from tests import forensics_files as ff
from tests.copy_move_files import COPIED, DPI, cloned, jpeg, scan_pdf, signed_scan
from tests.core.forensics.test_copy_move import form_scan


def _letters(count: int, folder: Path) -> list[np.ndarray]:
    pages = []
    for i in range(count):
        noise, skew, stamp = (0.0, 0.3, 0.6)[i % 3], (0.0, 0.7, -0.4)[i % 3], i % 2 == 1
        path = filemaker.make_scanned_pdf(
            folder / f"letter{i}.pdf", pages=1, noise=noise, skew_degrees=skew, stamp=stamp, seed=100 + i
        )
        pages.append(ff.render_gray(path, DPI))
    return pages


def _clones(count: int) -> list[np.ndarray]:
    pages = []
    for i in range(count):
        page = signed_scan(seed=10 + i)
        if i % 2:
            x0, y0, x1, y1 = COPIED
            patch = Image.fromarray(page[y0:y1, x0:x1]).rotate(
                8, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=230
            )
            patch = patch.resize((round(patch.width * 1.1), round(patch.height * 1.1)))
            page[400 : 400 + patch.height, 900 : 900 + patch.width] = np.asarray(patch)
        else:
            page = cloned(page)
        pages.append(jpeg(page, (60, 75, 90)[i % 3]))
    return pages


def _corpus(folder: Path | None) -> list[np.ndarray]:
    if folder is None or not folder.is_dir():
        return []
    pages = []
    for path in sorted(folder.glob("*.pdf")):
        try:
            doc = pymupdf.open(path)
        except (RuntimeError, ValueError):
            continue
        with doc:
            if doc.needs_pass or doc.page_count == 0:
                continue
            try:
                first = doc[0]
                area = first.rect.width * first.rect.height
                covered = max(
                    (
                        pymupdf.Rect(i["bbox"]).width * pymupdf.Rect(i["bbox"]).height
                        for i in first.get_image_info()
                    ),
                    default=0.0,
                )
                if covered < 0.6 * area:
                    continue
                for number in range(min(2, doc.page_count)):
                    pix = doc[number].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
                    if pix.width * pix.height <= 40_000_000:
                        pages.append(
                            np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()
                        )
            except (RuntimeError, ValueError):
                continue
    return pages


def _time(pages: list[np.ndarray]) -> tuple[list[float], int]:
    seconds, flagged = [], 0
    for pixels in pages:
        started = time.perf_counter()
        found = find_copies(pixels, DPI)
        seconds.append(time.perf_counter() - started)
        flagged += bool(found)
    return seconds, flagged


def _row(name: str, seconds: list[float], flagged: int, what: str) -> None:
    if not seconds:
        print(f"| {name} | 0 | | | | |")
        return
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    print(
        f"| {name} | {len(seconds)} | {statistics.median(seconds) * 1000:.0f} | {p90 * 1000:.0f} | "
        f"{max(seconds) * 1000:.0f} | {flagged} {what} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--letters", type=int, default=10)
    parser.add_argument("--forms", type=int, default=6)
    parser.add_argument("--clones", type=int, default=10)
    parser.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared/corpus/pdfjs"
    )
    args = parser.parse_args()
    pymupdf.TOOLS.mupdf_display_errors(False)  # the corpus is full of broken files, on purpose
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        sets = {
            "letters": (_letters(args.letters, folder), "false alarms"),
            "forms": ([form_scan((0.0, 3.0, 6.0)[i % 3], seed=i) for i in range(args.forms)], "false alarms"),
            "clones": (_clones(args.clones), "found"),
            "corpus": (_corpus(args.corpus), "false alarms"),
        }
        print("| set | pages | median ms | p90 ms | max ms | result |")
        print("|---|---:|---:|---:|---:|---|")
        for name, (pages, what) in sets.items():
            seconds, flagged = _time(pages)
            _row(name, seconds, flagged, what)
        job_seconds, found = [], 0
        for i, pixels in enumerate(sets["clones"][0][:4]):
            path = scan_pdf(folder / f"clone{i}.pdf", pixels)
            started = time.perf_counter()
            result = copy_move(CopyMoveTask(str(path), None, 1))
            job_seconds.append(time.perf_counter() - started)
            found += bool(result.signals)
        _row("job (cloned scans as PDFs)", job_seconds, found, "found")


if __name__ == "__main__":
    main()
