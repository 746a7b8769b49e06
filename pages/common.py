"""Re-export shim (issue 21): the shared Streamlit glue moved to `pages.ui`. Only pages/posts.py
still reads these names through `common.` in its body; remove this module once it imports them
from pages.ui.access, pages.ui.cache and pages.ui.state like every other page."""

from __future__ import annotations

from pages.ui.access import editing_allowed
from pages.ui.cache import get_library
from pages.ui.state import current_band, current_model

__all__ = ["current_band", "current_model", "editing_allowed", "get_library"]


# Not a page. Streamlit's legacy pages/ start (a fresh server's first run, before dashboard.py has
# called st.navigation) runs any file of pages/ that a URL names, this one too: send that visitor
# to the app itself, which opens the Overview.
if __name__ == "__main__":
    import streamlit as st

    st.switch_page("dashboard.py")
