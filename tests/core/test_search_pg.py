"""Search on PostgreSQL answers as the local FTS5 index does: same rows, same pages, same highlights.

The same generated pages (Russian, Belarusian, Azerbaijani, English; reference numbers, e-mail
addresses, hyphenated words, ``ё``, diacritics) go into a SQLite case database and a PostgreSQL one
through ``search_index``, and every query must find the same index rows on both.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, inspect, select, text
from sqlalchemy.orm import Session

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents
from reviewer.core.services.case import create_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.search import highlights, search
from reviewer.core.storage import search_index, search_pg
from reviewer.core.storage.orm import Document, DocumentTag, Page
from reviewer.core.text.fts import matching_words, parse_query, snippet, to_tsquery
from reviewer.core.text.unicode61 import tokenize
from tests.filemaker import make_text_pdf

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Connection, Engine

    from reviewer.core.services.case import Case
    from tests.pg_cluster import PostgresCluster


# -- two databases, one schema each as the migrations make it -----------------------------------------


def _alembic(conn: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(search_index.__file__).parent / "migrations"))
    config.attributes["connection"] = conn
    return config


def sqlite_engine(path: Path) -> Engine:
    """A case database made by every migration, as a local case's is."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic(conn), "head")
    return engine


def postgres_engine(url: str) -> Engine:
    """A PostgreSQL database made by every migration, as a shared case's is (0008's index among them).

    At head, as the ORM the test fills it through is: a later migration's column is there too.
    """
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        command.upgrade(_alembic(conn), "head")
    return engine


# -- generated pages --------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


RUSSIAN = _words(
    "министерство иностранных дел российской федерации свидетельствует своё уважение посольству "
    "и имеет честь сообщить что поставка кабеля кабельной продукции ещё не завершена ёлка объём "
    "приём счёт-фактура договор купли-продажи москва санкт-петербург войска йод"
)
BELARUSIAN = _words("міністэрства замежных спраў рэспублікі беларусь дзяржаўны ўрад пасведчанне ўвага")
AZERBAIJANI = _words(
    "azərbaycan respublikası xarici işlər nazirliyi müqaviləsi alqı-satqı şəhəri İstanbul ıslaq "
    "göndərilmişdir"
)
ENGLISH = _words(
    "ministry of foreign affairs contract draft invoice e-mail well-known cooperation naïve café "
    "résumé Zürich self-evident export passport"
)
SPECIAL = [
    "№ 12/3-456",
    "ВХ-2024/17",
    "12-05/1174",
    "ЭП-078/1133-19",
    "№ 45/БА-2018",
    "45/БA-2018",  # a Latin A typed among Cyrillic letters
    "Мoсква",  # a Latin o
    "ivan.petrov@mid.ru",
    "secretariat@mfa.gov.az",
    "v2.3.1",
    "3.14159",
    "12 05 1174",
    "ЕЛКА",
    "Ёлка",
    "свидетельствует своё уважение",
    "министерство иностранных дел",
]
WORDS = RUSSIAN + BELARUSIAN + AZERBAIJANI + ENGLISH


def generated_pages(seed: int, documents: int, pages: int) -> list[list[str]]:
    """``documents`` lists of ``pages`` page texts, the same for the same seed."""
    rng = random.Random(seed)
    out = []
    for _ in range(documents):
        texts = []
        for _ in range(pages):
            words = [rng.choice(WORDS) for _ in range(rng.randint(20, 60))]
            for _ in range(rng.randint(0, 3)):
                words.insert(rng.randrange(len(words) + 1), rng.choice(SPECIAL))
            if rng.random() < 0.3:
                words = [w.upper() if rng.random() < 0.2 else w.capitalize() for w in words]
            texts.append(" ".join(words) + rng.choice([".", "\n", " —", ""]))
        out.append(texts)
    return out


