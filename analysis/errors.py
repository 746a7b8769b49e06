"""One family for every error a user is shown: reader, structure, corpus, library, sentiment, CLI.

Each is an `OpinionLensError` with a `code` naming the kind of problem (for the UI and for tests)
and a message that says what went wrong in plain words (shown as is). Pages and the CLI catch this
family, never a bare `ValueError`: anything else is a bug and must surface as one.

Errors survive pickling with their code and fields (Streamlit caches and Dask workers pickle them).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal


class OpinionLensError(Exception):
    """A problem with the user's input or environment; `str(exc)` says what, `code` what kind."""

    default_code: ClassVar[str] = "error"

    def __init__(self, message: str, *, code: str | None = None, **fields: object) -> None:
        super().__init__(message)
        self.code: str = code or self.default_code
        self.fields: dict[str, object] = fields

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), str(self), self.code, self.fields))


def _rebuild(
    cls: type[OpinionLensError], message: str, code: str, fields: dict[str, object]
) -> OpinionLensError:
    err = cls.__new__(cls)
    OpinionLensError.__init__(err, message, code=code, **fields)
    return err


ErrorCode = Literal["empty", "binary", "too_large", "no_text", "malformed", "undecodable", "unsupported"]


class ReaderError(OpinionLensError):
    """A file that cannot be read; `code` is one of the `ErrorCode` values, `str(exc)` says why."""

    code: ErrorCode

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message, code=code)
