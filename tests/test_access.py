"""Who may change the library: the passphrase gate (unit) and the read-only Library and Posts
pages (AppTest)."""

from __future__ import annotations

import threading

import pytest

from analysis.access import PASSPHRASE_ENV, UnlockThrottle, configured_passphrase
from analysis.i18n import t
from tests.dashboard_fixtures import app_env, open_app

__all__ = ["app_env"]


def test_configured_passphrase_from_env_then_secrets() -> None:
    assert configured_passphrase({}, None) is None
    assert configured_passphrase({PASSPHRASE_ENV: "  "}, {"access": {"edit_passphrase": ""}}) is None
    assert configured_passphrase({}, {"access": {"edit_passphrase": " s3cret "}}) == "s3cret"
    assert (
        configured_passphrase({PASSPHRASE_ENV: "from-env"}, {"access": {"edit_passphrase": "x"}})
        == "from-env"
    )
    assert configured_passphrase({}, {"database": {"url": "sqlite://"}}) is None


def test_throttle_checks_and_slows_repeated_failures_from_every_thread() -> None:
    now = [0.0]
    slept: list[float] = []
    throttle = UnlockThrottle(clock=lambda: now[0], sleep=slept.append)
    assert throttle.check("right", "right") and slept == []
    for _ in range(3):
        assert not throttle.check("wrong", "right")
    assert slept == [0.5, 1.0]  # the 2nd and 3rd attempts waited; the next waits 2 s
    assert throttle.delay() == 2.0
    now[0] += 301  # failures older than the window no longer count
    assert throttle.delay() == 0.0
    # Failures from concurrent sessions all count.
    threads = [threading.Thread(target=throttle.check, args=("bad", "right")) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert throttle.delay() == 8.0  # capped


def test_without_passphrase_everything_stays_editable(app_env: str) -> None:
    at = open_app("pages/library.py", lang="en")
    assert at.file_uploader(key="library_upload") is not None
    assert not [e for e in at.sidebar.text_input if e.key == "access_passphrase"]


@pytest.fixture
def passphrase(monkeypatch: pytest.MonkeyPatch) -> str:
    from pages.common import _unlock_throttle

    monkeypatch.setenv(PASSPHRASE_ENV, "correct horse battery")
    _unlock_throttle.clear()
    return "correct horse battery"


def _unlock(at, given: str) -> None:
    """Type into the unlock form and submit it in the same run (a form sends on submit)."""
    at.sidebar.text_input(key="access_passphrase").input(given)
    next(b for b in at.sidebar.button if b.label == t("access.unlock", "en")).click().run()


def _state_values(at) -> list[str]:
    return [str(at.session_state[k]) for k in at.session_state]


def _keys(at) -> set[str]:
    return {getattr(e, "key", None) for e in at.main} | {
        getattr(w, "key", None)
        for kind in ("button", "file_uploader", "text_area", "checkbox")
        for w in at.get(kind)
    }


def test_read_only_until_unlocked(app_env: str, passphrase: str) -> None:
    at = open_app("pages/library.py", lang="en")
    keys = _keys(at)
    assert "library_upload" not in keys and not any(str(k).startswith("library_delete") for k in keys)
    assert not any(str(k).startswith("library_edit_save") for k in keys)
    assert any(i.value == t("access.read_only_page", "en") for i in at.info)
    # A wrong passphrase: a clear message, still read-only, nothing remembered.
    _unlock(at, "guess")
    assert any(e.value == t("access.wrong", "en") for e in at.error)
    assert "library_upload" not in _keys(at)
    assert "guess" not in _state_values(at)
    # The right one unlocks this session; the passphrase itself is not kept in session state.
    _unlock(at, passphrase)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    keys = _keys(at)
    assert "library_upload" in keys and any(str(k).startswith("library_delete") for k in keys)
    assert passphrase not in _state_values(at)
    # Lock again.
    at.sidebar.button(key="access_lock").click().run()
    assert "library_upload" not in _keys(at)


def test_posts_page_read_only_has_no_upload(app_env: str, passphrase: str) -> None:
    at = open_app("pages/posts.py", lang="en")
    keys = _keys(at)
    assert "posts_upload" not in keys and "posts_sample" in keys
