"""The Tantivy index beside a local case (issue 16): the same rows as FTS5, and never silently behind."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import insert

from reviewer.core.services import search as search_service
from reviewer.core.services.case import open_case
from reviewer.core.services.search import search, update_index
from reviewer.core.storage import search_index, search_tantivy
from reviewer.core.storage.orm import Document, Page
from reviewer.core.text.fts import parse_query
from reviewer.core.text.unicode61 import tokenize
from tests.conftest import raw_db

if TYPE_CHECKING:
    from reviewer.core.services.case import Case

_VOCABULARY = (
    "министерство посольство республики договор поставка поставки поставщик оборудование "
    "оборудования свидетельствует уважение ёлка елка Ёжиков Ежиков café cafe São Paulo Müller Muller "
    "naïve ministry contract contracts invoice delivery machine tools customs Москва Мoсква Belarus "
    "и в на с по для the of and to in"
)
_WORDS = _VOCABULARY.split()


@pytest.fixture(autouse=True)
def _indexed_however_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Tantivy index for these small cases too (real cases get one from INDEX_FROM_ROWS rows)."""
    monkeypatch.setattr(search_service, "INDEX_FROM_ROWS", 0)


def _page(rng: random.Random, number: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randrange(5, 40))]
    if number % 7 == 0:
        words.insert(rng.randrange(len(words)), "Исх. № 12-05/1174")
    if number % 11 == 0:
        words.insert(rng.randrange(len(words)), "№ 12/3-456")
    if number % 13 == 0:
        words.insert(
            rng.randrange(len(words)), rng.choice(["№ 45/БА-2018", "№ 45/БA-2018", "ЭП-078/1133-19"])
        )
    if number == 77:
        words.insert(0, "белнефтехим")
    words.append(f"{1000 + number}")  # a hundred and more numbers that begin with 1
    return " ".join(words)


def _fill(case: Case, documents: int, *, first: int = 0, per_document: int = 4) -> None:
    """Documents of generated pages, indexed as import indexes them."""
    rng = random.Random(first + 16)
    with case.db.unit_of_work() as uow:
        conn = uow.session.connection()
        for d in range(first, first + documents):
            doc_id = conn.execute(
                insert(Document).returning(Document.id),
                {
                    "sha256": f"{d:064x}",
                    "size": 1000,
                    "media_type": "application/pdf",
                    "file_format": "PDF 1.7",
                    "page_count": per_document,
                    "encrypted": False,
                    "file_metadata": {},
                    "imported_at": "2026-12-08T00:00:00Z",
                    "imported_by": "tester",
                    "status": "unverified",
                    "title": f"Документ {d}",
                },
            ).scalar_one()
            texts = [(n, _page(rng, d * per_document + n), None) for n in range(1, per_document + 1)]
            conn.execute(
                insert(Page),
                [
                    {"document_id": doc_id, "number": n, "width": 595.0, "height": 842.0, "text": t}
                    for n, t, _ in texts
                ],
            )
            search_index.index_pages(uow.session, doc_id, texts)
            search_index.index_meta(uow.session, doc_id)
        uow.commit()


QUERIES = [
    "министерство",
    "МИНИСТЕРСТВО",
    "договор",
    "ministry",
    "Contract",
    "contracts",
    "ёлка",
    "елка",
    "ЁЖИКОВ",
    "café",
    "cafe",
    "CAFÉ",
    "sao",
    "São Paulo",
    "muller",
    "Müller",
    "naive",
    "москва",
    "Мoсква",
    "белнефтехим",
    "несуществующееслово",
    '"свидетельствует уважение"',
    '"уважение свидетельствует"',
    '"machine tools"',
    '"São Paulo"',
    "поставк*",
    "постав*",
    "мин*",
    "con*",
    "1*",
    "12-0*",
    "Мoск*",
    "12-05/1174",
    "Исх. № 12-05/1174",
    "№ 12/3-456",
    "12/3-456",
    "45/БА-2018",
    "45/БA-2018",
    "ЭП-078/1133-19",
    "1077",
    "договор AND поставка",
    "договор поставка",
    "договор OR contract",
    "договор NOT поставка",
    "договор -contract",
    "(договор OR contract) NOT ministry",
    "ministry OR (ёлка AND café)",
    "белнефтехим OR 12-05/1174",
    '"machine tools" -customs',
    "документ",
    "Документ 3",
]


