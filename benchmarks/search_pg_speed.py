"""Search on PostgreSQL beside FTS5 on the same pages: what ``search_index`` costs on each backend.

Builds the pages of ``search_speed.py`` (Russian and English from a Zipf-like vocabulary, reference
numbers, a rare word) into a local case database (every migration, FTS5) and a PostgreSQL database
(the ORM's tables and migration 0008: tsvector + GIN), both through ``search_index`` as import does,
then times what ``services.search.search`` asks the index for a first page of results:
``matching_entries(limit=101)`` and ``count_matches``, for a rare term, a common term, a prefix, a
reference number and a phrase, ``--repeat`` times each, alternating the backends. It checks on the way
that both find the same number of places. Snippets and highlights are cut from the same text by the
same Python on both backends, so they are left out.

PostgreSQL is a throwaway cluster (tests/pg_cluster.py) unless ``--url`` names a database.

    .venv/bin/python benchmarks/search_pg_speed.py --pages 20000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from _common import machine, ms, percentile, prepare, ratio, table

prepare()

from search_speed import QUERIES, _page_text  # noqa: E402  (after prepare() puts the tree first)


def _engines(workdir: Path, url: str) -> tuple[object, object]:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from reviewer.core.storage import search_index
    from reviewer.core.storage.orm import Base

    def alembic(conn: object) -> Config:
        config = Config()
        config.set_main_option("script_location", str(Path(search_index.__file__).parent / "migrations"))
        config.attributes["connection"] = conn
        return config

    local = create_engine(f"sqlite:///{workdir / 'reviewer.sqlite'}")
    with local.begin() as conn:
        command.upgrade(alembic(conn), "head")
    shared = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    Base.metadata.create_all(shared)
    with shared.begin() as conn:
        command.stamp(alembic(conn), "0007")
        command.upgrade(alembic(conn), "head")
    return local, shared


def build(engine: object, pages: int, per_document: int) -> float:
    """The benchmark's pages, indexed as import would; returns the seconds it took."""
    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    from reviewer.core.storage import search_index
    from reviewer.core.storage.orm import Document, Page

    rng = random.Random(5)
    started = time.perf_counter()
    with Session(engine) as session, session.begin():  # type: ignore[call-overload]
        conn = session.connection()
        for d in range(pages // per_document):
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
                    "imported_at": "2026-12-07T00:00:00Z",
                    "imported_by": "bench",
                    "status": "unverified",
                    "title": f"Документ {d}",
                },
            ).scalar_one()
            texts = [(n, _page_text(rng, d * per_document + n), None) for n in range(1, per_document + 1)]
            conn.execute(
                insert(Page),
                [
                    {"document_id": doc_id, "number": n, "width": 595.0, "height": 842.0, "text": t}
                    for n, t, _ in texts
                ],
            )
            search_index.index_pages(session, doc_id, texts)
            search_index.index_meta(session, doc_id)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--per-document", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--url", help="an empty PostgreSQL database (default: a throwaway cluster)")
    args = parser.parse_args()

    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from reviewer.core.storage import search_index
    from reviewer.core.text.fts import parse_query
    from tests.pg_cluster import PostgresCluster

    cluster = None
    url = args.url
    if url is None:
        cluster = PostgresCluster().start()
        url = cluster.create_database("search_bench")
    try:
        workdir = Path(tempfile.mkdtemp(prefix="search-pg-bench-"))
        local, shared = _engines(workdir, url)
        built = {
            name: build(engine, args.pages, args.per_document)
            for name, engine in (("fts5", local), ("pg", shared))
        }
        with Session(shared) as session:  # type: ignore[call-overload]
            session.execute(text("ANALYZE"))
            session.commit()
        rows = []
        for label, query in QUERIES.items():
            fts = parse_query(query).fts
            times: dict[str, list[float]] = {"fts5": [], "pg": []}
            places: dict[str, int] = {}
            for i in range(args.repeat + 1):
                for name, engine in (
                    (("fts5", local), ("pg", shared)) if i % 2 else (("pg", shared), ("fts5", local))
                ):
                    with Session(engine) as session:  # type: ignore[call-overload]
                        started = time.perf_counter()
                        search_index.matching_entries(session, fts, limit=101)
                        places[name] = search_index.count_matches(session, fts)
                        if i:  # the first round warms the caches
                            times[name].append(time.perf_counter() - started)
            assert places["fts5"] == places["pg"], (query, places)
            f50, f95 = percentile(times["fts5"], 50), percentile(times["fts5"], 95)
            p50, p95 = percentile(times["pg"], 50), percentile(times["pg"], 95)
            rows.append(
                [
                    label,
                    f"`{query}`",
                    f"{places['pg']:,}",
                    ms(f50),
                    ms(f95),
                    ms(p50),
                    ms(p95),
                    ratio(p95, f95),
                ]
            )
        local.dispose()  # type: ignore[attr-defined]
        shared.dispose()  # type: ignore[attr-defined]
    finally:
        if cluster is not None:
            cluster.stop()
    print()
    print(f"{args.pages:,} pages; indexed in {built['fts5']:.0f} s (FTS5), {built['pg']:.0f} s (PostgreSQL)")
    print(machine())
    print(
        table(
            [
                "query",
                "typed",
                "places",
                "FTS5 p50 ms",
                "p95 ms",
                "PostgreSQL p50 ms",
                "p95 ms",
                "p95 PG/FTS5",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
