"""What every command shares: exit codes, the one-line error, reading input and writing output,
and a progress line on stderr."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from analysis.errors import OpinionLensError

EXIT_USAGE = 2
EXIT_INPUT = 3  # the input could not be read or understood
EXIT_INTERNAL = 4


class CliError(OpinionLensError):
    """An error to report as one line on stderr, exiting with `status`."""

    default_code = "cli"

    def __init__(self, message: str, status: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.status))


class OneLineArgumentParser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (argparse prints the whole usage block by default)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"error: {self.prog}: {message} (see --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def read_input_bytes(path: str) -> tuple[bytes, str | None]:
    """Bytes of PATH, or of standard input for `-`; with the file name (None for stdin)."""
    if path == "-":
        return sys.stdin.buffer.read(), None
    p = Path(path)
    if not p.exists():
        raise CliError(f"no such file: {path}")
    if p.is_dir():
        raise CliError(f"is a directory, not a file: {path}")
    try:
        return p.read_bytes(), p.name
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


def open_output(path: str | None) -> tuple[TextIO, bool]:
    """PATH opened for writing (and True: close it), or standard output (False)."""
    if not path:
        return sys.stdout, False
    try:
        return open(path, "w", encoding="utf-8", newline=""), True
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None


class ProgressLine:
    """Progress and ETA on stderr, at most once a second (a line each when stderr is a file)."""

    def __init__(self, total: int, unit: str) -> None:
        self.total, self.unit, self.done = total, unit, 0
        self.start = self.last = time.monotonic()
        self.tty = sys.stderr.isatty()

    def __call__(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.last < 1.0 and self.done < self.total:
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-9)
        eta = (self.total - self.done) / rate if rate > 0 else float("inf")
        line = f"scored {self.done}/{self.total} {self.unit} ({rate:.0f}/s, ETA {_duration(eta)})"
        print(("\r" + line) if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.tty:
            print(file=sys.stderr)


def _duration(seconds: float) -> str:
    if seconds == float("inf"):
        return "unknown"
    whole = round(seconds)
    return f"{whole // 3600}h{whole // 60 % 60:02d}m" if whole >= 3600 else f"{whole // 60}m{whole % 60:02d}s"
