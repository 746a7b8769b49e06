"""The seven emotion labels (Ekman's six plus neutral) and their names in the UI languages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.records import EMOTIONS  # the order fixes every emotion model's columns

if TYPE_CHECKING:
    from analysis.records import EmotionMix

FEELINGS: tuple[str, ...] = EMOTIONS[:-1]  # the six that are an emotion (macro-F1 in the issue: all seven)

EMOTION_NAMES: dict[str, dict[str, str]] = {
    "zh": {
        "joy": "喜",
        "anger": "怒",
        "sadness": "哀",
        "fear": "惧",
        "surprise": "惊",
        "disgust": "恶",
        "neutral": "无",
    },
    "en": {
        "joy": "joy",
        "anger": "anger",
        "sadness": "sadness",
        "fear": "fear",
        "surprise": "surprise",
        "disgust": "disgust",
        "neutral": "neutral",
    },
}


def emotion_name(label: str | None, lang: str = "zh") -> str:
    """An emotion's name in the UI language (喜怒哀惧惊恶无 in Chinese); "—" for no reading."""
    if label is None:
        return "—"
    return EMOTION_NAMES["en" if lang == "en" else "zh"].get(label, label)


# One colour per emotion for every chart and badge (neutral grey, like the neutral sentiment label).
EMOTION_COLORS: dict[str, str] = {
    "joy": "#e8a33d",
    "anger": "#c8372d",
    "sadness": "#3f6fb5",
    "fear": "#7d4fa6",
    "surprise": "#2a9d8f",
    "disgust": "#6b7f2a",
    "neutral": "#a9a9a9",
}


def emotion_mix_text(mix: EmotionMix | None, lang: str = "zh", *, top: int = 3) -> str:
    """The most frequent emotions of a mix with their counts, in the UI language (`怒 3 · 哀 1 ·
    无 2`: feelings first, most frequent first, neutral last); "—" when nothing was read."""
    if mix is None or not mix.n:
        return "—"
    feelings = sorted((e for e in FEELINGS if mix.counts.get(e, 0)), key=lambda e: -mix.counts[e])[:top]
    shown = [*feelings, *(["neutral"] if mix.counts.get("neutral", 0) else [])]
    return " · ".join(f"{emotion_name(e, lang)} {mix.counts[e]}" for e in shown)
