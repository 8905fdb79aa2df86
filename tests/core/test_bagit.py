"""BagIt bags: an independent validator accepts what reviewer writes; tampering and hostile zips fail."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import unicodedata
import warnings
import zipfile
from typing import TYPE_CHECKING

import bagit
import pytest

from reviewer.core.bundles.bagit import (
    BagError,
    BagLimits,
    BagWriter,
    decode_path,
    encode_path,
    open_bag,
    read_bag_file,
    verify_bag,
    zip_bag,
)
from reviewer.core.bundles.zipbag import ZipBagWriter

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

NOTE = "originals/Нота № 12.pdf"
INFO = {
    "Source-Organization": "Test desk (reviewer)",
    "External-Description": "Evidence bundle of case 'Test': 3 document(s)",
    "Bag-Software-Agent": "reviewer 0.1.0",
}


def _make_bag(tmp_path: Path, name: str = "bag") -> Path:
    """A bag with a Cyrillic name with spaces, a nested file, a file given as bytes and an empty one."""
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    pdf = sources / "note.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(300_000) + b"\n%%EOF\n")
    scan = sources / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(5000))
    writer = BagWriter(tmp_path / name)
    writer.add_file(NOTE, pdf)
    writer.add_file("originals/scans/page one.png", scan)
    writer.add_bytes("case.json", b'{"format": "reviewer-evidence-bundle", "documents": []}\n' * 50)
    writer.add_bytes("empty.txt", b"")
    return writer.finish(INFO)


def _zip_folder(folder: Path, out: Path) -> Path:
    """A plain zip of a folder under one top-level folder, made without reviewer's code."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return out


def _validate_independently(folder: Path) -> None:
    bag = bagit.Bag(str(folder))
    bag.validate()
    assert bag.is_valid()


