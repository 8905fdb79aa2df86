"""Incremental updates: each save that appended to a PDF instead of rewriting it left a revision.

A PDF saved incrementally keeps every earlier version intact at the start of the file: the bytes up to
the end of the N-th ``startxref … %%EOF`` section are revision N exactly as it was saved. That is how
an earlier state of a document (before a field was filled, a page replaced, a signature added) can be
extracted and viewed.

Linearized ("fast web view") files carry an extra section at the start for the first page; it is not
a revision and is not counted.
"""

from __future__ import annotations

import mmap
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewer.core.domain.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

_EOF = b"%%EOF"
_STARTXREF_BEFORE = re.compile(rb"startxref\s+(\d{1,20})\s*$")
_LOOK_BACK = 64  # "startxref", white space and up to 20 digits fit well inside this
_HEAD = 1024  # the linearization dictionary must be the first object of the file


@dataclass(frozen=True, slots=True)
class Revision:
    """One saved state of a PDF: the first ``end`` bytes of the file, 1-based ``number``."""

    number: int
    end: int
    startxref: int


@dataclass(frozen=True, slots=True)
class RevisionHistory:
    """The revisions found in a PDF's bytes, and what MuPDF counts for comparison.

    ``revisions`` are in file order (the first save first); the last one is the file as it is, unless
    ``trailing_bytes`` shows data after the last ``%%EOF``. No revision at all means the file has no
    end marker (it was cut short); ``trailing_bytes`` is then 0. ``mupdf_count`` is MuPDF's own count of
    versions (None where MuPDF could not tell, e.g. a damaged file it had to repair).
    """

    revisions: tuple[Revision, ...]
    linearized: bool
    size: int
    trailing_bytes: int
    mupdf_count: int | None = None

    @property
    def count(self) -> int:
        """How many saved states the file holds (1 for a file saved once)."""
        return len(self.revisions)

    @property
    def incremental_updates(self) -> int:
        """How many times the file was updated after its first save."""
        return max(0, self.count - 1)


def find_revisions(data: bytes | mmap.mmap, *, mupdf_count: int | None = None) -> RevisionHistory:
    """The revisions of a PDF held in memory (or memory-mapped), found from its ``%%EOF`` sections."""
    sections: list[tuple[int, int]] = []
    at = data.find(_EOF)
    while at >= 0:
        before = bytes(data[max(0, at - _LOOK_BACK) : at])
        found = _STARTXREF_BEFORE.search(before)
        end = at + len(_EOF)
        if found is not None:
            # the end-of-line after %%EOF belongs to the revision: a reader expects it there
            if data[end : end + 2] == b"\r\n":
                end += 2
            elif data[end : end + 1] in (b"\n", b"\r"):
                end += 1
            sections.append((end, int(found.group(1))))
        at = data.find(_EOF, at + len(_EOF))
    linearized = b"/Linearized" in bytes(data[:_HEAD])
    if linearized and len(sections) >= 2:
        sections = sections[1:]  # the first-page section of a linearized file, not a save
    revisions = tuple(Revision(i + 1, end, xref) for i, (end, xref) in enumerate(sections))
    size = len(data)
    if not revisions:
        # No end marker at all (a truncated file): nothing is "after the end", the end is missing.
        return RevisionHistory(revisions, linearized, size, 0, mupdf_count)
    last = revisions[-1].end
    trailing = len(bytes(data[last:]).strip()) if size - last < 4096 else size - last
    return RevisionHistory(revisions, linearized, size, trailing, mupdf_count)


def read_revisions(path: Path | str, *, mupdf_count: int | None = None) -> RevisionHistory:
    """The revisions of the PDF at ``path``, read through a memory map (large files are not loaded)."""
    with open(path, "rb") as handle:
        if _size(handle.fileno()) == 0:
            return RevisionHistory((), False, 0, 0, mupdf_count)
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return find_revisions(mapped, mupdf_count=mupdf_count)


def revision_bytes(path: Path | str, number: int) -> bytes:
    """The bytes of revision ``number`` (1-based), exactly as that save left the file.

    Open them with MuPDF (``pymupdf.open(stream=..., filetype="pdf")``) to see the document as it was.
    Raises :class:`UsageError` for a number the file does not have.
    """
    history = read_revisions(path)
    if not 1 <= number <= history.count:
        raise UsageError(f"revision {number} does not exist; the file has {history.count}")
    with open(path, "rb") as handle:
        return handle.read(history.revisions[number - 1].end)


def _size(fd: int) -> int:
    return os.fstat(fd).st_size
