"""Start and stop a throwaway PostgreSQL + PostGIS server for the tests.

The PostGIS loaders are tested against a real server, not a mock: what matters
(typing of NUMERIC and INTEGER columns, EWKB geometry, the server's own error
messages for a missing table or a refused password, read-only sessions) is the
server's behaviour. The cluster lives in a temporary folder, listens on a free
loopback port (TCP, password auth) and on a unix socket in that folder (trust,
for loading the test data), and is removed afterwards. PostgreSQL refuses to run
as root, so as root the cluster belongs to an unprivileged user made for it.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from devtools.server import free_port

OS_USER = "budgetmap_pg"   # owns the cluster when the tests run as root
SUPERUSER = "budgetmap"    # the database superuser the tests connect as
HOST = "127.0.0.1"


@dataclass
class PgServer:
    """A running server; ``password`` is for PGPASSWORD only, never for a message or a URL."""

    bindir: Path
    base: Path
    port: int
    password: str
    run_as: str | None
    host: str = HOST
    user: str = SUPERUSER

    @property
    def socket_dir(self) -> Path:
        return self.base / "socket"

    def url(self, database: str) -> str:
        """A manifest-style URL: user, host, port and database, no password."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def admin_conninfo(self, database: str = "postgres") -> str:
        """Connection string over the unix socket (trust auth) for setting up data."""
        return f"host={self.socket_dir} port={self.port} user={self.user} dbname={database}"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join((self.base / "server.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def missing_reason() -> str | None:
    """Why a server cannot be started here (no binaries, no PostGIS), or None."""
    bindir = find_bindir()
    if bindir is None:
        return "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); apt-get install postgresql postgis"
    share = subprocess.run([str(bindir / "pg_config"), "--sharedir"], capture_output=True, text=True)
    control = Path(share.stdout.strip()) / "extension" / "postgis.control"
    if share.returncode != 0 or not control.exists():
        return f"PostGIS is not installed for {bindir} (no {control}); apt-get install postgis"
    return None


def _ensure_os_user() -> str:
    try:
        pwd.getpwnam(OS_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OS_USER],
                       check=True, capture_output=True)
    return OS_USER


def _run(server: PgServer, *args: str) -> None:
    command = [*(["runuser", "-u", server.run_as, "--"] if server.run_as else []), *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=server.base,
                          env={**os.environ, "LC_ALL": "C.UTF-8", "PGPASSWORD": ""})
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr.strip()}\n"
                           f"{server.log_tail()}")


def start_server() -> PgServer:
    """initdb into a temporary folder, start postgres on a free port, return the server."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError(missing_reason())
    run_as = _ensure_os_user() if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="budgetmap-pg-"))
    server = PgServer(bindir=bindir, base=base, port=free_port(), password=secrets.token_urlsafe(18),
                      run_as=run_as)
    try:
        _init_and_start(server)
    except Exception:
        shutil.rmtree(base, ignore_errors=True)
        raise
    return server


def _init_and_start(server: PgServer) -> None:
    """initdb (superuser password from a file deleted at once), then pg_ctl start."""
    base, bindir = server.base, server.bindir
    server.socket_dir.mkdir()
    pwfile = base / "pwfile"
    pwfile.write_text(server.password + "\n")
    pwfile.chmod(0o600)
    if server.run_as:
        owner = pwd.getpwnam(server.run_as)
        for path in (base, server.socket_dir, pwfile):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    try:
        _run(server, str(bindir / "initdb"), "-D", str(base / "data"), "-U", SUPERUSER,
             f"--pwfile={pwfile}", "--auth-local=trust", "--auth-host=scram-sha-256",
             "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
    finally:
        pwfile.unlink(missing_ok=True)
    options = (f"-c listen_addresses={HOST} -p {server.port} -k {server.socket_dir} "
               "-c fsync=off -c full_page_writes=off")
    _run(server, str(bindir / "pg_ctl"), "-D", str(base / "data"), "-l", str(base / "server.log"),
         "-w", "-t", "60", "-o", options, "start")


def stop_server(server: PgServer) -> None:
    """Stop the server (fast shutdown) and delete its folder."""
    try:
        _run(server, str(server.bindir / "pg_ctl"), "-D", str(server.base / "data"), "-m", "fast",
             "-w", "stop")
    finally:
        shutil.rmtree(server.base, ignore_errors=True)
