"""Entities read offline from a document's text: dates, reference numbers, money, watched terms."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from reviewer.core.domain.errors import UsageError
from reviewer.core.text.entities import Entity, EntityKind, WatchList, WatchTerm, extract_entities
from reviewer.core.text.normalise import fold, match_fold
from reviewer.core.text.references import reference_key

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


def found(text: str, kind: EntityKind, watch: tuple[WatchTerm, ...] = ()) -> list[tuple[str, str]]:
    """(text as written, value) of every entity of one kind."""
    return [(e.text, e.value) for e in extract_entities(text, watch) if e.kind is kind]


# -- whole lines, as the papers of a case write them -----------------------------------------------


def test_russian_diplomatic_note_header() -> None:
    text = "Исх. № 12-05/1174 от 12 мая 2019 г.\nПосольство Республики Беларусь свидетельствует уважение"
    assert extract_entities(text) == [
        Entity(EntityKind.REFERENCE, "12-05/1174", "Исх. № 12-05/1174", 0, 17),
        Entity(EntityKind.DATE, "2019-05-12", "12 мая 2019 г.", 21, 35),
    ]


def test_azerbaijani_bill_of_sale() -> None:
    text = "Alqı-satqı müqaviləsi № 45/BA-2018, 3 mart 2018-ci il, məbləğ 12 500 manat"
    assert [(e.kind, e.value, e.text) for e in extract_entities(text)] == [
        (EntityKind.REFERENCE, "45/BA-2018", "№ 45/BA-2018"),
        (EntityKind.DATE, "2018-03-03", "3 mart 2018-ci il"),
        (EntityKind.MONEY, "12500.00 AZN", "12 500 manat"),
    ]


def test_belarusian_letter() -> None:
    text = "Зых. № 03/117 ад 12 траўня 2019 г. Кантракт на суму 300 бел. руб. падпісаны ў лютым 2020 г."
    assert [(e.kind, e.value) for e in extract_entities(text)] == [
        (EntityKind.REFERENCE, "03/117"),
        (EntityKind.DATE, "2019-05-12"),
        (EntityKind.MONEY, "300.00 BYN"),
        (EntityKind.DATE, "2020-02"),
    ]


def test_english_invoice() -> None:
    text = (
        "INVOICE No. INV-2019-0042\nDate: May 12, 2019   Our ref: GB-2019-114\n"
        "Total due: $12,500.00 (twelve thousand five hundred US dollars), payable by 30th June 2019."
    )
    assert [(e.kind, e.value) for e in extract_entities(text)] == [
        (EntityKind.REFERENCE, "INV-2019-0042"),
        (EntityKind.DATE, "2019-05-12"),
        (EntityKind.REFERENCE, "GB-2019-114"),
        (EntityKind.MONEY, "12500.00 USD"),
        (EntityKind.DATE, "2019-06-30"),
    ]


def test_export_passport_and_contract() -> None:
    text = (
        "Паспорт сделки № 19050001/1481/0000/2/1 к контракту № 45/БА-2018 от 03.03.2018. "
        "Экспортный паспорт ЭП-078/1133-19. Паспорт гражданина серия 4510 № 123456 выдан 01.02.2010"
    )
    assert found(text, EntityKind.REFERENCE) == [
        ("№ 19050001/1481/0000/2/1", "19050001/1481/0000/2/1"),
        ("№ 45/БА-2018", "45/БA-2018"),
        ("ЭП-078/1133-19", "ЭП-078/1133-19"),
        ("серия 4510 № 123456", "4510123456"),
    ]
    assert [v for _, v in found(text, EntityKind.DATE)] == ["2018-03-03", "2010-02-01"]


def test_entities_are_in_order_with_offsets_into_the_text() -> None:
    text = "от 12.05.2019 № 7/2019-ОК на сумму 5 000 руб., Белнефтехим"
    entities = extract_entities(text, (WatchTerm("Белнефтехим", "organisation"),))
    assert [e.start for e in entities] == sorted(e.start for e in entities)
    assert all(text[e.start : e.end] == e.text for e in entities)
    assert [e.kind for e in entities] == [
        EntityKind.DATE,
        EntityKind.REFERENCE,
        EntityKind.MONEY,
        EntityKind.TERM,
    ]


# -- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("12.05.2019", "2019-05-12"),
        ("1.5.2019", "2019-05-01"),
        ("12.05.19", "2019-05-12"),
        ("12.05.98", "1998-05-12"),
        ("2019-05-12", "2019-05-12"),
        ("12 мая 2019 года", "2019-05-12"),
        ("«12» мая 2019 г.", "2019-05-12"),
        ('"12" мая 2019г.', "2019-05-12"),
        ("12-го мая 2019", "2019-05-12"),
        ("1 января 2020 г.", "2020-01-01"),
        ("12 траўня 2019 г.", "2019-05-12"),
        ("5 кастрычніка 2018 года", "2018-10-05"),
        ("30 снежня 2017", "2017-12-30"),
        ("12 красавiка 2019", "2019-04-12"),  # Belarusian і typed as Latin i
        ("12 may 2019-cu il", "2019-05-12"),
        ("3 mart 2019", "2019-03-03"),
        ("25 avqust 2020-ci il", "2020-08-25"),
        ("2019-cu il 12 may", "2019-05-12"),
        ("12 ијун 2019", "2019-06-12"),
        ("12 сентјабр 2019", "2019-09-12"),
        ("12 May 2019", "2019-05-12"),
        ("May 12, 2019", "2019-05-12"),
        ("12th May 2019", "2019-05-12"),
        ("the 1st of March, 2019", "2019-03-01"),
        ("Sept. 3, 2019", "2019-09-03"),
        ("12 МАЯ 2019 Г.", "2019-05-12"),
        ("май 2019", "2019-05"),
        ("в мае 2019 года", "2019-05"),
        ("May 2019", "2019-05"),
        ("noyabr 2021", "2021-11"),
        ("у лістападзе 2019", "2019-11"),
    ],
)
def test_dates_in_every_language(text: str, iso: str) -> None:
    assert [v for _, v in found(f"Документ {text}, подпись.", EntityKind.DATE)] == [iso]


@pytest.mark.parametrize(
    "text",
    [
        "31.02.2019",  # no such day
        "29.02.2019",
        "12.13.2019",
        "31 апреля 2019 г.",
        "12.05.1850",  # out of range
        "12 мая",  # no year
        "в 2019 году",  # a year alone
        "встреча в 12.05",  # a time
        "12:05",
        "12/05/2019",  # day or month first? not said
        "1.2.19",  # a section number
        "версия 10.12.15",
        "version 1.12.2019",
        "v1.12.2019",
        "тел. 222.05.19",
        "192.168.12.05",
        "1.12.05.2019",
        "стр. 3 из 12",
        "рост на 12,5% за 2019",
    ],
)
def test_not_dates(text: str) -> None:
    assert found(text, EntityKind.DATE) == []


def test_february_29_in_a_leap_year() -> None:
    assert found("29.02.2020", EntityKind.DATE) == [("29.02.2020", "2020-02-29")]


def test_a_date_inside_a_number_is_part_of_the_number() -> None:
    entities = extract_entities("Протокол № 12.05.2019/1 от 13.05.2019")
    assert [(e.kind, e.value) for e in entities] == [
        (EntityKind.REFERENCE, "12.05.2019/1"),
        (EntityKind.DATE, "2019-05-13"),
    ]


# -- reference numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "№ 12-05/1174",
        "№12-05/1174",
        "No. 12-05/1174",
        "Nº 12-05/1174",
        "N 12-05/1174",
        "Исх. № 12-05/1174",
        "Исх.№ 12 - 05 / 1174",
        "исх. 12-05/1174",
        "Вх. № 12–05/1174",
        "Ref.: 12-05/1174",
        "Our ref 12-05/1174",
        "Nömrə 12-05/1174",
        "12-05/1174 nömrəli məktub",
        "Müqavilə №12-O5/1174",  # OCR: a letter O among digits
        "письмо 12-05/1174 получено",
    ],
)
def test_every_spelling_of_a_number_has_one_key(text: str) -> None:
    assert [v for _, v in found(text, EntityKind.REFERENCE)] == ["12-05/1174"]


def test_keys_fold_cyrillic_capitals_that_look_latin() -> None:
    assert reference_key("45/ВА-2018") == reference_key("45/BA-2018") == "45/BA-2018"
    assert reference_key("АВ 1234567") == "AB1234567"
    # Э is not E, Б is not B: different numbers stay different
    assert reference_key("ЭП-078/1133-19") != reference_key("EП-078/1133-19")
    assert reference_key("45/БА-2018") != reference_key("45/BA-2018")
    # letters between letters are not digits
    assert reference_key("IO-BA/2019") == "IO-BA/2019"
    assert reference_key("12-O5/11l4") == "12-05/1114"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Договор № 15/2019 от", "15/2019"),
        ("Contract No 2019-117", "2019-117"),
        ("Invoice #INV-2019-0042", "INV-2019-0042"),
        ("Müqavilə № 45/BA-2018", "45/BA-2018"),
        ("45/BA-2018 saylı müqavilə", "45/BA-2018"),
        ("паспорт серии МР № 1234567", "MP1234567"),
        ("паспорт серия 45 10 № 123456", "4510123456"),
        ("паспорт сделки № 19050001/1481/0000/2/1", "19050001/1481/0000/2/1"),
        ("экспортный паспорт ЭП-078/1133-19 выдан", "ЭП-078/1133-19"),
        ("вх. 3/2019", "3/2019"),
    ],
)
def test_reference_numbers(text: str, key: str) -> None:
    assert [v for _, v in found(text, EntityKind.REFERENCE)] == [key]


@pytest.mark.parametrize(
    "text",
    [
        "стр. 3",
        "Приложение № 3",  # too short to link documents by
        "тел. +375 17 222-33-44",
        "факс 8 (017) 222-05-19",
        "+994 12 498-12-05",
        "1/2 ставки",
        "стр. 12/15",
        "24/7",
        "12/05/2019",
        "http://mfa.gov.by/docs/1174",
        "№ б/н",  # "no number"
        "there were no 150 cases",
        "version 2.1.15",
        "и/или",
    ],
)
def test_not_reference_numbers(text: str) -> None:
    assert found(text, EntityKind.REFERENCE) == []


# -- money ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12 500,00 руб.", "12500.00 RUB"),
        ("12 500 рублей", "12500.00 RUB"),
        ("12\u00a0500 руб", "12500.00 RUB"),
        ("$12,500.00", "12500.00 USD"),
        ("USD 12,500", "12500.00 USD"),
        ("12 500 долларов США", "12500.00 USD"),
        ("12.500,00 €", "12500.00 EUR"),
        ("100 евро", "100.00 EUR"),
        ("1 000 000 AZN", "1000000.00 AZN"),
        ("5000 манат", "5000.00 AZN"),
        ("12 500 manat", "12500.00 AZN"),
        ("BYN 300", "300.00 BYN"),
        ("300 бел. руб.", "300.00 BYN"),
        ("300 беларускіх рублёў", "300.00 BYN"),
        ("1 500 грн.", "1500.00 UAH"),
        ("£5", "5.00 GBP"),
        ("CNY 8 000", "8000.00 CNY"),
        ("$1.2 million", "1200000.00 USD"),
        ("1,2 млн руб.", "1200000.00 RUB"),
        ("5 тыс. долларов", "5000.00 USD"),
        ("US$ 5k", "5000.00 USD"),
        ("TRY 500", "500.00 TRY"),
    ],
)
def test_money(text: str, value: str) -> None:
    assert found(f"на сумму {text} согласно счёту", EntityKind.MONEY) == [(text, value)]


@pytest.mark.parametrize(
    "text",
    [
        "рост на 12,5%",
        "тел. +375 17 222-33-44",
        "в 2019 году",
        "стр. 3",
        "try 500 times",
        "12.05.2019",
        "5 usd",  # codes count in capitals only
    ],
)
def test_not_money(text: str) -> None:
    assert found(text, EntityKind.MONEY) == []


def test_a_year_before_an_amount_is_not_part_of_it() -> None:
    assert found("в 2019 500 рублей", EntityKind.MONEY) == [("500 рублей", "500.00 RUB")]


# -- the watch-list ---------------------------------------------------------------------------------

BELNEFTEKHIM = WatchTerm("Белнефтехим", "organisation", ("Belneftekhim", "Концерн Белнефтехим"))
WATCH = (
    BELNEFTEKHIM,
    WatchTerm("Белорусская нефтяная компания", "organisation"),
    WatchTerm("Минск", "other"),
    WatchTerm("Öztürk Ali", "person"),
    WatchTerm("Су-30СМ", "equipment"),
    WatchTerm("ООО «Азерсун»", "organisation", ("Azersun Holding",)),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("письмо Белнефтехима", "Белнефтехима"),
        ("с Белнефтехимом", "Белнефтехимом"),
        ("БЕЛНЕФТЕХИМ", "БЕЛНЕФТЕХИМ"),
        ("концерн belneftekhim", "belneftekhim"),
        ("с Белнефте-\nхимом", "Белнефте-\nхимом"),
        ("с Белнефте-  \n  химом", "Белнефте-  \n  химом"),
        ("с Белнефте\u00adхимом", "Белнефте\u00adхимом"),
        ("Бeлнeфтeхим", "Бeлнeфтeхим"),  # OCR put Latin e in a Cyrillic word
    ],
)
def test_watched_term_is_found_as_written(text: str, expected: str) -> None:
    assert found(text, EntityKind.TERM, WATCH) == [(expected, "Белнефтехим")]


def test_words_of_a_term_decline_together_and_across_lines() -> None:
    text = "акции Белорусской нефтяной\nкомпании"
    assert found(text, EntityKind.TERM, WATCH) == [
        ("Белорусской нефтяной\nкомпании", "Белорусская нефтяная компания")
    ]


def test_inflection_is_limited_to_endings() -> None:
    assert found("Минский тракторный завод", EntityKind.TERM, WATCH) == []
    assert found("Белнефтехимовский", EntityKind.TERM, WATCH) == []
    assert found("в Минске", EntityKind.TERM, WATCH) == [("Минске", "Минск")]


def test_case_and_diacritics_do_not_matter() -> None:
    assert found("OZTURK ALI и Ozturk  Ali", EntityKind.TERM, WATCH) == [
        ("OZTURK ALI", "Öztürk Ali"),
        ("Ozturk  Ali", "Öztürk Ali"),
    ]


def test_terms_are_matched_on_word_boundaries() -> None:
    assert found("Су-30СМ и Су-30СМ2", EntityKind.TERM, WATCH) == [("Су-30СМ", "Су-30СМ")]
    assert found('ООО "Азерсун" и ООО Азерсун', EntityKind.TERM, WATCH) == [
        ('ООО "Азерсун', "ООО «Азерсун»"),
        ("ООО Азерсун", "ООО «Азерсун»"),
    ]


def test_the_longer_spelling_of_one_term_wins() -> None:
    entities = extract_entities("Концерн Белнефтехим сообщил", WATCH)
    assert [(e.text, e.value) for e in entities] == [("Концерн Белнефтехим", "Белнефтехим")]


def test_a_compiled_watch_list_finds_the_same() -> None:
    text = "Концерн Белнефтехим и Azersun Holding"
    assert extract_entities(text, WatchList(WATCH)) == extract_entities(text, WATCH)


def test_watch_terms_are_checked() -> None:
    with pytest.raises(UsageError, match="organisation, person, equipment, other"):
        WatchTerm("Белнефтехим", "company")
    with pytest.raises(UsageError, match="no letters or digits"):
        WatchTerm("  «» ", "other")


def test_no_watch_list_finds_no_terms() -> None:
    assert found("Белнефтехим", EntityKind.TERM) == []


# -- folding ----------------------------------------------------------------------------------------


def test_fold_for_search() -> None:
    assert fold("Öztürk ЁЛКА Straße") == "ozturk елка strasse"
    assert fold("İstanbul BAKI Bakı Azərbaycan") == "istanbul baki baki azerbaycan"
    # й and ў are letters of their own, not и and у with a mark
    assert fold("Йод Ўзбек") == "йод ўзбек"


def test_match_fold_keeps_offsets() -> None:
    text = "İ «Белнефтехим» – Öz\u00a0"
    folded = match_fold(text)
    assert len(folded) == len(text)
    assert folded == match_fold('i "Бeлнeфтexим" - oz ')  # Latin e and x in the Cyrillic word


# -- finding the documents that mention an entity, as a person types it ----------------------------


def test_an_entity_value_is_found_in_any_spelling_of_its_script(
    any_case: Case, inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a local (SQLite) and a shared (PostgreSQL) case: the only test here that reads a database."""
    from reviewer.cli import main
    from reviewer.core.services import entities
    from reviewer.core.services.importing import import_paths
    from tests.filemaker import make_text_pdf

    case = any_case
    make_text_pdf(inbox / "latin_a.pdf", lines=["Договор № 45/БA-2018 с ООО Велория"])  # Latin A
    make_text_pdf(inbox / "cyrillic.pdf", lines=["Ссылка на 45/БА-2018, ООО ВЕЛОРИЯ"])
    import_paths(case, [inbox])
    entities.add_watch_term(case, "Велория", "organisation")
    both = {1, 2}
    for typed in ("45/БА-2018", "45/БA-2018", "№ 45/ба-2018", "45 / БА - 2018"):
        assert {d.id for d in entities.documents_mentioning(case, "reference", typed)} == both, typed
    for typed in ("Велория", "велория", "Beлopия"):  # the last with Latin B, e, o, p
        assert {d.id for d in entities.documents_mentioning(case, "term", typed)} == both, typed
    assert entities.documents_mentioning(case, "reference", "45/БА-2019") == []
    case.close()
    assert main(["entities", str(case.root), "--kind", "reference", "--value", "45/БА-2018"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2
