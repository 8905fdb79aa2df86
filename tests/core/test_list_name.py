"""The list's stored, folded name and haystack: the same documents match and sort as before, kept up to date.

Issue 16: the list's text filter and title order read ``document.list_name`` / ``list_text``
(``storage.list_names``) instead of calling ``casefold`` over a correlated subquery for every row.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import sqlite3
from typing import TYPE_CHECKING, Any

import pytest
from alembic import command
from sqlalchemy import func, inspect, or_, select

from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import documents, queries
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.exchange import import_bundle
from reviewer.core.services.export import ExportOptions, export_bundle
from reviewer.core.services.importing import import_paths
from reviewer.core.storage import list_names
from reviewer.core.storage.orm import Document, Sighting
from tests import filemaker
from tests.core.test_damaged_case import copy_case, run, sound_case

__all__ = ["sound_case"]  # a fixture, from the damaged-case tests

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case

#: file names a leak holds: Cyrillic, mixed case, LIKE's wildcards, a ligature, a titlecase digraph
NAMES = [
    "Отчёт ПРИВЕТ.pdf",
    "Straße-Memo.PDF",
    "100%_done [draft].pdf",
    "ﬁnal ǅungla.pdf",
    "plain.pdf",
    "ЁЛКА ёлка.pdf",
    "tab\there.pdf",
]
NEEDLES = [
    "привет", "ПРИВЕТ", "отчёт", "отчет", "strasse", "STRAẞE", "straße", "%", "_", "100%_", "[draft]",
    "fi", "ﬁ", "ǆ", "Ǆungla", "ёлка", "елка", "письмо", "cargo", "LETTER", "№ 12/аб", "министерство",
    "ооо", ".pdf", "pdf", "\t", "memo", "z-not-there", "a\x1fb", "\x1f",
]  # fmt: skip


def _make(case: Case, inbox: Path) -> list[int]:
    files = [
        filemaker.make_text_pdf(inbox / name, lines=[f"page {n}"], title="", seed=40 + n)
        for n, name in enumerate(NAMES)
    ]
    ids = [d.id for d in import_paths(case, files).imported]
    documents.set_metadata(case, ids[0], {"title": "Письмо МИД", "reference": "№ 12/АБ"})
    documents.set_metadata(case, ids[1], {"title": "Cargo LETTER", "issuer": "Министерство"})
    documents.set_metadata(case, ids[3], {"recipient": "ООО Ёлка"})
    return ids


@pytest.fixture
def mixed(any_case: Case, inbox: Path) -> tuple[Case, list[int]]:
    return any_case, _make(any_case, inbox)


def _first_seen_name() -> Any:
    """The file name a document was first seen under, written here as the filter's SQL had it (not
    taken from ``queries``: these tests hold the stored text to what the old SQL found)."""
    return (
        select(Sighting.original_name)
        .where(Sighting.document_id == Document.id)
        .order_by(Sighting.id)
        .limit(1)
        .scalar_subquery()
    )


def _records(case: Case) -> dict[int, tuple[Any, ...]]:
    with case.db.reading() as session:
        first = _first_seen_name()
        rows = session.execute(
            select(
                Document.id,
                Document.title,
                first,
                Document.reference_number,
                Document.issuer,
                Document.recipient,
                Document.sha256,
                Document.list_name,
                Document.list_text,
            )
        ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def _expected_matches(case: Case, needle: str) -> list[int]:
    """The documents today's filter lets through, worked out in Python: ``str.casefold`` of each field."""
    folded = needle.strip().casefold()
    found = []
    for doc_id, (title, first, *fields, _name, _text) in _records(case).items():
        haystack = [title if title is not None else first, *fields]
        if any(folded in value.casefold() for value in haystack if value is not None):
            found.append(doc_id)
    return sorted(found)


def _old_sql_matches(case: Case, needle: str) -> list[int]:
    """The documents the filter's SQL before the stored text let through (a casefold call per row)."""
    first = _first_seen_name()
    shown = func.coalesce(Document.title, first)
    folded = needle.strip().casefold()
    haystack = [shown, Document.reference_number, Document.issuer, Document.recipient, Document.sha256]
    query = select(Document.id).where(
        or_(*(func.casefold(c).contains(folded, autoescape=True) for c in haystack))
    )
    with case.db.reading() as session:
        return sorted(session.scalars(query))


def _stored_values_are_fresh(case: Case) -> None:
    for doc_id, (title, first, ref, issuer, recipient, sha, name, text) in _records(case).items():
        assert {"list_name": name, "list_text": text} == list_names.values(
            title, first, ref, issuer, recipient, sha
        ), doc_id


