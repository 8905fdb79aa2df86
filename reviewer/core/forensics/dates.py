"""Reading the dates that PDFs and images carry, tolerant of the many ways tools get them wrong.

Every parser returns None for what it cannot read rather than raising: a malformed date is itself
reported (by the caller) as the raw text, never as a crash.
"""

from __future__ import annotations

import datetime
import re

# D:YYYYMMDDHHmmSS then Z, or +HH'mm' / -HH'mm' (apostrophes optional, often malformed)
_PDF_DATE = re.compile(
    r"^\s*(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"\s*(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?",
)
_ISO_DATE = re.compile(
    r"^\s*(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?:(Z)|([+-])(\d{2}):?(\d{2})?)?",
)
_EXIF_DATE = re.compile(r"^\s*(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")


def _build(
    parts: tuple[str | None, ...], zulu: str | None, sign: str | None, tz_h: str | None, tz_m: str | None
) -> datetime.datetime | None:
    year, month, day, hour, minute, second = (int(p) if p else None for p in parts)
    if year is None:
        return None
    tzinfo: datetime.tzinfo | None = None
    if zulu:
        tzinfo = datetime.UTC
    elif sign and tz_h is not None:
        offset = datetime.timedelta(hours=int(tz_h), minutes=int(tz_m or 0))
        if offset >= datetime.timedelta(hours=24):
            return None
        tzinfo = datetime.timezone(-offset if sign == "-" else offset)
    try:
        return datetime.datetime(
            year, month or 1, day or 1, hour or 0, minute or 0, second or 0, tzinfo=tzinfo
        )
    except ValueError:  # month 13, 30 February, hour 25...
        return None


def parse_pdf_date(text: str | None) -> datetime.datetime | None:
    """A PDF date (``D:20190312101500+03'00'``) as a datetime; naive when it names no time zone."""
    if not text:
        return None
    bare = text.strip().removeprefix("D:")
    if re.match(r"\d{4}-", bare):
        return parse_iso_date(bare)  # some producers write ISO 8601 into the info dictionary
    found = _PDF_DATE.match(bare)
    if found is None:
        return None
    *parts, zulu, sign, tz_h, tz_m = found.groups()
    return _build(tuple(parts), zulu, sign, tz_h, tz_m)


def parse_iso_date(text: str | None) -> datetime.datetime | None:
    """An ISO 8601 / XMP date (``2019-03-12T10:15:00+03:00``) as a datetime; naive without a zone."""
    if not text:
        return None
    found = _ISO_DATE.match(text)
    if found is None:
        return None
    *parts, zulu, sign, tz_h, tz_m = found.groups()
    return _build(tuple(parts), zulu, sign, tz_h, tz_m)


def parse_exif_date(text: str | None) -> datetime.datetime | None:
    """An EXIF date (``2019:03:12 10:15:00``, no zone) as a naive datetime; None for ``0000:00:00``."""
    if not text:
        return None
    found = _EXIF_DATE.match(text)
    if found is None:
        return None
    return _build((*found.groups(),), None, None, None, None)


def as_utc(value: datetime.datetime) -> datetime.datetime:
    """Aware UTC; a naive value is taken as UTC (the best guess when a tool wrote no zone)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


def seconds_apart(first: datetime.datetime, second: datetime.datetime) -> float:
    """``second - first`` in seconds; where only one names a zone, both are read as local times.

    Mixing a zoned and a naive date is common (the info dictionary with a zone, XMP without), and
    reading both as wall-clock times avoids inventing an offset of several hours.
    """
    if (first.tzinfo is None) != (second.tzinfo is None):
        first, second = first.replace(tzinfo=None), second.replace(tzinfo=None)
    return (as_utc(second) - as_utc(first)).total_seconds()


def latest_moment(received: datetime.date | datetime.datetime) -> datetime.datetime:
    """The last moment a received date can stand for: a bare date is its whole day in any time zone."""
    if isinstance(received, datetime.datetime):
        return as_utc(received)
    # a day, in the sender's zone or ours, ends at the latest 14 hours after UTC midnight of the next day
    end = datetime.datetime.combine(received, datetime.time(), tzinfo=datetime.UTC)
    return end + datetime.timedelta(days=1, hours=14)


def iso(value: datetime.datetime) -> str:
    """The datetime as ISO 8601 text for a signal's raw value."""
    return value.isoformat()
