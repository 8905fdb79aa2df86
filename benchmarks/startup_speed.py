"""Start-up speed: ``python -m reviewer open CASE`` to a shown window and a sharp first page.

Run from the repository root::

    python benchmarks/startup_speed.py [--repeat N] [--keep DIR]

A case is made in a temporary folder: first a 20-page, 300-dpi scan (the document the window opens
on, made with ``tests.filemaker.make_scanned_pdf``; ``--keep DIR`` keeps it for the next run), then
five born-digital PDFs. Each repetition then starts, offscreen, with ``REVIEWER_SETTINGS`` pointing
at a fresh ini file (a first start: no saved geometry):

``reviewer``
    the real command line, ``reviewer.cli.main(["open", CASE])``, in ``python -c`` with a few lines
    around it that print the wall-clock time at each milestone: the interpreter running, reviewer's
    command line imported, ``reviewer.ui.app`` imported (Qt, SQLAlchemy...), the ``QApplication`` made,
    the ``Launcher`` made, the case opened, the window shown (``Launcher.open`` returned), the viewer
    first painted, and ``page_sharp`` for page 1, when it quits. The milestones are hooked by wrapping
    ``application``, ``Launcher.__init__`` and ``Launcher.open``; nothing else is changed.
``python``
    ``python -c`` printing the time at once: the interpreter's own start.
``Qt window``
    ``import PySide6.QtWidgets``; a ``QApplication``; a 1500 × 900 ``QWidget`` shown; ``processEvents()``.
``Qt + PyMuPDF page``
    the same with a ``QLabel``, then PyMuPDF imported, the same original opened, page 1 drawn at the
    zoom reviewer drew it at, and set on the label as a pixmap; ``processEvents()``.

``reviewer (before)``, with ``--before TREE``
    the same as ``reviewer``, run from another source tree (e.g. ``git archive`` of an earlier commit,
    unpacked), so that a change is measured against what it changed in the same run and load.

Times run from just before ``subprocess.Popen`` in this process to each printed mark. The first round
warms the disk cache (and writes the bytecode cache) and is not counted; the order of the contenders
rotates between repetitions. Ratios divide reviewer's median by the matching baseline's median. No
time is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common
from _common import median, ms, ratio, table

GOAL_S = 1.5
PAGES = 20
DPI = 300

REVIEWER = r"""
import sys, time
def mark(name):
    sys.stdout.write(f"MARK {name} {time.time():.6f}\n"); sys.stdout.flush()
mark("interpreter running")
import reviewer.cli as cli
mark("reviewer.cli imported")
import reviewer.ui.app as ui_app
mark("reviewer.ui.app imported")
_application, _init, _open = ui_app.application, ui_app.Launcher.__init__, ui_app.Launcher.open
def application(*args, **kwargs):
    app = _application(*args, **kwargs)
    mark("QApplication made")
    return app
def init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    mark("Launcher made")
def open_(self, case):
    mark("case opened")
    window = _open(self, case)
    mark("window shown")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from reviewer.ui.page_view import zoom_bucket
    viewer = window.viewer
    class Watch(QObject):
        painted = False
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and not self.painted:
                self.painted = True
                mark("viewer painted")
            return False
    self._bench_watch = Watch()
    viewer.viewport().installEventFilter(self._bench_watch)
    def sharp(page):
        mark("first page sharp")
        sys.stdout.write(f"ZOOM {zoom_bucket(viewer.zoom * viewer.devicePixelRatioF())}\n")
        QTimer.singleShot(0, ui_app.QApplication.instance().quit)
    viewer.page_sharp.connect(sharp)
    return window
ui_app.application, ui_app.Launcher.__init__, ui_app.Launcher.open = application, init, open_
sys.exit(cli.main(["open", sys.argv[1]]))
"""

PYTHON = r"""
import sys, time
sys.stdout.write(f"MARK interpreter running {time.time():.6f}\n")
"""

QT_WINDOW = r"""
import sys, time
def mark(name):
    sys.stdout.write(f"MARK {name} {time.time():.6f}\n"); sys.stdout.flush()
