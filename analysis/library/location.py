"""Where the database lives: the per-user data folder, the configured URL, and whether it will last."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa

DB_URL_ENV: Final = "OPINION_LENS_DB_URL"
APP_DIR_NAME: Final = "opinion-lens"
DB_FILE_NAME: Final = "library.db"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The per-user data folder (XDG style): $XDG_DATA_HOME/opinion-lens or ~/.local/share/opinion-lens."""
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME


def configured_db_url(secrets: Mapping[str, Any] | None = None) -> str | None:
    """The library the app and the CLI are pointed at: $OPINION_LENS_DB_URL, else the secret
    `database.url` (st.secrets, or .streamlit/secrets.toml for the CLI), else None: the
    default SQLite file (`default_db_url`)."""
    url = os.environ.get(DB_URL_ENV, "").strip()
    if url:
        return url
    if not secrets:
        return None
    try:
        return str(secrets["database"]["url"]).strip() or None
    except (KeyError, TypeError):  # no [database] table, or no url in it
        return None


def default_db_url() -> str:
    """The URL in $OPINION_LENS_DB_URL, else SQLite in the per-user data folder (created here)."""
    url = os.environ.get(DB_URL_ENV, "").strip()
    if url:
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DB_FILE_NAME}"


def masked_url(url: str) -> str:
    """The URL with any password replaced by ***, safe to show on a page."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<invalid database URL>"


def looks_like_streamlit_cloud(env: Mapping[str, str] | None = None, cwd: str | None = None) -> bool:
    """Heuristic: Community Cloud checks the app out under /mount/src and runs as `appuser`."""
    env = os.environ if env is None else env
    cwd = os.getcwd() if cwd is None else cwd
    return (
        cwd.startswith("/mount/src")
        or env.get("HOME") == "/home/appuser"
        or env.get("HOSTNAME", "") == "streamlit"
    )


def is_ephemeral_url(url: str, *, env: Mapping[str, str] | None = None, cwd: str | None = None) -> bool:
    """True when uploads stored at `url` will likely not survive a restart: SQLite in memory, under
    the temp folder, or anywhere on Streamlit Community Cloud (its file system is ephemeral)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        return True
    if looks_like_streamlit_cloud(env, cwd):
        return True
    path = str(Path(database).expanduser().resolve())
    temp_roots = {"/tmp", "/var/tmp", "/dev/shm", str(Path(tempfile.gettempdir()).resolve())}
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in temp_roots)
