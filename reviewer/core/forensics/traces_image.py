"""Traces in an image file (JPEG, PNG, TIFF, WebP, GIF…): EXIF, GPS, serial numbers, XMP, IPTC,
ICC profile descriptions, comments and text chunks, an EXIF thumbnail, and printer tracking dots.

Metadata is read through Pillow without decoding pixels; pixels are decoded only to look for
tracking dots in colour images.
"""

from __future__ import annotations

import io
import re
import warnings
from typing import TYPE_CHECKING, Any

from PIL import Image

from reviewer.core.forensics.jpeg import exif_thumbnail
from reviewer.core.forensics.traces import Trace, hint, text_traces, user_names
from reviewer.core.forensics.tracking_dots import find_tracking_dots, is_colour

if TYPE_CHECKING:
    from collections.abc import Callable

#: tags that name a person
AUTHOR_TAGS = {0x013B: "Artist", 0x8298: "Copyright", 0x9C9D: "XPAuthor", 0xA430: "CameraOwnerName"}
#: tags that identify one device
SERIAL_TAGS = {
    0xA431: "BodySerialNumber", 0xA435: "LensSerialNumber", 0xC62F: "CameraSerialNumber",
    0x927C: "MakerNote", 0xA420: "ImageUniqueID",
}  # fmt: skip
HOST_TAGS = {0x013C: "HostComputer"}
#: other tags that describe where, when, with what or by whom a picture was made
METADATA_TAGS = {
    0x010D: "DocumentName", 0x010E: "ImageDescription", 0x010F: "Make", 0x0110: "Model",
    0x011D: "PageName", 0x0131: "Software", 0x0132: "DateTime", 0x9003: "DateTimeOriginal",
    0x9004: "DateTimeDigitized", 0x9286: "UserComment", 0x9C9B: "XPTitle", 0x9C9C: "XPComment",
    0x9C9E: "XPKeywords", 0x9C9F: "XPSubject", 0xA433: "LensMake", 0xA434: "LensModel",
    0x83BB: "IPTC", 0x8649: "Photoshop",
}  # fmt: skip
_XMP_TAG = 0x02BC
_IFD_EXIF, _IFD_GPS = 0x8769, 0x8825
#: ICC profiles everyone's software ships: their descriptions say nothing about anyone
_STANDARD_ICC = re.compile(
    r"srgb|adobe rgb|display p3|prophoto|generic|gr[ae]y|dot gain|gamma|cmyk|lab|ecirgb|iec", re.I
)
_XMP_VALUE = re.compile(
    r"<(?:dc:creator|xmp:CreatorTool|pdf:Producer|xmpMM:DocumentID|photoshop:AuthorsPosition|"
    r"xmpRights:Owner|exif:\w*SerialNumber|aux:SerialNumber)[^>]*>\s*(?:<rdf:\w+>\s*<rdf:li[^>]*>)?([^<]{1,200})<"
    r"|(?:CreatorTool|Producer|SerialNumber|DocumentID)=\"([^\"]{1,200})\"",
)
#: larger colour images are not searched for tracking dots (a 1200-dpi A3 page is 70 megapixels)
MAX_DOT_PIXELS = 150_000_000
MAX_FRAMES = 64


def xmp_trace(packet: str, where: str) -> list[Trace]:
    """One line for an XMP packet (with the first telling values), and any paths or e-mails in it."""
    values = [next(v for v in m.groups() if v) for m in _XMP_VALUE.finditer(packet)]
    shown = "; ".join(hint(v) for v in values[:3]) or f"{len(packet):,} characters"
    found = [Trace("xmp", f"XMP metadata {where} ({shown})")]
    return found + text_traces(packet, f"the XMP {where}")


def image_traces(
    data: bytes, *, beat: Callable[[], None], where: str = "", dots: bool = True, page: str = ""
) -> tuple[list[Trace], list[str]]:
    """The traces in an image's bytes, and the names (authors, owners, users) they carry.

    ``where`` is added to each finding when the image sits inside another file ("in image 3 on
    page 2"); ``page`` names the page for tracking dots ("page 2: ").
    """
    found: list[Trace] = []
    names: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a damaged header is still read as far as it goes
        with Image.open(io.BytesIO(data)) as image:
            _header_traces(image, data, found, names, where)
            beat()
            if dots:
                _dot_traces(image, found, page, beat)
    return found, names


def _header_traces(image: Image.Image, data: bytes, found: list[Trace], names: list[str], where: str) -> None:
    suffix = f" {where}" if where else ""
    exif = image.getexif()
    _exif_traces(exif, found, names, suffix)
    raw_exif = image.info.get("exif")
    if isinstance(raw_exif, bytes) and exif_thumbnail(raw_exif) is not None:
        found.append(Trace("thumbnail", f"EXIF thumbnail{suffix} (a preview of the picture as first saved)"))
    comment = image.info.get("comment")
    if comment:
        text = comment.decode("utf-8", "replace") if isinstance(comment, bytes) else str(comment)
        found.append(Trace("metadata", f"comment{suffix} ({hint(text)})"))
        found.extend(text_traces(text, f"the comment{suffix}"))
        names.extend(user_names(text))
    for key, value in (getattr(image, "text", None) or {}).items():
        text = str(value)
        if key == "XML:com.adobe.xmp":
            continue  # reported with the XMP below
        kind = (
            "author"
            if key.casefold() in ("author", "artist", "creator", "owner", "copyright")
            else "metadata"
        )
        found.append(Trace(kind, f"{image.format} text {key!r}{suffix} ({hint(text)})"))
        found.extend(text_traces(text, f"the text {key!r}{suffix}"))
        if kind == "author":
            names.append(text)
        names.extend(user_names(text))
    xmp = _xmp_text(image, data)
    if xmp:
        found.extend(xmp_trace(xmp, suffix.strip() or "in the file"))
        names.extend(user_names(xmp))
    if image.info.get("photoshop") or image.info.get("iptc"):
        found.append(Trace("metadata", f"Photoshop/IPTC block{suffix} (captions, keywords, bylines)"))
    icc = image.info.get("icc_profile")
    if isinstance(icc, bytes) and icc:
        described = _icc_description(icc)
        if described and not _STANDARD_ICC.search(described):
            found.append(Trace("metadata", f"ICC profile description{suffix} ({hint(described)})"))


