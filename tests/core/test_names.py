"""File names that are not UTF-8, and names built to forge what a screen shows."""

from __future__ import annotations

import errno
import json
import os
import random
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from reviewer.core.domain.names import path_bytes, path_str, path_text, shown, shown_line
from reviewer.core.ingest.analyse import analyse_file
from reviewer.core.ingest.walk import collect
from reviewer.core.services import fixity, queries
from reviewer.core.services.importing import import_paths
from reviewer.core.services.search import search
from reviewer.core.storage.orm import CustodyEvent, ImportBatch, RefusedEntry, Sighting
from tests import filemaker
from tests.conftest import raw_db

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.ingest.tasks import AnalysisTask, FileAnalysis
    from reviewer.core.services.case import Case

CP1251 = b"\xcf\xe8\xf1\xfc\xec\xee.pdf"  # "Письмо.pdf" from a Windows zip, extracted on Linux
HOSTILE_NAMES: list[bytes] = [
    CP1251,
    b"\xff\xfe report.pdf",
    b"\x1b[2J\x1b[31mOK.pdf",
    b"line\nbreak.pdf",
    "\u202efdp.exe".encode(),
    "Нота 12-05.pdf".encode(),
]
# What no shown name may hold: C0 (tab and newline too), DEL, C1, bidi controls, lone surrogates.
RAW_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


def make_hostile_folder(folder: Path) -> list[bytes]:
    """Six real PDFs, each with different bytes, named as an adversary or a Windows zip would."""
    folder.mkdir(exist_ok=True)
    paths = []
    for seed, name in enumerate(HOSTILE_NAMES):
        made = filemaker.make_text_pdf(folder / f"tmp{seed}.pdf", seed=seed, title=f"doc {seed}")
        target = os.path.join(os.fsencode(folder), name)
        os.rename(os.fsencode(made), target)
        paths.append(target)
    return paths


# -- the one place names are made safe ----------------------------------------------------------------


def test_recorded_text_gives_back_the_exact_bytes() -> None:
    for raw in [*HOSTILE_NAMES, b'"quoted.pdf', b"back\\slash\\x41.pdf", b"/tmp/\xcf\\\xe8/a.pdf"]:
        text = path_text(raw)
        assert path_text(os.fsdecode(raw)) == text == path_text(Path(os.fsdecode(raw)))
        assert path_bytes(text) == raw
        assert os.fsencode(path_str(text)) == raw
        text.encode("utf-8")  # what SQLite and JSON need
    assert path_text(CP1251) == '"\\xcf\\xe8\\xf1\\xfc\\xec\\xee.pdf"'
    assert path_text("Нота 12-05.pdf") == "Нота 12-05.pdf"  # UTF-8 names are kept as they are
    assert path_text("line\nbreak.pdf") == "line\nbreak.pdf"  # exact text: display escapes, not storage


def test_shown_names_cannot_forge_the_screen() -> None:
    assert shown(path_text(CP1251)) == '"\\xcf\\xe8\\xf1\\xfc\\xec\\xee.pdf"'
    assert shown(os.fsdecode(CP1251)) == shown(CP1251) == shown(path_text(CP1251))
    assert shown("\x1b[2J\x1b[31mOK.pdf") == '"\\u001b[2J\\u001b[31mOK.pdf"'
    assert shown("a\rb.pdf") == '"a\\u000db.pdf"'
    assert shown("line\nbreak.pdf") == '"line\\u000abreak.pdf"'
    assert shown("\u202efdp.exe") == '"\\u202efdp.exe"'
    assert shown("\u2067x\u2069\u200e\u200f\x85\x7f") == '"\\u2067x\\u2069\\u200e\\u200f\\u0085\\u007f"'
    assert shown("Нота 12-05.pdf") == "Нота 12-05.pdf"
    assert shown_line("imported line\nbreak.pdf (3 pages)") == "imported line\\u000abreak.pdf (3 pages)"
    assert shown_line("plain words") == "plain words"


def _random_names(count: int) -> list[bytes]:
    """Names of random bytes, biased to what hurts: controls, escapes, UTF-8 lead bytes, backslashes."""
    rng = random.Random(20261207)
    alphabet = [*range(1, 256), *b'\\"\x1b\n\r\xe2\x80\xae\xc2\x85']
    return [bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 24))) for _ in range(count)]


def test_any_name_round_trips_and_shows_safely() -> None:
    # Hypothesis is not among the test tools; a fixed seed gives the same spread on every run.
    for raw in _random_names(3000):
        text = path_text(raw)
        assert path_bytes(text) == raw
        text.encode("utf-8")
        assert not RAW_CONTROL.search(shown(text))
        assert not RAW_CONTROL.search(shown(os.fsdecode(raw)))
        assert not RAW_CONTROL.search(shown_line(os.fsdecode(raw)))
        assert not RAW_CONTROL.search(shown_line(text))


# -- import -------------------------------------------------------------------------------------------


