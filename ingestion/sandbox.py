"""Parse documents in a child process with memory, CPU-time and wall-clock limits.

A hostile or broken file (a compression bomb, a pathological PDF) can exhaust memory or spin a
parser for ever; in a child with ``RLIMIT_AS``/``RLIMIT_CPU`` and a wall-clock deadline that only
kills the child, and the run records one failed document. One child serves many documents (a
Python start-up per file would dominate small Markdown notes) and is replaced after any failure.
Requests and results cross the pipe as JSON lines, never pickle. The child gets a fixed minimal
environment (``child_environment``), none of ours: a parser exploited by a hostile file finds no
Slack token, model key or database password to steal.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel

from bot.common.errors import UnreadableDocument
from ingestion.document import Kind, ParsedDocument

logger = logging.getLogger(__name__)
# The parsing child's whole environment. Nothing is inherited, so no Slack token, model key,
# database password or CHANGEBOT_* secret can reach a parser that a hostile file has exploited,
# whatever the variable is called. The child needs none: it is started by absolute path, finds
# its packages from its own interpreter and working directory, and writes only to a pipe.
SANDBOX_ENV = {"PATH": os.defpath, "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}


def child_environment() -> dict[str, str]:
    """The environment for our child processes: a fixed minimal one, never a copy of ours."""
    return dict(SANDBOX_ENV)


class Limits(BaseModel):
    """Per-document limits for the parsing child."""

    memory_mb: int = 1024
    cpu_s: float = 120.0
    wall_s: float = 120.0


def _death_reason(returncode: int | None) -> str:
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return "took too long to read (time limit reached); the file may be damaged"
    return "crashed the document reader; the file may be damaged or too complex"


class ParserSandbox:
    """A reusable parsing child; use as a context manager so it is always reaped."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ParserSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the child (politely via EOF, then by force)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()

    def child_peak_rss_mb(self) -> float | None:
        """Peak resident memory of the live child (Linux VmHWM), for benchmarks and logs."""
        if self._proc is None or self._proc.poll() is not None:
            return None
        try:
            status = Path(f"/proc/{self._proc.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None

    def _child(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            self.close()
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "ingestion.sandbox", str(self.limits.memory_mb)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=str(Path(__file__).resolve().parent.parent),
                env=child_environment(),
            )
        return self._proc

    def parse(self, path: Path, kind: Kind, name: str) -> ParsedDocument:
        """Parse one file in the child; ``UnreadableDocument`` for any per-file failure."""
        proc = self._child()
        assert proc.stdin is not None and proc.stdout is not None
        request = {"path": str(path), "kind": kind, "name": name, "cpu_s": self.limits.cpu_s}
        try:
            proc.stdin.write(json.dumps(request).encode() + b"\n")
            proc.stdin.flush()
        except BrokenPipeError as exc:
            self.close()
            raise UnreadableDocument(name, _death_reason(proc.poll())) from exc
        line = _read_line(proc.stdout, time.monotonic() + self.limits.wall_s)
        if line is None:
            timed_out = proc.poll() is None
            proc.kill()
            returncode = proc.wait()
            self.close()
            if timed_out:
                raise UnreadableDocument(
                    name,
                    f"took longer than {self.limits.wall_s:g} s to read; the file may be damaged",
                )
            raise UnreadableDocument(name, _death_reason(returncode))
        reply: dict[str, Any] = json.loads(line)
        if not reply.get("ok"):
            if reply.get("restart"):
                self.close()
            raise UnreadableDocument(name, str(reply.get("reason", "could not be read")))
        return ParsedDocument.model_validate(reply["document"])


def _read_line(stream: IO[bytes], deadline: float) -> bytes | None:
    """One line from the child before ``deadline``; None on timeout or EOF.

    ``poll``, not ``select``: a serving process with many sockets open can hand the pipe a
    descriptor above 1023, which ``select`` refuses (ValueError) and the ingest would abort.
    """
    fd = stream.fileno()
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    buffer = bytearray()
    while not buffer.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            return None
        data = os.read(fd, 1 << 20)
        if not data:
            return None
        buffer += data
    return bytes(buffer)


# -- child side -------------------------------------------------------------------------------
def _limit_self(memory_mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    os.nice(5)


def _serve_one(request: dict[str, Any]) -> dict[str, Any]:
    from ingestion.loaders import load_document

    used = resource.getrusage(resource.RUSAGE_SELF)
    budget = int(used.ru_utime + used.ru_stime + float(request["cpu_s"])) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (budget, resource.RLIM_INFINITY))
    try:
        parsed = load_document(Path(request["path"]), request["kind"], request["name"])
        return {"ok": True, "document": parsed.model_dump(mode="json")}
    except UnreadableDocument as exc:
        return {"ok": False, "reason": exc.reason}
    except MemoryError:
        return {
            "ok": False,
            "restart": True,
            "reason": "needs more memory than allowed to read (possibly a compression bomb)",
        }
    except RecursionError:
        return {"ok": False, "reason": "is nested too deeply to read"}
    except Exception as exc:  # noqa: BLE001 - any parser failure is one unreadable file
        logger.info("parser failed on a document: %s", type(exc).__name__)
        return {"ok": False, "reason": "damaged or not readable"}


def main() -> None:
    """Child entry point: JSON request lines on stdin, JSON reply lines on a private stdout."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the reply channel
    _limit_self(int(sys.argv[1]))
    for line in sys.stdin.buffer:
        reply = _serve_one(json.loads(line))
        try:
            out.write(json.dumps(reply).encode() + b"\n")
            out.flush()
        except BrokenPipeError:  # the parent died (or gave up on us): nothing left to do
            os._exit(0)
        if reply.get("restart"):
            return


if __name__ == "__main__":
    main()
