"""Fixity: proving the originals and the custody log are exactly as recorded."""

from __future__ import annotations

import dataclasses
import re
import stat
from typing import TYPE_CHECKING

from sqlalchemy import select

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.records import FixityProblem, FixityReport
from reviewer.core.services.quarantine import unexplained_originals
from reviewer.core.storage import anchor, custody
from reviewer.core.storage.orm import Document
from reviewer.core.storage.store import sha256_of, shared_staging

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.services.case import Case
    from reviewer.core.storage.anchor import ChainHead


def verify_case(
    case: Case, on_progress: Callable[[int, int], None] | None = None, *, head: str | None = None
) -> FixityReport:
    """Re-hash every original, look for strays in the store, and re-check the custody chain.

    The chain must reach the head recorded beside the database, and every document (and the case)
    must be as its newest custody entry recorded it. ``head`` is a chain head noted earlier (an
    entry's SHA-256, or its first 12 digits or more): it must still be in the log.
    The check itself is recorded on the case's custody log, as a fixity check would be in an archive.
    """
    if head is not None and not re.fullmatch(r"[0-9a-fA-F]{12,64}", head.strip()):
        raise UsageError(f"{head!r} is not a custody chain head (12 to 64 hexadecimal digits)")
    with shared_staging(case.layout):  # no sweep or quarantine moves a file while it is checked
        return _verify(case, on_progress, head.strip() if head else None)


def _log_problems(case: Case, noted: str | None) -> list[FixityProblem]:
    """The custody log's problems: its chain, its head, and the state each entry recorded."""
    try:
        recorded = anchor.read_head(case.layout.database)  # before the snapshot below: see head_problems
    except ValueError:
        recorded, unreadable = None, True
    else:
        unreadable = False
    problems: list[FixityProblem] = []
    with case.db.reading() as session:
        problems.extend(FixityProblem(None, None, text) for text in custody.chain_problems(session))
        if unreadable:
            problems.append(
                FixityProblem(None, None, f"the chain head file ({anchor.HEAD_NAME}) is unreadable")
            )
        else:
            problems.extend(
                FixityProblem(None, None, text) for text in custody.head_problems(session, recorded)
            )
        if noted is not None and not custody.holds_head(session, noted):
            problems.append(
                FixityProblem(
                    None,
                    None,
                    f"the noted chain head {noted} is not in the custody log: the log was rewritten",
                )
            )
        problems.extend(FixityProblem(None, f.document_id, f.problem) for f in anchor.state_problems(session))
    return problems


def _verify(case: Case, on_progress: Callable[[int, int], None] | None, noted: str | None) -> FixityReport:
    layout = case.layout
    problems = _log_problems(case, noted)
    with case.db.reading() as session:
        documents = session.execute(
            select(Document.id, Document.sha256, Document.size).order_by(Document.id)
        ).all()
    checked = 0
    total_bytes = 0
    for index, (doc_id, sha256, size) in enumerate(documents):
        path = layout.original(sha256)
        if on_progress is not None:
            on_progress(index, len(documents))
        if not path.is_file():
            problems.append(FixityProblem(sha256, doc_id, f"the original of document {doc_id} is missing"))
            continue
        try:
            actual = sha256_of(path)
        except OSError as exc:
            problems.append(
                FixityProblem(
                    sha256,
                    doc_id,
                    f"the original of document {doc_id} cannot be read ({exc.strerror or exc})",
                )
            )
            continue
        checked += 1
        total_bytes += path.stat().st_size
        if actual != sha256:
            problems.append(
                FixityProblem(
                    sha256,
                    doc_id,
                    f"the original of document {doc_id} was altered (its SHA-256 is now {actual})",
                )
            )
        elif path.stat().st_size != size:
            problems.append(FixityProblem(sha256, doc_id, f"the original of document {doc_id} changed size"))
        if stat.S_IMODE(path.stat().st_mode) & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            problems.append(
                FixityProblem(sha256, doc_id, f"the original of document {doc_id} is no longer read-only")
            )
    for path in unexplained_originals(case):
        problems.append(
            FixityProblem(
                None,
                None,
                f"a file in the store that no document records: {path.relative_to(layout.root)} "
                "(nothing was removed; 'reviewer quarantine CASE' moves it aside)",
            )
        )
    integrity = case.db.integrity_check()
    if integrity != "ok":
        problems.append(FixityProblem(None, None, f"the case database is damaged: {integrity}"))
    if on_progress is not None:
        on_progress(len(documents), len(documents))
    report = FixityReport(checked=checked, bytes_checked=total_bytes, problems=tuple(problems))
    if case.read_only is not None:
        return report  # the check cannot be logged; the command line says so
    with case.db.unit_of_work() as uow:
        entry = custody.append(
            uow.session,
            document_id=None,
            actor=case.actor,
            action="fixity_check",
            summary=f"fixity check: {checked} originals re-hashed, "
            + ("all as recorded" if report.ok else f"{len(problems)} problem(s)"),
            after={"checked": checked, "bytes": total_bytes, "problems": [p.problem for p in problems]},
        )
        uow.commit()
    return dataclasses.replace(report, head_entry=entry.id, head_hash=entry.entry_hash)


def accept_restored_database(case: Case) -> tuple[ChainHead | None, ChainHead]:
    """Record on the log that the database was put back from an older copy on purpose (or that its
    chain head file was lost), so the head file follows this log again.

    The head file recorded where the replaced log reached; this log does not hold it (or the file is
    gone or unreadable). The new entry names what was recorded, so the rollback stays visible in the
    chain for good. Returns (the head that was recorded, if any could be read; the new head).
    """
    lost: str | None = None  # what became of the head file, when it cannot say where the log reached
    try:
        recorded = anchor.read_head(case.layout.database)
    except ValueError:
        recorded, lost = None, "unreadable"
    else:
        lost = "missing" if recorded is None else None
    with case.db.unit_of_work() as uow:
        session = uow.session
        if not list(custody.head_problems(session, recorded)) and lost != "unreadable":
            raise UsageError("the custody log holds the head recorded beside it: no restore to accept")
        current = custody.head_of(session)
        reached = f"entry {current.entry_id} (sha256 {current.entry_hash[:16]}…)" if current else "no entry"
        if recorded is not None:
            what = (
                f"the case database was put back from an older copy: the log it replaced reached entry "
                f"{recorded.entry_id} (sha256 {recorded.entry_hash[:16]}…), this one had reached {reached}; "
                "whatever was recorded after that is not in this database"
            )
        else:
            what = (
                f"the chain head file was {lost}; this log, which had reached {reached}, is taken as the "
                "case's from here on (whether its end was cut or rewritten before cannot be told)"
            )
        custody.append(
            session,
            document_id=None,
            actor=case.actor,
            action="restore_accepted",
            summary=what,
            before={"head": None if recorded is None else dataclasses.asdict(recorded), "head_file": lost},
            after={"head": None if current is None else dataclasses.asdict(current)},
        )
        new_head = custody.accept_head(session)
        uow.commit()
    return recorded, new_head
