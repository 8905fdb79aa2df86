"""Tesseract, the OCR engine: where it is, which languages it reads, and words with boxes from a page image.

reviewer renders pages with PyMuPDF and hands the pixels to the ``tesseract`` program on a pipe. PyMuPDF
can call a Tesseract built into MuPDF too, but on the same 300-dpi page that one took 1.7 times as long
as the system's Tesseract (4.4 s against 2.6 s): its build lacks the system one's optimisations, and OCR
time is most of what reading a scan costs. Each call runs one Tesseract thread (``OMP_THREAD_LIMIT=1``)
so that one worker process per core keeps every core busy without oversubscribing them.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from reviewer.core.domain.errors import UsageError

DEFAULT_LANGUAGES = "rus+eng"
INSTALL_HINT = "sudo apt install tesseract-ocr tesseract-ocr-rus"


class OcrUnavailable(UsageError):
    """Tesseract is not installed, or lacks a language asked for."""


@dataclass(frozen=True, slots=True)
class OcrWord:
    """A recognised word: its box in image pixels, text and confidence (0–100)."""

    left: int
    top: int
    width: int
    height: int
    text: str
    confidence: float
    block: int
    paragraph: int
    line: int


@functools.cache
def tesseract_program() -> str | None:
    """The path of the ``tesseract`` program, or None when it is not installed."""
    return shutil.which("tesseract")


@functools.cache
def installed_languages() -> tuple[str, ...]:
    """The language data Tesseract has (``rus``, ``eng``, ``aze_cyrl`` ...), without ``osd``."""
    program = tesseract_program()
    if program is None:
        return ()
    try:
        listing = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    names = [line.strip() for line in listing.splitlines()[1:] if line.strip()]
    return tuple(sorted(n for n in names if n != "osd"))


def package_for(language: str) -> str:
    """The Debian/Ubuntu package that carries a language's data."""
    return "tesseract-ocr-" + language.replace("_", "-").lower()


def check_languages(languages: str) -> str:
    """``languages`` (``rus+eng``) if Tesseract reads them all; else an error naming what to install."""
    if tesseract_program() is None:
        raise OcrUnavailable(f"OCR needs Tesseract, which is not installed: {INSTALL_HINT}")
    wanted = [part.strip() for part in languages.split("+") if part.strip()]
    if not wanted:
        raise UsageError("no OCR language given; e.g. rus+eng")
    installed = set(installed_languages())
    missing = [w for w in wanted if w not in installed]
    if missing:
        packages = " ".join(package_for(m) for m in missing)
        raise OcrUnavailable(
            f"Tesseract has no language data for {', '.join(missing)}: sudo apt install {packages} "
            f"(installed: {', '.join(sorted(installed)) or 'none'})"
        )
    return "+".join(wanted)


def _scratch_folder() -> str | None:
    # Page pixels are evidence: a private file in memory-backed /dev/shm where there is one, removed at once.
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def recognise(image: bytes, languages: str, dpi: int, timeout: float = 600.0) -> list[OcrWord]:
    """The words Tesseract reads in one page image (PNM, PNG or TIFF bytes).

    The image goes to Tesseract as a file, not on its standard input: Leptonica reads an uncompressed
    page from a pipe ~40 % slower (1.35 s against 0.95 s for a 300-dpi A4 page), and compressing it
    to PNG first costs a second of its own.
    """
    program = tesseract_program()
    if program is None:
        raise OcrUnavailable(f"OCR needs Tesseract, which is not installed: {INSTALL_HINT}")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.NamedTemporaryFile(prefix="reviewer-ocr-", suffix=".pnm", dir=_scratch_folder()) as page:
        page.write(image)
        page.flush()
        try:
            done = subprocess.run(
                [program, page.name, "stdout", "-l", languages, "--dpi", str(dpi), "--psm", "3", "tsv"],
                capture_output=True,
                env=env,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise OSError(f"Tesseract took longer than {timeout:g} s on one page") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OSError(f"Tesseract failed: {message[-1] if message else f'exit code {done.returncode}'}")
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[OcrWord]:
    """Words of Tesseract's TSV output (level 5 rows with text)."""
    words: list[OcrWord] = []
    for line in tsv.splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = cells[11].strip()
        if not text:
            continue
        try:
            block, paragraph, row = int(cells[2]), int(cells[3]), int(cells[4])
            left, top, width, height = (int(c) for c in cells[6:10])
            confidence = float(cells[10])
        except ValueError:
            continue
        words.append(OcrWord(left, top, width, height, text, confidence, block, paragraph, row))
    return words


def words_to_text(words: list[OcrWord]) -> str:
    """The recognised text: words of a line joined by spaces, lines by newlines, blocks by blank lines."""
    out: list[str] = []
    previous: tuple[int, int, int] | None = None
    for word in words:
        key = (word.block, word.paragraph, word.line)
        if previous is None:
            pass
        elif key[:2] != previous[:2]:
            out.append("\n\n" if key[0] != previous[0] else "\n")
        elif key != previous:
            out.append("\n")
        else:
            out.append(" ")
        out.append(word.text)
        previous = key
    return "".join(out)
