"""Mentions in a document: the table's known entities, and names the table does not list.

*Known* entities are table aliases (`EntityTable.find`). *Detected* entities are jieba
part-of-speech tags nr/nrt/nrfg (person), nt (organisation), ns (place) through
`jieba.posseg.POSTokenizer(tokenizer())`, with weak two-character guesses dropped, and a place
followed by an institution word made one organisation (湖北省卫健委); and capitalised English spans
of 1-4 words that are not at the start of a sentence, or that recur in the document, or that end
in a corporate suffix or a possessive (amounts, month ranges, demonyms and the table's
`not_names` excluded).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.entities.table import TYPE_OF, EntityTable, EntityType, Mention, default_table, overlaps
from analysis.lazy import once
from analysis.text.keywords import tokenizer
from analysis.text.scripts import HAN

_SPACES = re.compile(r"\s+")

_POS_TYPES: dict[str, EntityType] = {
    "nr": "person",
    "nrt": "person",
    "nrfg": "person",
    "nt": "organisation",
    "ns": "place",
}


@once
def _pos_tokenizer():  # -> jieba.posseg.POSTokenizer
    import jieba.posseg  # imported here: it reads jieba's POS table (about a second)

    pos = jieba.posseg.POSTokenizer(tokenizer())
    # The first cut moves the tokenizer's user tags into this tagger (jieba mutates both objects
    # there); doing it now, in the single build, leaves later cuts read-only and so thread-safe.
    pos.lcut("小米")
    return pos


def warm_pos_tokenizer() -> None:
    """Build the POS tagger now (the warm-up does, ahead of the first entity detection)."""
    _pos_tokenizer()


# The commonest Chinese surnames: a two-character "person" from jieba's tagger must start with one
# (its HMM tags many ordinary words nr: 达人, 辟谣, 暴雷).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温"
    "康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂"
    "成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党"
    "宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_ADMIN_SUFFIX = tuple("省市县区镇乡村州盟旗")
# Institution names that start with a place: 湖北省卫健委, 武汉市中心医院, 浙江省瑞安市人民法院.
_INSTITUTION = (
    "委员会",
    "卫健委",
    "委",
    "局",
    "厅",
    "部",
    "署",
    "办",
    "院",
    "大学",
    "学院",
    "中学",
    "小学",
    "学校",
    "公司",
    "集团",
    "银行",
    "支行",
    "分行",
    "协会",
    "学会",
    "联盟",
    "中心",
    "研究所",
    "卫视",
    "电视台",
    "日报",
    "晚报",
    "政府",
    "公安",
    "警方",
    "医疗队",
    "居委会",
    "村委会",
    "办公室",
    "领馆",
    "使馆",
    "酒店",
    "交易所",
    "基金会",
    "工会",
    "法院",
)
_NOT_INSTITUTION = (
    "当局",
    "格局",
    "结局",
    "布局",
    "大局",
    "全局",
    "骗局",
    "僵局",
    "时局",
    "政局",
    "干部",
    "全部",
    "总部",
    "局部",
)
_COMPANY_SUFFIX = ("公司", "集团", "银行", "支行", "分行")


def _zh_tokens(text: str) -> list[tuple[str, str, int, int]]:
    out, pos = [], 0
    for pair in _pos_tokenizer().cut(text):
        out.append((pair.word, pair.flag, pos, pos + len(pair.word)))
        pos += len(pair.word)
    return out


def _zh_name(word: str, flag: str) -> EntityType | None:
    """The type of a name jieba tagged, or None when the tag is too weak to trust."""
    kind = _POS_TYPES.get(flag)
    if kind is None or len(word) < 2 or not HAN.search(word):
        return None
    if (
        kind == "person"
        and (flag == "nrt" or len(word) == 2)
        and not (len(word) >= 3 or word[0] in _SURNAMES)
    ):
        return None
    if flag == "nrt" and len(word) < 3:
        return None
    if kind == "place" and len(word) == 2 and not word.endswith(_ADMIN_SUFFIX):
        return None  # jieba tags 东西、上市、英雄 as places; list real two-character places in the table
    if kind == "organisation" and len(word) < 3:
        return None
    return kind


def _institutions(
    tokens: list[tuple[str, str, int, int]], known: list[Mention]
) -> list[tuple[int, int, EntityType]]:
    """Place-prefixed institutions: a place (known or tagged ns) followed by up to four noun
    tokens, the last ending in an institution word (局, 医院, 卫健委, 公司...); or an nt token
    that contains a known place (北京大学)."""
    places = sorted(
        [(m.start, m.end) for m in known if m.type == "place"]
        + [(s, e) for w, f, s, e in tokens if f == "ns" and len(w) >= 2]
    )
    starts = {s: i for i, (_, _, s, _) in enumerate(tokens)}
    found: list[tuple[int, int, EntityType]] = []
    for p_start, p_end in places:
        if overlaps(p_start, p_end, [(a, b) for a, b, _ in found]):
            continue
        best = None
        for w, f, s, e in tokens:  # an organisation token that contains the place
            if (
                s <= p_start
                and e >= p_end
                and e - s > p_end - p_start
                and (f == "nt" or w.endswith(_INSTITUTION))
            ):
                best = (s, e, w)
        if best is None and p_end in starts:
            i = starts[p_end]
            run = []
            for w, f, _s, e in tokens[i : i + 4]:
                if not (f.startswith("n") or f in ("j", "vn")) or not HAN.search(w):
                    break
                run.append((w, e))
            for k in range(len(run), 0, -1):
                if run[k - 1][0].endswith(_INSTITUTION) and not run[k - 1][0].endswith(_NOT_INSTITUTION):
                    best = (p_start, run[k - 1][1], "")
                    break
        if best is not None:
            found.append((min(best[0], p_start), best[1], "organisation"))
    return found


def _detect_zh(text: str, known: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """(known mentions kept, detected mentions) of one Chinese text."""
    tokens = _zh_tokens(text)
    named = [(m.start, m.end) for m in known if m.type != "place"]
    orgs = [o for o in _institutions(tokens, known) if not overlaps(o[0], o[1], named)]
    org_spans = [(s, e) for s, e, _ in orgs]
    kept = [m for m in known if not (m.type == "place" and overlaps(m.start, m.end, org_spans))]
    busy = [(m.start, m.end) for m in kept]
    out: list[Mention] = []
    for s, e, kind in orgs:
        if overlaps(s, e, busy):
            continue
        word = text[s:e]
        kind = "company" if word.endswith(_COMPANY_SUFFIX) else kind
        out.append(Mention(word, s, e, word, kind, "detected"))
    busy += org_spans
    for word, flag, start, end in tokens:
        name_type = _zh_name(word, flag)
        if name_type is None or overlaps(start, end, busy):
            continue
        out.append(Mention(word, start, end, word, name_type, "detected"))
    return kept, out


_LETTER = re.compile(f"[A-Za-z0-9{HAN.pattern[1:-1]}]")
_EN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'’.\-]*")
_CONNECTORS = frozenset({"of", "&", "de", "van", "von", "der", "den", "du", "la", "le", "da", "di", "del"})
_AMOUNT = re.compile(r"[A-Z]{2,4}\d")  # EUR13, USD5: an amount, not a name
_JOIN_GAP = re.compile(r"\s*(?:&\s*|\+\s*)?")  # Lee & Man, Albat + Wirsam
_CORPORATE = frozenset(
    {"inc", "inc.", "corp", "corp.", "corporation", "co", "co.", "ltd", "ltd.", "plc", "oyj", "ag", "sa"}
    | {"ab", "asa", "nv", "bv", "llc", "group", "holdings", "bank", "motors", "motor"}
)
_PERSON_CUES = frozenset(
    {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "ceo", "chairman", "president"}
)


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() or (word[0].islower() and any(c.isupper() for c in word[1:]))


def _clean_word(word: str) -> tuple[str, bool]:
    """A word without a trailing possessive or full stop; True when it had a possessive."""
    possessive = word.endswith(("'s", "’s", "s'", "s’")) and len(word) > 2
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    elif word.endswith(("'", "’")):
        word = word[:-1]
    if word.endswith(".") and "." not in word.rstrip(".") and word.lower() not in _CORPORATE:
        word = word.rstrip(".")
    return word, possessive


def _not_name(word: str, not_names: frozenset[str]) -> bool:
    """A capitalised word that is no name: listed (months, demonyms, currencies), an amount
    (EUR13), a "-based" qualifier, or hyphenated parts that are all such words (January-August)."""
    if word in not_names or _AMOUNT.match(word) or word.lower().endswith("-based"):
        return True
    parts = [p for p in word.split("-") if p]
    return len(parts) > 1 and all(p in not_names for p in parts)


def _en_spans(text: str, not_names: frozenset[str]) -> list[tuple[int, int, str, bool, bool, str]]:
    """Capitalised runs: (start, end, span text, at sentence start, strong cue, type hint)."""
    words = [(m.start(), m.end(), m.group()) for m in _EN_WORD.finditer(text)]
    runs: list[list[tuple[int, int, str, bool]]] = []
    current: list[tuple[int, int, str, bool]] = []
    previous_end = -1
    for start, end, raw in words:
        word, possessive = _clean_word(raw)
        end = start + len(word)
        gap = text[previous_end:start] if previous_end >= 0 else ""
        joined = previous_end >= 0 and bool(_JOIN_GAP.fullmatch(gap)) and "\n" not in gap
        is_name_word = (
            bool(word) and word[0].isalpha() and _is_capitalised(word) and not _not_name(word, not_names)
        )
        is_connector = word.lower() in _CONNECTORS and bool(current)
        if current and not joined:
            runs.append(current)
            current = []
        if is_name_word or (is_connector and current):
            current.append((start, end, word, possessive))
            if possessive:
                runs.append(current)
                current = []
        elif current:
            runs.append(current)
            current = []
        previous_end = start + len(raw)
    if current:
        runs.append(current)
    spans = []
    for run in runs:
        while run and run[-1][2].lower() in _CONNECTORS:
            run = run[:-1]
        if not run or len(run) > 4 or all(w.lower().rstrip(".") in _CORPORATE for _, _, w, _ in run):
            continue
        start, end = run[0][0], run[-1][1]
        words_in = [w for _, _, w, _ in run]
        span = _SPACES.sub(" ", text[start:end])
        prefix = text[:start].rstrip()
        at_start = not _LETTER.search(prefix) or prefix.endswith((":", "：", "\u201c", '"', "(", "（"))
        corporate = len(run) > 1 and words_in[-1].lower() in _CORPORATE
        strong = run[-1][3] or corporate
        before = text[:start].split()[-1:] if text[:start].split() else []
        hint = "company" if corporate else "person" if before and before[0].lower() in _PERSON_CUES else ""
        spans.append((start, end, span, at_start, strong, hint))
    return spans


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", text) if len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _detect_en(
    texts: Sequence[str],
    taken: list[list[tuple[int, int]]],
    not_names: frozenset[str],
    found: list[list[tuple[int, int, str, bool, bool, str]]],
) -> list[list[Mention]]:
    document = "\n".join(texts)
    counts: dict[str, int] = {}

    def occurrences(span: str) -> int:  # a name recurs when its words appear again anywhere
        if span not in counts:
            pattern = rf"(?<![A-Za-z0-9]){re.escape(span)}(?![A-Za-z0-9])"
            counts[span] = len(re.findall(pattern, document))
        return counts[span]

    out: list[list[Mention]] = []
    for text, spans, busy in zip(texts, found, taken, strict=True):
        headline = _title_case(text)
        mentions = []
        for start, end, span, at_start, strong, hint in spans:
            recurs = (at_start or headline) and occurrences(span) > 1
            if (at_start or headline) and not (recurs or strong):
                continue
            if overlaps(start, end, busy) or (len(span) < 2):
                continue
            mentions.append(Mention(text[start:end], start, end, span, TYPE_OF.get(hint), "detected"))
        out.append(mentions)
    return out


def find_known(text: str, table: EntityTable | None = None) -> list[Mention]:
    """Mentions of the table's entities in one text (fast: one regex pass)."""
    return (table or default_table()).find(text)


