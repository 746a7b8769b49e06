"""Page furniture (issue 17): analysis.text.furniture on small invented snippets, one or more per
reason code, and on the fixtures of tests/fixtures/furniture (two real WeChat articles and two
modelled pages around real @央视新闻 posts; see the README there).

The fixtures' body line ranges are in spec.json, as scripts/benchmark_furniture.py reads them."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from scripts_loader import load_script

from analysis.records import Document
from analysis.structure import parse_document
from analysis.text.furniture import REASONS, block_key, separate_furniture

bench = load_script("benchmark_furniture")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "furniture"
SPEC: dict[str, list[int]] = json.loads((FIXTURES / "spec.json").read_text(encoding="utf-8"))
SAMPLE = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
CCTV_POSTS = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "corpora"
    / "weibo_cctvnews_2020"
    / "cctvnews_weibo_posts_2020H1.csv"
)

# -- invented snippets -------------------------------------------------------------------------------
TITLE = "小米汽车的十月：交付创新高，信任仍待修复"
PROSE = (
    "小米汽车在十月的交付量再创新高，公司管理层在业绩会上表示，产能爬坡的速度超出了市场此前的预期。",
    "不过，多位分析师提醒，新车型的质量问题仍需时间检验，消费者的信任一旦受损，修复起来并不容易。",
    "从行业层面看，价格战仍在持续，头部企业的利润率普遍承压，中小品牌的处境更加艰难，洗牌在所难免。",
    "对于小米而言，真正的考验在于能否在规模扩张的同时守住品质，这决定了品牌能否走得更远。",
    "有经销商透露，部分门店的到店客流在国庆后明显回落，观望情绪比上半年更浓。",
    "业内人士认为，明年的竞争只会更加激烈，能否稳住口碑将直接影响销量的走势。",
)


def article(head: tuple[str, ...] = (), middle: tuple[str, ...] = (), tail: tuple[str, ...] = ()) -> str:
    """The title, `head` lines, three paragraphs, `middle` lines, three paragraphs, `tail` lines."""
    lines = [TITLE, *head, ""]
    for p in PROSE[:3]:
        lines += [p, ""]
    lines += [*middle, ""] if middle else []
    for p in PROSE[3:]:
        lines += [p, ""]
    lines += list(tail)
    return "\n".join(lines)


# (id, text, reason, the block's text): every reason code has at least one case (checked below).
CASES = [
    ("original_label", article(head=("原创 张三 财经观察",)), "page_header", "原创 张三 财经观察"),
    (
        "account_line",
        article(head=("财经观察", "2025年10月27日 20:11")),
        "page_header",
        "财经观察",
    ),
    ("date_line_late", article(tail=("2025-10-27 20:11",)), "timestamp", "2025-10-27 20:11"),
    ("credit_line", article(head=("作者 | 李四  编辑 | 王五",)), "byline", "作者 | 李四  编辑 | 王五"),
    (
        "posted_by",
        article(head=("Edwards 发表于 2025年09月28日 20时29分",)),
        "byline",
        "Edwards 发表于 2025年09月28日 20时29分",
    ),
    ("head_image", article(head=("头图来源：视觉中国",)), "image_credit", "头图来源：视觉中国"),
    (
        "caption_under_image",
        article(middle=("![](factory.jpg)", "图为小米汽车北京工厂")),
        "image_credit",
        "图为小米汽车北京工厂",
    ),
    (
        "reprint_notice",
        article(tail=("本文为财经观察原创文章，转载请联系授权。",)),
        "notice",
        "本文为财经观察原创文章，转载请联系授权。",
    ),
    (
        "copyright_footer",
        article(tail=("Copyright © 2025 财经观察 版权所有",)),
        "notice",
        "Copyright © 2025 财经观察 版权所有",
    ),
    ("follow_prompt", article(tail=("点击上方蓝字关注我们",)), "call_to_action", "点击上方蓝字关注我们"),
    (
        "like_share",
        article(tail=("点赞、在看、分享，让更多人看到",)),
        "call_to_action",
        "点赞、在看、分享，让更多人看到",
    ),
    (
        "ask_in_a_sentence",
        article(tail=("喜欢这篇文章的话，请点赞、在看、分享给更多的朋友吧！",)),
        "call_to_action",
        "喜欢这篇文章的话，请点赞、在看、分享给更多的朋友吧！",
    ),
    (
        "qr_prompt",
        article(tail=("长按识别二维码，加入读者群",)),
        "call_to_action",
        "长按识别二维码，加入读者群",
    ),
    (
        "related_heading",
        article(tail=("相关阅读", "小米汽车三季度财报解读", "价格战下的新势力")),
        "link_list",
        "相关阅读\n小米汽车三季度财报解读\n价格战下的新势力",
    ),
    (
        "dense_links",
        article(
            tail=(
                "[小米汽车三季度财报解读](https://news.example.com/1) [价格战下的新势力](https://news.example.com/2)",
            )
        ),
        "link_list",
        "小米汽车三季度财报解读 价格战下的新势力",
    ),
    (
        "menu",
        article(head=("首页 | 新闻 | 财经 | 科技 | 汽车 | 视频",)),
        "navigation",
        "首页 | 新闻 | 财经 | 科技 | 汽车 | 视频",
    ),
    ("login", article(head=("登录 / 注册",)), "navigation", "登录 / 注册"),
    (
        "printed_twice",
        article(middle=("汽车频道精选",), tail=("汽车频道精选",)),
        "repeated",
        "汽车频道精选",
    ),
    (
        "promo_after_end",
        article(
            tail=(
                "— END —",
                "",
                "直播预告",
                "本周六晚八点，我们邀请三位行业专家做客直播间，聊聊新能源汽车的价格战，精彩不容错过！",
            )
        ),
        "after_end",
        "— END —\n直播预告\n本周六晚八点，我们邀请三位行业专家做客直播间，聊聊新能源汽车的价格战，精彩不容错过！",
    ),
]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_reason_code_has_a_case() -> None:
    assert {reason for _, _, reason, _ in CASES} == set(REASONS)


@pytest.mark.parametrize(("text", "reason", "block"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_kind_of_furniture_is_a_block_with_its_reason_and_the_prose_stays(
    text: str, reason: str, block: str
) -> None:
    doc = parse_document(text)
    found = [(b.reason, b.text) for b in doc.furniture]
    assert (reason, block) in found, found
    assert all(not b.counted for b in doc.furniture)
    counted = _norm("".join(s.text for s in doc.sentences))
    for p in PROSE:  # the article is all there
        assert _norm(p) in counted, p
    assert _norm(block.split("\n")[-1]) not in counted  # and the furniture is not
    assert doc.title == TITLE


PROSE_WITH_FURNITURE_WORDS = (
    "市场持续关注小米汽车的交付进度，多位分析师在报告中分享了他们的判断，相关观点也被多家媒体转载。",
    "这篇报道被大量转载，但其中关于电池安全的说法并没有得到官方证实，车主们的担忧并未消散。",
    "车主们在社交平台上分享了各自的用车体验，也有不少人开始关注售后服务的质量和配件的价格。",
    "版权问题一直困扰着内容平台，侵权诉讼的数量在过去一年明显增加，平台的审核成本随之上升。",
    "不少网友点赞、转发了这段视频，认为它真实反映了一线销售人员在价格战中的处境和压力。",
)


@pytest.mark.parametrize(
    "sentence", PROSE_WITH_FURNITURE_WORDS, ids=["关注分享转载", "转载", "分享关注", "版权侵权", "点赞转发"]
)
@pytest.mark.parametrize("where", ["middle", "end"])
def test_prose_that_mentions_follow_share_or_reprint_is_not_furniture(sentence: str, where: str) -> None:
    text = article(middle=(sentence,)) if where == "middle" else article(tail=(sentence,))
    separated = separate_furniture(text)
    assert separated.blocks == ()
    assert separated.body == text
    assert sentence in [s.text for s in parse_document(text).sentences]


def test_byline_fills_author_and_the_account_fills_source() -> None:
    head = ("原创 张三 财经观察", "财经观察 2025年10月27日 20:11 北京", "作者 | 李四  编辑 | 王五")
    doc = parse_document(article(head=head))
    assert doc.author == "李四"
    assert doc.source == "财经观察"  # the account; 北京 after the date is where, not who
    assert doc.published_at is not None and doc.published_at.strftime("%Y-%m-%d %H:%M") == "2025-10-27 20:11"
    assert {b.reason for b in doc.furniture} == {"page_header", "byline"}
    # A source line the text has wins over the account.
    named = parse_document(article(head=("来源：新浪财经", *head)))
    assert (named.source, named.author) == ("新浪财经", "李四")
    # No byline, no account: nothing invented.
    plain = parse_document(article())
    assert (plain.author, plain.furniture) == (None, ())


PROMO = (
    "— END —",
    "",
    "直播预告",
    "本周六晚八点，我们邀请三位行业专家做客直播间，聊聊新能源汽车的价格战，精彩不容错过！",
    "参与互动的读者有机会获得专家签名的新书一本，名额有限，先到先得。",
)


def test_count_in_keeps_the_block_and_lists_it_as_counted() -> None:
    text = article(head=("作者 | 李四",), tail=PROMO)
    before = parse_document(text)
    promo = next(b for b in before.furniture if b.reason == "after_end")
    byline = next(b for b in before.furniture if b.reason == "byline")
    after = parse_document(text, count_in=[promo.key])
    # Still listed, now counted; the other block is untouched.
    assert [(b.key, b.reason, b.counted) for b in after.furniture] == [
        (byline.key, "byline", False),
        (promo.key, "after_end", True),
    ]
    texts = [s.text for s in after.sentences]
    assert "参与互动的读者有机会获得专家签名的新书一本，名额有限，先到先得。" in texts
    assert len(after.sentences) >= len(before.sentences) + 2
    assert set(s.text for s in before.sentences) < set(texts)
    # A key that is not a block of this text changes nothing.
    assert parse_document(text, count_in=["0123456789ab"]).sentences == before.sentences
    # separate_furniture keeps the counted-in lines in the body, in place.
    separated = separate_furniture(text, count_in=frozenset({promo.key}))
    assert PROMO[3] in separated.body and "作者 | 李四" not in separated.body
    assert separated.body.index(PROSE[-1]) < separated.body.index(PROMO[3])


def test_block_keys_are_stable_hashes_of_the_block_text() -> None:
    text = article(tail=PROMO)
    first = parse_document(text).furniture
    assert [b.key for b in first] == [b.key for b in parse_document(text).furniture]  # re-analysis
    for b in first:
        assert b.key == block_key(b.text) and re.fullmatch(r"[0-9a-f]{12}", b.key)
    assert block_key("  点赞、在看 \n") == block_key("点赞、在看")
    # The same block elsewhere in the page, or in an edited article, keeps its key.
    longer = parse_document(
        article(middle=("新增的一段正文，说明交付数据的统计口径与上月保持一致。",), tail=PROMO)
    )
    moved = {b.key: b.line for b in longer.furniture}
    assert all(b.key in moved for b in first)
    assert any(moved[b.key] != b.line for b in first)
    # Another text, another key.
    assert block_key("更多阅读") != block_key("相关阅读")


# -- fixtures ----------------------------------------------------------------------------------------
# Reasons each fixture's furniture must show (it may show more).
EXPECTED_REASONS = {
    "wechat_xianyu_2018-01-01_coushu.md": {"after_end"},
    "wechat_xianyu_2018-02-06_yulun.md": {"page_header", "link_list", "after_end"},
    "wechat_modelled_cctvnews_2020-02-29.txt": {
        "page_header",
        "byline",
        "image_credit",
        "notice",
        "after_end",
        "call_to_action",
        "link_list",
    },
    "clipper_modelled_cctvnews_2020-03-01.md": {
        "navigation",
        "link_list",
        "call_to_action",
        "repeated",
        "notice",
    },
}
# Furniture text each fixture must list as not counted (one line of each block that matters).
EXPECTED_BLOCKS = {
    "wechat_xianyu_2018-01-01_coushu.md": ["2018衔瑜三连", "-文不加点的张衔瑜-"],
    "wechat_xianyu_2018-02-06_yulun.md": ["读完约需要1分钟", "-衔瑜文艺|好久不见-", "-文不加点的张衔瑜-"],
    "wechat_modelled_cctvnews_2020-02-29.txt": [
        "原创 林一 环球疫情观察",
        "作者 | 林一  编辑 | 周舟",
        "头图来源：视觉素材库",
        "本文为环球疫情观察原创文章，转载请联系本公众号授权。",
        "直播预告",
        "直播中还将解答读者最关心的出行和防护问题，干货满满，精彩不容错过！",
        "扫码预约",
        "点赞、在看、分享，让更多人看到",
        "更多阅读",
        "专家答疑：口罩应该怎么戴",
    ],
    "clipper_modelled_cctvnews_2020-03-01.md": [
        "首页 | 国内 | 国际 | 财经 | 科技 | 体育 | 视频",
        "登录 | 注册",
        "分享到：微信 微博 QQ空间",
        "相关阅读",
        "- 韩国确诊病例继续增加",
        "关于我们 | 联系我们 | 网站地图 | 广告服务",
        "京ICP备00000000号",
    ],
}
# The modelled fixtures' body paragraphs: real posts (weibo_url ids), in file order.
POSTS = {
    "wechat_modelled_cctvnews_2020-02-29.txt": [
        "IwoD91sJB",
        "IwoGcrBJs",
        "Iwpehfivh",
        "Iwr4AhgEW",
        "IwsGTvAVY",
        "Iwt01jcon",
        "Iwtcc31RH",
        "IwtfuujRC",
    ],
    "clipper_modelled_cctvnews_2020-03-01.md": [
        "Iwu7TvfRB",
        "IwuuGzugh",
        "IwuXdEyNN",
        "IwxEHk3Em",
        "IwxR9nb6V",
        "IwyOOEmdy",
    ],
}
FILES = sorted(SPEC)


def _raw(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8-sig")


def _parsed(name: str) -> Document:
    return parse_document(_raw(name))


def _body_paragraph_lines(name: str) -> list[int]:
    """1-based numbers of the body's paragraph lines (the posts), for the modelled fixtures."""
    first, last = SPEC[name]
    lines = _raw(name).split("\n")
    return [n for n in range(first, last + 1) if len(lines[n - 1]) >= 40]


