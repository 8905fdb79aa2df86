"""Unlocking a document kept locked: an encrypted original whose password was not known at import.

The stored original is read again exactly as an import reads a file (copied and hashed in a worker,
opened by MuPDF with the password given): the copy's hash is checked against the record, so an
altered original is never unlocked. Its pages, text, thumbnails and forensic signals are then
recorded as an import records them, the password is kept like an import's (``Document.password``,
never leaving the case), and the unlock is on the custody log, without the password. Reading and OCR
follow as after an import (the caller's: ``reviewer.cli.reading.read_after_import``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.core.domain.errors import CaseError, IntegrityError, UsageError
from reviewer.core.domain.locked import is_locked
from reviewer.core.services.importing import ImportOptions, analyse_files, place_thumbnails, record_pages
from reviewer.core.services.queries import document_row
from reviewer.core.storage import custody
from reviewer.core.storage.store import Claim
from reviewer.core.workers.registry import ANALYSE

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.ingest.tasks import AnalysisTask, FileAnalysis
    from reviewer.core.services.case import Case
    from reviewer.core.workers.pool import Limits


@dataclass(frozen=True, slots=True)
class UnlockReport:
    """What an unlock did: the document's pages now readable (``was_locked`` False: nothing to do)."""

    id: int
    sha256: str
    pages: int
    was_locked: bool = True


def unlock_document(
    case: Case,
    document_id: int,
    password: str,
    *,
    limits: Limits | None = None,
    analyser: str | Callable[[AnalysisTask, Callable[[], None]], FileAnalysis] = ANALYSE,
) -> UnlockReport:
    """Open the locked document ``document_id`` with ``password``: its pages, text, thumbnails, signals.

    Raises :class:`CaseError` when the password does not open it (nothing is changed), and
    :class:`IntegrityError` when the stored original no longer matches its SHA-256.
    """
    if not password:
        raise UsageError("give the document's password with --password")
    with case.db.reading() as session:
        document = document_row(session, document_id)
        doc_id, sha256, page_count = document.id, document.sha256, document.page_count
        locked = is_locked(document.encrypted, document.password, document.page_count)
    if not locked:
        return UnlockReport(doc_id, sha256, page_count, was_locked=False)
    original = case.layout.original(sha256)
    if not original.is_file():
        raise IntegrityError(
            f"the original of document {doc_id} is missing from the store; run: reviewer verify CASE"
        )
    with Claim(case.layout, "unlock") as claim:
        (result,) = analyse_files(
            [original],
            claim.folder,
            case,
            ImportOptions(password=password, processes=1, limits=limits),
            analyser=analyser,
        )
        if isinstance(result, str):
            raise CaseError(f"document {doc_id} could not be read with that password: {result}")
        try:
            if result.sha256 != sha256:
                raise IntegrityError(
                    f"the stored original of document {doc_id} no longer matches its SHA-256; "
                    "nothing was changed (run: reviewer verify CASE)"
                )
            if result.metadata.get("locked") or not result.pages:
                raise CaseError(f"the password does not open document {doc_id}; nothing was changed")
            _record(case, doc_id, result, password)
        finally:
            if result.staged:
                Path(result.staged).unlink(missing_ok=True)  # the store holds the original already
        place_thumbnails(case, result)
    return UnlockReport(doc_id, sha256, len(result.pages))


def _record(case: Case, doc_id: int, result: FileAnalysis, password: str) -> None:
    from reviewer.core.storage.orm import Document

    with case.db.unit_of_work() as uow:
        document = uow.session.get_one(Document, doc_id)
        if not is_locked(document.encrypted, document.password, document.page_count):
            uow.commit()
            return  # unlocked meanwhile (another window or command): nothing more to do
        document.page_count = len(result.pages)
        document.password = result.password or password
        document.file_format = result.file_format or document.file_format
        document.file_metadata = dict(result.metadata)
        record_pages(uow.session, doc_id, result)
        custody.append(
            uow.session,
            document_id=doc_id,
            actor=case.actor,
            action="unlocked",
            summary=f"unlocked: its password opened it ({len(result.pages)} pages read); "
            "the password is kept in the case, never exported",
            before={"locked": True, "pages": 0},
            after={"locked": False, "pages": len(result.pages), "file_format": document.file_format},
        )
        uow.commit()
