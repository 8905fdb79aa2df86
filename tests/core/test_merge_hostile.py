"""Merging a hostile bundle: a bag that passes the bag check (its manifests recomputed after an edit)
but carries malformed case.json values is refused with one line and exit 1, the case exactly as it
was; a failure in the middle of a merge leaves nothing behind; merging twice adds nothing; a merge
killed with SIGKILL leaves no unpacked copy anywhere once the case is next opened.

The case merged into is local (SQLite) or shared (PostgreSQL, its rows dumped table by table ordered by
id where SQLite's iterdump serves); values refused before the case's database is read stay local."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from reviewer.cli import main
from reviewer.core.bundles.bagit import zip_bag
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents, links
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.exchange import import_bundle
from reviewer.core.services.export import ExportOptions, export_bundle
from reviewer.core.services.importing import import_paths
from reviewer.core.services.merging import MergeWriter
from reviewer.core.storage.sqlite_db import CHECK_MARKER
from tests import filemaker
from tests.pg_cases import copy_case, dump, query

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.pg_cluster import PostgresCluster

# --- a real bundle, and a case that already holds one of its two documents --------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A folder bundle of two documents with everything a merge carries, and a case holding one of them."""
    root = tmp_path_factory.mktemp("merge")
    inbox = root / "inbox"
    inbox.mkdir()
    note = filemaker.make_text_pdf(inbox / "note.pdf", pages=2, lines=["Reference 12-05/1174"])
    scan = filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=1, seed=3)
    with create_case(root / "source", actor="colleague") as source:
        import_paths(source, [note, scan])
        documents.set_status(source, 1, "disputed", "the stamp differs")
        documents.tag_documents(source, [1], ["stamp"])
        documents.set_metadata(source, 1, {"title": "Note 12-05/1174", "type": "diplomatic note"})
        documents.set_check(source, 1, "stamp", "inconsistent", "ink differs")
        documents.add_annotation(source, 1, page=1, rect=Rect(60, 60, 300, 120), note="stamp", tags=["ref"])
        documents.add_annotation(source, 2, page=1, rect=Rect(10, 10, 50, 50), kind="redaction")
        links.link_documents(source, 2, 1, "attachment of", "came with the note")
        export_bundle(source, root / "bundle", ExportOptions())
    with create_case(root / "target", actor="me") as target:
        import_paths(target, [note])  # the scan is new to this case, the note is not
    return {"bundle": root / "bundle", "target": root / "target", "note": note}


@pytest.fixture(scope="module")
def shared_target(made: dict[str, Path], pg_cluster: PostgresCluster) -> Path:
    """The case to merge into, shared: its database on PostgreSQL, holding the note as the local one does."""
    root = made["target"].parent / "shared"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PGUSER", pg_cluster.superuser)
        url = pg_cluster.create_database(f"merge_{uuid.uuid4().hex[:16]}")
        with create_case(root, actor="me", database=url) as target:
            import_paths(target, [made["note"]])
    return root


