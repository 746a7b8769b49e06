"""Posts timeline / 帖子时间线: a table of posts or comments over time. Widgets and caching only: the
settings are read by CorpusOptions and validate_options, the rest is CorpusAnalysis (analysis.corpus).

Widget keys (stable, for tests): posts_upload, posts_sample, posts_library_pick, posts_library_open,
posts_mapping_form, posts_map_<role>, posts_tz, posts_year, posts_export_time, posts_clean_<step>,
posts_confirm, posts_freq, posts_weighted, posts_volume_chart, posts_nev_chart, posts_emotion_chart,
posts_show_themes, posts_theme_chart, posts_breakdown_<role>, posts_top_table, posts_period,
posts_period_table, posts_spike_table_<i>, posts_download, report_posts_* (the Report button);
posts_review_*, posts_entities_* (in their pages/ modules).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analysis.briefing.posts import posts_brief
from analysis.corpus import captions  # the page's sentences and tables about a corpus
from analysis.corpus import view as ca  # CorpusAnalysis and its cache
from analysis.corpus.clean import STEPS, CleanOptions
from analysis.corpus.ingest import ROLES, detect_mapping, read_table
from analysis.corpus.pipeline import CorpusOptions, IngestReport, options_with, validate_options
from analysis.corpus.timeparse import DEFAULT_TZ
from analysis.errors import OpinionLensError
from analysis.format import md_escape
from analysis.library import LibraryError
from pages.ui import posts_entities, posts_review
from pages.ui.access import editing_allowed
from pages.ui.cache import get_library
from pages.ui.frame import page_shell
from pages.ui.report_panel import report_panel
from pages.ui.state import current_band, current_model, tr, ui_lang

page_shell()  # draws the app's frame when Streamlit runs this page alone (legacy pages/ start)

SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "sample_data" / "weibo_cctvnews_2020_sample.csv"
# {"data", "filename", "origin", "sha", "options"}: options (CorpusOptions.to_dict(), the model and band
# apart: the sidebar's) once the mapping is confirmed; the sample and a library corpus come confirmed.
SOURCE_KEY = "_posts_source"
ANALYSED_CORPORA = 3  # kept per process: each can hold 200,000 posts
# Rows drawn in a post table (the browser builds a grid per table on each page switch): the rest is a download.
PERIOD_TABLE_ROWS, TOP_TABLE_ROWS = 100, 50
THEMES_AUTO_LIMIT = 20_000  # above this many posts, themes over time are computed on request
PLAIN_ERRORS = ("bad_tz", "bad_export_time", "no_time_column", "model")  # shown without their detail


@st.cache_resource(show_spinner=False)
def _analyzed() -> ca.AnalysisCache:  # shared by every session of the process: it locks each access
    return ca.AnalysisCache(ANALYSED_CORPORA)


@st.cache_data(show_spinner=False, max_entries=8)
def _read(data: bytes, filename: str) -> tuple[pd.DataFrame, dict[str, Any]]:  # and the file's caption
    table, frame = read_table(data, filename)
    delimiter = {",": ",", "\t": "TAB", ";": ";", "|": "|"}.get(table.delimiter or "", "")
    info = {"format": table.format.upper(), "rows": len(frame), "columns": len(frame.columns)}
    return frame, {**info, "detail": "".join(f" · {part}" for part in (table.encoding, delimiter) if part)}


def _error(exc: OpinionLensError) -> None:  # a file's error comes with its detail, a setting's says it all
    code = "model" if exc.code == "sentiment" else exc.code  # a SentimentError: e.g. a model not installed
    fields = {k: v for k, v in exc.fields.items() if isinstance(v, (str, int))}
    try:
        message = tr(f"posts.error.{code}", **{"error": str(exc), **fields})
    except (KeyError, IndexError):
        message = tr("posts.error.unreadable")
    detail = "" if code in PLAIN_ERRORS else f"  \n{tr('posts.error.detail', detail=md_escape(str(exc)))}"
    st.error(message + detail, icon=":material/error:")
    if detail:
        st.caption(tr("posts.nothing_stored"))


def _use(data: bytes, filename: str, origin: str, sha: str, options: CorpusOptions | None = None) -> None:
    st.session_state[SOURCE_KEY] = {"data": data, "filename": filename, "origin": origin, "sha": sha,
                                    "options": options.to_dict() if options else None}  # fmt: skip


def _input_row() -> None:
    upload = None
    if editing_allowed():
        types = ["csv", "tsv", "txt", "xlsx", "jsonl", "json", "ndjson"]
        upload = st.file_uploader(tr("posts.upload"), types, key="posts_upload", help=tr("posts.upload_help"))
    else:  # read-only visitor: the sample and the library's corpora only
        st.info(tr("access.read_only_page"), icon=":material/lock:")
    if upload is not None:
        data = upload.getvalue()
        if (st.session_state.get(SOURCE_KEY) or {}).get("sha") != (sha := hashlib.sha256(data).hexdigest()):
            _use(data, upload.name, "upload", sha)
    cols = st.columns([3, 2], vertical_alignment="bottom")
    if cols[0].button(tr("posts.sample"), key="posts_sample", icon=":material/dataset:", width="stretch"):
        data = SAMPLE_CORPUS.read_bytes()
        mapping = detect_mapping(_read(data, SAMPLE_CORPUS.name)[0].head(200))  # confirmed at once
        _use(data, SAMPLE_CORPUS.name, "sample", hashlib.sha256(data).hexdigest(), CorpusOptions(mapping))
    cols[0].caption(tr("posts.sample_caption"))
    try:
        corpora = {c.id: c for c in get_library().list_corpora()}
    except LibraryError as exc:
        cols[1].caption(tr("posts.library_error", error=str(exc)))
        return
    if not corpora:
        return
    name = lambda i: f"{corpora[i].name} · {corpora[i].rows or '?'} · {corpora[i].created_at:%Y-%m-%d}"  # noqa: E731
    pick = cols[1].selectbox(tr("posts.library"), list(corpora), format_func=name, key="posts_library_pick")
    if cols[1].button(tr("posts.library_open"), key="posts_library_open", icon=":material/folder_open:"):
        try:
            record = get_library().get_corpus(pick)
        except LibraryError as exc:
            cols[1].error(str(exc))
            return
        options = CorpusOptions.from_stored(record.mapping)
        _use(record.data, record.filename, f"library:{record.id}", record.sha256, options)


def _mapping_form(frame: pd.DataFrame, source: dict[str, Any]) -> None:
    columns, none = [str(c) for c in frame.columns], tr("posts.none")
    detected = detect_mapping(frame.head(500)).to_dict()  # CorpusError when no column looks like text
    st.subheader(tr("posts.mapping_title"))
    st.caption(tr("posts.mapping_help"))
    with st.form("posts_mapping_form", border=True):
        chosen: dict[str, str | None] = {}
        grid = st.columns(4)
        for i, role in enumerate(ROLES):
            options = columns if role == "text" else [none, *columns]
            index = options.index(detected[role]) if detected[role] in options else 0
            value = grid[i % 4].selectbox(tr(f"posts.role.{role}"), options, index, key=f"posts_map_{role}")
            chosen[role] = None if value == none else value
        with st.expander(tr("posts.preview")):
            st.dataframe(frame.head(5), hide_index=True)
        c1, c2, c3 = st.columns(3)
        tz = c1.text_input(tr("posts.tz"), DEFAULT_TZ, key="posts_tz", help=tr("posts.tz_help"))
        year = c2.number_input(tr("posts.year"), 0, 2100, 0, 1, key="posts_year", help=tr("posts.year_help"))
        export_time = c3.text_input(tr("posts.export_time"), "", key="posts_export_time",
                                    help=tr("posts.export_time_help"))  # fmt: skip
        with st.expander(tr("posts.cleaning")):
            clean = CleanOptions().to_dict()  # the defaults, then each box
            clean = {s: st.checkbox(tr(f"posts.clean.{s}"), clean[s], key=f"posts_clean_{s}") for s in STEPS}
        submitted = st.form_submit_button(tr("posts.confirm"), type="primary", key="posts_confirm")
    if submitted:  # read as a library record is: a blank zone is the default zone, year 0 is none
        settings = {"tz": tz, "year": int(year), "export_time": export_time, "clean": clean}
        source["options"] = CorpusOptions.from_stored({"columns": chosen, "options": settings}).to_dict()


def _analyze(frame: pd.DataFrame, source: dict[str, Any], options: CorpusOptions) -> ca.CorpusAnalysis:
    def build() -> ca.CorpusAnalysis:  # one session builds; others asking for the same corpus wait
        bar = st.progress(0.0, text=tr("posts.progress", done=0, total=(total := len(frame))))
        try:
            return ca.CorpusAnalysis.run(frame, options, lambda done: bar.progress(
                min(1.0, done / max(total, 1)), text=tr("posts.progress", done=done, total=total)))  # fmt: skip
        finally:
            bar.empty()

    corpus, built = _analyzed().get_or_build(options.cache_key(source["sha"]), build)
    if built and source["origin"] == "upload":  # only a corpus that parsed with a confirmed mapping is stored
        name, stored = source["filename"], options.to_stored()
        try:
            record, created = get_library().add_corpus(name, source["data"], name, stored,
                                                              rows=corpus.report.rows_read)  # fmt: skip
            st.toast(tr("posts.stored" if created else "posts.already_stored", name=record.name))
        except LibraryError as exc:
            st.warning(tr("posts.store_failed", error=str(exc)))
    return corpus


def _report(r: IngestReport) -> None:
    st.caption(captions.report_caption(r, ui_lang()))
    if (absent := r.coordinated is None) or r.coordinated.empty:  # copy-paste: one text, many authors
        st.caption(tr("posts.coordinated_needs_author" if absent else "posts.coordinated_none"))
    else:
        st.subheader(tr("posts.coordinated"), anchor=False)
        st.caption(tr("posts.coordinated_help", n=len(r.coordinated)))
        shown = r.coordinated.head(TOP_TABLE_ROWS).rename(columns=lambda c: tr(f"posts.coord.{c}"))
        st.dataframe(shown, hide_index=True, key="posts_coordinated", width="stretch")
    if r.assumed_year is not None:
        source = tr(f"posts.year_source.{r.year_source}")
        st.warning(tr("posts.assumed_year", year=r.assumed_year, source=source), icon=":material/help:")
    if r.relative_without_export_time:
        st.warning(tr("posts.relative_unanchored", n=r.relative_without_export_time))
    with st.expander(tr("posts.report_details")):
        st.markdown(f"**{tr('posts.report_clean')}**")
        steps = {"step": [tr(f"posts.clean.{s}") for s in STEPS], "rows": [r.clean.counts[s] for s in STEPS]}
        st.dataframe(pd.DataFrame(steps), hide_index=True)
        st.caption(tr("posts.report_unknown_emoticons", n=r.clean.unknown_emoticons))
        st.markdown(f"**{tr('posts.report_formats')}**")
        formats = pd.DataFrame(sorted(r.time_formats.items()), columns=["format", "rows"])
        st.dataframe(formats, hide_index=True)
        if r.bad_time_examples:
            st.caption(tr("posts.report_bad_examples", examples=md_escape(", ".join(r.bad_time_examples))))


def _post_table(corpus: ca.CorpusAnalysis, kind: ca.TableKind, key: str, freq: str | None = None,
                period: pd.Timestamp | None = None, limit: int = 200) -> None:  # fmt: skip
    """The first `limit` posts of a list; a longer list gets a note and a download of all of it."""
    lang = ui_lang()
    shown = corpus.post_table(kind, lang, freq=freq, period=period, limit=limit)
    st.dataframe(shown.table, hide_index=True, key=key)
    if kind == "period":
        st.caption(tr("posts.evidence_note", n=min(ca.EVIDENCE_ROWS, len(shown.table))))
    if shown.total > len(shown.table):
        st.caption(tr("posts.table_capped", shown=len(shown.table), total=shown.total))
        st.download_button(tr("posts.table_download", n=shown.total), file_name=f"{key}.csv", mime="text/csv",
                           data=lambda: corpus.table_csv(kind, lang, freq, period),  # deferred: on click
                           key=f"{key}_download", icon=":material/download:")  # fmt: skip


def _select_period(labels: list[str]) -> None:  # a click or box on the volume chart chooses the period
    event = st.session_state.get("posts_volume_chart")
    try:
        points = list(event["selection"]["points"]) if event else []
    except (KeyError, TypeError):
        points = []
    xs = [p.get("x") for p in points if isinstance(p, dict) and p.get("x") in labels]
    if xs and st.session_state.get("_posts_last_selection") != (marker := json.dumps(sorted(set(xs)))):
        st.session_state["_posts_last_selection"], st.session_state["posts_period"] = marker, xs[0]


def _results(corpus: ca.CorpusAnalysis) -> None:
    lang, options = ui_lang(), corpus.options
    _report(corpus.report)
    c1, c2 = st.columns([1, 2])
    freq = c1.segmented_control(tr("posts.freq"), ["H", "D", "W"], format_func=lambda f: tr(f"posts.freq.{f}"),
                                default="D", key="posts_freq") or "D"  # fmt: skip
    weighted = c2.toggle(tr("posts.weighted"), value=False, key="posts_weighted")
    total, spikes, labels = corpus.summary(freq), corpus.spikes(freq), list(corpus.period_labels(freq))
    m = st.columns(4)
    m[0].metric(tr("posts.metric.posts"), f"{total.n + total.unscored:,}",  # every post; n and unscored in help
                help=tr("posts.metric.posts_help", n=f"{total.n:,}", unscored=f"{total.unscored:,}"))  # fmt: skip
    m[1].metric(tr("posts.metric.nev"), captions.nev_text(total.nev, lang))
    m[2].metric(tr("posts.metric.nev_polar"), captions.nev_text(total.nev_polar, lang))
    if span := corpus.span():
        when = f"{span.first:%Y-%m-%d %H:%M} → {span.last:%Y-%m-%d %H:%M} ({options.tz})"
        m[3].metric(tr("posts.metric.span"), f"{span.days}", help=when)
    st.caption(captions.formulas_caption(total, options.model, corpus.band(), lang))
    source = st.session_state[SOURCE_KEY]
    report_panel("report_posts", lambda lang, start, end: posts_brief(corpus, name=source["filename"], sha256=source["sha"],
                 lang=lang, freq=freq, start=start, end=end, reviews=posts_review.review_trail(source, corpus)),
                 stem=source["sha"][:12],
                 span=(span.first.date(), span.last.date()) if span else None)  # fmt: skip
    if weighted:
        st.caption(tr("posts.weighted_caption"))
    _select_period(labels)
    st.plotly_chart(corpus.figure("volume", lang, freq), key="posts_volume_chart", on_select="rerun",
                    selection_mode=("points", "box"), width="stretch")  # fmt: skip
    st.caption(tr("posts.select_hint"))
    nev = corpus.figure("nev", lang, freq, weighted=weighted)
    st.plotly_chart(nev, key="posts_nev_chart", width="stretch")
    if corpus.has_emotions():  # beside sentiment, never mixed into nev
        st.plotly_chart(corpus.figure("emotions", lang, freq), key="posts_emotion_chart", width="stretch")
        st.caption(captions.emotions_caption(corpus.timeline(freq), lang))
    csv = lambda: corpus.timeline_csv(freq).to_csv(index=False).encode("utf-8")  # noqa: E731 (on click)
    st.download_button(tr("posts.download"), csv, f"timeline_{freq}.csv", "text/csv", key="posts_download")
    st.subheader(tr("posts.spikes"))
    background = "、".join(sorted(corpus.background_keywords())) or "—"
    st.caption(tr("posts.spike_rule", background=background, **captions.SPIKE_RULE_FIELDS))
    if not spikes:
        st.info(tr("posts.no_spikes"))
    for i, spike in enumerate(spikes[:12]):
        with st.expander(
            captions.spike_title(spike, corpus.label_of(freq, spike.period), lang), expanded=i == 0
        ):
            keywords = corpus.explanation(freq, spike.period).keywords  # jieba time: once per period
            st.markdown(tr("posts.spike.keywords", keywords=md_escape("、".join(k.term for k in keywords))))
            if shift := corpus.emotion_shift(freq, spike.period):
                st.markdown(captions.emotion_shift_text(shift, lang))  # our sentence: no user text
            st.caption(tr("posts.spike.top_posts"))
            _post_table(corpus, "spike", f"posts_spike_table_{i}", freq, spike.period)
    st.subheader(title := tr("posts.period"))
    if with_posts := corpus.labels_with_posts(freq):
        if st.session_state.get("posts_period") not in with_posts:
            st.session_state["posts_period"] = corpus.busiest_label(freq)
        chosen = st.selectbox(title, with_posts, key="posts_period", label_visibility="collapsed")
        row = corpus.timeline(freq).iloc[labels.index(chosen)]  # its posts: scored (n) and unscored
        st.markdown(f"**{tr('posts.period_posts', period=chosen, n=int(row['posts']))}**")
        st.caption(captions.period_caption(row, lang))
        _post_table(corpus, "period", "posts_period_table", freq, row["period"], limit=PERIOD_TABLE_ROWS)
        posts_review.section(st.session_state[SOURCE_KEY], corpus, freq, row["period"])
    st.subheader(tr("posts.themes"))
    if st.toggle(tr("posts.show_themes"), len(corpus.posts) <= THEMES_AUTO_LIMIT, key="posts_show_themes"):
        if corpus.themes(freq, lang).empty:
            st.info(tr("posts.no_themes"))
        else:
            st.plotly_chart(corpus.figure("themes", lang, freq), key="posts_theme_chart", width="stretch")
    posts_entities.section(corpus, freq)
    st.subheader(tr("posts.top_engaged"))
    _post_table(corpus, "top", "posts_top_table", limit=TOP_TABLE_ROWS)
    if roles := corpus.breakdown_roles():
        st.subheader(tr("posts.breakdown"))
    for role in roles:
        chart = corpus.figure("breakdown", lang, role=role)
        st.plotly_chart(chart, key=f"posts_breakdown_{role}", width="stretch")


def run() -> None:
    st.title(tr("posts.title"))
    st.caption(tr("posts.intro"))
    _input_row()
    if not (source := st.session_state.get(SOURCE_KEY)):
        return
    try:  # the file, the mapping form of an upload, the settings and the scoring may each fail
        frame, info = _read(source["data"], source["filename"])
        st.caption(tr("posts.file_info", filename=md_escape(source["filename"]), **info))
        if source["origin"] == "upload":
            _mapping_form(frame, source)
        if not source.get("options"):
            return
        sidebar = {"model": current_model(), "band": current_band()}
        options = options_with(CorpusOptions.from_dict(source["options"]), **sidebar)
        corpus = _analyze(frame, source, validate_options(options, [str(c) for c in frame.columns]))
    except OpinionLensError as exc:
        _error(exc)
        return
    _results(corpus)


run()
