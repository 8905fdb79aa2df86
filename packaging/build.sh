#!/usr/bin/env bash
# Build the one-folder app with PyInstaller, then smoke-test what was built.
#
#     packaging/build.sh                                  # fresh throwaway venv, removed afterwards
#     REVIEWER_BUILD_VENV=~/.cache/reviewer-build packaging/build.sh   # keep and reuse that venv
#
# Output: packaging/dist/reviewer/ (run packaging/dist/reviewer/reviewer); PyInstaller's work files go
# to packaging/build/. Both are ignored by git. PYTHON picks the interpreter for the venv (default
# python3, 3.11 or newer); REVIEWER_BUILD_STRIP=0 keeps debug symbols; REVIEWER_SMOKE_WINDOW=0 skips
# the window's smoke test; REVIEWER_SMOKE_TIMEOUT (seconds, default 180) bounds each smoke command.
# Exits non-zero, saying which step failed, if the build or any check fails.
# Not part of the test suite: it takes minutes and needs the package registry for pyinstaller.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
DIST="$HERE/dist"
WORK="$HERE/build"
APP="$DIST/reviewer/reviewer"
PYTHON="${PYTHON:-python3}"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/reviewer-build.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

step() { printf '\n==> %s\n' "$*"; }
fail() {
    printf '\nBUILD FAILED: %s\n' "$*" >&2
    exit 1
}

# -- the build venv ------------------------------------------------------------------------------------
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || fail "$PYTHON is $("$PYTHON" --version 2>&1); reviewer needs Python 3.11 or newer (set PYTHON=...)"
if [ -n "${REVIEWER_BUILD_VENV:-}" ]; then
    VENV="$REVIEWER_BUILD_VENV"
    [ -x "$VENV/bin/python" ] || { step "creating the build venv $VENV"; "$PYTHON" -m venv "$VENV"; }
else
    VENV="$TMP/venv"
    step "creating a throwaway build venv"
    "$PYTHON" -m venv "$VENV"
fi
VPY="$VENV/bin/python"

# A snapshot of the working tree, so that installing it leaves no build/ or *.egg-info in the
# repository, and the modules and the data files PyInstaller bundles come from one and the same tree.
step "copying the source tree"
SRC="$TMP/src"
mkdir -p "$SRC"
tar -C "$ROOT" \
    --exclude=./.git --exclude=./.venv --exclude='*.egg-info' --exclude=__pycache__ \
    --exclude=.mypy_cache --exclude=.ruff_cache --exclude=.pytest_cache \
    --exclude=./build --exclude=./dist --exclude=./packaging/build --exclude=./packaging/dist \
    --exclude=./bench-out \
    -cf - . | tar -C "$SRC" -xf -

step "installing pyinstaller and reviewer into the build venv"
pip() { "$VPY" -m pip install --upgrade "$@" >"$TMP/pip.log" 2>&1 || { cat "$TMP/pip.log" >&2; false; }; }
pip pip || fail "could not upgrade pip in $VENV"
pip pyinstaller || fail "could not install pyinstaller"
pip "$SRC" || fail "could not install reviewer from $ROOT"
"$VPY" -m pip list --format=freeze 2>/dev/null | grep -iE '^(pyinstaller|pyside6|pymupdf|sqlalchemy|alembic|pillow|reviewer)' \
    | sed 's/^/      /' || true

# -- the build ----------------------------------------------------------------------------------------
step "running PyInstaller"
rm -rf "$DIST/reviewer"
# From an empty folder: `python -m` puts the current folder on sys.path, and a reviewer/ source folder
# there would be bundled instead of the installed package (which alone has reviewer.resources).
mkdir -p "$TMP/run"
(cd "$TMP/run" && "$VPY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" "$SRC/packaging/reviewer.spec") \
    || fail "PyInstaller failed (see above)"
[ -x "$APP" ] || fail "PyInstaller did not produce $APP"
for file in reviewer/core/storage/migrations/env.py reviewer/core/storage/migrations/script.py.mako \
    reviewer/resources/icons/reviewer.svg \
    reviewer/resources/icons/hicolor/256x256/apps/org.reviewer.Reviewer.png; do
    [ -f "$DIST/reviewer/_internal/$file" ] || fail "the bundle lacks _internal/$file"
done
ls "$DIST/reviewer/_internal/reviewer/core/storage/migrations/versions/"*.py >/dev/null 2>&1 \
    || fail "the bundle lacks the migration scripts (_internal/reviewer/core/storage/migrations/versions)"