def test_spec_lists_every_fixture_and_the_readme_names_each() -> None:
    on_disk = {p.name for p in FIXTURES.iterdir()} - {"spec.json", "README.md"}
    assert set(SPEC) == on_disk and set(EXPECTED_REASONS) == on_disk
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for name in on_disk:
        assert name in readme
    for name, (first, last) in SPEC.items():
        assert 1 <= first <= last <= len(_raw(name).split("\n")), name


@pytest.mark.parametrize("name", FILES)
def test_fixture_furniture_is_listed_as_not_counted_with_its_reasons(name: str) -> None:
    doc = _parsed(name)
    reasons = {b.reason for b in doc.furniture}
    assert EXPECTED_REASONS[name] <= reasons, reasons
    assert all(not b.counted for b in doc.furniture)
    listed = {line for b in doc.furniture for line in b.text.split("\n")}
    missing = [x for x in EXPECTED_BLOCKS[name] if x not in listed]
    assert not missing, (missing, sorted(listed))
    counted = _norm("".join(s.text for s in doc.sentences))
    for line in EXPECTED_BLOCKS[name]:
        assert _norm(line.lstrip("- ")) not in counted, line


@pytest.mark.parametrize("name", FILES)
def test_no_counted_sentence_of_a_fixture_is_furniture(name: str) -> None:
    first, last = SPEC[name]
    body = _norm("".join(bench.body_sentences(_raw(name), first, last)))
    outside = [s.text for s in _parsed(name).sentences if _norm(s.text) not in body]
    assert outside == []


