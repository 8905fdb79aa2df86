"""Where a document's bytes came from: the source and date received of each sighting, changed later."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.records import SightingRecord
from reviewer.core.domain.values import checked_text, parse_full_date
from reviewer.core.storage import custody
from reviewer.core.storage.orm import Sighting

if TYPE_CHECKING:
    from reviewer.core.services.case import Case


class Keep(enum.Enum):
    """A value left as it is (``KEEP``), unlike None, which clears it."""

    KEEP = "keep"


KEEP = Keep.KEEP
_MAX_SOURCE = 500


def set_sighting_provenance(
    case: Case,
    sighting_id: int,
    *,
    source: str | Keep | None = KEEP,
    received_on: str | Keep | None = KEEP,
    document: int | None = None,
) -> SightingRecord:
    """Set (or, with None or "", clear) the source and date received of one sighting; on its log.

    ``document`` (an id), when given, must be the sighting's document: a command
    line naming the wrong one is refused rather than changing another document's provenance.
    """
    typed = source if isinstance(source, Keep) else checked_text("the source", source or "")
    new_source = typed if isinstance(typed, Keep) else (" ".join(typed.split()) or None)
    if isinstance(new_source, str) and len(new_source) > _MAX_SOURCE:
        raise UsageError(f"a source is at most {_MAX_SOURCE} characters")
    new_received = (
        received_on
        if isinstance(received_on, Keep)
        else (parse_full_date(received_on.strip()) if received_on and received_on.strip() else None)
    )
    with case.db.unit_of_work() as uow:
        session = uow.session
        sighting = session.get(Sighting, sighting_id)
        if sighting is None:
            raise UsageError(f"no sighting {sighting_id}")
        if document is not None and document != sighting.document_id:
            raise UsageError(f"sighting {sighting_id} is not one of document {document}'s")
        before = {"sighting": sighting.id, "source": sighting.source, "received_on": sighting.received_on}
        if not isinstance(new_source, Keep):
            sighting.source = new_source
        if not isinstance(new_received, Keep):
            sighting.received_on = new_received
        after = {"sighting": sighting.id, "source": sighting.source, "received_on": sighting.received_on}
        if after != before:
            changed = [
                f"{label} {_quoted(before[key])} → {_quoted(after[key])}"
                for key, label in (("source", "source"), ("received_on", "received"))
                if before[key] != after[key]
            ]
            custody.append(
                session,
                document_id=sighting.document_id,
                actor=case.actor,
                action="provenance_changed",
                summary=f"sighting {sighting.id}: " + "; ".join(changed),
                before=before,
                after=after,
            )
        record = _record(sighting)
        uow.commit()
    return record


def _record(s: Sighting) -> SightingRecord:
    return SightingRecord(
        s.id,
        s.original_path,
        s.original_name,
        s.size,
        s.modified_at,
        s.changed_at,
        s.accessed_at,
        s.source,
        s.received_on,
        s.imported_by,
        s.imported_at,
        s.host,
    )


def _quoted(value: object) -> str:
    if value is None or value == "":
        return "(none)"
    text = " ".join(str(value).split())
    return '"' + (text if len(text) <= 60 else text[:59] + "…") + '"'
