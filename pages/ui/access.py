"""Who may change the library, and who is reviewing: sign-in, the edit passphrase, the reviewer.

The policy itself is `analysis.access` (environment and secrets in, a verdict out); this module
reads Streamlit's sign-in and session, and draws the sidebar's access controls. On a local
install everything is open; on a shared one editing needs every configured gate.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import streamlit as st

from pages.ui.cache import streamlit_secrets, unlock_throttle
from pages.ui.state import REVIEW_EDITOR_KEY, library_down, tr

if TYPE_CHECKING:
    from analysis.access import AccessPolicy

EDITOR_UNLOCKED_KEY = (
    "_editing_unlocked"  # True once this session entered the passphrase (never the passphrase)
)
PASSPHRASE_FIELD = "access_passphrase"
UNLOCK_FAILED_KEY = "_access_unlock_failed"


def _access_policy() -> AccessPolicy:
    from analysis.access import access_policy

    return access_policy(os.environ, streamlit_secrets())


def _edit_passphrase() -> str | None:
    return _access_policy().passphrase


def _signed_in_email() -> tuple[bool, str | None]:
    """(signed in?, email) from Streamlit's OIDC sign-in; (False, None) without it."""
    try:
        user = st.user
        signed_in = bool(user.get("is_logged_in", False))
        email = user.get("email") if signed_in else None
    except Exception:  # no auth configured or an old runtime: nobody is signed in
        return False, None
    return signed_in, str(email) if email else None


def _access_verdict() -> str:
    signed_in, email = _signed_in_email()
    return _access_policy().verdict(
        signed_in=signed_in, email=email, unlocked=st.session_state.get(EDITOR_UNLOCKED_KEY) is True
    )


def editing_allowed() -> bool:
    """May this session upload, edit or delete? Always on a local install; on a shared one only
    past every configured gate (sign-in and allow-list, passphrase)."""
    return library_down() is None and _access_verdict() in ("open", "editor")


def editing_controls() -> None:
    """Sidebar: who may edit, and the one control that opens the next gate (sign in, unlock with
    the passphrase) or closes it again (sign out, lock). Nothing on a local install."""
    policy = _access_policy()
    if policy.open:
        return
    verdict = _access_verdict()
    signed_in, email = _signed_in_email()
    if policy.sign_in and signed_in:
        st.caption(tr("access.signed_in", email=email or "?"))
        if st.button(tr("access.sign_out"), key="access_sign_out", icon=":material/logout:"):
            st.logout()
    if verdict == "sign_in":
        st.caption(tr("access.read_only_sign_in"))
        if st.button(tr("access.sign_in"), key="access_sign_in", icon=":material/login:"):
            st.login()
        return
    if verdict == "not_editor":
        st.warning(tr("access.not_editor", email=email or "?"))
        return
    if policy.passphrase is None:
        return
    if verdict == "editor":
        st.caption(tr("access.unlocked"))
        if st.button(tr("access.lock"), key="access_lock", icon=":material/lock:"):
            st.session_state.pop(EDITOR_UNLOCKED_KEY, None)
            st.rerun()
        return
    st.caption(tr("access.read_only"))
    with st.form("access_unlock_form", clear_on_submit=True, border=False):
        st.text_input(tr("access.passphrase"), type="password", key=PASSPHRASE_FIELD)
        st.form_submit_button(tr("access.unlock"), icon=":material/lock_open:", on_click=_try_unlock)
    if st.session_state.pop(UNLOCK_FAILED_KEY, False):
        st.error(tr("access.wrong"))


def _try_unlock() -> None:
    """Form callback: check the typed passphrase, then blank the field at once, so the passphrase
    never stays in session state (only whether this session unlocked)."""
    given = str(st.session_state.get(PASSPHRASE_FIELD) or "")
    st.session_state[PASSPHRASE_FIELD] = ""
    expected = _edit_passphrase()
    if expected is not None and unlock_throttle().check(given, expected):
        st.session_state[EDITOR_UNLOCKED_KEY] = True
    else:
        st.session_state[UNLOCK_FAILED_KEY] = True


# -- who is reviewing ---------------------------------------------------------------------------------
def editor_identity() -> str | None:
    """Who is editing, for the audit trail: the signed-in email, else None (the review panel asks
    for a name once per session)."""
    return _signed_in_email()[1]


def review_editor() -> str | None:
    """Who the audit trail names: the signed-in email, else the name typed once this session."""
    return editor_identity() or st.session_state.get(REVIEW_EDITOR_KEY) or None


def set_review_editor(name: str | None) -> str:
    """Remember who is reviewing, for this session only: one line, not blank, and never the edit
    passphrase typed into the wrong box. Returns the name; ReviewError when it cannot be used."""
    from analysis.review import ReviewError, check_editor

    checked = check_editor(name)
    secret = _edit_passphrase()
    if secret and checked == " ".join(secret.split()):
        raise ReviewError(tr("rv.name_is_passphrase"), code="bad_editor")
    st.session_state[REVIEW_EDITOR_KEY] = checked
    return checked
