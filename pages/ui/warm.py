"""The app's warm-up (issue 20): the sample's first page first, then the models, in one
background thread per process (analysis.warm), started by the first script run of a fresh
server.

The first step is what the Overview of the sample needs (the sample stored and analysed with the
default model, and its entities), through the same Streamlit caches the pages read, so the first
visitors wait for one build of it, not one each. The model steps wait until a first page has been
sent (`page_drawn`) and `DRAW_WAIT_S` more while the browser draws it, so they do not compete with
it, and are done a few seconds later, usually before a visitor opens the next page. The sidebar says what is still being prepared (`warm_note`).

`OPINION_LENS_WARM_UP=0` turns it off (the AppTest suite does, so that no background thread runs
into a test's own loads; tests/test_warm.py and the browser tests run it).
"""

from __future__ import annotations

import os
import threading

from analysis.warm import WarmStep, WarmUp, model_steps, warm_up
from pages.ui.cache import (
    analysis_for,
    cached_entities,
    furniture_counted,
    get_library,
    library_url,
    sample_id,
)

WARM_ENV = "OPINION_LENS_WARM_UP"
_page_drawn = threading.Event()  # set when any session's run has finished: the background may go
# After that run, the browser is still drawing the page (a few hundred ms to a second and a half on a
# busy 2-core machine): the models wait that long more, then load while the visitor reads.
DRAW_WAIT_S = 2.0


def _sample_first_page() -> None:
    """The sample's Overview as a first visitor sees it: default model, calibrated band, the
    shipped entity table (a fresh library has no user aliases; with some, the page builds its own)."""
    record = get_library().get_article(sample_id())
    analysis = analysis_for(
        record.text,
        "default",
        None,
        record.title,
        record.source,
        record.published_at.isoformat() if record.published_at else None,
        furniture_counted(record.id),
    )
    cached_entities(analysis, "default", None, ())


def app_steps() -> list[WarmStep]:
    return [WarmStep("sample", _sample_first_page), *model_steps()]


def warm_up_enabled() -> bool:
    return os.environ.get(WARM_ENV, "1").strip() != "0"


def start_warm_up() -> WarmUp | None:
    """This process's warm-up for the configured library (started by the first caller), or None
    when it is turned off."""
    if not warm_up_enabled():
        return None
    return warm_up(
        ("app", library_url()), app_steps, gate=_page_drawn, gate_after=1, gate_delay_s=DRAW_WAIT_S
    )


def page_drawn() -> None:
    """A script run has finished: the background steps may use the interpreter now."""
    _page_drawn.set()
