"""Unicode ranges of the scripts the analysis tells apart (one definition, used everywhere)."""

from __future__ import annotations

import re

# CJK Unified Ideographs, Extension A and the Compatibility Ideographs: what we count as Chinese.
HAN_RANGES: tuple[tuple[int, int], ...] = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
HAN_CLASS = "".join(f"{chr(a)}-{chr(b)}" for a, b in HAN_RANGES)  # the body of a regex [...] class
# Han plus CJK symbols and punctuation (、。「」) and full-width forms (，！？).
CJK_CLASS = "\u3000-\u303f" + HAN_CLASS + "\uff00-\uffef"

HAN = re.compile(f"[{HAN_CLASS}]")
CJK = re.compile(f"[{CJK_CLASS}]")


def is_han(ch: str) -> bool:
    """True for one Han character (the same ranges as `HAN`)."""
    code = ord(ch)
    return any(a <= code <= b for a, b in HAN_RANGES)
