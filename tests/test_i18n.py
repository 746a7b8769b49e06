from analysis.i18n import UI_LANGS, catalog, t


def test_every_string_has_both_languages() -> None:
    for key, entry in catalog().items():
        for lang in UI_LANGS:
            assert entry.get(lang), f"{key} lacks {lang}"


def test_lookup_and_format() -> None:
    assert t("label.negative", "zh") == "负面"
    assert t("label.negative", "en") == "Negative"
