"""Exports of one analysis as CSV, XLSX and JSON, each carrying a reproducibility stamp.

The stamp says what produced the numbers: app version, model name / version / components (and the
emotion models'), the neutral band (thresholds), both NEV formulas, and the SHA-256 of the input text. In the CSV it is
repeated as columns on every row (so it survives any CSV reader and any row filter); in the XLSX
it is a `stamp` sheet plus the same columns on the sentences sheet; in the JSON it is a `stamp` key.

With an analyst's review (`Review`), every sentence row carries both labels (`model_label`, and
`label`: the reviewed one), the stamp says how many labels were reviewed and overridden, the XLSX
gets an `audit` sheet with the item's whole audit trail, and the JSON `sentiment_model` and
`sentiment_reviewed` summaries plus the `audit` list.

Emotions (analysis.emotion) sit beside sentiment, never in it: every sentence row carries
`emotion`, `emotion_score`, `emotion_second` and `emotion_reviewed` (empty cells where a sentence
has no reading), the groups sheet the emotion mix of each row's sentences (`EMOTION_MIX_COLUMNS`),
the entities sheet each entity's, and the JSON the contract's `emotions` keys.

With the article's entities (`analysis.entities.article_entities`, computed by the caller on the
analysis the rows show, so this module stays cheap): the CSV's sentence rows gain an `entities`
column naming the entities each sentence mentions, the XLSX an `entities` sheet (one row per
entity: counts, NEV, evidence and the sentence positions behind them) and the JSON an `entities`
list (`analysis.entities.entity_dict`). Without them the files are as before.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

import analysis
from analysis.format import evidence_string
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, summary_row
from analysis.records import EMOTIONS, ArticleAnalysis, EmotionMix, EmotionReading, SentimentSummary

if TYPE_CHECKING:
    from analysis.entities import EntitySummary
    from analysis.review import ReviewedAnalysis, ReviewEntry

Entities = Sequence["EntitySummary"]


@dataclass(frozen=True)
class Review:
    """An analyst's review of the exported article: the reviewed view and the item's audit trail."""

    view: ReviewedAnalysis
    audit: Sequence[ReviewEntry]


SENTENCE_COLUMNS = [
    "position",
    "group",
    "group_title",
    "bullet",
    "text",
    "lang",
    "score",
    "model_label",
    "label",
    "reviewed",
    "themes",
    "evidence",
    "uncertain",
    "citations",
    "emotion",
    "emotion_score",
    "emotion_second",
    "emotion_reviewed",
]
STAMP_COLUMNS = [
    "app_version",
    "model",
    "model_version",
    "thresholds",
    "formula",
    "input_sha256",
    "labels_overridden",
]


def stamp(
    analysis_: ArticleAnalysis, *, generated_at: datetime | None = None, review: Review | None = None
) -> dict[str, Any]:
    """What produced this analysis. `generated_at` defaults to now (UTC)."""
    when = generated_at or datetime.now(UTC)
    reviewed = review.view.reviewed if review else 0
    overridden = review.view.changed if review else 0
    return {
        "app": "Opinion Lens 舆情透镜",
        "app_version": analysis.__version__,
        "model": analysis_.model.name,
        "model_version": analysis_.model.version,
        "model_components": dict(analysis_.model.components),
        "model_requested": analysis_.model.requested,
        "model_note": analysis_.model.note,
        "emotion_components": dict(analysis_.model.emotion_components),
        "emotion_note": analysis_.model.emotion_note,
        "thresholds": dict(analysis_.model.thresholds),
        "formula": {"nev": NEV_FORMULA, "nev_polar": NEV_POLAR_FORMULA},
        "input_sha256": analysis_.input_sha256,
        "labels_reviewed": reviewed,
        "labels_overridden": overridden,
        "generated_at": when.isoformat(timespec="seconds"),
    }


def _stamp_columns(analysis_: ArticleAnalysis, review: Review | None = None) -> dict[str, str]:
    s = stamp(analysis_, review=review)
    return {
        "app_version": s["app_version"],
        "model": s["model"],
        "model_version": s["model_version"],
        "thresholds": json.dumps(s["thresholds"], sort_keys=True),
        "formula": f"{NEV_FORMULA}; {NEV_POLAR_FORMULA}",
        "input_sha256": s["input_sha256"],
        "labels_overridden": str(s["labels_overridden"]),
    }


def sentences_frame(analysis_: ArticleAnalysis) -> pd.DataFrame:
    """One row per sentence in document order. `group` is empty for the core viewpoint; `themes`
    are theme ids joined by `;`; `evidence` is `term(+0.42)` items joined by `; `; `citations`
    are the bullet's [n] citations joined by `,`. Unscored sentences have empty score and label."""
    doc = analysis_.document
    rows: list[dict[str, Any]] = []

    def add(bullets: Any, group: int | None, group_title: str) -> None:
        for b in bullets:
            for s in b.sentences:
                rows.append(
                    {
                        "position": s.position,
                        "group": group,
                        "group_title": group_title,
                        "bullet": s.bullet,
                        "text": s.text,
                        "lang": s.lang,
                        "score": s.score,
                        "model_label": s.model_label if s.reviewed else s.label,
                        "label": s.label,
                        "reviewed": s.reviewed,
                        "themes": ";".join(s.themes),
                        "evidence": evidence_string(s.evidence),
                        "uncertain": "; ".join(s.uncertain),
                        "citations": ",".join(str(c) for c in b.citations),
                        **_emotion_cells(s.emotion),
                    }
                )

    if doc.core_viewpoint is not None:
        add([doc.core_viewpoint], None, "Core Viewpoint")
    for g in doc.groups:
        add(g.bullets, g.index, g.title)
    frame = pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
    frame["group"] = frame["group"].astype("Int64")
    frame["bullet"] = frame["bullet"].astype("Int64")
    frame["score"] = frame["score"].astype("Float64")
    frame["emotion_score"] = frame["emotion_score"].astype("Float64")
    frame["emotion_reviewed"] = frame["emotion_reviewed"].astype("boolean")
    return frame.sort_values("position", kind="stable").reset_index(drop=True)


