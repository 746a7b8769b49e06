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
                     A post whose own words are nothing but codes (`[话筒]//@央视新闻:…`, `[哈哈]`)
                     keeps its codes instead (`[话筒]`): no text model reads a lone code, so the
                     scorer labels such a post by this table (`emoticon_scores`, used by
                     corpus/scoring.py), and a post with no known code is unscored, still a post.
6. `dedupe_exact`  — flag repeated identical texts (after steps 1–5); the first is not flagged.
7. `dedupe_near`   — flag texts identical after removing @mentions, digits, punctuation, spaces and
                     emoticons (spam and lottery reposts that differ only in who they tag).
8. `drop_duplicates` — off by default: leave the flagged posts out of every count. In 舆情 work
                     volume (声量) counts every post: 21 people replying "[汗]" are 21 reactions,
                     and a copy-paste campaign is a finding (see corpus/coordination.py), not noise.
Deduplication keeps a set of 64-bit hashes, so it works across chunks of a streamed file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

# Weibo emoticon → (replacement word, polarity). Polarity is the code's label: +1 positive, 0 neutral,
# -1 negative. Words chosen to be unambiguous for the text models ("" for a neutral code: nothing
# to add to the text around it).
# The table lives here, beside the cleaning step, because it is one record per code serving both
# uses: the word that replaces a code inside a sentence, and the label of a post made only of
# codes (`emoticon_scores`, which corpus/scoring.py applies for every model tier). The cleaning
# loop looks codes up once per code found, so a dict literal costs nothing to load.
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
    # more of the codes met in Weibo posts (the commonest unknown ones of the CLUEmotion Weibo set)
    "话筒": ("", 0), "吃瓜": ("", 0), "挖鼻屎": ("", 0), "月亮": ("", 0), "太阳": ("", 0), "睡觉": ("", 0),
    "泪流满面": ("流泪", -1), "愤怒": ("愤怒", -1), "囧": ("尴尬", -1), "悲催": ("倒霉", -1),
    "感冒": ("生病", -1), "闭嘴": ("不满", -1), "偷乐": ("开心", 1), "噢耶": ("开心", 1),
    "得意地笑": ("开心", 1), "蛋糕": ("祝福", 1),
}  # fmt: skip

POLARITY_LABELS: dict[int, str] = {1: "positive", 0: "neutral", -1: "negative"}
# What scored an emoticon-only post, as model stamps read (`name@version`): the version is a digest
# of the table, so any edit of it shows in exports and in the review audit trail.
_TABLE_DIGEST = hashlib.sha256(json.dumps(sorted(EMOTICONS.items()), ensure_ascii=False).encode("utf-8"))
EMOTICON_MODEL = f"weibo-emoticons@{_TABLE_DIGEST.hexdigest()[:8]}"


@dataclass(frozen=True)
class CleanOptions:
    reply_prefix: bool = True
    repost_chain: bool = True
    truncation: bool = True
    urls: bool = True
    emoticons: bool = True
    dedupe_exact: bool = True
    dedupe_near: bool = True
    drop_duplicates: bool = False

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
_CHAIN_RE = re.compile(_CHAIN_START)
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
    return pd.Series(
        [_net(t) if t and "[" in t else 0 for t in _as_list(texts)], index=texts.index, dtype="int64"
    )


def _net(text: str) -> int:
    return sum((_lookup(code) or ("", 0))[1] for code in _EMOTICON.findall(text))


def _lookup(code: str) -> tuple[str, int] | None:
    return EMOTICONS.get(code) or EMOTICONS.get(code.lower())


def emoticon_codes_only(text: str) -> list[str] | None:
    """The emoticon codes of a text that holds nothing else (besides spaces, punctuation and emoji),
    e.g. `[话筒]` or `[哈哈][哈哈]！`; None for any other text."""
    if "[" not in text:
        return None
    codes = _EMOTICON.findall(text)
    if not codes or any(ch.isalnum() for ch in _EMOTICON.sub("", text)):
        return None
    return codes


