"""The model card's figures (analysis/sentiment/data/model_card.json, written by
scripts/benchmark_sentiment.py) as flat tables and one figure, for the Method page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

CARD_PATH = Path(__file__).resolve().parent / "sentiment" / "data" / "model_card.json"


def load_card(path: Path = CARD_PATH) -> dict[str, Any] | None:
    """The card, or None when it has not been generated (or cannot be read)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def accuracy_table(card: dict[str, Any]) -> pd.DataFrame:
    """One row per labelled set: the accurate and fast tiers beside the baseline on the fixed test
    split (the card's JSON keeps the fast tier under "default", its name before the two tiers)."""
    rows = []
    for s in card.get("sets", []):
        default, baseline = s.get("default", {}), s.get("baseline", {})
        accurate = s.get("accurate", {})
        rows.append(
            {
                "set": s.get("set"),
                "domain": s.get("domain"),
                "labels": "/".join(s.get("labels", [])),
                "n_test": s.get("n_test"),
                "always_guess": s.get("always_guess_accuracy"),
                "accurate_accuracy": accurate.get("accuracy"),
                "accurate_macro_f1": accurate.get("macro_f1"),
                "accurate_polar": accurate.get("polar_accuracy"),
                "default_accuracy": default.get("accuracy"),
                "default_macro_f1": default.get("macro_f1"),
                "default_polar": default.get("polar_accuracy"),
                "baseline": s.get("baseline_name"),
                "baseline_accuracy": baseline.get("accuracy"),
                "baseline_macro_f1": baseline.get("macro_f1"),
                "baseline_polar": baseline.get("polar_accuracy"),
            }
        )
    return pd.DataFrame(rows)


def targets_table(card: dict[str, Any]) -> pd.DataFrame:
    """The targets of the issue with the measured figure and whether it is met."""
    cols = ["tier", "set", "metric", "target", "measured", "met"]
    rows = []
    for t in card.get("targets", []):
        row = {c: t.get(c) for c in cols}
        row["tier"] = row["tier"] or "fast"
        row["target"] = f"{'≤' if t.get('at_most') else '≥'} {t.get('target')}"
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def sample_table(card: dict[str, Any]) -> pd.DataFrame:
    """The sample article's sentences: a reader's label beside each model's score and label."""
    sample = card.get("sample") or {}
    models = sample.get("models", {})
    rows = []
    for i, gold in enumerate(sample.get("gold", [])):
        row: dict[str, Any] = {"position": i, "reader": gold}
        for tier, m in models.items():
            row[f"{tier}_score"] = m["scores"][i]
            row[f"{tier}_label"] = m["labels"][i]
        row["text"] = sample["sentences"][i]
        rows.append(row)
    return pd.DataFrame(rows)


def sample_agreement(card: dict[str, Any]) -> dict[str, int]:
    """Sentences of the sample on which each model agrees with the reader."""
    return {tier: m["agree"] for tier, m in ((card.get("sample") or {}).get("models", {})).items()}


def lodo_table(card: dict[str, Any]) -> pd.DataFrame:
    """Leave-one-domain-out: trained without a set's domain, tested on it."""
    cols = ["set", "n", "accuracy", "macro_f1", "polar_accuracy"]
    return pd.DataFrame([{c: r.get(c) for c in cols} for r in card.get("lodo", [])], columns=cols)


def cases_table(card: dict[str, Any]) -> pd.DataFrame:
    """Hand-written linguistic cases (negation, degree, contrast, rhetorical questions)."""
    cols = ["text", "case", "expected", "default_score", "default_label", "snownlp_score", "snownlp_label"]
    return pd.DataFrame([{c: r.get(c) for c in cols} for r in card.get("cases", [])], columns=cols)


def speed_table(card: dict[str, Any]) -> pd.DataFrame:
    """Texts per second of the default model and SnowNLP on the same texts, in the same run."""
    rows = []
    for name, r in card.get("speed", {}).get("throughput", {}).items():
        rows.append(
            {
                "set": name,
                "n": r.get("n"),
                "default_texts_per_s": r.get("default_texts_per_s"),
                "snownlp_texts_per_s": r.get("snownlp_texts_per_s"),
                "ratio": r.get("ratio"),
            }
        )
    return pd.DataFrame(rows)


def band_sweep_figure(
    card: dict[str, Any], title: str = "", x_title: str = "", y_title: str = ""
) -> go.Figure:
    """Macro-F1 per set as the symmetric neutral band (±b) widens: why the band is a setting."""
    fig = go.Figure()
    for name, points in card.get("band_sweep", {}).items():
        fig.add_trace(
            go.Scatter(
                x=[p["band"] for p in points],
                y=[p["macro_f1"] for p in points],
                mode="lines+markers",
                name=name,
                hovertemplate="±%{x:.2f}: macro-F1 %{y:.3f}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        yaxis_range=[0, 1],
        height=380,
        margin={"l": 40, "r": 10, "t": 40, "b": 40},
    )
    return fig
