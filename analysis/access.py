"""Who may change the library on a shared deployment.

Locally, with no passphrase configured, everyone may edit (nothing changes for a single user).
When a passphrase is set (secret `access.edit_passphrase` or $OPINION_LENS_EDIT_PASSPHRASE),
visitors are read-only until they unlock editing with it. The comparison is constant-time
(`hmac.compare_digest`) and repeated failures are slowed down process-wide, so guessing from many
sessions at once costs as much as from one. The passphrase itself is never kept anywhere but in
its secret: a session only remembers that it unlocked.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping

PASSPHRASE_ENV = "OPINION_LENS_EDIT_PASSPHRASE"
FAILURE_WINDOW_S = 300.0  # failures older than this no longer slow anyone down
BASE_DELAY_S = 0.5
MAX_DELAY_S = 8.0


def configured_passphrase(env: Mapping[str, str], secrets: Mapping[str, object] | None) -> str | None:
    """$OPINION_LENS_EDIT_PASSPHRASE, else secrets["access"]["edit_passphrase"]; None when unset
    or blank (then editing is open, as on a local machine)."""
    value = env.get(PASSPHRASE_ENV, "").strip()
    if value:
        return value
    try:
        section = secrets["access"] if secrets is not None else None  # type: ignore[index]
        value = str(section["edit_passphrase"]).strip() if section is not None else ""  # type: ignore[index]
    except (KeyError, TypeError):
        value = ""
    return value or None


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
