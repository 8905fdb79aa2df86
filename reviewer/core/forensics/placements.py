"""Where a PDF page's images are drawn, read once a page and shared by the checks that need it.

MuPDF finds images' placements by interpreting the page into a text page that keeps its images. The
import makes one text page a page anyway, for the text and the words; made with images kept
(:data:`TEXTPAGE_FLAGS`), it gives the placements too, and the page images check and the JPEG tables
check take them from there instead of interpreting the page twice more. Kept images change neither
the text nor the words read from it. Such a text page clips to the page, so an image's box is the
part of it on the page, and its resolution is taken from its matrix, not its box.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pymupdf

#: a page's index -> its images' placements, as ``TextPage.extractIMGINFO`` gives them
Placements = Mapping[int, Sequence[Mapping[str, Any]]]

#: the import's text page: the text, the words and where the images are, from one interpretation
TEXTPAGE_FLAGS = pymupdf.TEXTFLAGS_TEXT | pymupdf.TEXT_PRESERVE_IMAGES


def placed_images(page: pymupdf.Page, known: Placements | None = None) -> Sequence[Mapping[str, Any]]:
    """The placements of ``page``'s images: from ``known`` when it has the page, else read now as the
    import reads them."""
    if known is not None:
        found = known.get(page.number)
        if found is not None:
            return found
    placements: list[dict[str, Any]] = page.get_textpage(flags=TEXTPAGE_FLAGS).extractIMGINFO()
    return placements