@pytest.mark.parametrize("name", FILES)
def test_the_body_of_a_fixture_is_all_there(name: str) -> None:
    raw, (first, last) = _raw(name), SPEC[name]
    doc = parse_document(raw)
    counted = _norm("".join(s.text for s in doc.sentences))
    body = bench.body_sentences(raw, first, last)
    kept = sum(len(_norm(s)) for s in body if _norm(s) in counted)
    total = sum(len(_norm(s)) for s in body)
    assert total > 500 and kept / total >= 0.95, (kept, total)
    if name in POSTS:  # real text in a modelled page: every sentence of every paragraph counted
        paragraphs = _body_paragraph_lines(name)
        assert len(paragraphs) == len(POSTS[name])
        missing = [s for n in paragraphs for s in bench.body_sentences(raw, n, n) if _norm(s) not in counted]
        assert missing == []


@pytest.mark.parametrize("name", FILES)
def test_no_counted_sentence_of_a_fixture_shows_markdown(name: str) -> None:
    doc = _parsed(name)
    markup = re.compile(r"\*\*|__|!\[|\]\(|\[[^\]]*\]\(|^#{1,6}\s|</?[a-z][a-z0-9]*[\s>/]|\ufffc", re.I)
    assert [s.text for s in doc.sentences if markup.search(s.text)] == []
    assert len(doc.sentences) >= 10


