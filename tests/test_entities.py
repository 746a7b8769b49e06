"""Entities (issue 13): the alias table, detection, clause-level attribution, per-entity numbers
traceable to sentences, the posts table with share of voice, and the jieba hook."""

from __future__ import annotations

import csv
import itertools
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from analysis.corpus.captions import totals_by_entity
from analysis.entities import (
    DEFAULT_TABLE_PATH,
    EMOTION_COUNT_COLUMNS,
    EMOTION_POSTS_COLUMNS,
    ENTITY_TYPES,
    POSTS_COLUMNS,
    EntityAccumulator,
    EntityTableError,
    Mention,
    article_entities,
    attribute,
    check_alias,
    default_table,
    emotion_mix_of,
    entity_dict,
    entity_rows,
    find_known,
    find_mentions,
    load_table,
    parse_table,
    posts_entities,
    share_of_voice,
    split_clauses,
    valid_aliases,
)
from analysis.errors import OpinionLensError
from analysis.metrics import summarize_counts, summarize_labels
from analysis.records import Sentence
from tests.dashboard_fixtures import make_analysis, make_emotion_analysis

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
GOLD = ROOT / "tests" / "data" / "entities" / "entity_sentiment_gold.csv"


def names(text: str, **kw) -> list[tuple[str, str]]:
    return [(m.text, m.name) for m in find_mentions([text], **kw)[0]]


def keyword_scorer(texts: list[str]) -> list[str | None]:
    """A transparent stand-in for the model: rises are positive, falls negative."""
    out = []
    for t in texts:
        up = any(w in t for w in ("涨", "增长", "rose", "gained", "up "))
        down = any(w in t for w in ("跌", "下滑", "fell", "slid", "dropped"))
        out.append("positive" if up and not down else "negative" if down and not up else "neutral")
    return out


# --- the table -----------------------------------------------------------------------------------


def test_shipped_table_is_valid_and_has_what_the_issue_names() -> None:
    table = load_table()
    assert len(table) >= 200
    assert {e.type for e in table.entities.values()} <= set(ENTITY_TYPES)
    for e in table.entities.values():
        assert e.name in e.aliases
        assert e.parent is None or e.parent in table
        assert e.case_sensitive <= set(e.aliases)
    expect = {
        "小米": ("company", ["小米集团", "Xiaomi"]),
        "雷军": ("person", ["Lei Jun"]),
        "小米SU7": ("product", ["SU7"]),
        "特斯拉": ("company", ["Tesla"]),
        "比亚迪": ("company", ["BYD"]),
        "蔚来": ("company", ["NIO"]),
        "理想汽车": ("company", ["Li Auto"]),
        "小鹏汽车": ("company", ["XPeng"]),
        "华为": ("company", ["Huawei"]),
        "问界": ("company", ["AITO"]),
        "苹果": ("company", ["Apple"]),
        "工信部": ("organisation", ["MIIT"]),
        "市场监管总局": ("organisation", ["SAMR"]),
        "证监会": ("organisation", ["CSRC"]),
        "恒生指数": ("index", ["Hang Seng Index"]),
    }
    for name, (kind, aliases) in expect.items():
        e = table.get(name)
        assert e is not None and e.type == kind, name
        for a in aliases:
            assert table.resolve(a) is e, a
    # the car unit is its own entity, rolled up to the group through `parent`
    assert table.get("小米汽车").parent == "小米"
    assert table.root("小米SU7") == "小米"
    assert table.resolve("YU7").name == "小米YU7"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"entities": "x"}, '"entities" list'),
        ({"entities": [{"name": "A", "type": "brand"}]}, "type 'brand'"),
        ({"entities": [{"type": "company"}]}, 'no "name"'),
        ({"entities": [{"name": "A", "type": "company", "aliases": [""]}]}, "non-empty strings"),
        (
            {
                "entities": [
                    {"name": "A", "type": "company", "aliases": ["X"]},
                    {"name": "B", "type": "company", "aliases": ["x"]},
                ]
            },
            "also belongs to 'A'",
        ),
        ({"entities": [{"name": "A", "type": "company", "parent": "Z"}]}, "parent 'Z'"),
        ({"entities": [{"name": "A", "type": "company"}], "blockers": ["a"]}, "blocker 'a'"),
        ({"entities": [{"name": "A", "type": "company", "colour": "red"}]}, "unknown field"),
        ({"entities": [{"name": "A", "type": "company"}, {"name": "A", "type": "person"}]}, "used twice"),
    ],
)
def test_malformed_tables_raise_a_clear_error(data: dict, fragment: str) -> None:
    with pytest.raises(EntityTableError) as info:
        parse_table(data, "t.json")
    assert isinstance(info.value, OpinionLensError)
    assert info.value.code == "entity_table"
    assert fragment in str(info.value) and "t.json" in str(info.value)