def _hostile(tmp_path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    out = tmp_path / "hostile.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names, which is the point
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in members:
                archive.writestr(info, data)
    return out


def _no_escape(tmp_path: Path, scratch: Path) -> None:
    """Nothing called evil.txt anywhere, and the temporary folder is gone."""
    assert not list(tmp_path.rglob("evil.txt"))
    assert list(scratch.iterdir()) == []


# --- what is written validates ---------------------------------------------------------------------


def test_written_folder_bag_validates_with_the_bagit_package(tmp_path: Path) -> None:
    folder = _make_bag(tmp_path)
    _validate_independently(folder)
    assert verify_bag(folder) == []
    assert (folder / "bagit.txt").read_text() == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    info = (folder / "bag-info.txt").read_text(encoding="utf-8")
    payload = [p for p in (folder / "data").rglob("*") if p.is_file()]
    assert f"Payload-Oxum: {sum(p.stat().st_size for p in payload)}.{len(payload)}\n" in info
    assert "Source-Organization: Test desk (reviewer)\n" in info
    assert "Bagging-Date: 2" in info
    manifest = (folder / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()
    assert manifest == sorted(manifest, key=lambda line: line.split("  ", 1)[1])
    assert any(line.endswith(f"  data/{NOTE}") for line in manifest)
    tagged = [line.split("  ", 1)[1] for line in (folder / "tagmanifest-sha256.txt").read_text().splitlines()]
    assert tagged == ["bag-info.txt", "bagit.txt", "manifest-sha256.txt"]


def test_written_zip_bag_validates_with_the_bagit_package(tmp_path: Path) -> None:
    folder = _make_bag(tmp_path)
    out = zip_bag(folder, tmp_path / "Bundle 1.zip")
    assert out == tmp_path / "Bundle 1.zip"
    assert not (tmp_path / "Bundle 1.zip.partial").exists()
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(out) as archive:
        infos = archive.infolist()
        archive.extractall(unpacked)
    assert [p.name for p in unpacked.iterdir()] == ["Bundle 1"]
    _validate_independently(unpacked / "Bundle 1")
    assert verify_bag(out) == []
    names = [i.filename for i in infos]
    assert names[:2] == ["Bundle 1/", "Bundle 1/bagit.txt"]
    assert all(n.startswith("Bundle 1/") for n in names)
    kinds = {i.filename.rsplit("/", 1)[-1]: i.compress_type for i in infos if not i.is_dir()}
    assert kinds["Нота № 12.pdf"] == zipfile.ZIP_STORED
    assert kinds["page one.png"] == zipfile.ZIP_STORED
    assert kinds["case.json"] == zipfile.ZIP_DEFLATED
    assert kinds["manifest-sha256.txt"] == zipfile.ZIP_DEFLATED
    (tmp_path / "again").mkdir()
    with zipfile.ZipFile(zip_bag(folder, tmp_path / "again" / "Bundle 1.zip")) as archive:
        assert [i.filename for i in archive.infolist()] == names


def test_names_are_nfc_and_odd_characters_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "x.bin"
    source.write_bytes(b"x")
    writer = BagWriter(tmp_path / "bag")
    decomposed = unicodedata.normalize("NFD", "Нота № 12 — café.pdf")
    writer.add_file(decomposed, source)
    writer.add_bytes("50% done\r\nfinal.txt", b"y")
    folder = writer.finish(INFO)
    assert (folder / "data" / unicodedata.normalize("NFC", "Нота № 12 — café.pdf")).is_file()
    assert "data/50%25 done%0D%0Afinal.txt" in (folder / "manifest-sha256.txt").read_text(encoding="utf-8")
    assert verify_bag(folder) == []
    assert verify_bag(zip_bag(folder, tmp_path / "odd.zip")) == []


def test_path_encoding_follows_rfc_8493() -> None:
    name = "data/a%b\nc\rd %0A.txt"
    assert encode_path(name) == "data/a%25b%0Ac%0Dd %250A.txt"
    assert decode_path(encode_path(name)) == name
    assert decode_path("data/x%0a%0d%41") == "data/x\n\r%41"


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    source = tmp_path / "big.pdf"
    source.write_bytes(os.urandom(40 << 20))
    writer = BagWriter(tmp_path / "bag", progress=lambda done, files: seen.append((done, files)))
    writer.add_file("big.pdf", source)
    writer.add_bytes("small.txt", b"abc")
    assert seen[-1] == ((40 << 20) + 3, 2)
    assert seen == sorted(seen)
    assert len(seen) >= 3


# --- the writer refuses what would make a bad bag ----------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        ("../evil.txt", "climbs out"),
        ("a/../../evil.txt", "climbs out"),
        ("/etc/passwd", "absolute"),
        ("C:/evil.txt", "drive letter"),
        ("a\\b.txt", "backslash"),
        ("", "empty"),
        ("a//b.txt", "empty or '.' part"),
        ("a/./b.txt", "empty or '.' part"),
        ("a/", "empty or '.' part"),
        ("bell\x07.txt", "control characters"),
    ],
)
def test_writer_refuses_bad_names(tmp_path: Path, relative: str, reason: str) -> None:
    writer = BagWriter(tmp_path / "bag")
    with pytest.raises(BagError, match=reason):
        writer.add_bytes(relative, b"x")
    assert not list((tmp_path / "bag" / "data").iterdir())
    assert not (tmp_path / "evil.txt").exists()


def test_writer_refuses_duplicates_and_clashes(tmp_path: Path) -> None:
    writer = BagWriter(tmp_path / "bag")
    writer.add_bytes("docs/Report.pdf", b"1")
    with pytest.raises(BagError, match="same name"):
        writer.add_bytes("docs/Report.pdf", b"2")
    with pytest.raises(BagError, match="same name"):
        writer.add_bytes("docs/report.PDF", b"2")
    with pytest.raises(BagError, match="same name"):
        writer.add_bytes("docs", b"2")
    with pytest.raises(BagError, match="name of its folder"):
        writer.add_bytes("docs/Report.pdf/inner.txt", b"2")
    assert (tmp_path / "bag" / "data" / "docs" / "Report.pdf").read_bytes() == b"1"
    writer.finish(INFO)
    with pytest.raises(BagError, match="finished"):
        writer.add_bytes("late.txt", b"3")
    with pytest.raises(BagError, match="already finished"):
        writer.finish(INFO)
    assert verify_bag(tmp_path / "bag") == []


