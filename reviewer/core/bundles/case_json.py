"""Reading a bundle's case.json (and annotations.jsonld) from elsewhere: hostile until checked.

A bag whose manifests were recomputed after an edit passes the bag check, so every value the merge
uses is checked here, before anything is written: types, ranges, finite numbers, lengths, nesting,
and the known statuses, checklist items and states, annotation kinds and link relations. JSON is
parsed only after its nesting depth was measured on the raw text (Python's parser recurses), and
NaN, Infinity and numbers too large for a float or a database integer are refused.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from reviewer.core.domain.errors import ReviewerError, UsageError
from reviewer.core.domain.quotes import MAX_BOXES, TextQuote
from reviewer.core.domain.values import (
    AnnotationKind,
    ChecklistItem,
    CheckState,
    LinkRelation,
    MetadataField,
    Rect,
    VerificationStatus,
    checked_text,
    normalise_field_value,
    parse_field_name,
    parse_tag,
)

BUNDLE_FORMAT = "reviewer-evidence-bundle"
READABLE_VERSIONS = (1,)
MAX_DEPTH = 32
MAX_INTEGER_DIGITS = 19  # beyond SQLite's 64-bit integers: refused while parsing
MAX_COORDINATE = 1e6  # points; MuPDF's own page size limit is far below this
MAX_PAGE = 1_000_000
MAX_SHORT = 200  # names of people and machines, times, actions
MAX_PATH = 4096
MAX_TEXT = 100_000  # notes, transcriptions, rationales, custody summaries
MAX_ITEMS = 100_000  # entries of any one list

_SHA = re.compile(r"^[0-9a-f]{64}$")
_ANNOTATION_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._:-]{0,35}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A JSON string, unrolled so the regular expression engine does not backtrack on long ones.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_E = TypeVar("_E", VerificationStatus, CheckState, AnnotationKind, LinkRelation, ChecklistItem)


class BundleError(ReviewerError):
    """A bundle reviewer will not merge; nothing was written."""


# --- parsing ----------------------------------------------------------------------------------------


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON ``text`` (strings skipped), without recursing."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(itertools.accumulate(_STEP[c] for c in brackets), default=0)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number reviewer accepts")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is too large a number")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"an integer of {len(text):,} digits is too large")
    return int(text)


def load_json(raw: bytes, name: str) -> Any:
    """Parse bundle JSON: UTF-8, nested at most :data:`MAX_DEPTH` deep, numbers finite and bounded."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BundleError(f"{name} is not UTF-8 text") from None
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise BundleError(f"{name} nests {depth:,} levels deep, more than the {MAX_DEPTH} allowed")
    try:
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
        # "\ud800" escapes a lone surrogate: valid JSON, but no UTF-8 text the database can store
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except json.JSONDecodeError as exc:
        raise BundleError(f"{name} is not valid JSON ({exc})") from None
    except UnicodeEncodeError:
        raise BundleError(f"{name} is malformed: it escapes a character that is not text") from None
    except (ValueError, RecursionError) as exc:
        raise BundleError(f"{name} is malformed: {str(exc)[:200]}") from None
    return data


# --- what the merge uses ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BundleAnnotation:
    """An annotation of the other case, checked."""

    id: str
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    kind: AnnotationKind
    note: str | None
    transcription: str | None
    translation: str | None
    tags: tuple[str, ...]
    quote: TextQuote | None = None  # a text annotation: the words it quotes, and their boxes
    boxes: tuple[Rect, ...] = ()


@dataclass(frozen=True, slots=True)
class BundleSighting:
    """Where the other case had found the file, checked."""

    original_path: str
    original_name: str
    size: int
    modified_at: str | None
    changed_at: str | None
    accessed_at: str | None
    source: str | None
    received_on: str | None
    imported_by: str
    imported_at: str
    host: str


