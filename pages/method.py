"""Method: how sentences are scored and labelled, how NEV and themes are computed, the models
with their measured accuracy (from the model card), and the model measured on the analysts' own
corrections (issue 12), the emotion model on their emotion corrections too (issue 18).

Widget keys: suites_table, card_targets, card_sample, card_accuracy, card_band_sweep, card_lodo,
card_cases, card_speed, model_card_md; the corrections section: review_confusion,
review_by_lang, review_by_source, review_training_csv (the reviewed items as `text,label` for
`scripts/train_sentiment.py --extra`); the emotion corrections section (container
`emotion_review`): emotion_review_confusion, emotion_review_by_lang.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Literal

import pandas as pd
import streamlit as st

from analysis import model_card
from analysis.emotion import emotion_name
from analysis.format import share_percent
from analysis.library import Library, LibraryError
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
from analysis.records import EMOTIONS, LABELS
from analysis.review import (
    Agreement,
    ReviewedPair,
    agreement,
    agreement_by,
    agreement_table,
    reviewed_pairs,
    training_csv,
    training_rows,
)
from analysis.sentiment import SUITES, SentimentError
from pages.ui.cache import ROOT, calibrated_band, get_library
from pages.ui.frame import page_shell
from pages.ui.state import current_model, label_name, tr, ui_lang

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


def _training_bytes(library: Library) -> bytes:
    return training_csv(training_rows(library))


def _interval(lo: float | None, hi: float | None) -> str:
    return "—" if lo is None or hi is None else f"{share_percent(lo, digits=0)}–{share_percent(hi, digits=0)}"


def _agreement_frame(
    key: Literal["lang", "source"], pairs: list[ReviewedPair], labels: Sequence[str] = LABELS
) -> pd.DataFrame:
    rows = agreement_table(agreement_by(pairs, key, labels))
    return pd.DataFrame(
        [
            {
                tr(f"me.rv_col.{key}"): r["group"],
                "n": r["n"],
                tr("me.rv_col.accuracy"): share_percent(r["accuracy"]),
                tr("me.rv_col.interval"): _interval(r["interval_low"], r["interval_high"]),
                "macro-F1": "—" if r["macro_f1"] is None else f"{r['macro_f1']:.3f}",
            }
            for r in rows
        ]
    )


def _headline(overall: Agreement, n_label: str, macro_help: str | None = None) -> None:
    """n, accuracy and macro-F1 side by side, and the accuracy's 95% interval under them."""
    lo, hi = overall.accuracy_interval or (None, None)
    c = st.columns(3)
    c[0].metric(n_label, f"{overall.n}")
    c[1].metric(tr("me.rv_accuracy"), share_percent(overall.accuracy), help=tr("me.rv_interval_help"))
    c[2].metric("macro-F1", "—" if overall.macro_f1 is None else f"{overall.macro_f1:.3f}", help=macro_help)
    st.caption(tr("me.rv_interval", n=overall.n, interval=_interval(lo, hi)))


def _confusion(
    overall: Agreement, labels: Sequence[str], name: Callable[[str], str], title: str, key: str
) -> None:
    """The confusion matrix: rows the analyst's label, columns the model's, named in the UI language."""
    st.markdown(f"**{title}**")
    confusion = pd.DataFrame(
        [[overall.confusion[a][m] for m in labels] for a in labels],
        index=[name(a) for a in labels],
        columns=[name(m) for m in labels],
    )
    confusion.index.name = tr("me.rv_confusion_axes")
    st.dataframe(confusion, key=key, width="content")


def corrections_section() -> None:
    """The model against the analysts' reviewed labels: accuracy with n and its 95% interval,
    macro-F1 and the confusion matrix, overall, per language and per source."""
    st.subheader(tr("me.rv"), anchor=False)
    try:
        library = get_library()
        pairs = reviewed_pairs(library)
    except LibraryError as exc:
        st.warning(tr("me.rv_unavailable", error=str(exc)), icon=":material/cloud_off:")
        return
    if not pairs:
        st.info(tr("me.rv_none"), icon=":material/rate_review:")
        return
    overall = agreement(pairs)
    st.caption(tr("me.rv_intro"))
    _headline(overall, tr("me.rv_n"))
    _confusion(overall, LABELS, label_name, tr("me.rv_confusion"), "review_confusion")
    by: tuple[Literal["lang", "source"], ...] = ("lang", "source")
    for key in by:
        st.markdown(f"**{tr(f'me.rv_by.{key}')}**")
        st.dataframe(_agreement_frame(key, pairs), hide_index=True, key=f"review_by_{key}", width="stretch")
    st.download_button(
        tr("me.rv_download"),
        data=partial(_training_bytes, library),  # made on click: it reads the whole audit trail
        file_name="reviewed_items.csv",
        mime="text/csv",
        key="review_training_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    st.caption(tr("me.rv_download_caption"))
    langs = [x for x in ("zh", "en") if any(p.lang == x for p in pairs)] or ["zh"]
    st.code(
        "\n".join(f"python scripts/train_sentiment.py --lang {x} --extra reviewed_items.csv" for x in langs),
        language="bash",
    )


def emotion_corrections_section() -> None:
    """The emotion model against the analysts' emotion corrections: the same measures over the
    seven emotions (accuracy with its 95% interval, macro-F1, confusion), overall and per language;
    never mixed with the sentiment figures above."""
    st.subheader(tr("me.emo"), anchor=False)
    try:
        pairs = reviewed_pairs(get_library(), "emotion")
    except LibraryError as exc:
        st.warning(tr("me.rv_unavailable", error=str(exc)), icon=":material/cloud_off:")
        return
    if not pairs:
        st.info(tr("me.emo_none"), icon=":material/mood:")
        return
    overall = agreement(pairs, EMOTIONS)
    st.caption(tr("me.emo_intro"))
    _headline(overall, tr("me.emo_n"), macro_help=tr("me.emo_macro_help"))
    lang = ui_lang()
    name = {e: emotion_name(e, lang) for e in EMOTIONS}.__getitem__
    _confusion(overall, EMOTIONS, name, tr("me.emo_confusion"), "emotion_review_confusion")
    st.markdown(f"**{tr('me.rv_by.lang')}**")
    st.dataframe(
        _agreement_frame("lang", pairs, EMOTIONS),
        hide_index=True,
        key="emotion_review_by_lang",
        width="stretch",
    )


corrections_section()
with st.container(key="emotion_review"):
    emotion_corrections_section()

if CARD_MD.exists():
    with st.expander(tr("me.card_md"), expanded=False, key="model_card_md"):
        # Our own documentation file, not article text.
        st.markdown(CARD_MD.read_text(encoding="utf-8"))