def emoticon_scores(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per text: whether it is made only of emoticon codes (`emoticon_codes_only`), and its score,
    the mean polarity of its known codes in [-1, 1] (`[哈哈]` 1.0, `[话筒]` 0.0, `[哈哈][泪]` 0.0),
    NaN when the text is not only codes or none of its codes is known. The label is the score's
    sign (`POLARITY_LABELS`): the table's label, whatever the model or its neutral band."""
    only = np.zeros(len(texts), dtype=bool)
    scores = np.full(len(texts), np.nan, dtype=float)
    for i, text in enumerate(texts):
        codes = emoticon_codes_only(text) if text and "[" in text else None
        if codes is None:
            continue
        only[i] = True
        known = [entry[1] for code in codes if (entry := _lookup(code)) is not None]
        if known:
            scores[i] = sum(known) / len(known)
    return only, scores


def emoticon_polarities(text: str) -> list[tuple[str, int]]:
    """(`[code]`, polarity) of each known emoticon code of a text, in order: the evidence of a post
    the emoticon table scored."""
    return [
        (f"[{code}]", entry[1]) for code in _EMOTICON.findall(text) if (entry := _lookup(code)) is not None
    ]


def emoticon_labels(scores: np.ndarray) -> np.ndarray:
    """The label of each emoticon score (`emoticon_scores`): its sign; None where NaN."""
    out = np.full(len(scores), None, dtype=object)
    known = ~np.isnan(scores)
    out[known] = [POLARITY_LABELS[int(sign)] for sign in np.sign(scores[known])]
    return out


def _as_list(texts: pd.Series) -> list[str]:
    return [
        "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v) for v in texts.tolist()
    ]


_SPACES = re.compile(r"\s{2,}|[\t\r\n\u3000]")


def clean_texts(
    texts: pd.Series,
    options: CleanOptions = CleanOptions(),
) -> tuple[pd.DataFrame, CleanReport]:
    """Clean a chunk of texts. Returns a frame aligned with the input with columns
    `text_clean`, `emoticon_net`; dedupe is separate (`Deduplicator`) because it is stateful.

    One pass per text with cheap substring tests first (`"//@" in text`, ...): a regex runs only on
    the texts that can match, which is what keeps a million posts in seconds."""
    report = CleanReport()
    counts = report.counts
    o = options
    out: list[str] = []
    nets: list[int] = []
    unknown = 0
    for text in _as_list(texts):
        net = 0
        if text:
            if o.reply_prefix and "回复" in text and _REPLY.search(text):
                text = _REPLY.sub("", text, count=1)
                counts["reply_prefix"] += 1
            if o.repost_chain and "//" in text:
                m = _CHAIN_RE.search(text)
                if m:
                    counts["repost_chain"] += 1
                    own = text[: m.start()].strip()
                    text = own or _CHAIN_MARK.sub(" ", text).strip()
            if o.truncation and "全文" in text and _TRUNC.search(text):
                text = _TRUNC.sub("", text)
                counts["truncation"] += 1
            if o.urls and ("http" in text or "www." in text or "t.cn/" in text) and _URL.search(text):
                text = _URL.sub(" ", text)
                counts["urls"] += 1
            if o.emoticons and "[" in text:
                codes = _EMOTICON.findall(text)
                if codes:
                    counts["emoticons"] += 1
                    for code in codes:
                        entry = _lookup(code)
                        if entry is None:
                            unknown += 1
                        else:
                            net += entry[1]
                    if emoticon_codes_only(text) is not None:
                        # Only codes: keep them (one canonical form, so repeats are exact
                        # duplicates) for the scorer to label by the table.
                        text = "".join(f"[{code}]" for code in codes)
                    else:
                        text = _EMOTICON.sub(_emoticon_replace, text)
            if _SPACES.search(text):
                text = " ".join(text.split())
            text = text.strip()
        out.append(text)
        nets.append(net)
    report.unknown_emoticons = unknown
    frame = pd.DataFrame({"text_clean": out, "emoticon_net": nets}, index=texts.index)
    frame["text_clean"] = frame["text_clean"].astype("string")
    frame["emoticon_net"] = frame["emoticon_net"].astype("int64")
    return frame, report


class Deduplicator:
    """Remembers hashes of texts already seen (exact and near keys), across chunks. Python's
    64-bit string hash is stable within a process, which is all a single run needs."""

    def __init__(self, exact: bool = True, near: bool = True) -> None:
        self.exact = exact
        self.near = near
        self._exact_seen: set[int] = set()
        self._near_seen: set[int] = set()

    def keep_mask(self, texts: pd.Series, report: CleanReport) -> np.ndarray:
        """True for rows that are not duplicates of an earlier row (see `flags`)."""
        return self.flags(texts, report) == ""

    def flags(self, texts: pd.Series, report: CleanReport) -> np.ndarray:
        """Per row "" (first of its kind), "exact" or "near" (a repeat of an earlier row); counts
        the flagged rows in report (exact first, then near). Empty texts are never duplicates
        (they are counted elsewhere)."""
        values = _as_list(texts)
        out = np.full(len(values), "", dtype=object)
        if not (self.exact or self.near):
            return out
        near_keys = _near_keys(values) if self.near else None
        exact_seen, near_seen = self._exact_seen, self._near_seen
        n_exact = n_near = 0
        for i, text in enumerate(values):
            if not text:
                continue
            if self.exact:
                h = hash(text)
                if h in exact_seen:
                    out[i] = "exact"
                    n_exact += 1
                    continue
                exact_seen.add(h)
            if near_keys is not None:
                key = near_keys[i]
                if not key:
                    continue
                h = hash(key)
                if h in near_seen:
                    out[i] = "near"
                    n_near += 1
                    continue
                near_seen.add(h)
        report.counts["dedupe_exact"] += n_exact
        report.counts["dedupe_near"] += n_near
        return out


def _near_table() -> np.ndarray:
    """True for the code points a near-duplicate key keeps: Han, kana, hangul, ASCII letters."""
    table = np.zeros(0x10000, dtype=bool)
    for lo, hi in ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x3040, 0x30FF), (0xAC00, 0xD7AF),
                   (0x41, 0x5A), (0x61, 0x7A)):  # fmt: skip
        table[lo : hi + 1] = True
    return table


