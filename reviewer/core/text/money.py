"""Amounts of money with their currency, read to ``"12500.00 USD"``.

An amount is a number with a currency next to it, before (``$12,500.00``, ``USD 12,500``,
``BYN 300``) or after (``12 500,00 руб.``, ``12.500,00 €``, ``1 000 000 AZN``, ``5000 манат``),
optionally scaled by a word (``1,2 млн руб.``, ``$1.2 million``, ``5 тыс. долларов``). A number
without a currency (a percentage, a phone number, a year) is not money.

Thousands may be grouped with spaces, dots, commas or apostrophes, one kind per number; a comma or
dot followed by one or two digits is the decimal mark, followed by three it groups thousands
(``12,500`` is twelve thousand five hundred, as it is in an English invoice).

Currencies whose name alone is ambiguous are read as the case's papers most likely mean them:
``манат`` as the Azerbaijani manat (AZN), ``руб.`` and ``рублей`` as Russian roubles (RUB) unless
marked Belarusian (``бел. руб.``, ``белорусских рублей``, Belarusian spelling ``рублёў``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from reviewer.core.text.normalise import lower_same_length
from reviewer.core.text.patterns import alternation

_CURRENCIES: dict[str, tuple[str, ...]] = {
    "RUB": ("₽", "rub", "rur", "руб", "руб.", "рубль", "рубля", "рублей", "р.", "российских рублей",
            "рос. руб.", "rubl"),
    "BYN": ("byn", "бел. руб.", "бел.руб.", "бел. рублей", "белорусских рублей", "белорусского рубля",
            "беларускіх рублёў", "беларускiх рублёў", "рублёў", "рублеў", "рубель", "рублі"),
    "BYR": ("byr",),
    "USD": ("$", "us$", "usd", "долл.", "долл. сша", "доллар", "доллара", "долларов", "долларов сша",
            "доллара сша", "dollar", "dollars", "us dollars", "u.s. dollars", "dolları", "abş dolları"),
    "EUR": ("€", "eur", "евро", "euro", "euros", "avro"),
    "AZN": ("₼", "azn", "манат", "маната", "манатов", "ман.", "manat"),
    "UAH": ("₴", "uah", "грн", "грн.", "гривен", "гривна", "гривны", "гривень", "гривні"),
    "GBP": ("£", "gbp", "фунтов стерлингов", "фунта стерлингов", "фунт стерлингов", "pounds sterling"),
    "CNY": ("cny", "rmb", "юань", "юаня", "юаней", "yuan"),
    "KZT": ("₸", "kzt", "тенге"),
    "CHF": ("chf", "швейцарских франков"),
    "JPY": ("jpy",),
    "TRY": ("try", "türk lirəsi", "турецких лир"),
    "PLN": ("pln", "злотых"),
    "GEL": ("gel", "лари"),
}  # fmt: skip
CURRENCY_CODES = {name: code for code, names in _CURRENCIES.items() for name in names}
_SCALES: dict[str, int] = {
    "тыс": 1_000, "тыс.": 1_000, "тысяч": 1_000, "тысячи": 1_000, "тысяча": 1_000, "thousand": 1_000,
    "k": 1_000, "min": 1_000,
    "млн": 1_000_000, "млн.": 1_000_000, "миллион": 1_000_000, "миллиона": 1_000_000,
    "миллионов": 1_000_000, "мільён": 1_000_000, "мільёнаў": 1_000_000, "million": 1_000_000,
    "mln": 1_000_000, "mn": 1_000_000, "m": 1_000_000, "milyon": 1_000_000,
    "млрд": 1_000_000_000, "млрд.": 1_000_000_000, "миллиард": 1_000_000_000,
    "миллиарда": 1_000_000_000, "миллиардов": 1_000_000_000, "billion": 1_000_000_000,
    "bn": 1_000_000_000, "milyard": 1_000_000_000,
}  # fmt: skip
# "min" is the Azerbaijani "thousand" (min manat); "m" and "k" only directly after the digits.
_ATTACHED_ONLY = {"k", "m"}


def _currency_pattern() -> str:
    codes = [name for name in CURRENCY_CODES if name.isascii() and name.isalpha() and len(name) == 3]
    names = [name for name in CURRENCY_CODES if name not in codes]
    named = alternation(names, space=r"\s*")
    return rf"(?:{alternation(codes)}|{named})(?![^\W\d_])"


def _amount(suffix: str) -> str:
    return (
        rf"(?P<int{suffix}>\d{{1,3}}(?P<sep{suffix}>[ \u00a0\u202f\u2009.,'’])\d{{3}}"
        rf"(?:(?P=sep{suffix})\d{{3}})*(?!\d)|\d+)(?:[.,](?P<frac{suffix}>\d{{1,2}}))?(?![\d])"
        rf"(?:(?P<attached{suffix}>[kKmM])(?![^\W\d_])|\s*(?P<scale{suffix}>{_SCALE})(?![^\W\d_])\.?)?"
    )


_SCALE = alternation(name for name in _SCALES if name not in _ATTACHED_ONLY)
_CURRENCY = _currency_pattern()
_MONEY = re.compile(
    rf"""
    (?<![\w.,])(?:{_amount("a")}\s*(?P<after>{_CURRENCY}))
  | (?<![^\W\d_])(?P<before>{_CURRENCY})\s*{_amount("b")}
    """,
    re.VERBOSE,
)
_SPACES = re.compile(r"\s+")
# ISO codes count in capitals only: "try", "gel" and "rub" are words too.
_CODE_LIKE = {name for name in CURRENCY_CODES if len(name) == 3 and name.isascii() and name.isalpha()}
_CODES_BY_FOLDED = {_SPACES.sub("", name).casefold(): code for name, code in CURRENCY_CODES.items()}
_CENT = Decimal("0.01")


def find_money(text: str) -> list[tuple[int, int, str]]:
    """Every amount of money in ``text`` as ``(start, end, "12500.00 USD")``, in order."""
    found = []
    lower = lower_same_length(text)
    position = 0
    while (match := _MONEY.search(lower, position)) is not None:
        group = "after" if match.group("after") is not None else "before"
        suffix = "a" if group == "after" else "b"
        currency = text[match.start(group) : match.end(group)]
        code = currency_code(currency)
        if code is None or (currency in _CODE_LIKE and not currency.isupper()):
            # "try 500" is not Turkish lira; an amount may still start inside what was read
            position = match.start() + 1
            continue
        position = match.end()
        value = Decimal(match.group(f"int{suffix}").translate(_NOT_DIGITS))
        fraction = match.group(f"frac{suffix}")
        if fraction:
            value += Decimal(fraction) / 10 ** len(fraction)
        attached, scale = match.group(f"attached{suffix}", f"scale{suffix}")
        if attached:
            value *= _SCALES[attached.lower()]
        elif scale:
            value *= _SCALES[scale.lower()]
        found.append((match.start(), match.end(), f"{value.quantize(_CENT)} {code}"))
    return found


def currency_code(name: str) -> str | None:
    """The ISO 4217 code for a currency as written (``руб.``, ``$``, ``манат``, ``USD``), or None."""
    return _CODES_BY_FOLDED.get(_SPACES.sub("", name).casefold())


_NOT_DIGITS = {ord(char): None for char in " \u00a0\u202f\u2009.,'’"}