def _emotion_cells(reading: EmotionReading | None) -> dict[str, Any]:
    """A sentence's emotion columns; every cell empty (None, NA) when it has no reading."""
    if reading is None:
        return dict.fromkeys(("emotion", "emotion_score", "emotion_second", "emotion_reviewed"))
    return {
        "emotion": reading.label,
        "emotion_score": reading.score,
        "emotion_second": reading.second,
        "emotion_reviewed": reading.reviewed,
    }


EMOTION_MIX_COLUMNS = [*(f"emotion_{e}" for e in EMOTIONS), "emotion_unread", "emotion_dominant"]


def emotion_mix_cells(mix: EmotionMix | None) -> dict[str, Any]:
    """An emotion mix as summary columns: a count per emotion, the unread texts and the dominant
    emotion (neutral left out); every cell empty when emotions were not read."""
    if mix is None:
        return dict.fromkeys(EMOTION_MIX_COLUMNS)
    return {
        **{f"emotion_{e}": mix.counts.get(e, 0) for e in EMOTIONS},
        "emotion_unread": mix.unread,
        "emotion_dominant": mix.dominant(),
    }


def _summary_row(name: str, s: SentimentSummary) -> dict[str, Any]:
    return {"name": name, **summary_row(s)}


def groups_frame(analysis_: ArticleAnalysis) -> pd.DataFrame:
    """The article, its core viewpoint and each group with counts and both NEV values, then the
    emotion mix of the same sentences (`EMOTION_MIX_COLUMNS`, empty when emotions were not read)."""
    read = analysis_.emotions is not None
    core = analysis_.document.core_viewpoint
    group_mixes: Sequence[EmotionMix | None] = (
        analysis_.group_emotions
        if read and len(analysis_.group_emotions) == len(analysis_.document.groups)
        else [None] * len(analysis_.document.groups)
    )
    rows = [
        {
            "index": None,
            **_summary_row("Article", analysis_.sentiment),
            **emotion_mix_cells(analysis_.emotions),
        }
    ]
    if analysis_.core_sentiment is not None:
        core_mix = None
        if read and core is not None:
            from analysis.emotion import summarize_emotions  # only when emotions were read

            core_mix = summarize_emotions(s.emotion for s in core.sentences)
        rows.append(
            {
                "index": None,
                **_summary_row("Core Viewpoint", analysis_.core_sentiment),
                **emotion_mix_cells(core_mix),
            }
        )
    for g, s, mix in zip(analysis_.document.groups, analysis_.group_sentiment, group_mixes, strict=True):
        rows.append({"index": g.index, **_summary_row(g.title, s), **emotion_mix_cells(mix)})
    frame = pd.DataFrame(rows)
    frame["index"] = frame["index"].astype("Int64")
    for col in EMOTION_MIX_COLUMNS[:-1]:
        frame[col] = frame[col].astype("Int64")
    return frame


