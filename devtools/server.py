"""Start and stop a real Streamlit server on a free loopback port.

Used by the browser tests and by bench/, so both drive the app exactly as a
person's browser would.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_PAINT_ENV = "BUDGETMAP_FIRST_PAINT"  # ui.first_paint.ENV (devtools imports no streamlit page code)


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_streamlit(script: str | Path, *, log: Path, env_extra: dict[str, str] | None = None,
                    cwd: Path = ROOT, timeout: float = 90) -> Server:
    """``streamlit run script`` on 127.0.0.1 and a free port; returns once /_stcore/health says ok."""
    port = free_port()
    # the page tests' whole-page switch (tests/conftest.py) is not for a server a browser drives:
    # it runs as people get it unless the caller asks (ui/first_paint.py)
    env = {k: v for k, v in os.environ.items() if k != FIRST_PAINT_ENV}
    env.update({"PYTHONUNBUFFERED": "1", **(env_extra or {})})
    cmd = [sys.executable, "-m", "streamlit", "run", str(script),
           "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false",
           # code may be edited while tests run: never rerun on a file change
           "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    with open(log, "wb") as handle:
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200 and resp.read().strip() == b"ok":
                    return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_streamlit(server)
            raise RuntimeError(f"streamlit did not become healthy in {timeout:.0f}s:\n{server.log_tail()}")
        time.sleep(0.25)


def stop_streamlit(server: Server) -> None:
    """Terminate, then kill if it will not stop; only this server's own process."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)