def fill(engine: Engine, corpus: list[list[str]]) -> None:
    """Documents, pages and descriptions, indexed through search_index as the services do."""
    with Session(engine) as session, session.begin():
        for n, texts in enumerate(corpus, start=1):
            document = Document(
                sha256=f"{n:064x}",
                size=1,
                media_type="application/pdf",
                file_format="PDF",
                page_count=len(texts),
                imported_at="2026-12-07T00:00:00Z",
                imported_by="test",
                title=f"Нота № {n}/БА-2018" if n % 5 == 0 else None,
                reference_number=f"ВХ-{2020 + n % 4}/{n}" if n % 3 == 0 else None,
            )
            session.add(document)
            session.flush()
            for number, body in enumerate(texts, start=1):
                # Every third page is a scan: its words come from OCR, not a text layer.
                ocr = number % 3 == 0
                session.add(
                    Page(
                        document_id=document.id,
                        number=number,
                        width=595.0,
                        height=842.0,
                        text="" if ocr else body,
                        ocr_text=body if ocr else None,
                    )
                )
            if n % 4 == 0:
                session.add(DocumentTag(document_id=document.id, tag="срочно-важно"))
            session.flush()
            search_index.index_pages(
                session,
                document.id,
                [(i, "" if i % 3 == 0 else t, t if i % 3 == 0 else None) for i, t in enumerate(texts, 1)],
            )
            search_index.index_meta(session, document.id)


@pytest.fixture(scope="module")
def corpus() -> list[list[str]]:
    return generated_pages(14, documents=40, pages=4)


@pytest.fixture
def backends(tmp_path: Path, pg_url: str, corpus: list[list[str]]) -> Iterator[tuple[Engine, Engine]]:
    local, shared = sqlite_engine(tmp_path / "reviewer.sqlite"), postgres_engine(pg_url)
    fill(local, corpus)
    fill(shared, corpus)
    try:
        yield local, shared
    finally:
        local.dispose()
        shared.dispose()


QUERIES = [
    "министерство",
    "Министерство ИНОСТРАННЫХ",
    '"иностранных дел"',
    '"свидетельствует своё уважение"',
    "своe",  # a Latin e
    "кабел*",
    "кабель OR кабеля",
    "кабеля NOT поставка",
    "(кабеля OR ёлка) AND москва",
    "ёлка",
    "ЕЛКА",
    "елка NOT ёлка",
    "Ёлка OR объем",
    "счёт-фактура",
    "купли-продажи",
    "санкт-петербург",
    "№ 12/3-456",
    "12/3-456",
    "ВХ-2024/17",
    "вх-2024/17",
    "12-05/1174",
    "ЭП-078/1133-19",
    "№ 45/БА-2018",
    "45/БA-2018",
    "45/BA-2018",  # Latin B is not Б: nothing, on both
    "Москва",
    "ivan.petrov@mid.ru",
    "mid.ru",
    "secretariat@mfa*",
    "v2.3.1",
    "3.14159",
    "міністэрства",
    "ўрад OR урад",
    "дзяржаўны ўвага",
    "azərbaycan",
    "azerbaycan respublikasi",
    "müqaviləsi",
    "alqı-satqı",
    "istanbul",
    "ıslaq",
    "Zurich OR naive",
    "café résumé",
    "invoice -draft",
    "well-known",
    "e-mail",
    "export passport NOT (invoice OR draft)",
    "срочно-важно",
    "йод",
    "ministry OR министерство NOT дел",
    "nothing-here-at-all",
]


def _answer(engine: Engine, fts: str) -> tuple[set[tuple[int, str, int | None]], int]:
    with Session(engine) as session:
        rows = search_index.matching_entries(session, fts, limit=None)
        count = search_index.count_matches(session, fts)
    return {(d, kind, page) for _e, d, kind, page, _ref, _rank in rows}, count


@pytest.mark.slow
def test_postgres_finds_the_same_rows_as_fts5(backends: tuple[Engine, Engine]) -> None:
    local, shared = backends
    found_something = 0
    for typed in QUERIES:
        fts = parse_query(typed).fts
        here, here_count = _answer(local, fts)
        there, there_count = _answer(shared, fts)
        assert there == here, (typed, sorted(there ^ here))
        assert there_count == here_count == len(here), typed
        found_something += bool(here)
    # The parity is not that of empty answers: only these three find nothing.
    assert found_something == len(QUERIES) - 3