@pytest.fixture(params=["sqlite", "postgres"])
def target(
    request: pytest.FixtureRequest, made: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh copy of the case to merge into, local or shared (its database copied too)."""
    if request.param == "sqlite":
        return copy_case(made["target"], tmp_path / "case")
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    monkeypatch.setenv("PGUSER", cluster.superuser)
    return copy_case(request.getfixturevalue("shared_target"), tmp_path / "case", cluster)


SQLITE_ONLY = pytest.mark.parametrize("target", ["sqlite"], indirect=True)


def reseal(bag: Path) -> None:
    """Recompute the manifests and Payload-Oxum after an edit, as a forger would: the bag check passes."""
    payload = sorted(p for p in (bag / "data").rglob("*") if p.is_file())
    lines = [f"{_sha(p)}  {p.relative_to(bag).as_posix()}" for p in payload]
    (bag / "manifest-sha256.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    oxum = f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
    info = bag / "bag-info.txt"
    info.write_text(
        "".join(
            f"Payload-Oxum: {oxum}\n" if line.startswith("Payload-Oxum:") else line + "\n"
            for line in info.read_text(encoding="utf-8").splitlines()
        ),
        encoding="utf-8",
    )
    tags = ["bag-info.txt", "bagit.txt", "manifest-sha256.txt"]
    (bag / "tagmanifest-sha256.txt").write_text(
        "".join(f"{_sha(bag / t)}  {t}\n" for t in tags), encoding="utf-8"
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edited(made: dict[str, Path], tmp_path: Path, change: Callable[[dict[str, Any]], str | None]) -> Path:
    """A copy of the bundle whose case.json ``change`` edited (returning raw text replaces it), resealed."""
    bag = Path(shutil.copytree(made["bundle"], tmp_path / "edited"))
    case_json = bag / "data" / "case.json"
    data = json.loads(case_json.read_text(encoding="utf-8"))
    raw = change(data)
    text = raw if raw is not None else json.dumps(data, ensure_ascii=False)
    case_json.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    reseal(bag)
    return bag


def snapshot(case: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """Every row of every table (plain sqlite3 or psycopg), and every file under the case with the hash of
    its bytes (less the record of when the database was last checked, which opening may write)."""
    rows = dump(case)
    files = sorted(
        (p.relative_to(case).as_posix(), _sha(p) if "originals" in p.parts else "")
        for p in case.rglob("*")
        if p.is_file() and not p.name.endswith(("-wal", "-shm")) and p.relative_to(case) != CHECK_MARKER
    )
    return rows, files


# --- each malformed value is refused before anything is written ----------------------------------------


def _doc(data: dict[str, Any], number: int = 0) -> dict[str, Any]:
    entry: dict[str, Any] = data["documents"][number]
    return entry


def _note(data: dict[str, Any]) -> dict[str, Any]:
    return next(a for d in data["documents"] for a in d["annotations"])


def _raw_note_value(key: str, literal: str) -> Callable[[dict[str, Any]], str]:
    """Put a literal JSON token (NaN, Infinity, 1e309 …) as an annotation value, in the raw text."""

    def change(data: dict[str, Any]) -> str:
        _note(data)[key] = "@@VALUE@@"
        return json.dumps(data).replace('"@@VALUE@@"', literal, 1)

    return change


def _set(
    path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any
) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        path(data)[key] = value

    return change


def _swap_corners(data: dict[str, Any]) -> None:
    note = _note(data)
    note["x0"], note["x1"] = note["x1"], note["x0"]


def _deep(data: dict[str, Any]) -> str:
    _doc(data)["custody"][0]["after"] = "@@DEEP@@"
    return json.dumps(data).replace('"@@DEEP@@"', "[" * 100_000 + "]" * 100_000)


def _oversized(data: dict[str, Any]) -> None:
    data["padding"] = "x" * (64 << 20)  # more than BagLimits.max_tag_file_bytes


MALFORMED: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "x0 NaN": _raw_note_value("x0", "NaN"),
    "x1 Infinity": _raw_note_value("x1", "Infinity"),
    "y0 -Infinity": _raw_note_value("y0", "-Infinity"),
    "y1 1e309": _raw_note_value("y1", "1e309"),
    "page 10**30": _raw_note_value("page", str(10**30)),
    "page of 5000 digits": _raw_note_value("page", "9" * 5000),
    "page NaN": _raw_note_value("page", "NaN"),
    "page 0": _set(_note, "page", 0),
    "page -1": _set(_note, "page", -1),
    "page 10**6": _set(_note, "page", 10**6),
    "page 3 of a 2-page document": _set(_note, "page", 3),
    "page 1.5": _set(_note, "page", 1.5),
    "page as text": _set(_note, "page", "1"),
    "page true": _set(_note, "page", True),
    "x0 negative, off the page": _set(_note, "x0", -500.0),
    "x1 far off the page": _set(_note, "x1", 90_000.0),
    "x0 > x1": _swap_corners,
    "coordinate as text": _set(_note, "x0", "60"),
    "annotation kind unknown": _set(_note, "kind", "highlight"),
    "annotation id not text": _set(_note, "id", 12),
    "annotation id 10 MB": _set(_note, "id", "a" * (10 << 20)),
    "annotation tags not a list": _set(_note, "tags", "ref"),
    "annotation note not text": _set(_note, "note", {"x": 1}),
    "status unknown": _set(_doc, "status", "probably fine"),
    "status not text": _set(_doc, "status", 3),
    "status note a list": _set(_doc, "status_note", ["a"]),
    "checklist state unknown": _set(
        lambda d: _doc(d)["checklist"], "stamp", {"state": "great", "note": None}
    ),
    "checklist state not text": _set(lambda d: _doc(d)["checklist"], "stamp", {"state": 1, "note": None}),
    "checklist item unknown": _set(lambda d: _doc(d)["checklist"], "colour", {"state": "consistent"}),
    "checklist not an object": _set(_doc, "checklist", ["stamp"]),
    "tag not text": _set(_doc, "tags", [7]),
    "tag 10 MB": _set(_doc, "tags", ["x" * (10 << 20)]),
    "tag with a comma": _set(_doc, "tags", ["a,b"]),
    "field value not text": _set(lambda d: _doc(d)["fields"], "title", 5),
    "field type unknown": _set(lambda d: _doc(d)["fields"], "type", "spaceship"),
    "field date malformed": _set(lambda d: _doc(d)["fields"], "document_date", "yesterday"),
    "fields a list": _set(_doc, "fields", []),
    "sighting size 10**30": _set(lambda d: _doc(d)["sightings"][0], "size", 10**30),
    "sighting size negative": _set(lambda d: _doc(d)["sightings"][0], "size", -1),
    "sighting size as text": _set(lambda d: _doc(d)["sightings"][0], "size", "big"),
    "sighting path missing": _set(lambda d: _doc(d)["sightings"][0], "original_path", None),
    "sighting received_on malformed": _set(lambda d: _doc(d)["sightings"][0], "received_on", "soon"),
    "sightings not a list": _set(_doc, "sightings", {"a": 1}),
    "custody at not text": _set(lambda d: _doc(d)["custody"][0], "at", 5),
    "custody action 10 MB": _set(lambda d: _doc(d)["custody"][0], "action", "a" * (10 << 20)),
    "custody entry not an object": _set(_doc, "custody", [1, 2]),
    "link relation unknown": _set(lambda d: d["links"][0], "relation", "loves"),
    "link source not a SHA-256": _set(lambda d: d["links"][0], "source", "abc"),
    "document sha256 malformed": _set(_doc, "sha256", "Z" * 64),
    "document sha256 of another file": _set(_doc, "sha256", "0" * 64),
    "document file outside the bag": _set(_doc, "file", "data/../../etc/passwd"),
    "documents an object": _set(lambda d: d, "documents", {}),
    "the same document twice": lambda d: d["documents"].append(dict(_doc(d))) and None,
    "version from the future": _set(lambda d: d, "version", 99),
    "not a reviewer bundle": _set(lambda d: d, "format", "something-else"),
    "top level a list": lambda d: "[]",
    "nesting 100000 deep": _deep,
    "not UTF-8": lambda d: json.dumps(d).replace("colleague", "coll\udcffeague"),
    "a lone surrogate in a tag": _raw_note_value("tags", '["\\ud800"]'),
    "a NUL in a tag": _set(_doc, "tags", ["stamp\x00hidden"]),
    "a NUL in an annotation's tag": _set(_note, "tags", ["ref\x00"]),
    "a NUL in a field's value": _set(_doc, "free_fields", {"vessel": "Aurora\x00"}),
    "a NUL in a field's name": _set(_doc, "free_fields", {"ves\x00sel": "Aurora"}),
    "a NUL in a note": _set(_note, "note", "stamp\x00hidden"),
    "oversized case.json": _oversized,
}


# Refused once the case's database was read (pages, known originals), or values a PostgreSQL column
# takes otherwise than SQLite's (a lone surrogate, a NUL, 10 MB of text, a number past 64 bits): on both
# backends. The rest are refused by reading case.json alone, the same code whatever the case: local only.
ON_BOTH = {
    "page 3 of a 2-page document",
    "x1 far off the page",
    "document sha256 of another file",
    "a lone surrogate in a tag",
    "tag 10 MB",
    "sighting size 10**30",
    "a NUL in a tag",
    "a NUL in an annotation's tag",
    "a NUL in a field's value",
    "a NUL in a field's name",
    "a NUL in a note",
}


@pytest.mark.parametrize(
    ("kind", "target"),
    [(kind, "sqlite") for kind in MALFORMED] + [(kind, "postgres") for kind in MALFORMED if kind in ON_BOTH],
    indirect=["target"],
)
def test_a_malformed_value_is_refused_before_anything_is_written(
    made: dict[str, Path], target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    bundle = edited(made, tmp_path, MALFORMED[kind])
    before = snapshot(target)
    capsys.readouterr()
    code = main(["import-bundle", str(target), str(bundle)])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err[:2000]
    assert lines[0].startswith("reviewer: ")
    assert "unexpected error" not in lines[0]
    assert len(lines[0]) < 1000, "one readable line, not the value itself"
    assert snapshot(target) == before, "the case is exactly as it was"


@SQLITE_ONLY
def test_malformed_annotations_jsonld_is_refused(
    made: dict[str, Path], target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bag = Path(shutil.copytree(made["bundle"], tmp_path / "edited"))
    (bag / "data" / "annotations.jsonld").write_text('{"items": [' * 50_000, encoding="utf-8")
    reseal(bag)
    before = snapshot(target)
    assert main(["import-bundle", str(target), str(bag)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert "annotations.jsonld" in line
    assert snapshot(target) == before


def test_the_unedited_bundle_merges(made: dict[str, Path], target: Path, tmp_path: Path) -> None:
    """The control for the refusals above: resealing alone changes nothing."""
    bundle = edited(made, tmp_path, lambda d: None)
    with open_case(target) as case:
        report = import_bundle(case, bundle)
    assert (len(report.new_documents), len(report.matched_documents)) == (1, 1)
    assert report.annotations_added == 2
    assert report.links_added == 1
    assert report.conflicts == ()


# --- whole or not at all ----------------------------------------------------------------------------


def test_a_failure_late_in_the_merge_leaves_the_case_as_it_was(
    made: dict[str, Path], target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: MergeWriter, *args: object) -> None:
        raise OSError("the disk went away")

    monkeypatch.setattr(MergeWriter, "link", broken)  # links are written last, after every document
    before = snapshot(target)
    originals = sorted(p.name for p in (target / "originals").rglob("*") if p.is_file())
    with open_case(target) as case, pytest.raises(OSError, match="disk went away"):
        import_bundle(case, made["bundle"])
    assert snapshot(target) == before
    assert sorted(p.name for p in (target / "originals").rglob("*") if p.is_file()) == originals
    assert list((target / "staging").iterdir()) == []


def test_an_original_already_in_the_store_is_never_taken_back(
    made: dict[str, Path], target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed merge removes only originals it admitted: the one the case had stays."""
    monkeypatch.setattr(MergeWriter, "link", lambda *a: (_ for _ in ()).throw(OSError("late failure")))
    kept = [p for p in (target / "originals").rglob("*") if p.is_file()]
    with open_case(target) as case, pytest.raises(OSError, match="late failure"):
        import_bundle(case, made["bundle"])
    assert kept
    assert all(p.is_file() for p in kept)


# --- merging again adds nothing -----------------------------------------------------------------------


def _counts(case: Path) -> dict[str, int]:
    return {
        table: query(case, f"SELECT count(*) FROM {table}")[0][0]
        for table in ("document", "sighting", "annotation", "custody_event", "document_link", "page")
    }


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_merging_the_same_bundle_twice_adds_nothing(
    made: dict[str, Path], target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], as_zip: bool
) -> None:
    bundle = zip_bag(made["bundle"], tmp_path / "bundle.zip") if as_zip else made["bundle"]
    before = _counts(target)
    assert main(["import-bundle", str(target), str(bundle)]) == 0
    first = capsys.readouterr().out
    once = _counts(target)
    appended = once["custody_event"] - before["custody_event"]
    assert f"{appended} custody entries appended" in first, "the summary counts what it appended"
    assert main(["import-bundle", str(target), str(bundle)]) == 0
    assert "0 custody entries appended" in capsys.readouterr().out
    assert _counts(target) == once
    paths = [row[0] for row in query(target, "SELECT original_path FROM sighting")]
    assert all("staging" not in p and "reviewer-bag" not in p and str(tmp_path) not in p for p in paths)
    assert sum(p.startswith(f"bundle {bundle.name}, data/originals/") for p in paths) == 2