def test_modeled_wechat_page_reads_title_account_author_date_and_its_two_sections() -> None:
    doc = _parsed("wechat_modelled_cctvnews_2020-02-29.txt")
    assert doc.title == "海外疫情速览：多国出现首例病例，韩国伊朗病例继续增加"
    assert (doc.source, doc.author) == ("环球疫情观察", "林一")
    assert doc.published_at is not None and doc.published_at.strftime("%Y-%m-%d %H:%M") == "2020-03-01 08:00"
    assert [g.title for g in doc.groups] == ["上午的消息", "傍晚的消息"]  # "01" / "02" with their titles
    assert not any(s.text.strip() in {"01", "02", "上午的消息", "傍晚的消息"} for s in doc.sentences)


def test_modeled_clipper_page_reads_front_matter_and_skips_the_repeated_headline_block() -> None:
    doc = _parsed("clipper_modelled_cctvnews_2020-03-01.md")
    assert doc.title == "海外疫情：新加坡确诊超百例 美国出现首例死亡病例"
    assert doc.source == "示例新闻网"
    assert doc.published_at is not None and doc.published_at.date().isoformat() == "2020-03-01"
    texts = [s.text for s in doc.sentences]
    assert not any("来源：示例新闻网" in t or t.startswith("2020-03-01") for t in texts)
    # the bold sentence and the linked words are the text, without their marks
    assert (
        "【#韩国出生45天婴儿感染新冠肺炎#】韩国卫生部门公布了一例出生仅45天的婴儿确诊感染新冠肺炎病例，为韩国年龄最小的确诊感染者。"
        in texts
    )
    assert any("新加坡卫生部今晚发布公告称" in t for t in texts)