@pytest.mark.slow
def test_snippets_and_highlights_mark_every_hit_on_both(backends: tuple[Engine, Engine]) -> None:
    local, shared = backends
    for typed in ("№ 12/3-456", '"своё уважение"', "кабел*", "müqaviləsi", "ivan.petrov@mid.ru", "ЕЛКА"):
        parsed = parse_query(typed)
        answers = []
        for engine in (local, shared):
            with Session(engine) as session:
                rows = search_index.matching_entries(session, parsed.fts, limit=None)
                shown = []
                for _e, d, kind, page, _ref, _rank in rows:
                    if kind not in (search_index.TEXT, search_index.OCR):
                        continue
                    column = Page.text if kind == search_index.TEXT else Page.ocr_text
                    body = (
                        session.scalar(select(column).where(Page.document_id == d, Page.number == page)) or ""
                    )
                    cut = snippet(body, parsed.terms)
                    words = [[0, 0, 1, 1, w] for w in body.split()]
                    assert cut.marks, (typed, body)
                    assert matching_words(words, parsed.terms), (typed, body)
                    shown.append((d, kind, page, cut.bracketed()))
            answers.append(sorted(shown))
        assert answers[0] == answers[1]
        assert answers[0], typed


def test_the_index_of_a_shared_case_is_a_tsvector_under_a_gin_index(pg_url: str) -> None:
    engine = postgres_engine(pg_url)
    try:
        with engine.connect() as conn:
            kind = conn.execute(
                text(
                    "SELECT data_type FROM information_schema.columns "
                    "WHERE table_name = 'search_text' AND column_name = 'body'"
                )
            ).scalar_one()
            index = conn.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_search_text_body'")
            ).scalar_one()
        assert kind == "tsvector"
        assert "USING gin (body)" in index
    finally:
        engine.dispose()


def test_writes_to_the_index_are_in_the_callers_transaction(pg_url: str) -> None:
    engine = postgres_engine(pg_url)
    try:
        fill(engine, [["одна страница"]])
        with Session(engine) as session, session.begin():
            search_index.index_pages(session, 1, [(1, "другая страница", None)])
            session.rollback()
        fts = parse_query("одна").fts
        assert _answer(engine, fts)[1] == 1
        assert _answer(engine, parse_query("другая").fts)[1] == 0
    finally:
        engine.dispose()


# -- texts too long for a tsvector's positions ----------------------------------------------------------


@pytest.mark.slow
def test_a_page_past_a_tsvectors_positions_answers_as_fts5(tmp_path: Path, pg_url: str) -> None:
    filler = " ".join(["ноль"] * 300 + [f"слово{i}" for i in range(17_000)])
    long_pages = [
        [
            filler + " исх № 12/3-456 конец",  # a phrase past position 16,383
            "ноль " * 400 + "ноль один",  # a word used more than 256 times, then a phrase with it
            filler + " дальний край",
        ]
    ]
    local, shared = sqlite_engine(tmp_path / "reviewer.sqlite"), postgres_engine(pg_url)
    try:
        fill(local, long_pages)
        fill(shared, long_pages)
        with shared.connect() as conn:
            kept_whole = conn.execute(text("SELECT count(*) FROM search_text WHERE folded IS NOT NULL"))
            assert kept_whole.scalar_one() == 3
        for typed in (
            "№ 12/3-456",
            '"ноль один"',
            '"край дальний"',  # both words past 16,383: a clamped tsvector would say yes
            '"дальний край"',
            '"конец дальний"',
            "ноль NOT один",
            'ноль NOT "ноль один"',
            "слово16999",
            "слово1699*",
            "конец OR ноль",
        ):
            fts = parse_query(typed).fts
            assert _answer(shared, fts) == _answer(local, fts), typed
    finally:
        local.dispose()
        shared.dispose()


# -- what a search costs the server (benchmarks/search_pg_speed.py) ---------------------------------------


def _record_statements(engine: Engine) -> list[tuple[str, Any]]:
    """Every statement ``engine`` sends from now on, with its parameters, as the driver gets them."""
    sent: list[tuple[str, Any]] = []

    def record(_c: object, _cur: object, statement: str, parameters: Any, _ctx: object, _many: bool) -> None:
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    return sent


def _plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


@pytest.fixture
def shared_filled(pg_url: str, corpus: list[list[str]]) -> Iterator[Engine]:
    engine = postgres_engine(pg_url)
    fill(engine, corpus)
    try:
        yield engine
    finally:
        engine.dispose()


