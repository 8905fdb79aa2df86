"""Entity extraction speed on OCR-sized pages, beside one plain ``re.findall`` over the same text.

Run from the repository root::

    python benchmarks/entities_speed.py [--pages N] [--repeat N] [--terms N]

**The text is synthetic**: pages of about 2,000 characters drawn (with a fixed seed) from lines in
the four languages of the case's papers (diplomatic-note headers, letters, bills of sale, invoices,
export passports), with ordinary prose between them, so that roughly one line in three holds a date,
a number or an amount. The watch-list has ``--terms`` entries (organisations, people, equipment,
with aliases) of which a few occur in the text.

Timed, each over every page one by one, best of ``--repeat`` runs:

``baseline``
    ``re.findall(r"\\d{1,2}\\.\\d{1,2}\\.\\d{4}", page)``: one pass of one simple date regex;
``dates``, ``references``, ``money``, ``terms``
    each finder alone (``terms`` with the watch-list compiled once);
``extract_entities``
    everything, with the watch-list compiled once (as a :class:`WatchList`) and, separately, passed
    as a plain tuple (compiled once, then found in the cache).

The figures are characters per second and the ratio to the baseline. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from typing import TYPE_CHECKING

import _common
from _common import table

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

_common.prepare()

from reviewer.core.text.dates import find_dates  # noqa: E402
from reviewer.core.text.entities import extract_entities  # noqa: E402
from reviewer.core.text.money import find_money  # noqa: E402
from reviewer.core.text.references import find_references  # noqa: E402
from reviewer.core.text.watchlist import WatchList, WatchTerm  # noqa: E402

PAGE_CHARS = 2_000
LINES = (
    "Исх. № 12-05/1174 от 12 мая 2019 г.",
    "Министерство иностранных дел Республики Беларусь свидетельствует свое уважение Посольству",
    "и имеет честь сообщить, что по договору № 45/БА-2018 поставка оплачена в сумме 12 500,00 руб.",
    "Кантракт ад 12 траўня 2019 г. падпісаны з ААТ «Белнафтахім», сума 300 бел. руб.",
    "Alqı-satqı müqaviləsi № 45/BA-2018, 3 mart 2018-ci il, məbləğ 12 500 manat",
    "Satıcı və alıcı aşağıdakı şərtlərlə razılığa gəldilər, ödəniş 2019-cu il 12 may tarixinə qədər",
    "Invoice No. INV-2019-0042 dated May 12, 2019, total due $12,500.00 (USD 12,500)",
    "Payment terms: 30 days net; please quote our ref GB-2019-114 on all correspondence.",
    "Паспорт сделки № 19050001/1481/0000/2/1, экспортный паспорт ЭП-078/1133-19",
    "Тел. +375 17 222-33-44, факс 8 (017) 222-05-19, стр. 3 из 12, версия 2.1.15",
    "Груз отправлен железнодорожным транспортом через станцию Брест в адрес получателя.",
    "The consignment was inspected at the port of Baku and found to be in good order.",
    "Согласно пункту 4.2 договора стороны несут ответственность в соответствии с законодательством.",
    "Tərəflər arasında yaranan mübahisələr danışıqlar yolu ilə həll edilir.",
    "В 2019 году объём поставок вырос на 12,5% по сравнению с предыдущим периодом.",
    "Концерн Белнефтехим направил письмо в адрес ОАО «Нафтан» и компании Azersun Holding.",
)
TERMS = (
    WatchTerm("Белнефтехим", "organisation", ("Belneftekhim", "Белнафтахім")),
    WatchTerm("Нафтан", "organisation", ("Naftan",)),
    WatchTerm("Azersun Holding", "organisation", ("Азерсун",)),
    WatchTerm("Су-30СМ", "equipment"),
    WatchTerm("Иванов Пётр Сергеевич", "person", ("П. С. Иванов",)),
)


def make_pages(count: int, seed: int = 20261128) -> list[str]:
    """``count`` pages of about 2,000 characters each."""
    rng = random.Random(seed)
    pages = []
    for _ in range(count):
        lines: list[str] = []
        while sum(len(line) + 1 for line in lines) < PAGE_CHARS:
            lines.append(rng.choice(LINES))
        pages.append("\n".join(lines))
    return pages


def make_terms(count: int, seed: int = 7) -> list[WatchTerm]:
    """The named terms plus made-up ones up to ``count`` (organisations that do not occur)."""
    rng = random.Random(seed)
    syllables = ("бел", "нафт", "хим", "газ", "пром", "транс", "маш", "торг", "лес", "агро", "стан")
    terms = list(TERMS)
    while len(terms) < count:
        name = "".join(rng.choice(syllables) for _ in range(3)).capitalize()
        terms.append(WatchTerm(f"{name}-{len(terms)}", "organisation", (f"ОАО «{name}»",)))
    return terms[:count]


def best_of(repeat: int, pages: Sequence[str], work: Callable[[str], object]) -> float:
    """The best wall time of ``repeat`` runs of ``work`` over every page."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for page in pages:
            work(page)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--terms", type=int, default=200)
    args = parser.parse_args()

    pages = make_pages(args.pages)
    chars = sum(len(page) for page in pages)
    terms = make_terms(args.terms)
    started = time.perf_counter()
    compiled = WatchList(terms)
    compile_s = time.perf_counter() - started
    as_tuple = tuple(terms)
    simple = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")

    runs: list[tuple[str, Callable[[str], object]]] = [
        ("baseline: re.findall of one date regex", simple.findall),
        ("find_dates", find_dates),
        ("find_references", find_references),
        ("find_money", find_money),
        (f"WatchList.find ({len(terms)} terms)", compiled.find),
        ("extract_entities, no watch-list", extract_entities),
        (f"extract_entities, WatchList of {len(terms)}", lambda page: extract_entities(page, compiled)),
        (f"extract_entities, tuple of {len(terms)}", lambda page: extract_entities(page, as_tuple)),
    ]
    print(_common.machine())
    print(f"{len(pages)} pages, {chars:,} characters; watch-list compiled in {compile_s * 1000:.0f} ms\n")
    base = 0.0
    rows = []
    for name, work in runs:
        seconds = best_of(args.repeat, pages, work)
        base = base or seconds
        rows.append([name, f"{seconds * 1000:.0f}", f"{chars / seconds / 1e6:.2f}", f"{seconds / base:.1f}×"])
    print(table(["run", "ms", "M chars/s", "× baseline"], rows))
    total = extract_entities_per_100k(pages, chars, compiled)
    print(f"\nextract_entities with the watch-list: 100,000 pages of 2,000 characters ≈ {total:.0f} s")
    found = sum(len(extract_entities(page, compiled)) for page in pages)
    print(f"entities found: {found:,} ({found / len(pages):.1f} a page)")


def extract_entities_per_100k(pages: Sequence[str], chars: int, compiled: WatchList) -> float:
    """Seconds that 100,000 pages of 2,000 characters would take at the measured rate."""
    seconds = best_of(1, pages, lambda page: extract_entities(page, compiled))
    return seconds / chars * 100_000 * PAGE_CHARS


if __name__ == "__main__":
    main()
