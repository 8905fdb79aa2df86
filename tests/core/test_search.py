"""Search: what people type, what the index finds, snippets, filters, and an index kept in step."""

from __future__ import annotations

import json
import random
import re
from typing import TYPE_CHECKING

import pytest

from reviewer.cli import main
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents
from reviewer.core.services.case import open_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.queries import DocumentFilter
from reviewer.core.services.search import highlights, search, text_matches
from reviewer.core.text.fts import index_text, parse_query, snippet
from tests.conftest import raw_db
from tests.filemaker import make_text_pdf
from tests.pg_cases import execute

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


# Reads or edits the SQLite file itself (raw_db), so runs on the local case only.
SQLITE_ONLY = pytest.mark.parametrize("any_case", ["sqlite"], indirect=True)


@pytest.fixture
def case(any_case: Case) -> Case:
    """Every test here runs on a local (SQLite) and a shared (PostgreSQL) case, but SQLITE_ONLY ones."""
    return any_case


# -- what people type ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "fts"),
    [
        ("министерство", '"министерство"'),
        ("Министерство ИНОСТРАННЫХ", '"министерство" AND "иностранных"'),
        ("12-05/1174", '"12 05 1174"'),
        ("ЭП-078/1133-19", '"эп 078 1133 19"'),
        ("№ 45/БА-2018", '"45 ба 2018"'),
        ('"своё уважение"', '( "свое уважение" OR "cboe уважение" )'),  # "своё" as inside a number
        ("кабел*", '"кабел"*'),
        ("Veloria OR Велория", '"veloria" OR "велория"'),
        ("contract NOT draft", '"contract" NOT "draft"'),
        ("contract -draft", '"contract" NOT "draft"'),
        ("(nota OR нота) AND 1174", '( "nota" OR ( "нота" OR "hota" ) ) AND "1174"'),
        ("müqaviləsi", '"müqavilesi"'),  # unicode61 folds the ü itself
        ("Alqı-satqı", '"alqi satqi"'),
        ("ЁЛКА", '"елка"'),
        ('"unclosed phrase', '"unclosed phrase"'),
    ],
)
def test_typed_queries_become_safe_fts(typed: str, fts: str) -> None:
    assert parse_query(typed).fts == fts


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("NOT draft", "NOT needs something before it"),
        ("-draft", "NOT needs something before it"),
        ("contract AND", "needs a term after it"),
        ("OR contract", "needs a term on each side"),
        ("(contract", "'(' without its ')'"),
        ("contract)", "')' without its '('"),
        ("", "nothing to search for"),
        ("№ --- /", "nothing to search for"),
        ("a NOT b NOT", "needs a term after it"),
    ],
)
def test_queries_that_make_no_sense_get_one_line(typed: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_query(typed)


def test_fts_operators_typed_in_lower_case_are_words() -> None:
    assert parse_query("and or not").fts == '"and" AND "or" AND "not"'


def test_snippet_marks_the_hits_in_the_original_spelling() -> None:
    text = "Начало. " + "слово " * 60 + "Исх. № 12-05/1174 от 12 мая, Ёлкин и ёлка. " + "хвост " * 60
    cut = snippet(text, parse_query("12-05/1174 OR елка").terms)
    marked = [cut.text[a:b] for a, b in cut.marks]
    assert marked == ["12-05/1174", "ёлка"]
    assert cut.text.startswith("…")
    assert cut.text.endswith("…")
    assert len(cut.text) < 220


# -- a case to search ---------------------------------------------------------------------------------

NOTE = [
    "МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ РЕСПУБЛИКИ ВЕЛОРИЯ",
    "Исх. № 12-05/1174 от 12 мая 2019 г.",
    "Министерство свидетельствует своё уважение Посольству.",
    "Экспортный паспорт ЭП-078/1133-19 на станки.",
]
SALE = [
    "Alqı-satqı müqaviləsi № 45/БА-2018",
    "Bakı şəhəri, 3 mart 2018-ci il. Məbləğ 12 500 manat.",
    "Satıcı: Qaraçay Logistika MMC.",
]
INVOICE = [
    "INVOICE No. INV-2019-0415",
    "Draft contract for machine tools, see note 12-05/1174.",
    "Total: USD 12,500.00",
]


@pytest.fixture
def searchable(case: Case, inbox: Path) -> dict[str, int]:
    make_text_pdf(inbox / "note.pdf", lines=NOTE, title="Нота МИД")
    make_text_pdf(inbox / "sale.pdf", lines=SALE, title="Alqı-satqı")
    make_text_pdf(inbox / "invoice.pdf", lines=INVOICE, title="Invoice", pages=2)
    report = import_paths(case, [inbox])
    ids = {item.path.rsplit("/", 1)[-1]: item.id for item in report.imported}
    documents.set_metadata(case, ids["note.pdf"], {"document_date": "2019-05-12", "type": "diplomatic note"})
    documents.set_metadata(case, ids["sale.pdf"], {"document_date": "2018-03"})
    documents.set_metadata(case, ids["invoice.pdf"], {"document_date": "2019-04-15"})
    return ids


def _found(case: Case, query: str, wanted: DocumentFilter | None = None) -> set[int]:
    return {d.document.id for d in search(case, query, wanted).documents}


def test_every_query_form_finds_what_it_should(case: Case, searchable: dict[str, int]) -> None:
    note, sale, invoice = searchable["note.pdf"], searchable["sale.pdf"], searchable["invoice.pdf"]
    assert _found(case, "министерство") == {note}  # upper case on the page
    assert _found(case, "ВЕЛОРИЯ") == {note}
    assert _found(case, "12-05/1174") == {note, invoice}
    assert _found(case, "12 05 1174") == {note, invoice}  # however it is spaced
    assert _found(case, "ЭП-078/1133-19") == {note}
    assert _found(case, "№ 45/БА-2018") == {sale}
    assert _found(case, "muqavilesi") == {sale}  # without diacritics
    assert _found(case, "Müqaviləsi") == {sale}
    assert _found(case, "seheri") == {sale}
    assert _found(case, "свое уважение") == {note}  # ё typed as е
    assert _found(case, "станки") == {note}
    assert _found(case, "станкй") == set()
    assert _found(case, '"своё уважение"') == {note}
    assert _found(case, '"уважение своё"') == set()  # a phrase keeps its order
    assert _found(case, "Министер*") == {note}
    assert _found(case, "logist*") == {sale}
    assert _found(case, "12-05/1174 AND draft") == {invoice}
    assert _found(case, "velor* OR qaraçay") == {sale}
    assert _found(case, "ВЕЛОРИЯ OR Qaraçay") == {note, sale}
    assert _found(case, "12-05/1174 NOT draft") == {note}
    assert _found(case, "12-05/1174 -draft") == {note}
    assert _found(case, "(станки OR manat) AND 2018") == {sale}
    assert _found(case, "nothing-like-this") == set()


def test_hits_are_grouped_by_document_with_pages_and_snippets(case: Case, searchable: dict[str, int]) -> None:
    results = search(case, "12-05/1174")
    assert results.matches >= 2
    by_doc = {d.document.id: d for d in results.documents}
    note = by_doc[searchable["note.pdf"]]
    assert note.hits[0].page == 1
    assert note.hits[0].kind == "text"
    hit = note.hits[0]
    assert [hit.snippet[a:b] for a, b in hit.marks] == ["12-05/1174"]
    invoice = by_doc[searchable["invoice.pdf"]]
    assert {h.page for h in invoice.hits} == {1, 2}  # the lines are on every page
    ranks = [d.hits[0].rank for d in results.documents]
    assert ranks == sorted(ranks)  # best (lowest bm25) first


def test_filters_narrow_the_search(case: Case, searchable: dict[str, int]) -> None:
    note, invoice = searchable["note.pdf"], searchable["invoice.pdf"]
    documents.tag_documents(case, [invoice], ["customs"])
    assert _found(case, "12-05/1174", DocumentFilter(tag="customs")) == {invoice}
    assert _found(case, "12-05/1174", DocumentFilter(doc_type="diplomatic_note")) == {note}
    assert _found(case, "12-05/1174", DocumentFilter(date_from="2019-05")) == {note}
    assert _found(case, "12-05/1174", DocumentFilter(date_to="2019-04-30")) == {invoice}
    assert _found(case, "manat OR 12-05/1174", DocumentFilter(date_from="2018", date_to="2018-12")) == {
        searchable["sale.pdf"]
    }


def test_annotations_and_metadata_are_searchable_and_kept_in_step(
    case: Case, searchable: dict[str, int]
) -> None:
    note = searchable["note.pdf"]
    record = documents.add_annotation(
        case, note, page=1, rect=Rect(10, 10, 100, 60), note="Печать Гербовая, подпись неразборчива"
    )
    hits = search(case, "гербовая").documents
    assert [(d.document.id, d.hits[0].kind, d.hits[0].annotation_id) for d in hits] == [
        (note, "note", record.id)
    ]
    documents.update_annotation(case, record.id, note="круглая печать")
    assert _found(case, "гербовая") == set()
    assert _found(case, "круглая") == {note}
    documents.delete_annotation(case, record.id)
    assert _found(case, "круглая") == set()
    documents.restore_annotation(case, record.id)
    assert _found(case, "круглая") == {note}
    documents.set_metadata(case, note, {"issuer": "МИД Велории", "vessel": "Каспий-3"})
    assert _found(case, "каспий") == {note}
    documents.tag_documents(case, [note], ["sanctions"])
    assert _found(case, "sanctions") == {note}
    assert _found(case, "note.pdf") == {note}  # the file's name


def test_highlight_boxes_come_from_the_words_of_the_page(case: Case, searchable: dict[str, int]) -> None:
    from reviewer.core.services.reading import read_pages

    note = searchable["note.pdf"]
    imported = highlights(case, note, 1, "12-05/1174")  # a text layer's words come with the import
    read_pages(case, [note])
    boxes = highlights(case, note, 1, "12-05/1174")
    assert boxes == imported, "reading after import does not change a text layer's words"
    assert len(boxes) == 1
    box = boxes[0]
    assert 0 < box.x0 < box.x1 < 595
    assert 0 < box.y0 < box.y1 < 842
    assert len(highlights(case, note, 1, "ВЕЛОРИЯ OR министерство")) == 3  # twice "министерство"


def test_the_text_view_marks_matches(case: Case, searchable: dict[str, int]) -> None:
    text = "Министерство свидетельствует своё уважение"
    assert [text[a:b] for a, b in text_matches(text, "свое OR министерство")] == ["Министерство", "своё"]


def test_an_old_case_is_indexed_when_opened(case: Case, searchable: dict[str, int]) -> None:
    root = case.root
    case.close()
    execute(
        root,
        "DELETE FROM search_text",
        "DELETE FROM search_entry",
        "DELETE FROM case_setting WHERE key = 'search_index_version'",
    )
    with open_case(root) as reopened:
        assert _found(reopened, "12-05/1174") == {searchable["note.pdf"], searchable["invoice.pdf"]}


def test_search_from_the_command_line(
    case: Case, searchable: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(case.root)
    assert main(["search", root, "ЭП-078/1133-19", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [(h["doc"], h["page"]) for h in hits] == [(searchable["note.pdf"], 1)]
    assert set(hits[0]) >= {"doc", "sha256", "page", "snippet"}
    assert "ЭП-078/1133-19" in hits[0]["snippet"]
    assert main(["search", root, "manat"]) == 0
    out = capsys.readouterr().out
    assert "[manat]" in out
    assert "1 place(s) in 1 document(s)" in out
    assert main(["search", root, "NOT manat"]) == 2
    assert "NOT needs something before it" in capsys.readouterr().err


# -- Latin and Cyrillic look-alikes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "fts"),
    [
        ("45/БA-2018", '"45 ба 2018"'),  # a Latin A beside a Б: the word is Cyrillic
        ("45/БА-2018", '"45 ба 2018"'),
        ("Мoсква", '( "москва" OR "mockba" )'),  # OCR's Latin o; the second as in a number
        ("hеllo", '"hello"'),  # a Cyrillic е inside an English word
        ("45/ВА-2018", '( "45 ba 2018" OR "45 ва 2018" )'),  # in a number, В is B
        ("45/BA-2018", '( "45 ba 2018" OR "45 ва 2018" )'),
        ("ВА", '( "ва" OR "ba" )'),  # a code in capitals may be inside a number
        ("BA", '( "ba" OR "ва" )'),
        ("вт", '( "вт" OR "bt" )'),  # a code typed alone finds it inside a number (ВТ-19/044)
        ("he", '"he"'),  # lower-case h is not drawn like н: English "he" is not Russian "не"
        ("Tom", '"tom"'),
        ("сор", '"cop"'),  # only words made wholly of look-alikes meet across the scripts
    ],
)
def test_look_alike_letters_are_folded_by_word(typed: str, fts: str) -> None:
    assert parse_query(typed).fts == fts


MIXED = [
    "Договор № 45/БA-2018 (Latin A), письмо 77/ВА-2019",  # Latin A in both
    "Мoсква, 3 марта",  # a Latin o
    "He said so.",
]
CYRILLIC = [
    "Договор № 45/БА-2018 и 77 / BA - 2019",  # all Cyrillic, then all Latin, spaced out
    "Москва, 3 марта",
    "Это не так.",
]


@pytest.fixture
def scripts(case: Case, inbox: Path) -> tuple[int, int]:
    make_text_pdf(inbox / "mixed.pdf", lines=MIXED)
    make_text_pdf(inbox / "cyrillic.pdf", lines=CYRILLIC)
    report = import_paths(case, [inbox])
    ids = {item.path.rsplit("/", 1)[-1]: item.id for item in report.imported}
    return ids["mixed.pdf"], ids["cyrillic.pdf"]


def test_either_script_finds_both_spellings(case: Case, scripts: tuple[int, int]) -> None:
    both = set(scripts)
    for typed in ("45/БA-2018", "45/БА-2018", "№ 45/ба-2018", "77/ВА-2019", "77/BA-2019", "77 ВА 2019"):
        assert _found(case, typed) == both, typed
    assert _found(case, "Москва") == both
    assert _found(case, "Мoсква") == both
    assert _found(case, "he") == {scripts[0]}  # not the Russian "не"
    # the price of finding codes typed alone inside numbers: a Russian word made only of look-alikes
    # also finds its Latin twin
    assert _found(case, "не") == both


def test_snippets_show_the_text_as_written(case: Case, scripts: tuple[int, int]) -> None:
    mixed, cyrillic = scripts
    shown = {
        d.document.id: [h.snippet[a:b] for h in d.hits for a, b in h.marks]
        for d in search(case, "45/БА-2018 OR Москва").documents
    }
    assert sorted(shown[mixed]) == sorted(["45/БA-2018", "Мoсква"])  # the Latin letters kept
    assert sorted(shown[cyrillic]) == sorted(["45/БА-2018", "Москва"])


@SQLITE_ONLY
def test_an_index_built_by_older_rules_is_rebuilt_when_opened(case: Case, scripts: tuple[int, int]) -> None:
    root = case.root
    case.close()
    with raw_db(root) as conn:
        # what version 1 held: the text without look-alikes folded
        rows = conn.execute(
            "SELECT e.id, p.text FROM search_entry e JOIN page p"
            " ON p.document_id = e.document_id AND p.number = e.page WHERE e.kind = 'text'"
        ).fetchall()
        for rowid, body in rows:
            conn.execute("UPDATE search_text SET body = ? WHERE rowid = ?", (body, rowid))
        conn.execute("UPDATE case_setting SET value = '1' WHERE key = 'search_index_version'")
    with open_case(root) as reopened:
        assert _found(reopened, "45/БА-2018") == set(scripts)


def _swapped(chance: random.Random, text: str, twins: dict[str, str]) -> str:
    return "".join(twins.get(c, c) if chance.random() < 0.5 else c for c in text)


def test_swapping_look_alikes_never_changes_what_is_indexed() -> None:
    both_cases = dict(zip("аеорсухкАЕОРСУХК", "aeopcyxkAEOPCYXK", strict=True))
    both_cases |= {latin: cyrillic for cyrillic, latin in both_cases.items()}
    capitals = dict(zip("ВМНТ", "BMHT", strict=True))
    capitals |= both_cases | {latin: cyrillic for cyrillic, latin in capitals.items()}
    letters = "".join(capitals) + "бдлпБЭЖwrfgz"
    chance = random.Random(11)
    for _ in range(2000):
        text = "".join(chance.choice(letters + "0123456789 /-.,") for _ in range(chance.randint(1, 30)))
        number = "".join(chance.choice(letters + "0123456789/-.") for _ in range(chance.randint(1, 12))) + "7"
        for original, swapped in (
            (text, _swapped(chance, text, both_cases)),  # anywhere: letters alike in both cases
            (number, _swapped(chance, number, capitals)),  # in a number: capitals too
        ):
            assert len(index_text(original)) == len(original)
            # case aside (the tokenizer folds it), two spellings of one text index alike
            assert index_text(original).lower() == index_text(swapped).lower(), (original, swapped)


def test_a_search_whose_matches_fit_one_page_is_not_counted_again(
    any_case: Case, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every match is on the first page: the count is the page's length, not a second query over the
    index (half of a rare term's time on PostgreSQL, issue 14); past one page, they are counted."""
    from reviewer.core.storage import search_index

    make_text_pdf(inbox / "note.pdf", lines=NOTE, title="Нота МИД", pages=3)
    make_text_pdf(inbox / "invoice.pdf", lines=INVOICE, title="Invoice", pages=2)
    import_paths(any_case, [inbox])
    counted: list[str] = []
    real = search_index.count_matches

    def spy(session: object, fts: str) -> int:
        counted.append(fts)
        return real(session, fts)  # type: ignore[arg-type]

    monkeypatch.setattr(search_index, "count_matches", spy)
    few = search(any_case, '"12-05/1174"')
    assert not few.truncated
    assert few.matches == sum(len(d.hits) for d in few.documents) > 2
    assert counted == []
    many = search(any_case, '"12-05/1174"', limit=2)
    assert many.truncated
    assert len(counted) == 1  # the search whose matches did not fit: counted, and the same number
    assert many.matches == few.matches
