"""Method: how sentences are scored and labelled, how NEV and themes are computed, and the
models with their measured accuracy (from the model card)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import streamlit as st

from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, SMALL_SAMPLE
from analysis.sentiment import SUITES, SentimentError
from pages.common import ROOT, calibrated_band, current_model, page_shell, tr

page_shell()

CARD_JSON = ROOT / "analysis" / "sentiment" / "data" / "model_card.json"
CARD_MD = ROOT / "MODEL_CARD.md"

st.title(tr("me.title"), anchor=False)

st.subheader(tr("me.pipeline"), anchor=False)
st.markdown(tr("me.pipeline_body"))

st.subheader(tr("me.labels"), anchor=False)
model = current_model()
try:
    zh_band, en_band = calibrated_band(model, "zh"), calibrated_band(model, "en")
except SentimentError as exc:
    st.error(tr("dash.model_failed", model=model, error=str(exc)))
    st.stop()
st.markdown(
    tr("me.labels_body", zh_lo=zh_band[0], zh_hi=zh_band[1], en_lo=en_band[0], en_hi=en_band[1], model=model)
)

st.subheader(tr("me.nev"), anchor=False)
st.code(f"{NEV_FORMULA}\n{NEV_POLAR_FORMULA}", language=None)
st.markdown(tr("me.nev_body", small=SMALL_SAMPLE))

st.subheader(tr("me.themes"), anchor=False)
st.markdown(tr("me.themes_body"))

st.subheader(tr("me.models"), anchor=False)
st.dataframe(
    [{tr("me.col.name"): name, tr("me.col.models"): ", ".join(f"{k}: {v}" for k, v in s.models.items()),
      tr("me.col.description"): s.description} for name, s in SUITES.items()],
    hide_index=True,
    key="suites_table",
    width="stretch",
)  # fmt: skip


def _load_card(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _show_value(name: str, value: Any, key: str) -> None:
    """Render a model-card entry: tables for lists of records, key/value tables for flat dicts."""
    if isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
        st.markdown(f"**{name}**")
        st.dataframe(value, hide_index=True, key=key, width="stretch")
    elif isinstance(value, dict) and value and all(not isinstance(v, dict | list) for v in value.values()):
        st.markdown(f"**{name}**")
        st.dataframe(
            [{"key": k, "value": str(v)} for k, v in value.items()], hide_index=True, key=key, width="stretch"
        )
    elif isinstance(value, dict | list):
        st.markdown(f"**{name}**")
        st.json(value, expanded=False)
    else:
        st.markdown(f"**{name}:** {value}")


card = _load_card(CARD_JSON) if CARD_JSON.exists() else None
if card is None:
    st.info(tr("me.no_card"), icon=":material/info:")
else:
    st.caption(tr("me.card_source", path=str(CARD_JSON.relative_to(ROOT))))
    for i, (name, value) in enumerate(card.items()):
        _show_value(str(name), value, key=f"card_{i}")
if CARD_MD.exists():
    with st.expander(tr("me.card_md"), expanded=False, key="model_card_md"):
        # Our own documentation file, not article text.
        st.markdown(CARD_MD.read_text(encoding="utf-8"))
