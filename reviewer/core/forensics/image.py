"""Signals from an image file, or from an image inside a PDF: EXIF, editing software, the embedded
thumbnail, the JPEG quality.

Only headers are read, except to compare an embedded thumbnail with the picture, where the JPEG is
decoded at a reduced scale (a few milliseconds even for a large photo).
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, UnidentifiedImageError

from reviewer.core.forensics import dates
from reviewer.core.forensics.c2pa import credential_signals
from reviewer.core.forensics.jpeg import estimate_quality, exif_thumbnail
from reviewer.core.forensics.phash import NEAR_IDENTICAL_BITS, hamming, phash
from reviewer.core.forensics.signals import Severity, Signal

if TYPE_CHECKING:
    import datetime
    from collections.abc import Sequence

#: Programs that retouch or compose pictures, as they name themselves in EXIF Software or XMP.
EDITORS = (
    "photoshop", "gimp", "lightroom", "paint.net", "paintshop", "pixelmator", "affinity photo",
    "snapseed", "picsart", "canva", "fotor", "photopea", "corel", "acdsee", "luminar", "facetune",
    "meitu", "photoscape", "krita", "capture one", "darktable", "rawtherapee", "inpaint", "faceapp",
)  # fmt: skip
_EDITOR_PATTERN = re.compile("|".join(re.escape(e) for e in EDITORS), re.IGNORECASE)
_XMP_TOOL = re.compile(
    r"(?:CreatorTool|softwareAgent)\s*(?:=\s*\"([^\"]{1,200})\"|>\s*([^<]{1,200})<)", re.IGNORECASE
)
_MAX_PIXELS = 400_000_000
_DRAFT = (256, 256)
_TAG_MAKE, _TAG_MODEL, _TAG_SOFTWARE, _TAG_DATETIME = 0x010F, 0x0110, 0x0131, 0x0132
_IFD_EXIF, _IFD_GPS = 0x8769, 0x8825
_TAG_ORIGINAL, _TAG_DIGITIZED = 0x9003, 0x9004


def image_signals(
    source: Path | str | bytes,
    *,
    received: datetime.date | datetime.datetime | None = None,
    page: int | None = None,
    where: str = "The image",
    trust_roots: Sequence[bytes] = (),
) -> list[Signal]:
    """Signals about one image: a file path, or the bytes of an image (e.g. a JPEG stream from a PDF).

    ``page`` is put on every signal (for an image inside a PDF); ``where`` starts each title
    (``"The image on page 3"``). An unreadable image gives a single info signal, never an exception.
    A whole file (``page`` None) has its content credentials validated against ``trust_roots``.
    """
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        return [_unreadable(f"the file cannot be read ({exc.strerror or exc})", page, where)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns about corrupt EXIF and huge images; we report
        try:
            with Image.open(io.BytesIO(data)) as image:
                found = _signals(image, data, received, page, where)
        # Pillow's EXIF reader leaks struct.error on truncated tags
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            ValueError,
            SyntaxError,
            struct.error,
            TypeError,
            IndexError,
            KeyError,
            ZeroDivisionError,
        ) as exc:
            return [_unreadable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, page, where)]
    if page is None:  # an image inside a PDF is not where a manifest goes: the PDF's own is read
        found += credential_signals(data, prefix="image", trust_roots=trust_roots)
    return found


def _signals(
    image: Image.Image,
    data: bytes,
    received: datetime.date | datetime.datetime | None,
    page: int | None,
    where: str,
) -> list[Signal]:
    found: list[Signal] = []

    def add(code: str, severity: Severity, title: str, explanation: str, value: Any) -> None:
        found.append(Signal(code, severity, f"{where}: {title}", explanation, value, page))

    exif = image.getexif()
    exif_ifd = exif.get_ifd(_IFD_EXIF)
    make, model = _text(exif.get(_TAG_MAKE)), _text(exif.get(_TAG_MODEL))
    software = _text(exif.get(_TAG_SOFTWARE))
    if make or model:
        add(
            "image.camera",
            Severity.INFO,
            f"taken with {' '.join(v for v in (make, model) if v)}",
            "The camera or phone the picture says it came from. Compare it with what the source says "
            "they used.",
            {"make": make, "model": model},
        )
    tools = [t for t in (software, *_xmp_tools(image)) if t]
    editors = sorted({t for t in tools if _EDITOR_PATTERN.search(t)})
    if editors:
        add(
            "image.editing_software",
            Severity.WARNING,
            f"saved by editing software ({', '.join(editors)})",
            "The picture was opened and saved in a program that can retouch images. That is often "
            "innocent (cropping, brightness), but the picture is not the camera's original: ask for it.",
            {"software": editors},
        )
    elif software:
        add(
            "image.software",
            Severity.INFO,
            f"software: {software}",
            "The program (often the camera's own firmware) that wrote the file last.",
            software,
        )
    if "Photoshop" in str(image.info.get("photoshop", "")) or _has_photoshop_block(image):
        add(
            "image.photoshop_resources",
            Severity.NOTICE,
            "carries an Adobe Photoshop resource block",
            "Photoshop, and some tools that edit captions, store such a block. Cameras do not.",
            True,
        )
    _date_signals(exif, exif_ifd, received, add)
    gps = _gps(exif)
    if gps is not None:
        add(
            "image.gps",
            Severity.INFO,
            f"GPS position {gps[0]:.5f}, {gps[1]:.5f}",
            "Where the device says the picture was taken. It can be checked against the story, and it "
            "can identify a source: handle it with care.",
            {"latitude": gps[0], "longitude": gps[1]},
        )
    if image.format == "JPEG":
        _jpeg_signals(image, data, add)
    if not (make or model or software or exif_ifd or gps):
        add(
            "image.no_camera_metadata",
            Severity.INFO,
            "no camera metadata",
            "No EXIF camera data. Messengers and social networks strip it, so its absence proves "
            "nothing, but the picture is not a camera original.",
            None,
        )
    return found


def _jpeg_signals(image: Image.Image, data: bytes, add: Any) -> None:
    quality = estimate_quality(getattr(image, "quantization", None))
    if quality is not None:
        kind = "standard tables" if quality.standard else "the camera's or program's own tables"
        add(
            "image.jpeg_quality",
            Severity.INFO,
            f"JPEG quality about {quality.estimate} ({kind})",
            "How strongly the picture was compressed when last saved. Cameras save at high quality; "
            "a low quality means it was re-saved or sent through a messenger, and fine detail is lost.",
            {"estimate": quality.estimate, "standard_tables": quality.standard, "tables": quality.tables},
        )
    raw_exif = image.info.get("exif")
    thumbnail = exif_thumbnail(raw_exif) if isinstance(raw_exif, bytes) else None
    if thumbnail is None or image.width * image.height > _MAX_PIXELS:
        return
    try:
        with Image.open(io.BytesIO(thumbnail)) as small:
            small_hash = phash(small.convert("L"))
        with Image.open(io.BytesIO(data)) as full:
            full.draft("L", _DRAFT)  # decode at 1/2–1/8 scale: enough for a 32×32 hash
            full_hash = phash(full.convert("L"))
    except (OSError, ValueError, SyntaxError):
        return
    distance = hamming(small_hash, full_hash)
    value = {"hamming_bits": distance, "threshold_bits": NEAR_IDENTICAL_BITS}
    if distance > NEAR_IDENTICAL_BITS:
        add(
            "image.thumbnail_differs",
            Severity.WARNING,
            "the embedded thumbnail shows a different picture",
            "Cameras store a small preview inside the file. Some editors change the picture but keep "
            "the old preview, so a preview that differs may show what the picture looked like before.",
            value,
        )
    else:
        add(
            "image.thumbnail_matches",
            Severity.INFO,
            "the embedded thumbnail matches the picture",
            "The small preview stored in the file shows the same picture.",
            value,
        )


def _date_signals(exif: Image.Exif, exif_ifd: Any, received: Any, add: Any) -> None:
    raw = {
        "modified": _text(exif.get(_TAG_DATETIME)),
        "taken": _text(exif_ifd.get(_TAG_ORIGINAL)),
        "digitized": _text(exif_ifd.get(_TAG_DIGITIZED)),
    }
    parsed = {k: dates.parse_exif_date(v) for k, v in raw.items()}
    present = {k: v for k, v in raw.items() if v}
    if not present:
        return
    add(
        "image.dates",
        Severity.INFO,
        "dates: " + ", ".join(f"{k} {v}" for k, v in present.items()),
        "The dates the camera and the last program wrote (camera clocks are often wrong, and carry "
        "no time zone).",
        present,
    )
    taken, modified = parsed["taken"], parsed["modified"]
    if taken and modified:
        apart = dates.seconds_apart(taken, modified)
        if apart < -60:
            add(
                "image.modified_before_taken",
                Severity.WARNING,
                "saved before it was taken",
                "The file says it was last changed before the picture was taken. A camera never "
                "writes that: the dates were edited, or set by a program.",
                {"taken": raw["taken"], "modified": raw["modified"]},
            )
        elif apart > 60:
            add(
                "image.modified_after_taken",
                Severity.NOTICE,
                "saved again after it was taken",
                "A program saved the file after the camera did: it is a processed copy, not the "
                "camera's original.",
                {"taken": raw["taken"], "modified": raw["modified"]},
            )
    if received is not None:
        limit = dates.latest_moment(received)
        late = {k: raw[k] for k, v in parsed.items() if v is not None and dates.as_utc(v) > limit}
        if late:
            add(
                "image.date_after_received",
                Severity.WARNING,
                "dated after it was received",
                "A date in the file is later than the day the document reached you. Either a clock "
                "was wrong or the file was changed after it was received.",
                {"received": str(received), "dates": late},
            )


def _gps(exif: Image.Exif) -> tuple[float, float] | None:
    info = exif.get_ifd(_IFD_GPS)
    try:
        lat = _degrees(info[2], info.get(1, "N"))
        lon = _degrees(info[4], info.get(3, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _degrees(dms: Any, ref: Any) -> float:
    degrees, minutes, seconds = (float(v) for v in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(ref).strip().upper() in ("S", "W") else value


def _xmp_tools(image: Image.Image) -> list[str]:
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else str(xmp)
    return [(a or b).strip() for a, b in _XMP_TOOL.findall(text[:1_000_000])]


def _has_photoshop_block(image: Image.Image) -> bool:
    applist = getattr(image, "applist", None) or []
    return any(name == "APP13" and bytes(body).startswith(b"Photoshop 3.0") for name, body in applist)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).replace("\x00", "").strip()
    return text[:200] or None


def _unreadable(reason: str, page: int | None, where: str) -> Signal:
    return Signal(
        "image.unreadable",
        Severity.INFO,
        f"{where}: its metadata could not be read",
        "The picture's structure is damaged or unusual, so no metadata could be checked.",
        reason[:300],
        page,
    )
