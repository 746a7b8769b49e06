"""Streamlit glue the pages share (a package, so Streamlit never lists these modules as pages).

- `frame`: the sidebar and the navigation every page runs inside (`run`, `page_shell`).
- `state`: session-state keys, the session's choices (UI language, model, band, labels shown),
  sticky widgets, and what the session last read while the library is down.
- `cache`: every `st.cache_*` wrapper (library, models, analyses, reviewed views, entities).
- `access`: who may change the library (sign-in, passphrase) and who is reviewing.
- `article`: the active article with its analysis, review and entities.
- `widgets`: pieces several pages draw alike (downloads, sentence table, errors, flash, dates).
- `review_panel`: the analyst's review controls (reviewer, outcome, undo, errors).
- `posts_review`, `posts_entities`: sections of the Posts page.

Dependencies point one way: state → cache; access, article → state, cache; widgets →
article; review_panel → widgets, access; frame → all. Nothing here imports a page.
"""
