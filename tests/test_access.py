"""Who may change the library: the passphrase gate (unit) and the read-only Library and Posts
pages (AppTest)."""

from __future__ import annotations

import threading

import pytest

from analysis.access import (
    EDITORS_ENV,
    PASSPHRASE_ENV,
    UnlockThrottle,
    access_policy,
    configured_editors,
    configured_passphrase,
    sign_in_configured,
)
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
    from pages.ui.cache import unlock_throttle as _unlock_throttle

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


# --- sign-in (OpenID Connect) and the editors' allow-list -------------------------------------

AUTH = {
    "redirect_uri": "https://opinion-lens.example/oauth2callback",
    "cookie_secret": "not-a-real-secret",
    "client_id": "client",
    "client_secret": "secret",
    "server_metadata_url": "https://accounts.example/.well-known/openid-configuration",
}


def test_sign_in_and_allow_list_policy() -> None:
    assert access_policy({}, None).open
    assert not sign_in_configured({"auth": {"redirect_uri": "x"}})  # incomplete: not configured
    assert sign_in_configured({"auth": AUTH})
    assert sign_in_configured(
        {"auth": {"redirect_uri": "x", "cookie_secret": "y", "google": {"client_id": "c"}}}
    )
    assert configured_editors({}, {"access": {"editors": ["Ana@Example.org ", "bo@example.org"]}}) == {
        "ana@example.org",
        "bo@example.org",
    }
    assert configured_editors({EDITORS_ENV: "x@y.z, "}, {"access": {"editors": ["a@b.c"]}}) == {"x@y.z"}
    assert configured_editors({}, {"access": {"editors": []}}) is None

    policy = access_policy({}, {"auth": AUTH, "access": {"editors": ["ana@example.org"]}})
    assert policy.verdict(signed_in=False, email=None, unlocked=True) == "sign_in"
    assert policy.verdict(signed_in=True, email="eve@example.org", unlocked=True) == "not_editor"
    assert policy.verdict(signed_in=True, email="ANA@example.org", unlocked=False) == "editor"
    anyone = access_policy({}, {"auth": AUTH})
    assert anyone.may_edit(signed_in=True, email="eve@example.org", unlocked=False)
    # Both gates configured: both must be passed.
    both = access_policy({PASSPHRASE_ENV: "pw"}, {"auth": AUTH})
    assert both.verdict(signed_in=True, email="a@b.c", unlocked=False) == "passphrase"
    assert both.verdict(signed_in=False, email=None, unlocked=True) == "sign_in"
    assert both.may_edit(signed_in=True, email="a@b.c", unlocked=True)


def _app_with_auth(user: dict[str, object], editors: list[str] | None = None):
    from streamlit.testing.v1 import AppTest

    from tests.dashboard_fixtures import ROOT

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["ui_lang"] = "en"
    at.secrets["auth"] = AUTH
    if editors is not None:
        at.secrets["access"] = {"editors": editors}
    at.user = user
    at.run()
    at.switch_page("pages/library.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_signed_out_visitor_is_read_only_with_a_sign_in_button(app_env: str) -> None:
    at = _app_with_auth({"is_logged_in": False})
    assert "library_upload" not in _keys(at)
    assert at.sidebar.button(key="access_sign_in").label == t("access.sign_in", "en")


def test_signed_in_editor_may_edit_and_others_may_not(app_env: str) -> None:
    at = _app_with_auth({"is_logged_in": True, "email": "ana@example.org"}, editors=["ana@example.org"])
    keys = _keys(at)
    assert "library_upload" in keys and "access_sign_in" not in keys
    assert any(c.value == t("access.signed_in", "en", email="ana@example.org") for c in at.sidebar.caption)
    other = _app_with_auth({"is_logged_in": True, "email": "eve@example.org"}, editors=["ana@example.org"])
    assert "library_upload" not in _keys(other)
    assert any(
        w.value == t("access.not_editor", "en", email="eve@example.org") for w in other.sidebar.warning
    )
