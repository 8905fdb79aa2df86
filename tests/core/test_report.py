"""report.html for editors: a summary first, words instead of stored values, custody lines that say
what changed, a forensic section, a print stylesheet; and in a publication bundle, forensic values
withheld. One case of four documents is exported twice (evidence and --redact) for the module."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest

from reviewer.core.bundles.report_text import PDF_DATE, custody_text
from reviewer.core.domain import labels
from reviewer.core.domain.values import Rect, VerificationStatus
from reviewer.core.forensics.dates import parse_pdf_date
from reviewer.core.services import documents
from reviewer.core.services.case import create_case
from reviewer.core.services.export import ExportOptions, export_bundle
from reviewer.core.services.importing import ImportOptions, import_paths
from tests import filemaker, forensics_files

GPS = (53.90231, 27.56194)
RATIONALE = (
    "The reference number follows the ministry's 2019 format, but the stamp's ring text differs from "
    "the three notes we hold from the same department; asked the embassy to confirm the signatory."
)
WITHHELD = "[withheld for publication]"


@dataclass(frozen=True)
class Bundles:
    ids: dict[str, int]
    evidence: str  # report.html of the evidence bundle
    public: str  # report.html of the --redact bundle
    evidence_path: Path


class _Text(HTMLParser):
    """The text a reader sees (no style element), the summary table's rows, every href and id."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self._skip = False
        self._in_summary = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href") is not None:
            self.hrefs.append(str(found["href"]))
        if tag == "style":
            self._skip = True
        if tag == "table" and found.get("class") == "summary":
            self._in_summary = True
        if self._in_summary and tag == "tr":
            self.rows.append([])
        if self._in_summary and tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._skip = False
        if tag == "table":
            self._in_summary = False
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _read(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> Bundles:
    """A diplomatic note with a verdict, a photo with GPS, an edited photo, a PDF changed after saving."""
    root = tmp_path_factory.mktemp("report")
    inbox = root / "inbox"
    inbox.mkdir()
    note = filemaker.make_text_pdf(
        inbox / "note.pdf", pages=2, lines=["Informant: Petrov Ivan", "Ref 12-05/1174"]
    )
    photo = filemaker.make_jpeg_with_exif(inbox / "photo.jpg", gps=GPS)
    edited = forensics_files.make_photo_with_thumbnail(
        inbox / "edited.jpg", thumbnail_differs=True, software="Adobe Photoshop CS6 (Windows)"
    )
    changed = filemaker.make_incremental_pdf(inbox / "changed.pdf")
    with create_case(root / "case", title="Report case", actor="tester") as case:
        imported = import_paths(
            case, [note, photo, edited, changed], ImportOptions(source="a source", received_on="2019-04-01")
        ).imported
        ids = {Path(item.path).name: item.id for item in imported}
        first = ids["note.pdf"]
        documents.set_metadata(
            case,
            first,
            {"type": "diplomatic note", "document_date": "2019-03-13", "reference_number": "12-05/1174"},
        )
        documents.set_status(case, first, VerificationStatus.DISPUTED, "the stamp looks wrong")
        documents.set_status(case, first, VerificationStatus.IN_REVIEW, RATIONALE)
        documents.set_check(case, first, "stamp", "inconsistent", "ring text differs")
        documents.set_check(case, first, "outside_confirmation", "not_applicable")
        documents.add_annotation(
            case, first, page=1, rect=Rect(60, 60, 300, 120), kind="redaction", note="name"
        )
        documents.add_annotation(case, first, page=1, rect=Rect(60, 160, 300, 220), note="the reference")
        documents.set_status(case, ids["edited.jpg"], "disputed", "retouched; see the thumbnail")
        export_bundle(case, root / "evidence")
        export_bundle(case, root / "public", ExportOptions(redact=True))
    report = root / "evidence" / "data" / "report.html"
    return Bundles(
        ids,
        report.read_text(encoding="utf-8"),
        (root / "public" / "data" / "report.html").read_text(encoding="utf-8"),
        report,
    )


def _section(page: str, document_id: int) -> str:
    start = page.index(f'id="doc-{document_id}"')
    end = page.find('<section class="document"', start)
    return page[start : end if end != -1 else len(page)]


def test_the_summary_lists_every_document_with_human_labels(bundles: Bundles) -> None:
    for page in (bundles.evidence, bundles.public):
        read = _read(page)
        rows = read.rows[1:] if read.rows and not read.rows[0] else read.rows  # the header row has th only
        assert sorted(int(r[0]) for r in rows) == sorted(bundles.ids.values())
        assert page.index('id="summary"') < page.index('class="document"'), "the summary comes first"
        for document_id in bundles.ids.values():
            assert f"#doc-{document_id}" in read.hrefs
            assert f"doc-{document_id}" in read.ids, "each row links to its document's section"
        note = next(r for r in rows if int(r[0]) == bundles.ids["note.pdf"])
        _number, _title, kind, date, reference, status, rationale, redactions = note
        assert (kind, date, reference, status, redactions) == (
            "Diplomatic note",
            "13 March 2019",
            "12-05/1174",
            "In review",
            "1",
        )
        assert rationale.endswith("…")
        assert RATIONALE.startswith(rationale[:-1].rstrip())
        assert len(rationale) < len(RATIONALE)
        assert RATIONALE in "".join(read.text), "the whole rationale is in the document's section"
        assert "documents: unverified 2, in review 1, disputed 1" in page


def test_no_stored_value_or_raw_date_reaches_the_reader(bundles: Bundles) -> None:
    for page in (bundles.evidence, bundles.public):
        text = "".join(_read(page).text)
        for raw in ("diplomatic_note", "in_review", "not_applicable", "outside_confirmation", "unchecked"):
            assert raw not in text, raw
        assert not PDF_DATE.search(text), PDF_DATE.search(text)
        assert not re.search(r"\d{4}:\d{2}:\d{2} \d{2}:\d{2}", text), "EXIF dates are written out"
        assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}", text), "times are written out"
    evidence = "".join(_read(bundles.evidence).text)
    assert "12 March 2019, 10:15 (+03:00)" in evidence  # the note's PDF creation date
    assert "Not applicable" in evidence
    assert "Confirmed by an outside source" in evidence
    assert "received 1 April 2019" in evidence


