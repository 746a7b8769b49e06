"""Numbers the article states (analysis/stated_numbers/): every kind in both languages, the
seed's figures, false positives."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.records import Figure, Sentence
from analysis.stated_numbers import (
    extract_figures,
    figures_in_text,
    parse_en_number,
    parse_zh_number,
    stated_sentiment,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"

SEED_SENTENCES = [
    "The negative public sentiment towards Xiaomi's car has reached 96%, with a net emotional value "
    "plummeting to -96%, indicating a severe backlash from users.",
    "The company attempted to apply the fast-paced smartphone development model to the automotive "
    "industry, which is fundamentally different and requires a longer development cycle of five to "
    "seven years for safety and reliability.",
    "Xiaomi's ambitious goals, such as producing 200,000 vehicles by 2024, are unrealistic given the "
    "complexities of automotive manufacturing.",
]


def only(text: str) -> Figure:
    found = figures_in_text(text)
    assert len(found) == 1, found
    return found[0]


def by_text(text: str) -> dict[str, Figure]:
    return {f.text: f for f in figures_in_text(text)}


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二十万", 200_000),
        ("一百零五", 105),
        ("两千", 2_000),
        ("十二", 12),
        ("十", 10),
        ("三千五百万", 35_000_000),
        ("1101亿", 110_100_000_000),
        ("52.99万", 529_900),
        ("1.2万", 12_000),
        ("二〇二四", 2024),
        ("九十六", 96),
        ("200,000", 200_000),
    ],
)
def test_parse_zh_number(text: str, value: float) -> None:
    assert parse_zh_number(text) == pytest.approx(value)


def test_parse_numbers_reject_non_numbers() -> None:
    assert parse_zh_number("小米") is None
    assert parse_zh_number("") is None
    assert parse_en_number("several") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("five", 5),
        ("seven", 7),
        ("twenty-five", 25),
        ("two hundred", 200),
        ("200,000", 200_000),
        ("1.5", 1.5),
    ],
)
def test_parse_en_number(text: str, value: float) -> None:
    assert parse_en_number(text) == pytest.approx(value)


# --- each kind, both languages --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit"),
    [
        ("Negative sentiment reached 96% this week.", "96%", 0.96, "%"),
        ("净情感值为-96%。", "-96%", -0.96, "%"),
        ("The stock fell 5.3 percent.", "5.3 percent", 0.053, "%"),
        ("好评率为百分之九十六。", "百分之九十六", 0.96, "%"),
        ("渗透率提升了3个百分点。", "3个百分点", 0.03, "percentage points"),
        ("Margins rose 2 percentage points.", "2 percentage points", 0.02, "percentage points"),
    ],
)
def test_percentages(text: str, figure: str, value: float, unit: str) -> None:
    f = by_text(text)[figure]
    assert f.kind == "percent"
    assert f.value == pytest.approx(value)
    assert f.unit == unit
    assert f.context == text


@pytest.mark.parametrize(
    ("text", "figure", "kind", "value", "unit"),
    [
        ("Xiaomi aims to produce 200,000 vehicles.", "200,000 vehicles", "count", 200_000, "vehicles"),
        ("The app has 1.2 million users.", "1.2 million users", "count", 1_200_000, "users"),
        ("The recall covers 30,000 electric cars.", "30,000 electric cars", "count", 30_000, "cars"),
        ("全年交付二十万辆。", "二十万辆", "count", 200_000, "vehicles"),
        ("今年交付超过20万辆。", "20万辆", "count", 200_000, "vehicles"),
        ("共有3位车主投诉。", "3位", "count", 3, "people"),
        ("Its market value reached 110.1 billion HKD.", "110.1 billion HKD", "money", 110.1e9, "HKD"),
        ("市值一度达到1101亿港元。", "1101亿港元", "money", 110.1e9, "HKD"),
        ("The company raised $2.5 billion.", "$2.5 billion", "money", 2.5e9, "USD"),
        ("YU7售价52.99万元。", "52.99万元", "money", 529_900, "CNY"),
        ("It costs HK$1,234.", "HK$1,234", "money", 1_234, "HKD"),
        ("The price is 299,900 yuan.", "299,900 yuan", "money", 299_900, "CNY"),
    ],
)
def test_counts_and_money(text: str, figure: str, kind: str, value: float, unit: str) -> None:
    f = by_text(text)[figure]
    assert (f.kind, f.unit) == (kind, unit)
    assert f.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "figure", "low", "high", "unit"),
    [
        ("It needs five to seven years.", "five to seven years", 5, 7, "years"),
        ("研发周期通常为五到七年。", "五到七年", 5, 7, "years"),
        ("整改需要3个月。", "3个月", 3, None, "months"),
        ("Owners waited 18 months.", "18 months", 18, None, "months"),
        ("Delivery takes 2-3 weeks.", "2-3 weeks", 2, 3, "weeks"),
        ("等了两个多月才提车。", "两个多月", 2, None, "months"),
    ],
)
def test_durations(text: str, figure: str, low: float, high: float | None, unit: str) -> None:
    f = by_text(text)[figure]
    assert (f.kind, f.unit) == ("duration", unit)
    assert f.value == pytest.approx(low)
    assert f.value_high == (None if high is None else pytest.approx(high))


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit"),
    [
        ("Xiaomi wanted 200,000 vehicles by 2024.", "2024", 2024, "year"),
        ("小米计划到2025年实现盈利。", "2025年", 2025, "year"),
        ("2025年10月27日，雷军发文回应。", "2025年10月27日", None, "date"),
        ("On Oct 27, 2025 the shares fell.", "Oct 27, 2025", None, "date"),
        ("Published 2025-10-27 in Beijing.", "2025-10-27", None, "date"),
        ("Sales grew in 2023-2024.", "2023-2024", 2023, "year"),
    ],
)
def test_dates(text: str, figure: str, value: float | None, unit: str) -> None:
    f = by_text(text)[figure]
    assert (f.kind, f.unit) == ("date", unit)
    assert f.value == (None if value is None else pytest.approx(value))


def test_date_is_one_figure_not_a_year_and_more() -> None:
    assert [f.text for f in figures_in_text("2025年10月27日，雷军发文回应。")] == ["2025年10月27日"]


def test_year_range_keeps_both_ends() -> None:
    f = by_text("Sales grew in 2023-2024.")["2023-2024"]
    assert f.value_high == 2024


# --- meaning and stated sentiment ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "figure", "meaning"),
    [
        ("负面情绪占比高达96%，净情感值为-96%。", "96%", "negative sentiment share"),
        ("负面情绪占比高达96%，净情感值为-96%。", "-96%", "net emotional value"),
        ("Some 60% of comments were negative.", "60%", "negative sentiment share"),
        ("正面评价占比为30%。", "30%", "positive sentiment share"),
        ("Neutral posts made up 25% of the sample.", "25%", "neutral sentiment share"),
        ("Its market share fell to 3%.", "3%", "market share"),
        ("The company raised $2.5 billion.", "$2.5 billion", "funding"),
        ("研发周期通常为五到七年。", "五到七年", "development cycle"),
        ("今年交付超过20万辆。", "20万辆", "deliveries"),
    ],
)
def test_meaning_from_context(text: str, figure: str, meaning: str) -> None:
    assert by_text(text)[figure].meaning == meaning


def test_meaning_only_from_words_close_by() -> None:
    # 生产 in the name 新疆生产建设兵团 says nothing about the number of cases
    assert by_text("新疆生产建设兵团报告新增确诊病例12例。")["12例"].meaning is None


def test_negative_growth_is_not_a_sentiment_share() -> None:
    assert by_text("Revenue showed negative growth of 5% in the quarter.")["5%"].meaning is None


def test_net_emotional_value_as_a_bare_number() -> None:
    f = only("本周净情感值为-0.42。")
    assert (f.kind, f.value, f.meaning) == ("number", -0.42, "net emotional value")
    assert only("The net sentiment score was -35.").value == pytest.approx(-0.35)


def test_stated_sentiment() -> None:
    figures = figures_in_text("负面情绪占比96%，正面占比2%，净情感值为-0.94，后来负面占比升至98%。")
    assert stated_sentiment(figures) == {
        "negative_share": pytest.approx(0.96),
        "positive_share": pytest.approx(0.02),
        "nev": pytest.approx(-0.94),
    }
    assert stated_sentiment(figures_in_text("Sales rose 5% to 200,000 vehicles.")) == {}


# --- the seed ------------------------------------------------------------------------------------


def test_seed_required_figures() -> None:
    sentences = [Sentence(text=t, position=i + 1) for i, t in enumerate(SEED_SENTENCES)]
    figures = extract_figures(sentences, title="小米汽车陷入困境,问题出在哪?")
    found = {f.text: f for f in figures}
    assert found["96%"].meaning == "negative sentiment share"
    assert found["96%"].value == pytest.approx(0.96)
    assert found["-96%"].meaning == "net emotional value"
    assert found["-96%"].value == pytest.approx(-0.96)
    assert (found["200,000 vehicles"].value, found["200,000 vehicles"].unit) == (200_000, "vehicles")
    assert (found["2024"].kind, found["2024"].value) == ("date", 2024)
    years = found["five to seven years"]
    assert (years.kind, years.value, years.value_high, years.unit) == ("duration", 5, 7, "years")
    for f in figures:
        assert f.context in SEED_SENTENCES
        assert f.position == SEED_SENTENCES.index(f.context) + 1
    assert stated_sentiment(figures) == {"negative_share": 0.96, "nev": -0.96}
    assert len(figures) == 5  # nothing else in these sentences is a figure


def test_seed_through_the_structure_parser() -> None:
    from analysis.structure import parse_document

    document = parse_document(SEED.read_text(encoding="utf-8"))
    figures = extract_figures(document.sentences, title=document.title)
    texts = [f.text for f in figures]
    assert {"96%", "-96%", "200,000 vehicles", "2024", "five to seven years"} <= set(texts)
    assert not any(t in ("1", "2", "3", "4", "5") for t in texts)  # no group or citation numbers


def test_title_figures_have_no_position() -> None:
    figures = extract_figures([Sentence("Nothing here.", 0)], title="小米汽车交付20万辆")
    assert [(f.text, f.position, f.context) for f in figures] == [("20万辆", None, "小米汽车交付20万辆")]


# --- false positives -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Group 1: Trust and Public Sentiment",
        "第1组：信任与舆情",
        "The SU7 and YU7 are Xiaomi's models.",
        "See the discussion [1] and [3].",
        "Around 2019 nothing happened.",
        "He joined one team and a second one.",
        "一位车主表示不满。",
        "SU7起售价公布了吗？",
        "The 3000 in the code is an identifier.",
        "Year 3021 is not plausible.",
        "千万不要相信谣言。",
        "他捐出万元积蓄。",
    ],
)
def test_no_false_positives(text: str) -> None:
    assert figures_in_text(text) == []


def test_year_needs_plausible_range_and_context() -> None:
    assert [f.text for f in figures_in_text("By 2024 and by 2150.")] == ["2024"]
    assert [f.text for f in figures_in_text("In Q3 2025 sales rose.")] == ["2025"]


def test_empty_input() -> None:
    assert figures_in_text("") == []
    assert extract_figures([]) == []


# --- properties ----------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    for f in figures_in_text(text):
        assert f.text and f.text in text
        assert f.context == text


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=100), st.booleans())
def test_percent_value_round_trip(n: int, negative: bool) -> None:
    sign = "-" if negative else ""
    f = only(f"净情感值为{sign}{n}%")
    assert f.value == pytest.approx((-n if negative else n) / 100)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=2, max_value=99_999_999))
def test_chinese_counts_written_in_digits(n: int) -> None:
    f = only(f"共交付{n}辆")
    assert (f.value, f.unit) == (n, "vehicles")


@pytest.mark.parametrize(
    "text",
    ["一" * 20_000, "2024 " * 5_000, "$1 " * 5_000, "1 million " * 2_000, "1-" * 10_000, "一万" * 5_000],
    ids=["zh-numerals", "years", "dollars", "millions", "dashes", "wan"],
)
def test_long_pathological_input_stays_linear(text: str) -> None:
    # a regular expression that backtracks, or a pairwise overlap check, takes minutes here
    start = time.perf_counter()
    figures_in_text(text)
    assert time.perf_counter() - start < 3.0