def test_writer_needs_an_empty_folder_and_a_readable_source(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(BagError, match="not an empty folder"):
        BagWriter(tmp_path / "full")
    writer = BagWriter(tmp_path / "bag")
    with pytest.raises(BagError, match="disappeared"):
        writer.add_file("gone.pdf", tmp_path / "gone.pdf")
    with pytest.raises(BagError, match="is a folder, not a file"):
        writer.add_file("folder.pdf", tmp_path / "full")
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(BagError, match="not a regular file"):
        writer.add_file("pipe.pdf", tmp_path / "pipe")
    writer.add_bytes("gone.pdf", b"the name is free again")
    assert not (tmp_path / "bag" / "data" / "folder.pdf").exists()


def test_finish_computes_oxum_and_folds_values(tmp_path: Path) -> None:
    writer = BagWriter(tmp_path / "bag")
    writer.add_bytes("a.txt", b"12345")
    folder = writer.finish(
        {"Payload-Oxum": "1.1", "Bagging-Date": "2026-01-02", "External-Description": "one\ntwo"}
    )
    text = (folder / "bag-info.txt").read_text()
    assert text == "Bagging-Date: 2026-01-02\nExternal-Description: one\n  two\nPayload-Oxum: 5.1\n"
    _validate_independently(folder)
    with pytest.raises(BagError, match="label"):
        BagWriter(tmp_path / "other").finish({"Bad: label": "x"})


# --- tampering is caught ---------------------------------------------------------------------------


def _flip_byte(path: Path, offset: int = 20) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _change_manifest_line(folder: Path) -> None:
    manifest = folder / "manifest-sha256.txt"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "case.json" in line)
    lines[index] = ("0" if lines[index][0] != "0" else "1") + lines[index][1:]
    manifest.write_text("".join(lines), encoding="utf-8")


def _set_oxum(folder: Path) -> None:
    info = folder / "bag-info.txt"
    lines = [
        "Payload-Oxum: 12.3" if line.startswith("Payload-Oxum:") else line
        for line in info.read_text(encoding="utf-8").splitlines()
    ]
    info.write_text("\n".join(lines) + "\n", encoding="utf-8")


TAMPERING: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "payload byte": (
        lambda f: _flip_byte(f / "data" / NOTE),
        [f"data/{NOTE} does not match its SHA-256 in manifest-sha256.txt"],
    ),
    "bag-info byte": (
        lambda f: _flip_byte(f / "bag-info.txt", 5),
        ["bag-info.txt does not match its SHA-256 in tagmanifest-sha256.txt"],
    ),
    "manifest line": (
        _change_manifest_line,
        [
            "data/case.json does not match its SHA-256 in manifest-sha256.txt",
            "manifest-sha256.txt does not match its SHA-256 in tagmanifest-sha256.txt",
        ],
    ),
    "payload added": (
        lambda f: (f / "data" / "extra.txt").write_text("planted"),
        ["data/extra.txt is in the payload but not listed in manifest-sha256.txt", "Payload-Oxum says"],
    ),
    "payload removed": (
        lambda f: (f / "data" / NOTE).unlink(),
        [f"data/{NOTE} is listed in manifest-sha256.txt but missing", "Payload-Oxum says"],
    ),
    "oxum wrong": (_set_oxum, ["Payload-Oxum says 3 files of 12 bytes"]),
    "bagit.txt removed": (
        lambda f: (f / "bagit.txt").unlink(),
        ["bagit.txt is missing", "bagit.txt is listed in tagmanifest-sha256.txt but missing"],
    ),
    "bagit.txt version": (
        lambda f: (f / "bagit.txt").write_text("BagIt-Version: 7.0\nTag-File-Character-Encoding: UTF-8\n"),
        ["declares BagIt version '7.0'"],
    ),
    "bagit.txt malformed": (
        lambda f: (f / "bagit.txt").write_text("BagIt, honest\n"),
        ["bagit.txt is malformed"],
    ),
    "manifest malformed": (
        lambda f: (f / "manifest-sha256.txt").write_text("deadbeef data/case.json\n", encoding="utf-8"),
        ["manifest-sha256.txt line 1 is malformed"],
    ),
    "manifest escapes": (
        lambda f: (f / "manifest-sha256.txt").write_text("0" * 64 + "  data/../../evil.txt\n"),
        ["manifest-sha256.txt line 1 names a file that climbs out"],
    ),
    "bag-info malformed": (
        lambda f: (f / "bag-info.txt").write_text("no label here\n"),
        ["bag-info.txt line 1 is malformed"],
    ),
    "tag file added": (
        lambda f: (f / "notes.txt").write_text("planted"),
        ["notes.txt is in the bag but not listed in tagmanifest-sha256.txt"],
    ),
    "tagmanifest removed": (lambda f: (f / "tagmanifest-sha256.txt").unlink(), ["there is no tag manifest"]),
}


