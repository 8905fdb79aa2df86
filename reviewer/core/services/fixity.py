"""Fixity: proving the originals and the custody log are exactly as recorded."""

from __future__ import annotations

import stat
from typing import TYPE_CHECKING

from sqlalchemy import select

from reviewer.core.domain.records import FixityProblem, FixityReport
from reviewer.core.storage import custody
from reviewer.core.storage.orm import Document
from reviewer.core.storage.store import sha256_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.services.case import Case


def verify_case(case: Case, on_progress: Callable[[int, int], None] | None = None) -> FixityReport:
    """Re-hash every original, look for strays in the store, and re-check the custody chain.

    The check itself is recorded on the case's custody log, as a fixity check would be in an archive.
    """
    layout = case.layout
    problems: list[FixityProblem] = []
    with case.db.reading() as session:
        documents = session.execute(
            select(Document.id, Document.sha256, Document.size).order_by(Document.id)
        ).all()
        problems.extend(FixityProblem(None, None, text) for text in custody.chain_problems(session))
    checked = 0
    total_bytes = 0
    known = set()
    for index, (doc_id, sha256, size) in enumerate(documents):
        known.add(sha256)
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
    for path in layout.iter_originals():
        if path.name not in known:
            problems.append(
                FixityProblem(None, None, f"unexpected file in the store: {path.relative_to(layout.root)}")
            )
    integrity = case.db.integrity_check()
    if integrity != "ok":
        problems.append(FixityProblem(None, None, f"the case database is damaged: {integrity}"))
    if on_progress is not None:
        on_progress(len(documents), len(documents))
    report = FixityReport(checked=checked, bytes_checked=total_bytes, problems=tuple(problems))
    with case.db.unit_of_work() as uow:
        custody.append(
            uow.session,
            document_id=None,
            actor=case.actor,
            action="fixity_check",
            summary=f"fixity check: {checked} originals re-hashed, "
            + ("all as recorded" if report.ok else f"{len(problems)} problem(s)"),
            after={"checked": checked, "bytes": total_bytes, "problems": [p.problem for p in problems]},
        )
        uow.commit()
    return report