@dataclass(frozen=True, slots=True)
class BundleCustody:
    """An entry of the other case's custody log, checked."""

    at: str
    actor: str
    action: str
    summary: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class BundleCheck:
    """A checklist finding of the other case."""

    item: ChecklistItem
    state: CheckState
    note: str | None


@dataclass(frozen=True, slots=True)
class BundleDocument:
    """A document entry of case.json with every value the merge uses checked."""

    sha256: str
    file: str  # "data/…", a regular file inside the bag
    file_sha256: str  # what the file's bytes must hash to (a redacted copy is not the original)
    name: str
    fields: dict[MetadataField | str, str]
    tags: tuple[str, ...]
    status: VerificationStatus
    status_note: str | None
    checklist: tuple[BundleCheck, ...]
    annotations: tuple[BundleAnnotation, ...]
    sightings: tuple[BundleSighting, ...]
    custody: tuple[BundleCustody, ...]
    # said locked by the other case (encrypted, its password not in the bundle); what the merge finds
    # when it reads the file decides
    locked: bool = False


@dataclass(frozen=True, slots=True)
class BundleLink:
    """A link between two documents of the bundle, each named by its SHA-256."""

    source: str
    target: str
    relation: LinkRelation
    note: str | None


@dataclass(frozen=True, slots=True)
class BundleContents:
    """Everything of case.json the merge uses."""

    documents: tuple[BundleDocument, ...]
    links: tuple[BundleLink, ...]


