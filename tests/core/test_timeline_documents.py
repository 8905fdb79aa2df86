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


FILTERS = [
    queries.DocumentFilter(),
    queries.DocumentFilter(tag="shipping"),
    queries.DocumentFilter(status=VerificationStatus.DISPUTED),
    queries.DocumentFilter(text="letter"),
    queries.DocumentFilter(date_from="2019", sort="title", descending=True),
]


@pytest.mark.parametrize("wanted", FILTERS)
def test_the_timeline_reads_what_the_list_rows_say(case: Case, wanted: queries.DocumentFilter) -> None:
    found = queries.timeline_documents(case, wanted)
    dated, undated = _expected(case, wanted)
    dates = [c.date for c in found.counts if c.date is not None]
    assert [tuple(p) for p in found.points(dates)] == dated  # in id order, whatever the list's order
    assert {s.value: n for s, n in found.undated.items()} == dict(undated)
    assert all(isinstance(p.status, VerificationStatus) for p in found.points(dates))


@pytest.mark.parametrize("wanted", FILTERS)
def test_the_timeline_counts_per_date_and_status_in_sql(case: Case, wanted: queries.DocumentFilter) -> None:
    found = queries.timeline_documents(case, wanted)
    dated, undated = _expected(case, wanted)
    expected = Counter((d[1], d[2]) for d in dated)
    expected.update({(None, VerificationStatus(s)): n for s, n in undated.items()})
    counted = Counter(
        {(c.date, s): n for c in found.counts for s, n in zip(VerificationStatus, c.counts, strict=True) if n}
    )
    assert counted == expected
    assert len({c.date for c in found.counts}) == len(found.counts), "a row per stored date"


def test_documents_are_read_by_date_by_id_and_one_step_at_a_time(case: Case) -> None:
    found = queries.timeline_documents(case, queries.DocumentFilter())
    everything = found.points([c.date for c in found.counts if c.date is not None])
    ids = [p.id for p in everything]
    assert len(ids) == 4
    assert [p.id for p in found.points(["2019-05", "2018"])] == sorted(
        p.id for p in everything if p.date in ("2019-05", "2018")
    )
    assert [p.id for p in found.points(["2019-05", "2018", "2019-05-04", "2020-01-02"], after=ids[0])] == ids[
        1:
    ]
    assert [
        p.id for p in found.points([p.date for p in everything], before=ids[-1], limit=2, descending=True)
    ] == [
        ids[-2],
        ids[-3],
    ]
    assert found.points(["1999"]) == []
    assert found.point(ids[1]) == everything[1]
    undated_id = next(i for i in range(1, 7) if i not in ids)
    assert found.point(undated_id) is None, "an undated document is not on the timeline"
    disputed = queries.timeline_documents(case, queries.DocumentFilter(status=VerificationStatus.DISPUTED))
    assert disputed.point(ids[0]) is None, "nor one the filter leaves out"
    assert disputed.point(ids[1]) is not None


def test_an_untitled_document_is_named_by_its_file(case: Case) -> None:
    found = queries.timeline_documents(case, queries.DocumentFilter())
    labels = {p.label for p in found.points([c.date for c in found.counts if c.date])}
    assert labels == {"Letter 0", "file-1.pdf", "Letter 2", "Letter 4"}