def test_unreadable_or_broken_files_raise(tmp_path: Path) -> None:
    with pytest.raises(EntityTableError, match="cannot read"):
        load_table(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(EntityTableError, match="not valid JSON"):
        load_table(bad)


def test_user_aliases_join_create_and_remap() -> None:
    table = load_table(
        extras=[("理想", "理想汽车", "company"), ("米哥", "雷军", "person"), ("Acme", "Acme Corp", "company")]
    )
    assert table.resolve("理想").name == "理想汽车"
    assert table.resolve("米哥").name == "雷军"
    assert table.get("Acme Corp").user
    assert [m.name for m in table.find("理想L9和Acme都不错")] == ["理想汽车", "Acme Corp"]
    # re-mapping an alias takes it from its old entity
    moved = load_table(extras=[("SU7", "小米汽车", "company")])
    assert moved.resolve("SU7").name == "小米汽车"
    assert "SU7" not in moved.get("小米SU7").aliases
    with pytest.raises(EntityTableError, match="is a company"):
        load_table(extras=[("小米公司", "小米", "person")])
    with pytest.raises(EntityTableError, match="expected"):
        load_table(extras=[("only two", "fields")])  # type: ignore[list-item]
    # cached per set of extras; the shipped table is unchanged
    assert default_table([("理想", "理想汽车", "company")]) is default_table(
        [("理想", "理想汽车", "company")]
    )
    assert default_table().resolve("理想") is None


# --- detection -----------------------------------------------------------------------------------


def test_known_aliases_longest_match_and_boundaries() -> None:
    assert names("小米销量大涨，而特斯拉下滑") == [("小米", "小米"), ("特斯拉", "特斯拉")]
    assert names("雷军说小米SU7和YU7都很好", detect=False) == [
        ("雷军", "雷军"),
        ("小米SU7", "小米SU7"),
        ("YU7", "小米YU7"),
    ]
    # English case-insensitive on word boundaries; case-sensitive aliases as written
    assert names("XIAOMI and xiaomi rose; Lei  Jun spoke", detect=False) == [
        ("XIAOMI", "小米"),
        ("xiaomi", "小米"),
        ("Lei  Jun", "雷军"),
    ]
    assert names("an apple a day; Apple fell", detect=False) == [("Apple", "苹果")]
    assert names("SU70 and XSU7 are not cars", detect=False) == []
    # blockers and URLs hide aliases
    assert names("小米粥和红苹果，京东方面辟谣", detect=False) == []
    assert names("see http://m.weibo.cn/1 for 微博", detect=False) == [("微博", "微博")]
    # a company alias takes a corporate suffix as written
    assert names("Microsoft Corp and 华为技术有限公司", detect=False) == [
        ("Microsoft Corp", "微软"),
        ("华为技术有限公司", "华为"),
    ]


def test_detected_names_are_marked_detected_and_never_overlap_known() -> None:
    texts = [
        "Nokia's sales rose, while Elcoteq Network Corp said profit fell in Tallinn.",
        "Elcoteq will cut jobs.",
        "Operating profit rose to EUR13 .1 m in January-August.",
        "据新华社报道，国家卫健委主任马晓伟表示，湖北省卫健委将通报疫情。",
    ]
    found = find_mentions(texts)
    by = [{m.text: m for m in ms} for ms in found]
    assert by[0]["Nokia"].kind == "known"
    assert (
        by[0]["Elcoteq Network Corp"].kind == "detected" and by[0]["Elcoteq Network Corp"].type == "company"
    )
    assert by[0]["Tallinn"].kind == "detected"
    assert "Elcoteq" in by[1]  # at a sentence start, but it recurs in the document
    assert by[2] == {}  # amounts and month ranges are not names
    assert by[3]["马晓伟"].kind == "detected" and by[3]["马晓伟"].type == "person"
    assert by[3]["国家卫健委"].kind == "known"
    # a place followed by an institution is one organisation, not the place
    assert by[3]["湖北省卫健委"].type == "organisation" and "湖北省" not in by[3]
    assert find_mentions(["Elcoteq will cut jobs."])[0] == []  # a lone sentence start is not trusted
    for ms in found:
        spans = sorted((m.start, m.end) for m in ms)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


# --- clauses and attribution ---------------------------------------------------------------------


def test_split_clauses_on_contrast_markers_and_semicolons() -> None:
    def split(t: str) -> list[str]:
        return [c.text for c in split_clauses(t)]

    assert split("小米销量大涨，而特斯拉下滑") == ["小米销量大涨", "而特斯拉下滑"]
    assert split("小米销量大涨，特斯拉却下滑") == ["小米销量大涨", "特斯拉却下滑"]
    assert split("小米销量大涨，但是蔚来下滑；理想持平") == ["小米销量大涨", "但是蔚来下滑", "理想持平"]
    assert split("虽然小米销量大涨，特斯拉下滑") == ["虽然小米销量大涨", "特斯拉下滑"]
    assert split("Nokia's sales rose but Ericsson's fell; Apple was flat.") == [
        "Nokia's sales rose",
        "but Ericsson's fell",
        "Apple was flat.",
    ]
    assert split("Nokia rose, while Ericsson fell.") == ["Nokia rose", "while Ericsson fell."]
    # plain commas and 而且 / 不但 do not split; 冷却 is not 却
    assert split("小米销量大涨，华为也涨了") == ["小米销量大涨，华为也涨了"]
    assert split("不但小米涨了，而且华为也涨了") == ["不但小米涨了，而且华为也涨了"]
    assert split("电池冷却系统升级，小米发布") == ["电池冷却系统升级，小米发布"]
    text = "小米销量大涨，而特斯拉下滑"
    for c in split_clauses(text):
        assert text[c.start : c.end] == c.text


def test_contrast_sentence_gives_each_entity_its_clause() -> None:
    text = "小米销量大涨，而特斯拉下滑"
    mentions = find_mentions([text])[0]
    clause = attribute([(text, "positive", mentions)], keyword_scorer)[0]
    assert (
        clause["小米"].label == "positive" and clause["小米"].split and clause["小米"].span == "小米销量大涨"
    )
    assert clause["特斯拉"].label == "negative" and clause["特斯拉"].span == "而特斯拉下滑"
    # the baseline: no scorer, every entity gets the sentence label
    base = attribute([(text, "positive", mentions)], None)[0]
    assert {a.label for a in base.values()} == {"positive"} and not base["特斯拉"].split
    # an analyst-reviewed sentence keeps its label for every entity
    kept = attribute([(text, "neutral", mentions)], keyword_scorer, keep=[True])[0]
    assert {a.label for a in kept.values()} == {"neutral"}
    english = "Nokia's sales rose, while Ericsson's sales fell."
    en = attribute([(english, "neutral", find_mentions([english])[0])], keyword_scorer)[0]
    assert en["诺基亚"].label == "positive" and en["爱立信"].label == "negative"


def test_subject_carries_over_to_clauses_without_an_entity() -> None:
    text = "小米销量大涨，但利润下滑"
    got = attribute([(text, "neutral", find_mentions([text])[0])], keyword_scorer)[0]
    assert got["小米"].label == "neutral" and not got["小米"].split  # its span is the whole sentence
    text = "小米销量大涨，而特斯拉下滑，利润也跌了"
    got = attribute([(text, "neutral", find_mentions([text])[0])], keyword_scorer)[0]
    assert got["特斯拉"].span == "而特斯拉下滑，利润也跌了" and got["特斯拉"].label == "negative"
    calls: list[list[str]] = []

    def counting(texts: list[str]) -> list[str | None]:
        calls.append(texts)
        return [None] * len(texts)  # unscored clauses fall back to the sentence label

    got = attribute(
        [("小米涨，而特斯拉跌", "positive", find_mentions(["小米涨，而特斯拉跌"])[0])] * 3, counting
    )
    assert len(calls) == 1 and len(calls[0]) == 2  # one batched call, each span scored once
    assert all(a.label == "positive" for row in got for a in row.values())


# --- per entity over an article ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_analysis():
    from analysis.pipeline import analyze_text

    return analyze_text(SAMPLE.read_text(encoding="utf-8"), model="fast")


def test_sample_article_entities_trace_to_sentences(sample_analysis) -> None:
    entities = article_entities(sample_analysis)
    by = {e.name: e for e in entities}
    assert entities[0].name == "小米" and by["小米"].name_en == "Xiaomi" and by["小米"].kind == "known"
    assert by["雷军"].sentence_positions == (8,)
    sentences = {s.position: s for s in sample_analysis.sentences}
    for e in entities:
        assert e.mentions == len(e.sentences) == len(set(e.sentence_positions))
        assert e.sentiment == summarize_labels(s.label for s in e.sentences)
        for s in e.sentences:
            assert any(surface in sentences[s.position].text for surface in s.surfaces)
            assert s.sentence_label == sentences[s.position].label
            if not s.split:
                assert s.label == s.sentence_label
    xiaomi = by["小米"]
    assert xiaomi.sentence_positions == tuple(
        s.position for s in sample_analysis.sentences if "Xiaomi" in s.text
    )
    record = entity_dict(xiaomi)
    json.dumps(record)
    assert record["sentiment"]["n"] == xiaomi.sentiment.n
    assert record["sentence_positions"] == list(xiaomi.sentence_positions)


def test_article_entities_clause_level_against_baseline(sample_analysis) -> None:
    base = sample_analysis.sentences[0]
    made = [
        replace(
            base, text="小米销量大涨，而特斯拉下滑。", position=0, lang="zh", label="positive", evidence=()
        ),
        replace(base, text="特斯拉股价大跌。", position=1, lang="zh", label="negative", evidence=()),
        replace(base, text="小米发布新车。", position=2, lang="zh", label=None, evidence=()),
    ]
    doc = replace(sample_analysis.document, core_viewpoint=None, groups=())
    analysis = replace(sample_analysis, document=doc)
    doc_sentences = tuple(made)
    analysis = _with_sentences(analysis, doc_sentences)
    clause = {e.name: e for e in article_entities(analysis, scorer=keyword_scorer)}
    baseline = {e.name: e for e in article_entities(analysis, clause_level=False)}
    assert clause["特斯拉"].sentiment == summarize_counts(0, 0, 2)
    assert baseline["特斯拉"].sentiment == summarize_counts(1, 0, 1)
    assert clause["小米"].sentiment == summarize_counts(1, 0, 0, unscored=1)
    assert clause["小米"].mentions == 2 and clause["小米"].sentence_positions == (0, 2)
    rolled = {e.name for e in article_entities(analysis, scorer=keyword_scorer, rollup=True)}
    assert rolled == {"小米", "特斯拉"}


def _with_sentences(analysis, sentences: tuple[Sentence, ...]):
    from analysis.records import Bullet, Group

    group = Group(1, "t", (Bullet("x", (), sentences),))
    return replace(analysis, document=replace(analysis.document, groups=(group,)))


# --- posts ---------------------------------------------------------------------------------------


def posts_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": [
                "小米SU7太好了，小米加油",
                "特斯拉降价，小米跟进",
                "比亚迪销量第一",
                "小米粥真好喝",
                "Xiaomi and Tesla both fell",
                None,
                "雷军直播",
            ],
            "label": ["positive", "negative", "positive", "neutral", None, "neutral", "positive"],
            "period": pd.to_datetime(["2025-10-01"] * 4 + ["2025-10-02"] * 3),
        }
    )


