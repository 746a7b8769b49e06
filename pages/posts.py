"""Posts timeline / 帖子时间线: a table of posts or comments over time (layout and widgets only;
the computation lives in analysis.corpus).

Widget keys (stable, for tests): posts_upload, posts_sample, posts_library_pick, posts_library_open,
posts_mapping_form, posts_map_<role>, posts_tz, posts_year, posts_export_time, posts_clean_<step>,
posts_confirm, posts_freq, posts_weighted, posts_volume_chart, posts_nev_chart, posts_show_themes,
posts_theme_chart, posts_breakdown_<role>, posts_top_table, posts_period, posts_period_table,
posts_spike_table_<i>, posts_download.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.corpus.aggregate import TimelineAccumulator, breakdown, period_label, theme_timeline
from analysis.corpus.charts import breakdown_figure, nev_figure, theme_figure, volume_figure
from analysis.corpus.clean import STEPS, CleanOptions
from analysis.corpus.ingest import OPTIONAL_ROLES, ColumnMapping, CorpusError, detect_mapping, read_table
from analysis.corpus.pipeline import CorpusOptions, IngestReport, frame_chunks, process_chunks, with_periods
from analysis.corpus.spikes import background_keywords, explain_period, find_spikes, rank_posts
from analysis.corpus.timeparse import DEFAULT_TZ, TimeZoneError, check_tz
from analysis.i18n import t
from analysis.library import LibraryError
from analysis.sentiment import Scorer, SentimentError, Thresholds
from pages.common import (
    current_band,
    current_model,
    editing_allowed,
    get_library,
    md_escape,
    page_shell,
    tr,
    ui_lang,
)

page_shell()  # draws the app's frame when Streamlit runs this page alone (legacy pages/ start)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = ROOT / "sample_data" / "weibo_cctvnews_2020_sample.csv"
SOURCE_KEY = "_posts_source"  # {"data", "filename", "origin", "mapping"?}
CONFIRMED_KEY = "_posts_confirmed"  # the CorpusOptions key of the analysis on show
CHUNK_ROWS = 20_000
EVIDENCE_ROWS = 50
# Rows drawn in a post table. The browser builds a grid for every table on each page switch, so a
# table shows the first rows (already ranked) and the full list is one deferred download away.
PERIOD_TABLE_ROWS = 100
TOP_TABLE_ROWS = 50
THEMES_AUTO_LIMIT = 20_000  # above this many posts, themes over time are computed on request
ROLES = ("text", "time", *OPTIONAL_ROLES)


@dataclass
class CorpusView:
    """One analysed corpus, cached per process by content hash + options."""

    posts: pd.DataFrame
    report: IngestReport
    extras: dict[Any, Any] = field(default_factory=dict)  # themes, background keywords (lazy)


@st.cache_resource(show_spinner=False)
def _analysed() -> dict[str, CorpusView]:
    """Process-wide cache of analysed corpora (a few: each can hold 200,000 posts)."""
    return {}


@st.cache_data(show_spinner=False, max_entries=8)
def _read(data: bytes, filename: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    table, frame = read_table(data, filename)
    info = {"format": table.format, "encoding": table.encoding, "delimiter": table.delimiter}
    return frame, info


def _error(exc: CorpusError) -> None:
    key = f"posts.error.{exc.code}"
    fields = {k: v for k, v in exc.fields.items() if isinstance(v, (str, int))}
    try:
        message = tr(key, **fields)
    except (KeyError, IndexError):
        message = tr("posts.error.unreadable")
    st.error(f"{message}  \n{tr('posts.error.detail', detail=md_escape(str(exc)))}", icon=":material/error:")
    st.caption(tr("posts.nothing_stored"))


# -- choosing the input ------------------------------------------------------------------------------
def _input_row() -> None:
    if editing_allowed():
        upload = st.file_uploader(
            tr("posts.upload"),
            type=["csv", "tsv", "txt", "xlsx", "jsonl", "json", "ndjson"],
            key="posts_upload",
            help=tr("posts.upload_help"),
        )
    else:  # read-only visitor: the sample and the library's corpora only
        upload = None
        st.info(tr("access.read_only_page"), icon=":material/lock:")
    if upload is not None:
        data = upload.getvalue()
        sha = hashlib.sha256(data).hexdigest()
        current = st.session_state.get(SOURCE_KEY)
        if not current or current.get("sha") != sha:
            st.session_state[SOURCE_KEY] = {
                "data": data,
                "filename": upload.name,
                "origin": "upload",
                "sha": sha,
            }
            st.session_state.pop(CONFIRMED_KEY, None)
    cols = st.columns([3, 2], vertical_alignment="bottom")
    if cols[0].button(tr("posts.sample"), key="posts_sample", icon=":material/dataset:", width="stretch"):
        data = SAMPLE_CORPUS.read_bytes()
        frame, _ = _read(data, SAMPLE_CORPUS.name)
        mapping = detect_mapping(frame.head(200)).to_dict()
        st.session_state[SOURCE_KEY] = {
            "data": data,
            "filename": SAMPLE_CORPUS.name,
            "origin": "sample",
            "sha": hashlib.sha256(data).hexdigest(),
            "mapping": mapping,
        }
        # One click: the sample's detected mapping is confirmed at once.
        st.session_state[CONFIRMED_KEY] = _options_dict(mapping, DEFAULT_TZ, 0, "", CleanOptions())
    cols[0].caption(tr("posts.sample_caption"))
    _library_picker(cols[1])


def _library_picker(container: Any) -> None:
    try:
        corpora = get_library().list_corpora()
    except LibraryError as exc:
        container.caption(tr("posts.library_error", error=str(exc)))
        return
    if not corpora:
        return
    by_id = {c.id: c for c in corpora}
    pick = container.selectbox(
        tr("posts.library"),
        options=list(by_id),
        format_func=lambda i: f"{by_id[i].name} · {by_id[i].rows or '?'} · {by_id[i].created_at:%Y-%m-%d}",
        key="posts_library_pick",
    )
    if container.button(tr("posts.library_open"), key="posts_library_open", icon=":material/folder_open:"):
        try:
            record = get_library().get_corpus(pick)
        except LibraryError as exc:
            container.error(str(exc))
            return
        stored = dict(record.mapping)
        options = stored.get("options") or {}
        mapping = stored.get("columns") or {k: stored.get(k) for k in ROLES}
        st.session_state[SOURCE_KEY] = {
            "data": record.data,
            "filename": record.filename,
            "origin": f"library:{record.id}",
            "sha": record.sha256,
            "mapping": mapping,
        }
        st.session_state[CONFIRMED_KEY] = _options_dict(
            mapping,
            options.get("tz", DEFAULT_TZ),
            int(options.get("year") or 0),
            options.get("export_time") or "",
            CleanOptions(**options.get("clean", {})),
        )


# -- mapping -----------------------------------------------------------------------------------------
def _options_dict(mapping: dict[str, Any], tz: str, year: int, export_time: str, clean: CleanOptions) -> dict:
    return {
        "mapping": {k: mapping.get(k) for k in ROLES},
        "tz": tz.strip() or DEFAULT_TZ,
        "year": int(year) or None,
        "export_time": export_time.strip() or None,
        "clean": clean.to_dict(),
    }


def _mapping_form(frame: pd.DataFrame, source: dict[str, Any]) -> None:
    columns = [str(c) for c in frame.columns]
    try:
        detected = (
            ColumnMapping.from_dict(source["mapping"])
            if source.get("mapping")
            else detect_mapping(frame.head(500))
        )
    except CorpusError as exc:
        _error(exc)
        return
    none = tr("posts.none")
    st.subheader(tr("posts.mapping_title"))
    st.caption(tr("posts.mapping_help"))
    with st.form("posts_mapping_form", border=True):
        chosen: dict[str, str | None] = {}
        grid = st.columns(4)
        for i, role in enumerate(ROLES):
            options = columns if role == "text" else [none, *columns]
            current = getattr(detected, role)
            index = options.index(current) if current in options else 0
            value = grid[i % 4].selectbox(
                tr(f"posts.role.{role}"), options, index=index, key=f"posts_map_{role}"
            )
            chosen[role] = None if value == none else value
        with st.expander(tr("posts.preview")):
            st.dataframe(frame.head(5), hide_index=True)
        c1, c2, c3 = st.columns(3)
        tz = c1.text_input(tr("posts.tz"), value=DEFAULT_TZ, key="posts_tz", help=tr("posts.tz_help"))
        year = c2.number_input(
            tr("posts.year"),
            min_value=0,
            max_value=2100,
            value=0,
            step=1,
            key="posts_year",
            help=tr("posts.year_help"),
        )
        export_time = c3.text_input(
            tr("posts.export_time"), value="", key="posts_export_time", help=tr("posts.export_time_help")
        )
        with st.expander(tr("posts.cleaning")):
            defaults = CleanOptions()
            flags = {
                step: st.checkbox(
                    tr(f"posts.clean.{step}"), value=getattr(defaults, step), key=f"posts_clean_{step}"
                )
                for step in STEPS
            }
        submitted = st.form_submit_button(tr("posts.confirm"), type="primary", key="posts_confirm")
    if submitted:
        st.session_state[CONFIRMED_KEY] = _options_dict(
            chosen, tz, int(year), export_time, CleanOptions(**flags)
        )


def _corpus_options(confirmed: dict[str, Any]) -> CorpusOptions:
    band = current_band()
    return CorpusOptions(
        mapping=ColumnMapping.from_dict(confirmed["mapping"]),
        tz=confirmed["tz"],
        year=confirmed["year"],
        export_time=confirmed["export_time"],
        clean=CleanOptions(**confirmed["clean"]),
        model=current_model(),
        band=band,
    )


def _validate(options: CorpusOptions, columns: list[str]) -> bool:
    try:
        check_tz(options.tz)
    except TimeZoneError:
        st.error(tr("posts.error.bad_tz", tz=options.tz), icon=":material/error:")
        return False
    if options.export_time:
        try:
            pd.Timestamp(options.export_time)
        except ValueError:
            st.error(tr("posts.error.bad_export_time", value=options.export_time), icon=":material/error:")
            return False
    if not options.mapping.time:
        st.error(tr("posts.error.no_time_column"), icon=":material/error:")
        return False
    missing = [c for c in options.mapping.columns() if c not in columns]
    if missing:
        _error(CorpusError("unknown_column", f"no column named {missing[0]!r}"))
        return False
    return True


def _analyse(frame: pd.DataFrame, source: dict[str, Any], options: CorpusOptions) -> CorpusView | None:
    key = hashlib.sha256(
        (source["sha"] + json.dumps([options.mapping.to_dict(), options.tz, options.year, options.export_time,
                                     options.clean.to_dict(), options.model, options.band], default=str)).encode()
    ).hexdigest()  # fmt: skip
    cache = _analysed()
    if key in cache:
        return cache[key]
    total = len(frame)
    bar = st.progress(0.0, text=tr("posts.progress", done=0, total=total))

    def progress(done: int) -> None:
        bar.progress(min(1.0, done / max(total, 1)), text=tr("posts.progress", done=done, total=total))

    try:
        posts, report = process_chunks(frame_chunks(frame, CHUNK_ROWS), options, progress)
    except CorpusError as exc:
        bar.empty()
        _error(exc)
        return None
    except SentimentError as exc:  # e.g. a model file missing from this installation
        bar.empty()
        st.error(tr("posts.error.model", error=str(exc)), icon=":material/error:")
        return None
    bar.empty()
    view = CorpusView(posts, report)
    while len(cache) >= 3:
        cache.pop(next(iter(cache)))
    cache[key] = view
    if source["origin"] == "upload":
        _store(source, options, report)
    return view


def _store(source: dict[str, Any], options: CorpusOptions, report: IngestReport) -> None:
    """Only a corpus that parsed with a confirmed mapping reaches the library."""
    stored = {
        "columns": options.mapping.to_dict(),
        "options": {
            "tz": options.tz,
            "year": options.year,
            "export_time": options.export_time,
            "clean": options.clean.to_dict(),
        },
    }
    try:
        record, created = get_library().add_corpus(source["filename"], source["data"], source["filename"], stored,
                                                   rows=report.rows_read)  # fmt: skip
    except LibraryError as exc:
        st.warning(tr("posts.store_failed", error=str(exc)))
        return
    st.toast(tr("posts.stored" if created else "posts.already_stored", name=record.name))


# -- results -----------------------------------------------------------------------------------------
def _report(report: IngestReport) -> None:
    st.caption(
        tr(
            "posts.report",
            rows=report.rows_read,
            scored=report.scored,
            unscored=report.unscored,
            empty=report.empty_text,
            bad_time=report.bad_time,
            dups=report.duplicates,
            dropped=report.duplicates_dropped,
            emptied=report.emptied_by_cleaning,
        )
    )
    _coordinated(report)
    if report.assumed_year is not None:
        st.warning(
            tr(
                "posts.assumed_year",
                year=report.assumed_year,
                source=tr(f"posts.year_source.{report.year_source}"),
            ),
            icon=":material/help:",
        )
    if report.relative_without_export_time:
        st.warning(tr("posts.relative_unanchored", n=report.relative_without_export_time))
    with st.expander(tr("posts.report_details")):
        st.markdown(f"**{tr('posts.report_clean')}**")
        st.dataframe(
            pd.DataFrame(
                {
                    "step": [tr(f"posts.clean.{s}") for s in STEPS],
                    "rows": [report.clean.counts[s] for s in STEPS],
                }
            ),
            hide_index=True,
        )
        st.caption(tr("posts.report_unknown_emoticons", n=report.clean.unknown_emoticons))
        st.markdown(f"**{tr('posts.report_formats')}**")
        st.dataframe(
            pd.DataFrame(sorted(report.time_formats.items()), columns=["format", "rows"]), hide_index=True
        )
        if report.bad_time_examples:
            st.caption(
                tr("posts.report_bad_examples", examples=md_escape(", ".join(report.bad_time_examples)))
            )


def _coordinated(report: IngestReport) -> None:
    """Copy-paste campaigns: the same text from several authors within an hour."""
    table = report.coordinated
    if table is None:
        st.caption(tr("posts.coordinated_needs_author"))
        return
    if table.empty:
        st.caption(tr("posts.coordinated_none"))
        return
    st.subheader(tr("posts.coordinated"), anchor=False)
    st.caption(tr("posts.coordinated_help", n=len(table)))
    shown = table.head(TOP_TABLE_ROWS).rename(columns=lambda c: tr(f"posts.coord.{c}"))
    st.dataframe(shown, hide_index=True, key="posts_coordinated", width="stretch")


def _evidence(texts: pd.Series, langs: pd.Series, options: CorpusOptions) -> list[str]:
    """The top evidence terms of the first EVIDENCE_ROWS posts ('' after that or for other languages)."""
    scorer = Scorer(options.model, Thresholds(*options.band) if options.band else None, workload="corpus")
    ev = []
    for i, (text, lang) in enumerate(zip(texts, langs, strict=True)):
        model = scorer.model_for(lang) if i < EVIDENCE_ROWS and lang in ("zh", "en") else None
        terms = model.explain(text, top=4) if model else ()
        ev.append(" ".join(f"{e.term}({e.weight:+.2f})" for e in terms))
    return ev


def _table_frame(rows: pd.DataFrame, evidence: list[str] | None, lang: str) -> pd.DataFrame:
    """The post table with its column names in `lang` (also built by a deferred download, which
    runs outside the script and so cannot read the session's UI language itself)."""

    def col(name: str) -> str:
        return t(f"posts.col.{name}", lang)  # type: ignore[arg-type]

    table = pd.DataFrame(
        {
            col("time"): rows["time"].dt.strftime("%Y-%m-%d %H:%M"),
            col("text"): rows["text"],
            col("label"): rows["label"].map(lambda x: t(f"label.{x}" if x else "label.unscored", lang)),  # type: ignore[arg-type]
            col("score"): rows["score"],
            col("weight"): rows["weight"].round(2),
        }
    )
    if evidence is not None:
        table[col("evidence")] = evidence
    for role in ("likes", "reposts", "comments", "source", "region", "author"):
        if role in rows:
            table[col(role)] = rows[role]
    if "duplicate" in rows:  # flagged, still counted: say which posts repeat an earlier one
        table[col("duplicate")] = rows["duplicate"].map(lambda x: t(f"posts.dup.{x}", lang) if x else "")  # type: ignore[arg-type]
    table[col("row")] = rows["row"]
    return table


def _post_table(
    posts: pd.DataFrame,
    key: str,
    options: CorpusOptions,
    evidence: bool = False,
    *,
    limit: int = 200,
    view: CorpusView | None = None,
    cache_key: tuple | None = None,
) -> None:
    """The first `limit` posts as a table; a longer list gets a note and a download of all of it.

    With `view` and `cache_key`, the built table (evidence included: 50 explanations cost a few
    hundred ms) is kept with the analysed corpus, so a page switch does not build it again.
    """
    lang = ui_lang()
    memo = ("table", cache_key, lang) if view is not None and cache_key is not None else None
    table = view.extras.get(memo) if memo else None
    if table is None:
        rows = posts.head(limit)
        ev = _evidence(rows["text_clean"], rows["lang"], options) if evidence else None
        table = _table_frame(rows, ev, lang)
        if memo:
            view.extras[memo] = table
    st.dataframe(table, hide_index=True, key=key)
    if evidence:
        st.caption(tr("posts.evidence_note", n=min(EVIDENCE_ROWS, len(table))))
    if len(posts) > len(table):
        st.caption(tr("posts.table_capped", shown=len(table), total=len(posts)))
        st.download_button(
            tr("posts.table_download", n=len(posts)),
            data=lambda: _table_frame(posts, None, lang).to_csv(index=False).encode("utf-8-sig"),
            file_name=f"{key}.csv",
            mime="text/csv",
            key=f"{key}_download",
            icon=":material/download:",
        )


def _fmt(value: float | None) -> str:
    return tr("posts.na") if value is None or pd.isna(value) else f"{value:+.3f}"


def _figure(view: CorpusView, key: tuple, build: Callable[[], go.Figure]) -> go.Figure:
    """A chart built once per analysed corpus and key (frequency, UI language...): Plotly builds
    and validates every trace, ~20-100 ms a chart, which a page switch need not pay again."""
    memo = ("figure", *key)
    if memo not in view.extras:
        view.extras[memo] = build()
    return view.extras[memo]


def _results(view: CorpusView, options: CorpusOptions, source: dict[str, Any]) -> None:
    lang = ui_lang()
    report = view.report
    _report(report)
    c1, c2 = st.columns([1, 2])
    freq = (
        c1.segmented_control(
            tr("posts.freq"),
            options=["H", "D", "W"],
            format_func=lambda f: tr(f"posts.freq.{f}"),
            default="D",
            key="posts_freq",
        )
        or "D"
    )
    weighted = c2.toggle(tr("posts.weighted"), value=False, key="posts_weighted")
    posts = with_periods(view.posts, freq)
    if ("timeline", freq) not in view.extras:  # a pure function of the corpus and the frequency
        acc = TimelineAccumulator(freq)
        acc.add(posts["period"], posts["label"], posts["weight"])
        timeline = acc.result()
        view.extras[("timeline", freq)] = (timeline, find_spikes(timeline))
    timeline, spikes = view.extras[("timeline", freq)]

    total = timeline[["positive", "neutral", "negative"]].sum()
    p, u, n = int(total["positive"]), int(total["neutral"]), int(total["negative"])
    scored = p + u + n
    m = st.columns(4)
    m[0].metric(tr("posts.metric.posts"), f"{scored:,}")
    m[1].metric(tr("posts.metric.nev"), _fmt((p - n) / scored if scored else None))
    m[2].metric(tr("posts.metric.nev_polar"), _fmt((p - n) / (p + n) if p + n else None))
    if len(posts):
        first, last = posts["time"].min(), posts["time"].max()
        m[3].metric(
            tr("posts.metric.span"),
            f"{(last.normalize() - first.normalize()).days + 1}",
            help=f"{first:%Y-%m-%d %H:%M} → {last:%Y-%m-%d %H:%M} ({options.tz})",
        )
    band = Scorer(
        options.model, Thresholds(*options.band) if options.band else None, workload="corpus"
    ).thresholds_for("zh")
    st.caption(
        tr("posts.formulas", p=p, u=u, n=n, model=options.model,
           band=f"[{band.negative_below:+.2f}, {band.positive_above:+.2f}]" if band else "—")
    )  # fmt: skip
    if weighted:
        st.caption(tr("posts.weighted_caption"))

    labels = period_label(timeline["period"], freq).tolist()
    _apply_chart_selection(labels)
    st.plotly_chart(
        _figure(view, ("volume", freq, lang), lambda: volume_figure(timeline, freq, lang, spikes)),
        key="posts_volume_chart",
        on_select="rerun",
        selection_mode=("points", "box"),
        width="stretch",
    )
    st.caption(tr("posts.select_hint"))
    st.plotly_chart(
        _figure(
            view,
            ("nev", freq, lang, weighted),
            lambda: nev_figure(timeline, freq, lang, spikes, weighted=weighted),
        ),
        key="posts_nev_chart",
        width="stretch",
    )
    st.download_button(
        tr("posts.download"),
        # Deferred: built when clicked, not on every run.
        data=lambda: (
            timeline.assign(period=labels)[
                ["period", "n", "positive", "neutral", "negative", "nev", "nev_polar"]
            ]
            .round(4)
            .to_csv(index=False)
            .encode("utf-8")
        ),
        file_name=f"timeline_{freq}.csv",
        mime="text/csv",
        key="posts_download",
    )

    st.subheader(tr("posts.spikes"))
    if "background" not in view.extras:
        view.extras["background"] = background_keywords(posts)
    background = view.extras["background"]
    st.caption(tr("posts.spike_rule", background="、".join(sorted(background)) or "—"))
    if not spikes:
        st.info(tr("posts.no_spikes"))
    for i, spike in enumerate(spikes[:12]):
        period = labels[timeline.index[timeline["period"] == spike.period][0]]
        if spike.kind == "volume":
            title = tr(
                "posts.spike.volume", period=period, n=spike.n, z=f"{spike.z:.1f}", nev=_fmt(spike.nev)
            )
        else:
            title = tr("posts.spike.turn", period=period, delta=f"{spike.value:+.3f}", z=f"{spike.z:.1f}",
                       nev=_fmt(spike.nev), n=spike.n)  # fmt: skip
        with st.expander(title, expanded=i == 0):
            explain_key = ("explain", freq, spike.period)
            if explain_key not in view.extras:  # keywords cost jieba time: once per period
                view.extras[explain_key] = explain_period(posts, spike.period, background=background)
            explanation = view.extras[explain_key]
            st.markdown(
                tr(
                    "posts.spike.keywords",
                    keywords=md_escape("、".join(k.term for k in explanation.keywords)),
                )
            )
            st.caption(tr("posts.spike.top_posts"))
            _post_table(explanation.top_posts, f"posts_spike_table_{i}", options, view=view,
                        cache_key=("spike", freq, spike.period))  # fmt: skip

    st.subheader(tr("posts.period"))
    _period_posts(view, posts, timeline, labels, options, freq)

    st.subheader(tr("posts.themes"))
    if st.toggle(tr("posts.show_themes"), value=len(posts) <= THEMES_AUTO_LIMIT, key="posts_show_themes"):
        theme_key = f"themes_{freq}_{lang}"
        if theme_key not in view.extras:
            view.extras[theme_key] = theme_timeline(posts, lang)
        themes = view.extras[theme_key]
        if themes.empty:
            st.info(tr("posts.no_themes"))
        else:
            st.plotly_chart(
                _figure(view, ("themes", freq, lang), lambda: theme_figure(themes, freq, lang)),
                key="posts_theme_chart",
                width="stretch",
            )

    st.subheader(tr("posts.top_engaged"))
    if "ranked_positions" not in view.extras:  # positions only: a ranked copy of 200,000 posts is not kept
        view.extras["ranked_positions"] = rank_posts(posts.assign(_pos=np.arange(len(posts))))[
            "_pos"
        ].to_numpy()
    _post_table(posts.iloc[view.extras["ranked_positions"]], "posts_top_table", options,
                limit=TOP_TABLE_ROWS, view=view, cache_key=("top",))  # fmt: skip

    present = [r for r in ("source", "region") if r in posts]
    if present:
        st.subheader(tr("posts.breakdown"))
        for role in present:
            st.plotly_chart(
                _figure(
                    view,
                    ("breakdown", role, lang),
                    lambda role=role: breakdown_figure(breakdown(posts, role), tr(f"posts.col.{role}"), lang),
                ),
                key=f"posts_breakdown_{role}",
                width="stretch",
            )


def _apply_chart_selection(labels: list[str]) -> None:
    """A click or box on the volume chart chooses the period (the select box follows)."""
    event = st.session_state.get("posts_volume_chart")
    points = []
    try:
        points = list(event["selection"]["points"]) if event else []
    except (KeyError, TypeError):
        points = []
    xs = [p.get("x") for p in points if isinstance(p, dict) and p.get("x") in labels]
    marker = json.dumps(sorted(set(xs)))
    if xs and st.session_state.get("_posts_last_selection") != marker:
        st.session_state["_posts_last_selection"] = marker
        st.session_state["posts_period"] = xs[0]


def _period_posts(
    view: CorpusView,
    posts: pd.DataFrame,
    timeline: pd.DataFrame,
    labels: list[str],
    options: CorpusOptions,
    freq: str,
) -> None:
    with_posts = [lab for lab, n in zip(labels, timeline["n"] + timeline["unscored"], strict=True) if n > 0]
    if not with_posts:
        return
    if st.session_state.get("posts_period") not in with_posts:
        busiest = timeline.loc[timeline["n"].idxmax(), "period"]
        st.session_state["posts_period"] = labels[timeline.index[timeline["period"] == busiest][0]]
    chosen = st.selectbox(tr("posts.period"), with_posts, key="posts_period", label_visibility="collapsed")
    period = timeline["period"].iloc[labels.index(chosen)]
    sel = posts[posts["period"] == period]
    row = timeline.iloc[labels.index(chosen)]
    st.markdown(f"**{tr('posts.period_posts', period=chosen, n=len(sel))}**")
    st.caption(
        tr("posts.period_summary", p=int(row["positive"]), u=int(row["neutral"]), n=int(row["negative"]),
           nev=_fmt(row["nev"]), polar=_fmt(row["nev_polar"]))
    )  # fmt: skip
    ordered = sel.sort_values("score", key=lambda s: s.abs(), ascending=False, kind="stable")
    _post_table(ordered, "posts_period_table", options, evidence=True, limit=PERIOD_TABLE_ROWS,
                view=view, cache_key=("period", freq, period))  # fmt: skip


def run() -> None:
    st.title(tr("posts.title"))
    st.caption(tr("posts.intro"))
    _input_row()
    source = st.session_state.get(SOURCE_KEY)
    if not source:
        return
    try:
        frame, info = _read(source["data"], source["filename"])
    except CorpusError as exc:
        _error(exc)
        return
    delimiter = {",": ",", "\t": "TAB", ";": ";", "|": "|"}.get(info["delimiter"] or "", "")
    detail = f" · {info['encoding']}" if info["encoding"] else ""
    detail += f" · {delimiter}" if delimiter else ""
    st.caption(
        tr("posts.file_info", filename=md_escape(source["filename"]), format=info["format"].upper(),
           rows=len(frame), columns=len(frame.columns), detail=detail)
    )  # fmt: skip
    if source["origin"] == "upload":
        _mapping_form(frame, source)
    confirmed = st.session_state.get(CONFIRMED_KEY)
    if not confirmed:
        return
    options = _corpus_options(confirmed)
    if not _validate(options, [str(c) for c in frame.columns]):
        return
    view = _analyse(frame, source, options)
    if view is not None:
        _results(view, options, source)


run()
