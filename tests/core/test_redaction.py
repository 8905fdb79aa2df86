"""Redacted copies: what lies under a redaction is gone from the file, not covered, and the original
is untouched. Checked on real files with MuPDF, pypdf (an independent parser) and Tesseract OCR."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pymupdf
import pypdf
import pytest
from PIL import Image

from reviewer.core.bundles.redact import (
    RedactionError,
    RedactionRegion,
    redact_document,
    strip_jpeg_metadata,
    strip_marked_content_properties,
)
from tests import filemaker

SECRET_LINE = "Informant: Petrov Ivan"
NEIGHBOUR_LINE = "Reference 12-05/1174"
OCR_SECRET = "SECRET SOURCE NAME"
OCR_KEPT = "KEEP THIS LINE"
INSTALL_TESSERACT = (
    "Tesseract OCR is needed for the redaction tests: "
    "apt-get install -y tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus"
)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _region(page: int, rect: pymupdf.Rect, pad: float = 0.0) -> RedactionRegion:
    return RedactionRegion(page, rect.x0 - pad, rect.y0 - pad, rect.x1 + pad, rect.y1 + pad)


def _find(path: Path, text: str, page: int = 1) -> pymupdf.Rect:
    with pymupdf.open(path) as doc:
        hits: list[pymupdf.Rect] = doc[page - 1].search_for(text)
    assert hits, f"{text!r} is not on page {page} of the test file"
    return hits[0]


def _all_streams(path: Path) -> list[bytes]:
    """Every stream of the file, decompressed, and every object's own text."""
    with pymupdf.open(path) as doc:
        found = [doc.xref_object(xref).encode() for xref in range(1, doc.xref_length())]
        found += [
            doc.xref_stream(xref) or b"" for xref in range(1, doc.xref_length()) if doc.xref_is_stream(xref)
        ]
    return found


