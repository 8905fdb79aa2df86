"""What an export is asked to do and what it reports: the options, the report, a cancel."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reviewer.core.domain.errors import ReviewerError

if TYPE_CHECKING:
    import threading
    from collections.abc import Sequence
    from pathlib import Path

    from reviewer.core.bundles.publication import Finding


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What to export and how."""

    #: the documents' ids (a person's DOC references are resolved first: reviewer/cli/refs.py)
    docs: Sequence[int] = ()
    tag: str | None = None
    status: str | None = None
    redact: bool = False
    zip: bool = False
    organization: str | None = None
    #: paint out printer tracking dots on the cleaned copies' page images (with ``redact`` only)
    remove_tracking_dots: bool = False
    #: run the publication check on the finished bag; its findings come back on the report
    check_publication: bool = False


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote."""

    path: str
    documents: int
    redacted: tuple[int, ...]
    payload_bytes: int
    #: documents that arrived damaged, or whose bundle lacks a piece (said in case.json and report.html)
    problems: tuple[DocumentProblems, ...] = ()
    #: why a chosen document is not in the bundle (a locked one in a publication bundle), one a line
    left_out: tuple[str, ...] = ()
    #: what the publication check found in the finished bag (empty: nothing); None when not checked
    findings: tuple[Finding, ...] | None = None


@dataclass(frozen=True, slots=True)
class DocumentProblems:
    """What is wrong with one exported document: damage it arrived with, pieces the bundle lacks."""

    id: int
    name: str
    warnings: tuple[str, ...]
    missing: tuple[str, ...]


class ExportCancelled(ReviewerError):
    """The person stopped the export; nothing was written."""


def stop_if_cancelled(cancel: threading.Event | None) -> None:
    """Raise :class:`ExportCancelled` once ``cancel`` is set."""
    if cancel is not None and cancel.is_set():
        raise ExportCancelled("the export was cancelled; nothing was written")


def zipped_if_named_so(out: Path, options: ExportOptions) -> ExportOptions:
    """A bundle named ``*.zip`` is written as a zip, ``zip`` given or not (never a folder so named).

    With ``zip`` and another name, the zip is written under the name as given.
    """
    return replace(options, zip=True) if out.suffix.lower() == ".zip" else options
