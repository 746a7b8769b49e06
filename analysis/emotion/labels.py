"""The seven emotion labels (Ekman's six plus neutral) and their names in the UI languages."""

from __future__ import annotations

from analysis.records import EMOTIONS  # the order fixes every emotion model's columns

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
