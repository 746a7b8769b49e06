"""Method: how sentences are scored and labelled, how NEV and themes are computed, and the
models with their measured accuracy (from the model card)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import model_card
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, SMALL_SAMPLE
from analysis.model_card import (
    accuracy_table,
    band_sweep_figure,
    cases_table,
    load_card,
    lodo_table,
    sample_agreement,
    sample_table,
    speed_table,
    targets_table,
)
from analysis.sentiment import SUITES, SentimentError
from pages.common import ROOT, calibrated_band, current_model, tr
from pages.frame import page_shell

page_shell()

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
    [{tr("me.col.name"): name, tr("me.col.models"): ", ".join(f"{k}: {v}" for k, v in s.models.items()) or tr("me.default_models"),
      tr("me.col.description"): s.description} for name, s in SUITES.items()],
    hide_index=True,
    key="suites_table",
    width="stretch",
)  # fmt: skip


def _table(frame: pd.DataFrame, key: str) -> None:
    """A card table with translated column headers."""
    st.dataframe(frame.rename(columns=lambda c: tr(f"mc.col.{c}")), hide_index=True, key=key, width="stretch")


card_path = model_card.CARD_PATH  # read at run time (a test points it at a missing file)
card = load_card(card_path)
if card is None:  # the card ships with the package: its absence is a defect, say so plainly
    shown = card_path.relative_to(ROOT) if card_path.is_relative_to(ROOT) else card_path
    st.error(f"{tr('me.no_card')} (`{shown}`)", icon=":material/error:")
else:
    st.caption(
        tr(
            "mc.generated",
            by=card.get("generated_by", "?"),
            at=card.get("generated_at", "?"),
            split=card.get("split", "?"),
        )
    )
    st.subheader(tr("mc.targets"), anchor=False)
    _table(targets_table(card), "card_targets")
    sample = sample_table(card)
    if not sample.empty:
        st.subheader(tr("mc.sample"), anchor=False)
        agree = sample_agreement(card)
        st.caption(
            tr(
                "mc.sample_note",
                n=len(sample),
                **{k: agree.get(k, "?") for k in ("accurate", "fast", "baseline")},
            )
        )
        _table(sample, "card_sample")
    st.subheader(tr("mc.accuracy"), anchor=False)
    _table(accuracy_table(card), "card_accuracy")
    st.caption(tr("mc.accuracy_note", cap=card.get("snownlp_cap", "?")))
    st.subheader(tr("mc.band_sweep"), anchor=False)
    st.plotly_chart(
        band_sweep_figure(card, x_title=tr("mc.band_x"), y_title="macro-F1"),
        key="card_band_sweep",
        width="stretch",
    )
    st.subheader(tr("mc.lodo"), anchor=False)
    _table(lodo_table(card), "card_lodo")
    st.subheader(tr("mc.cases"), anchor=False)
    _table(cases_table(card), "card_cases")
    st.subheader(tr("mc.speed"), anchor=False)
    _table(speed_table(card), "card_speed")
    latency = card.get("speed", {}).get("latency", {})
    if latency:
        st.caption(
            tr(
                "mc.latency",
                default=latency.get("zh-default", {}).get("first_sentence_s", "?"),
                snownlp=latency.get("snownlp", {}).get("first_sentence_s", "?"),
                rss=latency.get("default_models_rss_mb", "?"),
            )
        )
if CARD_MD.exists():
    with st.expander(tr("me.card_md"), expanded=False, key="model_card_md"):
        # Our own documentation file, not article text.
        st.markdown(CARD_MD.read_text(encoding="utf-8"))
