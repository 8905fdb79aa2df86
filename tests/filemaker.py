# mypy: disable-error-code="no-untyped-call"
# ruff: noqa: RUF001, RUF100
"""Deterministic generators of synthetic test files for the reviewer test suite.

Every public ``make_*`` function takes the output path first, writes the file
and returns the path.  All content is synthetic (fictional states, fictional
offices, no real persons).  Randomness always comes from a seeded
``random.Random`` so that repeated calls with the same arguments produce the
same content; most generators are byte-for-byte reproducible (see the
docstrings for the exceptions).

Cyrillic text is written with MuPDF's built-in Noto Serif font
(``pymupdf.Font(language="ru")``) because the base-14 fonts cannot encode it.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import random
import struct
import zlib
from datetime import datetime
from typing import TYPE_CHECKING

import pymupdf
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps
from PIL.TiffImagePlugin import IFDRational

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__all__ = [
    "DEFAULT_DATE",
    "DEFAULT_REF",
    "build_xmp",
    "make_benchmark_set",
    "make_encrypted_pdf",
    "make_garbage",
    "make_incremental_pdf",
    "make_jpeg_with_exif",
    "make_pdf_flate_bomb",
    "make_png",
    "make_png_pixel_bomb",
    "make_rotated_pdf",
    "make_scanned_pdf",
    "make_text_pdf",
    "make_tiff",
    "make_truncated_pdf",
]

#: Reference number that appears in the default note text.
DEFAULT_REF = "№ 12-05/1174"
#: Date (DD.MM.YYYY) that appears in the default note text.
DEFAULT_DATE = "12.03.2019"

_A4_WIDTH = 595.0
_A4_HEIGHT = 842.0
_MARGIN = 64.0
_FONT_SIZE = 11.0
_LINE_HEIGHT = 15.5
_PDF_DATE_CREATED = "D:20190312101500+03'00'"
_PDF_DATE_MODIFIED = "D:20190312114200+03'00'"
# pymupdf defines these at runtime; its partial annotations do not show them.
_ENCRYPT_AES_256: int = pymupdf.PDF_ENCRYPT_AES_256  # type: ignore[attr-defined]
_ENCRYPT_KEEP: int = pymupdf.PDF_ENCRYPT_KEEP  # type: ignore[attr-defined]

_NOTE_HEAD: tuple[str, ...] = (
    "МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ РЕСПУБЛИКИ СЕВЕРАНИЯ",
    "(синтетический тестовый документ / synthetic test document)",
    "",
    f"{DEFAULT_REF}",
    f"г. Нордград, {DEFAULT_DATE}",
    "",
    "НОТА",
    "",
    "Министерство иностранных дел Республики Северания свидетельствует своё "
    "уважение Посольству Королевства Южания и имеет честь сообщить следующее.",
    "В соответствии с договорённостями, достигнутыми в ходе консультаций, "
    "Министерство предлагает провести очередной раунд переговоров в апреле "
    "текущего года.",
    "",
    f"Ref. No. 12-05/1174 of {DEFAULT_DATE}.",
    "The Ministry of Foreign Affairs of the Republic of Severania presents its "
    "compliments to the Embassy of the Kingdom of Yuzhania.",
)

_FILLER_RU: tuple[str, ...] = (
    "Министерство пользуется случаем, чтобы возобновить Посольству уверения в своём высоком уважении.",
    "Просим подтвердить получение настоящей ноты в установленном порядке.",
    "Проект повестки дня прилагается к настоящей ноте.",
    "Стороны договорились о порядке обмена документами по дипломатическим каналам.",
    "Вопрос о сроках проведения встречи будет согласован дополнительно.",
    "Делегация прибудет в составе пяти человек, список будет направлен отдельно.",
    "Копия документа направлена в Департамент консульской службы.",
    "Ответ просим направить не позднее двадцатого числа текущего месяца.",
    "Предложения по тексту меморандума будут рассмотрены на рабочем уровне.",
    "Для обсуждения технических вопросов предлагается создать рабочую группу.",
)

_FILLER_EN: tuple[str, ...] = (
    "The Ministry avails itself of this opportunity to renew the assurances of its highest consideration.",
    "Kindly acknowledge receipt of this note through the usual channels.",
    "The draft agenda is attached to this note for consideration.",
    "Technical details will be agreed upon at the working level.",
    "The delegation list will be transmitted separately.",
    "A copy of this document has been forwarded to the Consular Department.",
    "A reply is requested no later than the twentieth day of the month.",
    "Comments on the draft memorandum are welcome before the next round.",
)


# --------------------------------------------------------------------------
# internal helpers
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _noto() -> pymupdf.Font:
    """Return the cached built-in Noto Serif font (covers Latin + Cyrillic)."""
    return pymupdf.Font(language="ru")


def _noto_pil(size: int) -> ImageFont.FreeTypeFont:
    """Return a Pillow font built from the same Noto Serif buffer."""
    return ImageFont.truetype(io.BytesIO(_noto().buffer), size)


def _pdf_date(value: str | datetime | None, default: str) -> str:
    """Convert ``value`` to a PDF date string (``None`` gives ``default``)."""
    if value is None:
        return default
    if isinstance(value, datetime):
        stamp = value.strftime("D:%Y%m%d%H%M%S")
        offset = value.utcoffset()
        if offset is None:
            return stamp
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        hours, mins = divmod(abs(minutes), 60)
        return f"{stamp}{sign}{hours:02d}'{mins:02d}'"
    return value


def _doc_id(*parts: object) -> str:
    """Return a deterministic PDF /ID array derived from ``parts``."""
    digest = hashlib.md5(repr(parts).encode("utf-8"), usedforsecurity=False)
    hexid = digest.hexdigest().upper()
    return f"[<{hexid}><{hexid}>]"


def _finalize_pdf(doc: pymupdf.Document, *ident: object) -> None:
    """Remove MuPDF's stray catalog /Info and set a deterministic /ID."""
    catalog = doc.pdf_catalog()
    if doc.xref_get_key(catalog, "Info")[0] != "null":
        doc.xref_set_key(catalog, "Info", "null")
    doc.xref_set_key(-1, "ID", _doc_id(*ident))


def _save_pdf(doc: pymupdf.Document, path: Path) -> None:
    """Save ``doc`` compactly and reproducibly to ``path``."""
    doc.save(str(path), garbage=4, deflate=True, no_new_id=True)


@functools.lru_cache(maxsize=4096)
def _advance(char: str) -> float:
    """Return the Noto advance width of ``char`` for font size 1."""
    return float(_noto().glyph_advance(ord(char)))