def test_a_search_asks_the_server_once(shared_filled: Engine) -> None:
    # A round trip per question: the rows kept without positions come in the same statement.
    sent = _record_statements(shared_filled)
    for typed in ("министерство", '"свидетельствует своё уважение"', "12-05/1174", "кабел* NOT поставка"):
        fts = parse_query(typed).fts
        with Session(shared_filled) as session:
            del sent[:]
            assert search_index.matching_entries(session, fts, limit=5, documents=[1, 2, 3]) is not None
            assert search_index.matching_entries(session, fts, limit=101)
            assert search_index.count_matches(session, fts)
        assert len(sent) == 3, (typed, [s for s, _p in sent])


def test_a_page_of_results_is_read_from_the_index_alone(shared_filled: Engine) -> None:
    # Ranked and cut on search_text, whose rows carry their entry's place (0013): no search_entry read.
    fts = parse_query("министерство").fts
    sent = _record_statements(shared_filled)
    with shared_filled.connect() as conn:
        assert search_pg.count_matches(conn, fts) > 40
        for documents in (None, list(range(2, 22))):
            found = search_pg.matching_entries(conn, fts, limit=5, documents=documents)
            assert len(found) == 5
            statement, parameters = sent[-1]
            plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar_one()
            read = {node.get("Relation Name") for node in _plan_nodes(plan[0]["Plan"])}
            assert read == {None, "search_text"}, documents
            entries = conn.execute(
                text("SELECT id, document_id, kind, page, ref FROM search_entry WHERE id = ANY(:ids)"),
                {"ids": [r[0] for r in found]},
            ).all()
            assert sorted(entries) == sorted(r[:5] for r in found)


def _pending_list_limit(conn: Connection) -> str | None:
    options = conn.execute(
        text("SELECT reloptions FROM pg_class WHERE relname = 'ix_search_text_body'")
    ).scalar_one()
    return next((o for o in options or [] if o.startswith("gin_pending_list_limit")), None)


@pytest.mark.slow
def test_an_import_leaves_searches_a_short_pending_list(pg_url: str) -> None:
    # Every search reads the GIN index's whole pending list: at the server's 4 MB, the list an import
    # left was ~0.6 ms of each search at 100,000 pages (0013 keeps it to 64 kB).
    engine = postgres_engine(pg_url)
    try:
        fill(engine, generated_pages(7, documents=150, pages=4))
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
            pending, tuples = conn.execute(
                text(
                    "SELECT n_pending_pages, n_pending_tuples "
                    "FROM gin_metapage_info(get_raw_page('ix_search_text_body', 0))"
                )
            ).one()
            indexed = conn.execute(text("SELECT count(*) FROM search_text")).scalar_one()
        assert indexed > 600
        assert pending <= 64 // 8, (pending, tuples)
    finally:
        engine.dispose()


def test_the_migration_gives_the_rows_of_a_shared_case_their_entries_places(
    shared_filled: Engine, corpus: list[list[str]]
) -> None:
    # 0013 on a shared case indexed before it: the places are copied from search_entry.
    queries = ("министерство", '"иностранных дел"', "12-05/1174", "кабел* NOT поставка")
    before = {typed: _answer(shared_filled, parse_query(typed).fts) for typed in queries}
    with shared_filled.begin() as conn:
        command.downgrade(_alembic(conn), "0013-1")
        columns = {c["name"] for c in inspect(conn).get_columns("search_text")}
        assert columns == {"id", "body", "folded"}
        assert _pending_list_limit(conn) is None
        command.upgrade(_alembic(conn), "head")
        assert _pending_list_limit(conn) == "gin_pending_list_limit=64"
    with shared_filled.connect() as conn:
        differ = conn.execute(
            text(
                "SELECT count(*) FROM search_text AS s JOIN search_entry AS e ON e.id = s.id "
                "WHERE (s.document_id, s.kind, s.page, s.ref) IS DISTINCT FROM "
                "(e.document_id, e.kind, e.page, e.ref)"
            )
        ).scalar_one()
        rows = conn.execute(text("SELECT count(*) FROM search_text")).scalar_one()
    assert differ == 0
    assert rows > len(corpus) * 4
    assert {typed: _answer(shared_filled, parse_query(typed).fts) for typed in queries} == before


