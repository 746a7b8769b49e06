"""Writing a report: all or nothing (a temp file in the same folder, renamed when complete), and
the one error family of the briefing (`BriefError`, an `OpinionLensError`)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from analysis.errors import OpinionLensError


class BriefError(OpinionLensError):
    """A report that cannot be made; `code` says why: unknown_article, no_articles, empty_period,
    no_time_column, bad_date, chromium_missing, pdf_failed, cannot_write."""

    default_code = "report"


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` through a temp file renamed over it: a reader (or a crash) never
    sees half a report, and a failure leaves no file behind."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise BriefError(f"cannot write {target}: {exc.strerror or exc}", code="cannot_write") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise BriefError(f"cannot write {target}: {exc.strerror or exc}", code="cannot_write") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target
