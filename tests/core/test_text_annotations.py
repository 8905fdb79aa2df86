"""Text annotations: words of a page quoted, on the custody log, exported as a TextQuoteSelector and a
PDF highlight, redacted word by word, carried through a bundle, and guarded by verify."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pymupdf
import pypdf
import pytest

from reviewer.core.bundles.case_json import BundleError
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents, queries
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.exchange import import_bundle
from reviewer.core.services.export import ExportOptions, export_bundle
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.reading import read_pages
from tests import filemaker
from tests.conftest import raw_db
from tests.core.test_merge_hostile import reseal

if TYPE_CHECKING:
    from reviewer.core.services.case import Case

LINES = [
    "Informant: Petrov Ivan Sergeevich",
    "Reference 12-05/1174 of 12.03.2019",
    "Ministry of Foreign Affairs",
]


@pytest.fixture
def note(case: Case, inbox: Path) -> int:
    """A born-digital two-page note whose words have been read."""
    path = filemaker.make_text_pdf(inbox / "note.pdf", pages=2, lines=LINES)
    [doc] = import_paths(case, [path]).imported
    read_pages(case)
    return doc.id


def _words(pdf: Path, page: int) -> list[str]:
    with pymupdf.open(str(pdf)) as doc:
        return [w[4] for w in doc[page].get_text("words")]


def test_words_of_a_page_make_an_annotation_with_a_quote(case: Case, note: int) -> None:
    record = documents.annotate_text(
        case, note, page=1, text="petrov ivan", note="the informant", tags=["name"]
    )
    assert record.quote is not None
    assert record.quote.exact == "Petrov Ivan"
    assert record.quote.prefix.endswith("Informant: ")
    assert record.quote.suffix.startswith(" Sergeevich Reference")
    assert len(record.boxes) == 2
    union = Rect(
        min(b.x0 for b in record.boxes),
        min(b.y0 for b in record.boxes),
        max(b.x1 for b in record.boxes),
        max(b.y1 for b in record.boxes),
    )
    assert (record.x0, record.y0, record.x1, record.y1) == (union.x0, union.y0, union.x1, union.y1)
    [stored] = queries.document_detail(case, note).annotations
    assert stored == record, "what was stored reads back the same"
    entry = queries.document_detail(case, note).custody[-1]
    assert entry.action == "annotation_added"
    assert entry.after["quote"]["exact"] == "Petrov Ivan"
    assert entry.after["words"] == [[b.x0, b.y0, b.x1, b.y1] for b in record.boxes]
    assert "Petrov" not in entry.summary, "a summary never quotes words (a redaction's must not show)"
    assert verify_case(case).ok


def test_words_not_on_the_page_or_found_twice_are_one_line_errors(case: Case, note: int) -> None:
    with pytest.raises(UsageError, match="does not have the words"):
        documents.annotate_text(case, note, page=1, text="Sidorov")
    with pytest.raises(UsageError, match="does not have the words"):
        documents.annotate_text(case, note, page=1, text="Petr")  # not part of a word
    with pytest.raises(UsageError, match="3 times; say which with --occurrence 1-3"):
        documents.annotate_text(case, note, page=1, text="of")
    with pytest.raises(UsageError, match="3 time"):
        documents.annotate_text(case, note, page=1, text="of", occurrence=4)
    second = documents.annotate_text(case, note, page=1, text="of", occurrence=2)
    assert second.quote is not None
    assert second.quote.prefix.endswith("Ministry ")
    with pytest.raises(UsageError, match="pages 1 to 2"):
        documents.annotate_text(case, note, page=3, text="of")


def test_a_text_annotation_stays_on_its_words(case: Case, note: int) -> None:
    record = documents.annotate_text(case, note, page=1, text="Petrov")
    with pytest.raises(UsageError, match="cannot be moved"):
        documents.update_annotation(case, record.id, rect=Rect(10, 10, 50, 50))
    changed = documents.update_annotation(case, record.id, note="informant", kind="redaction")
    assert changed.quote == record.quote
    assert changed.boxes == record.boxes
    with pytest.raises(UsageError, match="both the words"):
        documents.add_annotation(case, note, page=1, boxes=[Rect(10, 10, 50, 50)])


def test_cli_annotates_words(case: Case, note: int) -> None:
    root = str(case.layout.root)
    case.close()
    run = [sys.executable, "-m", "reviewer", "annotate", root, str(note), "--page", "1"]
    done = subprocess.run(
        [*run, "--text", "12-05/1174", "--json"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["quote"]["exact"] == "12-05/1174"
    for args, message in (
        (["--text", "Sidorov"], 'page 1 does not have the words "Sidorov"'),
        (["--text", "of"], "3 times; say which with --occurrence 1-3"),
        (["--rect", "1,1,9,9", "--occurrence", "2"], "--occurrence goes with --text"),
    ):
        failed = subprocess.run([*run, *args], capture_output=True, text=True, check=False)
        assert failed.returncode == 2, failed.stderr
        assert message in failed.stderr
        assert "Traceback" not in failed.stderr
        assert len(failed.stderr.strip().splitlines()) == 1


def test_export_carries_a_quote_selector_and_a_highlight_over_the_words(
    case: Case, note: str, tmp_path: Path
) -> None:
    record = documents.annotate_text(case, note, page=1, text="Petrov Ivan Sergeevich", note="informant")
    out = tmp_path / "bundle"
    export_bundle(case, out)
    collection = json.loads((out / "data" / "annotations.jsonld").read_text())
    [item] = collection["first"]["items"]
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == "Petrov Ivan Sergeevich"
    assert (
        " ".join(_words(case.layout.original(item["target"]["source"].removeprefix("urn:sha256:")), 0)[1:4])
        == (selectors["TextQuoteSelector"]["exact"])
    )
    assert selectors["FragmentSelector"]["value"].startswith("page=1&viewrect=")
    assert selectors["SvgSelector"]["value"].count("<rect ") == 3
    [annotated] = (out / "data" / "annotated").iterdir()
    reader = pypdf.PdfReader(annotated)
    page = reader.pages[1]  # after the cover
    [highlight] = [a.get_object() for a in page["/Annots"] if a.get_object()["/Subtype"] == "/Highlight"]
    quad = [float(v) for v in highlight["/QuadPoints"]]
    assert len(quad) == 8, "the three words are on one line: one quadrilateral"
    height = float(page.mediabox.height)
    xs, ys = quad[0::2], [height - y for y in quad[1::2]]  # PDF space has its origin at the bottom
    for box in record.boxes:
        assert min(xs) - 0.5 <= box.x0
        assert box.x1 <= max(xs) + 0.5
        assert min(ys) - 0.5 <= box.y0
        assert box.y1 <= max(ys) + 0.5
    assert min(xs) > record.x0 - 1, "no wider than the words"
    assert max(xs) < record.x1 + 1, "no wider than the words"
    assert "Petrov Ivan Sergeevich" in str(highlight["/Contents"])
    assert verify_case(case).ok


def test_a_text_redaction_removes_exactly_its_words(case: Case, note: str, tmp_path: Path) -> None:
    documents.annotate_text(case, note, page=1, text="Petrov", kind="redaction", note="protect the source")
    documents.annotate_text(case, note, page=1, text="Petrov Ivan", note="who signed")  # overlaps it
    original = case.layout.original(queries.document_detail(case, note).summary.sha256)
    before = _words(original, 0)
    out = tmp_path / "public"
    export_bundle(case, out, ExportOptions(redact=True))
    [copy] = [p for p in (out / "data").rglob("*.pdf") if "annotated" not in p.parts]  # its redacted copy
    after = _words(copy, 0)
    assert after == [w for w in before if w != "Petrov"], "only that word is gone, its neighbours stay"
    assert _words(copy, 1) == _words(original, 1)
    for name in ("case.json", "annotations.jsonld", "report.html"):
        text = (out / "data" / name).read_text()
        assert "Petrov" not in text, f"no quote gives the redacted word away ({name})"
    assert "Ivan" not in (out / "data" / "annotations.jsonld").read_text(), "no text around a quote"
    assert verify_case(case).ok


def test_the_quote_goes_through_a_bundle_into_another_case(case: Case, note: str, tmp_path: Path) -> None:
    record = documents.annotate_text(
        case, note, page=1, text="12-05/1174", note="the reference", tags=["ref"]
    )
    bundle = tmp_path / "bundle.zip"
    export_bundle(case, bundle, ExportOptions(zip=True))
    with create_case(tmp_path / "other", actor="partner") as other:
        report = import_bundle(other, bundle)
        assert report.annotations_added == 1
        assert report.conflicts == ()
        [theirs] = queries.document_detail(other, 1).annotations
        assert (theirs.id, theirs.quote, theirs.boxes) == (record.id, record.quote, record.boxes)
        assert (theirs.x0, theirs.y0, theirs.x1, theirs.y1) == (record.x0, record.y0, record.x1, record.y1)
        again = import_bundle(other, bundle)
        assert again.annotations_added == 0
        assert again.conflicts == ()
        assert verify_case(other).ok
    assert verify_case(case).ok


MALFORMED = [
    ({"quote": None}, "both its quote and its word boxes"),
    ({"boxes": []}, "both its quote and its word boxes"),
    ({"quote": {"exact": "  "}}, "the quote is empty"),
    ({"quote": {"exact": 5}}, "exact is a number"),
    ({"boxes": [{"x0": 0, "y0": 0, "x1": 1000, "y1": 5}]}, "outside the annotation's region"),
    ({"boxes": [{"x0": 9, "y0": 9, "x1": 1, "y1": 1}]}, "empty or its corners are swapped"),
    ({"boxes": [[1, 2, 3, 4]]}, "an object was expected"),
]


@pytest.mark.slow
def test_a_bundle_with_a_malformed_quote_is_refused_untouched(case: Case, note: str, tmp_path: Path) -> None:
    documents.annotate_text(case, note, page=1, text="Petrov")
    bundle = tmp_path / "bundle"
    export_bundle(case, bundle)
    with create_case(tmp_path / "other", actor="partner") as other:
        for number, (change, message) in enumerate(MALFORMED):
            bag = Path(shutil.copytree(bundle, tmp_path / f"edited{number}"))
            case_json = bag / "data" / "case.json"
            data = json.loads(case_json.read_text(encoding="utf-8"))
            data["documents"][0]["annotations"][0].update(change)
            case_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            reseal(bag)
            with pytest.raises(BundleError, match=message):
                import_bundle(other, bag)
        assert queries.list_documents(other) == []


def test_changing_a_quote_outside_reviewer_is_caught(case: Case, note: int) -> None:
    record = documents.annotate_text(case, note, page=1, text="Petrov Ivan")
    documents.add_annotation(case, note, page=2, rect=Rect(50, 50, 200, 100), note="a region")
    assert verify_case(case).ok
    root = case.layout.root
    case.close()
    with raw_db(root) as conn:
        conn.execute("UPDATE annotation SET quote = 'Sidorov Ivan' WHERE id = ?", (record.id,))
    with open_case(root, actor="tester") as reopened:
        report = verify_case(reopened)
    assert not report.ok
    assert any("quoted text was changed outside reviewer" in p.problem for p in report.problems), report


def test_a_quote_slipped_into_a_region_annotation_is_caught(case: Case, note: int) -> None:
    region = documents.add_annotation(case, note, page=1, rect=Rect(50, 50, 200, 100), note="a region")
    root = case.layout.root
    case.close()
    with raw_db(root) as conn:
        conn.execute("UPDATE annotation SET quote_prefix = 'x' WHERE id = ?", (region.id,))
    with open_case(root, actor="tester") as reopened:
        report = verify_case(reopened)
    assert any("quoted text was changed outside reviewer" in p.problem for p in report.problems), report
