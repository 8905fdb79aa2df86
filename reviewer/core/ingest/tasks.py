"""What an import asks of a worker and what it gets back: plain, picklable data, without PyMuPDF.

The process that runs an import imports only this module; the PyMuPDF side (``analyse``) is imported
by the workers, where the fork server has loaded it already.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reviewer.core.ingest.reading import OcrMode
    from reviewer.core.text.watchlist import WatchTerm

#: The version of the import-time forensic checks: a document checked by an older one is checked again.
FORENSIC_CHECKS = 3
#: How a refusal begins when the case's disk, not the file, is at fault (full, failing): the import stops.
CANNOT_COPY = "cannot copy into the case"


@dataclass(frozen=True, slots=True)
class ReadingPlan:
    """How the import reads pages as it records them (``ImportOptions.read_as``): the worker finds the
    entities of each page whose text layer decides its reading, so the recording process does not."""

    mode: OcrMode
    ocr_available: bool
    watch: tuple[WatchTerm, ...] = ()  # the case's watch-list, compiled once in each worker


#: An entity of a page as recorded: its kind, its value, the text it was found as, where it starts
PageEntity = tuple[str, str, str, int]


@dataclass(frozen=True, slots=True)
class AnalysisTask:
    """One file to import, and where the case wants its pieces put."""

    # The path as the file system gave it: bytes that are not UTF-8 are lone surrogates, which pickle
    # intact; ``names.path_text`` makes it recordable, and only once the worker is done with it.
    source: str
    staging_dir: str
    originals_dir: str
    order: int = 0
    password: str | None = None
    passwords: tuple[str, ...] = ()  # more to try in turn, after ``password``
    max_pixels: int = 250_000_000
    thumbnail_px: int = 200
    analyse_known: bool = False
    received_on: str | None = None  # YYYY-MM-DD: dates after it are a forensic warning
    forensics: bool = True  # the signals (benchmarks time the import without them)
    # the case's trust roots (PEM or DER): what signatures and content credentials are validated against
    trust_roots: tuple[bytes, ...] = ()
    reading: ReadingPlan | None = None  # pages read as they are recorded: their entities found here

    @property
    def all_passwords(self) -> tuple[str, ...]:
        """Every password to try on an encrypted file, in turn."""
        return ((self.password,) if self.password is not None else ()) + self.passwords


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What was read of one page."""

    number: int
    width: float
    height: float
    rotation: int
    label: str | None
    text: str
    pixel_width: int | None = None
    pixel_height: int | None = None
    phash: str | None = None  # of the thumbnail (what the page looks like, turned as shown)
    # the text layer's words with their boxes, as ``Page.words`` holds them (JSON), read with ``text``;
    # None when they could not be read here: reading after import reads them from the original then
    words: str | None = None
    # the entities of a page read as it is recorded (``AnalysisTask.reading``); None: found when recorded
    entities: tuple[PageEntity, ...] | None = None


@dataclass(frozen=True, slots=True)
class FileTimes:
    """The file system's times of the source, read before it was opened."""

    modified: float | None
    changed: float | None
    accessed: float | None


@dataclass(frozen=True, slots=True)
class FileAnalysis:
    """Everything a worker found out about one file."""

    source: str
    sha256: str
    size: int
    times: FileTimes
    staged: str | None
    known: bool = False
    media_type: str = ""
    file_format: str = ""
    encrypted: bool = False
    pages: tuple[PageInfo, ...] = ()
    thumbnails_dir: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    # forensic signals as plain dicts (``Signal.as_dict``), pages 0-based as the checks report them;
    # None when they were not computed (the document then gets them on demand)
    signals: tuple[dict[str, Any], ...] | None = None
    password: str | None = None  # the one that opened an encrypted file