def _text_width(text: str, fontsize: float) -> float:
    """Return the width of ``text`` in points (no kerning, like TextWriter)."""
    return sum(_advance(char) for char in text) * fontsize


def _wrap(text: str, width: float, fontsize: float = _FONT_SIZE) -> list[str]:
    """Greedy word wrap of ``text`` to ``width`` points using the Noto font."""
    if not text:
        return [""]
    out: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and _text_width(candidate, fontsize) > width:
            out.append(current)
            current = word
        else:
            current = candidate
    out.append(current)
    return out


def _footer(page_no: int, pages: int) -> str:
    """Return the footer line of 1-based page ``page_no``."""
    return f"Страница {page_no} из {pages} — Page {page_no} of {pages}"


def _page_lines(page_no: int, pages: int, lines: Sequence[str] | None, rng: random.Random) -> list[str]:
    """Return the logical body lines (without footer) of 1-based page ``page_no``."""
    if lines is not None:
        body = list(lines)
    else:
        body = list(_NOTE_HEAD) if page_no == 1 else [f"{DEFAULT_REF} — продолжение (continued)", ""]
        body.append("")
        body.extend(rng.sample(_FILLER_RU, rng.randint(3, 5)))
        body.append("")
        body.extend(rng.sample(_FILLER_EN, rng.randint(2, 3)))
        body.append("")
        body.append(f"Контрольный код / Control code: {rng.getrandbits(48):012X}")
    return body


def _draw_text_page(page: pymupdf.Page, text_lines: Sequence[str], footer: str) -> None:
    """Write ``text_lines`` (wrapped, clipped to the page) and ``footer`` onto ``page``.

    The footer sits at a fixed position near the bottom edge and is always
    written, even when the body overflows and is cut off.
    """
    font = _noto()
    writer = pymupdf.TextWriter(page.rect)
    width = page.rect.width - 2 * _MARGIN
    y = _MARGIN + _FONT_SIZE
    bottom = page.rect.height - _MARGIN - 2 * _LINE_HEIGHT
    for logical in text_lines:
        for line in _wrap(logical, width):
            if y > bottom:
                break
            if line:
                writer.append((_MARGIN, y), line, font=font, fontsize=_FONT_SIZE)
            y += _LINE_HEIGHT
    writer.append((_MARGIN, page.rect.height - 30), footer, font=font, fontsize=_FONT_SIZE - 1)
    writer.write_text(page)
    # a thin letterhead rule, as on printed notes
    page.draw_line((_MARGIN, _MARGIN - 12), (page.rect.width - _MARGIN, _MARGIN - 12), width=0.6)


def _build_text_doc(
    pages: int, lines: Sequence[str] | None, seed: int, *, subset: bool = True
) -> pymupdf.Document:
    """Create an in-memory A4 text document with ``pages`` distinct pages.

    ``subset=False`` skips font subsetting (for documents only rendered).
    """
    if pages < 1:
        raise ValueError("pages must be >= 1")
    rng = random.Random(f"text:{seed}")
    doc = pymupdf.open()
    for page_no in range(1, pages + 1):
        page = doc.new_page(width=_A4_WIDTH, height=_A4_HEIGHT)
        _draw_text_page(page, _page_lines(page_no, pages, lines, rng), _footer(page_no, pages))
    if subset:
        doc.subset_fonts()
    return doc


def _render_gray(page: pymupdf.Page, dpi: int) -> Image.Image:
    """Render ``page`` to an 8-bit grayscale Pillow image at ``dpi``."""
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    return Image.frombytes("L", (pix.width, pix.height), pix.samples)