def _rawdict_text(page: pymupdf.Page) -> str:
    raw = page.get_text("rawdict")
    return "".join(
        char["c"]
        for block in raw["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        for char in span["chars"]
    )


def _grey(page: pymupdf.Page, dpi: int) -> Image.Image:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    return Image.frombytes("L", (pix.width, pix.height), pix.samples)


def _shown_box(
    page: pymupdf.Page, region: RedactionRegion, dpi: int, inset: int = 2
) -> tuple[int, int, int, int]:
    """The region (unrotated page coordinates) as pixels of the page rendered upright, inset a little."""
    shown = pymupdf.Rect(region.x0, region.y0, region.x1, region.y1) * page.rotation_matrix
    zoom = dpi / 72
    return (
        round(shown.x0 * zoom) + inset,
        round(shown.y0 * zoom) + inset,
        round(shown.x1 * zoom) - inset,
        round(shown.y1 * zoom) - inset,
    )


def _extrema(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int]:
    """Darkest and lightest grey level inside ``box`` of a greyscale image."""
    low, high = image.crop(box).getextrema()
    assert not isinstance(low, tuple)
    assert not isinstance(high, tuple)
    return int(low), int(high)


def _assert_black(path: Path, region: RedactionRegion, dpi: int = 72) -> None:
    with pymupdf.open(path) as doc:
        page = doc[region.page - 1]
        lo, hi = _extrema(_grey(page, dpi), _shown_box(page, region, dpi))
    assert hi <= 10, f"the redacted area on page {region.page} is not black (grey levels {lo}–{hi})"


def _ocr_words(path: Path, tessdata: str, page: int = 1) -> set[str]:
    with pymupdf.open(path) as doc:
        target = doc[page - 1]
        textpage = target.get_textpage_ocr(language="eng", dpi=300, full=True, tessdata=tessdata)
        return {word[4].strip(".,:;").upper() for word in target.get_text("words", textpage=textpage)}


def _single_revision(path: Path) -> None:
    data = path.read_bytes()
    assert data.count(b"%%EOF") == 1, "the copy has more than one revision"
    assert b"/Prev" not in data
    with pymupdf.open(path) as doc:
        assert doc.version_count == 1
        assert not doc.is_encrypted


@pytest.fixture(scope="module")
def tesseract() -> str:
    """Where Tesseract's language data is; fails (never skips) when Tesseract is missing."""
    try:
        tessdata = pymupdf.get_tessdata()
    except (RuntimeError, ValueError, OSError):
        pytest.fail(INSTALL_TESSERACT)
    if not tessdata or not (Path(tessdata) / "eng.traineddata").is_file():
        pytest.fail(INSTALL_TESSERACT)
    return str(tessdata)


# --------------------------------------------------------------------------
# 1. born-digital text
# --------------------------------------------------------------------------


def test_a_redacted_word_is_gone_from_every_text_layer_and_stream(tmp_path: Path) -> None:
    original = filemaker.make_text_pdf(
        tmp_path / "note.pdf",
        lines=[SECRET_LINE, NEIGHBOUR_LINE],
        title="Petrov dossier",
        author="Agent Petrov",
        producer="Petrov Writer 1.0",
        xmp=filemaker.build_xmp(title="Petrov dossier", creator="Petrov"),
    )
    before = _sha256(original)
    word = _find(original, "Petrov")
    region = _region(1, word, pad=1.5)
    out = tmp_path / "bundle" / "note-redacted.pdf"

    summary = redact_document(original, out, [region])

    assert _sha256(original) == before, "the original was changed"
    assert summary.pages == {1: 1}
    expected = (word.width + 3) * (word.height + 3) / (595 * 842)
    assert summary.area_fraction[1] == pytest.approx(expected, rel=0.01)
    assert summary.output_media_type == "application/pdf"
    assert all("Petrov" not in note for note in summary.notes)

    with pymupdf.open(out) as doc:
        page = doc[0]
        text = page.get_text("text")
        assert "Petrov" not in text
        assert "Petrov" not in _rawdict_text(page)
        for neighbour in ("Informant", "Ivan", "Reference", "12-05/1174"):
            assert neighbour in text
        assert not any(doc.metadata.get(key) for key in ("title", "author", "producer", "creator"))
        assert doc.get_xml_metadata() == ""
    pages = pypdf.PdfReader(out).pages
    assert all("Petrov" not in page.extract_text() for page in pages)
    assert "Reference" in pages[0].extract_text()
    for stream in _all_streams(out):
        assert b"Petrov" not in stream
    assert b"Petrov" not in out.read_bytes()
    _single_revision(out)
    _assert_black(out, region)


def test_an_incremental_original_becomes_one_revision(tmp_path: Path) -> None:
    original = filemaker.make_incremental_pdf(tmp_path / "updated.pdf")
    assert original.read_bytes().count(b"%%EOF") == 2
    out = tmp_path / "copy.pdf"
    addendum = _find(original, "Addendum")

    redact_document(original, out, [_region(1, addendum, pad=1)])

    _single_revision(out)
    with pymupdf.open(out) as doc:
        assert "Addendum" not in doc[0].get_text()
        assert doc.page_count == 2
    assert b"draft" not in out.read_bytes()


def test_annotations_links_attachments_scripts_and_bookmarks_do_not_survive(tmp_path: Path) -> None:
    source = filemaker.make_text_pdf(tmp_path / "base.pdf", pages=2, lines=[SECRET_LINE, NEIGHBOUR_LINE])
    with pymupdf.open(source) as doc:
        page = doc[0]
        note = page.add_text_annot((300, 300), "Petrov is the source")
        note.set_info(title="Reporter Petrova")
        note.update()
        shown = page.add_freetext_annot(pymupdf.Rect(300, 400, 520, 430), "Call Petrov", fontsize=11)
        shown.update()
        field = pymupdf.Widget()
        field.field_name = "source"
        field.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT  # type: ignore[attr-defined]
        field.field_value = "Petrov"
        field.rect = pymupdf.Rect(300, 500, 520, 520)
        page.add_widget(field)
        page.insert_link(
            {
                "kind": pymupdf.LINK_URI,
                "from": pymupdf.Rect(64, 63, 120, 78),
                "uri": "mailto:petrov@example.org",
            }
        )
        doc.embfile_add("notes.txt", b"Petrov met us on Friday")
        doc.set_toc([[1, "Petrov interview", 2]])
        doc.xref_set_key(doc.pdf_catalog(), "OpenAction", "<</S/JavaScript/JS(app.alert('Petrov'))>>")
        original = tmp_path / "annotated.pdf"
        doc.save(original)
    regions = [
        _region(1, _find(original, "Petrov"), pad=1.5),
        RedactionRegion(1, 295, 395, 525, 435),  # the free-text annotation, as shown
        RedactionRegion(1, 295, 495, 525, 525),  # the form field
    ]
    out = tmp_path / "copy.pdf"

    summary = redact_document(original, out, regions)

    notes = " ".join(summary.notes)
    for removed in ("flattened", "link", "attached file", "bookmarks", "scripts"):
        assert removed in notes
    assert b"petrov" not in out.read_bytes().lower()
    for stream in _all_streams(out):
        assert b"petrov" not in stream.lower()
    with pymupdf.open(out) as doc:
        assert doc.embfile_count() == 0
        assert doc.get_toc() == []
        for page in doc:
            assert page.first_annot is None
            assert page.first_widget is None
            assert page.get_links() == []
        assert "Petrov" not in doc[0].get_text()
    _assert_black(out, regions[1])


def test_replacement_text_of_marked_content_does_not_survive(tmp_path: Path) -> None:
    """``/ActualText`` repeats what text says for search and copy; it must go with the text."""
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=200)
    page.insert_text((20, 50), "Hello World", fontname="helv", fontsize=12)
    contents = page.get_contents()[0]
    doc.update_stream(
        contents,
        b"/Span <</ActualText (Petrov World) /Alt (Petrov)>> BDC\n" + doc.xref_stream(contents) + b"\nEMC\n",
    )
    original = tmp_path / "actualtext.pdf"
    doc.save(original)
    doc.close()
    with pymupdf.open(original) as check:
        assert "Petrov" in check[0].get_text()  # MuPDF reads the replacement text

    out = tmp_path / "copy.pdf"
    redact_document(original, out, [RedactionRegion(1, 15, 35, 50, 55)])

    for stream in _all_streams(out):
        assert b"Petrov" not in stream
    with pymupdf.open(out) as copy:
        assert copy[0].get_text().strip() == "World"