@pytest.mark.slow
def test_a_page_of_results_is_the_start_of_them_all(tmp_path: Path, pg_url: str) -> None:
    # Rows kept without positions are matched by FTS5 after the statement, then the page is cut.
    long_text = " ".join(["ноль"] * 300 + [f"слово{i}" for i in range(17_000)])
    pages = [
        [long_text + " министерство иностранных дел", "министерство иностранных дел " * 3, "ноль один"],
        ["иностранных дел министерство", long_text + " дел иностранных", "министерство"],
        ["министерство " * 2 + "ноль один", long_text + " министерство"],
    ]
    local, shared = sqlite_engine(tmp_path / "reviewer.sqlite"), postgres_engine(pg_url)
    try:
        fill(local, pages)
        fill(shared, pages)
        for typed in ("министерство", '"иностранных дел"', "ноль", "министерство NOT ноль", "дел OR ноль"):
            fts = parse_query(typed).fts
            with Session(shared) as session:
                everything = search_index.matching_entries(session, fts, limit=None)
                assert [r[5] for r in everything] == sorted(r[5] for r in everything), typed
                for limit in (1, 2, 3, 5):
                    page = search_index.matching_entries(session, fts, limit=limit)
                    assert page == everything[:limit], (typed, limit)
                    for documents in ([1], [2, 3]):
                        within = search_index.matching_entries(session, fts, limit=limit, documents=documents)
                        assert within == [r for r in everything if r[1] in documents][:limit], typed
            assert _answer(shared, fts) == _answer(local, fts), typed
    finally:
        local.dispose()
        shared.dispose()


# -- the query language, without a server -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "tsquery"),
    [
        ("министерство", "'министерство'"),
        ("12-05/1174", "('12' <-> '05' <-> '1174')"),
        ("№ 12/3-456", "('12' <-> '3' <-> '456')"),
        ("кабел*", "'кабел':*"),
        ("müqaviləsi", "'muqavilesi'"),  # as unicode61 folds the ü
        ("Zürich", "'zurich'"),
        ("йод", "'йод'"),  # unicode61 keeps the mark on й
        ("ivan.petrov@mid.ru", "('ivan' <-> 'petrov' <-> 'mid' <-> 'ru')"),
        ("contract NOT draft", "('contract' & !'draft')"),
        # FTS5's precedence: NOT before AND before OR, each left to right
        ("a OR b NOT c", "('a' | ('b' & !'c'))"),
        ("a b OR c", "(('a' & 'b') | 'c')"),
        ("a NOT b NOT c", "(('a' & !'b') & !'c')"),
        ("(a OR b) c", "(('a' | 'b') & 'c')"),
    ],
)
def test_typed_queries_become_the_same_tsquery(typed: str, tsquery: str) -> None:
    assert to_tsquery(parse_query(typed).fts) == tsquery


@pytest.mark.parametrize(
    ("fts", "tsquery"),
    [
        ('""', ""),  # a phrase without a token matches nothing in FTS5
        ('"" OR "a"', "'a'"),
        ('"купли прод"*', "('купли' <-> 'прод':*)"),  # a phrase whose last word is a prefix
        ('"a" AND ""', ""),
        ('"a" NOT ""', "'a'"),
        ('"" NOT "a"', ""),
    ],
)
def test_fts5_expressions_become_tsqueries(fts: str, tsquery: str) -> None:
    assert to_tsquery(fts) == tsquery


def test_a_loose_query_needs_no_positions_and_finds_at_least_as_much() -> None:
    fts = parse_query('"иностранных дел" NOT кабель').fts
    assert to_tsquery(fts, loose=True) == "('иностранных' & 'дел')"


def test_expressions_reviewer_does_not_make_get_one_line() -> None:
    for fts in ('"a" AND', '( "a"', '"a" )', "a"):
        with pytest.raises(UsageError):
            to_tsquery(fts)


def test_tokens_are_those_of_fts5() -> None:
    cut = tokenize(["Счёт-фактура № 12/3-456 от 01.02.2024, ivan@mid.ru; naïve Zürich йод ǅ"])
    assert cut == [_words("счёт фактура 12 3 456 от 01 02 2024 ivan mid ru naive zurich йод ǆ")]


def test_a_tsvector_holds_positions_only_when_they_all_fit() -> None:
    assert search_pg.tsvector(["a", "b", "a"]) == ("'a':1,3 'b':2", True)
    assert search_pg.tsvector(["it's"]) == ("'it''s':1", True)
    vector, exact = search_pg.tsvector(["ноль"] * 300)
    assert (vector, exact) == ("'ноль'", False)
    assert search_pg.tsvector(["x" * 3000, "y"]) == ("'y'", False)