def test_posts_table_columns_counts_and_share_of_voice() -> None:
    out = posts_entities(posts_frame())
    assert tuple(out.columns) == POSTS_COLUMNS
    day1 = out[out["period"] == pd.Timestamp("2025-10-01")].set_index("entity")
    # 小米 twice in one post counts once; 小米粥 is millet porridge
    assert (
        day1.loc["小米", "mentions"] == 2
        and day1.loc["小米", "positive"] == 1
        and day1.loc["小米", "negative"] == 1
    )
    assert day1.loc["小米SU7", "mentions"] == 1
    assert set(day1.index) == {"小米", "小米SU7", "特斯拉", "比亚迪"}
    day2 = out[out["period"] == pd.Timestamp("2025-10-02")].set_index("entity")
    assert (
        day2.loc["小米", "mentions"] == 1
        and day2.loc[["小米"], ["positive", "neutral", "negative"]].sum().sum() == 0
    )
    assert pd.isna(day2.loc["小米", "nev"])  # unscored only: no NEV
    for p, n, neg, nev in out[["positive", "neutral", "negative", "nev"]].itertuples(index=False):
        expected = summarize_counts(int(p), int(n), int(neg)).nev
        assert (pd.isna(nev) and expected is None) or nev == pytest.approx(expected)
    sums = out.groupby("period")["share_of_voice"].sum()
    assert sums.to_numpy() == pytest.approx([1.0, 1.0])
    assert day1.loc["小米", "share_of_voice"] == pytest.approx(2 / 5)
    rolled = posts_entities(posts_frame(), rollup=True)
    assert set(rolled["entity"]) == {"小米", "特斯拉", "比亚迪"}
    assert rolled.groupby("period")["share_of_voice"].sum().to_numpy() == pytest.approx([1.0, 1.0])


