"""Baselines the emotion models are measured against in the same run (scripts/benchmark_emotion.py):
the majority class, and a keyword lexicon built from the cues of the project's labelling guide
(../shared/design/LABELLING.md, with common synonyms): the label whose cue words occur most, neutral
when none occurs. Not used by the product."""

from __future__ import annotations

from collections.abc import Sequence

LEXICON: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "joy": (
            "开心",
            "高兴",
            "快乐",
            "太棒",
            "点赞",
            "好评",
            "期待",
            "感谢",
            "感恩",
            "幸福",
            "喜欢",
            "哈哈",
            "加油",
            "骄傲",
            "欣慰",
            "满意",
            "爱了",
        ),
        "anger": (
            "愤怒",
            "生气",
            "气死",
            "凭什么",
            "说法",
            "退钱",
            "混蛋",
            "垃圾",
            "滚",
            "可恶",
            "无耻",
            "操",
            "妈的",
            "太过分",
            "恼火",
        ),
        "sadness": (
            "失望",
            "心疼",
            "遗憾",
            "难过",
            "伤心",
            "哭",
            "泪",
            "悲伤",
            "痛心",
            "可怜",
            "难受",
            "心碎",
            "唉",
        ),
        "fear": ("担心", "害怕", "不敢", "细思极恐", "恐怖", "恐惧", "可怕", "焦虑", "吓", "慌", "担忧"),
        "surprise": ("没想到", "竟然", "震惊", "居然", "天哪", "卧槽", "惊呆", "意外", "吃惊", "不敢相信"),
        "disgust": ("恶心", "呵呵", "吃相难看", "洗地", "鄙视", "讨厌", "作呕", "无语", "丢人", "虚伪"),
    },
    "en": {
        "joy": (
            "happy",
            "great",
            "love",
            "thanks",
            "thank",
            "awesome",
            "glad",
            "proud",
            "excited",
            "amazing",
            "lol",
            "haha",
            "congrat",
        ),
        "anger": (
            "angry",
            "furious",
            "outrage",
            "hate",
            "damn",
            "stupid",
            "idiot",
            "wtf",
            "annoying",
            "pissed",
            "ridiculous",
        ),
        "sadness": (
            "sad",
            "disappoint",
            "sorry",
            "miss",
            "cry",
            "unfortunately",
            "lonely",
            "depress",
            "heartbroken",
            "grief",
        ),
        "fear": ("afraid", "scared", "fear", "worried", "worry", "anxious", "terrified", "nervous", "scary"),
        "surprise": ("wow", "surprise", "unexpected", "shocked", "omg", "can't believe", "whoa", "amazed"),
        "disgust": ("disgust", "gross", "eww", "sick of", "pathetic", "vile", "nasty", "creepy"),
    },
}


def keyword_labels(texts: Sequence[str], lang: str) -> list[str]:
    """The emotion whose cue words occur most in each text (ties: the lexicon's order); neutral
    when none occurs."""
    table = LEXICON[lang]
    out = []
    for text in texts:
        low = text.lower()
        hits = {e: sum(low.count(w) for w in words) for e, words in table.items()}
        best = max(hits, key=lambda e: hits[e])
        out.append(best if hits[best] else "neutral")
    return out