def test_an_encrypted_original_needs_its_password_and_the_copy_is_not_encrypted(tmp_path: Path) -> None:
    original = filemaker.make_encrypted_pdf(tmp_path / "locked.pdf", user_password="pw", owner_password="own")
    before = _sha256(original)
    out = tmp_path / "copy.pdf"
    with pytest.raises(RedactionError, match="password"):
        redact_document(original, out, [])
    with pytest.raises(RedactionError, match="password given does not open"):
        redact_document(original, out, [], password="wrong")
    assert not out.exists()

    redact_document(original, out, [RedactionRegion(1, 60, 60, 200, 80)], password="pw")

    assert _sha256(original) == before
    assert b"/Encrypt" not in out.read_bytes()
    with pymupdf.open(out) as doc:
        assert not doc.needs_pass
        assert "Encrypted content" not in doc[0].get_text()
        assert "Ref." in doc[0].get_text()


# --------------------------------------------------------------------------
# 2. image-only scan, checked by OCR and by the pixels themselves
# --------------------------------------------------------------------------


def test_a_redacted_line_of_a_scan_cannot_be_read_back(tmp_path: Path, tesseract: str) -> None:
    lines = [OCR_SECRET, OCR_KEPT]
    original = filemaker.make_scanned_pdf(tmp_path / "scan.pdf", lines=lines, dpi=200)
    # the scan is the text page rendered at 200 dpi: the born-digital twin gives the layout
    twin = filemaker.make_text_pdf(tmp_path / "twin.pdf", lines=lines)
    secret, kept = _find(twin, OCR_SECRET), _find(twin, OCR_KEPT)
    region = RedactionRegion(1, secret.x0 - 4, secret.y0 - 2, secret.x1 + 4, (secret.y1 + kept.y0) / 2)
    assert region.y1 < kept.y0 + 3  # the kept line's glyphs start below its box top
    words_before = _ocr_words(original, tesseract)
    assert {"SECRET", "SOURCE", "NAME", "KEEP", "LINE"} <= words_before
    out = tmp_path / "scan-redacted.pdf"

    redact_document(original, out, [region])

    words_after = _ocr_words(out, tesseract)
    assert not {"SECRET", "SOURCE", "NAME"} & words_after
    assert {"KEEP", "THIS", "LINE"} <= words_after
    _assert_black(out, region, dpi=150)

    # the image itself: white where the line was, the kept line still inked
    with pymupdf.open(original) as doc:
        (before_xref, *_), *_ = doc[0].get_images()
        before = pymupdf.Pixmap(doc, before_xref)
        before_image = Image.frombytes("L", (before.width, before.height), before.samples)
    with pymupdf.open(out) as doc:
        images = doc[0].get_images()
        assert len(images) == 1
        after = pymupdf.Pixmap(doc, images[0][0])
        assert (after.width, after.height) == (before.width, before.height)
        after_image = Image.frombytes("L", (after.width, after.height), after.samples)
        info = doc[0].get_image_info()[0]
    scale_x, scale_y = after.width / 595, after.height / 842
    assert pymupdf.Rect(info["bbox"]).contains(pymupdf.Rect(0, 1, 595, 841))  # the page-filling image
    box = (
        round((region.x0 + 2) * scale_x),
        round((region.y0 + 2) * scale_y),
        round((region.x1 - 2) * scale_x),
        round((region.y1 - 2) * scale_y),
    )
    assert _extrema(before_image, box)[0] < 60, "the test line should be inked in the original"
    assert _extrema(after_image, box) == (255, 255), "the original pixels are still in the image"
    kept_box = (
        round(kept.x0 * scale_x),
        round((kept.y0 + 3) * scale_y),
        round(kept.x1 * scale_x),
        round(kept.y1 * scale_y),
    )
    assert _extrema(after_image, kept_box)[0] < 60
    assert b"DCTDecode" not in b"".join(_all_streams(out))  # the redacted image was re-encoded losslessly


