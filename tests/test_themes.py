"""Theme taxonomy, per-sentence themes, dominant themes, theme x sentiment, tokenizer, keywords."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import themes
from analysis.metrics import summarize_labels
from analysis.records import Sentence
from analysis.text import keywords as keywords_module
from analysis.text.keywords import extract_keywords, sentence_keywords, tokenizer
from analysis.themes import (
    dominant_themes,
    load_taxonomy,
    sentence_themes,
    stem,
    theme_scores,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"

# The seed's viewpoint groups, split into sentences by hand (group titles deliberately left out:
# themes must come from the sentences).
SEED_GROUPS: dict[int, list[str]] = {
    1: [
        "The negative public sentiment towards Xiaomi's car has reached 96%, with a net emotional value "
        "plummeting to -96%, indicating a severe backlash from users.",
        "Xiaomi's previous reputation for high value and fan culture in the smartphone market has not "
        "translated successfully into the automotive sector, leading to a major misstep.",
    ],
    2: [
        "The company attempted to apply the fast-paced smartphone development model to the automotive "
        "industry, which is fundamentally different and requires a longer development cycle of five to "
        "seven years for safety and reliability.",
        "Xiaomi's ambitious goals, such as producing 200,000 vehicles by 2024, are unrealistic given the "
        "complexities of automotive manufacturing.",
    ],
    3: [
        "Consumers expect safety and reliability in vehicles, contrasting with the higher tolerance for "
        "issues in smartphones, which can be easily replaced or updated.",
        "The company's reliance on OTA updates instead of physical recalls has angered consumers, who "
        "prioritize safety over technological convenience.",
    ],
    4: [
        "The prolonged silence from Xiaomi's leadership during crises has been criticized, with "
        "comparisons drawn to other automakers that respond promptly to issues.",
        "The concentration of pressure on the founder, Lei Jun, without a broader leadership response has "
        "been seen as a significant flaw in crisis management.",
    ],
    5: [
        "The article emphasizes that the era of treating automotive manufacturing like a fast-paced tech "
        "industry should end, as safety must be the primary standard in the automotive sector.",
        "The expectation is for Xiaomi to shift focus from marketing and public relations to producing "
        "genuinely safe and reliable vehicles.",
    ],
}
EXPECTED_DOMINANT = {
    1: {"trust"},
    2: {"production"},
    3: {"consumer", "safety"},
    4: {"leadership"},
    5: {"regulation"},
}

ZH_ARTICLE = (
    "小米汽车近日陷入舆论风波。多位车主在社交平台投诉，小米SU7在高速行驶中出现辅助驾驶突然退出的情况，"
    "随后发生碰撞事故。雷军在微博发文回应称，公司将全力配合调查，并通过OTA升级优化智驾系统。"
    "但不少消费者认为，用远程升级代替召回，难以消除安全隐患。业内人士指出，汽车行业的研发周期通常为"
    "五到七年，小米用手机的互联网思维造车，过于追求交付速度。今年前三季度，小米汽车交付量超过20万辆，"
    "但负面舆情占比一度达到96%。监管部门表示，将加快制定智能驾驶相关的行业标准，规范车企的宣传行为。"
    "雷军随后再次道歉，承诺小米汽车将免费为车主升级，并延长质保。"
)


def sentences_of(texts: list[str], labels: list[str | None] | None = None) -> list[Sentence]:
    labels = labels or [None] * len(texts)
    return [
        Sentence(text=t, position=i, label=lab) for i, (t, lab) in enumerate(zip(texts, labels, strict=True))
    ]


# --- taxonomy ------------------------------------------------------------------------------------


def test_taxonomy_is_bilingual_and_complete() -> None:
    taxonomy = load_taxonomy()
    ids = [t.id for t in taxonomy]
    assert len(ids) == len(set(ids))
    required = {
        "trust",
        "safety",
        "production",
        "consumer",
        "leadership",
        "regulation",
        "marketing",
        "technology",
        "finance",
    }
    top_level = {t.id for t in taxonomy if t.parent is None}
    assert required <= top_level
    for theme in taxonomy:
        assert theme.name_en.strip() and theme.name_zh.strip(), theme.id
        assert re.search(r"[\u4e00-\u9fff]", theme.name_zh), theme.id
        assert theme.terms_en and theme.terms_zh, theme.id
        assert any(re.search(r"[\u4e00-\u9fff]", t) for t in theme.terms_zh), theme.id


def test_sub_themes_point_to_their_parent() -> None:
    by_id = {t.id: t for t in load_taxonomy()}
    subs = [t for t in by_id.values() if t.parent is not None]
    assert len(subs) >= 8  # enough structure for a treemap / sunburst
    for sub in subs:
        parent = by_id[sub.parent]
        assert parent.parent is None
        assert sub.id in parent.children
    assert {"safety.recalls", "safety.accidents", "safety.reliability"} <= set(by_id["safety"].children)


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (("recall", "recalls", "recalled", "recalling"), True),
        (("update", "updates", "updated", "updating"), True),
        (("company", "companies"), True),
        (("crisis", "crisis's"), True),
        (("marketing", "market"), False),
        (("standard", "standards"), True),
    ],
)
def test_light_stemmer(words: tuple[str, ...], same: bool) -> None:
    assert (len({stem(w) for w in words}) == 1) is same


# --- per-sentence themes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "also"),
    [
        ("Xiaomi recalled 30,000 SU7 cars over a braking defect.", "safety", {"safety.recalls"}),
        ("The recalls keep coming.", "safety", {"safety.recalls"}),
        ("小米宣布召回3万辆SU7，原因是制动系统存在缺陷。", "safety", {"safety.recalls"}),
        ("雷军在微博上道歉，并表示公司将承担责任。", "leadership", {"leadership.crisis"}),
        ("这是一次失败的危机公关。", "leadership", {"leadership.crisis"}),
        ("国家将出台更严格的安全标准。", "regulation", set()),
        ("Regulators said new industry standards for driver assistance are coming.", "regulation", set()),
        ("小米SU7的OTA升级改进了智驾功能。", "technology", set()),
        (
            "Deliveries were delayed again as the factory struggled with capacity.",
            "production",
            {"production.delivery"},
        ),
        ("车主等了半年还没提车，交付一再延期。", "production", {"production.delivery"}),
        ("The share price fell 5% after weak sales and a quarterly loss.", "finance", set()),
        ("营销话术和发布会上的宣传与实际不符。", "marketing", set()),
        ("粉丝对品牌的信任正在流失，口碑一落千丈。", "trust", {"trust.fandom"}),
        ("售后服务差，投诉无门，消费者很失望。", "consumer", {"consumer.service"}),
    ],
)
def test_sentence_themes(text: str, first: str, also: set[str]) -> None:
    found = sentence_themes(text)
    assert found and found[0] == first, found
    assert also <= set(found), found


def test_longest_term_wins_where_terms_overlap() -> None:
    # 危机公关 is crisis response, not marketing (公关); 安全标准 is regulation, not safety (安全)
    assert "marketing" not in sentence_themes("危机公关")
    assert "safety" not in sentence_themes("安全标准")
    assert "safety" not in sentence_themes("safety standards")


def test_parent_is_never_weaker_than_its_sub_theme() -> None:
    found = sentence_themes("A recall after an accident, and another recall.")
    assert found.index("safety") < found.index("safety.recalls")
    assert found.index("safety") < found.index("safety.accidents")
    assert found.index("safety.recalls") < found.index("safety.accidents")  # two recalls beat one accident


def test_no_themes_in_empty_or_unrelated_text() -> None:
    assert sentence_themes("") == ()
    assert sentence_themes("The weather was mild on Tuesday.") == ()
    assert sentence_themes("今天天气不错。") == ()


def test_latin_terms_inside_chinese_are_counted_once() -> None:
    strengths = dict((t, w) for t, w, _ in themes._sentence_theme_strengths("OTA"))
    assert strengths["technology"] == pytest.approx(1.5)  # OTA listed under zh and en terms, counted once


# --- dominant themes -----------------------------------------------------------------------------


@pytest.mark.parametrize("group", sorted(SEED_GROUPS))
def test_seed_groups_dominant_theme_from_sentences(group: int) -> None:
    dominant = dominant_themes(sentences_of(SEED_GROUPS[group]))
    assert dominant, group
    assert dominant[0] in EXPECTED_DOMINANT[group], (group, dominant)
    assert len(dominant) <= 2


def test_seed_groups_through_the_structure_parser() -> None:
    from analysis.structure import parse_document

    document = parse_document(SEED.read_text(encoding="utf-8"))
    assert len(document.groups) == 5
    for g in document.groups:
        assert dominant_themes(g.sentences)[0] in EXPECTED_DOMINANT[g.index], g.index


def test_dominant_themes_one_vote_per_sentence() -> None:
    # one sentence stuffed with finance words must not outweigh two plainly about safety
    texts = [
        "Revenue, profit, margins, the share price and market value all fell as sales slumped.",
        "The recall exposed a defect.",
        "Another recall followed the accident.",
    ]
    assert dominant_themes(sentences_of(texts), top=1) == ["safety"]
    assert dominant_themes(sentences_of(texts), top=1, level=1) == ["safety.recalls"]
    assert dominant_themes(sentences_of(texts), top=0) == []
    assert dominant_themes([], top=2) == []


# --- theme x sentiment ---------------------------------------------------------------------------


def test_theme_scores_match_summarize_labels() -> None:
    texts = [s for group in SEED_GROUPS.values() for s in group]
    labels: list[str | None] = ["negative", "negative", "neutral", "negative", "positive", "negative"]
    labels += ["negative", "negative", "neutral", None]
    sentences = sentences_of(texts, labels)
    scores = theme_scores(sentences)
    assert scores
    ns = [len(t.sentence_positions) for t in scores]
    assert ns == sorted(ns, reverse=True)
    for ts in scores:
        carriers = [s for s in sentences if ts.id in sentence_themes(s.text)]
        assert ts.sentence_positions == tuple(s.position for s in carriers)
        assert ts.sentiment == summarize_labels(s.label for s in carriers)
        assert ts.terms
        theme = themes.theme_by_id(ts.id)
        assert (ts.name_en, ts.name_zh) == (theme.name_en, theme.name_zh)
    by_id = {t.id: t for t in scores}
    assert "finance" not in by_id  # no sentence carries it
    # the leadership sentences are both negative here
    assert by_id["leadership"].sentiment.negative == 2
    assert "Lei Jun" in by_id["leadership"].terms


# --- tokenizer -----------------------------------------------------------------------------------


def test_tokenizer_keeps_names_whole() -> None:
    tokens = tokenizer().lcut("雷军表示小米汽车SU7将OTA升级")
    for name in ("雷军", "小米汽车", "SU7", "OTA"):
        assert name in tokens, tokens
    tokens = tokenizer().lcut("理想汽车、蔚来、问界、比亚迪、特斯拉、小鹏、零跑和极氪都在降价")
    for name in ("理想汽车", "蔚来", "问界", "比亚迪", "特斯拉", "小鹏", "零跑", "极氪"):
        assert name in tokens, tokens


def test_tokenizer_is_our_own_and_built_once() -> None:
    tok = tokenizer()
    assert isinstance(tok, jieba.Tokenizer)
    assert tok is not jieba.dt
    assert tokenizer() is tok


def test_prefix_dict_read_whole_equals_jiebas_own(tmp_path: Path) -> None:
    from analysis.text.keywords import _load_cached_prefix_dict

    reference = jieba.Tokenizer()
    reference.tmp_dir = str(tmp_path)
    assert not _load_cached_prefix_dict(reference)  # no cache yet: jieba builds and writes it
    reference.initialize()
    assert (tmp_path / "jieba.cache").is_file()

    fast = jieba.Tokenizer()
    fast.tmp_dir = str(tmp_path)
    assert _load_cached_prefix_dict(fast)
    assert fast.initialized and fast.total == reference.total and fast.FREQ == reference.FREQ
    assert fast.lcut("小米汽车陷入困境，问题出在哪") == reference.lcut("小米汽车陷入困境，问题出在哪")


@pytest.mark.parametrize("content", [b"", b"not marshal", b"\xe9\x00\x00\x00\x00"])
def test_unreadable_prefix_cache_falls_back_to_jieba(tmp_path: Path, content: bytes) -> None:
    from analysis.text.keywords import _load_cached_prefix_dict

    (tmp_path / "jieba.cache").write_bytes(content)
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(tmp_path)
    assert not _load_cached_prefix_dict(tok)
    assert not tok.initialized and tok.FREQ == {}


def test_nothing_heavy_loads_at_import() -> None:
    code = (
        "import sys, analysis.themes, analysis.structure, analysis.text.keywords as k\n"
        "assert k._build_tokenizer.loaded() == 0\n"
        "assert 'jieba.analyse' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


# --- keywords ------------------------------------------------------------------------------------


def assert_weights_ok(keywords: list) -> None:
    weights = [k.weight for k in keywords]
    assert all(0 < w <= 1 for w in weights)
    assert max(weights) == 1.0
    assert weights == sorted(weights, reverse=True)


def test_chinese_keywords() -> None:
    keywords = extract_keywords([ZH_ARTICLE], top=15)
    terms = [k.term for k in keywords]
    assert_weights_ok(keywords)
    assert terms[0] == "小米汽车"
    assert {"雷军", "OTA"} <= set(terms)
    for term in terms:
        assert term not in {"的", "了", "将", "表示", "认为", "今年"}
        assert not re.fullmatch(r"[\d.%万亿辆年]+|[一二两三四五六七八九十百千万到]+[年辆]?", term), term


def test_english_keywords() -> None:
    texts = [s for group in SEED_GROUPS.values() for s in group]
    keywords = extract_keywords(texts, top=20)
    terms = {k.term.lower() for k in keywords}
    assert_weights_ok(keywords)
    assert {"ota updates", "physical recalls", "lei jun", "crisis management"} <= terms
    stops = keywords_module._stop_words("en")
    for term in terms:
        assert term not in stops
        assert not re.search(r"\d", term)


def test_mixed_language_keywords_come_from_both() -> None:
    english = [s for group in SEED_GROUPS.values() for s in group]
    keywords = extract_keywords([ZH_ARTICLE, *english], top=30)
    assert_weights_ok(keywords)
    terms = {k.term for k in keywords}
    assert any(re.search(r"[\u4e00-\u9fff]", t) for t in terms)
    assert any(re.fullmatch(r"[A-Za-z][A-Za-z -]+", t) and " " in t for t in terms)


def test_keywords_edge_cases() -> None:
    assert extract_keywords([]) == []
    assert extract_keywords(["", "   "]) == []
    assert extract_keywords(["96% 2024 200,000"]) == []
    assert extract_keywords([ZH_ARTICLE], top=0) == []
    assert len(extract_keywords([ZH_ARTICLE], top=3)) == 3
    short = sentence_keywords(
        "The company's reliance on OTA updates instead of physical recalls angered consumers."
    )
    assert 1 <= len(short) <= 5
    assert "OTA updates" in short


def test_keyword_extraction_is_fast() -> None:
    tokenizer()
    extract_keywords(["预热"])  # load the IDF table once
    english = [s for group in SEED_GROUPS.values() for s in group]
    article = [*re.split(r"(?<=。)", ZH_ARTICLE * 4), *english]
    assert sum(len(t) for t in article) > 1500
    best = min(_timed(lambda: extract_keywords(article)) for _ in range(3))
    assert best < 0.05, f"{best * 1000:.1f} ms"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_long_input_themes_stay_linear() -> None:
    text = "The recall and the accident and the OTA update and the delivery delay. " * 2_000
    start = time.perf_counter()
    found = sentence_themes(text)
    assert time.perf_counter() - start < 3.0
    assert {"safety", "technology", "production"} <= set(found)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_sentence_themes_on_arbitrary_text(text: str) -> None:
    by_id = {t.id: t for t in load_taxonomy()}
    found = sentence_themes(text)
    assert len(found) == len(set(found))
    for theme_id in found:
        parent = by_id[theme_id].parent
        if parent is not None:  # a sub-theme always comes with its parent, ranked before it
            assert parent in found and found.index(parent) < found.index(theme_id)


def test_bad_term_weight_is_a_taxonomy_error() -> None:
    with pytest.raises(themes.TaxonomyError):
        themes._parse_term("recall^lots")
    assert themes._parse_term("reliab*^1.5") == ("reliab", 1.5, True)


def test_our_tfidf_weighs_exactly_as_jiebas_extractor() -> None:
    """keywords._Tfidf reads jieba's IDF table itself (importing jieba.analyse costs a second on a
    process's first article); its weights must be jieba's extract_tags, to the last bit."""
    import jieba.analyse

    from analysis.text import keywords

    ours = keywords._tfidf()
    reference = jieba.analyse.TFIDF()
    reference.tokenizer = keywords.tokenizer()
    reference.stop_words = set(reference.stop_words) | keywords._stop_words("zh") | keywords._stop_words("en")
    root = Path(__file__).resolve().parents[1]
    texts = [
        (root / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt").read_text(encoding="utf-8"),
        "小米汽车的 SU7 事故让雷军压力很大，the OTA update 也没有解决问题。" * 3,
        "恒指和沪指双双上涨，证监会表态支持资本市场平稳运行，投资者信心回升。",
        "",
    ]
    for text in texts:
        assert ours.extract_tags(text) == reference.extract_tags(text, topK=None, withWeight=True)