def test_names_that_are_not_utf8_are_imported_and_kept_exactly(case: Case, tmp_path: Path) -> None:
    folder = tmp_path / "leak"
    paths = make_hostile_folder(folder)
    report = import_paths(case, [folder])
    assert (len(report.imported), report.failed, report.cancelled) == (6, (), False)
    assert sorted(path_bytes(i.path) for i in report.imported) == sorted(paths)
    json.dumps([i.path for i in report.imported], ensure_ascii=False).encode("utf-8")
    with case.db.reading() as session:
        sightings = session.scalars(select(Sighting)).all()
        assert sorted(path_bytes(s.original_path) for s in sightings) == sorted(paths)
        assert sorted(path_bytes(s.original_name) for s in sightings) == sorted(HOSTILE_NAMES)
        [batch] = session.scalars(select(ImportBatch)).all()
        assert batch.finished_at is not None
        assert (batch.imported, batch.failed) == (6, 0)
        assert [path_bytes(p) for p in batch.paths] == [os.fsencode(folder)]
        summaries = session.scalars(select(CustodyEvent.summary)).all()
        kept = [(s.original_path, s.document.sha256) for s in sightings]
    assert not any(RAW_CONTROL.search(s) for s in summaries)
    assert any('imported "\\xcf\\xe8\\xf1\\xfc\\xec\\xee.pdf"' in s for s in summaries)
    # each original is the exact file found under that name
    for recorded, sha256 in kept:
        found = Path(path_str(recorded)).read_bytes()
        assert case.layout.original(sha256).read_bytes() == found
    assert fixity.verify_case(case).ok
    # searchable by what can be read of the name
    found = search(case, "report")
    assert [d.document.display_name for d in found.documents] == [path_text(b"\xff\xfe report.pdf")]
    names = {shown(d.display_name) for d in queries.list_documents(case)}
    assert '"line\\u000abreak.pdf"' in names
    assert not any(RAW_CONTROL.search(n) for n in names)


def test_the_same_bytes_again_under_a_name_that_is_not_utf8(case: Case, tmp_path: Path) -> None:
    first = filemaker.make_text_pdf(tmp_path / "first.pdf")
    again = os.path.join(os.fsencode(tmp_path), b"\xe0\xe1.pdf")
    with open(again, "wb") as handle:
        handle.write(first.read_bytes())
    import_paths(case, [first])
    report = import_paths(case, [Path(os.fsdecode(again))])
    [duplicate] = report.duplicates
    assert path_bytes(duplicate.path) == again
    [detail] = [queries.document_detail(case, duplicate.id)]
    assert [path_bytes(s.original_path) for s in detail.sightings] == [os.fsencode(first), again]
    assert "the same bytes found again at " + shown(path_text(again)) in detail.custody[-1].summary


def test_names_the_file_system_rejects_are_refused_and_the_batch_goes_on(case: Case, tmp_path: Path) -> None:
    good = filemaker.make_text_pdf(tmp_path / "good.pdf")
    too_long = tmp_path / ("x" * 300 + ".pdf")
    with_nul = Path(str(tmp_path) + "/a\x00b.pdf")
    report = import_paths(case, [too_long, with_nul, good])
    assert [i.path for i in report.imported] == [str(good)]
    reasons = {path_bytes(f.path): f.error for f in report.failed}
    assert reasons[os.fsencode(too_long)] == "the name is too long for this file system; skipped"
    assert "NUL" in reasons[os.fsencode(str(with_nul))]
    with raw_db(case.root) as conn:
        refused = conn.execute("SELECT path FROM refused_file ORDER BY id").fetchall()
    assert [path_bytes(p) for (p,) in refused] == [os.fsencode(too_long), os.fsencode(str(with_nul))]


def test_the_walk_accounts_for_names_in_recorded_form(tmp_path: Path) -> None:
    folder = tmp_path / "walk"
    paths = make_hostile_folder(folder)
    os.symlink(b"nowhere", os.path.join(os.fsencode(folder), b"\xfflink.pdf"))
    walk = collect([folder])
    assert sorted(os.fsencode(p) for p in walk.files) == sorted(paths)
    assert walk.refused == [
        (path_text(os.path.join(os.fsencode(folder), b"\xfflink.pdf")), "a broken symbolic link; skipped")
    ]


def fail_naming_the_file(task: AnalysisTask, beat: Callable[[], None]) -> FileAnalysis:
    """The real analyser, except that it fails with an error message that quotes the file's name."""
    if b"\xcf" in os.fsencode(task.source):
        raise OSError(errno.EIO, "Input/output error", task.source)
    return analyse_file(task, beat)


def test_a_worker_error_quoting_a_name_that_is_not_utf8_is_on_record(case: Case, tmp_path: Path) -> None:
    folder = tmp_path / "leak"
    make_hostile_folder(folder)
    report = import_paths(case, [folder], analyser=fail_naming_the_file)
    assert len(report.imported) == 5
    [failure] = report.failed
    assert path_bytes(failure.path) == os.path.join(os.fsencode(folder), CP1251)
    assert "Input/output error" in failure.error  # Python quotes the name with repr(): escaped already
    with case.db.reading() as session:
        [entry] = session.scalars(select(RefusedEntry)).all()
        assert entry.path == failure.path
        assert session.scalars(select(ImportBatch.finished_at)).one() is not None


def lose_the_staged_copy(task: AnalysisTask, beat: Callable[[], None]) -> FileAnalysis:
    """The real analyser, except that the staged copy is gone by the time it is recorded."""
    result = analyse_file(task, beat)
    if result.staged and Path(task.source).name == "lost.pdf":
        os.unlink(result.staged)
    return result


def test_the_batch_is_finished_whatever_stops_the_import(case: Case, inbox: Path) -> None:
    filemaker.make_text_pdf(inbox / "a.pdf", seed=1)
    filemaker.make_text_pdf(inbox / "lost.pdf", seed=2)
    with pytest.raises(FileNotFoundError):
        import_paths(case, [inbox], analyser=lose_the_staged_copy)
    with raw_db(case.root) as conn:
        finished, imported, cancelled = conn.execute(
            "SELECT finished_at, imported, cancelled FROM import_batch"
        ).fetchone()
        [logged] = conn.execute("SELECT summary FROM custody_event WHERE action = 'import_batch'").fetchone()
    assert finished is not None
    assert (imported, cancelled) == (1, 1)
    assert "cancelled: 1 new" in logged
