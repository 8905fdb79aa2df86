"""Full-text search latency at 100,000 and 1,000,000 pages: ``search()`` beside a bare FTS5 query.

Builds (once, kept with ``--keep``) a case of synthetic documents whose pages carry Russian and
English text drawn from a Zipf-like vocabulary, reference numbers and a few rare words, then times:

- ``reviewer``: ``reviewer.core.services.search.search(case, query)``: parsing, the FTS5 query, the
  join to ``search_entry``, the first page of results (100 places) with snippets cut from the original
  text, grouped by document with summaries;
- ``plain``: the same FTS5 expression straight through ``sqlite3``:
  ``SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rank LIMIT 100``;
- ``reviewer, Tantivy`` and ``reviewer, FTS5``: the same ``search()`` answered by the Tantivy index
  beside the database (issue 16) and by FTS5 (as when that index is behind), in the same run; and
  the full count of matches from each.

The Tantivy index is brought up to date after the case is opened, and its build is timed on its own.

for a rare term, a common term, a prefix and a reference number typed as written, each ``--repeat``
times, and prints p50 and p95 of each. Goals (issues 5 and 16, also at 1,000,000 pages): p95 < 50 ms,
and < 200 ms for the first page of results of a common term or prefix; the count within 1 s.

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
from typing import Any

from _common import DATE, machine, ms, percentile, prepare, table

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


class _Folded(dict[str, str]):
    """``index_text`` of each word, worked out once: the generated pages reuse a few hundred words."""

    def __missing__(self, word: str) -> str:
        from reviewer.core.text.fts import index_text

        self[word] = folded = index_text(word)
        return folded


def _index_text(text: str, folded: _Folded) -> str:
    return "\n".join(" ".join(folded[w] for w in line.split(" ")) for line in text.split("\n"))


def build(root: Path, pages: int, per_document: int) -> float:
    """A case with ``pages`` pages of text, its FTS5 index filled; returns the seconds spent in FTS5.

    The rows are those import makes (``search_entry`` per page text and per document description,
    ``search_text`` with the folded text), written in batches straight through the connection: a
    million pages through the services one document at a time took over two hours on this machine.
    """
    from sqlalchemy import insert

    from reviewer.core.services.case import create_case
    from reviewer.core.storage.orm import Document, Page, SearchEntry, Sighting
    from reviewer.core.text.fts import index_text

    rng = random.Random(5)
    folded = _Folded()
    in_fts5 = 0.0
    documents = pages // per_document
    batch = 500
    with create_case(root, title="search benchmark", actor="bench") as case, case.db.unit_of_work() as uow:
        conn = uow.session.connection()
        entry = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM search_entry").scalar_one())
        for first in range(0, documents, batch):
            ids = range(first + 1, min(first + batch, documents) + 1)
            conn.execute(
                insert(Document),
                [
                    {
                        "id": d,
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
                        "title": f"Документ {d - 1}",
                    }
                    for d in ids
                ],
            )
            conn.execute(
                insert(Sighting),
                [
                    {
                        "document_id": d,
                        "original_path": f"/leak/doc{d - 1}.pdf",
                        "original_name": f"doc{d - 1}.pdf",
                        "size": 1000,
                        "imported_by": "bench",
                        "imported_at": "2026-11-28T00:00:00Z",
                        "host": "bench",
                    }
                    for d in ids
                ],
            )
            page_rows, entries, texts = [], [], []
            for d in ids:
                for n in range(1, per_document + 1):
                    text = _page_text(rng, (d - 1) * per_document + n)
                    page_rows.append(
                        {"document_id": d, "number": n, "width": 595.0, "height": 842.0, "text": text}
                    )
                    entry += 1
                    entries.append({"id": entry, "document_id": d, "kind": "text", "page": n, "ref": None})
                    body = _index_text(text, folded)
                    if entry % 997 == 1:  # word by word is the same as the whole text at once
                        assert body == index_text(text), text
                    texts.append((entry, body))
                entry += 1
                entries.append({"id": entry, "document_id": d, "kind": "meta", "page": None, "ref": None})
                texts.append((entry, index_text(f"Документ {d - 1}\ndoc{d - 1}.pdf")))
            conn.execute(insert(Page), page_rows)
            conn.execute(insert(SearchEntry), entries)
            started = time.perf_counter()
            conn.exec_driver_sql("INSERT INTO search_text (rowid, body) VALUES (?, ?)", texts)
            in_fts5 += time.perf_counter() - started
            if first % 25_000 == 0:
                print(f"  {first * per_document:,} pages…", flush=True)
        uow.commit()
    return in_fts5


def _folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _fts5_size(database: Path) -> int | None:
    """Bytes of the FTS5 table and its shadow tables (None where SQLite lacks the dbstat table)."""
    conn = sqlite3.connect(database)
    try:
        row = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_text%'").fetchone()
        return int(row[0] or 0)
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()


_PLAIN = "SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rank LIMIT 100"
_WAYS = ("tantivy", "fts5", "plain", "count_t", "count_f")


def _measure(case: Any, engine: Any, plain: sqlite3.Connection, query: str, repeat: int) -> tuple[int, dict]:
    """Seconds per way of answering ``query``, taken in turns; and the number of matches."""
    from reviewer.core.services.search import search
    from reviewer.core.storage import search_index, search_tantivy
    from reviewer.core.text.fts import parse_query

    fts = parse_query(query).fts
    real_open = search_tantivy.open_current
    times: dict[str, list[float]] = {way: [] for way in _WAYS}
    matches = search(case, query).matches  # warms the caches
    for i in range(repeat):
        for way in _WAYS if i % 2 == 0 else _WAYS[::-1]:
            if way == "fts5":  # as when the Tantivy index is behind
                search_tantivy.open_current = lambda *_a, **_k: None
            started = time.perf_counter()
            if way in ("tantivy", "fts5"):
                search(case, query)
            elif way == "plain":
                plain.execute(_PLAIN, (fts,)).fetchall()
            elif way == "count_t":
                engine.count(fts)
            else:
                with case.db.reading() as session:
                    search_index.count_matches(session, fts)
            times[way].append(time.perf_counter() - started)
            search_tantivy.open_current = real_open
    return matches, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--per-document", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="build the case here once and reuse it")
    args = parser.parse_args()

    from reviewer.core.services import search as search_service
    from reviewer.core.services.case import open_case
    from reviewer.core.services.search import update_index
    from reviewer.core.storage import search_tantivy

    workdir = Path(tempfile.mkdtemp(prefix="search-bench-")) if args.keep is None else args.keep
    root = workdir / "case"
    if not (root / "reviewer.sqlite").exists():
        print(f"building a case of {args.pages:,} pages at {root} …", flush=True)
        started = time.perf_counter()
        in_fts5 = build(root, args.pages, args.per_document)
        print(f"built in {time.perf_counter() - started:.0f} s, of which {in_fts5:.0f} s in FTS5 inserts")
    # Opened without its Tantivy index brought up to date, to time that on its own below.
    real_update = search_service.update_index
    search_service.update_index = lambda case, **kw: False  # type: ignore[assignment]
    started = time.perf_counter()
    case = open_case(root)
    print(f"opened (and upgraded, when older) in {time.perf_counter() - started:.0f} s", flush=True)
    search_service.update_index = real_update
    folder = root / "derived" / search_tantivy.FOLDER
    started = time.perf_counter()
    report = max(args.pages // 10, 1000)
    update_index(
        case, progress=lambda n: None if n % report else print(f"  {n:,} rows in Tantivy…", flush=True)
    )
    tantivy_build = time.perf_counter() - started
    print(f"Tantivy index brought up to date in {tantivy_build:.0f} s", flush=True)
    size = (root / "reviewer.sqlite").stat().st_size
    fts5_size = _fts5_size(root / "reviewer.sqlite")
    tantivy_size = _folder_size(folder)
    rows = []
    with case:
        plain = sqlite3.connect(root / "reviewer.sqlite")
        engine = search_tantivy.SearchIndex(folder)
        for label, query in QUERIES.items():
            matches, times = _measure(case, engine, plain, query, args.repeat)
            cells = [f"{ms(percentile(times[w], 50))} / {ms(percentile(times[w], 95))}" for w in _WAYS[:3]]
            cells.append(f"{ms(percentile(times['count_t'], 95))} / {ms(percentile(times['count_f'], 95))}")
            rows.append([label, f"`{query}`", f"{matches:,}", *cells])
        plain.close()
    print()
    documents = args.pages // args.per_document
    print(f"{args.pages:,} pages in {documents:,} documents, {DATE}")
    print(machine())
    fts5_text = "?" if fts5_size is None else f"{fts5_size / 2**20:.0f} MiB"
    print(f"database {size / 2**20:.0f} MiB (FTS5 index {fts5_text})")
    print(f"Tantivy index {tantivy_size / 2**20:.0f} MiB, built in {tantivy_build:.0f} s")
    print(
        table(
            [
                "query",
                "typed",
                "places",
                "reviewer, Tantivy p50 / p95 ms",
                "reviewer, FTS5 p50 / p95 ms",
                "plain FTS5 p50 / p95 ms",
                "count p95 ms Tantivy / FTS5",
            ],
            rows,
        )
    )
    if args.keep is None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