@pytest.mark.parametrize("needle", NEEDLES)
def test_the_text_filter_lets_through_the_same_documents(mixed: tuple[Case, list[int]], needle: str) -> None:
    case, _ids = mixed
    found = sorted(queries.find_documents(case, queries.DocumentFilter(text=needle)))
    assert found == _expected_matches(case, needle)
    if not case.db.shared:  # PostgreSQL's casefold() was lower(): not str.casefold
        assert found == _old_sql_matches(case, needle)


def test_the_filter_reads_the_stored_text_and_no_casefold_call() -> None:
    query = queries._matching(select(Document.id), queries.DocumentFilter(text="Привет"))
    sql = str(query.compile(compile_kwargs={"literal_binds": True}))
    assert "list_text" in sql
    assert "casefold" not in sql
    assert "sighting" not in sql


def test_the_title_order_is_the_folded_name_then_the_id(mixed: tuple[Case, list[int]]) -> None:
    case, ids = mixed
    records = _records(case)
    for descending in (False, True):
        order = queries.find_documents(case, queries.DocumentFilter(sort="title", descending=descending))
        names = [records[i][6] for i in order]
        assert sorted(order) == sorted(ids)
        # the stored name is today's key: casefold(COALESCE(title, first file name))
        assert names == [
            (records[i][0] if records[i][0] is not None else records[i][1]).casefold() for i in order
        ]
        if not case.db.shared:  # code point order, as SQLite's BINARY collation compares
            keys = [(names[n], i) for n, i in enumerate(order)]
            assert keys == sorted(keys, reverse=descending)


def test_every_write_keeps_the_stored_text_up_to_date(mixed: tuple[Case, list[int]], inbox: Path) -> None:
    case, ids = mixed
    _stored_values_are_fresh(case)
    documents.set_metadata(case, ids[4], {"title": "Ещё одно ПИСЬМО"})
    assert ids[4] in queries.find_documents(case, queries.DocumentFilter(text="ещё одно"))
    documents.set_metadata(case, ids[0], {"title": ""})  # cleared: named by its file again
    assert ids[0] in queries.find_documents(case, queries.DocumentFilter(text="отчёт привет"))
    assert ids[0] not in queries.find_documents(case, queries.DocumentFilter(text="мид"))
    documents.set_metadata(case, ids[2], {"reference": "REF-77", "recipient": "Bureau Veritas"})
    assert queries.find_documents(case, queries.DocumentFilter(text="ref-77")) == [ids[2]]
    assert queries.find_documents(case, queries.DocumentFilter(text="veritas")) == [ids[2]]
    documents.set_metadata(case, ids[2], {"reference": ""})
    assert queries.find_documents(case, queries.DocumentFilter(text="ref-77")) == []
    # the same bytes seen again under another name: the list still names it by the first
    again = inbox / "again"
    again.mkdir()
    shutil.copy(inbox / NAMES[5], again / "Zzz second name.pdf")
    import_paths(case, [again / "Zzz second name.pdf"])
    assert queries.find_documents(case, queries.DocumentFilter(text="zzz second")) == []
    _stored_values_are_fresh(case)


def test_the_migration_fills_the_stored_text_of_existing_documents(mixed: tuple[Case, list[int]]) -> None:
    case, ids = mixed
    before = _records(case)
    db = case.db
    config = db._alembic_config()
    with db._writer.begin() as conn:  # back to the schema before the stored text, and up again
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
        columns = {c["name"] for c in inspect(conn).get_columns("document")}
        assert "list_name" not in columns
        command.upgrade(config, "head")
    assert _records(case) == before
    _stored_values_are_fresh(case)
    order = queries.find_documents(case, queries.DocumentFilter(sort="title"))
    assert sorted(order) == sorted(ids)


def _plan(case: Case, wanted: queries.DocumentFilter, query: Any = None) -> str:
    with case.db.reading() as session:
        conn = session.connection()
        query = queries.ids_query(wanted) if query is None else query
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        return " | ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