# --- SIGKILL in the middle ----------------------------------------------------------------------------


@pytest.mark.slow
def test_a_merge_killed_mid_way_leaves_nothing_once_the_case_is_opened(
    made: dict[str, Path], target: Path, tmp_path: Path
) -> None:
    bag = Path(shutil.copytree(made["bundle"], tmp_path / "big"))
    (bag / "data" / "padding.bin").write_bytes(os.urandom(48 << 20))  # a second of unpacking and hashing
    reseal(bag)
    bundle = zip_bag(bag, tmp_path / "big.zip")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    documents_before = _counts(target)["document"]
    process = subprocess.Popen(
        [sys.executable, "-m", "reviewer", "import-bundle", str(target), str(bundle)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not any((target / "staging").glob("bundle-*/reviewer-bag-*")):
            assert process.poll() is None, "the merge ended before it could be interrupted"
            assert time.monotonic() < deadline, "the merge never started unpacking"
            time.sleep(0.005)
        assert process.poll() is None
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert list((target / "staging").glob("bundle-*")), "the unpacked copy is in the case, not in /tmp"
    assert not [p for p in temp.iterdir() if p.name.startswith("reviewer-bag")]
    listed = subprocess.run(
        [sys.executable, "-m", "reviewer", "list", str(target)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert list((target / "staging").iterdir()) == [], "swept at the next open"
    assert not [p for p in temp.iterdir() if p.name.startswith("reviewer-bag")]
    assert _counts(target)["document"] == documents_before


# --- any value anywhere: a BundleError or a clean read, never another exception ------------------------

ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2**63,
    -(2**63) - 1,
    1.5,
    -0.0,
    1e300,
    "",
    " ",
    "x" * 300,
    "a,b",
    "unverified",
    "stamp",
    "note",
    [],
    [None],
    {},
    {"": None},
    [[[]]],
    "2026-13-45",
    "data/../x",
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


def test_any_value_anywhere_is_read_or_refused_with_a_bundle_error(made: dict[str, Path]) -> None:
    """Every place of a real case.json, given each odd value in turn (a fixed seed, so repeatable)."""
    import random

    from reviewer.core.bundles.case_json import BundleError, read_case_json

    bag = made["bundle"]
    original = json.loads((bag / "data" / "case.json").read_text(encoding="utf-8"))
    places = _paths(original)[1:]
    chooser = random.Random(20261207)
    refusals: list[str] = []
    for _ in range(3000):
        data = json.loads(json.dumps(original))
        place = chooser.choice(places)
        holder = data
        for step in place[:-1]:
            holder = holder[step]
        holder[place[-1]] = chooser.choice(ODD_VALUES)
        try:
            read_case_json(json.dumps(data).encode(), bag)
        except BundleError as exc:
            refusals.append(str(exc))
    assert refusals, "odd values are refused"
    assert not [r for r in refusals if "\n" in r or len(r) > 1000], "each refusal is one short line"