def test_custody_lines_say_what_changed(bundles: Bundles) -> None:
    for page in (bundles.evidence, bundles.public):
        note = _section(page, bundles.ids["note.pdf"])
        text = "".join(_read(note).text)
        assert "Status: Unverified → Disputed" in text
        assert "Status: Disputed → In review" in text
        assert 'rationale: "the stamp looks wrong" → "The reference number' in text
        assert 'Type changed: (empty) → "Diplomatic note"' in text
        assert 'Document date changed: (empty) → "13 March 2019"' in text
        assert "Checklist, Stamp or seal: Not checked → Inconsistent" in text
        assert "Checklist, Confirmed by an outside source: Not checked → Not applicable" in text
        assert 'note: "the reference"' in text, "what an annotation said, which its summary does not"
        assert re.search(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC", text)
    public_note = "".join(_read(_section(bundles.public, bundles.ids["note.pdf"])).text)
    assert 'note: "name"' not in public_note, "a redaction's note is withheld in its custody line too"
    assert f'note: "{WITHHELD}"' in public_note


def test_the_forensic_section_lists_warnings_and_notices(bundles: Bundles) -> None:
    edited = _section(bundles.evidence, bundles.ids["edited.jpg"])
    assert "<h3>Forensic signals</h3>" in edited
    assert 'class="sev sev-warning">Warning<' in edited
    assert "embedded thumbnail shows a different picture" in edited
    assert "Adobe Photoshop CS6" in edited
    changed = _section(bundles.evidence, bundles.ids["changed.pdf"])
    assert 'class="sev sev-notice">Notice<' in changed
    assert "1 incremental update" in changed
    photo = _section(bundles.evidence, bundles.ids["photo.jpg"])
    assert "No warnings or notices" in photo
    assert f"{GPS[0]:.5f}" in photo, "the evidence bundle shows what the file says"


def test_a_publication_report_withholds_what_the_files_said(bundles: Bundles) -> None:
    page = bundles.public
    for value in (f"{GPS[0]:.5f}", f"{GPS[0]:.4f}", f"{GPS[1]:.5f}", "Adobe Photoshop", "EOS 80D", "Canon"):
        assert value not in page, value
    edited = _section(page, bundles.ids["edited.jpg"])
    assert 'class="sev sev-warning">Warning<' in edited, "the warning itself is published"
    assert "Thumbnail differs" in edited
    assert WITHHELD in edited
    photo = _section(page, bundles.ids["photo.jpg"])
    assert "GPS position" in photo, "named, not shown"


def test_the_page_keeps_its_csp_and_runs_nothing(bundles: Bundles) -> None:
    for page in (bundles.evidence, bundles.public):
        assert "Content-Security-Policy" in page
        assert "default-src 'none'" in page
        assert "<script" not in page.lower()
        assert not re.search(r"\bon[a-z]+\s*=", page.split("</style>", 1)[1]), "no event handlers"
        read = _read(page)
        assert read.hrefs
        assert all(h.startswith("#") and h[1:] in read.ids for h in read.hrefs), "only in-page anchors"
        assert all(src.startswith("data:") for src in re.findall(r'src="([^"]*)"', page))
        assert "@media print" in page
        assert "break-before:page" in page


def test_labels_are_shared_with_the_window() -> None:
    from reviewer.ui.status_style import STATUS_COLOURS, STATUS_LABELS

    assert labels.STATUS_LABELS == STATUS_LABELS
    assert {s: c.name() for s, c in STATUS_COLOURS.items()} == labels.STATUS_COLOURS
    assert labels.status_label("in_review") == "In review"
    assert labels.document_type_label("diplomatic_note") == "Diplomatic note"
    assert labels.check_state_label("not_applicable") == "Not applicable"
    assert labels.field_label("reference_number") == "Reference number"
    assert labels.field_label("vessel") == "Vessel"
    assert labels.status_label("archived") == "Archived", "an unknown value is still readable"


def test_dates_as_a_person_writes_them() -> None:
    moment = parse_pdf_date("D:20190313104218+03'00'")
    assert moment is not None
    assert labels.format_moment(moment) == "13 March 2019, 10:42 (+03:00)"
    assert labels.format_utc("2026-12-07T03:42:10.123456Z") == "7 Dec 2026, 03:42 UTC"
    assert labels.format_utc("not a time") == "not a time"
    assert labels.format_partial_date("2019-03") == "March 2019"
    assert labels.format_partial_date("2019") == "2019"
    assert labels.format_partial_date("2019-02-30") == "2019-02-30", "an impossible day is shown as typed"


def test_a_custody_line_from_an_unknown_entry_keeps_its_summary() -> None:
    assert custody_text("something_new", "did a thing", None, {"x": 1}) == "did a thing"
    text = custody_text("provenance_changed", "provenance changed", {"source": "A"}, {"source": "B"})
    assert text == 'provenance changed\nsource: "A" → "B"'


@pytest.mark.slow
def test_the_report_prints_one_page_per_document_with_the_summary_first(
    bundles: Bundles, tmp_path: Path
) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            bundles.evidence_path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = pypdf.PdfReader(pdf)
    # as a reader would copy it: ligatures (fi) as letters, lines wrapped in table cells joined
    pages = [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split()) for page in reader.pages]
    assert len(pages) >= 1 + len(bundles.ids), "the summary, then each document on its own page"
    first = pages[0]
    for words in ("Summary", "Diplomatic note", "13 March 2019", "12-05/1174", "In review", "Rationale"):
        assert words in first, words
    starts = []
    for name, document_id in sorted(bundles.ids.items(), key=lambda item: item[1]):
        heading = f"{document_id}. {name}"
        starts.append(next(i for i, text in enumerate(pages) if i > 0 and heading in text))
    assert len(set(starts)) == len(starts), "each document starts a page of its own"