def _noise_layer(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Return a uniformly random 8-bit grayscale image of ``size``."""
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def _add_noise(img: Image.Image, amount: float, rng: random.Random) -> Image.Image:
    """Add grain and dark speckles to an ``L`` image; ``amount`` in [0, 1]."""
    if amount <= 0:
        return img
    amount = min(amount, 1.0)
    amplitude = 40.0 * amount
    width, height = img.size
    # 2-pixel grain (sensor/paper texture), bilinear-upscaled
    small = ((width + 1) // 2, (height + 1) // 2)
    noise = _noise_layer(small, rng).resize(img.size, Image.Resampling.BILINEAR)
    up = noise.point([max(0, round((v - 127.5) / 127.5 * amplitude)) for v in range(256)])
    down = noise.point([max(0, round((127.5 - v) / 127.5 * amplitude)) for v in range(256)])
    out = ImageChops.subtract(ImageChops.add(img, up), down)
    # sparse 3x3 black specks (dust), density grows with amount
    threshold = max(1, round(256 * 0.004 * amount))
    coarse = ((width + 2) // 3, (height + 2) // 3)
    specks = _noise_layer(coarse, rng).point([0 if v < threshold else 255 for v in range(256)])
    specks = specks.resize(img.size, Image.Resampling.NEAREST)
    return ImageChops.darker(out, specks)


def _skew(img: Image.Image, degrees: float) -> Image.Image:
    """Rotate ``img`` by ``degrees`` keeping its size, filling with white."""
    if not degrees:
        return img
    fill: int | tuple[int, ...] = 255 if img.mode == "L" else (255,) * len(img.getbands())
    return img.rotate(degrees, resample=Image.Resampling.BILINEAR, fillcolor=fill)


def _stamp_layer(diameter: int, rng: random.Random) -> Image.Image:
    """Draw a round blue office stamp (white background, RGB)."""
    pad = 8
    size = diameter + 2 * pad
    ink = (38, 62, 168)
    layer = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    width = max(2, diameter // 60)
    draw.ellipse((pad, pad, pad + diameter, pad + diameter), outline=ink, width=width)
    inner = diameter // 9
    draw.ellipse(
        (pad + inner, pad + inner, pad + diameter - inner, pad + diameter - inner),
        outline=ink,
        width=max(1, width // 2),
    )
    # ring text, glyph by glyph
    ring_font = _noto_pil(max(8, diameter // 14))
    ring_text = "МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ * СЕВЕРАНИЯ * "
    centre = size / 2
    radius = diameter / 2 - inner / 2
    for i, char in enumerate(ring_text):
        angle = 2 * math.pi * i / len(ring_text) - math.pi / 2
        x = centre + radius * math.cos(angle)
        y = centre + radius * math.sin(angle)
        draw.text((x, y), char, fill=ink, font=ring_font, anchor="mm")
    centre_font = _noto_pil(max(8, diameter // 9))
    draw.text((centre, centre - diameter / 12), "ДЛЯ", fill=ink, font=centre_font, anchor="mm")
    draw.text((centre, centre + diameter / 12), "ПАКЕТОВ", fill=ink, font=centre_font, anchor="mm")
    layer = layer.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    # uneven ink: lighten random patches
    blotch = _noise_layer((size // 8 + 1, size // 8 + 1), rng).resize((size, size), Image.Resampling.BILINEAR)
    blotch = blotch.point([round(v * 0.45) for v in range(256)]).convert("RGB")
    return ImageChops.add(layer, blotch)


def _apply_stamp(img: Image.Image, rng: random.Random) -> Image.Image:
    """Multiply a blue stamp onto the lower right area of ``img`` (-> RGB)."""
    rgb = img.convert("RGB")
    diameter = int(min(rgb.size) * 0.26)
    stamp = _stamp_layer(diameter, rng)
    x = int(rgb.width * rng.uniform(0.55, 0.62))
    y = int(rgb.height * rng.uniform(0.60, 0.70))
    region = rgb.crop((x, y, x + stamp.width, y + stamp.height))
    rgb.paste(ImageChops.multiply(region, stamp), (x, y))
    return rgb


def _jpeg_bytes(img: Image.Image, quality: int = 80, dpi: int | None = None) -> bytes:
    """Encode ``img`` as baseline JPEG."""
    buf = io.BytesIO()
    if dpi is None:
        img.save(buf, "JPEG", quality=quality, optimize=True)
    else:
        img.save(buf, "JPEG", quality=quality, optimize=True, dpi=(dpi, dpi))
    return buf.getvalue()


def _scan_images(
    *,
    pages: int,
    dpi: int,
    skew_degrees: float,
    noise: float,
    stamp: bool,
    lines: Sequence[str] | None,
    seed: int,
) -> list[Image.Image]:
    """Render scanned-looking page images (mode ``L`` or ``RGB`` if stamped)."""
    rng = random.Random(f"scan:{seed}")
    images: list[Image.Image] = []
    with _build_text_doc(pages, lines, seed, subset=False) as doc:
        for page in doc:
            img = _render_gray(page, dpi)
            # scanner glass is never perfectly white
            img = img.point([round(18 + v * 0.90) for v in range(256)])
            img = _skew(img, skew_degrees)
            img = _add_noise(img, noise, rng)
            if stamp:
                img = _apply_stamp(img, rng)
            images.append(img)
    return images


def _perspective_coeffs(
    dst: Sequence[tuple[float, float]], src: Sequence[tuple[float, float]]
) -> tuple[float, ...]:
    """Coefficients for ``Image.transform(PERSPECTIVE)`` mapping ``dst`` -> ``src``."""
    rows: list[list[float]] = []
    rhs: list[float] = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.append(v)
    # Gaussian elimination with partial pivoting (8x8)
    n = 8
    mat = [[*row, b] for row, b in zip(rows, rhs, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(mat[r][col]))
        mat[col], mat[pivot] = mat[pivot], mat[col]
        for r in range(n):
            if r != col:
                factor = mat[r][col] / mat[col][col]
                for c in range(col, n + 1):
                    mat[r][c] -= factor * mat[col][c]
    return tuple(mat[i][n] / mat[i][i] for i in range(n))


# --------------------------------------------------------------------------
# public generators
# --------------------------------------------------------------------------


def build_xmp(
    *,
    title: str = "Нота 12-05/1174",
    creator: str = "Synthetic Author",
    create_date: str = "2019-03-12T10:15:00+03:00",
    modify_date: str = "2019-03-12T11:42:00+03:00",
    creator_tool: str = "Microsoft Word 2016 (synthetic)",
    producer: str = "Synthetic PDF Producer 1.0",
    document_id: str = "uuid:00000000-0000-4000-8000-000000001174",
    instance_id: str = "uuid:00000000-0000-4000-8000-000000000001",
) -> str:
    """Return a small, well-formed XMP packet for ``make_text_pdf(xmp=...)``."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">\n'
        "   <dc:format>application/pdf</dc:format>\n"
        f'   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li>'
        "</rdf:Alt></dc:title>\n"
        f"   <dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>\n"
        f"   <xmp:CreateDate>{create_date}</xmp:CreateDate>\n"
        f"   <xmp:ModifyDate>{modify_date}</xmp:ModifyDate>\n"
        f"   <xmp:MetadataDate>{modify_date}</xmp:MetadataDate>\n"
        f"   <xmp:CreatorTool>{creator_tool}</xmp:CreatorTool>\n"
        f"   <pdf:Producer>{producer}</pdf:Producer>\n"
        f"   <xmpMM:DocumentID>{document_id}</xmpMM:DocumentID>\n"
        f"   <xmpMM:InstanceID>{instance_id}</xmpMM:InstanceID>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )


def make_text_pdf(
    path: Path,
    *,
    pages: int = 1,
    lines: Sequence[str] | None = None,
    title: str = "Нота 12-05/1174",
    author: str = "Synthetic Author",
    producer: str | None = None,
    creator: str | None = None,
    creation_date: str | datetime | None = None,
    mod_date: str | datetime | None = None,
    xmp: str | None = None,
    page_labels: bool = False,
    rotation: int = 0,
    seed: int = 0,
) -> Path:
    """Write a born-digital A4 PDF with a real text layer.

    With ``lines=None`` page 1 carries a synthetic Russian/English diplomatic
    note (containing ``DEFAULT_REF`` "№ 12-05/1174" and ``DEFAULT_DATE``
    "12.03.2019"); later pages carry seed-dependent continuation text.  With
    explicit ``lines`` those lines are written on every page (wrapped; what
    does not fit is cut off).  Every page carries the footer
    "Страница N из M — Page N of M" at the bottom (always, and extracted last),
    so pages are always distinct.

    Info dictionary: ``title``, ``author``, ``producer``/``creator`` (omitted
    when ``None``), ``creation_date``/``mod_date`` as PDF date strings or
    ``datetime`` objects; ``None`` means a fixed 2019-03-12 default and ``""``
    omits the key.  ``xmp`` is stored verbatim as the XMP metadata stream
    (see ``build_xmp``).  ``page_labels`` labels page 1 "i" and the following
    pages "1", "2", ...  ``rotation`` (a multiple of 90) is applied to every
    page via ``/Rotate``.  Output is byte-for-byte deterministic.
    """
    if rotation % 90:
        raise ValueError("rotation must be a multiple of 90")
    with _build_text_doc(pages, lines, seed) as doc:
        meta: dict[str, str] = {"title": title, "author": author}
        if producer is not None:
            meta["producer"] = producer
        if creator is not None:
            meta["creator"] = creator
        created = _pdf_date(creation_date, _PDF_DATE_CREATED)
        modified = _pdf_date(mod_date, _PDF_DATE_MODIFIED)
        if created:
            meta["creationDate"] = created
        if modified:
            meta["modDate"] = modified
        doc.set_metadata(meta)
        if xmp is not None:
            doc.set_xml_metadata(xmp)
        if page_labels:
            labels: list[dict[str, str | int]] = [
                {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1}
            ]
            if pages > 1:
                labels.append({"startpage": 1, "prefix": "", "style": "D", "firstpagenum": 1})
            doc.set_page_labels(labels)
        if rotation:
            for page in doc:
                page.set_rotation(rotation)
        _finalize_pdf(doc, "text", pages, tuple(lines or ()), title, seed)
        _save_pdf(doc, path)
    return path


def make_scanned_pdf(
    path: Path,
    *,
    pages: int = 1,
    dpi: int = 200,
    skew_degrees: float = 0.0,
    noise: float = 0.0,
    stamp: bool = False,
    lines: Sequence[str] | None = None,
    seed: int = 0,
) -> Path:
    """Write an image-only ("scanned") A4 PDF with no text layer.

    Each page is the text page of ``make_text_pdf`` (same ``lines``/``seed``
    semantics) rendered at ``dpi`` in grayscale, rotated by ``skew_degrees``,
    with ``noise`` (0..1) grain and dust, optionally a blue round stamp
    (which makes the page image RGB), JPEG-compressed at quality 80 and placed
    as the only content of the page.  ``page.get_text()`` returns "".
    Output is byte-for-byte deterministic.
    """
    images = _scan_images(
        pages=pages,
        dpi=dpi,
        skew_degrees=skew_degrees,
        noise=noise,
        stamp=stamp,
        lines=lines,
        seed=seed,
    )
    with pymupdf.open() as doc:
        for img in images:
            page = doc.new_page(width=_A4_WIDTH, height=_A4_HEIGHT)
            page.insert_image(page.rect, stream=_jpeg_bytes(img, 80, dpi))
        doc.set_metadata(
            {
                "producer": "Synthetic Scanner Driver 2.1",
                "creator": "ScanApp (synthetic)",
                "creationDate": _PDF_DATE_CREATED,
                "modDate": _PDF_DATE_CREATED,
            }
        )
        _finalize_pdf(doc, "scan", pages, dpi, skew_degrees, noise, stamp, seed)
        doc.save(str(path), garbage=4, deflate=True, no_new_id=True)
    return path


def make_tiff(
    path: Path,
    *,
    pages: int = 3,
    dpi: int = 200,
    bilevel: bool = True,
    noise: float | None = None,
    seed: int = 0,
) -> Path:
    """Write a multi-page scanned-looking TIFF with ``pages`` pages.

    Pages are rendered like ``make_scanned_pdf`` (default text, distinct per
    page) with a small seeded skew and ``noise`` (default 0.15 for bilevel,
    0.05 for grayscale; grain makes Deflate slow and large).
    ``bilevel=True`` stores 1-bit CCITT Group 4 pages (typical fax/scanner
    output); ``bilevel=False`` stores 8-bit grayscale with Deflate.  The
    resolution tag is ``dpi``.  Opens in pymupdf with ``page_count == pages``.
    Output is byte-for-byte deterministic.
    """
    if noise is None:
        noise = 0.15 if bilevel else 0.05
    rng = random.Random(f"tiff:{seed}")
    frames: list[Image.Image] = []
    with _build_text_doc(pages, None, seed, subset=False) as doc:
        for page in doc:
            img = _render_gray(page, dpi)
            img = _skew(img, rng.uniform(-0.8, 0.8))
            img = _add_noise(img, noise, rng)
            if bilevel:
                img = img.point([0 if v < 150 else 255 for v in range(256)]).convert("1")
            frames.append(img)
    compression = "group4" if bilevel else "tiff_deflate"
    frames[0].save(
        path,
        format="TIFF",
        save_all=True,
        append_images=frames[1:],
        compression=compression,
        dpi=(dpi, dpi),
    )
    return path


def _gps_dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """Convert decimal degrees to EXIF (deg, min, sec) rationals."""
    value = abs(value)
    degrees = int(value)
    minutes_f = (value - degrees) * 60
    minutes = int(minutes_f)
    seconds = round((minutes_f - minutes) * 60 * 10000)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 10000)


