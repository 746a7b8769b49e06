"""Cleaning for social-media text: each step switchable and counted (rows it changed or removed).

Steps, in order:
1. `reply_prefix`  — drop a leading `回复@user:` (the reply's own words stay).
2. `repost_chain`  — keep the poster's own words before the first `//@user:`; a bare repost (nothing
                     before it) keeps the quoted text with the `//@user:` markers removed.
3. `truncation`    — drop Weibo's list-view markers `...展开全文` / `…全文`.
4. `urls`          — drop http(s) links and t.cn short links.
5. `emoticons`     — replace Weibo codes such as `[哈哈]` by a word of the same sentiment the text
                     models know (`[泪]` → 流泪, `[怒]` → 愤怒), so they count as what they mean;
                     unknown codes are removed and counted. `emoticon_net` keeps (+1/-1 per code).
6. `dedupe_exact`  — drop repeated identical texts (after steps 1–5), keeping the first.
7. `dedupe_near`   — drop texts identical after removing @mentions, digits, punctuation, spaces and
                     emoticons (spam and lottery reposts that differ only in who they tag).
Deduplication keeps a set of 64-bit hashes, so it works across chunks of a streamed file.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

# Weibo emoticon → (replacement word, polarity). Words chosen to be unambiguous for the text models.
EMOTICONS: dict[str, tuple[str, int]] = {
    # positive
    "哈哈": ("哈哈", 1), "嘻嘻": ("开心", 1), "偷笑": ("开心", 1), "太开心": ("太开心", 1),
    "爱你": ("爱你", 1), "心": ("喜爱", 1), "赞": ("赞", 1), "good": ("很好", 1), "鼓掌": ("鼓掌", 1),
    "给力": ("给力", 1), "威武": ("威武", 1), "加油": ("加油", 1), "抱抱": ("温暖", 1),
    "可爱": ("可爱", 1), "亲亲": ("喜爱", 1), "好喜欢": ("好喜欢", 1), "耶": ("开心", 1),
    "握手": ("友好", 1), "作揖": ("感谢", 1), "礼物": ("开心", 1), "点亮平安灯": ("祈祷平安", 1),
    "心心": ("喜爱", 1), "笑哈哈": ("哈哈", 1), "酷": ("酷", 1), "馋嘴": ("好吃", 1), "花心": ("喜爱", 1),
    "ok": ("很好", 1), "赞啊": ("赞", 1), "favorite": ("喜爱", 1), "鲜花": ("祝福", 1), "中国赞": ("赞", 1),
    "微笑": ("微笑", 1), "害羞": ("开心", 1), "憧憬": ("期待", 1), "哇": ("惊喜", 1), "打call": ("支持", 1),
    # negative
    "泪": ("流泪", -1), "悲伤": ("悲伤", -1), "伤心": ("伤心", -1), "怒": ("愤怒", -1),
    "怒骂": ("愤怒", -1), "哼": ("不满", -1), "鄙视": ("鄙视", -1), "抓狂": ("抓狂", -1),
    "衰": ("倒霉", -1), "吐": ("恶心", -1), "生病": ("生病", -1), "失望": ("失望", -1),
    "弱": ("差劲", -1), "可怜": ("可怜", -1), "委屈": ("委屈", -1), "蜡烛": ("哀悼", -1),
    "跪了": ("无奈", -1), "允悲": ("无奈", -1), "崩溃": ("崩溃", -1), "伤心欲绝": ("伤心", -1),
    "心碎": ("心碎", -1), "晕": ("晕", -1), "汗": ("尴尬", -1), "裂开": ("崩溃", -1),
    "哭": ("哭", -1), "大哭": ("大哭", -1), "污": ("恶心", -1), "黑线": ("无语", -1), "打脸": ("打脸", -1),
    "费解": ("费解", -1), "疑问": ("疑问", 0), "吃惊": ("吃惊", 0), "二哈": ("", 0), "doge": ("", 0),
    "喵喵": ("", 0), "围观": ("", 0), "思考": ("思考", 0), "摊手": ("无奈", -1), "并不简单": ("", 0),
    "笑cry": ("", 0), "挖鼻": ("", 0), "阴险": ("阴险", -1), "白眼": ("鄙视", -1), "傻眼": ("无语", -1),
}  # fmt: skip


@dataclass(frozen=True)
class CleanOptions:
    reply_prefix: bool = True
    repost_chain: bool = True
    truncation: bool = True
    urls: bool = True
    emoticons: bool = True
    dedupe_exact: bool = True
    dedupe_near: bool = True

    @classmethod
    def none(cls) -> CleanOptions:
        return cls(**{k: False for k in asdict(cls())})

    def to_dict(self) -> dict[str, bool]:
        return asdict(self)


STEPS: tuple[str, ...] = tuple(asdict(CleanOptions()))


@dataclass
class CleanReport:
    """Rows each step changed (or, for dedupe, removed); accumulates over chunks."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STEPS, 0))
    unknown_emoticons: int = 0

    def add(self, other: CleanReport) -> None:
        for k, v in other.counts.items():
            self.counts[k] = self.counts.get(k, 0) + v
        self.unknown_emoticons += other.unknown_emoticons


