"""Shared fixtures and markers for the whole suite.

Fixtures (defined in tests/dashboard_fixtures.py with the AppTest helpers, available everywhere):

- `library_template` (session): a SQLite library holding the analysed sample article, built once;
- `temp_library`: a copy of it for one test, OPINION_LENS_DB_URL pointing at the copy, empty caches;
- `app_env`: `temp_library` with Streamlit in the state a running server is in.

Page tests request `temp_library` or `app_env` by name (or `pytestmark =
pytest.mark.usefixtures("temp_library")`); nothing here is autouse, so unit tests pay nothing.

Markers: `python -m pytest -m "not browser and not slow" -n 2` is the quick local run (pytest-xdist,
two workers; under 100 s on this 2-core machine); the README's `python -m pytest -n 2 --dist
loadgroup` (and CI) runs everything, the browser tests in one worker (tests/browser/conftest.py).
"""

from __future__ import annotations

import os

# pytest-xdist workers (-n 2): one BLAS thread each, set before numpy loads, so
# two workers on two cores do not run four threads that take turns.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import warnings

import pytest

from tests.dashboard_fixtures import app_env, library_template, temp_library

# The app's background warm-up (pages/ui/warm.py) stays off in-process: AppTest runs pages in this
# process, where a warm-up thread would load models into the middle of tests that count loads.
# tests/test_warm.py turns it on for its own tests; the browser tests' servers run it (server.py).
os.environ.setdefault("OPINION_LENS_WARM_UP", "0")


