"""What a PDF says about its own making: Producer, Creator, the dates, XMP, and where they disagree."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from reviewer.core.forensics import dates
from reviewer.core.forensics.image import EDITORS
from reviewer.core.forensics.mupdf_errors import MUPDF_ERRORS
from reviewer.core.forensics.signals import Severity, Signal

if TYPE_CHECKING:
    import pymupdf

_MAX_XMP_CHARS = 2_000_000
_EDITOR_PATTERN = re.compile("|".join(re.escape(e) for e in EDITORS), re.IGNORECASE)
_TOLERANCE_S = 60  # tools round and rewrite dates by seconds; a minute apart is the same moment
_FIRST_PDF = datetime.datetime(1993, 6, 15, tzinfo=datetime.UTC)  # Acrobat 1.0 was released
_XMP_FIELDS = {
    "created": ("CreateDate",),
    "modified": ("ModifyDate",),
    "metadata_date": ("MetadataDate",),
    "creator_tool": ("CreatorTool",),
    "producer": ("Producer",),
}
_DATE_NAMES = {
    "created": "creation date",
    "modified": "modification date",
    "metadata_date": "metadata date",
}


def xmp_fields(xmp: str) -> dict[str, str]:
    """The XMP properties that matter here, by our names (``created``, ``producer``...), as written.

    Read with patterns rather than an XML parser: XMP in the wild is often not well-formed, and a
    hostile packet must not be able to expand entities.
    """
    text = xmp[:_MAX_XMP_CHARS]
    found: dict[str, str] = {}
    for name, keys in _XMP_FIELDS.items():
        for key in keys:
            match = re.search(
                rf"<[\w.-]+:{key}\b[^>]*>\s*([^<]{{1,500}}?)\s*</[\w.-]+:{key}>|[\w.-]+:{key}\s*=\s*\"([^\"]{{1,500}})\"",
                text,
            )
            if match:
                found[name] = (match.group(1) or match.group(2) or "").strip()
                break
    return {k: v for k, v in found.items() if v}


def metadata_signals(
    doc: pymupdf.Document,
    *,
    received: datetime.date | datetime.datetime | None,
    now: datetime.datetime | None = None,
) -> list[Signal]:
    """Signals from the info dictionary and XMP of an open PDF (no page is read)."""
    info = doc.metadata or {}
    producer = _clean(info.get("producer"))
    creator = _clean(info.get("creator"))
    raw_dates = {"created": _clean(info.get("creationDate")), "modified": _clean(info.get("modDate"))}
    try:
        xmp = xmp_fields(doc.get_xml_metadata() or "")
    except MUPDF_ERRORS:
        xmp = {}
    found: list[Signal] = []
    if producer:
        found.append(
            Signal(
                "pdf.producer",
                Severity.INFO,
                f"Producer: {producer}",
                "The program that wrote the PDF file. Compare it with how the source says the document "
                "was made (printed from Word, scanned, exported by a registry system...).",
                producer,
            )
        )
    if creator:
        found.append(
            Signal(
                "pdf.creator",
                Severity.INFO,
                f"Creator: {creator}",
                "The program the document was written in before it became a PDF.",
                creator,
            )
        )
    tools = [t for t in (producer, creator, xmp.get("creator_tool"), xmp.get("producer")) if t]
    editors = sorted({t for t in tools if _EDITOR_PATTERN.search(t)})
    if editors:
        found.append(
            Signal(
                "pdf.editing_software",
                Severity.WARNING,
                f"Made with image-editing software ({', '.join(editors)})",
                "The PDF was written by a program that retouches pictures. An official letter or a scan "
                "normally comes from a word processor, a registry system or a scanner's own software; a "
                "page that passed through an image editor may have been changed. Ask for the file as it "
                "came from the scanner or the sender's system.",
                {"software": editors},
            )
        )
    present = {k: v for k, v in raw_dates.items() if v}
    if present:
        found.append(
            Signal(
                "pdf.dates",
                Severity.INFO,
                "Dates: " + ", ".join(f"{_DATE_NAMES[k]} {shown_pdf_date(v)}" for k, v in present.items()),
                "When the file says it was made and last changed. Programs take these from the "
                "computer's clock, which can be wrong or set on purpose.",
                present,
            )
        )
    if xmp:
        found.append(
            Signal(
                "pdf.xmp",
                Severity.INFO,
                "XMP metadata: " + ", ".join(f"{k} {v}" for k, v in xmp.items()),
                "A second copy of the document's metadata, in XML. Programs that edit a PDF often "
                "update one copy and not the other.",
                xmp,
            )
        )
    info_dates = {k: dates.parse_pdf_date(v) for k, v in raw_dates.items()}
    xmp_dates = {k: dates.parse_iso_date(xmp.get(k)) for k in ("created", "modified", "metadata_date")}
    found += _order_signals("info dictionary", info_dates, raw_dates)
    found += _order_signals("XMP", xmp_dates, xmp)
    found += _disagreements(info_dates, xmp_dates, raw_dates, xmp, producer, creator)
    every = {f"{k} (info)": v for k, v in info_dates.items()} | {
        f"{k} (XMP)": v for k, v in xmp_dates.items()
    }
    raw_every = {f"{k} (info)": raw_dates.get(k) for k in info_dates} | {
        f"{k} (XMP)": xmp.get(k) for k in xmp_dates
    }
    found += _plausibility(every, raw_every, received, now)
    return found


def _order_signals(
    where: str, parsed: dict[str, datetime.datetime | None], raw: dict[str, Any]
) -> list[Signal]:
    created, modified = parsed.get("created"), parsed.get("modified")
    if created is None or modified is None or dates.seconds_apart(created, modified) >= -_TOLERANCE_S:
        return []
    wall = (modified.replace(tzinfo=None) - created.replace(tzinfo=None)).total_seconds()
    if wall >= -_TOLERANCE_S:
        # the clock times are in order and only the zones make them not: a program that wrote local
        # time with a wrong zone (common), not an edit
        return [
            Signal(
                "pdf.time_zones_inconsistent",
                Severity.NOTICE,
                f"Creation and modification dates name time zones that do not fit ({where})",
                "Read with their time zones, the file was changed before it was made; read as clock "
                "times, it was not. Usually a program that wrote a wrong time zone.",
                {"where": where, "created": raw.get("created"), "modified": raw.get("modified")},
            )
        ]
    return [
        Signal(
            "pdf.modified_before_created",
            Severity.WARNING,
            f"Modified before it was created ({where})",
            "The file says it was last changed before it was made. Programs do not write that by "
            "themselves: the dates were edited, copied from another file, or a clock was changed.",
            {"where": where, "created": raw.get("created"), "modified": raw.get("modified")},
        )
    ]


def _disagreements(
    info_dates: dict[str, datetime.datetime | None],
    xmp_dates: dict[str, datetime.datetime | None],
    raw_info: dict[str, Any],
    xmp: dict[str, str],
    producer: str | None,
    creator: str | None,
) -> list[Signal]:
    found: list[Signal] = []
    differing = {}
    for key in ("created", "modified"):
        a, b = info_dates.get(key), xmp_dates.get(key)
        if a is not None and b is not None and abs(dates.seconds_apart(a, b)) > _TOLERANCE_S:
            differing[key] = {"info": raw_info.get(key), "xmp": xmp.get(key)}
    if differing:
        found.append(
            Signal(
                "pdf.xmp_info_dates_disagree",
                Severity.WARNING,
                "XMP and info dictionary give different "
                + " and ".join(_DATE_NAMES[k] + "s" for k in differing),
                "The two copies of the metadata were written at different times: a program that "
                "changed the file updated one copy and not the other.",
                differing,
            )
        )
    tools = {}
    if producer and xmp.get("producer") and _norm(producer) != _norm(xmp["producer"]):
        tools["producer"] = {"info": producer, "xmp": xmp["producer"]}
    if creator and xmp.get("creator_tool") and _norm(creator) != _norm(xmp["creator_tool"]):
        tools["creator"] = {"info": creator, "xmp": xmp["creator_tool"]}
    if tools:
        found.append(
            Signal(
                "pdf.xmp_info_tools_disagree",
                Severity.NOTICE,
                "XMP and info dictionary name different programs",
                "The two copies of the metadata name different programs: the file passed through "
                "more than one program, and one of them left the other's record in place.",
                tools,
            )
        )
    return found


def _plausibility(
    parsed: dict[str, datetime.datetime | None],
    raw: dict[str, Any],
    received: datetime.date | datetime.datetime | None,
    now: datetime.datetime | None,
) -> list[Signal]:
    found: list[Signal] = []
    known = {k: v for k, v in parsed.items() if v is not None}
    early = {k: raw[k] for k, v in known.items() if dates.as_utc(v) < _FIRST_PDF}
    if early:
        found.append(
            Signal(
                "pdf.date_before_pdf_existed",
                Severity.WARNING,
                "Dated before the PDF format existed",
                "A date in the file is earlier than 1993, when the first PDF programs appeared: the "
                "clock was wrong or the date was written by hand.",
                early,
            )
        )
    if received is not None:
        limit = dates.latest_moment(received)
        late = {k: raw[k] for k, v in known.items() if dates.as_utc(v) > limit}
        if late:
            found.append(
                Signal(
                    "pdf.date_after_received",
                    Severity.WARNING,
                    "Dated after it was received",
                    "A date in the file is later than the day the document reached you. Either a "
                    "clock was wrong or the file was changed after it was received.",
                    {"received": str(received), "dates": late},
                )
            )
    moment = dates.as_utc(now) if now is not None else datetime.datetime.now(datetime.UTC)
    future = {k: raw[k] for k, v in known.items() if dates.as_utc(v) > moment + datetime.timedelta(days=1)}
    if future:
        found.append(
            Signal(
                "pdf.date_in_future",
                Severity.WARNING,
                "Dated in the future",
                "A date in the file is later than today: a clock was wrong or the date was edited.",
                future,
            )
        )
    return found


def shown_pdf_date(raw: str) -> str:
    """A PDF date as a person reads it (``2019-03-13 10:42:18 +03:00``), to the precision it was
    written with (``D:2019`` stays ``2019``); as written if it is not a date.

    The date as written (``D:20190313104218+03'00'``) stays in the signal's raw value.
    """
    parsed = dates.parse_pdf_date(raw)
    if parsed is None:
        return raw
    bare = raw.strip().removeprefix("D:")
    digits = len(bare) - len(bare.lstrip("0123456789"))
    if "-" in bare[:5]:  # ISO 8601 written into the info dictionary: to the second
        digits = 14
    shape = {4: "%Y", 6: "%Y-%m", 8: "%Y-%m-%d", 10: "%Y-%m-%d %H:00", 12: "%Y-%m-%d %H:%M"}
    shown = parsed.strftime(shape.get(min(digits, 14), "%Y-%m-%d %H:%M:%S"))
    if parsed.tzinfo is not None and digits >= 10:
        zone = parsed.strftime("%z")
        shown += f" {zone[:-2]}:{zone[-2:]}"
    return shown


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.replace("\x00", "").strip()
    return text[:500] or None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()
