"""How the Posts page words and tabulates an analysed corpus: its captions and post and entity tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.corpus.aggregate import period_label
from analysis.corpus.spikes import MIN_POSTS, Z_THRESHOLD
from analysis.emotion.labels import emotion_name
from analysis.format import nev_decimal
from analysis.i18n import UiLang, t
from analysis.metrics import summarize_counts

if TYPE_CHECKING:
    from analysis.corpus.pipeline import IngestReport
    from analysis.corpus.spikes import EmotionShift, Spike
    from analysis.records import SentimentSummary
    from analysis.sentiment import Thresholds

TABLE_ROLES = ("likes", "reposts", "comments", "source", "region", "author")  # shown when mapped

# The spike rule's numbers, for its caption (posts.spike_rule names them as placeholders).
SPIKE_RULE_FIELDS: dict[str, object] = {"z": Z_THRESHOLD, "min_posts": MIN_POSTS}


# -- captions: the page's sentences about an analysis, in the UI language (as the charts are) -----------
def nev_text(value: float | None, lang: UiLang) -> str:
    """A net emotional value as shown: signed, three decimals, a dash when undefined."""
    return nev_decimal(value, missing=t("posts.na", lang))


def report_caption(r: IngestReport, lang: UiLang) -> str:
    """Where every row went: the posts (scored, unscored and why) and the rows left out."""
    return t(
        "posts.report",
        lang,
        rows=r.rows_read,
        posts=r.posts,
        scored=r.scored,
        emoticon=r.emoticon_scored,
        unscored=r.unscored,
        empty=r.empty_text,
        bad_time=r.bad_time,
        dups=r.duplicates,
        dropped=r.duplicates_dropped,
        emptied=r.emptied_by_cleaning,
    )


def formulas_caption(total: SentimentSummary, model: str, band: Thresholds | None, lang: UiLang) -> str:
    """The two nev formulas with the counts, the model and the neutral band that made them."""
    shown = f"[{band.negative_below:+.2f}, {band.positive_above:+.2f}]" if band else "—"
    return t(
        "posts.formulas", lang, p=total.positive, u=total.neutral, n=total.negative, model=model, band=shown
    )


def spike_title(spike: Spike, period: str, lang: UiLang) -> str:
    z, nev = f"{spike.z:.1f}", nev_text(spike.nev, lang)
    if spike.kind == "volume":  # the volume: every post of the period
        return t("posts.spike.volume", lang, period=period, n=int(spike.value), z=z, nev=nev)
    return t("posts.spike.turn", lang, period=period, delta=f"{spike.value:+.3f}", z=z, nev=nev, n=spike.n)


def emotion_shift_text(shift: EmotionShift, lang: UiLang) -> str:
    """A spike's emotion explanation: "anger rose from 18% to 41% ..." (spikes.emotion_shift)."""
    return t(
        "posts.spike.emotion_rose",
        lang,
        emotion=emotion_name(shift.emotion, lang),
        before=f"{shift.before:.0%}",
        after=f"{shift.after:.0%}",
        read_before=f"{shift.read_before:,}",
        read_after=f"{shift.read_after:,}",
    )


def emotions_caption(timeline: pd.DataFrame, lang: UiLang) -> str:
    """What the emotion chart shows, with the posts without a reading (still counted as posts)."""
    return t("posts.emotions.caption", lang, unread=f"{int(timeline['emotion_unread'].sum()):,}")


def period_caption(row: pd.Series, lang: UiLang) -> str:
    """A timeline row's counts (posts, scored n, unscored, P, U, N) and nev pair."""
    return t(
        "posts.period_summary",
        lang,
        posts=int(row["posts"]),
        scored=int(row["n"]),
        unscored=int(row["unscored"]),
        p=int(row["positive"]),
        u=int(row["neutral"]),
        n=int(row["negative"]),
        nev=nev_text(row["nev"], lang),
        polar=nev_text(row["nev_polar"], lang),
    )