def test_posts_in_chunks_equal_one_pass_and_competitor_sets() -> None:
    frame = posts_frame()
    acc = EntityAccumulator()
    for start in range(0, len(frame), 3):
        part = frame.iloc[start : start + 3]
        acc.add(part["text"], part["label"], part["period"])
    pd.testing.assert_frame_equal(acc.result(), posts_entities(frame))
    subset = share_of_voice(posts_entities(frame), ["小米", "特斯拉"])
    assert set(subset["entity"]) == {"小米", "特斯拉"}
    assert subset.groupby("period")["share_of_voice"].sum().to_numpy() == pytest.approx([1.0, 1.0])
    empty = posts_entities(frame.iloc[:0])
    assert tuple(empty.columns) == POSTS_COLUMNS and empty.empty
    with pytest.raises(EntityTableError, match="no column 'when'"):
        posts_entities(frame, period="when")


# --- jieba hook and thread safety ------------------------------------------------------------------


def test_jieba_hook_adds_table_names_to_our_tokenizer_only() -> None:
    code = r"""
import jieba, jieba.posseg
from analysis.entities import default_table, find_mentions
from analysis.text import keywords
assert not jieba.dt.initialized
find_mentions(["问界M9和鸿蒙智行都卖得好，马晓伟说"])
tok = keywords.tokenizer()
words = default_table().jieba_words()
missing = [w for w, _ in words if not tok.FREQ.get(w)]
assert not missing, missing[:5]
assert {w for w, _ in words} <= {w for w, _ in keywords._entity_words()}
assert "问界M9" in tok.lcut("问界M9和鸿蒙智行") and "鸿蒙智行" in tok.lcut("问界M9和鸿蒙智行")
# jieba's global tokenizer was never initialised nor given our words, nor its global POS tagger
assert not jieba.dt.initialized and "问界M9" not in jieba.dt.FREQ
assert not jieba.dt.user_word_tag_tab
assert "问界M9" not in jieba.posseg.dt.word_tag_tab and "鸿蒙智行" not in jieba.posseg.dt.word_tag_tab
print("ok")
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_first_load_is_thread_safe_with_eight_threads() -> None:
    code = r"""
