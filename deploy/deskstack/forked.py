"""``make run``'s processes forked from one preloaded parent, so their libraries count once.

Each of the platform's Python processes imports the same ~70 MB of libraries
(FastAPI, SQLAlchemy, pydantic, aiokafka, asyncpg, httpx, ...). Started as separate
interpreters, each holds its own copy. Here the launcher imports them once
(:func:`preload`), freezes them out of the garbage collector's reach (so a collection
does not write to, and so copy, their pages), and each process is a ``fork()`` of it
that then runs its ``python -m <module> <command>`` as the interpreter would. The
pages of the shared libraries stay shared until written, and PSS counts a shared
page once across the processes that hold it.

It plugs into honcho (:class:`ForkingManager`): honcho still prints each process's
lines under its name, and stops everything when one exits. Only the launch is
different: a fork of the launcher instead of a wrapper process running ``sh -c``. ``DESKSTACK_FORK=0`` goes back to separate
interpreters (docs/deploy.md, "Memory").

The platform's own modules are preloaded too: none reads a setting or the
environment at import (each reads them when its process starts, after the fork,
with that process's environment), and none starts a thread or a loop at import.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import os
import queue
import runpy
import shlex
import signal
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

from honcho.manager import Manager
from honcho.process import Process

# Imported once by the launcher; a library missing here is imported by each process.
PRELOAD = (
    "pydantic",
    "pydantic_settings",
    "fastapi",
    "fastapi.routing",
    "starlette.applications",
    "uvicorn",
    "uvicorn.config",
    "uvicorn.server",
    "uvicorn.protocols.http.h11_impl",
    "uvicorn.lifespan.on",
    "sqlalchemy",
    "sqlalchemy.ext.asyncio",
    "sqlalchemy.dialects.postgresql.asyncpg",
    "asyncpg",
    "aiokafka",
    "httpx",
    "httpcore",
    "h11",
    "structlog",
    "prometheus_client",
    "opentelemetry.trace",
    "holidays",
    "holidays.countries.russia",
    "jinja2",
    "email.policy",
)
# The platform's own modules: each reads its settings when its process starts (in
# ``create_app``, ``main`` or a validator), never at import, so one import serves all.
PLATFORM = (
    "shared.runtime",
    "shared.cli",
    "entitlement.app",
    "intake.app",
    "intake.smtp",
    "sla_clock.app",
    "escalation.app",
    "notification.app",
    "gateway.app",
)


def enabled(environ: dict[str, str] | os._Environ[str]) -> bool:
    """Forking is the default; ``DESKSTACK_FORK=0`` starts separate interpreters."""
    return environ.get("DESKSTACK_FORK", "1").strip().lower() not in {"0", "false", "no"}


def preload() -> list[str]:
    """Import the shared libraries here, once; the names that could not be imported."""
    missing = []
    for name in (*PRELOAD, *PLATFORM):
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    gc.collect()
    gc.freeze()  # what is here now is never scanned again: its pages stay shared
    return missing


class ForkedChild:
    """What honcho's ``Process`` needs of a ``Popen``: ``pid``, ``stdout``, ``wait()``.

    ``cmd`` is ``[python, "-m", module, *args]`` (a service's ``command()``); the child
    runs ``module`` as ``__main__`` with ``args``, in ``cwd``, with exactly ``env``.
    """

    def __init__(
        self, cmd: str | list[str], *, env: dict[str, str], cwd: str | None = None
    ) -> None:
        if isinstance(cmd, str):  # honcho hands over the command line it was given
            cmd = shlex.split(cmd)
        if len(cmd) < 3 or cmd[1] != "-m":
            raise ValueError(f"a forked process runs 'python -m module ...', not {cmd!r}")
        module, args = cmd[2], cmd[3:]
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read)
            _become(module, args, env=env, cwd=cwd, output=write)
        os.close(write)
        self.pid = pid
        self.stdout: IO[bytes] = os.fdopen(read, "rb")
        self.returncode: int | None = None

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


def _become(
    module: str, args: list[str], *, env: dict[str, str], cwd: str | None, output: int
) -> None:
    """Turn this forked process into ``python -m module *args``; exit with its code."""
    code = 1
    try:
        os.setsid()  # its own session, like honcho's Popen: a terminal's Ctrl-C goes to honcho
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        sys.stdin = io.TextIOWrapper(os.fdopen(0, "rb", closefd=False))
        sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), line_buffering=True)
        sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", closefd=False), line_buffering=True)
        if cwd:
            os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.argv = [module, *args]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except BaseException:  # printed as the interpreter would, then exit 1
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # the pipe may be gone at shutdown
                stream.flush()
        os._exit(code)


def _exit_code(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


# While every process runs, honcho's loop waits this long for its next message.
STEADY_WAIT_SECONDS = 10.0


class PatientQueue(queue.Queue[Any]):
    """honcho's message queue, without its tenth-of-a-second wake-ups while all is well.

    honcho's loop asks for the next message with a 0.1 s timeout, so that once a process
    has stopped it can time the kill of those that ignore the stop: ten wake-ups a
    second of an idle launcher. While every process runs, anything that changes arrives
    as a message (a line, a stop), and a Ctrl-C runs honcho's handler on the main thread
    during the wait; so the wait can be long. Once any process has stopped, or the
    manager is stopping them, honcho's own pace comes back.
    """

    def __init__(self, steady: Callable[[], bool], wait: float = STEADY_WAIT_SECONDS) -> None:
        super().__init__()
        self._steady = steady
        self._wait = wait

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if timeout is not None and self._steady():
            timeout = max(timeout, self._wait)
        return super().get(block, timeout)


class ForkingManager(Manager):  # type: ignore[misc]
    """honcho's manager, with each process forked from the launcher itself.

    honcho runs each process under a wrapper process of its own (a ``multiprocessing``
    child that reads the process's output); forked from the preloaded launcher, seven
    wrappers cost about 75 MB of PSS. Here the launcher forks the processes directly and
    reads their output on a thread each, feeding honcho's loop the same messages
    (start, line, stop), so honcho still prints, stops all when one exits, and kills.

    A fork copies every lock but only the forking thread: a lock another thread holds
    at that instant (the import lock, while it imports) stays held forever in the
    child. So every process is forked before any reader thread starts, and the
    launcher's other threads wait for :attr:`forked` before they do anything.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Threads, not processes, feed it.
        self.events: queue.Queue[Any] = PatientQueue(self._steady)
        self.forked = threading.Event()

    def _steady(self) -> bool:
        """Every process started and none stopped, and no stop asked for."""
        return bool(not self._terminating and self._all_started() and not self._any_stopped())

    def _start(self) -> None:
        children = []
        for entry in self._processes.values():
            process = entry["obj"]
            children.append((process, ForkedChild(process.cmd, env=process.env, cwd=process.cwd)))
        self.forked.set()
        for process, child in children:
            threading.Thread(
                target=self._relay, args=(process, child), name=process.name, daemon=True
            ).start()

    def _relay(self, process: Process, child: ForkedChild) -> None:
        """What honcho's wrapper does, on a thread: the process's lines, then its end."""
        process._events = self.events
        process._send_message({"pid": child.pid}, type="start")
        for line in iter(child.stdout.readline, b""):
            if not process.quiet:
                process._send_message(line)
        child.stdout.close()
        child.wait()
        process._send_message({"returncode": child.returncode}, type="stop")