def _scan_component_manifests_once() -> None:
    """Every AppTest scans all installed distributions for Streamlit component manifests (0.3 to
    1 s each, about a third of a page test's time); the installed packages do not change during a
    test session, so the scan runs once per process and its result is shared."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    if not hasattr(manifest_scanner.scan_component_manifests, "cache_info"):
        manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


_scan_component_manifests_once()

__all__ = ["app_env", "library_template", "temp_library"]

# Tests that take several seconds, in files whose own markers are kept by their owners; marked
# `slow` here so the quick run leaves them out. Node ids without parameters.
SLOW = frozenset(
    {
        "tests/test_corpus_cli.py::test_timeline_xlsx_and_stdin",
        "tests/test_themes.py::test_prefix_dict_read_whole_equals_jiebas_own",
        "tests/test_corpus_cli.py::test_timeline_contract",
        "tests/test_corpus_properties.py::test_random_jsonl_raises_only_corpus_errors",
        "tests/test_structure_properties.py::test_time_grows_linearly_up_to_a_megabyte",
        # Over 1 s each on a quiet 2-core machine (measured with --durations=0): the full suite
        # runs them, the quick run (README) leaves them out so that it stays under 100 s.
        "tests/test_access.py::test_read_only_until_unlocked",
        "tests/test_access.py::test_without_passphrase_everything_stays_editable",
        "tests/test_briefing.py::test_posts_brief_sections_rows_and_errors",
        "tests/test_cli.py::test_article_bad_input_one_line_on_stderr",
        "tests/test_cli.py::test_article_from_stdin_text_format",
        "tests/test_cli.py::test_article_json_contract_on_seed",
        "tests/test_cli.py::test_cli_and_library_give_a_file_the_same_source",
        "tests/test_cli.py::test_missing_file_and_bad_model",
        "tests/test_cli.py::test_score_emotions_bad_input_one_line",
        "tests/test_cli_entities.py::test_cli_and_posts_page_agree_on_the_sample",
        "tests/test_cli_entities.py::test_contract_counts_and_share_of_voice",
        "tests/test_cli_entities.py::test_help_and_a_real_process",
        "tests/test_corpus_aggregate.py::test_counts_are_conserved_and_nev_bounded",
        "tests/test_corpus_emotions.py::test_emotion_counts_conserve_every_post_unread_included",
        "tests/test_corpus_properties.py::test_random_tables_raise_only_corpus_errors",
        "tests/test_entities.py::test_first_load_is_thread_safe_with_eight_threads",
        "tests/test_entities.py::test_jieba_hook_adds_table_names_to_our_tokenizer_only",
        "tests/test_layout_suite.py::test_layout_suite_pass_rate",
        "tests/test_page_emotions.py::test_an_opened_sentence_shows_the_words_behind_its_emotion",
        "tests/test_page_entities.py::test_a_conflicting_or_repeated_alias_is_refused_with_a_clear_message",
        "tests/test_page_entities.py::test_an_editor_adds_an_alias_and_every_analysis_uses_it",
        "tests/test_page_entities.py::test_entity_sentiment_follows_the_labels_shown",
        "tests/test_page_entities.py::test_su7_and_a_contrast_sentence_split_between_two_entities",
        "tests/test_page_furniture.py::test_count_the_promo_back_in_changes_n_and_nev_and_stays_after_a_restart",
        "tests/test_page_library.py::test_delete_needs_confirmation",
        "tests/test_page_posts.py::test_emoticon_only_reposts_and_unscored_posts_are_counted",
        "tests/test_page_posts.py::test_emotion_share_chart_and_the_spikes_emotion",
        "tests/test_page_posts.py::test_every_post_counted_and_coordinated_posting_listed",
        "tests/test_page_posts.py::test_sample_corpus_in_one_click",
        "tests/test_page_posts.py::test_upload_csv_confirm_mapping_timeline_spike_and_period",
        "tests/test_page_posts.py::test_upload_xlsx_gb18030_headers_and_changed_mapping",
        "tests/test_page_posts.py::test_year_less_time_column_shows_the_assumed_year",
        "tests/test_page_posts_entities.py::test_competitor_set_recomputes_share_of_voice",
        "tests/test_page_posts_entities.py::test_long_table_shows_whole_periods",
        "tests/test_page_posts_entities.py::test_top_entities_with_share_of_voice_per_period",
        "tests/test_page_posts_entities.py::test_totals_show_each_entity_s_emotions",
        "tests/test_page_posts_review.py::test_no_change_before_a_reviewer_is_named_and_errors_are_translated",
        "tests/test_page_posts_review.py::test_one_post_then_a_whole_period_then_undo",
        "tests/test_page_report.py::test_posts_report_html_has_the_corpus_and_its_nev",
        "tests/test_page_review.py::test_bulk_over_the_current_filter_previews_then_confirms",
        "tests/test_page_review.py::test_bulk_over_the_limit_is_refused_with_a_clear_message",
        "tests/test_page_review.py::test_method_page_measures_the_model_on_the_corrections",
        "tests/test_page_review.py::test_override_shows_both_labels_and_the_overview_reviewed_nev",
        "tests/test_page_review.py::test_queue_labels_a_sentence_with_one_click",
        "tests/test_page_review.py::test_reset_and_undo",
        "tests/test_page_review_emotion.py::test_an_editor_sets_a_sentence_emotion_beside_its_label_and_undoes_it",
        "tests/test_page_review_emotion.py::test_method_page_measures_the_emotion_model_on_the_corrections",
        "tests/test_page_review_emotion.py::test_reset_goes_back_to_the_model_emotion_in_english",
        "tests/test_page_viewpoints.py::test_article_text_is_escaped_and_evidence_marked",
        "tests/test_page_viewpoints.py::test_label_filter_theme_filter_and_sort_change_the_table",
        "tests/test_readers.py::test_docx_total_size_bomb_is_rejected_before_parsing",
        "tests/test_sentiment_accurate.py::test_cli_fallback_note_when_encoder_missing",
        "tests/test_sentiment_accurate.py::test_progress_reports_every_costly_batch",
        "tests/test_sentiment_prior.py::test_words_absent_from_every_training_text_get_a_weight_of_the_right_sign",
        "tests/test_structure_properties.py::test_large_inputs_finish",
        "tests/test_structure_properties.py::test_parse_never_fails_and_keeps_invariants",
        "tests/test_structure_properties.py::test_split_sentences_pieces_come_from_the_text",
        "tests/test_text_layer.py::test_title_derivation_leaves_jiebas_global_state_alone",
        "tests/test_warm.py::test_the_app_starts_one_warm_up_and_the_sidebar_says_what_is_being_prepared",
        "tests/test_warm.py::test_the_model_steps_load_what_the_pages_use",
    }
)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects anything
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    found = set()
    for item in items:
        node = item.nodeid.split("[", 1)[0]
        if node in SLOW:
            item.add_marker(pytest.mark.slow)
            found.add(node)
    # A renamed test would silently join the quick run: say so when its whole file was collected.
    if any("::" in arg for arg in config.args):
        return
    files = {item.nodeid.split("::", 1)[0] for item in items}
    for node in sorted(SLOW - found):
        if node.split("::", 1)[0] in files:
            warnings.warn(
                pytest.PytestWarning(f"tests/conftest.py SLOW names {node}, not collected"), stacklevel=1
            )