# --------------------------------------------------------------------------
# 3. rotated pages and images
# --------------------------------------------------------------------------


@pytest.mark.parametrize("rotation", [90, 270])
def test_regions_on_a_rotated_page_are_unrotated_coordinates(tmp_path: Path, rotation: int) -> None:
    original = filemaker.make_rotated_pdf(tmp_path / "rotated.pdf", rotation=rotation)
    with pymupdf.open(original) as doc:
        shown = doc[0].rect
        assert doc[0].rotation == rotation
    with pymupdf.open(original) as doc:
        hits_before = doc[0].search_for("12-05/1174")  # unrotated coordinates, like the regions
    region = _region(1, hits_before[0], pad=1)  # the reference line "№ 12-05/1174", alone on its line
    area = pymupdf.Rect(region.x0, region.y0, region.x1, region.y1)
    out = tmp_path / "rotated-redacted.pdf"

    redact_document(original, out, [region])

    with pymupdf.open(out) as doc:
        assert doc.page_count == 1
        page = doc[0]
        assert page.rotation == rotation
        assert page.rect == shown
        hits_after = page.search_for("12-05/1174")
        assert len(hits_after) == len(hits_before) - 1
        assert not any(hit.intersects(area) for hit in hits_after)
        # beside the box (blank paper on that line) nothing was blackened
        beside = RedactionRegion(1, region.x1 + 40, region.y0, region.x1 + 80, region.y1)
        assert _extrema(_grey(page, 100), _shown_box(page, beside, 100))[0] > 200
    _assert_black(out, region, dpi=100)


