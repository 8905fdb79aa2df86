"""Links between documents and the watch-list: asserted, suggested, and all on the custody logs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from reviewer.cli import main
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import LinkRelation
from reviewer.core.services import entities, links, reading
from reviewer.core.services.importing import import_paths
from reviewer.core.services.queries import document_detail
from tests.conftest import raw_db
from tests.filemaker import make_text_pdf

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


# Reads the SQLite file itself (raw_db), so runs on the local case only.
SQLITE_ONLY = pytest.mark.parametrize("any_case", ["sqlite"], indirect=True)


@pytest.fixture
def case(any_case: Case) -> Case:
    """Every test here runs on a local (SQLite) and a shared (PostgreSQL) case, but SQLITE_ONLY ones."""
    return any_case


@pytest.fixture
def three(case: Case, inbox: Path) -> list[int]:
    make_text_pdf(inbox / "a.pdf", lines=["Нота № 12-05/1174 от 12 мая 2019 г.", "ОАО «Белнефтехим»"])
    make_text_pdf(inbox / "b.pdf", lines=["В ответ на ноту № 12-05/1174", "Концерна Белнефтехима"])
    make_text_pdf(inbox / "c.pdf", lines=["Invoice No. INV-2019-0415", "Total: USD 12,500.00"])
    report = import_paths(case, [inbox / "a.pdf", inbox / "b.pdf", inbox / "c.pdf"])
    reading.read_pages(case)
    return [item.id for item in report.imported]


def test_a_link_shows_on_both_sides_and_on_both_logs(case: Case, three: list[int]) -> None:
    a, b, _c = three
    link_id = links.link_documents(case, b, a, "replies to", "answers the note")
    [from_b] = links.links_of(case, b)
    [from_a] = links.links_of(case, a)
    assert (from_b.id, from_b.label, from_b.other.id, from_b.note) == (
        link_id,
        "replies to",
        a,
        "answers the note",
    )
    assert (from_a.label, from_a.other.id) == ("replied to by", b)
    for doc in (a, b):
        assert [e.action for e in document_detail(case, doc).custody][-1] == "link_added"
    assert links.all_links(case) == [(b, a, "replies_to", "answers the note")]

    links.unlink(case, link_id)
    assert links.links_of(case, a) == []
    assert [e.action for e in document_detail(case, a).custody][-1] == "link_removed"
    links.link_documents(case, b, a, LinkRelation.REPLIES_TO)  # made again after removal
    assert len(links.links_of(case, a)) == 1


def test_links_that_make_no_sense_are_refused(case: Case, three: list[int]) -> None:
    a, b, _c = three
    with pytest.raises(UsageError, match="itself"):
        links.link_documents(case, a, a, "references")
    with pytest.raises(UsageError, match="unknown relation 'cites'"):
        links.link_documents(case, a, b, "cites")
    links.link_documents(case, a, b, "same series")
    with pytest.raises(UsageError, match="already"):
        links.link_documents(case, a, b, "same-series")
    with pytest.raises(UsageError, match="no link 99"):
        links.unlink(case, 99)


def test_documents_sharing_a_reference_number_are_suggested_until_linked(
    case: Case, three: list[int]
) -> None:
    a, b, c = three
    [suggestion] = links.suggested_links(case, a)
    assert (suggestion.other.id, suggestion.shared) == (b, ("12-05/1174",))
    assert links.suggested_links(case, c) == []
    links.link_documents(case, a, b, "references")
    assert links.suggested_links(case, a) == []


@SQLITE_ONLY
def test_the_watch_list_finds_inflected_terms_and_is_logged(case: Case, three: list[int]) -> None:
    a, b, _c = three
    assert entities.documents_mentioning(case, "term", "Белнефтехим") == []
    entities.add_watch_term(case, "Белнефтехим", "organisation", ["Belneftekhim"])
    mentioning = [d.id for d in entities.documents_mentioning(case, "term", "Белнефтехим")]
    assert mentioning == [a, b]  # "Белнефтехим" and "Белнефтехима"
    counts = {(e.kind, e.value): e.documents for e in entities.entity_counts(case)}
    assert counts[("term", "Белнефтехим")] == 2
    assert counts[("reference", "12-05/1174")] == 2
    assert counts[("money", "12500.00 USD")] == 1
    with pytest.raises(UsageError, match="already"):
        entities.add_watch_term(case, "Белнефтехим")
    entities.remove_watch_term(case, "Белнефтехим")
    assert entities.documents_mentioning(case, "term", "Белнефтехим") == []
    with raw_db(case.root) as conn:
        actions = [r[0] for r in conn.execute("SELECT action FROM custody_event WHERE document_id IS NULL")]
    assert actions[-2:] == ["watch_term_added", "watch_term_removed"]


def test_links_and_entities_from_the_command_line(
    case: Case, three: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, _c = three
    root = str(case.root)
    assert main(["link", root, str(a), str(b), "--relation", "contradicts", "--note", "dates differ"]) == 0
    assert "contradicts" in capsys.readouterr().out
    assert main(["links", root, str(b), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(x["other"]["id"], x["relation"]) for x in shown["links"]] == [(a, "contradicts")]
    assert main(["link", root, str(a), str(b), "--relation", "cites"]) == 2
    assert "unknown relation" in capsys.readouterr().err
    assert main(["watch", root, "--add", "Белнефтехим", "--kind", "organisation"]) == 0
    assert "Белнефтехим" in capsys.readouterr().out
    assert main(["entities", root, "--kind", "term", "--value", "Белнефтехим", "--json"]) == 0
    assert [d["id"] for d in json.loads(capsys.readouterr().out)] == [a, b]
    assert main(["entities", root, str(a)]) == 0
    assert "12-05/1174" in capsys.readouterr().out
