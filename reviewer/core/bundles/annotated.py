"""The annotated copy of a document: a cover page, then its pages carrying every annotation as a real
PDF annotation (a rectangle with a popup note, or for a text annotation a highlight whose QuadPoints
cover its words), readable in any PDF reader."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import pymupdf

from reviewer.core.bundles.webannotation import WITHHELD
from reviewer.core.domain.quotes import line_boxes
from reviewer.core.domain.values import AnnotationKind

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

    from reviewer.core.domain.records import AnnotationRecord

NOTE_BLUE = (0.10, 0.45, 0.91)
REDACTION_BLACK = (0.0, 0.0, 0.0)
HIGHLIGHT_YELLOW = (1.0, 0.84, 0.0)
REDACTION_GREY = (0.35, 0.35, 0.35)
A4 = pymupdf.paper_rect("a4")


def popup_text(record: AnnotationRecord, *, withhold: bool = False) -> str:
    """What the popup of an annotation says."""
    hidden = withhold and record.kind is AnnotationKind.REDACTION
    lines = []
    for label, value in (
        ("Note", record.note),
        ("Transcription", record.transcription),
        ("Translation", record.translation),
    ):
        if value:
            lines.append(f"{label}: {WITHHELD if hidden else value}")
    if record.tags:
        lines.append("Tags: " + ", ".join(record.tags))
    if record.quote is not None and not hidden:
        lines.insert(0, f"On the words: \u201c{record.quote.exact}\u201d")
    if record.kind is AnnotationKind.REDACTION:
        lines.insert(0, "Redaction: this region is withheld from publication")
    return "\n".join(lines) or "(no text)"


def write_annotated(
    source: Path,
    out: Path,
    annotations: Sequence[AnnotationRecord],
    cover: str,
    *,
    password: str | None = None,
    withhold: bool = False,
) -> None:
    """Write ``out``: the cover, then the pages of ``source`` with the annotations on them."""
    original = pymupdf.open(str(source))
    try:
        if original.needs_pass and not original.authenticate(password or ""):
            raise ValueError("the original is encrypted and its password is not known")
        doc = original if original.is_pdf else pymupdf.open("pdf", original.convert_to_pdf())
        try:
            annotate(doc, annotations, cover, title=source.name, withhold=withhold)
            doc.save(str(out), garbage=3, deflate=True)
        finally:
            if doc is not original:
                doc.close()
    finally:
        original.close()


def annotate(
    doc: pymupdf.Document,
    annotations: Sequence[AnnotationRecord],
    cover: str,
    *,
    title: str,
    withhold: bool = False,
) -> None:
    """Put every annotation on ``doc`` as a rectangle with a popup, and the cover before page 1."""
    with _without_update_timing_test():  # update() below would run it for each annotation
        for record in annotations:
            page = doc.load_page(record.page - 1)
            rect = pymupdf.Rect(record.x0, record.y0, record.x1, record.y1)
            redaction = record.kind is AnnotationKind.REDACTION
            if record.boxes:
                lines = [pymupdf.Rect(b.x0, b.y0, b.x1, b.y1) for b in line_boxes(record.boxes)]
                annot = page.add_highlight_annot(quads=[r.quad for r in lines])
                annot.set_colors(stroke=REDACTION_GREY if redaction else HIGHLIGHT_YELLOW)
            else:
                annot = page.add_rect_annot(rect)
                annot.set_colors(stroke=REDACTION_BLACK if redaction else NOTE_BLUE)
                annot.set_border(width=1.5, dashes=[3, 2] if redaction else None)
            annot.set_info(
                content=popup_text(record, withhold=withhold),
                title="" if withhold else record.created_by,  # a publication copy names no author
                subject="Redaction" if redaction else "Note",
            )
            annot.set_name(record.id)
            annot.update(opacity=0.9)
            popup = pymupdf.Rect(rect.x1 + 4, rect.y0, rect.x1 + 220, rect.y0 + 120) & page.rect
            if not popup.is_empty:
                annot.set_popup(popup)
    _add_cover(doc, cover)
    if withhold:
        # A publication copy carries no document information at all: its title would name the file,
        # and even "Producer: reviewer" is metadata to mat2 (bag-info.txt says which program made it).
        doc.set_metadata({})
        # MuPDF numbers the pages anew when the cover goes first; a publication copy has no labels
        catalog = doc.pdf_catalog()
        if doc.xref_get_key(catalog, "PageLabels")[0] != "null":
            doc.xref_set_key(catalog, "PageLabels", "null")
            lines = doc.xref_object(catalog).splitlines()
            doc.update_object(catalog, "\n".join(x for x in lines if x.strip() != "/PageLabels null"))
    else:
        doc.set_metadata({"title": f"Annotated copy: {title}", "producer": "reviewer", "creator": "reviewer"})


def _add_cover(doc: pymupdf.Document, cover: str) -> None:
    page = doc.new_page(0, width=A4.width, height=A4.height)
    box = pymupdf.Rect(A4.x0 + 48, A4.y0 + 48, A4.x1 - 48, A4.y1 - 48)
    spare, _scale = page.insert_htmlbox(box, cover, scale_low=0.3)
    if spare < 0:  # did not fit even small: say so rather than drop the rest silently
        page.insert_text((48, A4.height - 30), "(cover shortened; see case.json for everything)", fontsize=8)


@contextlib.contextmanager
def _without_update_timing_test() -> Iterator[None]:
    """Skip ``Annot.update_timing_test`` while :func:`annotate` runs, and put it back after.

    PyMuPDF 1.2x's ``Annot.update()`` calls it every time: a Python loop of 30,000 additions that
    serves no purpose, 3 ms per annotation, a sixth of an export's PDF work
    (tests/core/test_worker_jobs.py shows the call). Done here, where ``update()`` is called, and only
    while it runs: PyMuPDF is left as it was, in every other function and process.
    """
    original = pymupdf.Annot.__dict__.get("update_timing_test")
    if original is None:  # a PyMuPDF without it
        yield
        return
    pymupdf.Annot.update_timing_test = staticmethod(_no_timing_test)  # type: ignore[method-assign]
    try:
        yield
    finally:
        pymupdf.Annot.update_timing_test = original  # type: ignore[method-assign]


def _no_timing_test() -> int:
    return 0