@pytest.mark.slow
def test_random_queries_find_the_same_rows_on_both(backends: tuple[Engine, Engine]) -> None:
    local, shared = backends
    rng = random.Random(1414)
    pieces = [*WORDS, *SPECIAL, "AND", "OR", "NOT", "(", ")", '"', "*", "-"]
    checked = 0
    for _ in range(150):
        typed = ""
        for _ in range(rng.randint(1, 6)):
            piece = rng.choice(pieces)
            if rng.random() < 0.2 and piece[-1:].isalnum():
                piece = piece[: rng.randint(1, len(piece))] + "*"
            typed += piece + rng.choice([" ", " ", ""])
        try:
            fts = parse_query(typed).fts
        except UsageError:
            continue
        try:
            here = _answer(local, fts)
        except Exception:  # noqa: BLE001  (FTS5 refuses a few expressions; then so must PostgreSQL)
            with pytest.raises(Exception):  # noqa: B017, PT011
                _answer(shared, fts)
            continue
        assert _answer(shared, fts) == here, typed
        checked += 1
    assert checked > 100


# -- the same case, local and shared, through the services ---------------------------------------------

CASE_PAGES = {
    "note.pdf": [
        "МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ РЕСПУБЛИКИ ВЕЛОРИЯ",
        "Исх. № 12-05/1174 от 12 мая 2019 г., вх. ВХ-2024/17",
        "Министерство свидетельствует своё уважение Посольству.",
        "Экспортный паспорт ЭП-078/1133-19 на станки; ivan.petrov@mid.ru",
    ],
    "sale.pdf": [
        "Alqı-satqı müqaviləsi № 45/БА-2018",
        "Bakı şəhəri, 3 mart 2018-ci il. Məbləğ 12 500 manat.",
        "Міністэрства замежных спраў: дзяржаўны ўрад, № 12/3-456",
    ],
    "invoice.pdf": [
        "INVOICE No. INV-2019-0415, a well-known naïve café in Zürich",
        "Draft contract for machine tools, see note 12-05/1174.",
        "Total: USD 12,500.00; ёлка и елка",
    ],
}
CASE_QUERIES = [
    "министерство",
    "12-05/1174",
    "№ 12/3-456",
    "ВХ-2024/17",
    "45/БA-2018",
    '"своё уважение"',
    "станк*",
    "müqaviləsi OR Велория",
    "invoice -draft",
    "ivan.petrov@mid.ru",
    "well-known",
    "cafe zurich",
    "елка",
    "ўрад",
    "печать",  # in an annotation's note only
]


def _make_case(root: Path, inbox: Path, database: str | None) -> Case:
    case = create_case(root, title="parity", actor="tester", database=database)
    report = import_paths(case, [inbox])
    first = min(item.id for item in report.imported)
    documents.add_annotation(case, first, page=1, rect=Rect(10, 10, 100, 40), note="Печать МИД, подпись")
    return case


def _seen(case: Case, typed: str) -> dict[str, list[tuple[object, ...]]]:
    results = search(case, typed, limit=1000)
    seen: dict[str, list[tuple[object, ...]]] = {}
    for group in results.documents:
        hits = []
        for hit in group.hits:
            boxes = (
                highlights(case, hit.document_id, hit.page, typed) if hit.page and hit.kind != "note" else []
            )
            hits.append((hit.kind, hit.page, hit.snippet, hit.marks, tuple(boxes)))
        seen[group.document.sha256] = sorted(hits, key=repr)
    seen["matches"] = [(results.matches,)]
    return seen


@pytest.mark.slow
def test_a_shared_case_answers_every_search_as_the_local_one(
    tmp_path: Path, pg_url: str, pg_cluster: PostgresCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGUSER", pg_cluster.superuser)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, lines in CASE_PAGES.items():
        make_text_pdf(inbox / name, lines=lines, title=name)
    with (
        _make_case(tmp_path / "local", inbox, None) as local,
        _make_case(tmp_path / "shared", inbox, pg_url) as shared,
    ):
        for typed in CASE_QUERIES:
            here = _seen(local, typed)
            assert len(here) > 1, typed  # something found
            assert _seen(shared, typed) == here, typed