def _tantivy(case: Case) -> search_tantivy.SearchIndex:
    with case.db.reading() as session:
        engine = search_tantivy.open_current(session, case.layout.derived / search_tantivy.FOLDER)
    assert engine is not None, "the Tantivy index is not current"
    return engine


def _fts5(case: Case, fts: str) -> set[int]:
    with case.db.reading() as session:
        return {row[0] for row in search_index.matching_entries(session, fts, limit=None)}


def _behind(case: Case) -> int | None:
    with case.db.reading() as session:
        return search_tantivy.behind(session, case.layout.derived / search_tantivy.FOLDER)


def test_the_index_finds_the_same_rows_as_fts5(case: Case) -> None:
    _fill(case, 60)
    assert update_index(case)
    engine = _tantivy(case)
    assert len(QUERIES) >= 50
    for typed in QUERIES:
        fts = parse_query(typed).fts
        expected = _fts5(case, fts)
        found = engine.best(fts, limit=None)
        assert {entry for entry, _rank in found} == expected, typed
        assert len(found) == len(expected), typed  # each row once
        assert engine.count(fts) == len(expected), typed
        assert [rank for _e, rank in found] == sorted(rank for _e, rank in found), typed  # best first
    assert len(_fts5(case, parse_query("1*").fts)) > 64  # the prefix read as a regular expression