mark("interpreter running")
from PySide6.QtWidgets import QApplication, QWidget
mark("imported")
app = QApplication([])
window = QWidget()
window.resize(1500, 900)
window.show()
app.processEvents()
mark("window shown")
"""

QT_PAGE = r"""
import sys, time
def mark(name):
    sys.stdout.write(f"MARK {name} {time.time():.6f}\n"); sys.stdout.flush()
mark("interpreter running")
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QLabel
mark("imported")
app = QApplication([])
label = QLabel()
label.resize(1500, 900)
label.show()
app.processEvents()
mark("window shown")
import pymupdf
zoom = float(sys.argv[2])
doc = pymupdf.open(sys.argv[1])
page = doc.load_page(0)
pix = page.get_pixmap(matrix=page.derotation_matrix * pymupdf.Matrix(zoom, zoom), alpha=False,
                      colorspace=pymupdf.csRGB)
image = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888).copy()
label.setPixmap(QPixmap.fromImage(image))
app.processEvents()
mark("page shown")
"""

CONTENDERS = ("reviewer", "python", "Qt window", "Qt + PyMuPDF page")
BEFORE = "reviewer (before)"


def build_case(root: Path, scratch: Path, keep: Path | None) -> tuple[Path, Path]:
    """The case folder and the original of the document it opens on."""
    from reviewer.core.services.case import create_case
    from reviewer.core.services.importing import import_paths
    from reviewer.core.services.queries import page_view
    from tests.filemaker import make_scanned_pdf, make_text_pdf

    folder = keep.resolve() if keep is not None else scratch
    folder.mkdir(parents=True, exist_ok=True)
    scan = folder / f"scan-{PAGES}p-{DPI}dpi-seed1.pdf"  # the same file viewer_speed.py makes
    if not scan.is_file():
        print(f"writing a {PAGES}-page {DPI}-dpi scan ...", end=" ", flush=True)
        started = time.perf_counter()
        make_scanned_pdf(
            scan.with_suffix(".partial"), pages=PAGES, dpi=DPI, skew_degrees=1.5, noise=0.35, seed=1
        )
        scan.with_suffix(".partial").rename(scan)
        print(f"{time.perf_counter() - started:.1f} s")
    texts = scratch / "texts"
    texts.mkdir()
    for seed in range(5):
        make_text_pdf(texts / f"note-{seed}.pdf", pages=5, seed=seed)
    with create_case(root, title="start-up benchmark", actor="benchmark") as case:
        first = import_paths(case, [scan])
        rest = import_paths(case, [texts])
        if first.failed or rest.failed:
            raise SystemExit(f"import failed: {first.failed} {rest.failed}")
        original = Path(page_view(case, first.imported[0].id).original)
    return root, original


def run_child(
    code: str, args: list[str], env: dict[str, str], cwd: Path = _common.ROOT
) -> tuple[dict[str, float], float, str]:
    """Start ``python -c code args``; seconds from just before Popen to each mark, the wall time, stdout."""
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    wall = time.time() - started
    if done.returncode != 0:
        raise SystemExit(f"a start-up run failed (exit {done.returncode}):\n{done.stderr.strip()}")
    marks: dict[str, float] = {}
    for text in done.stdout.splitlines():
        if text.startswith("MARK "):
            name, _, stamp = text[5:].rpartition(" ")
            marks[name] = float(stamp) - started
    return marks, wall, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="counted repetitions (after one warm-up)")
    parser.add_argument("--keep", type=Path, help="keep the generated scan here and reuse it")
    parser.add_argument("--quiet-wait", type=float, default=60, help="seconds to wait for an idle machine")
    parser.add_argument("--before", type=Path, help="also run reviewer from this source tree, for comparison")
    args = parser.parse_args()
    contenders = CONTENDERS + ((BEFORE,) if args.before else ())
    _common.prepare()
    print(_common.machine())
    scratch = Path(tempfile.mkdtemp(prefix="reviewer-bench-startup-"))
    try:
        case, original = build_case(scratch / "case", scratch, args.keep)
        env = dict(os.environ)
        env["QT_QPA_PLATFORM"] = "offscreen"
        # An installed reviewer starts from cached bytecode; with PYTHONDONTWRITEBYTECODE set (as in
        # some CI and sandbox shells) every start would compile ~400 modules first (0.3-0.6 s here).
        # The warm-up round writes the cache.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_common.ROOT), env.get("PYTHONPATH")]))
        zoom = "1.0"
        _common.wait_for_quiet(args.quiet_wait)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in contenders}
        walls: dict[str, list[float]] = {"reviewer": [], BEFORE: []}
        for round_no in range(args.repeat + 1):
            order = contenders[round_no % len(contenders) :] + contenders[: round_no % len(contenders)]
            for name in order:
                if name == BEFORE:
                    tree = args.before.resolve()
                    before_env = {**env, "PYTHONPATH": str(tree)}
                    before_env["REVIEWER_SETTINGS"] = str(scratch / f"settings-before-{round_no}.ini")
                    marks, wall, _ = run_child(REVIEWER, [str(case)], before_env, cwd=tree)
                    if round_no:
                        walls[BEFORE].append(wall)
                elif name == "reviewer":
                    settings = scratch / f"settings-{round_no}.ini"
                    env["REVIEWER_SETTINGS"] = str(settings)
                    marks, wall, out = run_child(REVIEWER, [str(case)], env)
                    zoom = next((t.split()[1] for t in out.splitlines() if t.startswith("ZOOM ")), zoom)
                    if round_no:
                        walls["reviewer"].append(wall)
                elif name == "python":
                    marks, _, _ = run_child(PYTHON, [], env)
                elif name == "Qt window":
                    marks, _, _ = run_child(QT_WINDOW, [], env)
                else:
                    marks, _, _ = run_child(QT_PAGE, [str(original), zoom], env)
                if round_no:  # round 0 warms the disk cache
                    results[name].append(marks)
            print(
                f"round {round_no}{' (warm-up, not counted)' if not round_no else ''}: "
                f"reviewer sharp at {ms(results['reviewer'][-1]['first page sharp']) if round_no else '…'} ms"
            )
        print(_common.machine())
        report(results, walls, zoom)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _column(runs: list[dict[str, float]], mark: str) -> list[float]:
    return [r[mark] for r in runs if mark in r]


def report(results: dict[str, list[dict[str, float]]], walls: dict[str, list[float]], zoom: str) -> None:
    """Print the tables."""
    for name in ("reviewer", BEFORE):
        if results.get(name):
            _milestones(name, results[name], walls[name], zoom)
    _baselines(results)


def _milestones(name: str, ours: list[dict[str, float]], walls: list[float], zoom: str) -> None:
    milestones = list(ours[0]) if ours else []
    print()
    print(f"{name}: open CASE, {len(ours)} runs (seconds from Popen; page 1 drawn at {zoom} px/pt):")
    rows = []
    previous = 0.0
    for mark in milestones:
        values = _column(ours, mark)
        rows.append(
            [mark, ms(median(values)), ms(min(values)), ms(max(values)), ms(median(values) - previous)]
        )
        previous = median(values)
    rows.append(["(process exited)", ms(median(walls)), ms(min(walls)), ms(max(walls)), ""])
    print(table(["milestone", "median ms", "min", "max", "step (medians)"], rows))


def _baselines(results: dict[str, list[dict[str, float]]]) -> None:
    print()
    base_rows = []
    for name in CONTENDERS[1:]:
        for mark in results[name][0]:
            values = _column(results[name], mark)
            base_rows.append([f"{name}: {mark}", ms(median(values)), ms(min(values)), ms(max(values))])
    print(table(["baseline", "median ms", "min", "max"], base_rows))
    qt_shown = median(_column(results["Qt window"], "window shown"))
    page_shown = median(_column(results["Qt + PyMuPDF page"], "page shown"))
    rows = []
    for name in ("reviewer", BEFORE):
        if not results.get(name):
            continue
        shown = median(_column(results[name], "window shown"))
        sharp = median(_column(results[name], "first page sharp"))
        rows += [
            [f"{name}: window shown / Qt window shown", ms(shown), ms(qt_shown), ratio(shown, qt_shown), ""],
            [
                f"{name}: first page sharp / Qt + PyMuPDF page shown",
                ms(sharp),
                ms(page_shown),
                ratio(sharp, page_shown),
                "yes" if sharp < GOAL_S else "no",
            ],
        ]
    print()
    print(table(["ratio", "ms", "baseline ms", "ratio", f"goal < {GOAL_S * 1000:.0f} ms"], rows))


if __name__ == "__main__":
    sys.exit(main())