def make_jpeg_with_exif(
    path: Path,
    *,
    make: str = "Canon",
    model: str = "EOS 80D",
    software: str | None = None,
    datetime_original: str = "2019:03:12 10:15:00",
    gps: tuple[float, float] | None = None,
    width: int = 1200,
    height: int = 1600,
    seed: int = 0,
) -> Path:
    """Write a camera/phone photo of a printed page with real EXIF metadata.

    The default note page is warped with a seeded perspective onto a dark
    desk background with uneven lighting.  EXIF: Make (0x010F), Model
    (0x0110), Software (0x0131, only if given), DateTime (0x0132), and in the
    Exif IFD (0x8769) DateTimeOriginal (0x9003), DateTimeDigitized (0x9004),
    pixel dimensions and a few exposure values; with ``gps=(lat, lon)`` a GPS
    IFD (0x8825) with N/S/E/W refs and DMS rationals.  Output is byte-for-byte
    deterministic.
    """
    rng = random.Random(f"photo:{seed}")
    # page image: paper-coloured, sized to ~80 % of the frame height
    page_h = int(height * 0.80)
    page_w = int(page_h * _A4_WIDTH / _A4_HEIGHT)
    if page_w > width * 0.86:
        page_w = int(width * 0.86)
        page_h = int(page_w * _A4_HEIGHT / _A4_WIDTH)
    dpi = max(36, round(page_h / (_A4_HEIGHT / 72)))
    with _build_text_doc(1, None, seed, subset=False) as doc:
        gray = _render_gray(doc[0], dpi)
    gray = gray.resize((page_w, page_h), Image.Resampling.LANCZOS)
    paper = ImageOps.colorize(gray, black=(35, 33, 40), white=(238, 233, 221)).convert("RGBA")

    # perspective: page corners jittered inside the frame
    cx, cy = width / 2 + rng.uniform(-0.03, 0.03) * width, height / 2
    angle = math.radians(rng.uniform(-4.0, 4.0))
    corners: list[tuple[float, float]] = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        px, py = sx * page_w / 2, sy * page_h / 2
        # top edge slightly narrower: camera tilted towards the page bottom
        if sy < 0:
            px *= 1 - rng.uniform(0.03, 0.07)
        rx = px * math.cos(angle) - py * math.sin(angle)
        ry = px * math.sin(angle) + py * math.cos(angle)
        corners.append(
            (
                cx + rx + rng.uniform(-0.01, 0.01) * width,
                cy + ry + rng.uniform(-0.01, 0.01) * height,
            )
        )
    src = [(0.0, 0.0), (float(page_w), 0.0), (float(page_w), float(page_h)), (0.0, float(page_h))]
    coeffs = _perspective_coeffs(corners, src)
    warped = paper.transform(
        (width, height),
        Image.Transform.PERSPECTIVE,
        coeffs,
        resample=Image.Resampling.BICUBIC,
        fillcolor=(0, 0, 0, 0),
    )

    # dark desk background with some grain
    base = Image.new("RGBA", (width, height), (58, 44, 36, 255))
    grain = _noise_layer((width // 4 + 1, height // 4 + 1), rng).resize(
        (width, height), Image.Resampling.BILINEAR
    )
    grain_rgb = grain.point([round(v * 0.12) for v in range(256)]).convert("RGBA")
    base = ImageChops.add(base, grain_rgb)
    base.putalpha(255)
    photo = Image.alpha_composite(base, warped).convert("RGB")

    # uneven lighting: brighter on one side
    light = Image.linear_gradient("L").rotate(rng.choice((90, -90, 0, 180)))
    light = light.resize((width, height), Image.Resampling.BILINEAR)
    light = light.point([round(190 + v * 65 / 255) for v in range(256)]).convert("RGB")
    photo = ImageChops.multiply(photo, light).filter(ImageFilter.GaussianBlur(0.7))

    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    if software is not None:
        exif[0x0131] = software
    exif[0x0132] = datetime_original
    exif[0x0112] = 1
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = datetime_original
    exif_ifd[0x9004] = datetime_original
    exif_ifd[0xA002] = width
    exif_ifd[0xA003] = height
    exif_ifd[0x829A] = IFDRational(1, 60)
    exif_ifd[0x829D] = IFDRational(28, 10)
    exif_ifd[0x8827] = 400
    exif_ifd[0x920A] = IFDRational(24, 1)
    if gps is not None:
        lat, lon = gps
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[0x0000] = b"\x02\x02\x00\x00"
        gps_ifd[0x0001] = "N" if lat >= 0 else "S"
        gps_ifd[0x0002] = _gps_dms(lat)
        gps_ifd[0x0003] = "E" if lon >= 0 else "W"
        gps_ifd[0x0004] = _gps_dms(lon)
    photo.save(path, "JPEG", quality=88, exif=exif.tobytes())
    return path


def make_png(
    path: Path,
    *,
    width: int = 800,
    height: int = 1000,
    seed: int = 0,
) -> Path:
    """Write a screenshot-like RGB PNG (window title bar + message text).

    The image is exactly ``width`` x ``height`` pixels; the text is a
    seed-dependent selection of the synthetic note sentences.  Output is
    byte-for-byte deterministic.
    """
    rng = random.Random(f"png:{seed}")
    font = _noto()
    with pymupdf.open() as doc:
        page = doc.new_page(width=width, height=height)
        page.draw_rect(pymupdf.Rect(0, 0, width, 36), color=None, fill=(0.20, 0.24, 0.30))
        for i, colour in enumerate(((0.93, 0.35, 0.33), (0.96, 0.75, 0.25), (0.35, 0.78, 0.38))):
            page.draw_circle((18 + 20 * i, 18), 6, color=None, fill=colour)
        writer = pymupdf.TextWriter(page.rect, color=(1, 1, 1))
        writer.append((90, 23), "Secure Messenger (synthetic) — Входящие", font=font, fontsize=12)
        writer.write_text(page)
        writer = pymupdf.TextWriter(page.rect, color=(0.1, 0.1, 0.12))
        y = 70.0
        box_w = min(width - 60.0, 520.0)
        pool = list(_FILLER_RU + _FILLER_EN)
        messages = [f"Исх. {DEFAULT_REF} от {DEFAULT_DATE}", *rng.sample(pool, k=min(8, len(pool)))]
        for n, message in enumerate(messages):
            wrapped = _wrap(message, box_w - 24, 11)
            box_h = 16 + 15.5 * len(wrapped)
            if y + box_h > height - 20:
                break
            x = 20.0 if n % 2 == 0 else width - 20.0 - box_w
            fill = (0.92, 0.94, 0.97) if n % 2 == 0 else (0.85, 0.95, 0.86)
            page.draw_rect(pymupdf.Rect(x, y, x + box_w, y + box_h), color=None, fill=fill, radius=0.08)
            ty = y + 20
            for line in wrapped:
                writer.append((x + 12, ty), line, font=font, fontsize=11)
                ty += 15.5
            y += box_h + 14
        writer.write_text(page)
        pix = page.get_pixmap(dpi=72, alpha=False)
        img = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    if img.size != (width, height):
        img = img.resize((width, height), Image.Resampling.LANCZOS)
    img.save(path, "PNG", optimize=True)
    return path


def make_encrypted_pdf(
    path: Path,
    *,
    user_password: str = "secret",
    owner_password: str = "owner",
) -> Path:
    """Write an AES-256 encrypted 2-page PDF that needs ``user_password``.

    Page 1 starts with the line "Encrypted content".  Not byte-deterministic:
    the encryption keys/IVs are random on every save (content is identical).
    """
    lines = ["Encrypted content", "Зашифрованное содержимое", f"Ref. {DEFAULT_REF}"]
    with _build_text_doc(2, lines, 0) as doc:
        doc.set_metadata(
            {
                "title": "Encrypted note",
                "author": "Synthetic Author",
                "creationDate": _PDF_DATE_CREATED,
                "modDate": _PDF_DATE_CREATED,
            }
        )
        _finalize_pdf(doc, "encrypted")
        doc.save(
            str(path),
            garbage=4,
            deflate=True,
            no_new_id=True,
            encryption=_ENCRYPT_AES_256,
            user_pw=user_password,
            owner_pw=owner_password,
        )
    return path


def make_truncated_pdf(path: Path, *, keep_bytes: int = 200) -> Path:
    """Write only the first ``keep_bytes`` bytes of a valid 3-page text PDF.

    The source PDF (about 52 KB) stores its page tree in a compressed object
    stream at the end, so any truncation loses it: MuPDF 1.28 opens the
    result (after repair) with ``page_count == 0`` for every ``keep_bytes``
    checked (100 .. full size - 100).  Raises ``ValueError`` if ``keep_bytes``
    is not smaller than the full file.  Output is byte-for-byte deterministic.
    """
    with _build_text_doc(3, None, 7) as doc:
        doc.set_metadata({"title": "Truncated", "creationDate": _PDF_DATE_CREATED})
        _finalize_pdf(doc, "truncated")
        data = doc.tobytes(garbage=4, deflate=True, no_new_id=True, use_objstms=1)
    if not 0 <= keep_bytes < len(data):
        raise ValueError(f"keep_bytes must be in [0, {len(data)})")
    path.write_bytes(data[:keep_bytes])
    return path


def make_garbage(path: Path, *, size: int = 4096, seed: int = 0) -> Path:
    """Write ``size`` seeded random bytes (no valid file signature)."""
    data = bytearray(random.Random(f"garbage:{seed}").randbytes(size))
    if data and data[0] in b"%\x89\xffIMPG":
        data[0] = 0x00  # never start like PDF/PNG/JPEG/TIFF/ZIP/GIF
    path.write_bytes(bytes(data))
    return path


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    """Return one PNG chunk with length and CRC."""
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def make_png_pixel_bomb(path: Path, *, width: int = 100_000, height: int = 100_000) -> Path:
    """Write a tiny PNG whose IHDR claims ``width`` x ``height`` 8-bit RGB.

    The IDAT holds only four zero rows (a truncated image), so the file stays
    a few KB while a naive decoder would allocate ``width*height*3`` bytes.
    Note: Pillow's ``Image.open`` raises ``DecompressionBombError`` for such
    sizes unless ``Image.MAX_IMAGE_PIXELS`` is raised/disabled.  Output is
    byte-for-byte deterministic.
    """
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = bytes(1 + width * 3)  # filter byte 0 + black pixels
    rows = min(height, 4)
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(row) for _ in range(rows)) + comp.flush(zlib.Z_SYNC_FLUSH)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )
    path.write_bytes(data)
    return path


