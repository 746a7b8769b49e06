"""Emotions (喜怒哀惧惊恶, plus neutral 无) for sentences and posts, beside sentiment, never mixed in.

- `labels`: the seven labels and their names in the UI languages.
- `models`: the two tiers' models (accurate: a head on the e5 vectors; fast: hashed n-grams), their
  calibration and artefacts.
- `scorer`: `EmotionReader` (one reading per text, evidence by occlusion), mixes over many texts.
- `datasets`, `evaluate`: the shared labelled sets with their masks, and the metrics.
"""

from analysis.emotion.labels import EMOTION_COLORS, EMOTION_NAMES, EMOTIONS, FEELINGS, emotion_name
from analysis.emotion.models import TIERS, EmotionModelError, Tier, get_emotion_model
from analysis.emotion.scorer import EmotionReader, mix_from_labels, reading_from, summarize_emotions

__all__ = [
    "EMOTIONS",
    "EMOTION_COLORS",
    "EMOTION_NAMES",
    "FEELINGS",
    "TIERS",
    "EmotionModelError",
    "EmotionReader",
    "Tier",
    "emotion_name",
    "get_emotion_model",
    "mix_from_labels",
    "reading_from",
    "summarize_emotions",
]
