"""Forensics speed: import-time signals beside a plain import pass, and region search beside brute force.

Run from the repository root::

    python benchmarks/forensics_speed.py [--repeat N] [--pages N] [--baseline-pages N]

Two measurements, each in the same process and the same repetition as its baseline (the machine is
shared and noisy, so only figures taken one right after the other are compared):

``signals``
    a benchmark set from ``tests.filemaker.make_benchmark_set`` (born-digital 5-page PDFs and
    two-page 200-dpi scans). ``plain`` is what an import reads of a file with PyMuPDF alone (open,
    metadata, XMP, and per page its text and a 200-px thumbnail); ``signals`` is
    ``pdf_signals(path)``. Both are reported per page, with signals / plain: the share an import
    would grow by if the workers computed the signals too.
``regions``
    ``--pages`` (default 1,000) page images at 100 dpi made from scanned pages with typed text, some
    carrying the stamp looked for (smaller and turned), some other stamps, most none. ``ours`` is
    ``find_region`` over features built beforehand (as a caller that keeps them would), ``features``
    the time to build them; ``brute force`` is plain numpy: the normalised cross-correlation of the
    whole page at 100 dpi with the template at 9 sizes × 5 angles through the FFT, on
    ``--baseline-pages`` pages and scaled to the whole set. Both count the stamps they found.

``import``
    the same benchmark set imported for real (``import_paths`` into a fresh case, the workers on every
    core, the database written), once as reviewer imports (signals and page hashes computed in the
    workers) and once with the signals switched off (``AnalysisTask.forensics=False``), alternating;
    beside them ``plain`` is the single-process PyMuPDF pass of ``signals`` over the same files.
``case search`` (``--case-pages N``, default 1,000; 0 skips it)
    the pages of ``regions`` written as 100-dpi scanned PDFs of 50 pages, imported into a case, and
    ``find_region_elsewhere`` run through the service from an annotation of the stamp: first cold
    (every page drawn at 100 dpi in the workers, its features kept in ``derived/``), then warm (the kept
    features read back). Both must find exactly the pages holding the stamp.

Nothing here asserts a time; the run fails only if region search misses a stamp or finds one where
there is none.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._common import machine, ms, table  # noqa: E402

THUMBNAIL_PX = 200
PAGE_DPI = 100
TEMPLATE_DPI = 150


# -- signals ------------------------------------------------------------------------------------------


def plain_pass(path: Path) -> int:
    """What an import reads of a PDF with PyMuPDF alone; the number of pages."""
    import pymupdf

    with pymupdf.open(str(path)) as doc:
        _ = doc.metadata, doc.get_xml_metadata(), doc.get_page_labels()
        for page in doc:
            page.get_text("text")
            scale = THUMBNAIL_PX / max(page.rect.width, page.rect.height)
            page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False).tobytes("png")
        return int(doc.page_count)


def bench_signals(files: list[Path], repeat: int) -> list[list[str]]:
    from reviewer.core.forensics.pdf import pdf_signals

    pages = sum(plain_pass(f) for f in files)  # warm-up, and the page count
    for f in files:
        pdf_signals(f)
    rows = []
    kinds = (
        ("born-digital", [f for f in files if "text" in f.name]),
        ("scans", [f for f in files if "scan" in f.name]),
        ("all", files),
    )
    for kind, subset in kinds:
        kind_pages = sum(plain_pass(f) for f in subset)
        plain_times, signal_times = [], []
        for round_ in range(repeat):
            order = [("plain", plain_pass), ("signals", pdf_signals)]
            if round_ % 2:
                order.reverse()
            for name, work in order:
                start = time.perf_counter()
                for f in subset:
                    work(f)
                elapsed = (time.perf_counter() - start) / kind_pages
                (plain_times if name == "plain" else signal_times).append(elapsed)
        ratios = [s / p for s, p in zip(signal_times, plain_times, strict=True)]
        rows.append(
            [
                f"{kind} ({len(subset)} files, {kind_pages} pages)",
                ms(statistics.median(plain_times)),
                ms(statistics.median(signal_times)),
                f"{statistics.median(ratios):.2f} ({min(ratios):.2f})",
            ]
        )
    print(f"{len(files)} files, {pages} pages")
    return rows


# -- the real import -----------------------------------------------------------------------------------


def analyse_without_signals(task: Any, beat: Any) -> Any:
    """The import's worker with the forensic signals switched off (module level: workers unpickle it)."""
    from dataclasses import replace

    from reviewer.core.ingest.analyse import analyse_file

    return analyse_file(replace(task, forensics=False), beat)


