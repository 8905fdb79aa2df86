"""A throwaway PostgreSQL cluster for tests: initdb into a temporary folder, a free local port, trust auth.

PostgreSQL refuses to run as root, so when the tests run as root (CI does) initdb, pg_ctl and psql run
as the ``postgres`` user and the cluster's folders belong to it. Nothing here touches a cluster it did
not make: ``stop()`` stops only this one and removes only its own temporary folder.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = "PostgreSQL is not installed: apt-get install postgresql"


class PostgresMissingError(RuntimeError):
    """The PostgreSQL server binaries (initdb, pg_ctl) are not on this machine."""


def find_bindir() -> Path:
    """The newest ``/usr/lib/postgresql/*/bin`` holding initdb, or ``PostgresMissingError``."""
    candidates = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()],
        reverse=True,
    )
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    raise PostgresMissingError(INSTALL_HINT)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PostgresCluster:
    """One private PostgreSQL server for a test session."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.as_root = os.geteuid() == 0
        self.superuser = "postgres" if self.as_root else _current_user()
        self.port = 0
        self._tmp: Path | None = None
        self._started = False

    # -- life cycle ---------------------------------------------------------------------------------
    def start(self) -> PostgresCluster:
        """initdb a new cluster in a temporary folder and start it on a free local port."""
        if self._started:
            return self
        self._tmp = Path(tempfile.mkdtemp(prefix="reviewer-pg-"))
        self._tmp.chmod(0o755)
        data, sock = self._tmp / "data", self._tmp / "sock"
        sock.mkdir()
        if self.as_root:
            shutil.chown(self._tmp, "postgres")
            shutil.chown(sock, "postgres")
        self._run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(data),
                "--locale=C.UTF-8",
                "-E",
                "UTF8",
                "--auth=trust",
                "-U",
                self.superuser,
            ]
        )
        self.port = _free_port()
        self.sockdir = sock
        self._run(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(self._tmp / "server.log"),
                "-w",
                "-o",
                f"-k {sock} -p {self.port} -h 127.0.0.1 -c fsync=off -c full_page_writes=off",
                "start",
            ]
        )
        self._started = True
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Stop the server (fast) and remove its temporary folder; safe to call twice."""
        if self._tmp is None:
            return
        if self._started:
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self._run(
                    [str(self.bindir / "pg_ctl"), "-D", str(self._tmp / "data"), "-m", "fast", "-w", "stop"]
                )
            self._started = False
        shutil.rmtree(self._tmp, ignore_errors=True)
        self._tmp = None

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers ------------------------------------------------------------------------------------
    def url(self, db: str, user: str | None = None) -> str:
        """``postgresql://user@127.0.0.1:PORT/db``, the superuser's when no user is given."""
        return f"postgresql://{user or self.superuser}@127.0.0.1:{self.port}/{db}"

    def psql(self, sql: str, db: str = "postgres", user: str | None = None) -> str:
        """Run SQL with psql (stop at the first error) and return its unaligned output."""
        result = self._run(
            [
                str(self.bindir / "psql") if (self.bindir / "psql").exists() else "psql",
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                user or self.superuser,
                "-d",
                db,
                "-c",
                sql,
            ]
        )
        return result.stdout

    def create_database(self, name: str, owner: str | None = None) -> str:
        """CREATE DATABASE name (owned by ``owner`` if given) and return its URL (for the owner)."""
        owner_sql = f" OWNER {_quote_ident(owner)}" if owner else ""
        self.psql(f"CREATE DATABASE {_quote_ident(name)}{owner_sql}")
        return self.url(name, owner)

    def create_role(self, name: str, login: bool = True) -> None:
        """CREATE ROLE name [LOGIN] (no password: the cluster trusts local connections)."""
        self.psql(f"CREATE ROLE {_quote_ident(name)} {'LOGIN' if login else 'NOLOGIN'}")

    def create_password_role(self, name: str, password: str) -> None:
        """CREATE ROLE name LOGIN PASSWORD ..., the one role this cluster asks a password of (scram).

        Its pg_hba.conf line goes before the trust lines, then the server reloads its configuration.
        """
        quoted = password.replace("'", "''")
        self.psql(f"CREATE ROLE {_quote_ident(name)} LOGIN PASSWORD '{quoted}'")
        assert self._tmp is not None
        hba = self._tmp / "data" / "pg_hba.conf"
        line = f"host all {name} 127.0.0.1/32 scram-sha-256\nlocal all {name} scram-sha-256\n"
        hba.write_text(line + hba.read_text())
        self._run([str(self.bindir / "pg_ctl"), "-D", str(self._tmp / "data"), "reload"])
        self.psql("SELECT pg_reload_conf()")

    def _run(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        try:
            return subprocess.run(
                argv, check=True, capture_output=True, text=True, cwd=self._tmp or "/", timeout=120
            )
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(f"{' '.join(argv)} failed: {exc.stderr.strip()}") from exc


def _current_user() -> str:
    import getpass

    return getpass.getuser()