def test_the_title_order_walks_the_index_and_the_text_filter_scans_its_own(case: Case, inbox: Path) -> None:
    _make(case, inbox)
    # the status, type and date filters read the title index alone, in its order
    for wanted in (
        queries.DocumentFilter(sort="title"),
        queries.DocumentFilter(sort="title", status=VerificationStatus.DISPUTED),
        queries.DocumentFilter(sort="title", doc_type="letter", descending=True),
        queries.DocumentFilter(sort="title", date_from="2019", date_to="2020-05"),
    ):
        plan = _plan(case, wanted)
        assert "SCAN document USING COVERING INDEX ix_document_list_name" in plan, wanted
        # descending, ties stay in id order: only those are sorted ("FOR RIGHT PART OF ORDER BY")
        assert "TEMP B-TREE FOR ORDER BY" not in plan, wanted
    # the text filter, in every order: one scan of the narrow index that holds list_text and every sort
    # key (migration 0015) and a sort of what passes, not a walk of the title index or of the table by
    # id reading every row they name
    for sort in queries.SORT_KEYS:
        for wanted in (
            queries.DocumentFilter(sort=sort, text="memo"),
            queries.DocumentFilter(sort=sort, text="memo", status=VerificationStatus.DISPUTED),
            queries.DocumentFilter(sort=sort, text="memo", doc_type="letter", descending=True),
        ):
            plan = _plan(case, wanted)
            assert plan.startswith("SCAN document USING COVERING INDEX ix_document_list_text"), (wanted, plan)
            assert "TEMP B-TREE FOR ORDER BY" in plan, (wanted, plan)
    # the tag filter: the tag's documents from its index, then each by id, and those few sorted
    plan = _plan(case, queries.DocumentFilter(sort="title", tag="shipping", descending=True))
    assert "SEARCH document_tag USING INDEX ix_document_tag_tag (tag=?)" in plan
    assert "SEARCH document USING INTEGER PRIMARY KEY" in plan
    assert "CORRELATED" not in plan


def test_a_title_of_ten_thousand_characters_is_listed_and_found(any_case: Case, inbox: Path) -> None:
    """PostgreSQL refuses an index entry over ~2,700 bytes: the title order keeps 500 characters."""
    files = [filemaker.make_text_pdf(inbox / f"long-{n}.pdf", lines=["x"], title="", seed=n) for n in (1, 2)]
    ids = [d.id for d in import_paths(any_case, files).imported]
    rng = random.Random(7)
    long = "".join(rng.choice("абвгдеёжзийклмнопрстуфхцчшщьыэюяABCDEFGHIJ") for _ in range(9_990))
    documents.set_metadata(any_case, ids[0], {"title": long + "ЗАКОНЧЕН"})
    documents.set_metadata(any_case, ids[1], {"title": long + "a"})  # alike in their first 500
    records = _records(any_case)
    assert records[ids[0]][6] == long.casefold()[: list_names.NAME_LENGTH]
    assert queries.find_documents(any_case, queries.DocumentFilter(text="закончен")) == [ids[0]]
    assert queries.find_documents(any_case, queries.DocumentFilter(sort="title")) == ids  # then by id
    _stored_values_are_fresh(any_case)


def test_a_repaired_case_makes_the_stored_text_again(
    sound_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rows salvaged as they were, or from a backup before migration 0012, hold no folded text."""
    root = copy_case(sound_case, tmp_path / "case")
    with contextlib.closing(sqlite3.connect(root / "reviewer.sqlite")) as conn, conn:
        conn.execute("UPDATE document SET list_name = NULL, list_text = NULL")
    code, out, err = run(capsys, "repair", root, "--force")
    assert code == 0, out + err
    with open_case(root, actor="tester") as case:
        _stored_values_are_fresh(case)
        assert all(r[7] is not None for r in _records(case).values())


def test_a_merged_bundle_brings_its_titles_to_the_list(any_case: Case, tmp_path: Path) -> None:
    """A bundle's documents arrive with their titles (ORM writes), one already here with a new sighting."""
    inbox = tmp_path / "from-colleague"
    inbox.mkdir()
    note = filemaker.make_text_pdf(inbox / "note.pdf", pages=1, lines=["Ref 12-05/1174"], seed=61)
    scan = filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=1, seed=62)
    with create_case(tmp_path / "source", actor="colleague") as source:
        import_paths(source, [note, scan])
        documents.set_metadata(source, 1, {"title": "Нота МИД 12-05/1174", "issuer": "Посольство"})
        export_bundle(source, tmp_path / "bundle", ExportOptions())
    here = tmp_path / "here"
    here.mkdir()
    shutil.copy(scan, here / "Aaa first seen here.pdf")
    [scan_id] = [d.id for d in import_paths(any_case, [here / "Aaa first seen here.pdf"]).imported]
    import_bundle(any_case, tmp_path / "bundle")
    _stored_values_are_fresh(any_case)
    [note_id] = queries.find_documents(any_case, queries.DocumentFilter(text="нота мид"))
    assert queries.find_documents(any_case, queries.DocumentFilter(text="ПОСОЛЬСТВО")) == [note_id]
    # the scan keeps the name it was first seen under here
    assert queries.find_documents(any_case, queries.DocumentFilter(text="aaa first seen")) == [scan_id]