def bench_import(files: list[Path], repeat: int, scratch: Path) -> list[list[str]]:
    from reviewer.core.services.case import create_case
    from reviewer.core.services.importing import import_paths
    from reviewer.core.workers.registry import ANALYSE

    pages = sum(plain_pass(f) for f in files)
    times: dict[str, list[float]] = {"plain": [], "with": [], "without": []}
    contenders = [
        ("with", ANALYSE),
        ("without", analyse_without_signals),
    ]
    for round_ in range(repeat + 1):  # the first round warms the fork server and the page cache
        order = contenders if round_ % 2 else list(reversed(contenders))
        for name, analyser in order:
            root = scratch / f"case-{name}-{round_}"
            with create_case(root, actor="bench") as case:
                start = time.perf_counter()
                report = import_paths(case, files, analyser=analyser)
                elapsed = time.perf_counter() - start
            if len(report.imported) != len(files):
                raise SystemExit(f"import {name}: {len(report.imported)} of {len(files)} imported")
            if round_:
                times[name].append(elapsed)
        start = time.perf_counter()
        for f in files:
            plain_pass(f)
        if round_:
            times["plain"].append(time.perf_counter() - start)
    ratios = [w / o for w, o in zip(times["with"], times["without"], strict=True)]
    rows = []
    for name, label in (
        ("plain", "plain PyMuPDF pass, one process"),
        ("without", "import, signals off"),
        ("with", "import as shipped (signals, page hashes)"),
    ):
        median = statistics.median(times[name])
        to_plain = [t / p for t, p in zip(times[name], times["plain"], strict=True)]
        rows.append(
            [
                label,
                f"{median:.2f}",
                ms(median / pages),
                f"{statistics.median(to_plain):.2f} ({min(to_plain):.2f})",
            ]
        )
    rows.append(["with / without signals", "", "", f"{statistics.median(ratios):.2f} ({min(ratios):.2f})"])
    return rows


# -- regions ------------------------------------------------------------------------------------------


def make_pages(count: int) -> tuple[Any, list[tuple[int, Any, str]]]:
    """The template (at 150 dpi) and ``count`` page images at 100 dpi: (index, pixels, what it holds)."""
    import numpy as np
    from PIL import Image

    from tests import forensics_files as ff

    stamp, other, received = ff.ministry_stamp(), ff.other_round_stamp(), ff.received_stamp()
    with tempfile.TemporaryDirectory() as scratch:
        original = ff.make_stamped_scan(Path(scratch) / "a.pdf", [ff.Placement(stamp, (420, 640))], seed=1)
        half = 470 / 300 * 72 / 2 + 2
        template = ff.render_clip(original, (420 - half, 640 - half, 420 + half, 640 + half), TEMPLATE_DPI)
    bases = []
    for seed in range(12):
        page = ff.scan_page(100 + seed)
        kind = ("stamp", "other", "none", "none")[seed % 4]
        if kind == "stamp":
            # below the typed lines, as stamps mostly are (over dense text scores fall: docs/benchmarks.md)
            page = ff.stamp_onto(
                page, ff.Placement(stamp, (150 + 25 * seed, 650), 0.82 + seed / 30, 4.0 - seed)
            )
        elif kind == "other":
            page = ff.stamp_onto(page, ff.Placement(other, (200, 640), 0.95, 3.0))
            page = ff.stamp_onto(page, ff.Placement(received, (400, 300)))
        small = Image.fromarray(page).reduce(3)  # 300 → 100 dpi
        bases.append((np.asarray(small), kind))
    rng = np.random.default_rng(0)
    pages = []
    for index in range(count):
        pixels, kind = bases[index % len(bases)]
        if kind == "stamp" and index >= len(bases) and index % 50:
            kind, pixels = "none", bases[(index % len(bases)) + 2][0]  # keep stamps to about 1 page in 50
        noisy = np.clip(pixels + rng.normal(0, 3, pixels.shape), 0, 255).astype(np.uint8)
        pages.append((index, noisy, kind))
    return template, pages


