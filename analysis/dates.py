"""Calendar vocabulary shared by every stage that reads dates (structure, figures, corpus times)."""

from __future__ import annotations

# English month names and abbreviations (lower case) → month number.
MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# A regex alternation of MONTHS, longest first so "september" wins over "sep".
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
