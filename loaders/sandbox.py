"""Load a dataset in a separate process with time and memory limits: what the app does.

A hostile or broken file (a FIFO, a decompression bomb, a table far larger than
it looks, a parser stuck in a loop) must cost one message, never the server:
the load runs in a child of ``loaders.sandbox_worker`` with its own address
space, file size and CPU limits, the app waits at most ``timeout`` seconds and
kills it then, and the loaded ``Dataset`` comes back as a pickle (a DuckDB
ledger as Parquet bytes). Anything that goes wrong becomes a ``LoadError``
naming the manifest, the limit and what to do; a LoadError raised by the
loaders comes back as itself.

A refusal for a limit (time, memory, a crash) is remembered for
``REFUSAL_SECONDS`` or until the manifest changes, so sessions that keep
asking for a bomb are told at once instead of each running it again. At most
``processes`` loads run at once; more wait their turn.
"""
from __future__ import annotations

import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from budgetmap.model import Dataset
from budgetmap.model.errors import LoadError

ROOT = Path(__file__).resolve().parents[1]
TARGET = "loaders.dataset:load_dataset"  # what the child runs: "module:function" taking the manifest path
REFUSAL_SECONDS = 300.0
_GRACE = 5.0  # seconds to wait for a killed child's exit to be reported


@dataclass(frozen=True)
class Setting:
    """One limit, read from the environment where the app is started."""

    env: str
    default: float
    unit: str
    help: str


#: The limits' registry: ``Limits.from_env`` and the documentation read it.
SETTINGS: dict[str, Setting] = {
    "timeout": Setting("BUDGETMAP_LOAD_TIMEOUT", 120, "seconds",
                       "wall-clock time one dataset may take to load before it is stopped"),
    "memory_mb": Setting("BUDGETMAP_LOAD_MEMORY_MB", 4096, "MB",
                         "memory (address space) one load may take beyond the loader process it starts "
                         "in, and the largest file it may write"),
    "processes": Setting("BUDGETMAP_LOAD_PROCESSES", 2, "loads", "loads that may run at the same time"),
}


@dataclass(frozen=True)
class Limits:
    """How long and how much memory one load may take, and how many run at once."""

    timeout: float = SETTINGS["timeout"].default
    memory_mb: int = int(SETTINGS["memory_mb"].default)
    processes: int = int(SETTINGS["processes"].default)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """The limits set in the environment; a missing, unreadable or non-positive value keeps its default."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, setting in SETTINGS.items():
            try:
                value = float(environ.get(setting.env, ""))
            except ValueError:
                continue
            if value > 0 and value == value and value != float("inf"):
                values[name] = value if name == "timeout" else max(1, int(value))
        return cls(**values)


def manifest_label(path: str | Path) -> str:
    """The manifest as a message names it: its folder and file name, never the server's absolute path."""
    path = Path(path)
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def _timeout_message(label: str, limits: Limits) -> str:
    return (f"Loading {label} took longer than {limits.timeout:g} seconds, the time one dataset may take, and "
            "was stopped. Check that the files it names are ordinary files of the size you expect (not a pipe "
            "or a device); for a very large dataset, raise BUDGETMAP_LOAD_TIMEOUT (seconds) where the app "
            "is started.")


def _memory_message(label: str, limits: Limits) -> str:
    return (f"Loading {label} needed more than {limits.memory_mb:,} MB of memory, the most one dataset may "
            "take, and was stopped. A file may be much larger than it looks (a huge table, a compressed "
            "archive, very detailed shapes): check the files it names; for a very large dataset, raise "
            "BUDGETMAP_LOAD_MEMORY_MB where the app is started.")


def _ended_how(code: int | None) -> str:
    if code is None:
        return "the loader process ended without a word"
    if code == -signal.SIGKILL:
        return "it was killed"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def _ended_message(label: str, limits: Limits, code: int | None) -> str:
    how = _ended_how(code)
    return (f"Loading {label} stopped before it finished ({how}): it may have run out of memory (the limit "
            f"is {limits.memory_mb:,} MB) or met a file it cannot read. Check the files it names with "
            "`python -m budgetmap check` on the manifest.")


def _failed_message(label: str, detail: str) -> str:
    return (f"Loading {label} failed with an unexpected error ({detail}); the details are in the server's "
            "log. Check the files it names with `python -m budgetmap check` on the manifest, and report "
            "the error if they look right.")


class _Service:
    """The one ``loaders.sandbox_worker`` process of this app, started on first use and after it dies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._control: socket.socket | None = None

    def _start(self) -> None:
        ours, theirs = socket.socketpair()
        self._process = subprocess.Popen([sys.executable, "-m", "loaders.sandbox_worker", str(theirs.fileno())],
                                         pass_fds=[theirs.fileno()], cwd=ROOT, stdin=subprocess.DEVNULL)
        theirs.close()
        self._control = ours

    def connect(self) -> Connection:
        """A connection to a new child (forked once the worker reads the request)."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            ours, theirs = socket.socketpair()
            try:
                socket.send_fds(self._control, [b"load"], [theirs.fileno()])
            except OSError:  # the worker went away between poll() and now: start a new one
                self._start()
                socket.send_fds(self._control, [b"load"], [theirs.fileno()])
            finally:
                theirs.close()
            return Connection(ours.detach())