import threading
import analysis.entities as ent
from analysis.text import keywords
assert ent.table._default_table.loaded() == 0
assert keywords._build_tokenizer.loaded() == 0  # nothing heavy at import
barrier = threading.Barrier(8)
results, errors = [], []
def work():
    try:
        barrier.wait()
        table = ent.default_table()
        found = ent.find_mentions(["小米销量大涨，而特斯拉下滑，马晓伟表示"], table)[0]
        results.append((id(table), tuple((m.text, m.kind) for m in found)))
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=work) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
assert not errors, errors
assert len(results) == 8 and len(set(results)) == 1, set(results)
assert ent.table._default_table.loaded() == 1
assert ent.detect._pos_tokenizer.loaded() == 1
assert keywords._build_tokenizer.loaded() == 1
print(results[0][1])
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert "('小米', 'known')" in proc.stdout and "('马晓伟', 'detected')" in proc.stdout


def test_find_known_is_the_table_matcher() -> None:
    text = "恒指和沪指双双上涨，证监会表态"
    assert [m.name for m in find_known(text)] == ["恒生指数", "上证指数", "证监会"]
    assert all(isinstance(m, Mention) and m.kind == "known" for m in find_known(text))


def test_scan_finds_what_the_whole_table_pattern_finds() -> None:
    """`scan` tries only the sub-pattern of each candidate's first character (a set lookup for a
    sentence, the numpy prefilter for a post); it must find exactly the leftmost-longest matches
    of the whole table's one pattern, on short and long texts in both languages."""
    matcher = default_table()._matcher
    sample = (ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt").read_text(encoding="utf-8")
    texts = [line for line in sample.splitlines() if line.strip()]
    texts += [sample, "Xiaomi and xiaomi SU7; SU70 is not SU7. 小米SU7在北京", "雷军 说", "a"]
    texts += [sample[i : i + n] for i in range(0, 3000, 97) for n in (12, 63, 64, 200)]
    found = 0
    for text in texts:
        whole = [(m.start(), m.end(), m.group()) for m in matcher.regex.finditer(text)]
        assert matcher.scan(text) == whole, text[:80]
        found += len(whole)
    assert found > 30  # the texts do name the table's entities


# --- the measured test set -------------------------------------------------------------------------


def test_gold_set_is_complete_and_sourced() -> None:
    with GOLD.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 300
    assert {r["lang"] for r in rows} == {"zh", "en"}
    assert sum(r["lang"] == "zh" for r in rows) >= 100 and sum(r["lang"] == "en" for r in rows) >= 100
    contrast = 0
    for r in rows:
        assert r["source"] and r["licence"], r["id"]
        gold = json.loads(r["entities"])
        for g in gold:
            assert g["text"] in r["text"] and g["sentiment"] in ("positive", "neutral", "negative")
        if r["contrast"] == "1":
            contrast += 1
            assert {"positive", "negative"} <= {g["sentiment"] for g in gold}
    assert contrast >= 20
    assert len({r["text"] for r in rows}) == len(rows)
    assert DEFAULT_TABLE_PATH.exists()


# --- user aliases --------------------------------------------------------------------------------


def test_a_new_alias_is_checked_against_the_table_and_the_stored_aliases() -> None:
    assert check_alias(" the  founder ", "Lei Jun", None) == (("the founder", "雷军", "person"), None)
    assert check_alias("OTA updates", "OTA", "product") == (("OTA updates", "OTA", "product"), None)
    with pytest.raises(EntityTableError) as err:
        check_alias("OTA updates", "OTA", None)
    assert (err.value.code, err.value.fields) == ("alias_need_type", {"canonical": "OTA"})
    with pytest.raises(EntityTableError) as err:
        check_alias("xiaomi", "小米", None)
    assert (err.value.code, err.value.fields) == ("alias_known", {"alias": "xiaomi", "canonical": "小米"})
    with pytest.raises(EntityTableError) as err:
        check_alias("  ", "小米", None)
    assert err.value.code == "alias_empty"
    with pytest.raises(EntityTableError) as err:  # 雷军 is a person in the table
        check_alias("Jun Fans", "雷军", "company")
    assert err.value.code not in ("alias_empty", "alias_need_type", "alias_known") and "person" in str(
        err.value
    )
    stored = [("Mi Auto", "小米汽车", "company")]
    item, previous = check_alias("mi auto", "小米", None, stored)  # re-mapped: it named 小米汽车 before
    assert item == ("mi auto", "小米", "company") and previous == "小米汽车"


def test_stored_aliases_the_table_refuses_are_skipped_not_fatal() -> None:
    good, bad = ("OTA updates", "OTA", "product"), ("Jun Fans", "雷军", "company")
    assert valid_aliases([good, bad]) == ((good,), (bad,))
    assert valid_aliases([good]) == ((good,), ())


# --- emotions (issue 18) ---------------------------------------------------------------------------

POST_EMOTIONS = ["joy", "anger", "joy", "neutral", None, "sadness", "joy"]  # aligned with posts_frame


class _FakeReader:
    """Stands in for the fast EmotionReader: anger for every text, and remembers what it read."""

    read: ClassVar[list[str]] = []

    def __init__(self, tier: str = "fast", **_: object) -> None:
        assert tier == "fast"

    def labels(self, texts: list[str], langs: list[str] | None = None) -> list[str | None]:
        _FakeReader.read.extend(texts)
        return ["anger" if t else None for t in texts]


def _emotion_counts(row: pd.Series) -> int:
    return int(sum(row[c] for c in EMOTION_COUNT_COLUMNS))


def test_posts_emotion_mix_from_the_posts_labels_adds_up() -> None:
    frame = posts_frame().assign(emotion=POST_EMOTIONS)
    out = posts_entities(frame, emotions=True)
    assert tuple(out.columns) == POSTS_COLUMNS + EMOTION_POSTS_COLUMNS
    assert out[list(POSTS_COLUMNS)].equals(posts_entities(frame))  # sentiment untouched
    day1 = out[out["period"] == pd.Timestamp("2025-10-01")].set_index("entity")
    # 小米: post 0 (joy, named twice: once) and post 1 (anger)
    assert (day1.loc["小米", "emotion_joy"], day1.loc["小米", "emotion_anger"]) == (1, 1)
    assert day1.loc["小米", "emotion"] == "joy"  # a tie goes to the first in EMOTIONS order
    assert day1.loc["比亚迪", "emotion_joy"] == 1
    day2 = out[out["period"] == pd.Timestamp("2025-10-02")].set_index("entity")
    assert _emotion_counts(day2.loc["小米"]) == 0 and pd.isna(day2.loc["小米", "emotion"])  # no reading
    # Every mention counted at most once; read posts exactly once.
    for _, row in out.iterrows():
        assert _emotion_counts(row) <= row["mentions"]
    # Unread: 小米 and 特斯拉 of the English post (no label).
    assert sum(_emotion_counts(r) for _, r in out.iterrows()) == out["mentions"].sum() - 2
    mix = emotion_mix_of(day1.loc["小米"])
    assert mix.n == 2 and mix.dominant() == day1.loc["小米", "emotion"]
    # In chunks, the same table.
    acc = EntityAccumulator(emotions=True)
    for start in range(0, len(frame), 3):
        part = frame.iloc[start : start + 3]
        acc.add(part["text"], part["label"], part["period"], part["emotion"])
    pd.testing.assert_frame_equal(acc.result(), out)
    empty = posts_entities(frame.iloc[:0], emotions=True)
    assert empty.empty and tuple(empty.columns) == POSTS_COLUMNS + EMOTION_POSTS_COLUMNS


def test_posts_without_labels_read_only_the_posts_naming_an_entity(monkeypatch: pytest.MonkeyPatch) -> None:
    import analysis.emotion

    _FakeReader.read = []
    monkeypatch.setattr(analysis.emotion, "EmotionReader", _FakeReader)
    frame = posts_frame()
    out = posts_entities(frame, emotions=True)
    naming = [
        "小米SU7太好了，小米加油",
        "特斯拉降价，小米跟进",
        "比亚迪销量第一",
        "Xiaomi and Tesla both fell",
        "雷军直播",
    ]
    assert sorted(_FakeReader.read) == sorted(naming)  # each once; 小米粥 and the empty post never read
    assert (out["emotion_anger"] == out["mentions"]).all() and set(out["emotion"]) == {"anger"}
    totals = totals_by_entity(out)
    assert (totals["emotion_anger"] == totals["mentions"]).all()
    assert set(totals["emotion"]) == {"anger"}


def test_totals_sum_the_emotion_counts_over_periods() -> None:
    out = posts_entities(posts_frame().assign(emotion=POST_EMOTIONS), emotions=True)
    totals = totals_by_entity(out).set_index("entity")
    for col in EMOTION_COUNT_COLUMNS:
        assert totals[col].sum() == out[col].sum()
    assert totals.loc["小米", "mentions"] == 3 and _emotion_counts(totals.loc["小米"]) == 2
    assert totals_by_entity(posts_entities(posts_frame())).columns.tolist()[-1] == "share_of_voice"


def test_article_entity_emotions_are_their_sentences_and_add_up() -> None:
    analysis = make_emotion_analysis()
    found = article_entities(analysis, clause_level=False, detect=False)
    by_position = {s.position: s.emotion for s in analysis.sentences}
    for e in found:
        assert e.emotions is not None
        assert e.emotions.n + e.emotions.unread == e.mentions  # each sentence once
        for s in e.sentences:
            reading = by_position[s.position]
            assert s.emotion == (reading.label if reading else None)
    assert entity_dict(found[0])["emotions"]["counts"]["joy"] == 1
    rows = entity_rows(found, "en")
    assert rows[0]["emotion"] == "joy" and rows[0]["emotion_joy"] == 1
    # Emotions not read: no mix, and the sentiment as before.
    plain = article_entities(make_analysis(), clause_level=False, detect=False)
    assert plain[0].emotions is None and entity_dict(plain[0])["emotions"] is None
    assert plain[0].sentiment == found[0].sentiment