def _zero_deflate(total: int, chunk: int = 1 << 20) -> bytes:
    """Return a complete zlib stream that inflates to ``total`` zero bytes.

    One chunk of zeros is compressed once (full flush => self-contained,
    byte-aligned block) and repeated; the Adler-32 of n zeros is
    ``(n mod 65521) << 16 | 1``.  Fast and needs only ~``chunk`` bytes.
    """

    def block(n: int) -> bytes:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        return comp.compress(bytes(n)) + comp.flush(zlib.Z_FULL_FLUSH)

    count, rest = divmod(total, chunk)
    parts = [b"\x78\xda"]
    if count:
        parts.append(block(chunk) * count)
    if rest:
        parts.append(block(rest))
    parts.append(b"\x03\x00")  # empty final fixed-Huffman block
    parts.append(struct.pack(">I", ((total % 65521) << 16) | 1))
    return b"".join(parts)


def make_pdf_flate_bomb(path: Path, *, side: int = 20_000) -> Path:
    """Write a 1-page PDF drawing one ``side`` x ``side`` 8-bit RGB image.

    The image stream is FlateDecode and inflates to ``side*side*3`` zero
    bytes (1.2 GB for the default) while the file is ~1.2 MB.  The PDF is
    written by hand with a correct xref table; generation takes well under a
    second and little memory.  Output is byte-for-byte deterministic.
    """
    image = _zero_deflate(side * side * 3)
    content = b"q\n500 0 0 500 47.5 171 cm\n/Im0 Do\nQ\n"
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        (
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
            b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode "
            b"/Length %d >>\nstream\n" % (side, side, len(image))
        )
        + image
        + b"\nendstream",
        b"<< /Producer (Synthetic Bomb Writer) /CreationDate (D:20190312101500+03'00') >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    ident = hashlib.md5(b"flate-bomb-%d" % side, usedforsecurity=False).hexdigest().upper()
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R /ID [<%s><%s>] >>\n" % (
        len(objects) + 1,
        len(objects),
        ident.encode(),
        ident.encode(),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    path.write_bytes(bytes(out))
    return path


