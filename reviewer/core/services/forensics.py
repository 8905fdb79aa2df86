"""Forensics of a document: the signals its file carries, its revisions, pages seen elsewhere in the case.

Signals inform; they never decide a verdict. They are derived data, like the text layer: computed at
import (in the workers), or on demand for a document imported before they existed, and rebuilt when
the checks change. Computing them is not on the custody log, because nothing new is asserted about
the document; what a person does with one (adding it to the rationale, annotating a region found
elsewhere) goes through the services that log it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import delete, select

from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.locked import refuse_if_locked
from reviewer.core.forensics.revisions import read_revisions, revision_bytes
from reviewer.core.forensics.signals import Severity
from reviewer.core.ingest.forensic_tasks import (
    ClipTask,
    ElaTask,
    Pixels,
    SignalsResult,
    SignalsTask,
)
from reviewer.core.ingest.pixel_tasks import CopyMoveResult, CopyMoveTask, ErrorLevels
from reviewer.core.ingest.tasks import FORENSIC_CHECKS
from reviewer.core.services import documents
from reviewer.core.services.queries import document_row
from reviewer.core.services.trust import trust_roots
from reviewer.core.storage.forensic_rows import store_page_hashes, store_signals
from reviewer.core.storage.orm import Document, ForensicSignal, ForensicsRun, Page
from reviewer.core.storage.records import summary_of
from reviewer.core.workers.jobs import JobFailed
from reviewer.core.workers.pool import Limits, run_one
from reviewer.core.workers.registry import CLIP, COPY_MOVE, ELA, SIGNALS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from reviewer.core.domain.records import DocumentSummary
    from reviewer.core.services.case import Case

R = TypeVar("R")

ON_DEMAND_LIMITS = Limits(stall_seconds=120.0, total_seconds=1800.0, memory_bytes=3 << 30)
# A hash with almost every bit alike is a blank or nearly blank page: all such pages look "identical".
_MIN_BITS, _MAX_BITS = 8, 56
_MIN_WORDS, _SAME_WORDS = 5, 0.6  # pages with at least 5 words each must share 60 % of them


@dataclass(frozen=True, slots=True)
class SignalRecord:
    """A stored signal: its :class:`Severity`; ``page`` 1-based or None (the file)."""

    code: str
    severity: Severity
    title: str
    explanation: str
    value: Any
    page: int | None


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    """One saved state of a PDF: revision ``number`` is the file's first ``size`` bytes."""

    number: int
    size: int
    current: bool


@dataclass(frozen=True, slots=True)
class NearPage:
    """A page of another document that looks near-identical to ``page`` of this one."""

    page: int
    document_id: int
    document_name: str
    other_page: int
    distance: int


@dataclass(frozen=True, slots=True)
class ForensicsReport:
    """What forensics says of a document. ``computed`` is False until its signals exist."""

    document_id: int
    computed: bool
    computed_at: str | None
    signals: tuple[SignalRecord, ...]
    revisions: tuple[RevisionRecord, ...]
    near_pages: tuple[NearPage, ...]

    @property
    def worst(self) -> Severity | None:
        """The highest severity among the signals (None without any)."""
        if not self.signals:
            return None
        return max((s.severity for s in self.signals), key=lambda s: s.rank)


def run_in_worker(job: str, task: Any, result: type[R], limits: Limits | None = None) -> R:
    """Run one task of the job named ``job`` in a worker process (PyMuPDF never on the caller's thread).

    A task the job refuses (a page the document does not have) raises :class:`UsageError`; one
    whose worker crashes, hangs or runs out of memory raises :class:`JobFailed`, the reason in one line.
    """
    outcome = run_one(job, task, limits or ON_DEMAND_LIMITS)
    if outcome.refused:  # the job said what is wrong with what was asked (no such page…)
        raise UsageError(outcome.error or "the worker refused the task")
    if outcome.error is not None or outcome.result is None:
        raise JobFailed(outcome.error or "the worker returned nothing")
    return cast("R", outcome.result)


def needs_forensics(case: Case, document_id: int) -> bool:
    """Whether a document's signals are missing or were made by older checks."""
    with case.db.reading() as session:
        document = document_row(session, document_id)
        return _stale(session, document.id)


