"""Reading one file in a worker process: copy and hash in one pass, then what MuPDF can tell.

Everything here runs in a worker (see :mod:`reviewer.core.workers`) and returns plain,
picklable data. The copy in the staging folder, not the file at its original place, is what gets
analysed, so what is recorded is exactly what was hashed even if the source changes meanwhile.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import shutil
import uuid
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pymupdf
from PIL import ExifTags, Image

from reviewer.core.forensics.damage import NO_CONTENT, UNREADABLE, damage_warnings, describe_damage
from reviewer.core.forensics.image import image_signals
from reviewer.core.forensics.mupdf_errors import MUPDF_ERRORS
from reviewer.core.forensics.pdf import pdf_signals
from reviewer.core.forensics.phash import phash, phash_hex
from reviewer.core.forensics.placements import TEXTPAGE_FLAGS
from reviewer.core.ingest.read_page import layer_words, words_json
from reviewer.core.ingest.reading import status_without_ocr
from reviewer.core.ingest.sniff import FileKind, guess_from_name, sniff
from reviewer.core.ingest.tasks import CANNOT_COPY, AnalysisTask, FileAnalysis, FileTimes, PageInfo
from reviewer.core.text.entities import extract_entities
from reviewer.core.workers.child import Refusal

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.forensics.placements import Placements
    from reviewer.core.ingest.tasks import ReadingPlan


CHUNK = 1 << 20
MAX_PAGES = 50_000
MAX_XMP_CHARS = 1_000_000
MAX_TEXT_CHARS_PER_PAGE = 2_000_000


def analyse_file(task: AnalysisTask, beat: Callable[[], None]) -> FileAnalysis:
    """Copy, hash and read one file; raise :class:`Refusal` with a plain reason if it cannot be read."""
    staged = Path(task.staging_dir) / f"{uuid.uuid4().hex}.part"
    thumbs = Path(task.staging_dir) / f"{staged.stem}-pages"
    try:
        sha256, size, times = _copy_and_hash(Path(task.source), staged, beat)
        if size == 0:
            raise Refusal("the file is empty (0 bytes)")
        known = (Path(task.originals_dir) / sha256[:2] / sha256).exists()
        if known and not task.analyse_known:
            staged.unlink()
            return FileAnalysis(task.source, sha256, size, times, staged=None, known=True)
        with open(staged, "rb") as handle:
            head = handle.read(4096)
        name = Path(task.source).name
        kind = sniff(head, name)
        if kind is None:
            claimed = guess_from_name(name)
            if claimed is None:
                raise Refusal(
                    "not a document reviewer can read (not a PDF, image or other format MuPDF opens)"
                )
            kind = FileKind(claimed.media_type, claimed.mupdf_type, claimed.is_image, mislabelled=True)
        image_meta = _image_metadata(staged, task.max_pixels) if kind.is_image else {}
        pymupdf.TOOLS.mupdf_warnings(reset=True)
        doc = _open(staged, kind)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    # One opened document for the pages, their thumbnails and the signals: the checks read the
    # pages (fonts, images) the reading has just loaded, instead of parsing a second copy.
    try:
        with doc:
            return _analyse_open(task, doc, staged, thumbs, kind, image_meta, (sha256, size, times), beat)
    except BaseException:
        # once the document is closed (Windows removes no file held open)
        staged.unlink(missing_ok=True)
        shutil.rmtree(thumbs, ignore_errors=True)
        raise


def _analyse_open(
    task: AnalysisTask,
    doc: pymupdf.Document,
    staged: Path,
    thumbs: Path,
    kind: FileKind,
    image_meta: dict[str, Any],
    copied: tuple[str, int, FileTimes],
    beat: Callable[[], None],
) -> FileAnalysis:
    sha256, size, times = copied
    try:
        result = _read_document(task, doc, thumbs, kind, beat)
    except (RuntimeError, ValueError, TypeError, IndexError, KeyError) as exc:
        # MuPDF reports malformed structure as exceptions of these kinds (FzErrorFormat and others)
        raise Refusal(f"the file is malformed and could not be read ({_one_line(exc)})") from None
    metadata = dict(result.metadata)
    pages = result.pages
    file_format = result.file_format
    if image_meta.get("format"):
        file_format = str(image_meta["format"])  # MuPDF calls every image format "Image"
    if image_meta:
        metadata["image"] = image_meta
        sizes = image_meta.get("sizes") or []
        pages = tuple(
            replace(page, pixel_width=sizes[i][0], pixel_height=sizes[i][1]) if i < len(sizes) else page
            for i, page in enumerate(pages)
        )
    if task.reading is not None:
        pages = _with_entities(pages, task.reading)
    opened = replace(task, password=result.password) if result.password is not None else task
    locked = bool(metadata.get("locked"))
    # a locked file's checks wait for its password (the unlock reads it again, as an import does)
    signals = (
        _signals(opened, staged, kind, doc, result.placements) if task.forensics and not locked else None
    )
    beat()
    return FileAnalysis(
        source=task.source,
        sha256=sha256,
        size=size,
        times=times,
        staged=str(staged),
        media_type=kind.media_type,
        file_format=file_format,
        encrypted=result.encrypted,
        pages=pages,
        thumbnails_dir=None if locked else str(thumbs),
        metadata=metadata,
        signals=signals,
        password=result.password,
    )


def _with_entities(pages: tuple[PageInfo, ...], plan: ReadingPlan) -> tuple[PageInfo, ...]:
    """``pages`` with the entities of each one whose text layer decides its reading (as recorded)."""
    found = []
    for page in pages:
        decided = status_without_ocr(page.text, plan.mode, plan.ocr_available) is not None
        if page.words is not None and decided:
            entities = tuple(
                (e.kind.value, e.value, e.text[:500], e.start)
                for e in extract_entities(page.text, plan.watch)
            )
            page = replace(page, entities=entities)
        found.append(page)
    return tuple(found)


def _signals(
    task: AnalysisTask,
    staged: Path,
    kind: FileKind,
    doc: pymupdf.Document,
    placements: Placements | None = None,
) -> tuple[dict[str, Any], ...]:
    """The forensic signals of the staged copy, open as ``doc``; the checks never raise for a bad file."""
    received = _date(task.received_on)
    if kind.mupdf_type == "pdf":
        found = pdf_signals(
            staged,
            password=task.password,
            received=received,
            trust_roots=task.trust_roots,
            document=doc,
            placements=placements,
        )
    elif kind.is_image:
        found = image_signals(staged, received=received, trust_roots=task.trust_roots)
    else:
        return ()  # XPS, EPUB and the like: nothing the checks know how to read
    return tuple(s.as_dict() for s in found)


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _copy_and_hash(source: Path, staged: Path, beat: Callable[[], None]) -> tuple[str, int, FileTimes]:
    flags = os.O_RDONLY | getattr(os, "O_NOATIME", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        try:
            fd = os.open(source, flags)
        except PermissionError:
            fd = os.open(source, flags & ~getattr(os, "O_NOATIME", 0))
    except FileNotFoundError:
        raise Refusal("the file disappeared before it could be read") from None
    except PermissionError:
        raise Refusal("permission denied: the file cannot be read by this user") from None
    except OSError as exc:
        raise Refusal(f"the file cannot be opened ({exc.strerror or exc})") from None
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "rb") as src:
        before = os.fstat(src.fileno())
        times = FileTimes(before.st_mtime, before.st_ctime, before.st_atime)
        # Reading the source and writing the copy fail for different reasons: a bad file is refused,
        # a full or failing disk under the case is named as such (and stops the import).
        try:
            dst = open(staged, "xb", buffering=0)  # noqa: SIM115  (closed below, on every path)
        except OSError as exc:
            raise Refusal(f"{CANNOT_COPY}: {exc.strerror or exc}") from None
        with dst:
            while True:
                try:
                    chunk = src.read(CHUNK)
                except OSError as exc:
                    raise Refusal(f"reading the file failed part-way ({exc.strerror or exc})") from None
                if not chunk:
                    break
                digest.update(chunk)
                try:
                    _write_all(dst, chunk)
                except OSError as exc:
                    raise Refusal(f"{CANNOT_COPY}: {exc.strerror or exc}") from None
                size += len(chunk)
                if size % (64 * CHUNK) == 0:
                    beat()
            try:
                os.fsync(dst.fileno())
            except OSError as exc:
                raise Refusal(f"{CANNOT_COPY}: {exc.strerror or exc}") from None
        after = os.fstat(src.fileno())
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or size != after.st_size:
        raise Refusal("the file changed while it was being read; import it again once it is complete")
    return digest.hexdigest(), size, times


def _write_all(dst: BinaryIO, data: bytes) -> None:
    # unbuffered, so nothing is left to flush (and fail again) when the file is closed after an error
    view = memoryview(data)
    while view:
        written = dst.write(view) or 0
        view = view[written:]


@dataclass(frozen=True, slots=True)
class _DocumentRead:
    file_format: str
    encrypted: bool
    pages: tuple[PageInfo, ...]
    metadata: dict[str, Any]
    password: str | None = None  # the one of the task's that opened it
    placements: Placements | None = None  # where each page's images are, read with its text


def _open(staged: Path, kind: FileKind) -> pymupdf.Document:
    try:
        return pymupdf.open(str(staged), filetype=kind.mupdf_type)
    except (RuntimeError, ValueError) as exc:  # pymupdf.FileDataError is a RuntimeError
        if kind.mislabelled:
            raise Refusal(
                f"the file is named as {kind.mupdf_type.upper()} but its content is not one "
                "(damaged, or not a document at all)"
            ) from None
        if kind.mupdf_type == "pdf":
            raise Refusal("the PDF is damaged beyond repair (truncated or not really a PDF)") from None
        raise Refusal(
            f"the file looks like {kind.media_type} but cannot be decoded ({_one_line(exc)})"
        ) from None


def _read_document(
    task: AnalysisTask, doc: pymupdf.Document, thumbs: Path, kind: FileKind, beat: Callable[[], None]
) -> _DocumentRead:
    encrypted = bool(doc.is_encrypted)
    password = None
    if doc.needs_pass:
        password = next((p for p in task.all_passwords if doc.authenticate(p)), None)
        if password is None:
            # Kept all the same, locked: the evidence is hashed and stored; its pages wait for the
            # password (``reviewer unlock``).
            return _locked(doc, kind, tried=len(task.all_passwords))
    page_count = doc.page_count
    if page_count <= 0:
        raise Refusal("no pages could be read (the file is damaged or truncated)")
    if page_count > MAX_PAGES:
        raise Refusal(f"the file claims {page_count:,} pages, more than the {MAX_PAGES:,} allowed")
    beat()
    thumbs.mkdir()
    pages: list[PageInfo] = []
    problems: list[str] = []
    placements: dict[int, list[dict[str, Any]]] | None = {} if doc.is_pdf else None
    for index in range(page_count):
        pages.append(_read_page(doc, index, thumbs, task.thumbnail_px, problems, placements))
        beat()
    if all(p.width <= 0 for p in pages):
        raise Refusal("no page could be read (the file is damaged)")
    metadata = _document_metadata(doc, kind)
    warnings_text = pymupdf.TOOLS.mupdf_warnings(reset=True)
    lines = [_clean(line) for line in (warnings_text or "").splitlines() if line.strip()]
    if lines:
        metadata["reader_warnings"] = lines[:50]
    if problems:
        metadata["page_problems"] = problems[:200]
    damaged_pages = _damaged_pages(doc, pages)
    if metadata.get("repaired") or damaged_pages:
        # Kept as received (it is the evidence); what the reader had to guess is said everywhere.
        metadata["damage"] = describe_damage(
            repaired=bool(metadata.get("repaired")),
            reason=_repair_reason(lines),
            page_count=page_count,
            pages=damaged_pages,
        )
        metadata["warnings"] = damage_warnings(metadata)
    file_format = _clean(doc.metadata.get("format") or "") if doc.metadata else ""
    return _DocumentRead(
        file_format or kind.mupdf_type.upper(), encrypted, tuple(pages), metadata, password, placements
    )


def _locked(doc: pymupdf.Document, kind: FileKind, *, tried: int) -> _DocumentRead:
    """What can be said of an encrypted file without its password: its format and encryption, no pages."""
    info = {k: _clean(v) for k, v in (doc.metadata or {}).items() if isinstance(v, str) and v}
    if tried == 0:
        reason = "password not known"
    else:
        reason = (
            "the password given does not open it" if tried == 1 else f"none of the {tried} given opens it"
        )
    metadata: dict[str, Any] = {
        "locked": True,
        "locked_reason": reason,
        "encryption": info.get("encryption") or None,
        "mupdf_type": kind.mupdf_type,
    }
    return _DocumentRead(info.get("format") or kind.mupdf_type.upper(), True, (), metadata)


def _damaged_pages(doc: pymupdf.Document, pages: list[PageInfo]) -> dict[int, str]:
    """Pages that could not be read at all, and in a repaired PDF, pages whose content is lost."""
    found = {p.number: UNREADABLE for p in pages if p.width <= 0}
    if not (doc.is_pdf and doc.is_repaired):
        return found  # a sound file's blank page is a blank page
    for info in pages:
        if info.number in found:
            continue
        index = info.number - 1
        try:
            doc.xref_object(doc.page_xref(index))  # raises when the page's own object was lost
            if not doc.load_page(index).get_contents():
                found[info.number] = NO_CONTENT
        except MUPDF_ERRORS:
            found[info.number] = NO_CONTENT  # drawn blank: whatever was on it is lost
    return found


def _repair_reason(lines: list[str]) -> str | None:
    """MuPDF's first complaint about the file, without its error class ("format error: ...")."""
    for line in lines:
        if "error" in line:
            return re.sub(r"^[a-z ]*error:\s*", "", line)[:160] or None
    return lines[0][:160] if lines else None