def make_rotated_pdf(path: Path, *, rotation: int = 90) -> Path:
    """Write a 1-page text PDF whose page has ``/Rotate rotation``."""
    return make_text_pdf(path, pages=1, rotation=rotation, title="Rotated note")


def make_incremental_pdf(path: Path) -> Path:
    """Write a 2-page text PDF, then update it with an incremental save.

    Revision 1: title "Нота 12-05/1174 (draft)".  Revision 2 (appended
    after the first ``%%EOF``): title "Нота 12-05/1174 (final)", a later
    ModDate, and the line "Дополнение / Addendum: согласовано 14.03.2019"
    added to page 1.  The file therefore contains two ``%%EOF`` markers and
    two xref sections.  Output is byte-for-byte deterministic.
    """
    make_text_pdf(path, pages=2, title="Нота 12-05/1174 (draft)", seed=3)
    with pymupdf.open(str(path)) as doc:
        meta = dict(doc.metadata)
        meta["title"] = "Нота 12-05/1174 (final)"
        meta["modDate"] = "D:20190314093000+03'00'"
        doc.set_metadata({k: v for k, v in meta.items() if k not in ("format", "encryption") and v})
        page = doc[0]
        writer = pymupdf.TextWriter(page.rect, color=(0.1, 0.1, 0.5))
        writer.append(
            (_MARGIN, page.rect.height - _MARGIN + 6),
            "Дополнение / Addendum: согласовано 14.03.2019",
            font=_noto(),
            fontsize=_FONT_SIZE,
        )
        writer.write_text(page)
        doc.subset_fonts()
        doc.save(
            str(path),
            incremental=True,
            deflate=True,
            encryption=_ENCRYPT_KEEP,
            no_new_id=True,
        )
    return path