_SERVICE = _Service()
_SLOTS_LOCK = threading.Lock()
_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_REFUSED: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
_REFUSED_LOCK = threading.Lock()


def _slots(processes: int) -> threading.BoundedSemaphore:
    with _SLOTS_LOCK:
        return _SLOTS.setdefault(processes, threading.BoundedSemaphore(processes))


def _refusal_key(path: Path, limits: Limits) -> tuple:
    """The manifest as it is now, under these limits: a changed manifest or limit is tried again."""
    try:
        stat = path.stat()
        return str(path), stat.st_mtime_ns, stat.st_size, limits.timeout, limits.memory_mb
    except OSError:
        return str(path), None, None, limits.timeout, limits.memory_mb


def _remembered(key: tuple) -> str | None:
    with _REFUSED_LOCK:
        found = _REFUSED.get(key)
        if found is None or time.monotonic() - found[0] > REFUSAL_SECONDS:
            _REFUSED.pop(key, None)
            return None
        return found[1]


def _remember(key: tuple, message: str) -> None:
    with _REFUSED_LOCK:
        _REFUSED[key] = (time.monotonic(), message)
        while len(_REFUSED) > 64:
            _REFUSED.popitem(last=False)


def forget_refusals() -> None:
    """Drop every remembered refusal (tests; or after raising a limit in a running process)."""
    with _REFUSED_LOCK:
        _REFUSED.clear()


def load_isolated(path: str | Path, limits: Limits | None = None, target: str | None = None,
                  progress: Callable[[float, str], None] | None = None) -> Dataset:
    """Load a manifest in a limited child process; raises LoadError for anything that stops it.

    ``progress(fraction, what)`` hears the child's progress (loaders.progress) as it comes.
    """
    limits = limits or Limits.from_env()
    path = Path(path).resolve()
    key = _refusal_key(path, limits)
    remembered = _remembered(key)
    if remembered is not None:
        raise LoadError(remembered)
    with _slots(limits.processes):
        kind, value = _run(path, limits, target or TARGET, progress)
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    label = manifest_label(path)
    message = {"timeout": lambda: _timeout_message(label, limits), "memory": lambda: _memory_message(label, limits),
               "ended": lambda: _ended_message(label, limits, value),
               "failed": lambda: _failed_message(label, value)}[kind]()
    if kind != "failed":
        _remember(key, message)
    raise LoadError(message)


def _run(path: Path, limits: Limits, target: str,
         progress: Callable[[float, str], None] | None = None) -> tuple[str, Any]:
    """(kind, value): ok/Dataset, error/LoadError, memory, failed/text, ended/exit code, timeout."""
    deadline = time.monotonic() + limits.timeout
    try:
        conn = _SERVICE.connect()
    except OSError as exc:
        return "failed", f"the loader process could not be started: {exc}"
    pidfd = None
    try:
        conn.send((str(path), limits, target))
        while conn.poll(max(0.0, deadline - time.monotonic())):
            message = pickle.loads(conn.recv_bytes(limits.memory_mb * 2**20))
            if message[0] == "pid":
                pidfd = _pidfd(message[1])
                continue
            if message[0] == "progress":
                if progress is not None:
                    progress(float(message[1]), str(message[2]))
                continue
            if message[0] == "exit":
                return ("memory", None) if message[1] == -signal.SIGXFSZ else ("ended", message[1])
            if not _await_exit(conn):  # the child ends right after its answer; make sure it has
                _kill(pidfd)
            return message
        _kill(pidfd)
        _await_exit(conn)
        return "timeout", None
    except EOFError:
        return "ended", None
    except OSError:  # a message over the memory limit (recv_bytes' maxlength), or a broken socket
        _kill(pidfd)
        return "memory", None
    finally:
        conn.close()
        if isinstance(pidfd, int):
            os.close(pidfd)


def _pidfd(pid: int) -> int | tuple[str, int]:
    """A handle on the child that cannot hit another process once the pid is reused (Linux 5.3+)."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return ("pid", pid)


def _kill(pidfd: int | tuple[str, int] | None) -> None:
    try:
        if isinstance(pidfd, int):
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        elif pidfd is not None:
            os.kill(pidfd[1], signal.SIGKILL)
    except (ProcessLookupError, OSError):  # it ended on its own meanwhile
        pass


def _await_exit(conn: Connection) -> bool:
    """Wait briefly for the worker's word that the child is gone, so none outlives its answer."""
    end = time.monotonic() + _GRACE
    try:
        while conn.poll(max(0.0, end - time.monotonic())):
            if pickle.loads(conn.recv_bytes(2**20))[0] == "exit":
                return True
    except Exception:  # noqa: BLE001 - the rest of a half-sent message, or the worker is gone
        return False
    return False
