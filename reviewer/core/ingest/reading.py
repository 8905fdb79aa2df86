"""Reading pages after import: what a reading worker is asked and what it answers (no PyMuPDF here).

Import records each page's embedded text and its words with their boxes at once, so a document can be
found by its metadata and text, and its hits highlighted, the moment it is in the case. Reading comes
after, in the background: OCR of pages without a usable text layer, and the words of pages that the
import could not read them from (documents imported before it did).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from reviewer.core.domain.errors import UsageError

MIN_USABLE_CHARACTERS = 20


def usable_text(text: str) -> bool:
    """Whether a text layer is worth reading instead of OCR: enough letters, little garbage.

    Fonts without a character map give replacement characters or private-use code points, and scans
    often carry a few stray characters; either way the page needs OCR to be searchable.
    """
    letters = len(text) - len(_LETTERS.sub("", text))
    bad = len(text) - len(_GARBAGE.sub("", text))
    return letters >= MIN_USABLE_CHARACTERS and bad <= letters * 0.1


# Counted in C, not character by character in Python (a reading pass asks this of every page):
# letters and digits are Unicode categories L* and N*, exactly the characters ``[^\W_]`` matches;
# garbage is U+FFFD and the private-use (Co) and control (Cc) characters other than \n, \r and \t.
_LETTERS = re.compile(r"[^\W_]")
_GARBAGE = re.compile(
    "[\ufffd\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)


class OcrMode(enum.StrEnum):
    """When to OCR a page: only without a usable text layer, every page, or never."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"

    @classmethod
    def parse(cls, text: str) -> OcrMode:
        """The mode named ``text``; a UsageError naming the choices otherwise."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise UsageError(f"unknown OCR mode {text!r}; use auto, always or never") from None


class OcrStatus(enum.StrEnum):
    """What became of OCR on a page."""

    DONE = "done"
    NOT_NEEDED = "not_needed"
    SKIPPED = "skipped"  # needed, but Tesseract was missing: read when it is there
    OFF = "off"  # needed, but OCR was switched off: read when asked
    FAILED = "failed"


def status_without_ocr(layer: str, mode: OcrMode, ocr_available: bool) -> OcrStatus | None:
    """What reading makes of a page with this text layer, None when it must be OCR'd.

    The same decision the reading worker takes (``read_page.read_pages``), for a page whose words are
    known already: a usable layer needs no OCR unless ``mode`` is ALWAYS; without one, OCR is off
    (NEVER) or waits for Tesseract.
    """
    usable = usable_text(layer)
    if not (mode is OcrMode.ALWAYS or (mode is OcrMode.AUTO and not usable)):
        return OcrStatus.NOT_NEEDED if usable else OcrStatus.OFF
    return None if ocr_available else OcrStatus.SKIPPED


@dataclass(frozen=True, slots=True)
class ReadTask:
    """Some pages (1-based) of one original to read."""

    document_id: int
    path: str
    password: str | None
    pages: tuple[int, ...]
    mode: OcrMode
    languages: str
    ocr_available: bool
    dpi: int = 300


@dataclass(frozen=True, slots=True)
class PageReading:
    """What reading one page found: word boxes in unrotated page points as JSON, and OCR."""

    number: int
    words: str
    status: OcrStatus
    ocr_text: str | None = None
    confidence: float | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The pages of one task, read."""

    document_id: int
    pages: tuple[PageReading, ...]
    languages: str