def _read_page(
    doc: pymupdf.Document,
    index: int,
    thumbs: Path,
    thumbnail_px: int,
    problems: list[str],
    placements: dict[int, list[dict[str, Any]]] | None = None,
) -> PageInfo:
    number = index + 1
    try:
        page = doc.load_page(index)
    except (RuntimeError, ValueError) as exc:
        problems.append(f"page {number} could not be read: {_one_line(exc)}")
        return PageInfo(number, 0.0, 0.0, 0, None, "")
    unrotated = page.cropbox if doc.is_pdf else page.rect
    width, height = float(unrotated.width), float(unrotated.height)
    rotation = int(page.rotation) % 360
    label: str | None = None
    try:
        label = _clean(page.get_label()) or None if doc.is_pdf else None
    except (RuntimeError, ValueError):
        label = None
    words: str | None = None
    try:
        # One text page gives the text (search, entities), the words with their boxes (highlights,
        # selecting) and, with the images kept, where the images are (the checks): the page's content
        # is interpreted once, not once for each.
        flags = TEXTPAGE_FLAGS if placements is not None else pymupdf.TEXTFLAGS_TEXT
        textpage = page.get_textpage(flags=flags)
        if placements is not None:
            placements[index] = textpage.extractIMGINFO()
        full = _clean(page.get_text("text", textpage=textpage))
        text = full[:MAX_TEXT_CHARS_PER_PAGE]
        if len(full) <= MAX_TEXT_CHARS_PER_PAGE:  # a text cut short: reading stores all its words later
            words = words_json(layer_words(page, textpage))
        del textpage
    except (RuntimeError, ValueError) as exc:
        problems.append(f"the text of page {number} could not be read: {_one_line(exc)}")
        text = ""
    fingerprint: str | None = None
    try:
        shown = page.rect
        longest = max(shown.width, shown.height)
        if longest > 0:
            scale = thumbnail_px / longest
            pixmap = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
            image = pixmap_image(pixmap)
            if image is not None:
                save_thumbnail(image, thumbs / thumbnail_name(number))
                fingerprint = phash_hex(phash(image))
    except (RuntimeError, ValueError) as exc:
        problems.append(f"page {number} could not be drawn: {_one_line(exc)}")
    return PageInfo(number, width, height, rotation, label, text, phash=fingerprint, words=words)


