"""From an upload or pasted text to a stored, analysed article.

    bytes / pasted text -> readers.read_document -> Draft (text + metadata defaults)
        -> the user edits title / source / date -> save_draft: analyse, then insert in one transaction

Analysis runs before anything is written, so a file that fails anywhere stores nothing. A batch is
saved file by file: the good ones are stored, each bad one is reported with its own reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from analysis.errors import OpinionLensError
from analysis.lazy import once
from analysis.library import ArticleRecord, Library
from analysis.metadata import merge_metadata
from analysis.readers import ReaderError, ReadResult, read_document
from analysis.text.normalize import content_hash, stored_text_form

if TYPE_CHECKING:
    from analysis.records import ArticleAnalysis
    from analysis.sentiment import Progress, Scorer

PASTE_NAME = None  # pasted text has no file name; the reader sniffs HTML pasted as source


@dataclass(frozen=True)
class Draft:
    """A readable document waiting to be saved, with the metadata found in it as defaults."""

    text: str
    sha256: str
    filename: str | None
    format: str
    title: str | None
    source: str | None
    published_at: datetime | None


@dataclass(frozen=True)
class SaveOutcome:
    """What happened to one draft of a batch: saved, already there, or failed (with why)."""

    label: str  # the file name, or the title for pasted text
    status: Literal["saved", "duplicate", "failed"]
    article_id: int | None = None
    error: str | None = None
    error_code: str | None = None


def _draft_from(read: ReadResult, filename: str | None) -> Draft:
    text = stored_text_form(read.text)
    # The same title / source / date as the CLI reports for this file (analysis.format owns the rule).
    meta = merge_metadata(read)
    return Draft(
        text=text,
        sha256=content_hash(text),
        filename=filename,
        format=read.format,
        title=meta.title,
        source=meta.source,
        published_at=meta.published_at,
    )


def prepare_upload(data: bytes, filename: str | None) -> Draft:
    """Read an uploaded file. Raises `ReaderError` (with `.code`) for anything unreadable."""
    return _draft_from(read_document(data, filename), filename)


def prepare_paste(text: str) -> Draft:
    """Read pasted text through the same reader as a file, so pasting an article and uploading
    it give the same stored text (and the second one is recognised as a duplicate)."""
    return _draft_from(read_document(text.encode("utf-8"), PASTE_NAME), None)


def save_draft(
    library: Library,
    draft: Draft,
    *,
    title: str | None = None,
    source: str | None = None,
    published_at: datetime | None = None,
    use_draft_metadata: bool = True,
    model: str = "default",
    scorer: Scorer | None = None,
    progress: Progress | None = None,
    analysis: ArticleAnalysis | None = None,
) -> tuple[ArticleRecord, bool]:
    """Analyse the draft and store it with its sentiment summary; returns (ArticleRecord, created).

    With `use_draft_metadata` (the default) a field left None takes the draft's value; pass False
    to store exactly the given fields (the page does, so a cleared field stays cleared).
    Already stored text is returned at once, without analysing it again. `analysis`: the draft's
    analysis when it is already known (the sample's ready one), stored as it is.
    """
    if use_draft_metadata:
        title = title if title is not None else draft.title
        source = source if source is not None else draft.source
        published_at = published_at if published_at is not None else draft.published_at
    existing = library.find_by_sha(draft.sha256)
    if existing is not None:
        return existing, False
    # The library keeps the accurate tier's sentence scores: the pages read them, never re-embed.
    if analysis is None:
        from analysis.pipeline import analyze_text  # late: the pipeline loads models
        from analysis.sentiment import Scorer

        scorer = scorer or Scorer(model, workload="article", store=library)
        analysis = analyze_text(
            draft.text,
            title=title,
            source=source,
            published_at=published_at,
            scorer=scorer,
            progress=progress,
        )
    return library.add_article(
        draft.text,
        title=title,
        source=source,
        published_at=published_at,
        language=analysis.language,
        filename=draft.filename,
        summary=analysis.sentiment,
        model=f"{analysis.model.name}@{analysis.model.version}",
    )


def set_furniture_counted(
    library: Library,
    record: ArticleRecord,
    block_key: str,
    counted: bool,
    editor: str,
    *,
    scorer: Scorer | None = None,
) -> ArticleAnalysis:
    """Count a page-furniture block of a stored article in (or out again), and store the summary
    the article now has: the default model's, with every choice made so far, as `save_draft`
    stores it on intake (the library's NEV column and timeline read it). Returns that analysis."""
    from analysis.pipeline import analyze_text  # late: the pipeline loads models
    from analysis.sentiment import Scorer

    library.set_furniture_counted(record.id, block_key, counted, editor)
    scorer = scorer or Scorer("default", workload="article", store=library)
    analysis = analyze_text(
        record.text,
        title=record.title,
        source=record.source,
        published_at=record.published_at,
        scorer=scorer,
        count_in=library.furniture_counted(record.id),
    )
    library.update_article(
        record.id, summary=analysis.sentiment, model=f"{analysis.model.name}@{analysis.model.version}"
    )
    return analysis


def save_drafts(
    library: Library,
    drafts: Iterable[tuple[Draft, str | None, str | None, datetime | None]],
    *,
    model: str = "default",
    scorer: Scorer | None = None,
    progress: Progress | None = None,
) -> list[SaveOutcome]:
    """Save a batch, each draft in its own transaction: the good ones are stored, each failure is
    reported with its reason and stores nothing. Items are (draft, title, source, published_at) as
    edited by the user (stored exactly as given)."""
    outcomes: list[SaveOutcome] = []
    for draft, title, source, published_at in drafts:
        label = draft.filename or title or draft.title or draft.text[:40]
        try:
            record, created = save_draft(
                library,
                draft,
                title=title,
                source=source,
                published_at=published_at,
                use_draft_metadata=False,
                model=model,
                scorer=scorer,
                progress=progress,
            )
        except OpinionLensError as exc:  # reader, structure, model and storage errors alike
            code = exc.code if isinstance(exc, ReaderError) else None
            outcomes.append(SaveOutcome(label, "failed", error=str(exc), error_code=code))
            continue
        outcomes.append(SaveOutcome(label, "saved" if created else "duplicate", article_id=record.id))
    return outcomes


def ensure_sample(library: Library, sample_path: Path, ready_scores: Path | None = None) -> ArticleRecord:
    """Store the sample article on first run (analysed, with its parsed metadata); idempotent.

    Goes through the same intake as an upload, so uploading the sample file later finds it. The
    encoder's outputs for the sample ship ready (`READY_SCORES_PATH`, made by
    scripts/build_ready_scores.py): stored first, they spare a fresh server's first visitor the
    sample's embedding (issue 20). They are a cache: kept under the models' keys, so a changed
    model simply scores again."""
    data = Path(sample_path).read_bytes()
    draft = prepare_upload(data, Path(sample_path).name)
    existing = library.find_by_sha(draft.sha256)
    if existing is not None:
        return existing
    seed_ready_scores(library, draft.sha256, READY_SCORES_PATH if ready_scores is None else ready_scores)
    ready = ready_analysis(
        draft.text, title=draft.title, source=draft.source, published_at=draft.published_at
    )
    record, _created = save_draft(library, draft, analysis=ready)
    return record


# -- the sample's ready scores ------------------------------------------------------------------------
READY_SCORES_PATH = Path(__file__).resolve().parent / "data" / "sample_ready_scores.json"


class RecordingStore:
    """A ScoreStore in memory that keeps every score put into it (what the encoder computed)."""

    def __init__(self) -> None:
        self.scores: dict[str, dict[str, float]] = {}

    def get_sentence_scores(self, model_key: str, text_hashes: Sequence[str]) -> dict[str, float]:
        kept = self.scores.get(model_key, {})
        return {h: kept[h] for h in text_hashes if h in kept}

    def put_sentence_scores(self, model_key: str, scores: Mapping[str, float]) -> None:
        self.scores.setdefault(model_key, {}).update(scores)


def build_ready_scores(sample_path: Path) -> dict[str, object]:
    """Everything the encoder computes for an article on its first pages (its sentences'
    sentiment and emotions, the entity clauses), by model key and text hash, with the article's
    SHA-256: the content of READY_SCORES_PATH."""
    from analysis.entities import article_entities, default_table
    from analysis.pipeline import analyze_text
    from analysis.sentiment import Scorer

    draft = prepare_upload(Path(sample_path).read_bytes(), Path(sample_path).name)
    store = RecordingStore()
    scorer = Scorer("default", workload="article", store=store)
    analysis = analyze_text(
        draft.text, title=draft.title, source=draft.source, published_at=draft.published_at, scorer=scorer
    )
    article_entities(analysis, table=default_table(), scorer=scorer)
    scores = {key: dict(sorted(values.items())) for key, values in sorted(store.scores.items())}
    return {"sha256": draft.sha256, "scores": scores}


def seed_ready_scores(library: Library, sha256: str, path: Path) -> int:
    """Store the ready scores of the article with this SHA-256 (none when the file is for another
    text, missing or unreadable: they are only a head start). Returns how many were stored."""
    import json

    try:
        ready = json.loads(path.read_text(encoding="utf-8"))
        if ready.get("sha256") != sha256:
            return 0
        scores = {
            str(key): {str(h): float(v) for h, v in values.items()} for key, values in ready["scores"].items()
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return 0
    for key, values in scores.items():
        library.put_sentence_scores(key, values)
    return sum(len(v) for v in scores.values())


# -- the sample's ready analysis ----------------------------------------------------------------------
READY_ANALYSIS_PATH = Path(__file__).resolve().parent / "data" / "sample_ready_analysis.pickle"


@once
def _records_digest() -> str:
    # The pickle holds records of analysis.records: a changed layout there makes it unreadable or
    # wrong, so it is only used with the records module it was written with.
    import hashlib

    from analysis import records

    return hashlib.sha256(Path(records.__file__).read_bytes()).hexdigest()


def _ready_key(
    text: str, title: str | None, source: str | None, published_at: datetime | None, analysis_model: object
) -> tuple[object, ...]:
    import analysis

    return (
        analysis.__version__,
        _records_digest(),
        content_hash(text),
        title,
        source,
        published_at,
        analysis_model,
    )


def _current_models(langs: Sequence[str]) -> object:
    """The model stamp an analysis of these languages gets now with the default model (loads
    nothing heavy: the heads' files, not the encoder)."""
    from analysis.emotion.scorer import EmotionReader, tier_for, with_emotion_stamp
    from analysis.sentiment import Scorer

    scorer = Scorer("default", workload="article")
    return with_emotion_stamp(scorer.info(langs), EmotionReader(tier_for(scorer)), langs)


def build_ready_analysis(sample_path: Path) -> bytes:
    """The sample's analysis as a fresh library stores it and its first page shows it (default
    model, calibrated band), pickled with the key that says when it applies: the content of
    READY_ANALYSIS_PATH."""
    import pickle

    from analysis.pipeline import analyze_text

    draft = prepare_upload(Path(sample_path).read_bytes(), Path(sample_path).name)
    analysis = analyze_text(
        draft.text, title=draft.title, source=draft.source, published_at=draft.published_at
    )
    key = _ready_key(draft.text, draft.title, draft.source, draft.published_at, analysis.model)
    return pickle.dumps({"key": key, "analysis": analysis}, protocol=pickle.HIGHEST_PROTOCOL)


@once
def _load_ready(path: Path) -> dict[str, Any]:
    # Read once per process; a file that cannot be read raises and is tried again next time.
    import pickle

    return pickle.loads(path.read_bytes())


def ready_analysis(
    text: str,
    *,
    title: str | None,
    source: str | None,
    published_at: datetime | None,
    path: Path | None = None,
) -> ArticleAnalysis | None:
    """The shipped analysis of this text when it is exactly what `analyze_text` with the default
    model and the calibrated band would give now (same text, metadata, package and records
    version, and model stamp); None otherwise, and for any unreadable file. It spares a fresh
    server's first visitor the pipeline's first run (issue 20); tests/test_ready_scores.py fails
    when it is stale (python scripts/build_ready_scores.py writes it again)."""
    try:
        ready = _load_ready(READY_ANALYSIS_PATH if path is None else path)
        key, analysis = ready["key"], ready["analysis"]
    except Exception:  # missing, truncated or from other code: only a head start, never an error
        return None
    if not isinstance(key, tuple) or key[2] != content_hash(text):
        return None
    langs = sorted(set(analysis.model.components))
    if key != _ready_key(text, title, source, published_at, _current_models(langs or ["zh", "en"])):
        return None
    return analysis
