"""The matcher: every alias of the table in one trie-shaped regex, leftmost-longest, with a
vectorised prefilter for long texts (posts)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import numpy as np

_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")

_END = ""  # trie key marking the end of an alias
_SPACE_RUN = "[ \t\n\r\u00a0\u3000]+"  # the spaces `_Matcher` prefilters for


def _tokens(alias: str, sensitive: bool) -> list[str]:
    """An alias as regex pieces: letters case-insensitive as [Xx] unless `sensitive`, any run of
    spaces as \\s+, everything else literal."""
    pieces: list[str] = []
    for part in re.split(r"(\s+)", alias.strip()):
        if not part:
            continue
        if part.isspace():
            pieces.append(_SPACE_RUN)
            continue
        for ch in part:
            if not sensitive and ch.isascii() and ch.isalpha():
                pieces.append(f"[{ch.upper()}{ch.lower()}]")
            else:
                pieces.append(re.escape(ch))
    return pieces


_WHITESPACE = " \t\n\r\u00a0\u3000"
_BIGRAM_BITS = 20
_BIGRAM_SLOTS = 1 << _BIGRAM_BITS


class Matcher:
    """Every alias in one trie-shaped regex, with a vectorised prefilter for long texts.

    Longest match: at each trie node the longer continuations are tried before the end of an
    alias. Word boundaries apply at ASCII letter/digit ends only (小米SU7 matches inside Chinese
    text, SU7 not inside SU70). `scan` finds the positions whose first two characters begin an
    alias with numpy (a lookup table of first characters, then the sorted set of first bigrams),
    and tries there only the sub-pattern of that first character: the same leftmost-longest
    matches as `regex.finditer`, several times faster on posts, where most characters of Chinese
    text start no alias although many start one (一, 大, 中 ...)."""

    def __init__(self, insensitive: Iterable[str], sensitive: Iterable[str]) -> None:
        trie: dict[str, Any] = {}
        heads: dict[str, str] = {}  # first character -> its trie key
        bigrams: set[int] = set()
        self.short = False  # a one-character alias: the prefilter cannot serve, use the regex
        for sensitive_flag, aliases in ((False, insensitive), (True, sensitive)):
            for alias in aliases:
                alias = unicodedata.normalize("NFKC", alias).strip()
                if not alias:
                    continue
                self.short |= len(alias) < 2
                pieces = _tokens(alias, sensitive_flag)
                firsts = self._variants(alias[0], sensitive_flag)
                seconds = self._variants(alias[1], sensitive_flag) if len(alias) > 1 else []
                bigrams.update((ord(a) << 21) | ord(b) for a in firsts for b in seconds)
                left = bool(_ASCII_ALNUM.fullmatch(alias[0]))
                right = bool(_ASCII_ALNUM.fullmatch(alias[-1]))
                tail = (
                    r"(?![A-Za-z0-9])" if right and alias[-1].isdigit() else r"(?![A-Za-z])" if right else ""
                )
                for head in firsts:
                    key = re.escape(head) + (r"(?<![A-Za-z0-9].)" if left else "")
                    heads[head] = key
                    node = trie.setdefault(key, {})
                    for piece in pieces[1:]:
                        node = node.setdefault(piece, {})
                    node.setdefault(_END, set()).add(tail)
        self.branches = {head: key + self._render(trie[key]) for head, key in heads.items()}
        self._regex: re.Pattern[str] | None = None  # the whole table, compiled on first use
        self.first = np.zeros(0x110000, dtype=bool)
        self.first[[ord(h) for h in heads]] = True
        # first bigrams hashed into a bit table: a false hit only costs a failed regex match
        self.bigrams = np.zeros(_BIGRAM_SLOTS, dtype=bool)
        if bigrams:
            self.bigrams[self._slots(np.array(sorted(bigrams), dtype=np.uint64))] = True
        self._compiled: dict[str, re.Pattern[str]] = {}

    @staticmethod
    def _slots(pairs: np.ndarray) -> np.ndarray:
        return ((pairs * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - _BIGRAM_BITS)).astype(np.intp)

    @staticmethod
    def _variants(ch: str, sensitive: bool) -> list[str]:
        if ch.isspace():
            return list(_WHITESPACE)
        if not sensitive and ch.isascii() and ch.isalpha():
            return [ch.upper(), ch.lower()]
        return [ch]

    def _render(self, node: dict[str, Any]) -> str:
        branches = [piece + self._render(child) for piece, child in node.items() if piece != _END]
        ends = sorted(node.get(_END, ()), key=len, reverse=True)
        options = branches + ends  # an alias ending here is tried after every longer continuation
        if not options or (not branches and ends == [""]):
            return ""
        if len(options) == 1 and not ends:
            return options[0]
        return "(?:" + "|".join(options) + ")"

    @property
    def regex(self) -> re.Pattern[str]:
        """Every alias in one pattern. Compiled on first use (about 1 s for the shipped table, on
        a fresh server's first page otherwise): `scan` needs it only for tables with one-character
        aliases. A race compiles the same pattern twice, harmlessly."""
        if self._regex is None:
            self._regex = re.compile("|".join(self.branches.values()) if self.branches else r"(?!x)x")
        return self._regex

    def _pattern(self, head: str) -> re.Pattern[str]:
        rx = self._compiled.get(head)
        if rx is None:  # compiled on first use; a race compiles the same pattern twice, harmlessly
            rx = self._compiled[head] = re.compile(self.branches[head])
        return rx

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, surface) of every leftmost-longest alias match in `text`."""
        if self.short:
            return [(m.start(), m.end(), m.group()) for m in self.regex.finditer(text)]
        if len(text) < 64:  # a sentence: a set lookup per character beats numpy's set-up
            positions = [i for i, ch in enumerate(text[:-1]) if ch in self.branches]
        else:
            codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            candidates = np.flatnonzero(self.first[codes[:-1]])
            pairs = (codes[candidates].astype(np.uint64) << np.uint64(21)) | codes[candidates + 1]
            positions = candidates[self.bigrams[self._slots(pairs)]].tolist()
        out: list[tuple[int, int, str]] = []
        end = 0
        for pos in positions:
            if pos < end:
                continue
            m = self._pattern(text[pos]).match(text, pos)
            if m is not None:
                end = m.end()
                out.append((pos, end, m.group()))
        return out