#: JPEG quality of a page's thumbnail: text at 200 px stays as legible as in a PNG
THUMBNAIL_QUALITY = 90


def thumbnail_name(number: int) -> str:
    """The file name of page ``number``'s thumbnail (1-based), as ``Store.thumbnail`` finds it."""
    return f"thumb-{number:05d}.jpg"


def pixmap_image(pixmap: pymupdf.Pixmap) -> Image.Image | None:
    """A page drawn without alpha (RGB, or grey) as a Pillow image sharing the pixmap's memory.

    None for an empty pixmap (a page of no size). Keep ``pixmap`` alive while the image is used.
    """
    mode = {1: "L", 3: "RGB"}.get(pixmap.n)
    if mode is None or pixmap.alpha or pixmap.width < 1 or pixmap.height < 1:
        return None
    return Image.frombuffer(
        mode, (pixmap.width, pixmap.height), pixmap.samples_mv, "raw", mode, pixmap.stride, 1
    )


def save_thumbnail(image: Image.Image, path: Path) -> None:
    """Write a thumbnail as JPEG.

    A fifth of the time of a PNG at zlib's fastest level (0.05 s against 0.21 s for 340 thumbnails),
    and about half its bytes (4.5 KiB a page against 7.7): a thumbnail is a picture to recognise a
    page by in the window; pages are always drawn from the original, never from it.
    """
    image.save(path, format="JPEG", quality=THUMBNAIL_QUALITY)


