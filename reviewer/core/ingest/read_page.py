"""The PyMuPDF side of reading pages, in a worker process: words from the text layer, or OCR."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pymupdf

from reviewer.core.ingest.reading import OcrMode, OcrStatus, PageReading, ReadResult, usable_text
from reviewer.core.ingest.tesseract import recognise, words_to_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.ingest.reading import ReadTask


MAX_OCR_PIXELS = 40_000_000


def layer_words(page: pymupdf.Page, textpage: pymupdf.TextPage | None = None) -> list[list[object]]:
    """The words of a page's text layer with their boxes in unrotated page points, as stored.

    ``textpage`` is one made already for this page (the import reads text and words from one).
    """
    return [
        [round(w[0], 1), round(w[1], 1), round(w[2], 1), round(w[3], 1), _clean(w[4])]
        for w in page.get_text("words", textpage=textpage)
    ]


def words_json(words: list[list[object]]) -> str:
    """Words as ``Page.words`` holds them: compact JSON, ``[[x0, y0, x1, y1, "word"], ...]``."""
    return json.dumps(words, ensure_ascii=False)


def _clean(text: str) -> str:
    # what SQLite and JSON accept: no NULs, no lone surrogates (a font with a broken character map)
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _ocr(page: pymupdf.Page, task: ReadTask) -> tuple[list[list[object]], str, float | None]:
    zoom = task.dpi / 72
    area = page.rect.width * page.rect.height * zoom * zoom
    if area > MAX_OCR_PIXELS:
        zoom *= (MAX_OCR_PIXELS / area) ** 0.5
    # Unrotated, like every coordinate reviewer stores; grey is all Tesseract looks at anyway.
    pixmap = page.get_pixmap(
        matrix=page.derotation_matrix * pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY
    )
    found = recognise(pixmap.tobytes("pnm"), task.languages, dpi=round(zoom * 72))
    scale = 1 / zoom
    words: list[list[object]] = [
        [
            round(w.left * scale, 1),
            round(w.top * scale, 1),
            round((w.left + w.width) * scale, 1),
            round((w.top + w.height) * scale, 1),
            w.text,
        ]
        for w in found
    ]
    confidence = sum(w.confidence for w in found) / len(found) if found else None
    return words, words_to_text(found), confidence


def read_pages(task: ReadTask, beat: Callable[[], None]) -> ReadResult:
    """Read the task's pages; a page that fails is reported as failed, the others go on."""
    doc = pymupdf.open(task.path)
    try:
        if doc.needs_pass and not doc.authenticate(task.password or ""):
            raise PermissionError("the document is encrypted and its password is not known")
        out: list[PageReading] = []
        for number in task.pages:
            beat()
            page = doc.load_page(number - 1)
            words = layer_words(page)
            layer = " ".join(str(w[4]) for w in words)
            wanted = task.mode is OcrMode.ALWAYS or (task.mode is OcrMode.AUTO and not usable_text(layer))
            if not wanted:
                status = OcrStatus.NOT_NEEDED if usable_text(layer) else OcrStatus.OFF
                out.append(PageReading(number, words_json(words), status))
                continue
            if not task.ocr_available:
                out.append(PageReading(number, words_json(words), OcrStatus.SKIPPED))
                continue
            try:
                ocr_words, text, confidence = _ocr(page, task)
            except OSError as exc:
                out.append(PageReading(number, words_json(words), OcrStatus.FAILED, error=str(exc)))
                continue
            # Highlights follow what was searched: OCR words when the page needed OCR.
            shown = ocr_words if not usable_text(layer) else words + ocr_words
            out.append(PageReading(number, words_json(shown), OcrStatus.DONE, text, confidence))
        return ReadResult(task.document_id, tuple(out), task.languages)
    finally:
        doc.close()