def test_a_png_becomes_a_pdf_page_of_the_same_size_with_the_area_black(tmp_path: Path) -> None:
    original = filemaker.make_png(tmp_path / "screenshot.png", width=800, height=1000)
    before = _sha256(original)
    with pymupdf.open(original) as doc:
        size = doc[0].rect
        reference = _grey(doc[0], 72)
    region = RedactionRegion(1, 20, 60, 400, 140)
    out = tmp_path / "screenshot.pdf"

    summary = redact_document(original, out, [region])

    assert _sha256(original) == before
    assert summary.output_media_type == "application/pdf"
    assert any("converted to a PDF" in note for note in summary.notes)
    with pymupdf.open(out) as doc:
        assert doc.is_pdf
        assert doc.page_count == 1
        assert doc[0].rect == size
        after = _grey(doc[0], 72)
    _assert_black(out, region)
    # outside the area the picture is unchanged
    below = (0, 200, int(size.width), int(size.height))
    assert after.crop(below).tobytes() == reference.crop(below).tobytes()


def test_the_second_page_of_a_tiff_is_redacted_there(tmp_path: Path) -> None:
    original = filemaker.make_tiff(tmp_path / "fax.tif", pages=2)
    region = RedactionRegion(2, 60, 60, 300, 100)
    out = tmp_path / "fax.pdf"

    summary = redact_document(original, out, [region])

    assert summary.pages == {2: 1}
    with pymupdf.open(out) as doc:
        assert doc.page_count == 2
    _assert_black(out, region)


def test_a_photo_keeps_its_pixels_but_loses_exif_and_location(tmp_path: Path) -> None:
    original = filemaker.make_jpeg_with_exif(
        tmp_path / "photo.jpg", make="Canon", model="EOS 80D", gps=(55.75, 37.61), width=600, height=800
    )
    out = tmp_path / "photo.pdf"

    summary = redact_document(original, out, [])

    assert any("JPEG" in note for note in summary.notes)
    data = out.read_bytes()
    for trace in (b"Exif", b"Canon", b"EOS 80D", b"JFIF"):
        assert trace not in data
    with pymupdf.open(original) as doc:
        before = doc[0].get_pixmap()
    with pymupdf.open(out) as doc:
        after = doc[0].get_pixmap()
        assert all("DCTDecode" in doc.xref_object(image[0]) for image in doc[0].get_images())
    assert after.samples == before.samples  # losslessly: the JPEG data itself is untouched


# --------------------------------------------------------------------------
# 4. vector drawings
# --------------------------------------------------------------------------


def test_vector_drawings_touching_an_area_are_deleted_whole(tmp_path: Path) -> None:
    """PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED: a path the area touches goes entirely, also its parts
    outside the area (a path cannot be cut); paths elsewhere stay."""
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=400)
    page.draw_rect((100, 100, 300, 200), color=None, fill=(0.2, 0.4, 0.8))  # partly under the area
    page.draw_line((50, 150), (350, 150), color=(1, 0, 0), width=2)  # crosses the area
    page.draw_rect((20, 300, 80, 360), color=(0, 0.5, 0), fill=(0, 0.8, 0))  # elsewhere
    page.draw_circle((250, 300), 20, color=(0, 0, 0))  # elsewhere
    original = tmp_path / "drawing.pdf"
    doc.save(original)
    doc.close()
    area = pymupdf.Rect(150, 120, 200, 180)
    out = tmp_path / "drawing-redacted.pdf"

    summary = redact_document(original, out, [RedactionRegion(1, area.x0, area.y0, area.x1, area.y1)])

    assert any("2 vector drawings" in note for note in summary.notes)
    with pymupdf.open(out) as copy:
        drawings = copy[0].get_drawings()
    boxes = [d for d in drawings if d["fill"] == (0.0, 0.0, 0.0) and d["rect"] == area]
    assert len(boxes) == 1, "the black box"
    others = [d for d in drawings if d not in boxes]
    assert not any(d["rect"].intersects(area) for d in others)
    assert {(round(d["rect"].x0), round(d["rect"].y0)) for d in others} == {(20, 300), (230, 280)}