_NEAR_KEEP = _near_table()


def near_key(text: str) -> str:
    """The near-duplicate key of one text (the rule in the module docstring)."""
    return _NEAR_NONLETTER.sub("", _NEAR_NOISE.sub("", text)).lower()


def _near_keys(values: list[str]) -> list[bytes]:
    """`near_key` of every text, as UTF-32 bytes, filtered with numpy rather than a regex per text
    (mentions, URLs and emoticon codes, which need a regex, are removed first where present)."""
    prepared = [_NEAR_NOISE.sub("", v) if ("@" in v or "[" in v or "http" in v) else v for v in values]
    lengths = np.fromiter((len(v) for v in prepared), dtype=np.int64, count=len(prepared))
    if not len(prepared):
        return []
    # A trailing NUL keeps every start index inside the array (texts at the end may be empty).
    cp = np.frombuffer(("".join(prepared) + "\0").encode("utf-32-le"), dtype=np.uint32).copy()
    kept = _NEAR_KEEP[np.minimum(cp, 0xFFFF)] & (cp < 0x10000)
    upper = (cp >= 0x41) & (cp <= 0x5A)
    cp[upper] += 32  # lower-case ASCII
    starts = np.cumsum(lengths) - lengths
    per_text = np.add.reduceat(kept.view(np.uint8), starts, dtype=np.int64)
    per_text[lengths == 0] = 0  # reduceat gives an empty segment the next element, not 0
    hi_idx = np.cumsum(per_text)
    filtered = cp[kept].tobytes()
    lo = ((hi_idx - per_text) * 4).tolist()
    hi = (hi_idx * 4).tolist()
    return [filtered[a:b] for a, b in zip(lo, hi, strict=True)]
