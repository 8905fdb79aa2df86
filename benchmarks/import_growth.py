"""Import throughput as a case grows: 1,000 pages into an empty case beside the same into a big one.

Issue 16: importing 1,000 more pages into the 1,000,000-page case (built by ``search_speed.py
--pages 1000000 --keep DIR``) should take no more than 1.2x the time it takes into an empty case.
Each round makes a new set of 250 four-page text PDFs for each case (so nothing is a duplicate) and
times ``reviewer import`` as a person runs it (a process of its own: opening the case is part of it),
into a new empty case and into the big case, in turns. The big case keeps what it imported.

    .venv/bin/python benchmarks/import_growth.py --case DIR/case --rounds 2 --work /tmp/growth
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT, machine, prepare

prepare()


def _make(folder: Path, tag: str, files: int) -> None:
    from tests.filemaker import make_text_pdf

    folder.mkdir(parents=True)
    for i in range(files):
        lines = [f"{tag} документ {i} министерство поставка договор № 12-05/{i} contract delivery"] * 25
        make_text_pdf(folder / f"{tag}-{i:03}.pdf", pages=4, lines=lines, title=f"{tag} {i}")


def _reviewer(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reviewer", *args], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def _open(case: Path) -> float:
    started = time.perf_counter()
    code = "import sys; from pathlib import Path; from reviewer.core.services.case import open_case; "
    code += "open_case(Path(sys.argv[1]), actor='benchmark').close()"
    subprocess.run([sys.executable, "-c", code, str(case)], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, required=True, help="the big case")
    parser.add_argument("--work", type=Path, required=True, help="a new folder for the files and empty cases")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--files", type=int, default=250, help="four-page PDFs per import")
    args = parser.parse_args()
    print(machine())
    # The first open after the open check was made size-independent reads the whole file once (no record
    # of a full check yet); later opens read a few bytes unless the file changed outside reviewer.
    opened = _open(args.case)
    print(f"first open of the big case (its full check recorded if none was): {opened:.1f} s", flush=True)
    print(f"a second open: {_open(args.case):.1f} s", flush=True)
    ratios = []
    for r in range(1, args.rounds + 1):
        empty, into_big = args.work / f"empty-{r}", args.work / f"set-big-{r}"
        # a tag of this run: the same tag in an earlier run made the same files, duplicates in the big case
        run = f"{int(time.time())}"
        _make(args.work / f"set-empty-{r}", f"empty{r}-{run}", args.files)
        _make(into_big, f"big{r}-{run}", args.files)
        _reviewer("init", str(empty))
        small = _reviewer("import", str(empty), str(args.work / f"set-empty-{r}"))
        big = _reviewer("import", str(args.case), str(into_big))
        ratios.append(big / small)
        print(
            f"round {r}: empty case {small:.1f} s, big case {big:.1f} s, ratio {big / small:.2f}", flush=True
        )
    print(f"ratios: {', '.join(f'{x:.2f}' for x in ratios)} (goal: at most 1.2)")


if __name__ == "__main__":
    main()