def thumbnail_phash(pixmap: pymupdf.Pixmap) -> str | None:
    """A page's perceptual hash from its thumbnail drawn as at import: 200 px is ample for 32×32."""
    image = pixmap_image(pixmap)
    return phash_hex(phash(image)) if image is not None else None


def _document_metadata(doc: pymupdf.Document, kind: FileKind) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    info = {k: _clean(v) for k, v in (doc.metadata or {}).items() if isinstance(v, str) and v}
    if doc.is_pdf:
        meta["info"] = info
        try:
            xmp = doc.get_xml_metadata()
        except (RuntimeError, ValueError):
            xmp = ""
        if xmp:
            meta["xmp"] = _clean(xmp)[:MAX_XMP_CHARS]
        try:
            labels = doc.get_page_labels()
        except (RuntimeError, ValueError):
            labels = []
        if labels:
            meta["page_label_rules"] = [{k: _json_safe(v) for k, v in rule.items()} for rule in labels]
        meta["encryption"] = info.get("encryption") or None
        meta["permissions"] = int(doc.permissions)
        meta["repaired"] = bool(getattr(doc, "is_repaired", False))
        try:
            meta["embedded_files"] = int(doc.embfile_count())
            meta["has_form"] = bool(doc.is_form_pdf)
            meta["signed"] = doc.get_sigflags() > 0
        except (RuntimeError, ValueError):
            pass
    elif info:
        meta["info"] = info
    meta["mupdf_type"] = kind.mupdf_type
    return meta


