"""Files in the originals store that the database does not explain: reported, and moved aside on request.

reviewer never removes such a file. It may be a genuine original whose record was lost (a database
restored from an older copy, a hash edited in the database), a copy an interrupted import made, or a
file put there by hand; which of these it is, a person decides. ``reviewer verify`` lists them, and
``reviewer quarantine`` moves them to ``CASE/quarantine/`` where they stay until someone acts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import CaseError
from reviewer.core.domain.records import QuarantineReport
from reviewer.core.storage import custody
from reviewer.core.storage.orm import Document
from reviewer.core.storage.store import exclusive_staging, live_admissions, quarantine, sha256_of

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


def unexplained_originals(case: Case) -> list[Path]:
    """Files in ``originals/`` that no document records and no live import is admitting.

    The store is listed before the database is asked, and imports journal an original before they
    admit it, so a file an import is admitting right now is never reported.
    """
    layout = case.layout
    listed = list(layout.iter_originals())
    in_flight = live_admissions(layout)
    with case.db.reading() as session:
        known = set(session.scalars(select(Document.sha256)))
    return [path for path in listed if path.name not in known and path.name not in in_flight]


def quarantine_unexplained(case: Case, *, dry_run: bool = False) -> QuarantineReport:
    """Move every unexplained file out of the store into ``CASE/quarantine/TIME/`` (logged), or list them.

    Holds the staging lock exclusively, so no import is admitting files meanwhile.
    """
    with exclusive_staging(case.layout) as alone:
        if not alone:
            raise CaseError("an import or export is running on this case; try again when it has finished")
        found = unexplained_originals(case)
        if dry_run or not found:
            return QuarantineReport(tuple(str(p.relative_to(case.root)) for p in found), (), dry_run)
        batch = utc_now().replace(":", "")
        moved: list[dict[str, object]] = []
        for path in found:
            # what the file is, on the log, before it moves: its name may not be its hash
            digest = sha256_of(path) if path.is_file() else None
            size = path.stat().st_size if path.is_file() else None
            target = quarantine(case.layout, path, batch)
            moved.append(
                {
                    "from": str(path.relative_to(case.root)),
                    "to": str(target.relative_to(case.root)),
                    "sha256": digest,
                    "size": size,
                }
            )
        with case.db.unit_of_work() as uow:
            custody.append(
                uow.session,
                document_id=None,
                actor=case.actor,
                action="quarantined",
                summary=f"moved {len(moved)} file(s) the database does not explain out of the store, "
                f"to quarantine/{batch}/ (nothing was removed)",
                after=moved,
            )
            uow.commit()
    return QuarantineReport(
        tuple(str(m["from"]) for m in moved), tuple(str(m["to"]) for m in moved), dry_run=False
    )
