"""Search on PostgreSQL beside FTS5 on the same pages: what ``search_index`` costs on each backend.

The corpus is ``search_speed.py``'s synthetic case (Russian and English from a Zipf-like vocabulary,
reference numbers, a rare word), built once with ``--keep DIR`` (DIR/case, reused after) or in a
temporary folder. Its index rows (``search_entry``, and the folded text FTS5 holds) are loaded into
a PostgreSQL database made by the migrations (tsvector + GIN, ``search_pg.add`` as import does), so
both backends hold the same rows. Then, ``--repeat`` times each and alternating the backends, for a
rare term, a common term, a prefix, a reference number and a phrase, it times what
``services.search.search`` asks the index for: the first page of results
(``matching_entries(limit=101)``) and the full count (``count_matches``), and checks that both find
the same number of places and, for the first page of a query with fewer places than a page, the same
places. Snippets and highlights are cut from the same text by the same Python on both backends, so
they are left out. Goals (issue 14): PostgreSQL's p95 within 2x of FTS5's, and < 200 ms for the
first page of a common term.

PostgreSQL is a throwaway cluster (tests/pg_cluster.py) unless ``--url`` names an empty database;
with ``--reuse``, ``--url`` names one an earlier run loaded: it is brought to the migrations' head and
measured as it is (no second load while trying changes).

    nice .venv/bin/python benchmarks/search_pg_speed.py --pages 100000 --keep /work/bench/t9-100k
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from _common import machine, ms, percentile, prepare, ratio, table

prepare()

from search_speed import QUERIES, build  # noqa: E402  (after prepare() puts the tree first)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_DOCUMENT_COLUMNS = (
    "id, sha256, size, media_type, file_format, page_count, encrypted, file_metadata, imported_at, "
    "imported_by, status, title"
)


def _shared_engine(url: str) -> Engine:
    """A PostgreSQL database made by every migration, as a shared case's is (0008's index among them).

    A database an earlier run loaded (``--reuse``) gets only the migrations since.
    """
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from reviewer.core.storage import search_index

    shared = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with shared.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(Path(search_index.__file__).parent / "migrations"))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return shared


def load(database: Path, shared: Engine, batch: int = 5000) -> float:
    """The local case's documents and index rows copied into ``shared``; returns the seconds taken."""
    from sqlalchemy import insert, text
    from sqlalchemy.orm import Session

    from reviewer.core.storage import search_pg
    from reviewer.core.storage.orm import Document, SearchEntry

    started = time.perf_counter()
    local = sqlite3.connect(database)
    names = [c.strip() for c in _DOCUMENT_COLUMNS.split(",")]
    with Session(shared) as session, session.begin():
        conn = session.connection()
        rows = local.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM document ORDER BY id").fetchall()
        for first in range(0, len(rows), batch):
            conn.execute(
                insert(Document),
                [
                    dict(zip(names, r, strict=True)) | {"encrypted": bool(r[6]), "file_metadata": {}}
                    for r in rows[first : first + batch]
                ],
            )
        entries = local.execute("SELECT id, document_id, kind, page, ref FROM search_entry ORDER BY id")
        while chunk := entries.fetchmany(batch):
            conn.execute(
                insert(SearchEntry),
                [{"id": r[0], "document_id": r[1], "kind": r[2], "page": r[3], "ref": r[4]} for r in chunk],
            )
        bodies = local.execute("SELECT rowid, body FROM search_text ORDER BY rowid")
        while chunk := bodies.fetchmany(batch):
            search_pg.add(conn, [(int(r[0]), str(r[1])) for r in chunk])
        conn.execute(text("SELECT setval('search_entry_id_seq', (SELECT max(id) FROM search_entry))"))
    local.close()
    with Session(shared) as session:
        session.execute(text("ANALYZE"))
        session.commit()
    return time.perf_counter() - started


def _cell(times: list[float]) -> str:
    return f"{ms(percentile(times, 50))} / {ms(percentile(times, 95))}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--per-document", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="build the corpus here once and reuse it")
    parser.add_argument("--url", help="an empty PostgreSQL database (default: a throwaway cluster)")
    parser.add_argument("--reuse", action="store_true", help="--url holds an earlier run's load: use it")
    args = parser.parse_args()
    if args.reuse and args.url is None:
        parser.error("--reuse needs --url")

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from reviewer.core.storage import search_index
    from reviewer.core.text.fts import parse_query
    from tests.pg_cluster import PostgresCluster

    workdir = Path(tempfile.mkdtemp(prefix="search-pg-bench-")) if args.keep is None else args.keep
    database = workdir / "case" / "reviewer.sqlite"
    if not database.exists():
        print(f"building {args.pages:,} pages at {database.parent} …", flush=True)
        build(database.parent, args.pages, args.per_document)
    cluster = None
    url = args.url
    if url is None:
        cluster = PostgresCluster().start()
        url = cluster.create_database("search_bench")
    try:
        shared = _shared_engine(url)
        loaded = 0.0 if args.reuse else load(database, shared)
        print(f"loaded into PostgreSQL in {loaded:.0f} s", flush=True)
        local = create_engine(f"sqlite:///{database}")
        rows = []
        for label, query in QUERIES.items():
            fts = parse_query(query).fts
            times: dict[str, list[float]] = {w: [] for w in ("fts5", "pg", "fts5 count", "pg count")}
            places: dict[str, int] = {}
            first: dict[str, set[int]] = {}
            for i in range(args.repeat + 1):
                for name, engine in (
                    (("fts5", local), ("pg", shared)) if i % 2 else (("pg", shared), ("fts5", local))
                ):
                    with Session(engine) as session:
                        started = time.perf_counter()
                        found = search_index.matching_entries(session, fts, limit=101)
                        middle = time.perf_counter()
                        places[name] = search_index.count_matches(session, fts)
                        ended = time.perf_counter()
                        first[name] = {r[0] for r in found}
                        if i:  # the first round warms the caches
                            times[name].append(middle - started)
                            times[f"{name} count"].append(ended - middle)
            assert places["fts5"] == places["pg"], (query, places)
            if places["pg"] <= 101:
                assert first["fts5"] == first["pg"], query
            rows.append(
                [
                    label,
                    f"`{query}`",
                    f"{places['pg']:,}",
                    _cell(times["fts5"]),
                    _cell(times["pg"]),
                    ratio(percentile(times["pg"], 50), percentile(times["fts5"], 50)),
                    ratio(percentile(times["pg"], 95), percentile(times["fts5"], 95)),
                    _cell(times["fts5 count"]),
                    _cell(times["pg count"]),
                ]
            )
        local.dispose()
        shared.dispose()
    finally:
        if cluster is not None:
            cluster.stop()
    print()
    print(f"{args.pages:,} pages ({database}); loaded into PostgreSQL in {loaded:.0f} s")
    print(machine())
    print(
        table(
            [
                "query",
                "typed",
                "places",
                "first page FTS5 p50 / p95 ms",
                "PostgreSQL p50 / p95 ms",
                "p50 PG/FTS5",
                "p95 PG/FTS5",
                "count FTS5 p50 / p95 ms",
                "count PostgreSQL p50 / p95 ms",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