@pytest.mark.parametrize("form", ["folder", "zip"])
@pytest.mark.parametrize("kind", sorted(TAMPERING))
def test_tampering_is_caught(tmp_path: Path, kind: str, form: str) -> None:
    folder = _make_bag(tmp_path)
    assert verify_bag(folder) == []
    tamper, expected = TAMPERING[kind]
    tamper(folder)
    target = folder if form == "folder" else _zip_folder(folder, tmp_path / "tampered.zip")
    problems = verify_bag(target)
    for words in expected:
        assert any(words in problem for problem in problems), (words, problems)
    assert all("\n" not in problem for problem in problems)
    if kind in ("payload byte", "bag-info byte", "payload added", "payload removed", "bagit.txt removed"):
        with pytest.raises(bagit.BagError):
            bagit.Bag(str(folder)).validate()


# --- hostile bundles are refused ----------------------------------------------------------------


def _entry(name: str, mode: int = stat.S_IFREG | 0o644) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


def _case(tmp_path: Path, kind: str) -> tuple[list[tuple[zipfile.ZipInfo | str, bytes]], str]:
    bagit_txt = ("bag/bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    cases: dict[str, tuple[list[tuple[zipfile.ZipInfo | str, bytes]], str]] = {
        "parent": ([bagit_txt, ("../evil.txt", b"x")], "climbs out"),
        "nested parent": ([bagit_txt, ("bag/../../../evil.txt", b"x")], "climbs out"),
        "absolute": ([bagit_txt, (str(tmp_path / "evil.txt"), b"x")], "absolute"),
        "windows absolute": ([bagit_txt, ("C:\\evil.txt", b"x")], "backslash"),
        "windows relative": ([bagit_txt, ("bag\\..\\..\\evil.txt", b"x")], "backslash"),
        "drive letter": ([bagit_txt, ("C:/evil.txt", b"x")], "drive letter"),
        "symlink": (
            [
                bagit_txt,
                (_entry("bag/data/link", stat.S_IFLNK | 0o777), str(tmp_path).encode()),
                ("bag/data/link/evil.txt", b"x"),
            ],
            "symbolic link",
        ),
        "fifo": ([bagit_txt, (_entry("bag/data/pipe", stat.S_IFIFO | 0o644), b"")], "special file"),
        "two tops": ([bagit_txt, ("other/evil.txt", b"x")], "more than one top-level"),
        "file at top": ([("evil.txt", b"x")], "at its top"),
        "duplicate": ([bagit_txt, ("bag/data/a.txt", b"1"), ("bag/data/a.txt", b"2")], "two members"),
        "case duplicate": ([bagit_txt, ("bag/data/A.txt", b"1"), ("bag/data/a.txt", b"2")], "two members"),
        "file and folder": ([bagit_txt, ("bag/data/a", b"1"), ("bag/data/a/b", b"2")], "file and a folder"),
        "empty": ([], "empty"),
    }
    return cases[kind]


HOSTILE = [
    "parent",
    "nested parent",
    "absolute",
    "windows absolute",
    "windows relative",
    "drive letter",
    "symlink",
    "fifo",
    "two tops",
    "file at top",
    "duplicate",
    "case duplicate",
    "file and folder",
    "empty",
]


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_zip_is_refused_before_anything_is_written(tmp_path: Path, kind: str) -> None:
    members, reason = _case(tmp_path, kind)
    bundle = _hostile(tmp_path, members)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with pytest.raises(BagError, match=reason), open_bag(bundle, scratch=scratch):
        pytest.fail("a hostile zip was opened")
    _no_escape(tmp_path, scratch)
    problems = verify_bag(bundle, scratch=scratch)
    assert len(problems) == 1
    assert reason in problems[0]
    assert "\n" not in problems[0]
    _no_escape(tmp_path, scratch)


