"""Overview: the article's headline numbers, each with the counts and formula behind it.

Charts and counts show the labels the sidebar's switch selects (reviewed by default); the
`review_summary` box puts the model's and the reviewed NEV side by side with "k of n sentences
reviewed", and lists the stored reviews whose text is no longer in the article (`stale_reviews`).

Widget keys: nev_gauge, label_shares, group_nev, stated_table, review_summary, stale_reviews
(and dismiss_intro from the first-run note).
"""

from __future__ import annotations

import streamlit as st

from analysis.charts import group_nev_bars, label_shares, nev_gauge
from analysis.figures import stated_sentiment  # the figures module owns what "stated" means
from analysis.format import (
    display_source,
    display_title,
    measure_percent,
    nev_percent,
    percent_points,
    share_percent,
)
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, SMALL_SAMPLE, wilson_interval
from analysis.model import LABELS, SentimentSummary
from pages.common import (
    active_article_views,
    band_caption,
    first_run_note,
    label_name,
    label_view,
    shown_analysis,
    tr,
    ui_lang,
)
from pages.frame import page_shell

page_shell()


first_run_note()
record, model_analysis, review = active_article_views()
analysis = shown_analysis(model_analysis, review)  # the labels the sidebar's switch selects
lang = ui_lang()
doc = analysis.document
summary = analysis.sentiment

st.title(display_title(doc, fallback=tr("ov.untitled")), anchor=False)
meta = st.columns(4)
meta[0].metric(tr("ov.source"), display_source(doc))
meta[1].metric(
    tr("ov.published"),
    doc.published_at.strftime("%Y-%m-%d") if doc.published_at else "—",
    help=doc.published_at.isoformat() if doc.published_at else None,
)
meta[2].metric(
    tr("ov.language"),
    tr(f"ov.lang.{analysis.language}")
    if analysis.language in ("zh", "en", "mixed", "other")
    else analysis.language,
)
meta[3].metric(tr("ov.sentences"), f"{summary.n}", help=tr("ov.sentences_help", unscored=summary.unscored))

left, right = st.columns([3, 2])
with left:
    st.subheader(tr("ov.nev_heading"), anchor=False)
    st.plotly_chart(
        nev_gauge(summary, lang), key="nev_gauge", width="stretch", config={"displayModeBar": False}
    )
    st.caption(tr("ov.gauge_zones"))
with right:
    st.subheader(tr("ov.shares_heading"), anchor=False)
    st.plotly_chart(
        label_shares(summary, lang), key="label_shares", width="stretch", config={"displayModeBar": False}
    )

counts = tr("chart.counts", p=summary.positive, u=summary.neutral, n=summary.negative, total=summary.n)
m = st.columns(5)
m[0].metric(
    tr("ov.nev"),
    nev_percent(summary.nev),
    help=f"{NEV_FORMULA}\n\n{counts}\n\n{tr('ov.nev_help')}",
)
m[1].metric(
    tr("ov.nev_polar"),
    nev_percent(summary.nev_polar),
    help=f"{NEV_POLAR_FORMULA}\n\n{counts}\n\n{tr('ov.nev_polar_help')}",
)
for col, label in zip(m[2:], LABELS, strict=True):
    count = getattr(summary, label)
    col.metric(
        label_name(label),
        f"{count}",
        share_percent(summary.share(label)),
        delta_color="off",
        delta_arrow="off",
    )
st.caption(f"{NEV_FORMULA} · {NEV_POLAR_FORMULA} · {counts}")
st.caption(band_caption(analysis))


def review_box() -> None:
    """The model's and the reviewed NEV side by side, how many sentences an analyst labelled, and
    the stored reviews that no longer apply because their text changed."""
    model_s = model_analysis.sentiment
    reviewed_s = review.view.analysis.sentiment if review else model_s
    k = review.view.reviewed if review else 0
    n = len(model_analysis.sentences)

    def counts_of(x: SentimentSummary) -> str:
        return tr("chart.counts", p=x.positive, u=x.neutral, n=x.negative, total=x.n)

    c = st.columns([1, 1, 2])
    c[0].metric(tr("rv.nev_model"), nev_percent(model_s.nev), help=f"{NEV_FORMULA}\n\n{counts_of(model_s)}")
    moved = None
    if model_s.nev is not None and reviewed_s.nev is not None and reviewed_s.nev != model_s.nev:
        moved = tr("rv.nev_moved", points=f"{percent_points(reviewed_s.nev - model_s.nev):+.1f}")
    c[1].metric(
        tr("rv.nev_reviewed"),
        nev_percent(reviewed_s.nev),
        moved,
        delta_color="off",
        help=f"{NEV_FORMULA}\n\n{counts_of(reviewed_s)}",
    )
    with c[2]:
        st.markdown(f"**{tr('rv.k_of_n', k=k, n=n)}**")
        if review is not None and review.view.changed:
            st.caption(tr("rv.changed", changed=review.view.changed))
        st.caption(tr(f"rv.showing.{label_view()}"))
    stale = review.view.stale if review else ()
    if stale:
        st.warning(tr("rv.stale", count=len(stale)), icon=":material/history:")
        st.dataframe(
            [
                {
                    tr("rv.col.position_was"): e.position,
                    tr("rv.col.label"): label_name(e.label),
                    tr("rv.col.model_label"): label_name(e.model_label),
                    tr("rv.col.editor"): e.editor,
                    tr("rv.col.when"): e.created_at.strftime("%Y-%m-%d %H:%M"),
                    tr("rv.col.note"): e.note,  # user text: plain data, never interpreted
                }
                for e in stale
            ],
            hide_index=True,
            key="stale_reviews",
            width="stretch",
        )


with st.container(border=True, key="review_summary"):
    review_box()

if summary.n < SMALL_SAMPLE:
    interval = wilson_interval(summary.negative, summary.n)
    if interval is None:
        st.warning(tr("ov.no_scored"))
    else:
        st.warning(
            tr(
                "ov.small_sample",
                n=summary.n,
                min=SMALL_SAMPLE,
                lo=share_percent(interval[0], digits=0),
                hi=share_percent(interval[1], digits=0),
            ),
            icon=":material/warning:",
        )

st.subheader(tr("ov.groups_heading"), anchor=False)
if doc.groups or analysis.core_sentiment is not None:
    st.plotly_chart(
        group_nev_bars(analysis, lang), key="group_nev", width="stretch", config={"displayModeBar": False}
    )
    st.caption(tr("ov.groups_caption"))
else:
    st.caption(tr("ov.no_groups"))
st.page_link("pages/viewpoints.py", label=tr("ov.trace_link"), icon=":material/manage_search:")

# Stated vs computed: the figures the article itself gives, beside ours.
st.subheader(tr("ov.stated_heading"), anchor=False)
stated = stated_sentiment(analysis.figures) or {}
computed = {
    "negative_share": summary.share("negative"),
    "positive_share": summary.share("positive"),
    "neutral_share": summary.share("neutral"),
    "nev": summary.nev,
    "nev_polar": summary.nev_polar,
}
if stated:
    rows = [
        {
            tr("ov.measure"): tr(f"ov.measure.{key}") if key in computed else key,
            tr("ov.stated"): measure_percent(key, value),
            tr("ov.computed"): measure_percent(key, computed[key]) if key in computed else "—",
        }
        for key, value in stated.items()
    ]
    st.dataframe(rows, hide_index=True, key="stated_table", width="stretch")
    st.caption(tr("ov.stated_why"))
else:
    st.caption(tr("ov.stated_none"))
