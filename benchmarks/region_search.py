"""Region search over a labelled set of generated pages: OpenCV's matcher beside the one it replaced.

    python benchmarks/region_search.py [--pages 1000] [--seeds 20]

The template is a 40 mm round stamp cut from a 200-dpi scan. The pages are 200-dpi scans of typed
letters (a few base pages, each with its own grain and JPEG) in ten kinds, one page in ten each:
the stamp as scanned; at 0.5× turned 8°; over typed text at 0.8×; a photo of the letter at 0.4×
turned 12° and tilted 25° (JPEG q60, a 72-dpi header); a close-up photo at 2.5× turned -12°, tilted;
a look-alike stamp with other words; and four without any stamp (plain, a rectangular stamp, a
photo of a plain letter, a plain letter at 0.5×).

Each matcher is timed per page: ``features`` (what is kept in derived/ per page) and ``search``
(the template against kept features, and the check of the pixels). A page counts as found when a
match's centre lies within a third of the stamp's size of where it is; any other match is a false hit.
Today's matcher (``reviewer.core.forensics.regions``, kept for this comparison only) is given the
pixels with the dpi a JPEG header claims, as the app drew pages in points.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reviewer.core.forensics import region_match, regions
from tests import forensics_files as ff
from tests import region_files as rf

KINDS = (
    "scan 1×",
    "scan 0.5× turned 8°",
    "over text 0.8×",
    "photo 0.4× 12° tilted 25°",
    "photo 2.5× -12° tilted 25°",
    "look-alike stamp",
    "plain",
    "other stamp",
    "photo of a plain letter",
    "plain at 0.5×",
)
STAMPED = set(KINDS[:5])


@dataclass(frozen=True, slots=True)
class Page:
    kind: str
    pixels: np.ndarray
    dpi: float  # what its header claims: what today's matcher measured points by
    centre: tuple[float, float] | None  # the stamp's centre in pixels
    size: float  # the stamp's size in pixels


def make_page(index: int, bases: list[np.ndarray]) -> Page:
    kind = KINDS[index % len(KINDS)]
    base = bases[index % len(bases)]
    rng = np.random.default_rng(index)
    grain = rng.normal(0, 2.0, base.shape).astype(np.float32)
    at = (float(rng.uniform(150, 440)), float(rng.uniform(150, 700)))
    px = (at[0] * rf.SCAN_DPI / 72, at[1] * rf.SCAN_DPI / 72)

    def grainy(page: np.ndarray) -> np.ndarray:
        return rf.recompressed(np.clip(page + grain, 0, 255).astype(np.uint8), 75)

    if kind == "scan 1×":
        page = ff.stamp_onto(base, ff.Placement(rf.stamp(), at), dpi=200)
        return Page(kind, grainy(page), 200, px, rf.STAMP_PX)
    if kind == "scan 0.5× turned 8°":
        page = ff.stamp_onto(base, ff.Placement(rf.stamp(), at, 0.5, 8.0), dpi=200)
        return Page(kind, grainy(page), 200, px, rf.STAMP_PX * 0.5)
    if kind == "over text 0.8×":
        at = (float(rng.uniform(150, 440)), float(rng.uniform(100, 420)))  # where the typed lines are
        px = (at[0] * rf.SCAN_DPI / 72, at[1] * rf.SCAN_DPI / 72)
        page = ff.stamp_onto(base, ff.Placement(rf.stamp(), at, 0.8, -4.0), dpi=200)
        return Page(kind, grainy(page), 200, px, rf.STAMP_PX * 0.8)
    if kind.startswith("photo 0.4"):
        photo = rf.Photo(0.4, 12, 25)
        page = ff.stamp_onto(base, ff.Placement(rf.stamp(), at), dpi=200)
        pixels, mapping = rf.photograph(page, photo, focus=px)
        return Page(kind, rf.recompressed(pixels, 60), 72, _apply(mapping, px), rf.STAMP_PX * 0.4)
    if kind.startswith("photo 2.5"):
        photo = rf.Photo(2.5, -12, 25)
        page = ff.stamp_onto(base, ff.Placement(rf.stamp(), at), dpi=200)
        pixels, mapping = rf.photograph(page, photo, focus=px)
        return Page(kind, rf.recompressed(pixels, 60), 72, _apply(mapping, px), rf.STAMP_PX * 2.5)
    if kind == "look-alike stamp":
        page = ff.stamp_onto(base, ff.Placement(ff.other_round_stamp(rf.STAMP_PX), at), dpi=200)
        return Page(kind, grainy(page), 200, None, 0)
    if kind == "other stamp":
        page = ff.stamp_onto(base, ff.Placement(ff.received_stamp(), at, 0.7), dpi=200)
        return Page(kind, grainy(page), 200, None, 0)
    if kind == "photo of a plain letter":
        pixels, _mapping = rf.photograph(base, rf.Photo(0.5, 10, 20))
        return Page(kind, rf.recompressed(pixels, 60), 72, None, 0)
    if kind == "plain at 0.5×":
        small = Image.fromarray(base).reduce(2)
        return Page(kind, rf.recompressed(np.asarray(small), 70), 100, None, 0)
    return Page(kind, grainy(base), 200, None, 0)


def _apply(mapping: np.ndarray, point: tuple[float, float]) -> tuple[float, float]:
    x, y, w = mapping @ np.array([point[0], point[1], 1.0])
    return float(x / w), float(y / w)


def judge(page: Page, centres: list[tuple[float, float]]) -> tuple[bool, int]:
    """(found, false hits) for the centres of a page's matches, in its pixels."""
    found, false = False, 0
    for centre in centres:
        if page.centre is not None and math.dist(centre, page.centre) < page.size / 3 and not found:
            found = True
        else:
            false += 1
    return found, false