def test_search_answers_alike_through_either_index(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(case, 30)
    answers = {}
    for typed in ["министерство", "поставк*", "12-05/1174", '"machine tools"', "ёлка -café"]:
        answers[typed] = search(case, typed, limit=1000)  # the index is brought up to date first
    assert _behind(case) == 0
    # Lacking more rows than a search absorbs, the index is set aside and FTS5 answers.
    monkeypatch.setattr(search_service, "CATCH_UP_BEFORE_SEARCH", 0)
    _fill(case, 1, first=30)
    assert _behind(case) == 5  # four pages and the document's description
    for typed, through_tantivy in answers.items():
        through_fts5 = search(case, typed, limit=1000)
        new = {h.document.id for h in through_fts5.documents} - {
            h.document.id for h in through_tantivy.documents
        }
        assert len(new) <= 1, typed
        old = [
            (d.document.id, sorted((h.kind, h.page) for h in d.hits), sorted(h.snippet for h in d.hits))
            for d in through_tantivy.documents
        ]
        kept = [
            (d.document.id, sorted((h.kind, h.page) for h in d.hits), sorted(h.snippet for h in d.hits))
            for d in through_fts5.documents
            if d.document.id not in new
        ]
        assert sorted(old) == sorted(kept), typed
        assert through_fts5.matches >= through_tantivy.matches, typed


def test_a_small_case_has_no_tantivy_index(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_service, "INDEX_FROM_ROWS", 100)
    _fill(case, 10)  # 50 rows
    assert not update_index(case)
    assert search(case, "министерство").matches == len(_fts5(case, '"министерство"'))
    assert not (case.layout.derived / search_tantivy.FOLDER).exists()
    _fill(case, 10, first=10)
    assert update_index(case)
    assert _behind(case) == 0


def test_edits_reach_the_index_and_the_journal_is_emptied_at_open(case: Case) -> None:
    _fill(case, 5)
    assert search(case, "белнефтехим").matches == 0
    with case.db.unit_of_work() as uow:
        search_index.index_pages(uow.session, 1, [(1, "белнефтехим поставка", None)])
        uow.commit()
    assert _behind(case) == 2  # the old page out, the new one in
    assert search(case, "белнефтехим").matches == 1
    assert _behind(case) == 0
    root = case.root
    case.close()
    with open_case(root) as reopened:
        assert _tantivy(reopened).count(parse_query("белнефтехим").fts) == 1
    with raw_db(root) as conn:
        assert conn.execute("SELECT count(*) FROM search_text_journal").fetchone() == (0,)


def test_an_index_of_another_history_or_missing_is_built_anew_at_open(case: Case) -> None:
    _fill(case, 5)
    assert update_index(case)
    root = case.root
    folder = case.layout.derived / search_tantivy.FOLDER
    case.close()
    state = (folder / "state.json").read_text()
    (folder / "state.json").write_text(state.replace('"absorbed": ', '"absorbed": 9999'))
    with open_case(root) as reopened:
        assert _behind(reopened) == 0
        assert _tantivy(reopened).count('"белнефтехим"') == 0
        assert _tantivy(reopened).count('"министерство"') == len(_fts5(reopened, '"министерство"'))


_KILLED_MID_INDEXING = """
import sys, time
from pathlib import Path
import reviewer.core.services.search as service
from reviewer.core.services.case import open_case

real = service.update_index
service.INDEX_FROM_ROWS = 0

def stalled(n):
    print("indexed", n, flush=True)
    time.sleep(600)

service.update_index = lambda case, **kw: real(case, **{**kw, "progress": stalled})
open_case(Path(sys.argv[1]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("missing", [False, True], ids=["behind", "missing"])
def test_indexing_killed_midway_is_seen_behind_and_caught_up_at_open(case: Case, missing: bool) -> None:
    _fill(case, 20)
    assert update_index(case)
    _fill(case, 10, first=20)  # what the index lacks: a journal of 2 x 50 rows
    root, folder = case.root, case.layout.derived / search_tantivy.FOLDER
    case.close()
    if missing:
        for made in folder.iterdir():
            made.unlink()
    with subprocess.Popen(
        [sys.executable, "-c", _KILLED_MID_INDEXING, str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().startswith("indexed")
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode == -signal.SIGKILL
    # Seen behind: the index's state names an earlier point of the journal than the database's, or
    # there is no state at all (an index never finished).
    with raw_db(root) as conn:
        (high,) = conn.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'search_text_journal'"
        ).fetchone()
    state = folder / "state.json"
    assert not state.exists() if missing else json.loads(state.read_text())["absorbed"] < high
    with open_case(root) as reopened:
        assert _behind(reopened) == 0
        engine = _tantivy(reopened)
        for typed in QUERIES:
            fts = parse_query(typed).fts
            assert {e for e, _r in engine.best(fts, limit=None)} == _fts5(reopened, fts), typed


def test_a_damaged_index_is_made_anew_at_open(case: Case) -> None:
    _fill(case, 5)
    assert update_index(case)
    root = case.root
    folder = case.layout.derived / search_tantivy.FOLDER
    case.close()
    (folder / "meta.json").write_text("not what Tantivy wrote")
    with open_case(root) as reopened:
        assert _behind(reopened) == 0
        assert _tantivy(reopened).count('"министерство"') == len(_fts5(reopened, '"министерство"'))


def test_plain_text_is_cut_as_fts5_cuts_it() -> None:
    """The quick tokenizer for ASCII and Russian text gives FTS5's own tokens, separators and all."""
    alphabet = [chr(c) for c in range(128)] + [chr(c) for c in range(0x410, 0x450)] + ["№", "ё", "é", "ß"]
    chance = random.Random(16)
    texts = ["".join(chance.choice(alphabet) for _ in range(chance.randrange(0, 80))) for _ in range(3000)]
    texts += [_page(chance, n) for n in range(200)]
    assert search_tantivy.tokens(texts) == tokenize(texts)
    assert sum(1 for t in texts if search_tantivy._PLAIN.fullmatch(t)) > 1000  # the quick way was taken
