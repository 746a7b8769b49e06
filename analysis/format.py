"""Display conventions shared by exports, the CLI, the charts and the pages (one home for each).

- Percentages: a net emotional value is signed (`+12.3%`, `nev_percent`), a share is not
  (`45.6%`, `share_percent`). A missing value shows as `—` on screen (`MISSING`) and as `n/a` in
  plain text (`MISSING_TEXT`, the CLI report). Charts plot `percent_points` (a number, one decimal).
- Scores: signed to two decimals, `+0.42` (`score_text`).
- Dates: `2025-10-27` (`date_text`) and `2025-10-27 20:11` (`minute_text`), as written in the
  time's own offset.
- Evidence: `term(+0.42)` items (`evidence_string`); the separator is the caller's.
- Titles: a record's title, else its file name, else `#id` (`display_title`); an article in a
  picker as `#id · title · date` (`article_label`); the source with its Chinese name
  (`display_source`).
- Theme names in the UI language (`theme_name`).
- Colours: one palette for the labels (`LABEL_COLORS`, with light tints for the gauge's zones
  and marked evidence) and one diverging NEV scale (`NEV_COLORSCALE`); gauge zones at ±20 (`NEV_ZONE_NEGATIVE`, `NEV_ZONE_POSITIVE`, `nev_zone`).
  The UI strings take the zone bounds from here (analysis.i18n fills `{zone_negative}` and
  `{zone_positive}`), never a literal copy; prose writes a minus as `−` (`prose_minus`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from analysis.emotion.labels import emotion_name
from analysis.records import EmotionReading, Evidence

# -- percentages --------------------------------------------------------------------------------------
MISSING = "—"  # a value that does not exist (no scored sentence), on screen and in charts
MISSING_TEXT = "n/a"  # the same in plain text (the CLI report), where a dash reads as a minus


def percent_points(value: float | None, digits: int = 1) -> float | None:
    """A fraction as percentage points for a chart or table cell: -0.6667 -> -66.7."""
    return None if value is None else round(value * 100, digits)


def nev_percent(value: float | None, *, missing: str = MISSING, digits: int = 1) -> str:
    """A net emotional value (in [-1, 1]) as a signed percentage: `+12.3%`, `-66.7%`, `+0.0%`."""
    return missing if value is None else f"{value * 100:+.{digits}f}%"


def nev_decimal(value: float | None, *, missing: str = MISSING, digits: int = 3) -> str:
    """A net emotional value on its own −1…+1 scale, signed (`+0.123`): the posts' convention,
    whose charts plot that scale; `missing` when it does not exist (no scored post)."""
    if value is None:
        return missing
    try:
        undefined = bool(value != value)  # NaN
    except TypeError:  # pandas' NA has no truth value
        undefined = True
    return missing if undefined else f"{value:+.{digits}f}"


def share_percent(value: float | None, *, missing: str = MISSING, digits: int = 1) -> str:
    """A share (in [0, 1]) as an unsigned percentage: `45.6%`."""
    return missing if value is None else f"{value * 100:.{digits}f}%"


def count_share(part: int, n: int, *, missing: str = MISSING, digits: int = 1) -> str:
    """`part` of `n` as an unsigned percentage; `missing` when n is 0."""
    return share_percent(part / n if n else None, missing=missing, digits=digits)


def measure_percent(key: str, value: float | None, *, missing: str = MISSING) -> str:
    """A headline measure by its key (`negative_share`, `nev`, `nev_polar`, ...): shares unsigned,
    net emotional values signed."""
    if "share" in key:
        return share_percent(value, missing=missing)
    return nev_percent(value, missing=missing)


# -- scores and dates ----------------------------------------------------------------------------------
def score_text(score: float | None, *, missing: str = MISSING) -> str:
    """A sentence's or post's score in [-1, 1], signed to two decimals: `+0.42`; `missing` if unscored."""
    return missing if score is None else f"{score:+.2f}"


def emotion_text(reading: EmotionReading | None, lang: str = "zh", *, missing: str = MISSING) -> str:
    """A sentence's or post's emotion with its probability: `怒 0.62`, with a close runner-up
    `怒 0.48 / 哀`, ✎ when an analyst set it, and `?` when it is low confidence."""
    if reading is None:
        return missing
    text = f"{emotion_name(reading.label, lang)}{' ✎' if reading.reviewed else ''} {reading.score:.2f}"
    if reading.second:
        text += f" / {emotion_name(reading.second, lang)}"
    return text + (" ?" if reading.low_confidence else "")


def date_text(value: date | datetime | None, *, missing: str = MISSING) -> str:
    """`2025-10-27`; `missing` for no date."""
    return missing if value is None else f"{value:%Y-%m-%d}"


def minute_text(value: datetime | None, *, missing: str = MISSING) -> str:
    """`2025-10-27 20:11` (in the time's own offset); `missing` for no time."""
    return missing if value is None else f"{value:%Y-%m-%d %H:%M}"


# -- evidence -----------------------------------------------------------------------------------------
def md_escape(text: str | None) -> str:
    """Article or user text shown as Markdown: escape it so it shows as written (Streamlit renders
    no raw HTML there; this stops links, emphasis and headings from the text)."""
    if not text:
        return ""
    out = []
    for ch in text:
        if ch in "\\`*_{}[]()#+-.!|<>~$":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def evidence_string(evidence: Iterable[Evidence], sep: str = "; ") -> str:
    """`term(+0.42); term(-0.10)`: evidence terms with their signed weights."""
    return sep.join(f"{e.term}({e.weight:+.2f})" for e in evidence)


# -- titles and names ---------------------------------------------------------------------------------
def record_field(item: Any, name: str) -> Any:
    """A field of a record (dataclass, ORM-like object) or a mapping; None when it has none."""
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def display_title(item: Any, *, fallback: str | None = None) -> str:
    """What to call an article: its title, else its file name, else `fallback`, else `#id`
    (ArticleRecord, Document or a mapping; a document has neither file name nor id)."""
    title = record_field(item, "title") or record_field(item, "filename") or fallback
    if title:
        return str(title)
    ident = record_field(item, "id")
    return f"#{ident}" if ident is not None else ""


def article_label(record: Any, *, max_chars: int | None = 40) -> str:
    """An article in a picker: `#3 · 小米汽车陷入困境… · 2025-10-27` (the title cut at `max_chars`
    where the picker is narrow; None: whole). Language-neutral on purpose: Streamlit's AppTest
    formats options outside the app's session."""
    title = display_title(record, fallback="—")
    cut = f"{title[:max_chars]}…" if max_chars is not None and len(title) > max_chars else title
    return f"#{record_field(record, 'id')} · {cut} · {date_text(record_field(record, 'published_at'))}"


def display_source(document: Any, *, missing: str = MISSING) -> str:
    """The outlet as written, with its Chinese name when that differs: `Xin Lang Cai Jing (新浪财经)`."""
    source = record_field(document, "source")
    alias = record_field(document, "source_alias")
    if not source:
        return alias or missing
    return f"{source} ({alias})" if alias and alias != source else source


def theme_name(theme: Any, lang: str) -> str:
    """A theme's name in the UI language (ThemeScore, taxonomy Theme or mapping), else its id."""
    return record_field(theme, "name_zh" if lang == "zh" else "name_en") or record_field(theme, "id") or ""


# -- colours and gauge zones --------------------------------------------------------------------------
LABEL_COLORS: dict[str, str] = {
    "positive": "#2e9e4f",
    "neutral": "#9e9e9e",
    "negative": "#d64541",
    "unscored": "#d7ccc8",
}
# Light tints of the labels: the gauge's zones behind the needle, and evidence terms marked in a
# sentence (there the neutral tint is yellow, so a neutral term still stands out from the text).
GAUGE_ZONE_FILLS: dict[str, str] = {"negative": "#f6c9c7", "neutral": "#ececec", "positive": "#c8e8d1"}
EVIDENCE_MARK_FILLS: dict[str, str] = {"negative": "#f8c4c1", "neutral": "#fff3b0", "positive": "#bfe6c9"}
# Text on a label's colour (badges): white on the strong fills, near-black on the light ones.
_LABEL_TEXT = {"positive": "#ffffff", "negative": "#ffffff", "neutral": "#1f1f1f", "unscored": "#1f1f1f"}
# NEV in [-1, 1] on a diverging scale fixed to that range: the same colour means the same value.
NEV_COLORSCALE: list[list[Any]] = [
    [0.0, LABEL_COLORS["negative"]],
    [0.5, "#e6e6e6"],
    [1.0, LABEL_COLORS["positive"]],
]


def label_color(label: str | None) -> str:
    """The colour of a label (None: unscored)."""
    return LABEL_COLORS[label or "unscored"]


def label_text_color(label: str | None) -> str:
    """A readable text colour on `label_color(label)`."""
    return _LABEL_TEXT[label or "unscored"]


# Gauge zones on the NEV axis in percent. These are fixed reading aids for the *article-level*
# value, not the per-sentence neutral band: an article at -20 or below reads as net negative,
# +20 or above as net positive. (The neutral band decides each sentence's label; the zones only
# colour the gauge's axis.)
NEV_ZONE_NEGATIVE = -20.0
NEV_ZONE_POSITIVE = 20.0


def nev_zone(nev: float | None) -> str | None:
    """Which gauge zone a net emotional value (in [-1, 1]) falls in; None when there is no value."""
    if nev is None:
        return None
    pct = nev * 100
    if pct <= NEV_ZONE_NEGATIVE:
        return "negative"
    if pct >= NEV_ZONE_POSITIVE:
        return "positive"
    return "neutral"


def prose_minus(text: str) -> str:
    """A formula or number as UI prose writes it: with the typographic minus (U+2212) for `-`."""
    return text.replace("-", "\u2212")


def zone_bound(value: float) -> str:
    """A zone bound as prose shows it: `−20` (typographic minus), `+20`."""
    return prose_minus(f"{value:+g}")
