"""Full-text search latency at 100,000 pages: reviewer's ``search()`` beside a bare FTS5 query.

Builds (once, kept with ``--keep``) a case of synthetic documents whose pages carry Russian and
English text drawn from a Zipf-like vocabulary, reference numbers and a few rare words, then times:

- ``reviewer``: ``reviewer.core.services.search.search(case, query)``: parsing, the FTS5 query, the
  join to ``search_entry``, the first page of results (100 places) with snippets cut from the original
  text, grouped by document with summaries;
- ``plain``: the same FTS5 expression straight through ``sqlite3``:
  ``SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rank LIMIT 100``.

for a rare term, a common term, a prefix and a reference number typed as written, each ``--repeat``
times, and prints p50 and p95 of each and their ratio. Goal (issue 5): p95 < 50 ms, and < 200 ms for
the first page of results of a common term.

    .venv/bin/python benchmarks/search_speed.py --pages 100000 --keep /tmp/search-bench
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from _common import DATE, machine, ms, percentile, prepare, ratio, table

prepare()

COMMON = ["министерство", "посольство", "республики", "договор", "поставка", "оборудование", "ministry"]
_WORDS = (
    "и в на с по для от о к за из при что как также это которые было были будет согласно "
    "the of and to in for on with by as from that this be are was were shall "
    "нота просит сообщить уважение свидетельствует посольству письмо ответ запрос груз станки "
    "contract invoice delivery payment customs export passport transit cargo machine tools"
)
FILLER = _WORDS.split()
RARE = "белнефтехим"
QUERIES = {
    "rare term": RARE,
    "common term": "министерство",
    "prefix": "поставк*",
    "reference number": "12-05/1174",
    "phrase": '"свидетельствует уважение"',
}


def _page_text(rng: random.Random, number: int) -> str:
    words = []
    for _ in range(300):
        if rng.random() < 0.08:
            words.append(rng.choice(COMMON))
        else:
            # Zipf-like: low indexes far more often
            words.append(FILLER[min(int(rng.paretovariate(1.2)) - 1, len(FILLER) - 1)])
    if number % 997 == 0:
        words.insert(rng.randrange(len(words)), RARE)
    if number % 101 == 0:
        words.insert(rng.randrange(len(words)), "Исх. № 12-05/1174")
    else:
        words.insert(
            rng.randrange(len(words)), f"№ {rng.randrange(10, 99)}-{rng.randrange(1, 30):02d}/{number}"
        )
    lines = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
    return "\n".join(lines)


def build(root: Path, pages: int, per_document: int) -> None:
    """A case with ``pages`` pages of text, indexed as import would."""
    from sqlalchemy import insert

    from reviewer.core.services.case import create_case
    from reviewer.core.storage import search_index
    from reviewer.core.storage.orm import Document, Page, Sighting

    rng = random.Random(5)
    with create_case(root, title="search benchmark", actor="bench") as case, case.db.unit_of_work() as uow:
        session = uow.session
        conn = session.connection()
        documents = pages // per_document
        for d in range(documents):
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
                    "imported_at": "2026-11-28T00:00:00Z",
                    "imported_by": "bench",
                    "status": "unverified",
                    "title": f"Документ {d}",
                },
            ).scalar_one()
            conn.execute(
                insert(Sighting),
                {
                    "document_id": doc_id,
                    "original_path": f"/leak/doc{d}.pdf",
                    "original_name": f"doc{d}.pdf",
                    "size": 1000,
                    "imported_by": "bench",
                    "imported_at": "2026-11-28T00:00:00Z",
                    "host": "bench",
                },
            )
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
            if d % 1000 == 0:
                print(f"  {d * per_document:,} pages…", flush=True)
        uow.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--per-document", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="build the case here once and reuse it")
    args = parser.parse_args()

    from reviewer.core.services.case import open_case
    from reviewer.core.services.search import search
    from reviewer.core.text.fts import parse_query

    workdir = Path(tempfile.mkdtemp(prefix="search-bench-")) if args.keep is None else args.keep
    root = workdir / "case"
    if not (root / "reviewer.sqlite").exists():
        print(f"building a case of {args.pages:,} pages at {root} …", flush=True)
        started = time.perf_counter()
        build(root, args.pages, args.per_document)
        print(f"built in {time.perf_counter() - started:.0f} s")
    size = (root / "reviewer.sqlite").stat().st_size
    rows = []
    with open_case(root) as case:
        plain = sqlite3.connect(root / "reviewer.sqlite")
        for label, query in QUERIES.items():
            fts = parse_query(query).fts
            ours: list[float] = []
            base: list[float] = []
            matches = 0
            search(case, query)  # warm the page cache for both
            for i in range(args.repeat):
                for which in ("ours", "base") if i % 2 == 0 else ("base", "ours"):
                    started = time.perf_counter()
                    if which == "ours":
                        matches = search(case, query).matches
                        ours.append(time.perf_counter() - started)
                    else:
                        plain.execute(
                            "SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rank LIMIT 100",
                            (fts,),
                        ).fetchall()
                        base.append(time.perf_counter() - started)
            p50o, p95o, p50b, p95b = (
                percentile(ours, 50),
                percentile(ours, 95),
                percentile(base, 50),
                percentile(base, 95),
            )
            rows.append(
                [
                    label,
                    f"`{query}`",
                    f"{matches:,}",
                    ms(p50o),
                    ms(p95o),
                    ms(p50b),
                    ms(p95b),
                    ratio(p50o, p50b),
                ]
            )
        plain.close()
    print()
    documents = args.pages // args.per_document
    print(f"{args.pages:,} pages in {documents:,} documents, database {size / 2**20:.0f} MiB, {DATE}")
    print(machine())
    print(
        table(
            [
                "query",
                "typed",
                "places",
                "reviewer p50 ms",
                "p95 ms",
                "plain FTS5 p50 ms",
                "p95 ms",
                "ratio p50",
            ],
            rows,
        )
    )
    if args.keep is None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
