"""The timeline's one query: what it draws of every filtered document, the same as the list rows say."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pytest

from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import documents, queries
from reviewer.core.services.importing import import_paths
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


@pytest.fixture
def case(any_case: Case, inbox: Path) -> Case:
    """Six documents on SQLite and on PostgreSQL: titled or not, dated to a day, month, year or not."""
    files = [
        filemaker.make_text_pdf(inbox / f"file-{n}.pdf", lines=[f"doc {n}"], title="", seed=n)
        for n in range(6)
    ]
    ids = [d.id for d in import_paths(any_case, files).imported]
    dates = ["2019-05-04", "2019-05", "2018", "", "2020-01-02", ""]
    for n, (doc, date) in enumerate(zip(ids, dates, strict=True)):
        values = {"document_date": date} if date else {}
        if n % 2 == 0:
            values["title"] = f"Letter {n}"
        if values:
            documents.set_metadata(any_case, doc, values)
    documents.set_status(any_case, ids[1], VerificationStatus.DISPUTED, "stamp is wrong")
    documents.set_status(any_case, ids[3], VerificationStatus.DISPUTED, "no such office")
    documents.tag_documents(any_case, ids[:3], ["shipping"])
    return any_case


def _expected(case: Case, wanted: queries.DocumentFilter) -> tuple[list[tuple[object, ...]], Counter[str]]:
    rows = queries.summaries(case, queries.find_documents(case, wanted))
    dated = [(r.id, r.document_date, r.status, r.title or r.display_name) for r in rows if r.document_date]
    return sorted(dated), Counter(r.status.value for r in rows if not r.document_date)


@pytest.mark.parametrize(
    "wanted",
    [
        queries.DocumentFilter(),
        queries.DocumentFilter(tag="shipping"),
        queries.DocumentFilter(status=VerificationStatus.DISPUTED),
        queries.DocumentFilter(text="letter"),
        queries.DocumentFilter(date_from="2019", sort="title", descending=True),
    ],
)
def test_the_timeline_reads_what_the_list_rows_say(case: Case, wanted: queries.DocumentFilter) -> None:
    found = queries.timeline_documents(case, wanted)
    dated, undated = _expected(case, wanted)
    assert [tuple(p) for p in found.dated] == dated  # in id order, whatever the list's order
    assert {s.value: n for s, n in found.undated.items()} == dict(undated)
    assert all(isinstance(p.status, VerificationStatus) for p in found.dated)


def test_an_untitled_document_is_named_by_its_file(case: Case) -> None:
    labels = {p.label for p in queries.timeline_documents(case, queries.DocumentFilter()).dated}
    assert labels == {"Letter 0", "file-1.pdf", "Letter 2", "Letter 4"}