def themes_frame(analysis_: ArticleAnalysis) -> pd.DataFrame:
    rows = [
        {
            "id": th.id,
            "name_en": th.name_en,
            "name_zh": th.name_zh,
            **summary_row(th.sentiment),
            "sentence_positions": ",".join(str(p) for p in th.sentence_positions),
            "terms": ";".join(th.terms),
        }
        for th in analysis_.themes
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "id", "name_en", "name_zh", "n", "positive", "neutral", "negative", "unscored",
            "nev", "nev_polar", "sentence_positions", "terms",
        ],
    )  # fmt: skip


def figures_frame(analysis_: ArticleAnalysis) -> pd.DataFrame:
    cols = ["kind", "text", "value", "unit", "meaning", "position", "context"]
    return pd.DataFrame(
        [{c: getattr(f, c) for c in cols} for f in analysis_.figures],
        columns=cols,
    )


def _shown(analysis_: ArticleAnalysis, review: Review | None) -> ArticleAnalysis:
    """What the rows show: the reviewed view when there is a review, else the model's analysis."""
    return review.view.analysis if review is not None else analysis_


ENTITY_COLUMNS = [
    "entity", "name_en", "type", "kind", "parent", "mentions", "occurrences", "positive", "neutral",
    "negative", "unscored", "nev", "nev_polar", *EMOTION_MIX_COLUMNS, "evidence", "surfaces",
    "sentence_positions", "sentence_labels",
]  # fmt: skip


def entities_frame(entities: Entities) -> pd.DataFrame:
    """One row per entity, most mentioned first: counts and both NEV values over the sentences
    that name it (each with the entity's clause-level label), `sentence_positions` joined by `,`
    and `sentence_labels` as `position:label` items (the label the entity got in that sentence);
    the emotion mix of those sentences in `EMOTION_MIX_COLUMNS` (empty when emotions were not read)."""
    rows = [
        {
            "entity": e.name,
            "name_en": e.name_en,
            "type": e.type,
            "kind": e.kind,
            "parent": e.parent,
            "mentions": e.mentions,
            "occurrences": e.occurrences,
            "positive": e.sentiment.positive,
            "neutral": e.sentiment.neutral,
            "negative": e.sentiment.negative,
            "unscored": e.sentiment.unscored,
            "nev": e.sentiment.nev,
            "nev_polar": e.sentiment.nev_polar,
            **emotion_mix_cells(e.emotions),
            "evidence": evidence_string(e.evidence),
            "surfaces": "; ".join(e.surfaces),
            "sentence_positions": ",".join(str(p) for p in e.sentence_positions),
            "sentence_labels": "; ".join(f"{s.position}:{s.label or ''}" for s in e.sentences),
        }
        for e in entities
    ]
    frame = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    for col in EMOTION_MIX_COLUMNS[:-1]:
        frame[col] = frame[col].astype("Int64")
    return frame


def sentence_entities(entities: Entities) -> dict[int, list[str]]:
    """Sentence position -> the entities it mentions (most mentioned entity first)."""
    out: dict[int, list[str]] = {}
    for e in entities:
        for p in e.sentence_positions:
            out.setdefault(p, []).append(e.name)
    return out


def export_frame(
    analysis_: ArticleAnalysis, review: Review | None = None, entities: Entities | None = None
) -> pd.DataFrame:
    """The sentences frame with the stamp columns appended (what the CSV holds); with the
    article's entities, an `entities` column (names joined by `; `) before the stamp columns."""
    frame = sentences_frame(_shown(analysis_, review))
    if entities is not None:
        named = sentence_entities(entities)
        frame["entities"] = ["; ".join(named.get(int(p), ())) for p in frame["position"]]
    for key, value in _stamp_columns(analysis_, review).items():
        frame[key] = value
    return frame


