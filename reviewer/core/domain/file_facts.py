"""What the file itself says, in the order and words a fact-checker reads it: for panes and ``show``."""

from __future__ import annotations

from typing import Any

_INFO = (
    ("title", "PDF title"),
    ("author", "PDF author"),
    ("subject", "PDF subject"),
    ("creator", "PDF creator"),
    ("producer", "PDF producer"),
    ("creationDate", "PDF created"),
    ("modDate", "PDF modified"),
    ("encryption", "Encryption"),
)
_EXIF = (
    ("Make", "Camera make"),
    ("Model", "Camera model"),
    ("Software", "Software"),
    ("DateTime", "EXIF date"),
)
_EXIF_SUB = (("DateTimeOriginal", "Taken"), ("DateTimeDigitized", "Digitised"), ("LensModel", "Lens"))


def _degrees(value: Any, ref: Any) -> float | None:
    try:
        d, m, s = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    sign = -1.0 if str(ref).upper() in ("S", "W") else 1.0
    return sign * (d + m / 60 + s / 3600)


def file_facts(metadata: dict[str, Any]) -> list[tuple[str, str]]:
    """Label and value of each fact in a document's file metadata worth showing."""
    facts: list[tuple[str, str]] = []
    info = metadata.get("info") or {}
    facts += [(label, str(info[key])) for key, label in _INFO if info.get(key)]
    if metadata.get("xmp"):
        facts.append(("XMP", f"{len(metadata['xmp']):,} characters"))
    if metadata.get("repaired"):
        facts.append(("Structure", "damaged; MuPDF repaired it to read it"))
    image = metadata.get("image") or {}
    exif = image.get("exif") or {}
    facts += [(label, str(exif[key])) for key, label in _EXIF if exif.get(key)]
    sub = exif.get("Exif") or {}
    facts += [(label, str(sub[key])) for key, label in _EXIF_SUB if sub.get(key)]
    gps = exif.get("GPS") or {}
    latitude = _degrees(gps.get("GPSLatitude"), gps.get("GPSLatitudeRef"))
    longitude = _degrees(gps.get("GPSLongitude"), gps.get("GPSLongitudeRef"))
    if latitude is not None and longitude is not None:
        facts.append(("GPS position", f"{latitude:.5f}, {longitude:.5f}"))
    for problem in metadata.get("page_problems", []):
        facts.append(("Problem", str(problem)))
    return facts
