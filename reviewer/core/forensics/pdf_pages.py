"""What a PDF's pages are made of: fonts, images (and their own metadata), scans with typed text."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reviewer.core.domain.labels import count_label
from reviewer.core.forensics.image import image_signals
from reviewer.core.forensics.mupdf_errors import MUPDF_ERRORS
from reviewer.core.forensics.placements import placed_images
from reviewer.core.forensics.signals import Severity, Signal

if TYPE_CHECKING:
    import datetime

    import pymupdf

    from reviewer.core.forensics.placements import Placements

#: Pages whose fonts and images are listed; later pages are not read (import time stays bounded).
MAX_PAGES = 2_000
#: JPEG streams whose own metadata is read; each is read raw, never decoded.
MAX_JPEGS = 300
_MAX_JPEG_BYTES = 64 << 20
_DETAILED_PAGES = 200
_SCAN_COVER = 0.85  # an image covering this share of the page is the page's scan
_BASE14 = {
    "courier", "courier-bold", "courier-oblique", "courier-boldoblique", "helvetica", "helvetica-bold",
    "helvetica-oblique", "helvetica-boldoblique", "times-roman", "times-bold", "times-italic",
    "times-bolditalic", "symbol", "zapfdingbats",
}  # fmt: skip
_SUBSET = re.compile(r"^[A-Z]{6}\+(.+)$")
_SCANNER = re.compile(
    r"scan|\bepson\b|canon|xerox|ricoh|kyocera|konica|minolta|brother|sharp mx|digital sending|"
    r"lexmark|fujitsu|paperstream|naps2|paperport|twain|\bwia\b|\bmfp\b|\bmfc\b|"
    r"imagerunner|workcentre|bizhub|ecosys|docucentre|taskalfa",
    re.IGNORECASE,
)
# "Typed text" on a scan: enough visible characters to be more than a page number stamp
_TYPED_CHARS = 20


@dataclass(slots=True)
class _Fonts:
    by_xref: dict[int, dict[str, Any]] = field(default_factory=dict)


def page_signals(
    doc: pymupdf.Document,
    *,
    received: datetime.date | datetime.datetime | None,
    placements: Placements | None = None,
) -> list[Signal]:
    """Signals from the pages: fonts, page images, images' own metadata, scanner producers on text.

    ``placements`` are pages' image placements the caller has read already (see ``placed_images``).
    """
    found: list[Signal] = []
    pages = min(doc.page_count, MAX_PAGES)
    fonts = _Fonts()
    summaries: list[dict[str, Any]] = []
    jpegs: dict[int, int] = {}  # xref -> first page it is on
    for number in range(pages):
        for entry in _safe(lambda n=number: doc.get_page_fonts(n, full=True)) or []:
            _note_font(fonts, entry, number)
        summary, overlays = _page_images(doc, number, jpegs, placements)
        summaries.append(summary)
        if overlays:
            found.append(
                Signal(
                    "pdf.image_over_scan",
                    Severity.NOTICE,
                    f"Page {number + 1}: image(s) placed over the scanned page",
                    "The page is a scan with further pictures laid on top (a stamp, a signature, a "
                    "patch). Some workflows add these legitimately; they are also how scans are "
                    "doctored. Look at the placed images on their own.",
                    {"images": overlays},
                    number,
                )
            )
    if doc.page_count > pages:
        found.append(
            Signal(
                "pdf.pages_not_all_checked",
                Severity.INFO,
                f"Fonts and images were checked on the first {pages} pages only",
                "The document is very long; later pages were not examined.",
                {"pages": doc.page_count, "checked": pages},
            )
        )
    found += _font_signals(fonts)
    found += _image_summary_signals(summaries)
    found += _scanner_signals(doc, pages)
    found += _jpeg_signals(doc, jpegs, received)
    return found


def _safe(call: Any) -> Any:
    try:
        return call()
    except MUPDF_ERRORS:
        return None


def _note_font(fonts: _Fonts, entry: Any, page: int) -> None:
    xref, ext, kind, basefont = entry[0], entry[1], entry[2], str(entry[3])[:200]
    record = fonts.by_xref.get(xref)
    if record is None:
        subset = _SUBSET.match(basefont)
        fonts.by_xref[xref] = record = {
            "name": basefont,
            "family": subset.group(1) if subset else basefont,
            "type": kind,
            "embedded": ext not in ("n/a", ""),
            "subset": subset is not None,
            "pages": [],
        }
    if len(record["pages"]) < 20:
        record["pages"].append(page)


def _font_signals(fonts: _Fonts) -> list[Signal]:
    records = list(fonts.by_xref.values())
    if not records:
        return []
    found = [
        Signal(
            "pdf.fonts",
            Severity.INFO,
            f"{len(records)} font(s): " + ", ".join(sorted({r["family"] for r in records}))[:300],
            "The fonts the text is set in. A font the sender's organisation would not have, or one "
            "that appears only in one line, is worth a look.",
            records[:200],
        )
    ]
    missing = [
        r["name"] for r in records if not r["embedded"] and r["name"].casefold() not in _BASE14 and r["name"]
    ]
    if missing:
        found.append(
            Signal(
                "pdf.fonts_not_embedded",
                Severity.NOTICE,
                f"{len(missing)} font(s) not embedded",
                "These fonts are not inside the file, so each reader substitutes a look-alike: what "
                "you see may not be what the author saw.",
                sorted(set(missing))[:100],
            )
        )
    subsets: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r["subset"]:
            subsets[r["family"]].add(r["name"])
    repeated = {family: sorted(names) for family, names in subsets.items() if len(names) > 1}
    if repeated:
        found.append(
            Signal(
                "pdf.font_subsets_repeated",
                Severity.NOTICE,
                "The same font embedded more than once: " + ", ".join(sorted(repeated))[:200],
                "A program that writes a PDF in one go embeds each font once. Several separate copies "
                "of one font usually mean text was added later by another program or another save "
                "(merged pages, an edit, a filled form).",
                repeated,
            )
        )
    return found


def _page_images(
    doc: pymupdf.Document, number: int, jpegs: dict[int, int], known: Placements | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    page = _safe(lambda: doc[number])
    if page is None:
        return {"page": number, "images": []}, []
    listed = _safe(lambda: page.get_images(full=True)) or []
    # get_image_info(xrefs=True) decodes every image to hash it (100+ ms a scan); pairing the placements
    # with the page's image list by pixel size is free and right whenever the size is unique
    by_size: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for entry in listed:
        by_size[(entry[2], entry[3])].append(entry)
    placements = _safe(lambda: placed_images(page, known)) or []
    area = max(1.0, abs(page.rect.width * page.rect.height))
    images: list[dict[str, Any]] = []
    for placed in placements[:100]:
        same_size = by_size.get((placed.get("width"), placed.get("height")), [])
        entry = same_size[0] if len(same_size) == 1 else None
        xref = int(entry[0]) if entry else 0
        x0, y0, x1, y1 = placed.get("bbox", (0, 0, 0, 0))
        width_pt, height_pt = abs(x1 - x0), abs(y1 - y0)
        # the resolution from the image's own size on the page: its box may be cut by the page's edge
        drawn_w, drawn_h = _drawn_size(placed.get("transform"), width_pt, height_pt)
        image = {
            "xref": xref,
            "width": placed.get("width"),
            "height": placed.get("height"),
            "dpi": _dpi(placed.get("width"), placed.get("height"), drawn_w, drawn_h),
            "colorspace": placed.get("cs-name") or (entry[5] if entry else None),
            "bpc": placed.get("bpc"),
            "filter": entry[8] if entry else None,
            "bbox": [round(float(v), 1) for v in (x0, y0, x1, y1)],
            "cover": round(width_pt * height_pt / area, 3),
        }
        images.append(image)
        if image["filter"] == "DCTDecode" and xref > 0:
            jpegs.setdefault(xref, number)
    scans = [i for i in images if i["cover"] >= _SCAN_COVER]
    overlays = [i for i in images if i["cover"] < _SCAN_COVER] if scans else []
    return {"page": number, "images": images, "scan": bool(scans)}, overlays


def _drawn_size(transform: Any, width_pt: float, height_pt: float) -> tuple[float, float]:
    """The width and height in points an image is drawn at, from its matrix (its box if it has none)."""
    try:
        a, b, c, d = (float(v) for v in transform[:4])
    except (TypeError, ValueError):
        return width_pt, height_pt
    return math.hypot(a, b), math.hypot(c, d)


def _dpi(width_px: Any, height_px: Any, width_pt: float, height_pt: float) -> list[float] | None:
    if not width_px or not height_px or width_pt < 1 or height_pt < 1:
        return None
    return [round(width_px * 72 / width_pt, 1), round(height_px * 72 / height_pt, 1)]


def _image_summary_signals(summaries: list[dict[str, Any]]) -> list[Signal]:
    counted = [s for s in summaries if s["images"]]
    if not counted:
        return []
    total = sum(len(s["images"]) for s in counted)
    detail = counted[:_DETAILED_PAGES]
    found = [
        Signal(
            "pdf.page_images",
            Severity.INFO,
            f"{count_label(total, 'image')} on {count_label(len(counted), 'page')}",
            "The pictures on the pages: their resolution, compression and colour. A scan is one "
            "picture per page, all alike; a page whose pictures differ from the others' stands out.",
            {"pages": detail, "pages_with_images": len(counted), "images": total},
        )
    ]
    resolutions = {}
    for s in summaries:
        for image in s["images"]:
            if image["cover"] >= _SCAN_COVER and image["dpi"]:
                resolutions[s["page"]] = round(min(image["dpi"]))
                break
    if len(set(resolutions.values())) > 1 and max(resolutions.values()) > 1.15 * min(resolutions.values()):
        found.append(
            Signal(
                "pdf.scan_resolution_varies",
                Severity.NOTICE,
                "Scanned pages have different resolutions",
                "The pages were not all scanned the same way. A page scanned or made separately and "
                "inserted later is one explanation; a multi-session scan is another.",
                {"dpi_by_page": {str(k + 1): v for k, v in resolutions.items()}},
            )
        )
    return found


def _scanner_signals(doc: pymupdf.Document, pages: int) -> list[Signal]:
    info = doc.metadata or {}
    tools = [str(info.get(k) or "") for k in ("producer", "creator")]
    scanner = next((t for t in tools if t and _SCANNER.search(t)), None)
    if scanner is None:
        return []
    typed: dict[str, int] = {}
    for number in range(pages):
        traces = _safe(lambda n=number: doc[n].get_texttrace()) or []
        # render mode 3 is invisible text: the OCR layer scanners put under the picture
        visible = sum(
            len(t.get("chars", ())) for t in traces if t.get("type") != 3 and t.get("opacity", 1) > 0
        )
        if visible >= _TYPED_CHARS:
            typed[str(number + 1)] = visible
        if len(typed) >= 50:
            break
    if not typed:
        return []
    return [
        Signal(
            "pdf.scanner_with_typed_text",
            Severity.WARNING,
            "Made by a scanner, but carries typed text",
            f"The file names a scanner or scanning program ({scanner[:100]}), yet its pages hold "
            "visible typed text, not only a picture of paper. Scanners do not type: text was added "
            "or the producer was changed.",
            {"producer": scanner[:200], "visible_characters_by_page": typed},
        )
    ]


def _jpeg_signals(
    doc: pymupdf.Document, jpegs: dict[int, int], received: datetime.date | datetime.datetime | None
) -> list[Signal]:
    found: list[Signal] = []
    qualities: list[dict[str, Any]] = []
    for xref, page in list(jpegs.items())[:MAX_JPEGS]:
        data = _safe(lambda x=xref: doc.xref_stream_raw(x))
        if not data or len(data) > _MAX_JPEG_BYTES:
            continue
        where = f"The image on page {page + 1} (object {xref})"
        for signal in image_signals(bytes(data), received=received, page=page, where=where):
            if signal.code == "image.jpeg_quality":
                qualities.append({"object": xref, "page": page, **signal.value})
            elif signal.code not in ("image.no_camera_metadata", "image.unreadable"):
                found.append(signal)
    if qualities:
        estimates = sorted({q["estimate"] for q in qualities})
        found.append(
            Signal(
                "pdf.jpeg_quality",
                Severity.INFO,
                "JPEG quality of the page images: " + ", ".join(str(e) for e in estimates[:10]),
                "How strongly the pictures in the file were compressed. Pictures of one scan share one "
                "quality; one that differs was made or saved separately.",
                qualities[:500],
            )
        )
    return found