# --------------------------------------------------------------------------
# 5. refusals, and a copy with nothing to redact
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "message"),
    [
        (RedactionRegion(2, 10, 10, 50, 50), r"redaction 1 is on page 2, but the document has 1 page"),
        (RedactionRegion(0, 10, 10, 50, 50), r"on page 0"),
        (RedactionRegion(1, 500, 10, 700, 50), r"reaches outside page 1.*595\.0 × 842\.0 pt"),
        (RedactionRegion(1, 10, 800, 50, 900), r"reaches outside page 1"),
        (RedactionRegion(1, -20, 10, 50, 50), r"reaches outside page 1"),
        (RedactionRegion(1, 50, 10, 50, 50), r"is empty"),
        (RedactionRegion(1, 10, float("nan"), 50, 50), r"not a number|no number"),
    ],
)
def test_a_region_off_the_page_is_refused_plainly(
    tmp_path: Path, region: RedactionRegion, message: str
) -> None:
    original = filemaker.make_text_pdf(tmp_path / "note.pdf", lines=[SECRET_LINE])
    out = tmp_path / "copy.pdf"
    with pytest.raises(RedactionError, match=message) as caught:
        redact_document(original, out, [region])
    assert isinstance(caught.value, ValueError)
    assert "\n" not in str(caught.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [original]


def test_rotated_coordinates_given_by_mistake_are_refused(tmp_path: Path) -> None:
    original = filemaker.make_rotated_pdf(tmp_path / "rotated.pdf", rotation=90)
    # 700 pt across fits the page as shown (842 wide) but not the unrotated page (595 wide)
    with pytest.raises(RedactionError, match="turned by 90°: give unrotated coordinates"):
        redact_document(original, tmp_path / "copy.pdf", [RedactionRegion(1, 600, 20, 700, 60)])


def test_the_original_is_never_the_output(tmp_path: Path) -> None:
    original = filemaker.make_text_pdf(tmp_path / "note.pdf", lines=[SECRET_LINE])
    before = _sha256(original)
    with pytest.raises(RedactionError, match="never over the original"):
        redact_document(original, original, [])
    assert _sha256(original) == before


def test_without_regions_the_copy_is_still_scrubbed(tmp_path: Path) -> None:
    original = filemaker.make_text_pdf(
        tmp_path / "note.pdf",
        lines=[SECRET_LINE, NEIGHBOUR_LINE],
        producer="Leaky Producer",
        creator="Leaky Creator",
        xmp=filemaker.build_xmp(),
    )
    out = tmp_path / "copy.pdf"

    summary = redact_document(original, out, [])

    assert summary.pages == {}
    assert summary.area_fraction == {}
    assert any("metadata" in note for note in summary.notes)
    with pymupdf.open(original) as doc:
        text = doc[0].get_text()
        original_id = doc.xref_get_key(-1, "ID")[1]
    data = out.read_bytes()
    for trace in (b"Leaky", b"Synthetic Author", b"xmpmeta", b"/Info"):
        assert trace not in data
    with pymupdf.open(out) as doc:
        assert doc[0].get_text() == text
        assert doc.xref_get_key(-1, "ID")[1] != original_id  # not traceable to the original by its /ID
    _single_revision(out)


def test_the_area_fraction_counts_overlaps_once(tmp_path: Path) -> None:
    original = filemaker.make_text_pdf(tmp_path / "note.pdf", lines=[SECRET_LINE])
    regions = [
        RedactionRegion(1, 0, 0, 100, 100),
        RedactionRegion(1, 50, 50, 150, 150),  # overlaps the first by 50 × 50
        RedactionRegion(1, 0, 0, 595, 842.5),  # a hair beyond the edge: clipped, not refused
    ]
    summary = redact_document(original, tmp_path / "a.pdf", regions[:2])
    assert summary.pages == {1: 2}
    assert summary.area_fraction[1] == pytest.approx((2 * 100 * 100 - 50 * 50) / (595 * 842), abs=1e-6)
    summary = redact_document(original, tmp_path / "b.pdf", regions)
    assert summary.area_fraction[1] == 1.0
    with pymupdf.open(tmp_path / "b.pdf") as doc:
        assert doc[0].get_text().strip() == ""


# --------------------------------------------------------------------------
# the byte-level scrubbers
# --------------------------------------------------------------------------


def test_marked_content_loses_its_property_lists_but_layers_keep_theirs() -> None:
    content = (
        b"/Span <</ActualText (Petrov \\) BDC) /Alt <50657472> /Nested <</E (x)>> >> BDC\n"
        b"BT /F1 12 Tf (BDC inside a string) Tj ET EMC\n"
        b"/P /MC0 BDC EMC % a comment with BDC\n"
        b"/Figure [(array)] DP\n"
        b"/OC /oc1 BDC 0 0 10 10 re f EMC\n"
        b"BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI\n"
        b"/Artifact <</Type /Pagination>> BDC EMC"
    )
    cleaned = strip_marked_content_properties(content)
    assert b"Petrov" not in cleaned
    assert b"<50657472>" not in cleaned
    assert b"/Span BMC" in cleaned
    assert b"/P BMC" in cleaned
    assert b"/Figure MP" in cleaned
    assert b"/OC /oc1 BDC" in cleaned
    assert b"(BDC inside a string) Tj" in cleaned
    assert b"ID \x00\xff EI" in cleaned
    assert b"/Artifact BMC" in cleaned
    assert strip_marked_content_properties(b"q 1 0 0 1 0 0 cm Q") == b"q 1 0 0 1 0 0 cm Q"


def test_marked_content_it_cannot_follow_is_refused_not_guessed() -> None:
    with pytest.raises(RedactionError, match="could not be checked for hidden replacement text"):
        strip_marked_content_properties(b"/Span <</ActualText (unterminated BDC")


def test_jpeg_metadata_goes_and_the_pixels_stay() -> None:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "EOS 80D"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif.tobytes(), comment=b"Petrov took this")
    data = buffer.getvalue()
    assert b"Canon" in data
    assert b"Petrov" in data

    cleaned = strip_jpeg_metadata(data)

    assert b"Canon" not in cleaned
    assert b"Petrov" not in cleaned
    assert b"JFIF" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as stripped, Image.open(io.BytesIO(data)) as kept:
        assert stripped.tobytes() == kept.tobytes()
        assert not stripped.getexif()
    assert strip_jpeg_metadata(b"not a jpeg") == b"not a jpeg"
    assert re.fullmatch(rb"\xff\xd8.*\xff\xd9", cleaned, re.DOTALL)


def test_what_follows_a_jpeg_image_goes_too() -> None:
    """A phone appends pictures or a depth map after the image's end; anything can hide there."""
    image = Image.new("RGB", (64, 48), (30, 200, 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, progressive=True)
    data = buffer.getvalue() + b"\xff\xd8 appended by Petrov's phone \xff\xd9"

    cleaned = strip_jpeg_metadata(data)

    assert b"Petrov" not in cleaned
    assert cleaned.endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(cleaned)) as stripped, Image.open(io.BytesIO(data)) as kept:
        assert stripped.tobytes() == kept.tobytes()
    cut = buffer.getvalue()[:-200]  # cut short: what is there is kept
    assert strip_jpeg_metadata(cut).endswith(cut[-100:])