def _image_metadata(staged: Path, max_pixels: int) -> dict[str, Any]:
    """Header facts and EXIF of an image, refusing absurd sizes before anything is decoded."""
    meta: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        saved_limit = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None  # our own limit below, on every frame, with a clearer message
        try:
            with Image.open(staged) as image:
                frames = int(getattr(image, "n_frames", 1) or 1)
                meta.update(format=image.format, mode=image.mode, frames=frames)
                dpi = image.info.get("dpi")
                if dpi:
                    meta["dpi"] = [_json_safe(d) for d in dpi]
                sizes = []
                for frame in range(min(frames, MAX_PAGES)):
                    if frame:
                        image.seek(frame)
                    width, height = image.size
                    if width * height > max_pixels:
                        raise Refusal(
                            f"the image is {width:,} × {height:,} pixels, above the limit of "
                            f"{max_pixels // 1_000_000:,} megapixels (damaged, or built to exhaust memory)"
                        )
                    sizes.append([width, height])
                meta["sizes"] = sizes[:100]
                image.seek(0)
                exif = _exif(image)
                if exif:
                    meta["exif"] = exif
        except Refusal:
            raise
        except Exception as exc:  # noqa: BLE001  (Pillow raises many kinds; MuPDF may still read it)
            meta["header_problem"] = _one_line(exc)
        finally:
            Image.MAX_IMAGE_PIXELS = saved_limit
    return meta


def _exif(image: Image.Image) -> dict[str, Any]:
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001  (broken EXIF is common and never fatal)
        return {}
    result: dict[str, Any] = {}
    for tag, value in exif.items():
        result[ExifTags.TAGS.get(tag, f"0x{tag:04x}")] = _json_safe(value)
    for ifd_id, names in ((ExifTags.IFD.Exif, ExifTags.TAGS), (ExifTags.IFD.GPSInfo, ExifTags.GPSTAGS)):
        try:
            ifd = exif.get_ifd(ifd_id)
        except Exception:  # noqa: BLE001
            continue
        group = {names.get(tag, f"0x{tag:04x}"): _json_safe(value) for tag, value in ifd.items()}
        if group:
            result["GPS" if ifd_id == ExifTags.IFD.GPSInfo else "Exif"] = group
    result.pop("ExifOffset", None)
    result.pop("GPSInfo", None)
    return result


def _json_safe(value: Any) -> Any:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, bool | int | None):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else None
    if isinstance(value, bytes):
        if len(value) > 256:
            return f"<{len(value)} bytes>"
        try:
            return _clean(value.decode("ascii")).rstrip("\x00") if value.isascii() else value.hex()
        except UnicodeDecodeError:
            return value.hex()
    if isinstance(value, tuple | list):
        return [_json_safe(v) for v in value[:256]]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in list(value.items())[:256]}
    try:
        number = float(value)  # EXIF rationals
    except (TypeError, ValueError, ZeroDivisionError):
        return _clean(str(value))[:1000]
    return number if number == number and abs(number) != float("inf") else None


def _clean(text: str) -> str:
    """Text that SQLite and JSON accept: no NULs, no lone surrogates."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _one_line(exc: BaseException) -> str:
    """An exception as a short line, without MuPDF's numeric error codes."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = re.sub(r"^code=\d+:\s*", "", text)
    return text[:200]