def make_benchmark_set(
    folder: Path,
    *,
    born_digital: int = 60,
    scans: int = 20,
    seed: int = 0,
) -> list[Path]:
    """Write a benchmark corpus into ``folder`` and return the file paths.

    ``born_digital`` 5-page text PDFs (``text_NNN.pdf``) and ``scans``
    2-page 200-dpi scanned PDFs (``scan_NNN.pdf``, light skew/noise, every
    third one stamped).  Every file has distinct content (distinct SHA-256)
    and is deterministic for a given ``seed``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for i in range(born_digital):
        file_seed = seed * 100_003 + i
        paths.append(
            make_text_pdf(
                folder / f"text_{i:03d}.pdf",
                pages=5,
                title=f"Нота 12-05/{1174 + i}",
                seed=file_seed,
            )
        )
    rng = random.Random(f"bench:{seed}")
    for i in range(scans):
        file_seed = seed * 100_003 + 50_000 + i
        paths.append(
            make_scanned_pdf(
                folder / f"scan_{i:03d}.pdf",
                pages=2,
                dpi=200,
                skew_degrees=round(rng.uniform(-1.5, 1.5), 2),
                noise=round(rng.uniform(0.05, 0.3), 2),
                stamp=i % 3 == 0,
                seed=file_seed,
            )
        )
    return paths


# --------------------------------------------------------------------------
# colour scans, printer tracking dots and deliberately dirty files
# (for reviewer check-publication)
# --------------------------------------------------------------------------


def colour_scan_image(
    *,
    dpi: int = 600,
    size_inches: tuple[float, float] = (4.0, 5.0),
    tracking_dots: bool = False,
    seed: int = 0,
) -> Image.Image:
    """Return an RGB scan of the top-left ``size_inches`` of a colour-printed text page.

    Black text on slightly warm paper with per-channel sensor noise, a red heading rule, a yellow
    highlighter band and a small yellow logo (large yellow areas a detector must not count), and a
    blue stamp.  With ``tracking_dots`` a colour laser printer's Machine Identification Code is
    printed over the whole page: faint yellow dots about 0.1 mm wide on a 1 mm grid, in blocks of
    15 x 8 positions (top row and left column always set, the rest encoding a seeded serial
    number), the block repeating every 16 x 9 mm, as on a Xerox DocuColor page.
    Deterministic for a given ``seed``.
    """
    import numpy as np

    rng = random.Random(f"colour-scan:{seed}")
    width, height = round(size_inches[0] * dpi), round(size_inches[1] * dpi)
    with _build_text_doc(1, None, seed, subset=False) as doc:
        page = doc[0]
        clip = pymupdf.Rect(0, 0, size_inches[0] * 72, size_inches[1] * 72)
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False, clip=clip)
        grey = Image.frombytes("L", (pix.width, pix.height), pix.samples).resize((width, height))
    ink = np.asarray(grey, dtype=np.float32) / 255.0  # 1 paper, 0 ink
    paper = np.array([246.0, 243.0, 236.0], dtype=np.float32)
    pixels = ink[..., None] * paper + (1 - ink[..., None]) * np.array([30.0, 30.0, 34.0])
    mm = dpi / 25.4
    # red heading rule, yellow highlighter over a line of text, a yellow logo square
    pixels[round(8 * mm) : round(9.2 * mm), round(10 * mm) : width - round(10 * mm)] = (200, 40, 40)
    band = (slice(round(30 * mm), round(35 * mm)), slice(round(20 * mm), round(80 * mm)))
    pixels[band] = pixels[band] * np.array([1.0, 1.0, 0.35], dtype=np.float32)
    pixels[round(12 * mm) : round(24 * mm), width - round(30 * mm) : width - round(18 * mm)] = (240, 205, 40)
    # a blue stamp ring
    yy, xx = np.ogrid[:height, :width]
    cy, cx, radius = round(90 * mm), round(70 * mm), 14 * mm
    ring = np.abs(np.hypot(yy - cy, xx - cx) - radius) < 0.6 * mm
    pixels[ring] = (60, 80, 170)
    if tracking_dots:
        _draw_tracking_dots(pixels, mm, rng)
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0.0, 2.5, pixels.shape)
    out = np.clip(pixels + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(out, "RGB").filter(ImageFilter.GaussianBlur(0.4))


def _draw_tracking_dots(pixels: object, mm: float, rng: random.Random) -> None:
    """Print a MIC pattern into float RGB ``pixels`` (height x width x 3) in place."""
    import numpy as np

    assert isinstance(pixels, np.ndarray)
    height, width = pixels.shape[:2]
    bits = [[r == 0 or c == 0 or rng.random() < 0.45 for c in range(15)] for r in range(8)]
    sigma = 0.05 * mm  # a dot about 0.1 mm across
    reach = max(2, math.ceil(3 * sigma))
    offsets = np.arange(-reach, reach + 1)
    bump = np.exp(-(offsets[:, None] ** 2 + offsets[None, :] ** 2) / (2 * sigma**2))
    # toner on paper: blue drops a lot, red and green barely
    drop = np.stack([bump * 6.0, bump * 10.0, bump * 70.0], axis=-1)
    x0, y0 = 3.3 * mm, 2.7 * mm
    for by in range(int(height / (9 * mm)) + 1):
        for bx in range(int(width / (16 * mm)) + 1):
            for r in range(8):
                for c in range(15):
                    if not bits[r][c]:
                        continue
                    x = round(x0 + (bx * 16 + c) * mm)
                    y = round(y0 + (by * 9 + r) * mm)
                    if reach <= x < width - reach and reach <= y < height - reach:
                        pixels[y - reach : y + reach + 1, x - reach : x + reach + 1] -= drop


def make_colour_scan(
    path: Path,
    *,
    dpi: int = 600,
    size_inches: tuple[float, float] = (4.0, 5.0),
    tracking_dots: bool = False,
    seed: int = 0,
) -> Path:
    """Write ``colour_scan_image(...)`` as PNG, JPEG (quality 95, no chroma subsampling, as a
    scanner's "best quality" setting writes it) or a one-page PDF holding that JPEG, by the suffix
    of ``path``.  Deterministic for a given ``seed``."""
    image = colour_scan_image(dpi=dpi, size_inches=size_inches, tracking_dots=tracking_dots, seed=seed)
    suffix = path.suffix.lower()
    if suffix == ".png":
        image.save(path, "PNG", dpi=(dpi, dpi))
    elif suffix in (".jpg", ".jpeg"):
        image.save(path, "JPEG", quality=95, subsampling=0, dpi=(dpi, dpi))
    elif suffix == ".pdf":
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=95, subsampling=0, dpi=(dpi, dpi))
        with pymupdf.open() as doc:
            page = doc.new_page(width=size_inches[0] * 72, height=size_inches[1] * 72)
            page.insert_image(page.rect, stream=buffer.getvalue())
            _finalize_pdf(doc, "colour-scan", dpi, tracking_dots, seed)
            doc.save(str(path), garbage=4, deflate=True, no_new_id=True)
    else:
        raise ValueError("make_colour_scan writes .png, .jpg or .pdf")
    return path


def make_dirty_pdf(path: Path) -> Path:
    """Write a 2-page PDF full of what identifies a source, then update it incrementally.

    Info dictionary: Author "Ivan Petrov", Creator "Microsoft Word 2016", Producer, Title, Subject,
    Keywords, dates; an XMP packet (``build_xmp`` with creator "Ivan Petrov"); page labels with the
    prefix "petrov-"; a text annotation whose author (/T) is "ipetrov"; an embedded file
    "C:\\Users\\ipetrov\\Desktop\\source.txt".  The incremental update (second ``%%EOF``) changes
    the title.  Not byte-deterministic (MuPDF dates the embedded file).
    """
    with _build_text_doc(2, None, 11) as doc:
        doc.set_metadata(
            {
                "title": "Нота 12-05/1174",
                "author": "Ivan Petrov",
                "creator": "Microsoft Word 2016",
                "producer": "Microsoft: Print To PDF",
                "subject": "internal",
                "keywords": "ministry, draft",
                "creationDate": _PDF_DATE_CREATED,
                "modDate": _PDF_DATE_MODIFIED,
            }
        )
        doc.set_xml_metadata(build_xmp(creator="Ivan Petrov"))
        doc.set_page_labels([{"startpage": 0, "prefix": "petrov-", "style": "D", "firstpagenum": 1}])
        annot = doc[0].add_text_annot((100, 100), "checked")
        annot.set_info(title="ipetrov", content="checked")
        annot.update()
        doc.embfile_add("source.txt", b"notes\n", filename="C:\\Users\\ipetrov\\Desktop\\source.txt")
        _finalize_pdf(doc, "dirty")
        _save_pdf(doc, path)
    with pymupdf.open(str(path)) as doc:
        meta = {k: v for k, v in doc.metadata.items() if k not in ("format", "encryption") and v}
        doc.set_metadata({**meta, "title": "Нота 12-05/1174 (final)"})
        doc.save(str(path), incremental=True, encryption=_ENCRYPT_KEEP, no_new_id=True)
    return path


def make_dirty_jpeg(path: Path) -> Path:
    """Write a camera JPEG with GPS, camera and lens serial numbers, an owner name, an Artist, a
    maker note, a JPEG comment and an EXIF thumbnail.  Deterministic."""
    make_jpeg_with_exif(path, gps=(53.9045, 27.5615), width=640, height=800, software="Camera FW 1.2")
    with Image.open(path) as img:
        img.load()
        exif = img.getexif()
        photo = img.copy()
    exif[0x013B] = "Ivan Petrov"  # Artist
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0xA430] = "Ivan Petrov"  # CameraOwnerName
    exif_ifd[0xA431] = "083024001234"  # BodySerialNumber
    exif_ifd[0xA435] = "0000c1234a"  # LensSerialNumber
    exif_ifd[0x927C] = b"Canon\x00maker note 083024001234"  # MakerNote
    thumb = io.BytesIO()
    photo.resize((120, 160)).save(thumb, "JPEG", quality=70)
    photo.save(path, "JPEG", quality=88, exif=_with_thumbnail(exif.tobytes(), thumb.getvalue()))
    _add_jpeg_comment(path, b"scanned by ipetrov@ministry.example")
    return path


def _with_thumbnail(exif: bytes, thumbnail: bytes) -> bytes:
    """Append an IFD1 holding a JPEG thumbnail to little- or big-endian EXIF bytes from Pillow."""
    head = exif[:6] if exif.startswith(b"Exif\x00\x00") else b""
    tiff = bytearray(exif[len(head) :])
    order = "<" if tiff[:2] == b"II" else ">"
    ifd0 = struct.unpack(order + "I", tiff[4:8])[0]
    count = struct.unpack(order + "H", tiff[ifd0 : ifd0 + 2])[0]
    link = ifd0 + 2 + 12 * count
    ifd1 = len(tiff) + (len(tiff) % 2)
    tiff += b"\x00" * (ifd1 - len(tiff))
    entries = [(0x0103, 3, 1, 6), (0x0201, 4, 1, ifd1 + 2 + 12 * 3 + 4), (0x0202, 4, 1, len(thumbnail))]
    block = struct.pack(order + "H", len(entries))
    for tag, kind, n, value in entries:
        short = struct.pack(order + "H", value) + b"\x00\x00"
        packed = short if kind == 3 else struct.pack(order + "I", value)
        block += struct.pack(order + "HHI", tag, kind, n) + packed
    block += struct.pack(order + "I", 0)
    tiff[link : link + 4] = struct.pack(order + "I", ifd1)
    tiff += block + thumbnail
    return head + bytes(tiff)


def _add_jpeg_comment(path: Path, text: bytes) -> None:
    """Insert a COM segment right after SOI."""
    data = path.read_bytes()
    path.write_bytes(data[:2] + b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text + data[2:])


def make_dirty_png(path: Path) -> Path:
    """Write ``make_png`` with tEXt Author/Comment, an iTXt XML:com.adobe.xmp packet and a zTXt
    Software chunk, the comment naming "/home/ipetrov/leaks".  Deterministic."""
    from PIL.PngImagePlugin import PngInfo

    make_png(path, width=400, height=300)
    info = PngInfo()
    info.add_text("Author", "Ivan Petrov")
    info.add_text("Comment", "saved from /home/ipetrov/leaks/screen.png")
    info.add_itxt("XML:com.adobe.xmp", build_xmp(creator="Ivan Petrov"))
    info.add_text("Software", "Greenshot 1.2", zip=True)
    with Image.open(path) as img:
        img.load()
        img.save(path, "PNG", pnginfo=info)
    return path


def make_dirty_tiff(path: Path) -> Path:
    """Write a 1-page grey TIFF with Artist, HostComputer, Software, DateTime, Make, Model and
    ImageDescription tags.  Deterministic."""
    make_tiff(path, pages=1, bilevel=False, noise=0.0)
    with Image.open(path) as img:
        img.load()
        page = img.copy()
    tags = {
        0x013B: "Ivan Petrov",  # Artist
        0x013C: "MINISTRY-PC-042",  # HostComputer
        0x0131: "EPSON Scan 3.9",  # Software
        0x0132: "2019:03:12 10:15:00",  # DateTime
        0x010F: "EPSON",  # Make
        0x0110: "Perfection V39",  # Model
        0x010E: "scan for ipetrov",  # ImageDescription
    }
    from PIL.TiffImagePlugin import ImageFileDirectory_v2

    ifd = ImageFileDirectory_v2()
    for tag, value in tags.items():
        ifd[tag] = value
    page.save(path, "TIFF", compression="tiff_deflate", tiffinfo=ifd, dpi=(200, 200))
    return path