def _deflated_zeros(out: Path, members: int, size: int) -> Path:
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        for number in range(members):
            with archive.open(f"bag/data/zeros-{number}.bin", "w") as member:
                for _ in range(size // len(chunk)):
                    member.write(chunk)
    return out


def test_zip_bomb_member_is_refused_by_ratio(tmp_path: Path) -> None:
    bomb = _deflated_zeros(tmp_path / "bomb.zip", 1, 200 << 20)
    assert bomb.stat().st_size < 1 << 20
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with pytest.raises(BagError, match="compressed more than 200 to 1"), open_bag(bomb, scratch=scratch):
        pytest.fail("a zip bomb was opened")
    assert list(scratch.iterdir()) == []


def test_many_small_members_are_refused_by_overall_ratio(tmp_path: Path) -> None:
    bomb = _deflated_zeros(tmp_path / "bomb.zip", 20, 1 << 20)
    problems = verify_bag(bomb)
    assert len(problems) == 1
    assert "more than 200 times its size" in problems[0]


def test_limits_on_count_and_sizes(tmp_path: Path) -> None:
    folder = _make_bag(tmp_path)
    bundle = zip_bag(folder, tmp_path / "b.zip")
    assert "more than the 3 allowed" in verify_bag(bundle, limits=BagLimits(max_files=3))[0]
    assert "more than the 1,000 allowed" in verify_bag(bundle, limits=BagLimits(max_member_bytes=1000))[0]
    assert (
        "more than the 10,000 bytes allowed"
        in verify_bag(bundle, limits=BagLimits(max_total_bytes=10_000))[0]
    )
    assert "more than 3 files" in verify_bag(folder, limits=BagLimits(max_files=3))[0]
    small_tags = BagLimits(max_tag_file_bytes=100)
    assert any(
        "manifest-sha256.txt is" in p and "not read" in p for p in verify_bag(folder, limits=small_tags)
    )


def _patch_declared_size(bundle: Path, member: str, size: int) -> None:
    """Change the uncompressed size a zip declares for a member, in its local and central headers."""
    data = bytearray(bundle.read_bytes())
    encoded = member.encode()
    local = data.index(b"PK\x03\x04")
    while data[local + 30 : local + 30 + len(encoded)] != encoded:
        local = data.index(b"PK\x03\x04", local + 4)
    struct.pack_into("<I", data, local + 22, size)
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(encoded)] != encoded:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, size)
    bundle.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("declared", "reason"), [(1000, "damaged"), (900_000, "not the 900,000 it declares")]
)
def test_member_that_lies_about_its_size_is_refused(tmp_path: Path, declared: int, reason: str) -> None:
    folder = _make_bag(tmp_path)
    bundle = _zip_folder(folder, tmp_path / "liar.zip")
    _patch_declared_size(bundle, "bag/data/case.json", declared)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    problems = verify_bag(bundle, scratch=scratch)
    assert len(problems) == 1
    assert reason in problems[0]
    assert list(scratch.iterdir()) == []


def test_streaming_counter_stops_a_member_that_unpacks_to_more_than_declared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a zip reader not stop at the declared size, reviewer's own count still does."""
    folder = _make_bag(tmp_path)
    bundle = zip_bag(folder, tmp_path / "b.zip")
    real_open = zipfile.ZipFile.open

    def too_much(self: zipfile.ZipFile, name: zipfile.ZipInfo, *args: object, **kwargs: object) -> io.BytesIO:
        real_open(self, name).close()
        return io.BytesIO(bytes(name.file_size + 5))

    monkeypatch.setattr(zipfile.ZipFile, "open", too_much)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    problems = verify_bag(bundle, scratch=scratch)
    assert problems == ["the zip member b/bagit.txt unpacks to more than it declares (a zip bomb); refused"]
    assert list(scratch.iterdir()) == []