@pytest.mark.skipif(not CCTV_POSTS.exists(), reason="the shared @央视新闻 posts are not on this machine")
@pytest.mark.parametrize("name", sorted(POSTS))
def test_modeled_fixture_body_is_the_real_posts_verbatim(name: str) -> None:
    with CCTV_POSTS.open(encoding="utf-8", newline="") as f:
        by_id = {row["weibo_url"].rsplit("/", 1)[-1]: row["text"] for row in csv.DictReader(f)}
    lines = _raw(name).split("\n")
    paragraphs = [lines[n - 1] for n in _body_paragraph_lines(name)]
    for line, post_id in zip(paragraphs, POSTS[name], strict=True):
        unmarked = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line).replace("**", "")  # the two marks added
        assert unmarked == by_id[post_id].replace("\u200b", "").strip(), post_id


def test_real_wechat_fixtures_are_the_repository_files_unchanged() -> None:
    # Lengths as the repository index stores them (see the README): a copy that lost or gained a
    # character (a space, a full-width space, a newline) fails here.
    assert len(_raw("wechat_xianyu_2018-01-01_coushu.md")) == 2193
    assert len(_raw("wechat_xianyu_2018-02-06_yulun.md")) == 2173
    assert "\u3000" in _raw("wechat_xianyu_2018-02-06_yulun.md")  # 变生不测凤姐泼醋　喜出望外


def test_the_sample_article_has_no_furniture() -> None:
    doc = parse_document(SAMPLE.read_text(encoding="utf-8-sig"))
    assert doc.furniture == ()
    assert doc.author is None
    assert len(doc.sentences) == 11


def test_a_reporter_credit_closing_a_paragraph_is_listed_not_counted() -> None:
    text = (
        "英国首例本土病例\n\n当地时间28日晚，英国英格兰医疗部门宣布，发现第1例在英国境内被感染的病例。"
        "目前，英国境内感染者人数已增加到20人。（总台记者田晓春）\n"
    )
    separated = separate_furniture(text)
    (credit,) = [b for b in separated.blocks if b.reason == "byline"]
    assert credit.text == "（总台记者田晓春）"
    assert "田晓春" not in separated.body and "已增加到20人。" in separated.body
    # counted back in, the credit is in the text again
    assert "（总台记者田晓春）" in separate_furniture(text, count_in=frozenset({credit.key})).body
    # a bracket that is not a credit stays
    plain = (
        "英国首例本土病例\n\n当地时间28日晚，英国英格兰医疗部门宣布发现病例，患者已隔离治疗（目前情况稳定）\n"
    )
    assert not [b for b in separate_furniture(plain).blocks if b.reason == "byline"]