class _Checker:
    """Walks case.json; the first problem found is raised as a one-line :class:`BundleError`."""

    def __init__(self, bag: Path) -> None:
        self.payload = (bag / "data").resolve()
        self.bag = bag

    @staticmethod
    def fail(where: str, what: str) -> BundleError:
        return BundleError(f"case.json is malformed: {where}: {what}")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"an object was expected, not {_kind(value)}")
        return value

    def items(self, container: dict[str, Any], key: str, where: str) -> list[Any]:
        value = container.get(key, [])
        if not isinstance(value, list):
            raise self.fail(where, f"{key} is {_kind(value)}, not a list")
        if len(value) > MAX_ITEMS:
            raise self.fail(where, f"{key} has {len(value):,} entries, more than {MAX_ITEMS:,}")
        return value

    def text(
        self,
        container: dict[str, Any],
        key: str,
        where: str,
        *,
        limit: int,
        optional: bool = True,
        typed: bool = True,
    ) -> str | None:
        """A text of the bundle; ``typed``: one a person gave (a note, a source), held to what a person
        may type; otherwise read from a file or written by reviewer (a path, a quote, the log): no NUL."""
        value = container.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(where, f"{key} is {_kind(value)}, not text")
        if len(value) > limit:
            raise self.fail(where, f"{key} is {len(value):,} characters long, more than {limit:,}")
        try:
            return checked_text(key, value, controls=not typed)  # alike on both backends
        except UsageError as exc:
            raise self.fail(where, str(exc)) from None

    def required(self, container: dict[str, Any], key: str, where: str, *, limit: int) -> str:
        value = self.text(container, key, where, limit=limit, optional=False, typed=False)
        return value or ""  # text() refuses a missing value when it is not optional

    def integer(self, container: dict[str, Any], key: str, where: str, low: int, high: int) -> int:
        value = container.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"{key} is {_kind(value)}, not a whole number")
        if not low <= value <= high:
            raise self.fail(where, f"{key} is {value}, not between {low:,} and {high:,}")
        return value

    def number(self, container: dict[str, Any], key: str, where: str) -> float:
        value = container.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, f"{key} is {_kind(value)}, not a number")
        number = float(value)
        if not math.isfinite(number) or abs(number) > MAX_COORDINATE:
            raise self.fail(where, f"{key} is {value}, not a coordinate on a page")
        return number

    def enum_value(self, kind: type[_E], value: Any, where: str, what: str) -> _E:
        if not isinstance(value, str) or len(value) > MAX_SHORT:
            raise self.fail(where, f"{what} is {_kind(value)}, not one of {_choices(kind)}")
        try:
            return kind.parse(value)
        except UsageError:
            raise self.fail(where, f"{what} {value!r} is not one of {_choices(kind)}") from None

    def tag(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or len(value) > MAX_SHORT:
            raise self.fail(where, f"a tag is {_kind(value)}, not text of up to 64 characters")
        try:
            return parse_tag(value)
        except UsageError as exc:
            raise self.fail(where, str(exc)) from None

    def sha(self, value: Any, where: str, what: str) -> str:
        if not isinstance(value, str) or not _SHA.match(value):
            raise self.fail(where, f"{what} is not a SHA-256 (64 lowercase hex digits)")
        return value

    # -- the parts -----------------------------------------------------------------------------------

    def contents(self, data: Any) -> BundleContents:
        top = self.obj(data, "the top level")
        if top.get("format") != BUNDLE_FORMAT:
            raise BundleError("case.json is not a reviewer evidence bundle's")
        version = top.get("version", 1)
        if isinstance(version, bool) or version not in READABLE_VERSIONS:
            raise BundleError(f"case.json is of version {str(version)[:20]}, which this reviewer cannot read")
        if not isinstance(top.get("documents"), list):
            raise self.fail("the top level", "there is no document list")
        docs = tuple(
            self.document(entry, f"document {i + 1}")
            for i, entry in enumerate(self.items(top, "documents", "the top level"))
        )
        seen: set[str] = set()
        ids: set[str] = set()
        for doc in docs:
            if doc.file_sha256 in seen:
                raise self.fail(doc.name, "the same file is listed twice")
            seen.add(doc.file_sha256)
            for note in doc.annotations:
                if note.id in ids:
                    raise self.fail(doc.name, f"annotation {note.id} is listed twice")
                ids.add(note.id)
        links = tuple(
            self.link(entry, f"link {i + 1}")
            for i, entry in enumerate(self.items(top, "links", "the top level"))
        )
        return BundleContents(docs, links)

    def document(self, value: Any, where: str) -> BundleDocument:
        entry = self.obj(value, where)
        sha256 = self.sha(entry.get("sha256"), where, "sha256")
        file = entry.get("file")
        if not isinstance(file, str) or not file.startswith("data/") or len(file) > MAX_PATH:
            raise self.fail(where, "a document without its file")
        target = (self.bag / file).resolve()
        if not (target.is_relative_to(self.payload) and target.is_file()):
            raise self.fail(where, f"{file[:200]!r} is not a file of the bundle")
        redacted = entry.get("redacted", False)
        if not isinstance(redacted, bool):
            raise self.fail(where, f"redacted is {_kind(redacted)}, not true or false")
        if "file_sha256" in entry or redacted:
            file_sha256 = self.sha(entry.get("file_sha256"), where, "file_sha256")
        else:
            file_sha256 = sha256
        if not redacted and file_sha256 != sha256:
            raise self.fail(where, "the file's SHA-256 is not the document's, yet it is not a redacted copy")
        locked = entry.get("locked", False)
        if not isinstance(locked, bool):
            raise self.fail(where, f"locked is {_kind(locked)}, not true or false")
        name = self.text(entry, "display_name", where, limit=MAX_PATH, typed=False) or file
        where = f"document {name[:80]!r}"
        status = entry.get("status")
        return BundleDocument(
            sha256=sha256,
            file=file,
            file_sha256=file_sha256,
            name=name,
            fields=self.fields(entry, where),
            tags=tuple(sorted({self.tag(t, where) for t in self.items(entry, "tags", where)})),
            status=VerificationStatus.UNVERIFIED
            if status is None
            else self.enum_value(VerificationStatus, status, where, "status"),
            status_note=self.text(entry, "status_note", where, limit=MAX_TEXT),
            checklist=self.checklist(entry, where),
            annotations=tuple(self.annotation(a, where) for a in self.items(entry, "annotations", where)),
            sightings=tuple(self.sighting(s, where) for s in self.items(entry, "sightings", where)),
            custody=tuple(self.custody(e, where) for e in self.items(entry, "custody", where)),
            locked=locked,
        )

    def fields(self, entry: dict[str, Any], where: str) -> dict[MetadataField | str, str]:
        found: dict[MetadataField | str, str] = {}
        for key in ("fields", "free_fields"):
            given = self.obj(entry.get(key, {}), f"{where}, {key}")
            if len(given) > MAX_SHORT:
                raise self.fail(where, f"{key} has {len(given):,} entries")
            for name, value in given.items():
                if value is None or value == "":
                    continue
                if not isinstance(value, str):
                    raise self.fail(where, f"field {name[:64]!r} is {_kind(value)}, not text")
                try:
                    field = parse_field_name(name[:MAX_SHORT])
                    stored = normalise_field_value(field, value)
                except UsageError as exc:
                    raise self.fail(where, f"field {name[:64]!r}: {exc}") from None
                if stored is not None:
                    found[field] = stored
        return found

    def checklist(self, entry: dict[str, Any], where: str) -> tuple[BundleCheck, ...]:
        checks = []
        for item, value in self.obj(entry.get("checklist", {}), f"{where}, checklist").items():
            key = self.enum_value(ChecklistItem, item, where, "checklist item")
            check = self.obj(value, f"{where}, checklist {key.value}")
            state = self.enum_value(CheckState, check.get("state"), where, f"checklist {key.value} state")
            note = self.text(check, "note", where, limit=MAX_TEXT)
            checks.append(BundleCheck(key, state, note))
        return tuple(checks)

    def annotation(self, value: Any, where: str) -> BundleAnnotation:
        note = self.obj(value, f"{where}, an annotation")
        ident = note.get("id")
        if not isinstance(ident, str) or not _ANNOTATION_ID.match(ident):
            raise self.fail(where, "an annotation without a proper id")
        here = f"{where}, annotation {ident[:8]}"
        x0, y0, x1, y1 = (self.number(note, k, here) for k in ("x0", "y0", "x1", "y1"))
        if not (x0 < x1 and y0 < y1):
            raise self.fail(here, "the region is empty or its corners are swapped")
        quote, boxes = self.quoted_words(note, here, Rect(x0, y0, x1, y1))
        return BundleAnnotation(
            id=ident,
            page=self.integer(note, "page", here, 1, MAX_PAGE),
            x0=x0,
            y0=y0,
            x1=x1,
            y1=y1,
            kind=self.enum_value(AnnotationKind, note.get("kind", "note"), here, "kind"),
            note=self.text(note, "note", here, limit=MAX_TEXT),
            transcription=self.text(note, "transcription", here, limit=MAX_TEXT),
            translation=self.text(note, "translation", here, limit=MAX_TEXT),
            tags=tuple(sorted({self.tag(t, here) for t in self.items(note, "tags", here)})),
            quote=quote,
            boxes=boxes,
        )

    def quoted_words(
        self, note: dict[str, Any], here: str, rect: Rect
    ) -> tuple[TextQuote | None, tuple[Rect, ...]]:
        """A text annotation's quote and word boxes (both or neither), each box inside its region."""
        raw_quote, raw_boxes = note.get("quote"), self.items(note, "boxes", here)
        if raw_quote is None and not raw_boxes:
            return None, ()
        if raw_quote is None or not raw_boxes:
            raise self.fail(here, "a text annotation needs both its quote and its word boxes")
        if len(raw_boxes) > MAX_BOXES:
            raise self.fail(here, f"boxes has {len(raw_boxes):,} entries, more than {MAX_BOXES:,}")
        found = self.obj(raw_quote, f"{here}, quote")
        exact = self.required(found, "exact", f"{here}, quote", limit=MAX_TEXT)
        if not exact.strip():
            raise self.fail(here, "the quote is empty")
        quote = TextQuote(
            exact,
            self.text(found, "prefix", f"{here}, quote", limit=MAX_TEXT, typed=False) or "",
            self.text(found, "suffix", f"{here}, quote", limit=MAX_TEXT, typed=False) or "",
        )
        boxes = []
        for value in raw_boxes:
            box = self.obj(value, f"{here}, a word box")
            b = Rect(*(self.number(box, k, f"{here}, a word box") for k in ("x0", "y0", "x1", "y1")))
            if not (b.x0 < b.x1 and b.y0 < b.y1):
                raise self.fail(here, "a word box is empty or its corners are swapped")
            tolerance = 0.5
            if (
                b.x0 < rect.x0 - tolerance
                or b.y0 < rect.y0 - tolerance
                or b.x1 > rect.x1 + tolerance
                or b.y1 > rect.y1 + tolerance
            ):
                raise self.fail(here, "a word box lies outside the annotation's region")
            boxes.append(b)
        return quote, tuple(boxes)

    def sighting(self, value: Any, where: str) -> BundleSighting:
        s = self.obj(value, f"{where}, a sighting")
        here = f"{where}, a sighting"
        path = self.required(s, "original_path", here, limit=MAX_PATH)
        received = self.text(s, "received_on", here, limit=10)
        if received is not None and not _DAY.match(received):
            raise self.fail(here, f"received_on {received!r} is not a date YYYY-MM-DD")
        return BundleSighting(
            original_path=path,
            original_name=self.text(s, "original_name", here, limit=MAX_PATH, typed=False)
            or Path(path).name
            or path,
            size=self.integer(s, "size", here, 0, 2**63 - 1),
            modified_at=self.text(s, "modified_at", here, limit=MAX_SHORT),
            changed_at=self.text(s, "changed_at", here, limit=MAX_SHORT),
            accessed_at=self.text(s, "accessed_at", here, limit=MAX_SHORT),
            source=self.text(s, "source", here, limit=MAX_TEXT),
            received_on=received,
            imported_by=self.text(s, "imported_by", here, limit=MAX_SHORT) or "unknown",
            imported_at=self.text(s, "imported_at", here, limit=MAX_SHORT) or "",
            host=self.text(s, "host", here, limit=MAX_SHORT) or "unknown",
        )

    def custody(self, value: Any, where: str) -> BundleCustody:
        event = self.obj(value, f"{where}, a custody entry")
        here = f"{where}, a custody entry"
        return BundleCustody(
            at=self.required(event, "at", here, limit=MAX_SHORT),
            actor=self.required(event, "actor", here, limit=MAX_SHORT),
            action=self.required(event, "action", here, limit=40),
            summary=self.required(event, "summary", here, limit=MAX_TEXT),
            before=event.get("before"),
            after=event.get("after"),
        )

    def link(self, value: Any, where: str) -> BundleLink:
        link = self.obj(value, where)
        return BundleLink(
            source=self.sha(link.get("source"), where, "source"),
            target=self.sha(link.get("target"), where, "target"),
            relation=self.enum_value(LinkRelation, link.get("relation"), where, "relation"),
            note=self.text(link, "note", where, limit=MAX_TEXT),
        )


def _kind(value: Any) -> str:
    if value is None:
        return "missing"
    return {dict: "an object", list: "a list", str: "text", bool: "true or false"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def _choices(kind: type[Any]) -> str:
    return ", ".join(str(member.value) for member in kind)


def read_case_json(raw: bytes, bag: Path) -> BundleContents:
    """case.json of the opened bag at ``bag``, every value the merge uses checked; raises BundleError."""
    return _Checker(bag).contents(load_json(raw, "case.json"))


def check_annotations_jsonld(raw: bytes) -> None:
    """annotations.jsonld must at least be sound JSON: the merge reads annotations from case.json."""
    data = load_json(raw, "annotations.jsonld")
    if not isinstance(data, dict):
        raise BundleError("annotations.jsonld is malformed: not a JSON object")
