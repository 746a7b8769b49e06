"""Read a table of posts (CSV in any common delimiter / encoding, XLSX, JSONL, TXT) in chunks, and
detect which column holds the text, the time and the optional fields.

Every failure is a `CorpusError` with a stable `code` (the UI turns it into a bilingual message, the
CLI prints it as one line): empty file, binary file, no rows, no text-like column, and so on.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import IO, Literal, TextIO

import numpy as np
import pandas as pd

from analysis.errors import OpinionLensError, ReaderError
from analysis.text.decode import sniff_encoding as text_sniff_encoding

Format = Literal["csv", "xlsx", "jsonl", "txt"]
HEAD_BYTES = 1 << 20  # enough of a file to sniff its encoding, delimiter and columns
DELIMITERS = (",", "\t", ";", "|")


class CorpusError(OpinionLensError):
    """Input that cannot be read as a table of posts. `code` names the problem for the UI:
    empty_file, binary, unreadable, no_rows, no_text_column, unknown_column, no_time_column,
    time_unparsed, bad_option."""

    def __init__(self, code: str, message: str, **fields: object) -> None:
        super().__init__(message, code=code, **fields)


@dataclass(frozen=True)
class ColumnMapping:
    """Which input column plays which role (None: absent)."""

    text: str
    time: str | None = None
    source: str | None = None
    author: str | None = None
    region: str | None = None
    likes: str | None = None
    reposts: str | None = None
    comments: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, str | None]) -> ColumnMapping:
        known = {f.name for f in fields(cls)}
        return cls(**{k: (v or None) for k, v in data.items() if k in known})  # type: ignore[arg-type]

    def columns(self) -> list[str]:
        return [c for c in asdict(self).values() if c]


ROLES: tuple[str, ...] = tuple(f.name for f in fields(ColumnMapping))
OPTIONAL_ROLES: tuple[str, ...] = ("source", "author", "region", "likes", "reposts", "comments")

# Header names per role, Chinese and English (compared lower-cased, spaces/underscores removed).
_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "message", "post", "tweet", "fulltext", "comment", "review",
             "正文", "内容", "文本", "微博内容", "微博正文", "评论内容", "帖子内容", "回复内容", "评论", "博文"),
    "time": ("time", "timestamp", "datetime", "date", "createdat", "created", "pubtime", "publishtime",
             "posttime", "postedat", "publishedat", "时间", "发布时间", "发帖时间", "评论时间", "日期",
             "创建时间", "发表时间", "发布日期"),
    "source": ("source", "platform", "site", "channel", "media", "来源", "平台", "渠道", "媒体", "站点"),
    "author": ("author", "user", "username", "screenname", "nickname", "name", "作者", "用户", "用户名",
               "昵称", "博主", "发布者"),
    "region": ("region", "location", "province", "city", "iplocation", "area", "地区", "地域", "省份",
               "城市", "ip属地", "属地", "位置"),
    "likes": ("likes", "like", "likecount", "likescount", "attitudescount", "favorites", "点赞", "点赞数",
              "赞", "赞数", "点赞量"),
    "reposts": ("reposts", "repost", "repostscount", "shares", "share", "retweets", "retweetcount",
                "转发", "转发数", "转发量", "分享", "分享数"),
    "comments": ("comments", "commentscount", "commentcount", "replies", "replycount", "评论数",
                 "评论量", "回复数"),
}  # fmt: skip


def _norm_header(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(name)).lower()


# ---------------------------------------------------------------- format, encoding, delimiter
def detect_format(head: bytes, filename: str | None) -> Format:
    suffix = Path(filename).suffix.lower() if filename else ""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"  # a zip: XLSX whatever the name says (a renamed zip that is not XLSX fails there)
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".txt":
        return "txt"
    if not suffix and head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith((b"{", b"[")):
        return "jsonl"
    return "csv"


def sniff_encoding(head: bytes) -> str:
    """utf-8-sig / utf-8 / gb18030 / utf-16(-le/-be), by the text layer's one sniffer, from the
    first bytes; CorpusError for an empty or binary file."""
    try:
        return text_sniff_encoding(head, truncated=len(head) >= HEAD_BYTES)
    except ReaderError as exc:
        if exc.code == "empty":
            raise CorpusError("empty_file", "the file is empty") from None
        raise CorpusError("binary", f"this is not a text table: {exc}") from None


def sniff_delimiter(text_head: str) -> str:
    """The delimiter among , TAB ; | that splits the first lines most consistently."""
    lines = [ln for ln in text_head.splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        pass
    best, best_score = ",", -1.0
    for d in DELIMITERS:
        counts = [ln.count(d) for ln in lines]
        if counts[0] == 0:
            continue
        score = counts[0] - float(np.std(counts))
        if score > best_score:
            best, best_score = d, score
    return best


# ---------------------------------------------------------------- the reader
@dataclass
class TableSource:
    """A table opened for reading in chunks."""

    format: Format
    encoding: str | None
    delimiter: str | None
    columns: list[str]
    _data: bytes | None
    _path: Path | None

    def _stream(self) -> IO[bytes]:
        if self._path is not None:
            return open(self._path, "rb")
        return io.BytesIO(self._data or b"")

    def iter_chunks(self, chunk_size: int = 50_000) -> Iterator[pd.DataFrame]:
        """Chunks of at most `chunk_size` rows, every value a string (NaN for missing)."""
        if chunk_size < 1:
            raise CorpusError("bad_option", "chunk size must be at least 1")
        try:
            if self.format == "csv":
                yield from self._csv_chunks(chunk_size)
            elif self.format == "txt":
                yield from self._txt_chunks(chunk_size)
            elif self.format == "jsonl":
                yield from self._jsonl_chunks(chunk_size)
            else:
                yield from self._xlsx_chunks(chunk_size)
        except UnicodeDecodeError:
            raise CorpusError(
                "unreadable", f"the file mixes text encodings (read as {self.encoding})"
            ) from None
        except (pd.errors.ParserError, csv.Error, ValueError) as exc:
            if isinstance(exc, CorpusError):
                raise
            raise CorpusError("unreadable", f"cannot read the table: {str(exc).splitlines()[0]}") from None

    def _csv_chunks(self, chunk_size: int) -> Iterator[pd.DataFrame]:
        with self._stream() as fh:
            reader = pd.read_csv(
                fh,
                sep=self.delimiter,
                encoding=self.encoding,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                chunksize=chunk_size,
                on_bad_lines="skip",  # ragged lines are skipped, not fatal
                skipinitialspace=False,
            )
            for chunk in reader:
                chunk.columns = unique_names(chunk.columns)
                yield chunk

    def _txt_chunks(self, chunk_size: int) -> Iterator[pd.DataFrame]:
        with self._stream() as fh:
            text = io.TextIOWrapper(fh, encoding=self.encoding, newline=None)
            buf: list[str] = []
            for line in text:
                buf.append(line.rstrip("\r\n"))
                if len(buf) >= chunk_size:
                    yield pd.DataFrame({"text": buf}, dtype=str)
                    buf = []
            if buf:
                yield pd.DataFrame({"text": buf}, dtype=str)

    def _jsonl_chunks(self, chunk_size: int) -> Iterator[pd.DataFrame]:
        with self._stream() as fh:
            text = io.TextIOWrapper(fh, encoding=self.encoding, newline=None)
            first = text.read(1)
            while first and first.isspace():
                first = text.read(1)
            if first == "[":  # a JSON array of objects (not streamed: such files are small)
                yield from _frames(json.loads("[" + text.read()), chunk_size)
                return
            rows: list[object] = []
            for lineno, line in enumerate(_prepend(first, text), start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    raise CorpusError("unreadable", f"line {lineno} is not valid JSON") from None
                if len(rows) >= chunk_size:
                    yield from _frames(rows, chunk_size)
                    rows = []
            if rows:
                yield from _frames(rows, chunk_size)

    def _xlsx_chunks(self, chunk_size: int) -> Iterator[pd.DataFrame]:
        rows_iter, header, close = _xlsx_rows(self._stream())
        try:
            buf: list[tuple[object, ...]] = []
            for row in rows_iter:
                buf.append(row)
                if len(buf) >= chunk_size:
                    yield _xlsx_frame(header, buf)
                    buf = []
            if buf:
                yield _xlsx_frame(header, buf)
        finally:
            close()


def _prepend(first: str, text: TextIO) -> Iterator[str]:
    rest = text.readline()
    yield first + rest
    yield from text


def _frames(rows: list[object], chunk_size: int) -> Iterator[pd.DataFrame]:
    records = [r if isinstance(r, dict) else {"text": r} for r in rows]
    for i in range(0, len(records), chunk_size):
        frame = pd.DataFrame.from_records(records[i : i + chunk_size])
        yield (
            frame.map(
                lambda v: (
                    v
                    if v is None or isinstance(v, str)
                    else json.dumps(v, ensure_ascii=False)
                    if isinstance(v, (dict, list))
                    else str(v)
                )
            )
            .astype(str)
            .where(frame.notna())
        )


def _xlsx_rows(stream: IO[bytes]) -> tuple[Iterator[tuple[object, ...]], list[str], Callable[[], None]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        stream.close()
        raise CorpusError("binary", "this file is not a readable XLSX workbook nor a text table") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)

    def close() -> None:
        wb.close()
        stream.close()

    if header is None:
        close()
        raise CorpusError("no_rows", "the workbook's first sheet is empty")
    return rows, unique_names(header), close


def unique_names(header: Iterable[object]) -> list[str]:
    """Column names as the user reads them: stripped, an empty one named by its place, and a
    repeat numbered (" " and "\r" both strip to ""; two columns of one name would make every
    column lookup ambiguous)."""
    names: list[str] = []
    seen: set[str] = set()
    for i, h in enumerate(header):
        name = str(h).strip() if h is not None else ""
        name = name or f"column_{i + 1}"
        base, k = name, 2
        while name in seen:
            name, k = f"{base} ({k})", k + 1
        seen.add(name)
        names.append(name)
    return names


def _xlsx_frame(header: list[str], rows: list[tuple[object, ...]]) -> pd.DataFrame:
    width = len(header)
    fixed = [tuple(r[:width]) + (None,) * (width - len(r)) for r in rows]
    frame = pd.DataFrame.from_records(fixed, columns=header)
    return frame.map(lambda v: None if v is None or v == "" else str(v)).astype(str).where(frame.notna())


def open_table(source: bytes | str | Path, filename: str | None = None) -> TableSource:
    """Open bytes (an upload, stdin) or a path; sniff format, encoding, delimiter and columns."""
    path: Path | None = None
    data: bytes | None = None
    if isinstance(source, bytes):
        data = source
        head = data[:HEAD_BYTES]
    else:
        path = Path(source)
        filename = filename or path.name
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    if not head.strip():
        raise CorpusError("empty_file", "the file is empty")
    fmt = detect_format(head, filename)
    encoding: str | None = None
    delimiter: str | None = None
    if fmt != "xlsx":
        encoding = sniff_encoding(head)
        if fmt == "csv":
            text_head = head.decode(encoding.replace("utf-16", "utf-16"), errors="ignore")
            delimiter = sniff_delimiter(text_head)
    table = TableSource(fmt, encoding, delimiter, [], data, path)
    first = next(table.iter_chunks(200), None)
    if first is None or first.empty:
        raise CorpusError("no_rows", "the file has a header but no rows" if fmt != "txt" else "no lines")
    table.columns = [str(c) for c in first.columns]
    return table


def read_table(source: bytes | str | Path, filename: str | None = None) -> tuple[TableSource, pd.DataFrame]:
    """The whole table in memory (for the dashboard; the CLI streams with `iter_chunks`)."""
    table = open_table(source, filename)
    frames = list(table.iter_chunks(100_000))
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return table, frame


# ---------------------------------------------------------------- column detection
_URL_RE = r"^\s*(?:https?://|www\.)\S+\s*$"
_NUMERIC_RE = r"^\s*[-+]?[\d,]*\.?\d+\s*[万wWkK]?\s*$"


def _text_score(values: pd.Series) -> float:
    """How much a column looks like free text: median length of non-numeric, non-URL values."""
    s = values.dropna().astype(str).str.strip()
    s = s[s != ""]
    if s.empty:
        return 0.0
    numeric = s.str.match(_NUMERIC_RE).mean()
    urls = s.str.match(_URL_RE).mean()
    letters = s.str.count(r"[\u4e00-\u9fffA-Za-z]") / s.str.len().clip(lower=1)
    if numeric > 0.5 or urls > 0.5 or letters.median() < 0.3:
        return 0.0
    return float(s.str.len().median() * (1 - numeric) * (1 - urls) * letters.median())


def _numeric_share(values: pd.Series) -> float:
    s = values.dropna().astype(str).str.strip()
    s = s[s != ""]
    return float(s.str.match(_NUMERIC_RE).mean()) if len(s) else 0.0


def _name_rank(column: str, role: str) -> int:
    """2 for an exact synonym, 1 when a synonym is part of the header, 0 otherwise."""
    h = _norm_header(column)
    names = _NAMES[role]
    if h in names:
        return 2
    if any(len(n) >= 2 and n in h for n in names):
        return 1
    return 0


def detect_mapping(sample: pd.DataFrame) -> ColumnMapping:
    """Guess each role's column from header names (Chinese or English) and contents."""
    from analysis.corpus.timeparse import looks_like_time

    columns = [str(c) for c in sample.columns]
    if not columns:
        raise CorpusError("no_rows", "the table has no columns")
    time_rate = {c: looks_like_time(sample[c]) for c in columns}
    text_score = {c: _text_score(sample[c]) if time_rate[c] < 0.8 else 0.0 for c in columns}
    # Free text of a few characters; a lone column (a TXT file) only has to hold letters.
    textlike = [c for c in columns if text_score[c] >= (0.5 if len(columns) == 1 else 4)]
    if not textlike:
        raise CorpusError(
            "no_text_column",
            "no column looks like post text (free text of a few characters or more); columns: "
            + ", ".join(columns[:20]),
        )
    text = max(textlike, key=lambda c: (_name_rank(c, "text"), text_score[c]))

    timelike = [c for c in columns if c != text and time_rate[c] >= 0.5]
    time = max(timelike, key=lambda c: (_name_rank(c, "time") > 0, time_rate[c], _name_rank(c, "time")),
               default=None)  # fmt: skip

    used = {text, time}
    found: dict[str, str | None] = {}
    for role in OPTIONAL_ROLES:
        candidates = [c for c in columns if c not in used and _name_rank(c, role) > 0]
        if role in ("likes", "reposts", "comments"):
            candidates = [c for c in candidates if _numeric_share(sample[c]) >= 0.8]
        else:
            candidates = [c for c in candidates if time_rate[c] < 0.5 and _numeric_share(sample[c]) < 0.8]
        best = max(candidates, key=lambda c: _name_rank(c, role), default=None)
        found[role] = best
        if best:
            used.add(best)
    return ColumnMapping(text=text, time=time, **found)


def validate_mapping(mapping: ColumnMapping, columns: list[str], *, need_time: bool) -> None:
    for role, column in mapping.to_dict().items():
        if column and column not in columns:
            raise CorpusError(
                "unknown_column",
                f"no column named {column!r} (for {role}); columns: {', '.join(columns[:20])}",
                column=column,
            )
    if need_time and not mapping.time:
        raise CorpusError("no_time_column", "no time column was given or detected")


def parse_counts(values: pd.Series) -> pd.Series:
    """Engagement counts as exports write them: `1,234`, `1.2万`, `3k`, blank → 0."""
    s = values.astype("string").str.strip().str.replace(",", "", regex=False)
    mult = pd.Series(1.0, index=s.index)
    mult[s.str.endswith(("万", "w", "W")).fillna(False).astype(bool)] = 10_000.0
    mult[s.str.endswith(("k", "K")).fillna(False).astype(bool)] = 1_000.0
    num = pd.to_numeric(s.str.rstrip("万wWkK"), errors="coerce")
    return (num * mult).fillna(0).clip(lower=0)
