"""The posts timeline page through AppTest, from the real entry point (dashboard.py).

Uploads a slice of the sample corpus as CSV and XLSX (scored with the SnowNLP baseline, always
present), confirms or changes the mapping, checks the timeline, a spike explanation and a period's
posts; bad inputs get their specific message and store nothing. The one-click sample test scores all
3,001 posts and needs the fast default model.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.i18n import t
from analysis.library import Library
from analysis.sentiment import SentimentError, get_model

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/posts.py"
SAMPLE = ROOT / "sample_data" / "weibo_cctvnews_2020_sample.csv"
LANG = "zh"


def _spiky_slice() -> pd.DataFrame:
    """Five posts a day for 20 days, then every post of 2020-01-25 (a real spike day)."""
    frame = pd.read_csv(SAMPLE, dtype=str)
    day = frame["timestamp"].str[:10]
    quiet = frame[day < "2020-01-21"].groupby(day[day < "2020-01-21"]).head(5)
    return pd.concat([quiet, frame[day == "2020-01-25"]], ignore_index=True)


def _open(model: str = "snownlp") -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=240)
    at.session_state["ui_lang"] = LANG
    at.session_state["model"] = model
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at.file_uploader(key="posts_upload").upload(name, data, mime).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def _check_timeline(at: AppTest, url: str, stored: int) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert len(at.get("plotly_chart")) >= 2  # volume and nev (themes when posts match the taxonomy)
    text = _texts(at)
    assert "nev = (P − N) / (P + U + N)" in text
    # The spike of 2020-01-25 is found and explained by keywords and top posts.
    spike_titles = [e.label for e in at.expander if e.label.startswith("2020-01-25")]
    assert spike_titles, [e.label for e in at.expander]
    assert t("posts.spike.keywords", LANG, keywords="").split("{")[0].strip() in text
    time_col = t("posts.col.time", LANG)
    tables = [d.value for d in at.dataframe if time_col in d.value.columns]
    assert any((tb[time_col].str[:10] == "2020-01-25").all() and len(tb) == 5 for tb in tables)
    # Choose a period: its posts are listed with score and evidence.
    period = at.selectbox(key="posts_period")
    assert "2020-01-25" in period.options
    period.set_value("2020-01-02").run()
    assert not at.exception, [e.value for e in at.exception]
    # The period table is the one with evidence (AppTest does not expose dataframe keys).
    evidence_col = t("posts.col.evidence", LANG)
    tables = [d.value for d in at.dataframe if evidence_col in d.value.columns]
    assert len(tables) == 1
    table = tables[0]
    assert len(table) == 5 and t("posts.col.score", LANG) in table.columns
    assert (table[time_col].str[:10] == "2020-01-02").all()
    assert table[evidence_col].str.len().gt(0).any()
    assert len(Library(url).list_corpora()) == stored


def test_upload_csv_confirm_mapping_timeline_spike_and_period(temp_library: str) -> None:
    at = _upload(_open(), "weibo.csv", _spiky_slice().to_csv(index=False).encode("utf-8"))
    assert at.selectbox(key="posts_map_text").value == "text"
    assert at.selectbox(key="posts_map_time").value == "timestamp"
    assert at.selectbox(key="posts_map_likes").value == "likes"
    assert Library(temp_library).list_corpora() == []  # nothing stored before the mapping is confirmed
    at.button(key="posts_confirm").click().run()
    _check_timeline(at, temp_library, stored=1)
    stored = Library(temp_library).list_corpora()[0]
    assert stored.mapping["columns"]["time"] == "timestamp" and stored.rows == len(_spiky_slice())


def test_upload_xlsx_gb18030_headers_and_changed_mapping(temp_library: str) -> None:
    frame = _spiky_slice()
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    at = _upload(
        _open(),
        "weibo.xlsx",
        buf.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert at.selectbox(key="posts_map_time").value == "timestamp"
    at.button(key="posts_confirm").click().run()
    _check_timeline(at, temp_library, stored=1)


def test_year_less_time_column_shows_the_assumed_year(temp_library: str) -> None:
    frame = _spiky_slice()[["text", "pub_time_raw", "likes"]]
    at = _upload(_open(), "yearless.csv", frame.to_csv(index=False).encode("gb18030"))
    assert at.selectbox(key="posts_map_time").value == "pub_time_raw"
    at.button(key="posts_confirm").click().run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "假设" in warnings  # the inferred year is stated as an assumption
    at.number_input(key="posts_year").set_value(2020)
    at.button(key="posts_confirm").click().run()
    assert not at.exception and not any("假设" in w.value for w in at.warning)
    assert "2020-01-25" in at.selectbox(key="posts_period").options


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("numbers.csv", b"id,value,when\n1,2,2020-01-01\n3,4,2020-01-02\n", "no_text_column"),
        ("empty_rows.csv", "内容,时间\n".encode(), "no_rows"),
        ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(400), "binary"),
        ("blank.csv", b"", "empty_file"),
    ],
    ids=["no-text-column", "zero-rows", "binary-renamed-csv", "empty"],
)
def test_bad_files_get_a_specific_message_and_store_nothing(
    temp_library: str, name: str, data: bytes, code: str
) -> None:
    at = _upload(_open(), name, data)
    errors = " ".join(e.value for e in at.error)
    assert t(f"posts.error.{code}", LANG) in errors, errors
    assert Library(temp_library).list_corpora() == []


def test_time_column_that_does_not_parse(temp_library: str) -> None:
    data = "内容,时间\n今天的发布会很及时,昨日傍晚\n物资迟迟不到太失望,不详\n".encode()
    at = _upload(_open(), "badtime.csv", data)
    at.button(key="posts_confirm").click().run()  # no time column detected: asked for one
    assert t("posts.error.no_time_column", LANG) in " ".join(e.value for e in at.error)
    at.selectbox(key="posts_map_time").set_value("时间")
    at.button(key="posts_confirm").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "时间" in errors and "没有能识别的时间" in errors, errors
    assert Library(temp_library).list_corpora() == []


def _fast_default() -> bool:
    try:
        return get_model("zh-default").name != "snownlp"
    except SentimentError:
        return False


@pytest.mark.skipif(
    not _fast_default(), reason="needs the fast default model (SnowNLP takes ~100 s on 3,001 posts)"
)
def test_sample_corpus_in_one_click(temp_library: str) -> None:
    at = _open("default")
    at.button(key="posts_sample").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert len(at.get("plotly_chart")) >= 2
    options = at.selectbox(key="posts_period").options
    assert options[0] == "2020-01-01" and options[-1] == "2020-05-31"
    # Every post counts (41 duplicates flagged, not dropped): no day of the sample's volume is an
    # outlier by the stated rule (the busiest reaches robust z 3.25 < 3.5), and the page says so.
    assert any(t("posts.report", LANG, rows=3001, posts=3001, scored=3001, emoticon=0, unscored=0, empty=0,
                 bad_time=0, dups=41, dropped=0, emptied=0) == c.value for c in at.caption)  # fmt: skip
    assert t("posts.no_spikes", LANG) in [i.value for i in at.info]
    at.segmented_control(key="posts_freq").set_value("W").run()
    assert not at.exception
    assert Library(temp_library).list_corpora() == []  # the sample is not copied into the library


def _report_line(scored: int, dropped: int, emoticon: int) -> str:
    return t(
        "posts.report", LANG, rows=20, posts=scored, scored=scored, emoticon=emoticon, unscored=0, empty=0,
        bad_time=0, dups=9, dropped=dropped, emptied=0,
    )  # fmt: skip


def test_every_post_counted_and_coordinated_posting_listed(temp_library: str) -> None:
    """Duplicates stay in the volume; the same text from 3+ authors within an hour is listed."""
    start = pd.Timestamp("2020-03-01 09:00")
    rows = [
        ("全力支持召回,安全第一!", str(start + pd.Timedelta(minutes=4 * i)), f"账号{i}") for i in range(5)
    ]
    rows += [("[汗]", str(start + pd.Timedelta(hours=2 * i)), f"网友{i}") for i in range(6)]
    own = [
        "提车三个月了，质量还行，没什么大问题",
        "售后响应太慢了，等了两周才有人联系",
        "价格偏贵，但是配置确实比同级别丰富",
        "外观很好看，路上回头率非常高的车型",
        "冬天续航掉得厉害，跑高速要多充几次",
        "座椅很舒服，长途开车也不觉得腰酸背痛",
        "车机偶尔卡顿，希望下次升级能够修好",
        "门店的客服很热情，试驾安排得很周到",
        "提车速度比预期快，从下单到交付一个月",
    ]
    rows += [(text, str(start + pd.Timedelta(hours=i)), f"路人{i}") for i, text in enumerate(own)]
    data = pd.DataFrame(rows, columns=["内容", "发布时间", "用户"]).to_csv(index=False).encode("utf-8")
    at = _upload(_open(), "campaign.csv", data)
    at.selectbox(key="posts_map_author").set_value("用户")
    assert at.checkbox(key="posts_clean_drop_duplicates").value is False  # every post counts by default
    at.button(key="posts_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    assert _report_line(20, 0, emoticon=6) in captions, captions  # the six "[汗]" by their emoticon
    coordinated = [d.value for d in at.dataframe if t("posts.coord.first_author", LANG) in d.value.columns]
    assert len(coordinated) == 1 and len(coordinated[0]) == 1
    hit = coordinated[0].iloc[0]
    assert hit[t("posts.coord.text", LANG)] == "全力支持召回,安全第一!"
    assert hit[t("posts.coord.n_authors", LANG)] == 5 and hit[t("posts.coord.first_author", LANG)] == "账号0"
    # The post tables say which posts repeat an earlier one.
    dup_col = t("posts.col.duplicate", LANG)
    flagged = [d.value for d in at.dataframe if dup_col in d.value.columns]
    assert flagged and any((tb[dup_col] == t("posts.dup.exact", LANG)).any() for tb in flagged)
    # Leaving duplicates out is an explicit choice, and its count is shown.
    at.checkbox(key="posts_clean_drop_duplicates").check()
    at.button(key="posts_confirm").click().run()
    assert not at.exception
    assert _report_line(11, 9, emoticon=1) in [c.value for c in at.caption]


def test_emoticon_only_reposts_and_unscored_posts_are_counted(temp_library: str) -> None:
    """Issue 17: a repost whose own words are an emoticon is a post, scored by its emoticon; a post
    with nothing to score is an unscored post. The posts metric, the report, the period's caption
    and its table all count them."""
    rows = [
        ("[话筒]//@央视新闻:【发布会】今天下午三点举行", "2020-03-01 09:00"),
        ("[怒]//@网友甲:太过分了", "2020-03-01 10:00"),
        ("[哈哈]", "2020-03-01 11:00"),
        ("[不存在的表情]//@网友乙:原文", "2020-03-01 12:00"),
        ("http://t.cn/A6abcd", "2020-03-01 13:00"),
        ("服务很好，非常满意", "2020-03-01 14:00"),
        ("太差了，再也不来了", "2020-03-02 09:00"),
    ]
    data = pd.DataFrame(rows, columns=["内容", "发布时间"]).to_csv(index=False).encode("utf-8")
    at = _upload(_open(), "reposts.csv", data)
    at.button(key="posts_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    report = t("posts.report", LANG, rows=7, posts=7, scored=5, emoticon=3, unscored=2, empty=0,
               emptied=1, bad_time=0, dups=0, dropped=0)  # fmt: skip
    assert report in [c.value for c in at.caption], [c.value for c in at.caption]
    metric = next(m for m in at.metric if m.label == t("posts.metric.posts", LANG))
    assert metric.value == "7"
    assert metric.proto.help == t("posts.metric.posts_help", LANG, n="5", unscored="2")
    # The busiest day is chosen: all six of its posts, two of them unscored, are listed.
    assert at.selectbox(key="posts_period").value == "2020-03-01"
    assert f"**{t('posts.period_posts', LANG, period='2020-03-01', n=6)}**" in [m.value for m in at.markdown]
    summary = t("posts.period_summary", LANG, posts=6, scored=4, unscored=2, p=2, u=1, n=1, nev="", polar="")
    assert any(c.value.startswith(summary.split(" · nev")[0]) for c in at.caption), summary
    evidence_col, label_col = t("posts.col.evidence", LANG), t("posts.col.label", LANG)
    [table] = [d.value for d in at.dataframe if evidence_col in d.value.columns]
    assert len(table) == 6
    labels = dict(zip(table[t("posts.col.text", LANG)], table[label_col], strict=True))
    assert labels["[话筒]//@央视新闻:【发布会】今天下午三点举行"] == t("label.neutral", LANG)
    assert labels["[怒]//@网友甲:太过分了"] == t("label.negative", LANG)
    assert labels["[不存在的表情]//@网友乙:原文"] == t("label.unscored", LANG)
    assert labels["http://t.cn/A6abcd"] == t("label.unscored", LANG)
    assert "[怒](-1.00)" in table[evidence_col].tolist()


def test_emotion_share_chart_and_the_spikes_emotion(temp_library: str) -> None:
    """Issue 18: the Posts page draws each emotion's share per period (names 喜怒哀惧惊恶无), says
    how many posts have no reading, and explains a spike by the emotion that rose most."""
    import json
    import re

    from analysis.corpus.captions import emotion_shift_text
    from analysis.corpus.ingest import detect_mapping
    from analysis.corpus.pipeline import CorpusOptions
    from analysis.corpus.view import CorpusAnalysis
    from analysis.emotion.labels import EMOTION_NAMES

    at = _upload(_open(), "weibo.csv", _spiky_slice().to_csv(index=False).encode("utf-8"))
    at.button(key="posts_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    title = t("posts.emotions.title", LANG)
    [emotion] = [s for s in specs if s["layout"]["title"]["text"] == title]
    assert [trace["name"] for trace in emotion["data"]] == list("喜怒哀惧惊恶无")
    assert [trace["name"] for trace in emotion["data"]] == list(EMOTION_NAMES["zh"].values())
    assert emotion["layout"]["barmode"] == "stack"
    # Every period with a reading stacks to 100%.
    periods = len(emotion["data"][0]["x"])
    totals = [sum(trace["y"][i] or 0 for trace in emotion["data"]) for i in range(periods)]
    assert all(abs(x - 1) < 1e-3 or x == 0 for x in totals) and any(totals)
    unread = re.compile(re.escape(t("posts.emotions.caption", LANG, unread="999")).replace("999", r"[\d,]+"))
    assert any(unread.fullmatch(c.value) for c in at.caption), [c.value for c in at.caption]
    # The spike of 2020-01-25 names the emotion that rose most against the other days (the same
    # reading as the page's, done here: the emotions do not depend on the sentiment model), or
    # says nothing when none did.
    frame = _spiky_slice()
    corpus = CorpusAnalysis.run(frame, CorpusOptions(detect_mapping(frame), model="fast"))
    shift = corpus.emotion_shift("D", pd.Timestamp("2020-01-25"))
    markdown = [m.value for m in at.markdown]
    if shift is not None:
        assert emotion_shift_text(shift, LANG) in markdown
    assert not [m for m in markdown if m.startswith(t("posts.spike.emotion_rose", LANG).split("{")[0])][1:]
    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    [emotion] = [s for s in specs if s["layout"]["title"]["text"] == t("posts.emotions.title", "en")]
    assert [trace["name"] for trace in emotion["data"]] == list(EMOTION_NAMES["en"].values())