def _stale(session: Session, document_id: int) -> bool:
    run = session.get(ForensicsRun, document_id)
    return run is None or run.checks < FORENSIC_CHECKS


def ensure_forensics(case: Case, document_id: int, *, force: bool = False) -> bool:
    """Compute a document's signals and page hashes if missing (in a worker); True if it did."""
    with case.db.reading() as session:
        document = document_row(session, document_id)
        refuse_if_locked(document.id, document.encrypted, document.password, document.page_count)
        if not force and not _stale(session, document.id):
            return False
        received = min((s.received_on for s in document.sightings if s.received_on), default=None)
        task = SignalsTask(
            str(case.layout.original(document.sha256)),
            document.password,
            is_pdf=document.media_type == "application/pdf",
            is_image=document.media_type.startswith("image/"),
            received_on=received,
            trust_roots=trust_roots(case),
        )
        document_id = document.id
    result = run_in_worker(SIGNALS, task, SignalsResult)
    with case.db.unit_of_work() as uow:
        # what was looked for on demand (copies within a page) is not what the import checks redo
        kept = _on_demand_signals(uow.session, document_id)
        conn = uow.session.connection()
        store_signals(conn, document_id, result.signals, checks=FORENSIC_CHECKS, at=utc_now())
        uow.session.add_all(kept)
        store_page_hashes(conn, document_id, result.hashes)
        uow.commit()
    return True


def forensics_of(case: Case, document_id: int) -> ForensicsReport:
    """A document's signals (warnings first), its revisions, and near-identical pages elsewhere."""
    with case.db.reading() as session:
        document = document_row(session, document_id)
        refuse_if_locked(document.id, document.encrypted, document.password, document.page_count)
        run = session.get(ForensicsRun, document.id)
        rows = session.scalars(
            select(ForensicSignal)
            .where(ForensicSignal.document_id == document.id)
            .order_by(ForensicSignal.id)
        ).all()
        signals = sorted(
            (
                SignalRecord(r.code, _severity(r.severity), r.title, r.explanation, r.value, r.page)
                for r in rows
            ),
            key=lambda s: -s.severity.rank,
        )
        near = _near_pages(session, document.id)
        is_pdf = document.media_type == "application/pdf"
        original = case.layout.original(document.sha256)
        document_id = document.id
    revisions: tuple[RevisionRecord, ...] = ()
    if is_pdf:
        try:
            history = read_revisions(original)
        except OSError:
            history = None
        if history is not None:
            last = history.count
            revisions = tuple(RevisionRecord(r.number, r.end, r.number == last) for r in history.revisions)
    return ForensicsReport(
        document_id,
        run is not None,
        run.computed_at if run is not None else None,
        tuple(signals),
        revisions,
        near,
    )


def _severity(stored: str) -> Severity:
    """A stored severity; a word this version does not know reads as a plain fact, not as a crash."""
    try:
        return Severity(stored)
    except ValueError:
        return Severity.INFO


def _near_pages(session: Session, document_id: int) -> tuple[NearPage, ...]:
    # numpy only here: the window need not load it to show a document
    import numpy as np

    from reviewer.core.forensics.phash import NEAR_IDENTICAL_BITS

    rows = session.execute(
        select(Page.document_id, Page.number, Page.phash).where(Page.phash.is_not(None))
    ).all()
    mine = [(n, int(h, 16)) for d, n, h in rows if d == document_id and h]
    others = [(d, n, int(h, 16)) for d, n, h in rows if d != document_id and h]
    if not mine or not others:
        return ()
    values = np.array([h for *_, h in others], dtype=np.uint64)
    found: list[tuple[int, int, int, int]] = []
    for number, value in mine:
        if not _MIN_BITS < value.bit_count() < _MAX_BITS:
            continue
        distances = np.bitwise_count(values ^ np.uint64(value))
        for index in np.flatnonzero(distances <= NEAR_IDENTICAL_BITS):
            other_doc, other_page, other_value = others[int(index)]
            if _MIN_BITS < other_value.bit_count() < _MAX_BITS:
                found.append((number, other_doc, other_page, int(distances[index])))
    found = _same_words(session, document_id, found)
    names = {
        d.id: summary_of(d).display_name
        for d in session.scalars(select(Document).where(Document.id.in_({f[1] for f in found})))
    }
    found.sort(key=lambda f: (f[3], f[0], f[1], f[2]))
    return tuple(NearPage(p, d, names.get(d, str(d)), o, dist) for p, d, o, dist in found)