def run_new(pages: list[Page], template_pixels: np.ndarray) -> dict[str, list[float | int]]:
    template = region_match.region_template(template_pixels)
    out: dict[str, list[float | int]] = defaultdict(list)
    for page in pages:
        start = time.perf_counter()
        features = region_match.page_features(page.pixels)
        middle = time.perf_counter()
        matches = region_match.find_region(template, page.pixels, features)
        end = time.perf_counter()
        found, false = judge(page, [((m.box[0] + m.box[2]) / 2, (m.box[1] + m.box[3]) / 2) for m in matches])
        out["features"].append(middle - start)
        out["search"].append(end - middle)
        out[f"found:{page.kind}"].append(int(found))
        out[f"false:{page.kind}"].append(false)
    return out


def run_old(pages: list[Page], template_pixels: np.ndarray) -> dict[str, list[float | int]]:
    template = regions.region_template(template_pixels, rf.SCAN_DPI)
    out: dict[str, list[float | int]] = defaultdict(list)
    for page in pages:
        start = time.perf_counter()
        features = regions.page_features(page.pixels, page.dpi)
        middle = time.perf_counter()
        matches = regions.find_region(template, [(0, features)])
        end = time.perf_counter()
        factor = page.dpi / 72.0
        found, false = judge(page, [(m.center[0] * factor, m.center[1] * factor) for m in matches])
        out["features"].append(middle - start)
        out["search"].append(end - middle)
        out[f"found:{page.kind}"].append(int(found))
        out[f"false:{page.kind}"].append(false)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seeds", type=int, default=20, help="base letters the pages are made from")
    args = parser.parse_args()
    import cv2

    cv2.setNumThreads(1)  # as in the workers: one process per core
    start = time.perf_counter()
    bases = [ff.scan_page(100 + s, dpi=rf.SCAN_DPI) for s in range(args.seeds)]
    pages = [make_page(i, bases) for i in range(args.pages)]
    template_pixels = rf.crop(rf.stamped_scan(1), rf.stamp_box())
    print(f"{len(pages)} pages made in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    results = {}
    for name, run in (("OpenCV (SIFT + RANSAC)", run_new), ("today's matcher (NCC)", run_old)):
        start = time.perf_counter()
        results[name] = run(pages, template_pixels)
        print(f"{name}: {time.perf_counter() - start:.0f} s", file=sys.stderr)

    names = list(results)
    print(f"{len(pages)} pages, one core each matcher\n")
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for label in ("features", "search"):
        cells = []
        for name in names:
            times = results[name][label]
            cells.append(f"{statistics.median(times) * 1000:.0f} ms median, {sum(times):.0f} s in all")
        print(f"| {label} per page | " + " | ".join(cells) + " |")
    for kind in KINDS:
        cells = []
        for name in names:
            found, false = results[name][f"found:{kind}"], results[name][f"false:{kind}"]
            cell = f"{sum(found)}/{len(found)} found" if kind in STAMPED else ""
            cell += (", " if cell else "") + f"{sum(false)} false"
            cells.append(cell)
        print(f"| {kind} | " + " | ".join(cells) + " |")
    for name in names:
        found = sum(sum(results[name][f"found:{k}"]) for k in STAMPED)
        total = sum(len(results[name][f"found:{k}"]) for k in STAMPED)
        false = sum(sum(results[name][f"false:{k}"]) for k in KINDS)
        print(f"\n{name}: recall {found}/{total} ({found / max(1, total):.0%}), false hits {false}")


if __name__ == "__main__":
    main()