# -- the smoke test -----------------------------------------------------------------------------------
# The app runs from an empty folder, with a clean environment and no Python of ours on any path, so
# that only what is inside the bundle can be used.
SMOKE="$TMP/smoke"
mkdir -p "$SMOKE/home" "$SMOKE/files"
cd "$SMOKE"
app() {
    env -i PATH=/usr/bin:/bin HOME="$SMOKE/home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        timeout "${REVIEWER_SMOKE_TIMEOUT:-180}" "$APP" "$@"
}
check() { # check DESCRIPTION EXPECTED_STATUS COMMAND...  (output in $OUT)
    local what="$1" want="$2" status=0
    shift 2
    OUT="$("$@" 2>"$SMOKE/stderr")" || status=$?
    if [ "$status" != "$want" ]; then
        printf '%s\n' "$OUT" >&2
        cat "$SMOKE/stderr" >&2
        if [ "$status" = 124 ]; then fail "$what: timed out"; fi
        fail "$what: exit status $status, expected $want"
    fi
    echo "ok    $what"
}
counts() { # counts "NEW KNOWN REFUSED" WHAT: the numbers in the JSON of an import, in $OUT
    local got
    got="$("$VPY" -c 'import json, sys; r = json.loads(sys.argv[1]); print(len(r["imported"]), len(r["duplicates"]), len(r["failed"]))' "$OUT")" \
        || fail "$2: the output is not the JSON of an import report: $OUT"
    [ "$got" = "$1" ] || { printf '%s\n' "$OUT" >&2; fail "$2: new, known, refused = $got, expected $1"; }
    echo "      new, known, refused: $got"
}
leftovers() { # processes of the bundle still alive (helpers that should have ended with the app)
    local n
    n="$(pgrep -c -f "^$APP" || true)"
    [ "${n:-0}" = 0 ] || { pgrep -a -f "^$APP" >&2; fail "$1: $n process(es) of the bundle still running"; }
}

step "smoke-testing $APP"
"$VPY" - "$SMOKE/files" <<'PY'
"""Small valid files to import: three one-page PDFs, a PNG, and a damaged PDF (standard library only)."""
import struct
import sys
import zlib
from pathlib import Path

out = Path(sys.argv[1])


def pdf(text: str) -> bytes:
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


def png(width: int = 64, height: int = 48) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\0" + b"".join(bytes((x * 4 % 256, y * 5 % 256, 128)) for x in range(width)) for y in range(height)
    )
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


for n in (1, 2, 3):
    (out / f"memo-{n}.pdf").write_bytes(pdf(f"reviewer smoke test, document {n}"))
(out / "scan.png").write_bytes(png())
(out / "damaged.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage\xff" * 64)
PY

check "--version" 0 app --version
case "$OUT" in "reviewer "*) ;; *) fail "--version printed '$OUT'" ;; esac

check "init a case" 0 app init "$SMOKE/case" --title "smoke test"

# Four good files on two worker processes: the bundle must start multiprocessing's helpers itself.
check "import 4 files with 2 worker processes" 0 app import "$SMOKE/case" \
    "$SMOKE/files/memo-1.pdf" "$SMOKE/files/memo-2.pdf" "$SMOKE/files/memo-3.pdf" "$SMOKE/files/scan.png" \
    --jobs 2 --source "smoke test" --json
counts "4 0 0" "the first import"
leftovers "after the import"

# The folder again: the four are known, and the damaged PDF is refused (exit 1) without harm to the batch.
check "import the folder again (4 known, 1 refused)" 1 app import "$SMOKE/case" "$SMOKE/files" --jobs 2 --json
counts "0 4 1" "the second import"
leftovers "after the second import"

check "list the documents" 0 app list "$SMOKE/case" --json
"$VPY" -c 'import json, sys; sys.exit(0 if len(json.loads(sys.argv[1])) == 4 else "not 4 documents")' "$OUT" \
    || fail "list did not show the 4 documents"
check "show document 1" 0 app show "$SMOKE/case" 1
check "verify the case (re-hash, custody chain)" 0 app verify "$SMOKE/case"
echo "      $OUT"

# The window: only once the app has a --smoke-test (open the demo case offscreen, exit 0 when the
# first page is drawn). REVIEWER_SMOKE_WINDOW=0 skips it, saying so.
check "--help" 0 app --help
if [ "${REVIEWER_SMOKE_WINDOW:-1}" = 0 ]; then
    echo "SKIP  --smoke-test (REVIEWER_SMOKE_WINDOW=0): the window was NOT tested"
elif grep -q -- "--smoke-test" <<<"$OUT"; then
    check "--smoke-test (the window, offscreen, on the demo case)" 0 app --smoke-test
    echo "      $OUT"
    leftovers "after --smoke-test"
else
    echo "skip  --smoke-test (this version has no such option yet)"
fi

step "done"
SIZE="$(du -sh "$DIST/reviewer" | cut -f1)"
echo "built $APP ($SIZE in $DIST/reviewer, $(find "$DIST/reviewer" -type f | wc -l) files); all smoke tests passed"
