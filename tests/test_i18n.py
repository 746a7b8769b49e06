import re

from analysis.format import NEV_ZONE_NEGATIVE, NEV_ZONE_POSITIVE, prose_minus, zone_bound
from analysis.i18n import UI_LANGS, catalog, t
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA


def test_every_string_has_both_languages() -> None:
    for key, entry in catalog().items():
        for lang in UI_LANGS:
            assert entry.get(lang), f"{key} lacks {lang}"


def test_lookup_and_format() -> None:
    assert t("label.negative", "zh") == "负面"
    assert t("label.negative", "en") == "Negative"


# Formulas and gauge zones live in code (analysis.metrics, analysis.format); a string names them.
_FORMULA = re.compile(r"\(\s*(?:P|正面)\s*[−-]\s*(?:N|负面)\s*\)|\(\s*P\s*\+\s*(?:U\s*\+\s*)?N\s*\)")
_ZONE = re.compile(r"(?<![\w.])[−+±-]\s?" + f"{NEV_ZONE_POSITIVE:g}" + r"(?![\d.])")


def test_no_string_repeats_a_formula_or_a_gauge_zone() -> None:
    for key, entry in catalog().items():
        for lang in UI_LANGS:
            text = entry[lang]
            assert not _FORMULA.search(text), f"{key} ({lang}) repeats a formula: use {{nev_formula}}"
            assert not _ZONE.search(text), f"{key} ({lang}) repeats a gauge zone: use {{zone_negative}}"


def test_the_guard_catches_the_old_copies() -> None:
    assert _FORMULA.search("Net emotional value = (P − N) / (P + U + N)")
    assert _FORMULA.search("净情感值 = (正面 − 负面) / (正面 + 中性 + 负面)")
    assert _ZONE.search("≤ −20 net negative, −20 to +20 balanced") and _ZONE.search("±20")
    assert not _ZONE.search("2020-06-20 10:00, Jan–May 2020")


def test_constants_fill_their_placeholders() -> None:
    nev, polar = prose_minus(NEV_FORMULA), prose_minus(NEV_POLAR_FORMULA)
    for lang in UI_LANGS:
        zones = t("ov.gauge_zones", lang)
        assert zone_bound(NEV_ZONE_NEGATIVE) in zones and zone_bound(NEV_ZONE_POSITIVE) in zones
        assert "{" not in zones
        assert nev in t("library.col.nev_help", lang)
        text = t("posts.formulas", lang, p=1, u=2, n=3, model="m", band="b")
        assert nev in text and polar in text and "P = 1" in text
    assert zone_bound(NEV_ZONE_NEGATIVE) == "−20" and zone_bound(NEV_ZONE_POSITIVE) == "+20"
    assert nev == "nev = (P − N) / (P + U + N)"  # the constant, with prose's minus sign
    # Without fields a string comes back as written, the constants it names filled in.
    assert "{p}" in t("posts.formulas", "en") and nev in t("posts.formulas", "en")
    # A caller's field wins over a default.
    assert "X" in t("library.col.nev_help", "en", nev_formula="X")
