"""One analysed corpus as the Posts page sees it: `CorpusAnalysis`, its views each built once, shared."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
import pandas as pd

from analysis.corpus import aggregate
from analysis.corpus.aggregate import TimelineAccumulator, check_freq, period_label, period_start
from analysis.corpus.captions import ENTITY_COLUMN_KEYS, entities_csv_frame, posts_table, totals_by_entity
from analysis.corpus.pipeline import CorpusOptions, IngestReport, frame_chunks, process_chunks
from analysis.corpus.scoring import EMOTICON_LANG, EMOTION_COLUMN, emoticon_evidence
from analysis.corpus.spikes import (
    EmotionShift,
    PeriodExplanation,
    Spike,
    background_keywords,
    emotion_shift,
    explain_period,
    find_spikes,
    rank_posts,
)
from analysis.format import evidence_string
from analysis.i18n import UiLang, t
from analysis.lazy import OnceMap
from analysis.metrics import summarize_counts
from analysis.records import SentimentSummary
from analysis.sentiment import Scorer, Thresholds

CHUNK_ROWS = 20_000  # rows scored at a time (and the step of the progress callback)
EVIDENCE_ROWS = 50  # posts of a period table explained with their top terms (~5 ms each)
EVIDENCE_TERMS = 4
TOP_ENTITIES = 10  # entities the Posts page shows when no competitor set is picked

if TYPE_CHECKING:
    import plotly.graph_objects as go

T = TypeVar("T")
TableKind = Literal["top", "spike", "period"]
FigureKind = Literal[
    "volume", "nev", "emotions", "themes", "breakdown", "entity_share", "entity_mentions", "entity_nev"
]
ENTITY_FIGURES = ("entity_share", "entity_mentions", "entity_nev")


@dataclass(frozen=True)
class Span:
    """First and last post time, and the calendar days they cover (both ends counted)."""

    first: pd.Timestamp
    last: pd.Timestamp
    days: int


@dataclass(frozen=True)
class EntityView:
    """The entities shown per period: `rows` (analysis.entities.POSTS_COLUMNS) of `names` only.
    Without a competitor set, `names` are the top entities by mentions and share_of_voice is their
    share of *all* entity mentions of the period, the rest of it is `others` (period, mentions,
    share_of_voice of every other entity); with one (`competitors`), share_of_voice is recomputed
    within the set (analysis.entities.share_of_voice: it sums to 1 per period) and `others` is empty."""

    rows: pd.DataFrame
    names: tuple[str, ...]
    competitors: bool
    others: pd.DataFrame


@dataclass(frozen=True)
class PostTable:
    """The first rows of a list of posts, ready to show, and how many posts the list holds."""

    table: pd.DataFrame
    total: int


class CorpusAnalysis:
    """Scored posts and their ingest report, with everything the Posts page shows of them (timeline
    per frequency, spikes and their explanations, top posts, themes over time, background keywords,
    per-post evidence, the post tables, entities and their share of voice per period).

    An analysis is shared: the dashboard keeps a few per process (`AnalysisCache`) and every session
    reading the same corpus with the same options gets the same object. So each view is memoised
    (`cached`, an `analysis.lazy.OnceMap`): the first caller builds it, callers arriving meanwhile
    wait for that build instead of starting their own, and everyone gets the same object. The
    computation itself lives in `aggregate`, `spikes`, `pipeline` and `analysis.metrics`; this class
    only decides what to keep."""

    def __init__(self, posts: pd.DataFrame, report: IngestReport, options: CorpusOptions) -> None:
        self.posts = posts
        self.report = report
        self.options = options
        self._memo: OnceMap[Hashable, Any] = OnceMap()  # every view, each built once (`cached`)
        # The library's user aliases (the same for every session); entity views are memoised per
        # alias set, so an alias added in the UI shows on the next run.
        self._entity_aliases: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def run(
        cls,
        frame: pd.DataFrame,
        options: CorpusOptions,
        progress: Callable[[int], None] | None = None,
        chunk_rows: int = CHUNK_ROWS,
    ) -> CorpusAnalysis:
        """Score a table of posts (pipeline.process_chunks); `progress` gets the rows read so far."""
        posts, report = process_chunks(frame_chunks(frame, chunk_rows), options, progress)
        return cls(posts, report, options)

    def cached(self, key: Hashable, build: Callable[[], T]) -> T:
        """`build()` once per key, the same object after. Concurrent first callers of one key wait
        for a single build; different keys build in parallel. A failed build is not kept."""
        return self._memo.get_or_build(key, build)[0]

    # -- the model ---------------------------------------------------------------------------------
    def scorer(self) -> Scorer:
        band = Thresholds(*self.options.band) if self.options.band else None
        return self.cached("scorer", lambda: Scorer(self.options.model, band, workload="corpus"))

    def band(self) -> Thresholds | None:
        """The neutral band that labelled the Chinese posts (the user's, or the model's own)."""
        return self.scorer().thresholds_for("zh")

    # -- timeline ----------------------------------------------------------------------------------
    def periods(self, freq: str) -> pd.Series:
        """Each post's period start (aggregate.period_start), aligned with `posts`."""
        f = check_freq(freq)
        return self.cached(("periods", f), lambda: period_start(self.posts["time"], f))

    def has_emotions(self) -> bool:
        """Whether the posts were read for their emotion (CorpusOptions.emotions)."""
        return EMOTION_COLUMN in self.posts

    def timeline(self, freq: str) -> pd.DataFrame:
        """Counts, nev and the engagement-weighted nev per period, gaps included, and the emotion
        counts when the posts were read for them (aggregate)."""
        f = check_freq(freq)

        def build() -> pd.DataFrame:
            emotions = self.posts[EMOTION_COLUMN] if self.has_emotions() else None
            acc = TimelineAccumulator(f, emotions=emotions is not None)
            acc.add(self.periods(f), self.posts["label"], self.posts["weight"], emotions=emotions)
            return acc.result()

        return self.cached(("timeline", f), build)

    def period_labels(self, freq: str) -> tuple[str, ...]:
        """The timeline's periods as shown (`2020-01-25`, `2020-01-25 13:00`)."""
        f = check_freq(freq)
        return self.cached(("labels", f), lambda: tuple(period_label(self.timeline(f)["period"], f)))

    def label_of(self, freq: str, period: pd.Timestamp) -> str:
        return self.period_labels(freq)[self._position(freq, period)]

    def period_of(self, freq: str, label: str) -> pd.Timestamp:
        return self.timeline(freq)["period"].iloc[self.period_labels(freq).index(label)]

    def labels_with_posts(self, freq: str) -> list[str]:
        """Periods holding at least one post, scored or not (the period picker's choices)."""
        tl = self.timeline(freq)
        return [lab for lab, n in zip(self.period_labels(freq), tl["posts"], strict=True) if n > 0]

    def busiest_label(self, freq: str) -> str:
        """The period with the most posts (scored or not)."""
        tl = self.timeline(freq)
        return self.label_of(freq, tl.loc[tl["posts"].idxmax(), "period"])

    def timeline_csv(self, freq: str) -> pd.DataFrame:
        """The timeline download: the CLI's CSV contract (aggregate.timeline_csv_frame)."""
        f = check_freq(freq)
        return aggregate.timeline_csv_frame(self.timeline(f), f, emotions=self.has_emotions())

    def summary(self, freq: str = "D") -> SentimentSummary:
        """Totals over the timeline's periods, with nev and nev_polar from analysis.metrics."""
        tl = self.timeline(freq)
        p, u, n, none = (int(tl[c].sum()) for c in ("positive", "neutral", "negative", "unscored"))
        return summarize_counts(p, u, n, none)

    def span(self) -> Span | None:
        def build() -> Span | None:
            times = self.posts["time"]
            if not len(times) or times.isna().all():
                return None
            first, last = times.min(), times.max()
            return Span(first, last, (last.normalize() - first.normalize()).days + 1)

        return self.cached("span", build)

    # -- spikes ------------------------------------------------------------------------------------
    def spikes(self, freq: str) -> tuple[Spike, ...]:
        f = check_freq(freq)
        return self.cached(("spikes", f), lambda: tuple(find_spikes(self.timeline(f))))

    def emotion_shift(self, freq: str, period: pd.Timestamp) -> EmotionShift | None:
        """The feeling that rose most in `period` against the other periods (spikes.emotion_shift);
        None when the posts were not read for emotions or nothing rose."""
        f = check_freq(freq)
        if not self.has_emotions():
            return None
        return self.cached(("emotion_shift", f, period), lambda: emotion_shift(self.timeline(f), period))

    def background_keywords(self) -> frozenset[str]:
        """The corpus's own most common keywords, left out of every period's explanation."""
        return self.cached("background", lambda: background_keywords(self.posts))

    def explanation(self, freq: str, period: pd.Timestamp) -> PeriodExplanation:
        """Keywords and most engaged posts of one period (spikes.explain_period; jieba time)."""
        f = check_freq(freq)
        return self.cached(
            ("explain", f, period),
            lambda: explain_period(self._of_period(f, period), period, background=self.background_keywords()),
        )

    # -- posts -------------------------------------------------------------------------------------
    def period_posts(self, freq: str, period: pd.Timestamp) -> pd.DataFrame:
        """The posts of one period, strongest sentiment first."""
        sel = self._of_period(check_freq(freq), period)
        return sel.sort_values("score", key=lambda s: s.abs(), ascending=False, kind="stable")

    def top_posts(self) -> pd.DataFrame:
        """All posts, most engaged first (spikes.rank_posts)."""
        return self.posts.iloc[self._top_positions()]

    def evidence(self, freq: str, period: pd.Timestamp) -> tuple[str, ...]:
        """`term(+0.42) …` for the first EVIDENCE_ROWS posts of `period_posts` (empty for posts in
        neither language)."""
        f = check_freq(freq)
        return self.cached(
            ("evidence", f, period),
            lambda: self.explain_texts(self.period_posts(f, period).head(EVIDENCE_ROWS)),
        )

    def explain_texts(self, rows: pd.DataFrame) -> tuple[str, ...]:
        """The top evidence terms of each post of `rows` (its cleaned text, by its language's model)."""
        scorer = self.scorer()
        out = []
        for text, lang in zip(rows["text_clean"], rows["lang"], strict=True):
            if lang == EMOTICON_LANG:  # scored by the emoticon table: its codes are the evidence
                out.append(evidence_string(emoticon_evidence(text)[:EVIDENCE_TERMS], sep=" "))
                continue
            model = scorer.model_for(lang) if lang in ("zh", "en") else None
            out.append(evidence_string(model.explain(text, top=EVIDENCE_TERMS), sep=" ") if model else "")
        return tuple(out)

    def themes(self, freq: str, lang: UiLang) -> pd.DataFrame:
        """Posts and nev per period and theme (aggregate.theme_timeline; jieba time)."""
        f = check_freq(freq)

        def build() -> pd.DataFrame:
            light = self.posts[["text_clean", "label"]].assign(period=self.periods(f))
            return aggregate.theme_timeline(light, lang)

        return self.cached(("themes", f, lang), build)

    def breakdown(self, role: str) -> pd.DataFrame:
        """Counts and nev per source or region over the whole corpus."""
        return self.cached(("breakdown", role), lambda: aggregate.breakdown(self.posts, role))

    def breakdown_roles(self) -> list[str]:
        return [r for r in ("source", "region") if r in self.posts]

    # -- entities ----------------------------------------------------------------------------------
    def use_entity_aliases(self, aliases: Iterable[tuple[str, str, str]]) -> None:
        """Count the entities with the library's user aliases (alias, canonical, type) too."""
        self._entity_aliases = tuple(aliases)

    def _entity_key(self, *parts: Hashable) -> tuple[Hashable, ...]:
        return (*parts, self._entity_aliases)

    def entities(self, freq: str) -> pd.DataFrame:
        """Mentions, label counts, nev and share of voice per period and entity (known aliases of
        the shipped alias table in the cleaned text; a post counts once per entity it names, with
        its own label): analysis.entities.posts_entities, one regex pass over the posts. With the
        emotion mix of each entity's posts (EMOTION_POSTS_COLUMNS): the posts' `emotion` column
        where the corpus has one, else the fast tier read for the posts naming an entity; without
        them where no emotion model can be loaded."""
        from analysis.emotion import EmotionModelError
        from analysis.entities import EntityAccumulator, default_table  # lazy: the alias table

        f = check_freq(freq)
        aliases = self._entity_aliases
        posts = self.posts

        def count(emotions: bool) -> pd.DataFrame:
            acc = EntityAccumulator(default_table(aliases), emotions=emotions)
            acc.add(
                posts["text_clean"], posts["label"], self.periods(f), posts.get("emotion"), posts.get("lang")
            )
            return acc.result()

        def build() -> pd.DataFrame:
            try:
                return count(emotions=True)
            except EmotionModelError:  # no emotion model on this install: the counts without them
                return count(emotions=False)

        return self.cached(self._entity_key("entities", f), build)

    def entity_totals(self, freq: str, chosen: Iterable[str] = ()) -> pd.DataFrame:
        """One row per entity over the whole corpus (POSTS_COLUMNS without period), most mentioned
        first; share_of_voice of all entity mentions, or within `chosen` (only those rows)."""
        f, names = check_freq(freq), tuple(dict.fromkeys(chosen))

        def build() -> pd.DataFrame:
            table = self.entities(f)
            if names:
                table = table[table["entity"].isin(names)]
            return totals_by_entity(table)

        return self.cached(self._entity_key("entity_totals", f, names), build)

    def top_entities(self, freq: str, n: int = TOP_ENTITIES) -> tuple[str, ...]:
        return tuple(self.entity_totals(freq)["entity"].head(n))

    def entity_view(self, freq: str, chosen: Iterable[str] = ()) -> EntityView:
        """The rows the entity charts and table show: the top entities, or a competitor set."""
        from analysis.entities import share_of_voice

        f, names = check_freq(freq), tuple(dict.fromkeys(chosen))

        def build() -> EntityView:
            table = self.entities(f)
            if names:
                none = table.iloc[:0][["period", "mentions", "share_of_voice"]]
                return EntityView(share_of_voice(table, names), names, True, none)
            top = self.top_entities(f)
            shown = table["entity"].isin(top)
            rest = table[~shown].groupby("period", sort=True)[["mentions", "share_of_voice"]].sum()
            return EntityView(table[shown].reset_index(drop=True), top, False, rest.reset_index())

        return self.cached(self._entity_key("entity_view", f, names), build)

    def entity_names(self, lang: UiLang) -> dict[str, str]:
        """Every entity of the alias table by its name in `lang` (English names where there are)."""
        from analysis.entities import default_table

        aliases = self._entity_aliases

        def build() -> dict[str, str]:
            table = default_table(aliases)
            return {name: table.display(name, lang) for name in table.entities}

        return self.cached(self._entity_key("entity_names", lang), build)

    def entity_table(self, freq: str, lang: UiLang, chosen: Iterable[str] = ()) -> pd.DataFrame:
        """The entity view's rows as shown: period, entity in `lang`, counts, nev, share (column
        names in `lang`)."""
        f, names = check_freq(freq), tuple(dict.fromkeys(chosen))

        def build() -> pd.DataFrame:
            from analysis.emotion.labels import emotion_name
            from analysis.entities import EMOTION_COUNT_COLUMNS

            rows = entities_csv_frame(self.entity_view(f, names).rows, f)
            rows["entity"] = rows["entity"].map(lambda n: self.entity_names(lang).get(n, n))
            if "emotion" in rows:  # the dominant emotion only, in `lang`; the counts stay in the CSV
                rows = rows.drop(columns=list(EMOTION_COUNT_COLUMNS))
                rows["emotion"] = [
                    emotion_name(e if isinstance(e, str) else None, lang) for e in rows["emotion"]
                ]
            return rows.rename(columns=lambda c: t(ENTITY_COLUMN_KEYS[c], lang))

        return self.cached(self._entity_key("entity_table", f, lang, names), build)

    def entities_csv(self, freq: str, chosen: Iterable[str] = ()) -> bytes:
        """The entity download: the `entities` command's CSV contract, all entities or the set
        (UTF-8 with BOM, so Excel reads Chinese)."""
        from analysis.entities import share_of_voice

        f, names = check_freq(freq), tuple(dict.fromkeys(chosen))
        table = share_of_voice(self.entities(f), names) if names else self.entities(f)
        return entities_csv_frame(table, f).to_csv(index=False).encode("utf-8-sig")

    # -- charts ------------------------------------------------------------------------------------
    def figure(
        self,
        kind: FigureKind,
        lang: UiLang,
        freq: str = "D",
        *,
        weighted: bool = False,
        role: str = "",
        entities: Iterable[str] = (),
    ) -> go.Figure:
        """A chart of analysis.corpus.charts, built once per arguments (Plotly builds and validates
        every trace, ~20-100 ms a chart, which a page switch need not pay again). `weighted` is for
        the nev chart, `role` (source, region) for the breakdown, `entities` (a competitor set;
        none: the top entities) for the entity charts."""
        from analysis.corpus import charts  # lazy: plotly

        f = check_freq(freq)
        chosen = tuple(dict.fromkeys(entities)) if kind in ENTITY_FIGURES else ()

        def build() -> go.Figure:
            if kind == "volume":
                return charts.volume_figure(self.timeline(f), f, lang, list(self.spikes(f)))
            if kind == "nev":
                return charts.nev_figure(self.timeline(f), f, lang, list(self.spikes(f)), weighted=weighted)
            if kind == "emotions":
                return charts.emotion_figure(self.timeline(f), f, lang)
            if kind == "themes":
                return charts.theme_figure(self.themes(f, lang), f, lang)
            if kind == "breakdown":
                return charts.breakdown_figure(self.breakdown(role), t(f"posts.col.{role}", lang), lang)
            if kind in ENTITY_FIGURES:
                view = self.entity_view(f, chosen)
                names = {n: self.entity_names(lang).get(n, n) for n in view.names}
                periods = self.timeline(f)["period"]
                if kind == "entity_nev":
                    return charts.entity_nev_figure(view.rows, periods, f, names, lang)
                others = None if view.competitors else view.others
                if kind == "entity_mentions":
                    return charts.entity_volume_figure(view.rows, periods, f, names, lang, "mentions", others)
                return charts.entity_volume_figure(
                    view.rows, periods, f, names, lang, "share_of_voice", others
                )
            raise ValueError(f"unknown chart {kind!r}")

        key = (
            "figure",
            kind,
            lang,
            f,
            weighted and kind == "nev",
            role if kind == "breakdown" else "",
            chosen,
            self._entity_aliases if kind in ENTITY_FIGURES else (),
        )
        return self.cached(key, build)

    # -- tables ------------------------------------------------------------------------------------
    def post_table(
        self,
        kind: TableKind,
        lang: UiLang,
        *,
        freq: str | None = None,
        period: pd.Timestamp | None = None,
        limit: int = 200,
    ) -> PostTable:
        """The first `limit` posts of a list (top: the whole corpus by engagement; spike: a period's
        most engaged; period: a period by strength, with evidence) with column names in `lang`."""
        key = ("table", kind, freq and check_freq(freq), period, lang, limit)

        def build() -> PostTable:
            if kind == "top":
                return PostTable(
                    posts_table(self.posts.iloc[self._top_positions()[:limit]], lang), len(self.posts)
                )
            rows = self.posts_of(kind, freq, period)
            head = rows.head(limit)
            evidence = None
            if kind == "period":
                assert freq is not None and period is not None
                explained = self.evidence(freq, period)
                evidence = [*explained, *[""] * (len(head) - len(explained))][: len(head)]
            return PostTable(posts_table(head, lang, evidence), len(rows))

        return self.cached(key, build)

    def posts_of(
        self, kind: TableKind, freq: str | None = None, period: pd.Timestamp | None = None
    ) -> pd.DataFrame:
        """Every post of a table's list (its full download)."""
        if kind == "top":
            return self.top_posts()
        if freq is None or period is None:
            raise ValueError(f"a {kind} table needs a frequency and a period")
        if kind == "spike":
            return self.explanation(freq, period).top_posts
        return self.period_posts(freq, period)

    def table_csv(
        self, kind: TableKind, lang: UiLang, freq: str | None = None, period: pd.Timestamp | None = None
    ) -> bytes:
        """All posts of a table's list as CSV (UTF-8 with BOM, so Excel reads Chinese)."""
        return posts_table(self.posts_of(kind, freq, period), lang).to_csv(index=False).encode("utf-8-sig")

    # -- internals ---------------------------------------------------------------------------------
    def _position(self, freq: str, period: pd.Timestamp) -> int:
        return int(np.flatnonzero((self.timeline(freq)["period"] == period).to_numpy())[0])

    def _of_period(self, freq: str, period: pd.Timestamp) -> pd.DataFrame:
        """The posts of one period with their `period` column (only those rows are copied)."""
        periods = self.periods(freq)
        mask = (periods == period).to_numpy()
        return self.posts[mask].assign(period=periods[mask])

    def _top_positions(self) -> np.ndarray:
        """Positions of the posts ranked by engagement: a ranked copy of 200,000 posts is not kept."""

        def build() -> np.ndarray:
            keys = self.posts[[c for c in ("weight", "score") if c in self.posts]].reset_index(drop=True)
            return rank_posts(keys).index.to_numpy()

        return self.cached("top", build)


class AnalysisCache(OnceMap[str, CorpusAnalysis]):
    """A few analysed corpora shared by every session of a process, first in first out (each can
    hold 200,000 posts): an `OnceMap`, so sessions asking for the same corpus at once wait for one
    build (`get_or_build`: a 200,000-post analysis twice at the same moment would double the memory
    it takes) and an analysis another session stored first wins (`put`)."""

    def __init__(self, max_items: int = 3) -> None:
        super().__init__(max_items)
