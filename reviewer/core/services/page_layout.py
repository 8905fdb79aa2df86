"""A page's text layer as the page shows it: lines and paragraphs, for reading (see text/lines.py)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import select

from reviewer.core.storage.orm import Page
from reviewer.core.text.lines import as_words, laid_out

if TYPE_CHECKING:
    from reviewer.core.services.case import Case


def text_layer_lines(case: Case, document_id: int, page: int) -> str | None:
    """The page's text layer laid out by its words' boxes; None if the page is not known.

    The words stored for a page are those of its text layer first (OCR's follow when both were kept);
    the text is only re-spaced, never changed (``laid_out`` gives it back as stored otherwise).
    """
    with case.db.reading() as session:
        row = session.execute(
            select(Page.text, Page.words).where(Page.document_id == document_id, Page.number == page)
        ).first()
    if row is None:
        return None
    text, words_json = row
    try:
        raw = json.loads(words_json) if words_json else []
    except ValueError:
        raw = []
    return laid_out(text or "", as_words(raw if isinstance(raw, list) else []))