def brute_force(template: Any, pages: list[tuple[int, Any, str]], threshold: float) -> tuple[float, int]:
    """Plain numpy: whole-page NCC through the FFT at 9 sizes × 5 angles at 100 dpi; (seconds, found)."""
    import numpy as np
    from PIL import Image

    image = Image.fromarray(template)
    variants = []
    for scale in np.linspace(0.8, 1.2, 9):
        for angle in np.linspace(-5, 5, 5):
            f = PAGE_DPI / TEMPLATE_DPI * scale
            t = image.resize((round(image.width * f), round(image.height * f)), Image.Resampling.BILINEAR)
            t = np.asarray(t.rotate(angle, fillcolor=255), dtype=np.float64)
            t -= t.mean()
            variants.append((t, float(np.sqrt((t * t).sum()))))
    found = 0
    start = time.perf_counter()
    for _, pixels, _kind in pages:
        page = pixels.astype(np.float64)
        spectrum = np.fft.rfft2(page)
        s1 = np.pad(page, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
        s2 = np.pad(page * page, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
        best = -1.0
        for t, norm in variants:
            h, w = t.shape
            corr = np.fft.irfft2(spectrum * np.conj(np.fft.rfft2(t, s=page.shape)), s=page.shape)
            corr = corr[: page.shape[0] - h + 1, : page.shape[1] - w + 1]
            total = s1[h:, w:] - s1[:-h, w:] - s1[h:, :-w] + s1[:-h, :-w]
            squares = s2[h:, w:] - s2[:-h, w:] - s2[h:, :-w] + s2[:-h, :-w]
            var = np.maximum(squares - total * total / (h * w), h * w * 9.0)
            best = max(best, float((corr / (np.sqrt(var) * norm)).max()))
        found += best >= threshold
    return time.perf_counter() - start, found


def bench_regions(count: int, baseline_count: int, repeat: int) -> tuple[list[list[str]], str]:
    from reviewer.core.forensics.regions import find_region, page_features, region_template

    template_pixels, pages = make_pages(count)
    truth = {i for i, _, kind in pages if kind == "stamp"}
    template = region_template(template_pixels, TEMPLATE_DPI)
    start = time.perf_counter()
    features = [(i, page_features(pixels, PAGE_DPI)) for i, pixels, _ in pages]
    build = time.perf_counter() - start
    find_region(template, features[:20])  # warm-up: the template's variants and spectra
    ours_times = []
    for _ in range(repeat):
        start = time.perf_counter()
        matches = find_region(template, features)
        ours_times.append(time.perf_counter() - start)
    found = {m.page for m in matches}
    if found != truth:
        raise SystemExit(f"region search found {sorted(found)[:10]}… expected {sorted(truth)[:10]}…")
    sample = pages[:baseline_count]
    brute, brute_found = brute_force(template_pixels, sample, 0.6)
    brute_total = brute * count / len(sample)
    ours = statistics.median(ours_times)
    size = sum(f.nbytes for _, f in features) / len(features)
    rows = [
        ["ours: find_region over kept features", f"{ours:.1f}", ms(ours / count),
         f"{len(found)} of {len(truth)}, 0 wrong"],
        ["ours: building the features", f"{build:.1f}", ms(build / count), f"{size / 1e6:.2f} MB a page"],
        [f"brute force (measured on {len(sample)} pages)", f"{brute_total:.0f}", ms(brute / len(sample)),
         f"{brute_found} pages ≥ 0.6; {sum(1 for _, _, k in sample if k == 'stamp')} hold the stamp"],
    ]  # fmt: skip
    return rows, f"{brute_total / ours:.0f}× faster than brute force ({count} pages)"


def bench_case_search(count: int, scratch: Path) -> list[list[str]]:
    """Region search through the service over ``count`` imported scanned pages; cold, then warm."""
    import io

    import pymupdf
    from PIL import Image

    from reviewer.core.domain.values import Rect
    from reviewer.core.services import documents
    from reviewer.core.services.case import create_case
    from reviewer.core.services.importing import import_paths
    from reviewer.core.services.region_search import find_region_elsewhere
    from tests import forensics_files as ff

    _, pages = make_pages(count)
    inbox = scratch / "scans"
    inbox.mkdir()
    truth: set[tuple[int, int]] = set()
    per_file = 50
    for start in range(0, count, per_file):
        with pymupdf.open() as doc:
            for index, pixels, kind in pages[start : start + per_file]:
                buffer = io.BytesIO()
                Image.fromarray(pixels).save(buffer, "JPEG", quality=85, dpi=(PAGE_DPI, PAGE_DPI))
                page = doc.new_page(width=ff.A4[0], height=ff.A4[1])
                page.insert_image(page.rect, stream=buffer.getvalue())
                if kind == "stamp":
                    truth.add((start // per_file + 2, index - start + 1))  # document 1 is the original
            doc.save(str(inbox / f"scans-{start // per_file:03d}.pdf"))
    original = ff.make_stamped_scan(
        scratch / "original.pdf", [ff.Placement(ff.ministry_stamp(), (420, 640))], seed=1
    )
    half = 470 / 300 * 72 / 2 + 2
    rows = []
    with create_case(scratch / "search-case", actor="bench") as case:
        import_paths(case, [original])
        start = time.perf_counter()
        import_paths(case, sorted(inbox.iterdir()))
        imported = time.perf_counter() - start
        annotation = documents.add_annotation(
            case, 1, page=1, rect=Rect(420 - half, 640 - half, 420 + half, 640 + half), note="stamp"
        )
        for label in ("cold: pages drawn, features kept", "warm: kept features read"):
            start = time.perf_counter()
            hits = find_region_elsewhere(case, annotation.id)
            elapsed = time.perf_counter() - start
            found = {(h.document_id, h.page) for h in hits}
            if found != truth:
                raise SystemExit(
                    f"service region search found {sorted(found)[:5]}, expected {sorted(truth)[:5]}"
                )
            rows.append(
                [label, f"{elapsed:.1f}", ms(elapsed / (count + 1)), f"{len(found)} of {len(truth)}, 0 wrong"]
            )
        kept = sum(p.stat().st_size for p in case.layout.derived.rglob("features-*.npz"))
    rows.append([f"(importing the {count} pages)", f"{imported:.1f}", ms(imported / count), ""])
    rows.append(["(features kept in derived/)", "", "", f"{kept / (count + 1) / 1e6:.2f} MB a page"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--baseline-pages", type=int, default=24)
    parser.add_argument("--files", type=int, default=20, help="born-digital files; half as many scans")
    parser.add_argument("--case-pages", type=int, default=1000, help="pages for the service search; 0 skips")
    args = parser.parse_args()
    print(machine())
    from tests.filemaker import make_benchmark_set

    with tempfile.TemporaryDirectory() as scratch:
        files = make_benchmark_set(Path(scratch) / "set", born_digital=args.files, scans=args.files // 2)
        rows = bench_signals(files, args.repeat)
        print("\nImport-time signals per page (median of repetitions; ratio median (min))")
        print(table(["set", "plain ms/page", "signals ms/page", "signals / plain"], rows))
        rows = bench_import(files, args.repeat, Path(scratch))
        print("\nThe real import, signals on and off (median of repetitions; ratio median (min))")
        print(table(["contender", "total s", "ms/page", "to plain"], rows))
    if args.case_pages:
        with tempfile.TemporaryDirectory() as scratch:
            rows = bench_case_search(args.case_pages, Path(scratch))
        print(f"\nRegion search through the service over a case of {args.case_pages} + 1 pages")
        print(table(["run", "total s", "ms/page", "result"], rows))
    rows, summary = bench_regions(args.pages, args.baseline_pages, args.repeat)
    print(f"\nRegion search over {args.pages} pages at {PAGE_DPI} dpi")
    print(table(["contender", "total s", "ms/page", "result"], rows))
    print(summary)


if __name__ == "__main__":
    main()