# -- tables: posts and entities as shown and downloaded -------------------------------------------------
def posts_table(rows: pd.DataFrame, lang: UiLang, evidence: Iterable[str] | None = None) -> pd.DataFrame:
    """Posts as shown and downloaded: time, text, label, score, weight, [evidence], the mapped
    engagement / source / region / author columns, duplicate flag, row; column names in `lang`."""

    def col(name: str) -> str:
        return t(f"posts.col.{name}", lang)

    table = pd.DataFrame(
        {
            col("time"): rows["time"].dt.strftime("%Y-%m-%d %H:%M"),
            col("text"): rows["text"],
            col("label"): rows["label"].map(lambda x: t(f"label.{x}" if x else "label.unscored", lang)),
            col("score"): rows["score"],
            col("weight"): rows["weight"].round(2),
        }
    )
    if evidence is not None:
        table[col("evidence")] = list(evidence)
    for role in TABLE_ROLES:
        if role in rows:
            table[col(role)] = rows[role]
    if "duplicate" in rows:  # flagged, still counted: say which posts repeat an earlier one
        table[col("duplicate")] = rows["duplicate"].map(lambda x: t(f"posts.dup.{x}", lang) if x else "")
    table[col("row")] = rows["row"]
    return table


# The entity table's columns (analysis.entities.POSTS_COLUMNS) as the Posts page names them.
ENTITY_COLUMN_KEYS = {
    "period": "posts.entities.col.period",
    "entity": "posts.entities.col.entity",
    "mentions": "posts.entities.col.mentions",
    "positive": "posts.entities.col.positive",
    "neutral": "posts.entities.col.neutral",
    "negative": "posts.entities.col.negative",
    "nev": "posts.entities.col.nev",
    "share_of_voice": "posts.entities.col.share_of_voice",
    "emotion": "ent.col.emotion",  # with emotions: the dominant one (the counts are not shown)
}


def entities_csv_frame(table: pd.DataFrame, freq: str) -> pd.DataFrame:
    """The `entities` command's CSV contract (and the page's download): period (as the timeline
    writes it), entity, mentions, positive, neutral, negative, nev (4 decimals), share_of_voice
    (8 decimals, so a period's shares still sum to 1 within 1e-6); and with emotions, the
    dominant emotion and the count per emotion (analysis.entities.EMOTION_POSTS_COLUMNS)."""
    from analysis.entities import EMOTION_COUNT_COLUMNS, EMOTION_POSTS_COLUMNS, POSTS_COLUMNS

    felt = [c for c in EMOTION_POSTS_COLUMNS if c in table.columns]
    out = table.loc[:, [*POSTS_COLUMNS, *felt]].copy()
    for col in EMOTION_COUNT_COLUMNS:
        if col in out:
            out[col] = out[col].astype("int64")
    out["period"] = period_label(table["period"], freq).to_numpy()
    for col in ("mentions", "positive", "neutral", "negative"):
        out[col] = out[col].astype("int64")
    out["nev"] = out["nev"].astype(float).round(4)
    out["share_of_voice"] = out["share_of_voice"].astype(float).round(8)
    return out.reset_index(drop=True)


def totals_by_entity(table: pd.DataFrame) -> pd.DataFrame:
    """A posts entity table summed over its periods: entity, mentions, positive, neutral,
    negative, nev (analysis.metrics), share_of_voice of the table's mentions; most mentioned first.
    With emotions, the summed emotion counts and the dominant emotion over them too."""
    from analysis.entities import EMOTION_COUNT_COLUMNS, dominant_emotions

    felt = [c for c in EMOTION_COUNT_COLUMNS if c in table.columns]
    counts = ["mentions", "positive", "neutral", "negative", *felt]
    sums = table.groupby("entity", sort=False)[counts].sum()
    out = sums.reset_index()
    for col in counts:
        out[col] = out[col].astype("int64")
    if felt:
        out["emotion"] = dominant_emotions(out)
    out["nev"] = [
        np.nan if (v := summarize_counts(int(p), int(u), int(n)).nev) is None else v
        for p, u, n in zip(out["positive"], out["neutral"], out["negative"], strict=True)
    ]
    total = int(out["mentions"].sum())
    out["share_of_voice"] = out["mentions"] / total if total else 0.0
    out = out.sort_values(["mentions", "entity"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)