def find_mentions(
    texts: Sequence[str], table: EntityTable | None = None, *, detect: bool = True
) -> list[list[Mention]]:
    """Mentions per text of one document (sentences of an article), known and, with `detect`,
    detected. Detection looks at the whole document (an English name at a sentence start counts
    when it recurs), so pass all of a document's sentences at once. Sorted by position; a
    detected span never overlaps a known one."""
    table = table or default_table()
    known = [table.find(t) for t in texts]
    if not detect:
        return known
    out: list[list[Mention]] = []
    zh: list[list[Mention]] = []
    for i, text in enumerate(texts):
        if HAN.search(text):
            known[i], found = _detect_zh(text, known[i])
            zh.append(found)
        else:
            zh.append([])
    # an English name run that holds a known place is one name (Affecto Finland Oy)
    runs = [_en_spans(t, table.not_names) for t in texts]
    for i, spans in enumerate(runs):
        for start, end, span, _, strong, _ in spans:
            inside = [
                m for m in known[i] if start <= m.start and m.end <= end and (m.end - m.start) < (end - start)
            ]
            if inside and all(m.type == "place" for m in inside) and (strong or " " in span):
                known[i] = [m for m in known[i] if m not in inside]
    taken = [[(m.start, m.end) for m in [*ms, *z]] for ms, z in zip(known, zh, strict=True)]
    english = _detect_en(texts, taken, table.not_names, runs)
    for ms, z, en in zip(known, zh, english, strict=True):
        out.append(sorted([*ms, *z, *en], key=lambda m: (m.start, -m.end)))
    return out