def _words(text: str | None) -> set[str]:
    return {w for w in (text or "").casefold().split() if len(w) > 1}


def _same_words(
    session: Session, document_id: int, found: list[tuple[int, int, int, int]]
) -> list[tuple[int, int, int, int]]:
    """Keep the pairs whose words agree, where both pages have words.

    A 64-bit hash of a 200-px thumbnail sees a page's layout, not its words: two letters printed on one
    letterhead hash alike. Where both pages have a text layer or OCR, most of their words must be shared.
    """
    if not found:
        return found
    keys = {(document_id, n) for n, *_ in found} | {(d, n) for _, d, n, _ in found}
    texts: dict[tuple[int, int], set[str]] = {}
    query = select(Page.document_id, Page.number, Page.text, Page.ocr_text).where(
        Page.document_id.in_({d for d, _ in keys})
    )
    for d, n, text, ocr in session.execute(query):
        if (d, n) in keys:
            texts[(d, n)] = _words(text) | _words(ocr)
    kept = []
    for entry in found:
        mine, theirs = texts.get((document_id, entry[0]), set()), texts.get((entry[1], entry[2]), set())
        both_have_words = len(mine) >= _MIN_WORDS and len(theirs) >= _MIN_WORDS
        if not both_have_words or len(mine & theirs) / len(mine | theirs) >= _SAME_WORDS:
            kept.append(entry)
    return kept


