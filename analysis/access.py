"""Who may change the library on a shared deployment.

Locally, with no passphrase configured, everyone may edit (nothing changes for a single user).
When a passphrase is set (secret `access.edit_passphrase` or $OPINION_LENS_EDIT_PASSPHRASE),
visitors are read-only until they unlock editing with it. The comparison is constant-time
(`hmac.compare_digest`) and repeated failures are slowed down process-wide, so guessing from many
sessions at once costs as much as from one. The passphrase itself is never kept anywhere but in
its secret: a session only remembers that it unlocked.

With Streamlit's `[auth]` (OpenID Connect) secrets configured, editing also requires signing in
(`st.login`), and, when an allow-list is given (secret `access.editors` or $OPINION_LENS_EDITORS,
comma-separated), an email on it. Every configured gate must be passed; the signed-in email is the
editor's identity in the review audit trail.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

PASSPHRASE_ENV = "OPINION_LENS_EDIT_PASSPHRASE"
EDITORS_ENV = "OPINION_LENS_EDITORS"
FAILURE_WINDOW_S = 300.0  # failures older than this no longer slow anyone down
BASE_DELAY_S = 0.5
MAX_DELAY_S = 8.0


def _section(secrets: Mapping[str, object] | None, name: str) -> Mapping[str, object]:
    section = secrets.get(name) if secrets is not None else None
    return section if isinstance(section, Mapping) else {}


def configured_passphrase(env: Mapping[str, str], secrets: Mapping[str, object] | None) -> str | None:
    """$OPINION_LENS_EDIT_PASSPHRASE, else secrets["access"]["edit_passphrase"]; None when unset
    or blank (then editing is open, as on a local machine)."""
    value = env.get(PASSPHRASE_ENV, "").strip()
    if value:
        return value
    value = str(_section(secrets, "access").get("edit_passphrase") or "").strip()
    return value or None


def sign_in_configured(secrets: Mapping[str, object] | None) -> bool:
    """True when the `[auth]` secrets that `st.login` needs are there (a redirect URI, a cookie
    secret and a client, directly or under a named provider)."""
    auth = _section(secrets, "auth")
    if not auth.get("redirect_uri") or not auth.get("cookie_secret"):
        return False
    if auth.get("client_id"):
        return True
    return any(isinstance(v, Mapping) and v.get("client_id") for v in auth.values())


def configured_editors(env: Mapping[str, str], secrets: Mapping[str, object] | None) -> frozenset[str] | None:
    """The allow-list of editor emails (lower case), or None when there is none (then anyone who
    signs in may edit)."""
    raw: object = env.get(EDITORS_ENV, "").strip() or _section(secrets, "access").get("editors")
    if isinstance(raw, str):
        items = raw.split(",")
    elif isinstance(raw, list | tuple):
        items = [str(x) for x in raw]
    else:
        return None
    emails = frozenset(x.strip().lower() for x in items if x.strip())
    return emails or None


Verdict = Literal["open", "editor", "sign_in", "not_editor", "passphrase"]


@dataclass(frozen=True)
class AccessPolicy:
    """Who may change the library on this deployment (decided from secrets and environment)."""

    passphrase: str | None = None
    sign_in: bool = False
    editors: frozenset[str] | None = None

    @property
    def open(self) -> bool:
        """No gate at all: a local, single-user install."""
        return self.passphrase is None and not self.sign_in

    def verdict(self, *, signed_in: bool, email: str | None, unlocked: bool) -> Verdict:
        """`open` / `editor` may edit; otherwise the first gate still closed."""
        if self.open:
            return "open"
        if self.sign_in:
            if not signed_in:
                return "sign_in"
            if self.editors is not None and (email or "").strip().lower() not in self.editors:
                return "not_editor"
        if self.passphrase is not None and not unlocked:
            return "passphrase"
        return "editor"

    def may_edit(self, *, signed_in: bool, email: str | None, unlocked: bool) -> bool:
        return self.verdict(signed_in=signed_in, email=email, unlocked=unlocked) in ("open", "editor")


def access_policy(env: Mapping[str, str], secrets: Mapping[str, object] | None) -> AccessPolicy:
    return AccessPolicy(
        passphrase=configured_passphrase(env, secrets),
        sign_in=sign_in_configured(secrets),
        editors=configured_editors(env, secrets),
    )


class UnlockThrottle:
    """Constant-time check with a delay that doubles with each recent failure (all sessions)."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ):
        self._failures: deque[float] = deque()
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def delay(self) -> float:
        """Seconds the next attempt waits: 0 without recent failures, then 0.5, 1, 2, … up to 8."""
        with self._lock:
            now = self._clock()
            while self._failures and now - self._failures[0] > FAILURE_WINDOW_S:
                self._failures.popleft()
            n = len(self._failures)
        return 0.0 if n == 0 else min(BASE_DELAY_S * 2 ** (n - 1), MAX_DELAY_S)

    def check(self, given: str, expected: str) -> bool:
        """True when `given` is the passphrase; waits first if recent attempts failed."""
        wait = self.delay()
        if wait:
            self._sleep(wait)
        ok = hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
        if not ok:
            with self._lock:
                self._failures.append(self._clock())
        return ok
