"""The loader process: parses data files for the app, one forked child per load.

``python -m loaders.sandbox_worker FD`` is started once by ``loaders.sandbox``
with the loaders already imported, then forks a child for every load it is
asked for, so a load costs a fork rather than an interpreter start and its
imports. Each request is a socket passed over the control socket ``FD``;
the child talks to the app directly over it:

    child -> app   ("pid", pid)                  first, so the app can kill it on time
    app -> child   (manifest path, Limits, target)
    child -> app   ("ok", Dataset) | ("error", LoadError) | ("memory", text) | ("failed", text)
    worker -> app  ("exit", exit code)           once the child has ended (negative: a signal)

Why not ``multiprocessing``'s own forkserver: Streamlit runs every page as a
fake ``__main__`` module with ``__file__`` set, and multiprocessing re-runs the
parent's ``__main__`` file in each child it starts, i.e. the page itself. This
process has a plain ``__main__`` of its own, so nothing of the app runs here.

The child sets its own limits before it reads a byte: address space (RLIMIT_AS)
and file size (RLIMIT_FSIZE) to what it has plus ``memory_mb``, CPU seconds
(RLIMIT_CPU) as a backstop for the app's wall-clock timeout, and an alarm that
ends it should the app have gone away.
"""
from __future__ import annotations

import errno
import importlib
import inspect
import os
import pickle
import resource
import selectors
import signal
import socket
import sys
import traceback
from multiprocessing.connection import Connection
from typing import Any

#: Imported once here so that every forked child has them for free.
PRELOAD = ("loaders.dataset", "loaders.spending_duckdb", "budgetmap.sources.duckdb", "pyogrio", "pyproj",
           "openpyxl", "pyarrow.parquet")


def _preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional reader; the child imports it again if it needs it
            pass


def _vm_size() -> int:
    """This process's address space in bytes (VmSize), which RLIMIT_AS bounds."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _cap(kind: int, value: int) -> None:
    """Lower a limit (never above its hard limit, which an unprivileged process cannot raise)."""
    _, hard = resource.getrlimit(kind)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(kind, (value, value if hard == resource.RLIM_INFINITY else hard))


def apply_limits(timeout: float, memory_mb: int) -> None:
    """Bound this process before it loads anything (see the module docstring)."""
    extra = int(memory_mb) * 2**20
    _cap(resource.RLIMIT_AS, _vm_size() + extra)
    _cap(resource.RLIMIT_FSIZE, extra)
    cpu = int(2 * timeout) + 10  # loaders may run a thread per core; the app's wall clock comes first
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, resource.getrlimit(resource.RLIMIT_CPU)[1]))
    signal.alarm(int(timeout) + 15)  # default action: end the process, should nobody wait for it any more


def _target(name: str) -> Any:
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def _ran_out_of_memory(exc: BaseException) -> bool:
    """Whether a MemoryError (or DuckDB's out-of-memory error) is behind this exception."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, MemoryError) or type(cause).__name__ == "OutOfMemoryException":
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _outcome(path: str, target: str, conn: Connection | None = None) -> bytes:
    """Run the load and pickle what the app is told; never raises. A target that takes ``progress``
    is given one that sends ("progress", fraction, what) to the app as the load goes."""
    from budgetmap.model.errors import LoadError

    try:
        try:
            load = _target(target)
            kwargs = {}
            if conn is not None and "progress" in inspect.signature(load).parameters:
                kwargs["progress"] = lambda fraction, what: conn.send(("progress", fraction, what))
            return pickle.dumps(("ok", load(path, **kwargs)), protocol=pickle.HIGHEST_PROTOCOL)
        except LoadError as exc:
            if _ran_out_of_memory(exc):  # a loader that turned a MemoryError into "cannot be read"
                return pickle.dumps(("memory", str(exc)[:300]))
            return pickle.dumps(("error", exc))
        except MemoryError:
            return pickle.dumps(("memory", "MemoryError"))
        except BaseException as exc:  # noqa: BLE001 - the app gets a message, the log the traceback
            if _ran_out_of_memory(exc) or getattr(exc, "errno", None) == errno.EFBIG:
                return pickle.dumps(("memory", f"{type(exc).__name__}: {exc}"[:300]))
            traceback.print_exc(file=sys.stderr)
            return pickle.dumps(("failed", f"{type(exc).__name__}: {exc}"[:300]))
    except BaseException:  # noqa: BLE001 - even pickling the message failed (no memory left)
        return pickle.dumps(("memory", "no memory left to report"))


def _child(conn: Connection) -> None:
    """One load, in a freshly forked process; ends the process."""
    code = 0
    try:
        conn.send(("pid", os.getpid()))
        path, limits, target = conn.recv()
        apply_limits(limits.timeout, limits.memory_mb)
        conn.send_bytes(_outcome(path, target, conn))
    except BaseException:  # noqa: BLE001 - the app hears of it through the exit code
        code = 3
    finally:
        os._exit(code)


def _fork(fd: int, closing: list[int]) -> int:
    pid = os.fork()
    if pid == 0:
        for other in closing:
            os.close(other)
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _child(Connection(fd))
    return pid


def _report_exits(children: dict[int, int]) -> None:
    """Tell the app how each ended child ended, then let go of its socket."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        fd = children.pop(pid, None)
        if fd is None:
            continue
        conn = Connection(fd)
        try:
            conn.send(("exit", os.waitstatus_to_exitcode(status)))
        except OSError:  # the app stopped listening (it timed out, or is gone)
            pass
        conn.close()


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 512):
            pass
    except BlockingIOError:
        pass


def serve(control: socket.socket) -> None:
    """Fork a child for every socket received on ``control``; return when the app closes it."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the selector through the pipe
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the app's Ctrl-C is the app's to handle
    children: dict[int, int] = {}
    with selectors.DefaultSelector() as selector:
        selector.register(control, selectors.EVENT_READ)
        selector.register(wake_r, selectors.EVENT_READ)
        while True:
            for key, _ in selector.select():
                if key.fileobj == wake_r:
                    _drain(wake_r)
                    _report_exits(children)
                    continue
                try:
                    message, fds, _, _ = socket.recv_fds(control, 16, 4)
                except (BlockingIOError, InterruptedError):
                    continue
                if not message:
                    return  # the app closed its end: it has stopped
                for fd in fds:
                    closing = [control.fileno(), wake_r, wake_w, *children.values()]
                    children[_fork(fd, closing)] = fd


def main(argv: list[str]) -> None:
    control = socket.socket(fileno=int(argv[1]))
    _preload()
    serve(control)


if __name__ == "__main__":
    main(sys.argv)