def revision_file(case: Case, document_id: int, number: int, out_path: Path) -> Path:
    """Write revision ``number`` (1-based) of a PDF to ``out_path``, outside the case.

    The original is only read: the revision is its first bytes, exactly as that save left them.
    """
    with case.db.reading() as session:
        document = document_row(session, document_id)
        if document.media_type != "application/pdf":
            raise UsageError("only PDFs have revisions")
        original = case.layout.original(document.sha256)
    target = Path(os.path.abspath(out_path))
    if target.is_relative_to(case.root):
        raise UsageError("write the revision outside the case folder")
    data = revision_bytes(original, number)
    try:
        with open(target, "xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise UsageError(f"{target} already exists; choose a new file") from None
    except OSError as exc:
        raise UsageError(f"cannot write {target} ({exc.strerror or exc})") from None
    return target


def error_level_overlay(case: Case, document_id: int, page: int) -> bytes:
    """The error-level overlay of a page (1-based) as PNG bytes, drawn unrotated in a worker.

    It covers the whole page: scale it to the page's size to lay it over the page. See
    :func:`error_levels` for what it is made of.
    """
    return error_levels(case, document_id, page).png


def error_levels(case: Case, document_id: int, page: int) -> ErrorLevels:
    """A page's error levels (1-based page), computed in a worker, and what they were computed on.

    Each JPEG the page draws (a JPEG file's own picture, or DCT pictures inside a PDF) is analysed
    on its own bytes at its own resolution and laid onto the page where it is placed, at the
    resolution of the finest of them (at most 300 dpi); a page without a JPEG is analysed as drawn.
    """
    with case.db.reading() as session:
        document = document_row(session, document_id)
        refuse_if_locked(document.id, document.encrypted, document.password, document.page_count)
        task = ElaTask(str(case.layout.original(document.sha256)), document.password, page)
    return run_in_worker(ELA, task, ErrorLevels)


#: Signals looked for on demand, page by page, kept when the import-time checks are run again.
ON_DEMAND_CODES = ("image.copy_move",)


def _on_demand_signals(session: Session, document_id: int) -> list[ForensicSignal]:
    rows = session.scalars(
        select(ForensicSignal).where(
            ForensicSignal.document_id == document_id, ForensicSignal.code.in_(ON_DEMAND_CODES)
        )
    ).all()
    return [
        ForensicSignal(
            document_id=r.document_id,
            code=r.code,
            severity=r.severity,
            title=r.title,
            explanation=r.explanation,
            value=r.value,
            page=r.page,
        )
        for r in rows
    ]


def find_copy_moves(case: Case, document_id: int, page: int) -> tuple[SignalRecord, ...]:
    """Look for regions of one page (1-based) that are copies of each other, in a worker; store them.

    Too slow for every page at import (a second or more a page), so it runs when asked. What it
    finds replaces what an earlier look at the same page found, as ``image.copy_move`` signals
    with both boxes in points; a page with nothing copied has none. Like every signal, derived data:
    not on the custody log.
    """
    with case.db.reading() as session:
        document = document_row(session, document_id)
        refuse_if_locked(document.id, document.encrypted, document.password, document.page_count)
        if not 1 <= page <= document.page_count:
            raise UsageError(f"the document has pages 1 to {document.page_count}, not {page}")
        task = CopyMoveTask(str(case.layout.original(document.sha256)), document.password, page)
        document_id = document.id
    result = run_in_worker(COPY_MOVE, task, CopyMoveResult)
    found = [
        SignalRecord(s["code"], Severity(s["severity"]), s["title"], s["explanation"], s["value"], page)
        for s in result.signals
    ]
    with case.db.unit_of_work() as uow:
        uow.session.execute(
            delete(ForensicSignal).where(
                ForensicSignal.document_id == document_id,
                ForensicSignal.code == "image.copy_move",
                ForensicSignal.page == page,
            )
        )
        uow.session.add_all(
            ForensicSignal(
                document_id=document_id,
                code=r.code,
                severity=r.severity.value,
                title=r.title,
                explanation=r.explanation,
                value=r.value,
                page=page,
            )
            for r in found
        )
        uow.commit()
    return tuple(found)


def region_pixels(
    case: Case,
    document_id: int,
    page: int,
    rect: tuple[float, float, float, float],
    dpi: float,
    *,
    grey: bool = False,
) -> Pixels:
    """A region of a page drawn unrotated at ``dpi`` in a worker: what the compare view shows."""
    with case.db.reading() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise UsageError(f"no document {document_id}")
        if not 1 <= page <= document.page_count:
            raise UsageError(f"the document has pages 1 to {document.page_count}, not {page}")
        task = ClipTask(str(case.layout.original(document.sha256)), document.password, page, rect, dpi, grey)
    return run_in_worker(CLIP, task, Pixels)


def attach_signal_to_rationale(
    case: Case, document_id: int, code: str, page: int | None = None
) -> DocumentSummary:
    """Add a line naming a signal to the document's rationale (status note); on the custody log.

    The status stays as it is: a signal is a reason to weigh, not a verdict.
    """
    with case.db.reading() as session:
        document = document_row(session, document_id)
        rows = session.scalars(
            select(ForensicSignal).where(
                ForensicSignal.document_id == document.id, ForensicSignal.code == code
            )
        ).all()
        chosen = next((r for r in rows if page is None or r.page == page), None)
        if chosen is None:
            raise UsageError(f"the document has no signal {code!r}" + (f" on page {page}" if page else ""))
        line = signal_line(chosen.severity, chosen.title, chosen.page, chosen.value)
        note, status = document.status_note or "", document.status
    if line in note.splitlines():
        with case.db.reading() as session:
            return summary_of(document_row(session, document_id))
    return documents.set_status(case, document_id, status, f"{note}\n{line}" if note else line)


def signal_line(severity: str, title: str, page: int | None, value: Any) -> str:
    """How a signal reads in a rationale: one line, with where and its raw value, kept short."""
    where = f" (page {page})" if page is not None else ""
    raw = _short(value)
    return f"Forensic signal, {severity}: {title}{where}" + (f" [{raw}]" if raw else "")


def _short(value: Any, limit: int = 160) -> str:
    if value is None or value == {} or value == []:
        return ""
    if isinstance(value, dict):
        text = "; ".join(f"{k}: {_short(v, 60)}" for k, v in value.items() if v not in (None, "", [], {}))
    elif isinstance(value, list):
        text = ", ".join(_short(v, 60) for v in value)
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