def _exif_traces(exif: Image.Exif, found: list[Trace], names: list[str], suffix: str) -> None:
    ifds: list[tuple[str, Any]] = [("", exif)]
    for tag, label in ((_IFD_EXIF, "Exif"),):
        try:
            ifds.append((label, exif.get_ifd(tag)))
        except (KeyError, ValueError, TypeError, SyntaxError):  # a damaged IFD: what was read stays
            continue
    for _label, ifd in ifds:
        for tag, value in list(ifd.items()):
            text = _as_text(value)
            if tag in AUTHOR_TAGS:
                found.append(Trace("author", f"EXIF {AUTHOR_TAGS[tag]}{suffix} ({hint(text)})"))
                names.append(text)
            elif tag in SERIAL_TAGS:
                what = (
                    "maker note (vendor data, often the body serial number)"
                    if tag == 0x927C
                    else SERIAL_TAGS[tag]
                )
                shown = f"{len(value):,} bytes" if isinstance(value, bytes) else hint(text)
                found.append(Trace("serial-number", f"EXIF {what}{suffix} ({shown})"))
            elif tag in HOST_TAGS:
                found.append(Trace("host", f"{HOST_TAGS[tag]}{suffix} ({hint(text)})"))
            elif tag in METADATA_TAGS:
                shown = (
                    f"{len(value):,} bytes"
                    if isinstance(value, bytes) and tag in (0x83BB, 0x8649)
                    else hint(text)
                )
                found.append(Trace("metadata", f"EXIF {METADATA_TAGS[tag]}{suffix} ({shown})"))
            elif tag == _XMP_TAG:
                continue  # read with the rest of the XMP
            else:
                continue
            found.extend(text_traces(text, f"EXIF tag {tag:#06x}{suffix}"))
            names.extend(user_names(text))
    try:
        gps = exif.get_ifd(_IFD_GPS)
    except (KeyError, ValueError, TypeError, SyntaxError):
        gps = {}
    if gps:
        found.append(Trace("gps", f"GPS position{suffix} ({_position(gps)})"))


def _position(gps: Any) -> str:
    try:
        lat = _degrees(gps[2], gps.get(1, "N"))
        lon = _degrees(gps[4], gps.get(3, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return f"{len(gps)} GPS fields"
    return f"{lat:.5f}, {lon:.5f}"


def _degrees(dms: Any, ref: Any) -> float:
    value = float(dms[0]) + float(dms[1]) / 60 + float(dms[2]) / 3600
    return -value if str(ref).strip().upper() in ("S", "W") else value


def _as_text(value: Any) -> str:
    if isinstance(value, bytes):
        data = bytes(value)
        if data[:2] == b"\x00\x00" or (len(data) > 2 and data[1:2] == b"\x00"):
            return data.decode("utf-16-le", "replace").rstrip("\x00")  # XP* tags are UTF-16
        for prefix in (b"ASCII\x00\x00\x00", b"UNICODE\x00", b"\x00" * 8):
            if data.startswith(prefix):
                data = data[len(prefix) :]
        return data.decode("utf-8", "replace").rstrip("\x00")
    if isinstance(value, tuple):
        return ", ".join(_as_text(v) for v in value[:8])
    return str(value)


def _xmp_text(image: Image.Image, data: bytes) -> str:
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = image.info.get(key)
        if value:
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    tags = getattr(image, "tag_v2", None)
    if tags is not None and _XMP_TAG in tags:
        value = tags[_XMP_TAG]
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    at = data.find(b"<x:xmpmeta")
    if at < 0:
        return ""
    end = data.find(b"</x:xmpmeta>", at)
    return data[at : end + 12 if end > 0 else at + 4096].decode("utf-8", "replace")


def _icc_description(icc: bytes) -> str | None:
    try:
        from PIL import ImageCms

        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile
        parts = [profile.profile_description, profile.manufacturer, profile.model]
    except (ImportError, OSError, ValueError, TypeError, AttributeError):
        return None
    return "; ".join(p.strip() for p in parts if isinstance(p, str) and p.strip()) or None


def _dot_traces(image: Image.Image, found: list[Trace], page: str, beat: Callable[[], None]) -> None:
    frames = getattr(image, "n_frames", 1) or 1
    for frame in range(min(frames, MAX_FRAMES)):
        if frame:
            image.seek(frame)
        if not is_colour(image):
            continue
        where = page or (f"page {frame + 1}: " if frames > 1 else "")
        if image.width * image.height > MAX_DOT_PIXELS:
            found.append(
                Trace(
                    "uninspectable",
                    f"{where}not searched for tracking dots ({image.width}x{image.height} px)",
                )
            )
            continue
        pattern = find_tracking_dots(image)
        beat()
        if pattern is not None:
            found.append(Trace("tracking-dots", where + pattern.describe()))
