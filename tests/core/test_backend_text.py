"""Text one backend keeps and the other cannot: a NUL character (U+0000), which SQLite stores and
PostgreSQL's text refuses. On a shared case each change carrying one is refused in one line naming why,
and nothing of it is written; a local case keeps it as typed (a bundle never brings one: case.json
refuses it on both, see test_merge_hostile)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from reviewer.core.domain.errors import CaseError
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents, queries
from reviewer.core.services.importing import import_paths
from reviewer.core.storage.orm import CustodyEvent
from tests.filemaker import make_text_pdf

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from reviewer.core.services.case import Case

NUL = "stamp\x00hidden"

CHANGES: dict[str, Callable[[Case], object]] = {
    "annotation note": lambda case: documents.add_annotation(
        case, 1, page=1, rect=Rect(10, 10, 60, 60), note=NUL
    ),
    "tag": lambda case: documents.tag_documents(case, [1], [NUL]),
    "field": lambda case: documents.set_metadata(case, 1, {"vessel": NUL}),
    "status rationale": lambda case: documents.set_status(case, 1, "disputed", NUL),
}


def _entries(case: Case) -> int:
    with case.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(CustodyEvent)) or 0)


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_nul_is_kept_locally_and_refused_in_one_line_on_a_server(
    any_case: Case, inbox: Path, change: str
) -> None:
    case = any_case
    import_paths(case, [make_text_pdf(inbox / "note.pdf")])
    before = (_entries(case), queries.document_detail(case, 1))
    if case.layout.shared_database_url() is None:
        CHANGES[change](case)
        assert _entries(case) > before[0], "kept, on the log, as typed"
        return
    with pytest.raises(CaseError) as refused:
        CHANGES[change](case)
    message = str(refused.value)
    assert "\n" not in message
    assert "cannot keep a NUL character" in message
    assert "psycopg" not in message, "no driver text"
    assert "INSERT" not in message, "no SQL"
    assert (_entries(case), queries.document_detail(case, 1)) == before, "nothing of it was written"
