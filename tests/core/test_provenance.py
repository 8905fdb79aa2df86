"""Provenance after import: a sighting's source and date received, changed on the custody log.

Also what the import dialog and "Read again with OCR" need from the core: several passwords tried in
turn, and a document's earlier reading put back.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from reviewer.cli import main
from reviewer.core.domain.errors import UsageError
from reviewer.core.ingest.reading import OcrStatus
from reviewer.core.services import queries, search
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import ImportOptions, import_paths
from reviewer.core.services.page_readings import PageReading, page_readings, restore_page_readings
from reviewer.core.services.provenance import set_sighting_provenance
from tests import filemaker
from tests.conftest import raw_db

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


# Reads the SQLite file itself (raw_db), so runs on the local case only.
SQLITE_ONLY = pytest.mark.parametrize("any_case", ["sqlite"], indirect=True)


@pytest.fixture
def case(any_case: Case) -> Case:
    """Every test here runs on a local (SQLite) and a shared (PostgreSQL) case, but SQLITE_ONLY ones."""
    return any_case


def _one(case: Case, inbox: Path, **options: str) -> int:
    pdf = filemaker.make_text_pdf(inbox / "note.pdf", seed=7)
    [item] = import_paths(case, [pdf], ImportOptions(**options)).imported  # type: ignore[arg-type]
    return item.id


@SQLITE_ONLY
def test_source_and_date_received_change_on_the_custody_log(case: Case, inbox: Path) -> None:
    doc = _one(case, inbox)
    [sighting] = queries.document_detail(case, doc).sightings
    assert (sighting.source, sighting.received_on) == (None, None)
    record = set_sighting_provenance(
        case, sighting.id, source="  Telegram   channel X ", received_on="2026-11-02"
    )
    assert (record.source, record.received_on) == ("Telegram channel X", "2026-11-02")
    detail = queries.document_detail(case, doc)
    assert (detail.sightings[0].source, detail.sightings[0].received_on) == (
        "Telegram channel X",
        "2026-11-02",
    )
    entry = detail.custody[-1]
    assert entry.action == "provenance_changed"
    assert 'source (none) → "Telegram channel X"' in entry.summary
    with raw_db(case.root) as conn:
        before, after = conn.execute(
            "SELECT before_json, after_json FROM custody_event ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert json.loads(before) == {"sighting": sighting.id, "source": None, "received_on": None}
    assert json.loads(after) == {
        "sighting": sighting.id,
        "source": "Telegram channel X",
        "received_on": "2026-11-02",
    }
    # only the date: the source stays; "" clears
    set_sighting_provenance(case, sighting.id, received_on="")
    again = queries.document_detail(case, doc)
    assert (again.sightings[0].source, again.sightings[0].received_on) == ("Telegram channel X", None)
    # the same values again change nothing and log nothing
    entries = len(again.custody)
    set_sighting_provenance(case, sighting.id, source="Telegram channel X")
    assert len(queries.document_detail(case, doc).custody) == entries
    assert verify_case(case).ok


def test_bad_provenance_is_refused_and_changes_nothing(case: Case, inbox: Path) -> None:
    doc = _one(case, inbox, source="courier")
    other = import_paths(case, [filemaker.make_text_pdf(inbox / "other.pdf", seed=8)]).imported[0].id
    [sighting] = queries.document_detail(case, doc).sightings
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        set_sighting_provenance(case, sighting.id, received_on="2026-11")
    with pytest.raises(UsageError, match="no sighting 999"):
        set_sighting_provenance(case, 999, source="x")
    with pytest.raises(UsageError, match="not one of document"):
        set_sighting_provenance(case, sighting.id, source="x", document=other)
    detail = queries.document_detail(case, doc)
    assert detail.sightings[0].source == "courier"
    assert detail.custody[-1].action != "provenance_changed"


def test_the_command_line(case: Case, inbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _one(case, inbox)
    [sighting] = queries.document_detail(case, doc).sightings
    root = str(case.root)
    case.close()
    code = main(["provenance", root, str(doc), "--source", "Signal, from A.", "--received", "2026-10-30"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Signal, from A." in out
    assert "2026-10-30" in out
    # the only sighting is meant when none is named; --json says the record
    assert (
        main(["provenance", root, str(doc), "--sighting", str(sighting.id), "--received", "", "--json"]) == 0
    )
    record = json.loads(capsys.readouterr().out)
    assert (record["source"], record["received_on"]) == ("Signal, from A.", None)
    # wrong arguments: one line, exit 2
    assert main(["provenance", root, str(doc)]) == 2
    assert "give --source" in capsys.readouterr().err
    assert main(["provenance", root, str(doc), "--received", "yesterday"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@SQLITE_ONLY
def test_several_passwords_are_tried_in_turn_and_the_one_that_opens_is_kept(case: Case, inbox: Path) -> None:
    locked = filemaker.make_encrypted_pdf(inbox / "locked.pdf", user_password="третий-3")
    report = import_paths(case, [locked], ImportOptions(password="one", passwords=("two", "третий-3")))
    [item] = report.imported
    with raw_db(case.root) as conn:
        assert conn.execute("SELECT password FROM document WHERE id = ?", (item.id,)).fetchone() == (
            "третий-3",
        )
    assert queries.document_detail(case, item.id).summary.page_count == 2


def test_an_earlier_reading_is_put_back_with_its_search_entries(case: Case, inbox: Path) -> None:
    doc = _one(case, inbox)
    before = page_readings(case, doc)
    assert [r.number for r in before] == [1]
    # what a second OCR run would write over the first
    later = tuple(
        PageReading(
            r.number, "[]", "Бобруйск 2026", "rus", "2026-12-01T00:00:00Z", OcrStatus.DONE.value, None, 91.0
        )
        for r in before
    )
    assert restore_page_readings(case, doc, later) == 1
    assert search.search(case, "Бобруйск").documents, "the new reading is searchable"
    assert restore_page_readings(case, doc, before) == 1
    assert page_readings(case, doc) == before
    assert not search.search(case, "Бобруйск").documents, "the earlier one is what is indexed again"
    assert restore_page_readings(case, doc, before) == 0, "nothing to put back: nothing logged"
    actions = [e.action for e in queries.document_detail(case, doc).custody]
    assert actions.count("ocr_restored") == 2
    assert verify_case(case).ok
