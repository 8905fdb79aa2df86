"""A write on a shared case in few round trips (issue 14, three desks at once): its custody entry's
state digest read in one request, the connection's role and schema asked once, the chain unchanged."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import event

from reviewer.core.domain.values import Rect
from reviewer.core.services.documents import (
    add_annotation,
    annotate_text,
    set_metadata,
    tag_documents,
    update_annotation,
)
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.links import link_documents
from reviewer.core.storage import anchor
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    import pytest

    from reviewer.core.services.case import Case


def _two_documents(case: Case, inbox: Path) -> tuple[int, int]:
    filemaker.make_text_pdf(inbox / "a.pdf", pages=2, seed=1)
    filemaker.make_text_pdf(inbox / "b.pdf", pages=1, seed=2)
    import_paths(case, [inbox])
    with case.db.reading() as session:
        ids = sorted(anchor.document_states(session))
    return ids[0], ids[1]


def _everything_on(case: Case, first: int, second: int) -> None:
    """A document with every part a state digest covers: fields, tags, annotations (one on words,
    with tags), a link both ways, a second sighting is not needed."""
    note = add_annotation(case, first, page=1, rect=Rect(10, 10, 200, 60), note="a note", tags=["seen"])
    update_annotation(case, note.id, note="changed", seen={"note": "a note"})
    annotate_text(case, first, page=1, text="12-05/1174", occurrence=1, note="the number")
    set_metadata(case, first, {"issuer": "Ministry", "checked": "yes"})
    tag_documents(case, [first], ["leak", "urgent"])
    link_documents(case, first, second, "attachment_of", note="sent with it")


def _one_by_one(session: Any, queries: list[Any]) -> list[list[tuple[Any, ...]]]:
    return [anchor._rows(session, sql, params, order) for sql, params, order in queries]


def test_the_state_read_together_digests_as_read_one_by_one(
    any_case: Case, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _two_documents(any_case, inbox)
    _everything_on(any_case, first, second)
    with any_case.db.reading() as session:
        together = anchor.document_states(session, [first, second])
        every = anchor.document_states(session)
        monkeypatch.setattr(anchor, "_rows_of_all", _one_by_one)
        apart = anchor.document_states(session, [first, second])
        every_apart = anchor.document_states(session)
    assert together == apart
    assert every == every_apart
    assert {"annotations", "quotes", "links", "tags", "fields"} <= set(together[first])
    assert verify_case(any_case).ok


@contextlib.contextmanager
def _statements(case: Case) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    engine = case.db._writer
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_write_on_a_shared_case_reads_its_state_in_one_request(
    pg_cluster: object, pg_url: str, tmp_path: Path, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer.core.services.case import create_case

    monkeypatch.setenv("PGUSER", pg_cluster.superuser)  # type: ignore[attr-defined]
    with create_case(tmp_path / "case", title="desks", database=pg_url) as case:
        first, second = _two_documents(case, inbox)
        _everything_on(case, first, second)  # the connection has asked its role and schema by now
        note = add_annotation(case, first, page=2, rect=Rect(10, 10, 100, 40), note="warm")
        for way in ("add", "update", "field"):
            with _statements(case) as seen:
                if way == "add":
                    add_annotation(case, first, page=2, rect=Rect(10, 10, 100, 40), note="one more")
                elif way == "update":
                    update_annotation(case, note.id, note="again", seen={"note": "warm"})
                else:
                    set_metadata(case, first, {"checked": "twice"}, seen={"checked": "yes"})
            state = [s for s in seen if "FROM checklist_entry" in s]
            assert len(state) == 1, way
            assert state[0].count("; ") >= 7, way  # record, parts, quotes, tags, links: one request
            assert not [s for s in seen if "session_user" in s or "pg_attribute" in s], way
            assert len(seen) <= 16, (way, len(seen))  # 24-26 when each was asked for every write
        assert verify_case(case).ok
