"""Numbers an article states: percentages, counts, durations, money and dates, in zh and en.

(The module was `figures.py`, then `stated_numbers.py`; the records still call one stated
number a `Figure`.)

Each figure keeps the text as written, a normalised value (0.96 for 96%, 200000 for 二十万辆,
1.101e11 for 1101亿港元), its unit, the sentence it stands in and, when the words around it say what
it is, a `meaning` ("negative sentiment share", "net emotional value", ...). Ranges ("five to seven
years", 五到七年, 20-30万辆) keep the low end in `value` and the high end in `value_high`.

How: one regular expression per kind finds candidates; where candidates overlap the longest wins
(so "5个月" is a duration, not a count of 个; "2025年10月27日" is one date, not a year). Numbers
inside words (SU7, Q3), group and section numbers ("Group 1", 第1组) and citation markers ([1]) are
never figures. A bare four-digit number is a year only when it is plausible (1900–2100) and the
words around it make it one ("by 2024", "in 2024", 2024年, "2024-2025").

Modules, one idea each:

- `numbers`: numerals as numbers (`parse_zh_number`, `parse_en_number`) and their word tables.
- `candidates`: where a text states a number: the pattern per kind, units, ranges, dates and years,
  labels and citation markers skipped, and the longest of overlapping candidates kept.
- `meanings`: what a figure is, from the cue words around it; `stated_sentiment`, the sentiment
  figures the article itself states.
- `extract`: `figures_in_text` and `extract_figures`, candidates and meanings as `Figure` records.
"""

from analysis.stated_numbers.extract import extract_figures, figures_in_text
from analysis.stated_numbers.meanings import stated_sentiment
from analysis.stated_numbers.numbers import parse_en_number, parse_zh_number

__all__ = ["extract_figures", "figures_in_text", "parse_en_number", "parse_zh_number", "stated_sentiment"]
