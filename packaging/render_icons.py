"""Render the application icon to PNGs for the freedesktop hicolor theme.

    python packaging/render_icons.py           # (re)write resources/icons/hicolor/*/apps/*.png
    python packaging/render_icons.py --check   # exit 1 if a PNG is missing or differs from the SVG

The source is ``resources/icons/reviewer.svg``; the 16 px PNG comes from ``reviewer-16.svg``, the same
drawing redrawn on a 16 px grid so its outlines stay sharp. MuPDF (PyMuPDF) does the rendering, so
nothing beyond the project's own dependencies is needed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pymupdf

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
APP_ID = "org.reviewer.Reviewer"
SIZES = (16, 32, 48, 64, 128, 256)
SMALL = {16: "reviewer-16.svg"}  # sizes with a hand-tuned drawing of their own


def render(size: int) -> pymupdf.Pixmap:
    """The icon at ``size`` x ``size`` pixels, with transparency."""
    source = ICONS / SMALL.get(size, "reviewer.svg")
    with pymupdf.open(source) as doc:
        page = doc[0]
        matrix = pymupdf.Matrix(size / page.rect.width, size / page.rect.height)
        pix: pymupdf.Pixmap = page.get_pixmap(matrix=matrix, alpha=True)
    if (pix.width, pix.height) != (size, size):
        raise SystemExit(f"{source.name} rendered at {pix.width}x{pix.height}, not {size}x{size}")
    return pix


def target(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the application icon to PNGs for the hicolor theme.")
    parser.add_argument("--check", action="store_true", help="only check that the PNGs are up to date")
    args = parser.parse_args(argv)
    stale = []
    for size in SIZES:
        pix, path = render(size), target(size)
        if args.check:
            if not path.exists():
                stale.append(f"{path} is missing")
                continue
            if path.read_bytes() != pix.tobytes("png"):
                stale.append(f"{path} differs from the SVG")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        pix.save(path)
        print(f"wrote {path.relative_to(ICONS.parent.parent)}")
    for problem in stale:
        print(problem, file=sys.stderr)
    if stale:
        print("run: python packaging/render_icons.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