def to_csv_bytes(
    analysis_: ArticleAnalysis, review: Review | None = None, entities: Entities | None = None
) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly."""
    return export_frame(analysis_, review, entities).to_csv(index=False).encode("utf-8-sig")


AUDIT_COLUMNS = [
    "id", "created_at", "editor", "position", "text", "model", "model_version", "model_score",
    "model_label", "label", "note", "batch", "text_sha256",
]  # fmt: skip


def audit_frame(review: Review | None) -> pd.DataFrame:
    """The item's audit trail, oldest first (a reset shows an empty label)."""
    rows = [e.as_dict() for e in review.audit] if review is not None else []
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


def to_xlsx_bytes(
    analysis_: ArticleAnalysis, review: Review | None = None, entities: Entities | None = None
) -> bytes:
    """Sheets: sentences (with stamp columns), groups, themes, entities (when given), figures,
    stamp, and with a review the groups as the model saw them (groups_model) and the audit trail
    (audit)."""
    s = stamp(analysis_, review=review)
    shown = _shown(analysis_, review)
    stamp_rows = [
        ("app", s["app"]),
        ("app_version", s["app_version"]),
        ("model", s["model"]),
        ("model_version", s["model_version"]),
        *((f"component.{k}", v) for k, v in s["model_components"].items()),
        *((f"emotion_component.{k}", v) for k, v in s["emotion_components"].items()),
        *((f"threshold.{k}", v) for k, v in s["thresholds"].items()),
        ("formula.nev", NEV_FORMULA),
        ("formula.nev_polar", NEV_POLAR_FORMULA),
        ("input_sha256", s["input_sha256"]),
        ("labels_reviewed", s["labels_reviewed"]),
        ("labels_overridden", s["labels_overridden"]),
        ("generated_at", s["generated_at"]),
        ("title", analysis_.document.title or ""),
    ]
    sheets = {
        "sentences": export_frame(analysis_, review, entities),
        "groups": groups_frame(shown),
        "themes": themes_frame(shown),
        **({"entities": entities_frame(entities)} if entities is not None else {}),
        "figures": figures_frame(analysis_),
        "stamp": pd.DataFrame(stamp_rows, columns=["key", "value"]).astype({"value": str}),
    }
    if review is not None:
        sheets["groups_model"] = groups_frame(analysis_)
        sheets["audit"] = audit_frame(review)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes(1, 0)
            for i, col in enumerate(frame.columns):
                width = (
                    60
                    if col in ("text", "context", "value", "note", "sentence_labels")
                    else max(10, min(30, len(str(col)) + 4))
                )
                sheet.set_column(i, i, width)
    return buffer.getvalue()


def to_json_dict(
    analysis_: ArticleAnalysis, review: Review | None = None, entities: Entities | None = None
) -> dict[str, Any]:
    """The full analysis (the CLI's JSON contract) plus `stamp`, `sentiment_model` and
    `sentiment_reviewed` (equal without a review), the `audit` list and, when given, `entities`
    (`analysis.entities.entity_dict` of each)."""
    shown = _shown(analysis_, review)
    payload = shown.to_dict()
    if entities is not None:
        from analysis.entities import entity_dict  # only when there are entities to write

        payload["entities"] = [entity_dict(e) for e in entities]
    payload["sentiment_model"] = asdict_summary(analysis_.sentiment)
    payload["sentiment_reviewed"] = asdict_summary(shown.sentiment)
    payload["audit"] = [e.as_dict() for e in review.audit] if review is not None else []
    payload["stamp"] = stamp(analysis_, review=review)
    return payload


def asdict_summary(s: SentimentSummary) -> dict[str, Any]:
    return {k: v for k, v in _summary_row("", s).items() if k != "name"}


def to_json_bytes(
    analysis_: ArticleAnalysis, review: Review | None = None, entities: Entities | None = None
) -> bytes:
    """`to_json_dict` as UTF-8 JSON, Chinese unescaped."""
    payload = to_json_dict(analysis_, review, entities)
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def export_filename(analysis_: ArticleAnalysis, ext: str) -> str:
    """`opinion-lens_<first 12 hex of the input hash>.<ext>`: stable for the same input."""
    return f"opinion-lens_{analysis_.input_sha256[:12]}.{ext}"