def test_the_date_order_and_the_timelines_counts_walk_the_date_index_unless_a_filter_reads_every_row(
    case: Case, inbox: Path
) -> None:
    """Migration 0014's index: the list's date order and the timeline's counts per date and status read
    it alone for no filter, a status or a type; a text or tag filter scans the rows it must read."""
    ids = _make(case, inbox)
    for number, doc in enumerate(ids):
        documents.set_metadata(case, doc, {"document_date": f"2019-0{1 + number % 3}-1{number}"})
    for wanted in (
        queries.DocumentFilter(sort="document_date"),
        queries.DocumentFilter(sort="document_date", status=VerificationStatus.DISPUTED, descending=True),
        queries.DocumentFilter(sort="document_date", doc_type="letter"),
    ):
        for query in (queries.ids_query(wanted), queries.timeline_counts_query(wanted)):
            plan = _plan(case, wanted, query)
            assert "USING COVERING INDEX ix_document_date" in plan, (wanted, plan)
            # ties in id order are all that is sorted ("FOR RIGHT PART OF ORDER BY")
            assert "TEMP B-TREE FOR ORDER BY" not in plan, (wanted, plan)
            assert "TEMP B-TREE FOR GROUP BY" not in plan, (wanted, plan)
    for wanted in (
        queries.DocumentFilter(sort="document_date", text="memo"),
        queries.DocumentFilter(sort="document_date", tag="shipping"),
    ):
        for query in (queries.ids_query(wanted), queries.timeline_counts_query(wanted)):
            # scanned and sorted, not walked in date order reading each row the index names (a scan of
            # the index as the narrower table, for the tag filter, is fine)
            plan = _plan(case, wanted, query)
            assert "TEMP B-TREE FOR ORDER BY" in plan or "TEMP B-TREE FOR GROUP BY" in plan, (wanted, plan)
    assert "ix_document_date" not in _plan(case, queries.DocumentFilter(sort="document_date", text="memo"))
    # a text filter's order is the unfiltered list's, in every order both ways (the expressions it sorts
    # by hold the same values: NULL dates and types where they were)
    documents.set_metadata(case, ids[1], {"document_date": "", "type": "letter"})
    for sort in queries.SORT_KEYS:
        for descending in (False, True):
            every = queries.find_documents(case, queries.DocumentFilter(sort=sort, descending=descending))
            for needle in (".", "e"):
                texted = queries.find_documents(
                    case, queries.DocumentFilter(sort=sort, descending=descending, text=needle)
                )
                assert texted, needle
                assert texted == [d for d in every if d in set(texted)], (sort, descending, needle)
    # the same documents and counts whichever way they are read
    by_date = queries.find_documents(case, queries.DocumentFilter(sort="document_date"))
    texted = queries.find_documents(case, queries.DocumentFilter(sort="document_date", text="."))
    assert texted == [d for d in by_date if d in set(texted)]
    counts = queries.timeline_documents(case, queries.DocumentFilter()).counts
    assert sum(sum(c.counts) for c in counts) == len(ids)


def test_a_documents_place_counted_in_the_database_is_its_place_in_the_list(
    mixed: tuple[Case, list[int]],
) -> None:
    """``position_of`` (a far document shown before the other ids are read) against ``find_documents``:
    every order both ways, with NULL dates and types, equal keys and filters; on SQLite, which sorts
    NULL first going up, and PostgreSQL, which sorts it last. ``ids_at`` is a slice of the same list."""
    case, ids = mixed
    dates = ["2019-05-12", None, "2019", "2019-05-12", None, "2020-01", "2019"]
    types = ["letter", None, "letter", "invoice", None, None, "contract"]
    for doc, date, doc_type in zip(ids, dates, types, strict=True):
        documents.set_metadata(case, doc, {"document_date": date or "", "type": doc_type or ""})
    documents.set_status(case, ids[2], VerificationStatus.DISPUTED, "stamp")
    documents.set_status(case, ids[5], VerificationStatus.DISPUTED, "stamp")
    filters = (
        {},
        {"status": VerificationStatus.DISPUTED},
        {"text": "pdf"},
        {"date_from": "2019"},
    )
    for sort in queries.SORT_KEYS:
        for descending in (False, True):
            for narrowing in filters:
                wanted = queries.DocumentFilter(sort=sort, descending=descending, **narrowing)
                listed = queries.find_documents(case, wanted)
                assert listed, wanted
                for doc in ids:
                    expected = listed.index(doc) if doc in listed else None
                    assert queries.position_of(case, wanted, doc) == expected, (wanted, doc)
                for start in range(len(listed) + 1):
                    assert queries.ids_at(case, wanted, start, 2) == listed[start : start + 2], wanted
    assert queries.position_of(case, queries.DocumentFilter(), 9999) is None
    assert queries.placed_quickly(queries.DocumentFilter(sort="title"))
    assert not queries.placed_quickly(queries.DocumentFilter(sort="title", text="memo"))
    assert not queries.placed_quickly(queries.DocumentFilter(sort="document_date"))