def test_not_a_zip(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(os.urandom(1000))
    assert "not a zip or is damaged" in verify_bag(junk)[0]
    assert "does not exist" in verify_bag(tmp_path / "missing.zip")[0]


def test_folder_bag_with_a_symlink_is_refused(tmp_path: Path) -> None:
    folder = _make_bag(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    (folder / "data" / "link.txt").symlink_to(outside)
    problems = verify_bag(folder)
    assert problems == ["the bag contains a symbolic link, data/link.txt; links are refused"]
    with pytest.raises(BagError, match="symbolic link"), open_bag(folder):
        pytest.fail("a bag with a link was opened")
    (folder / "data" / "link.txt").unlink()
    (folder / "data" / "dir").symlink_to(tmp_path, target_is_directory=True)
    assert "symbolic link, data/dir" in verify_bag(folder)[0]
    with pytest.raises(BagError, match="symbolic link"):
        zip_bag(folder, tmp_path / "linked.zip")
    assert not (tmp_path / "linked.zip").exists()
    assert not (tmp_path / "linked.zip.partial").exists()


def test_zip_bag_refuses_to_overwrite_and_needs_a_bag(tmp_path: Path) -> None:
    folder = _make_bag(tmp_path)
    (tmp_path / "taken.zip").write_text("keep me")
    with pytest.raises(BagError, match="already exists"):
        zip_bag(folder, tmp_path / "taken.zip")
    assert (tmp_path / "taken.zip").read_text() == "keep me"
    with pytest.raises(BagError, match="not a bag"):
        zip_bag(tmp_path / "sources", tmp_path / "new.zip")


def test_open_bag_yields_the_unpacked_folder_and_cleans_up(tmp_path: Path) -> None:
    folder = _make_bag(tmp_path)
    bundle = zip_bag(folder, tmp_path / "Exchange.zip")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with open_bag(bundle, scratch=scratch) as opened:
        assert opened.name == "Exchange"
        assert (opened / "data" / NOTE).read_bytes() == (folder / "data" / NOTE).read_bytes()
        assert read_bag_file(opened, "data/case.json").startswith(b'{"format"')
        with pytest.raises(BagError, match="larger than the 100 bytes"):
            read_bag_file(opened, "data/case.json", limits=BagLimits(max_tag_file_bytes=100))
        with pytest.raises(BagError, match="climbs out"):
            read_bag_file(opened, "../evil.txt")
    assert list(scratch.iterdir()) == []
    with open_bag(folder) as same:
        assert same == folder


def test_a_bag_made_by_the_bagit_package_verifies(tmp_path: Path) -> None:
    folder = tmp_path / "theirs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "Нота № 12.pdf").write_bytes(os.urandom(1000))
    (folder / "readme.txt").write_text("hello")
    bagit.make_bag(str(folder), {"Source-Organization": "Elsewhere"}, checksums=["sha256", "sha512"])
    assert verify_bag(folder) == []
    (folder / "data" / "readme.txt").write_text("hullo")
    problems = verify_bag(folder)
    assert (
        "data/readme.txt does not match its SHA-256 in manifest-sha256.txt: it was changed or damaged"
        in problems
    )
    assert (
        "data/readme.txt does not match its SHA-512 in manifest-sha512.txt: it was changed or damaged"
        in problems
    )


def test_an_empty_payload_zips_and_verifies(tmp_path: Path) -> None:
    folder = BagWriter(tmp_path / "bag").finish(INFO)
    assert "Payload-Oxum: 0.0" in (folder / "bag-info.txt").read_text()
    assert verify_bag(folder) == []
    assert verify_bag(zip_bag(folder, tmp_path / "empty.zip")) == []


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_a_file_written_elsewhere_is_adopted_hashing_only_what_follows_its_base(
    tmp_path: Path, form: str
) -> None:
    original = tmp_path / "original.pdf"
    original.write_bytes(b"%PDF-1.7\n" + os.urandom(3 * (1 << 20) + 17))
    writer: BagWriter = (
        BagWriter(tmp_path / "bag") if form == "folder" else ZipBagWriter(tmp_path / "bag.zip")
    )
    base = writer.add_original("originals/original.pdf", original)
    assert base.digest == hashlib.sha256(original.read_bytes()).hexdigest()
    extended = writer.reserve("annotated/original.annotated.pdf")
    whole = writer.reserve("annotated/photo.pdf")
    update = b"\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    extended.write_bytes(original.read_bytes() + update)
    whole.write_bytes(b"%PDF-1.7 a photo made a PDF")
    digest = writer.adopt("annotated/original.annotated.pdf", base)
    assert digest == hashlib.sha256(original.read_bytes() + update).hexdigest()
    writer.adopt("annotated/photo.pdf")
    with pytest.raises(BagError, match="not reserved"):
        writer.adopt("annotated/other.pdf")
    bag = writer.finish(INFO)
    assert verify_bag(bag) == []
    if form == "zip":
        assert {p.name for p in tmp_path.iterdir()} == {"original.pdf", "bag.zip"}, "nothing left beside it"
        with zipfile.ZipFile(bag) as archive:
            names = [i.filename for i in archive.infolist()]
            archive.extractall(tmp_path / "x")
        assert names[:2] == ["bag/", "bag/bagit.txt"]
        bag = tmp_path / "x" / "bag"
    _validate_independently(bag)


def test_a_zip_bag_whose_base_changed_is_refused(tmp_path: Path) -> None:
    original = tmp_path / "original.pdf"
    original.write_bytes(b"%PDF-1.7\n" + os.urandom(100_000))
    writer = ZipBagWriter(tmp_path / "bag.zip")
    base = writer.add_original("originals/original.pdf", original)
    forged = writer.reserve("annotated/original.pdf")
    forged.write_bytes(b"%PDF-1.7\n" + os.urandom(100_000) + b"update")
    with pytest.raises(BagError, match="does not begin with the file it extends"):
        writer.adopt("annotated/original.pdf", base)
    writer.abort()
    assert {p.name for p in tmp_path.iterdir()} == {"original.pdf"}, "abort leaves no zip behind"
