"""Recognise a file by its first bytes, not by its name: leaks arrive renamed and mislabelled."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True, slots=True)
class FileKind:
    """What a file is: its media type and the name MuPDF knows its format by."""

    media_type: str
    mupdf_type: str
    is_image: bool
    mislabelled: bool = False  # no signature matched: only the file's name suggests this kind


PDF = FileKind("application/pdf", "pdf", is_image=False)

_MAGIC: tuple[tuple[bytes, int, FileKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, FileKind("image/png", "png", True)),
    (b"\xff\xd8\xff", 0, FileKind("image/jpeg", "jpg", True)),
    (b"II*\x00", 0, FileKind("image/tiff", "tiff", True)),
    (b"MM\x00*", 0, FileKind("image/tiff", "tiff", True)),
    (b"II+\x00", 0, FileKind("image/tiff", "tiff", True)),
    (b"MM\x00+", 0, FileKind("image/tiff", "tiff", True)),
    (b"GIF87a", 0, FileKind("image/gif", "gif", True)),
    (b"GIF89a", 0, FileKind("image/gif", "gif", True)),
    (b"BM", 0, FileKind("image/bmp", "bmp", True)),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", 0, FileKind("image/jp2", "jpx", True)),
    (b"\xff\x4f\xff\x51", 0, FileKind("image/jp2", "jpx", True)),
    (b"\x97JB2\r\n\x1a\n", 0, FileKind("image/x-jbig2", "jb2", True)),
    (b"8BPS", 0, FileKind("image/vnd.adobe.photoshop", "psd", True)),
)

_BY_EXTENSION = {
    ".xps": FileKind("application/oxps", "xps", False),
    ".oxps": FileKind("application/oxps", "xps", False),
    ".epub": FileKind("application/epub+zip", "epub", False),
    ".cbz": FileKind("application/vnd.comicbook+zip", "cbz", False),
    ".fb2": FileKind("application/x-fictionbook+xml", "fb2", False),
    ".svg": FileKind("image/svg+xml", "svg", False),
    ".mobi": FileKind("application/x-mobipocket-ebook", "mobi", False),
    ".txt": FileKind("text/plain", "txt", False),
    ".webp": FileKind("image/webp", "webp", True),
    ".pnm": FileKind("image/x-portable-anymap", "pnm", True),
    ".pbm": FileKind("image/x-portable-bitmap", "pnm", True),
    ".pgm": FileKind("image/x-portable-graymap", "pnm", True),
    ".ppm": FileKind("image/x-portable-pixmap", "pnm", True),
}


def sniff(head: bytes, name: str) -> FileKind | None:
    """The kind of a file from its first kilobytes (and, for container formats only, its name)."""
    for magic, offset, kind in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return kind
    # Real PDFs often carry junk (mail headers, a BOM) before the header; readers accept it within 1 KiB.
    if b"%PDF-" in head[:1024]:
        return PDF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _BY_EXTENSION[".webp"]
    return _BY_EXTENSION.get(PurePath(name).suffix.lower())


def guess_from_name(name: str) -> FileKind | None:
    """The kind a file's name claims, for a last attempt when its bytes carry no known signature."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".pdf":
        return PDF
    for _magic, _offset, kind in _MAGIC:
        if suffix.lstrip(".") in (kind.mupdf_type, kind.media_type.rsplit("/", 1)[1]) or (
            suffix in (".tif", ".jpeg") and kind.mupdf_type in ("tiff", "jpg")
        ):
            return kind
    return None