_REPLY = re.compile(r"^\s*回复\s*@[^:：\s]{1,40}\s*[:：]\s*")
_CHAIN_START = r"//\s*@[^:：\s]{1,40}\s*[:：]"
_CHAIN_MARK = re.compile(_CHAIN_START + r"\s*")
_TRUNC = re.compile(r"\s*(?:\.{2,}|…+|。。。)\s*(?:展开全文|全文)\s*c?\s*$|\s*展开全文\s*c?\s*$")
_URL = re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。！？、）)】]+|\bt\.cn/[A-Za-z0-9]+")
_EMOTICON = re.compile(r"\[([^\[\]\s]{1,8})\]")
_EMOTICON_ANY = re.compile(r"\[[^\[\]\s]{1,8}\]")
# Letters that make a text what it is (Han, kana, hangul, Latin); everything else is noise for the
# near-duplicate key. Explicit ranges: pandas' regex engine treats \w as ASCII only.
_NEAR_NOISE = re.compile(r"@[^\s:：,，。!！?？@]{1,30}|https?://\S+|\[[^\[\]]{1,8}\]")
_NEAR_NONLETTER = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7afA-Za-z]+")


def _emoticon_replace(match: re.Match[str]) -> str:
    entry = EMOTICONS.get(match.group(1).lower()) or EMOTICONS.get(match.group(1))
    return f" {entry[0]} " if entry and entry[0] else " "


def emoticon_net(texts: pd.Series) -> pd.Series:
    """Sum of emoticon polarities per text (+1 positive, -1 negative, 0 other/unknown)."""
    found = texts.str.extractall(_EMOTICON)
    if found.empty:
        return pd.Series(0, index=texts.index, dtype="int64")
    pol = found[0].map(lambda k: (EMOTICONS.get(k.lower()) or EMOTICONS.get(k) or ("", 0))[1])
    return pol.groupby(level=0).sum().reindex(texts.index, fill_value=0).astype("int64")


def clean_texts(
    texts: pd.Series,
    options: CleanOptions = CleanOptions(),
) -> tuple[pd.DataFrame, CleanReport]:
    """Clean a chunk of texts. Returns a frame aligned with the input with columns
    `text_clean`, `emoticon_net`; dedupe is separate (`Deduplicator`) because it is stateful."""
    report = CleanReport()
    s = texts.astype("string").fillna("")

    def step(name: str, pattern: re.Pattern[str] | str, repl: str) -> None:
        nonlocal s
        hit = s.str.contains(pattern, regex=True)
        report.counts[name] = int(hit.sum())
        if report.counts[name]:
            s = s.where(~hit, s[hit].str.replace(pattern, repl, regex=True))

    if options.reply_prefix:
        step("reply_prefix", _REPLY, "")
    if options.repost_chain:
        hit = s.str.contains(_CHAIN_START, regex=True)
        report.counts["repost_chain"] = int(hit.sum())
        if report.counts["repost_chain"]:
            sub = s[hit]
            own = sub.str.replace(_CHAIN_START + r".*$", "", regex=True).str.strip()
            quoted = sub.str.replace(_CHAIN_MARK, " ", regex=True).str.strip()
            s = s.where(~hit, own.where(own != "", quoted))
    if options.truncation:
        step("truncation", _TRUNC, "")
    if options.urls:
        step("urls", _URL, " ")
    net = pd.Series(0, index=s.index, dtype="int64")
    if options.emoticons:
        hit = s.str.contains(_EMOTICON_ANY, regex=True)
        report.counts["emoticons"] = int(hit.sum())
        if report.counts["emoticons"]:
            sub = s[hit]
            codes = sub.str.extractall(_EMOTICON)[0]
            known = codes.map(lambda k: k.lower() in EMOTICONS or k in EMOTICONS)
            report.unknown_emoticons = int((~known).sum())
            net = emoticon_net(s)
            s = s.where(~hit, sub.map(lambda x: _EMOTICON.sub(_emoticon_replace, x)).astype("string"))
    s = s.str.replace(r"\s+", " ", regex=True).str.strip()
    return pd.DataFrame({"text_clean": s, "emoticon_net": net}, index=texts.index), report


class Deduplicator:
    """Remembers 64-bit hashes of texts already seen (exact and near keys), across chunks."""

    def __init__(self, exact: bool = True, near: bool = True) -> None:
        self.exact = exact
        self.near = near
        self._exact_seen: set[int] = set()
        self._near_seen: set[int] = set()

    def keep_mask(self, texts: pd.Series, report: CleanReport) -> np.ndarray:
        """True for rows to keep; counts removed rows in report (exact first, then near)."""
        keep = np.ones(len(texts), dtype=bool)
        if not (self.exact or self.near):
            return keep
        s = texts.astype("string").fillna("")
        nonempty = (s != "").to_numpy()
        if self.exact:
            h = pd.util.hash_pandas_object(s, index=False).to_numpy()
            dup = self._mark(h, nonempty, self._exact_seen)
            keep &= ~dup
            report.counts["dedupe_exact"] += int(dup.sum())
        if self.near:
            key = (
                s.str.replace(_NEAR_NOISE, "", regex=True)
                .str.replace(_NEAR_NONLETTER, "", regex=True)
                .str.lower()
            )
            key_nonempty = (key != "").to_numpy() & keep
            h = pd.util.hash_pandas_object(key, index=False).to_numpy()
            dup = self._mark(h, key_nonempty, self._near_seen)
            keep &= ~dup
            report.counts["dedupe_near"] += int(dup.sum())
        return keep

    @staticmethod
    def _mark(hashes: np.ndarray, eligible: np.ndarray, seen: set[int]) -> np.ndarray:
        """Duplicates within the chunk (after the first) or of earlier chunks; updates `seen`."""
        dup = np.zeros(len(hashes), dtype=bool)
        idx = np.flatnonzero(eligible)
        if not len(idx):
            return dup
        h = hashes[idx]
        first_in_chunk = ~pd.Series(h).duplicated().to_numpy()
        if seen:
            earlier = np.fromiter((x in seen for x in h.tolist()), dtype=bool, count=len(h))
        else:
            earlier = np.zeros(len(h), dtype=bool)
        dup[idx] = ~first_in_chunk | earlier
        seen.update(h[first_in_chunk & ~earlier].tolist())
        return dup
