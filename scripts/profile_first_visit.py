"""Where a fresh server's first visit spends its time: every page's first run, profiled.

    python scripts/profile_first_visit.py [--top 25] [--lang zh] [--no-warm]

One fresh process and an empty temporary library, as a new deployment has: the entry point runs
(the Overview, with the sample stored and analysed on the way), then every other page once, in
sidebar order, through Streamlit's AppTest (the same script runs a live server makes, without the
browser). Each run is timed and profiled with cProfile; the script prints, per page, its wall time
and the functions of the project and its libraries with the most cumulative time, so the costs on
the request path are named rather than guessed (issue 20).

`--no-warm` leaves the background warm-up (pages.ui.warm) off, to see the first visit as it was
without it. Prints Markdown; the benchmark (scripts/benchmark_cold.py) includes the same table.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ["overview", "viewpoints", "themes", "timeline", "posts", "library", "compare", "method"]

# Frames that only wrap others (Streamlit's script and page runners, module bodies): their
# cumulative time is the page's total and says nothing about where it went.
_WRAPPERS = ("script_runner", "exec_code", "app_test", "<module>", "navigation/page.py", "<string>")


def _label(func: tuple[str, int, str]) -> str:
    path, line, name = func
    path = path.replace(str(ROOT) + os.sep, "")
    for marker in ("site-packages" + os.sep, "lib" + os.sep + "python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{path}:{line}({name})"


class ThreadProfiles:
    """cProfile for every thread started while it is on: AppTest (like a live server) runs the
    script in a thread of its own, which a profile of the calling thread would not see."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []
        self._run = threading.Thread.run

    def __enter__(self) -> ThreadProfiles:
        profiles, original = self.profiles, self._run

        def run(thread: threading.Thread) -> None:
            profile = cProfile.Profile()
            profiles.append(profile)
            profile.runcall(original, thread)

        threading.Thread.run = run  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        threading.Thread.run = self._run  # type: ignore[method-assign]

    def stats(self) -> pstats.Stats | None:
        # Only threads that finished; a thread still running (a background warm-up) is left out.
        done = []
        for profile in self.profiles:
            try:
                profile.create_stats()
                done.append(profile)
            except Exception:  # still collecting in its thread
                continue
        return pstats.Stats(*done) if done else None


def top_costs(stats: pstats.Stats | None, n: int) -> list[tuple[str, float, float]]:
    """(function, cumulative s, own s) of the `n` costliest functions, wrappers left out."""
    if stats is None:
        return []
    rows = []
    for func, (_cc, _nc, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        label = _label(func)
        if any(w in label for w in _WRAPPERS) or label.startswith("~"):
            continue
        rows.append((label, cumulative, own))
    rows.sort(key=lambda r: r[1], reverse=True)
    return rows[:n]


Result = list[tuple[str, float, list[tuple[str, float, float]]]]


def profile_pages(top: int, lang: str, warm: bool, sessions: int = 1) -> list[Result]:
    """Per session, [(page, wall s, top costs)] for its first run of every page, all in one fresh
    process: the first session meets a cold process, the later ones what every other visitor
    pays (on a server, many of them at once)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    # As a live server after its first run (tests/dashboard_fixtures.py legacy_pages_off).
    original_init = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]
    if not warm:
        os.environ["OPINION_LENS_WARM_UP"] = "0"
    out = []
    for _ in range(sessions):
        results = []
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.session_state["ui_lang"] = lang
        for page in PAGES:
            began = time.perf_counter()
            with ThreadProfiles() as profiles:
                if page == "overview":
                    at.run()
                else:
                    at.switch_page(f"pages/{page}.py").run()
            wall = time.perf_counter() - began
            if at.exception:
                raise SystemExit(f"{page}: {at.exception[0].value}")
            results.append((page, wall, top_costs(profiles.stats(), top)))
        out.append(results)
    return out


def report(sessions: list[Result]) -> str:
    header = " | ".join(f"session {i + 1} s" for i in range(len(sessions)))
    lines = [f"| page, first run | {header} |", "|---|" + "---|" * len(sessions)]
    for k, (page, _, _) in enumerate(sessions[0]):
        lines.append(f"| {page} | " + " | ".join(f"{s[k][1]:.2f}" for s in sessions) + " |")
    for i, results in enumerate(sessions):
        for page, wall, rows in results:
            lines += ["", f"### session {i + 1}, {page}: {wall:.2f} s", ""]
            lines += ["| function | cumulative s | own s |", "|---|---|---|"]
            lines += [f"| `{label}` | {cum:.2f} | {own:.2f} |" for label, cum, own in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=25, help="functions listed per page (default 25)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--sessions", type=int, default=2, help="sessions one after another (default 2)")
    parser.add_argument("--no-warm", dest="warm", action="store_false", help="background warm-up off")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="opinion-lens-profile-"))
    os.environ["OPINION_LENS_DB_URL"] = f"sqlite:///{workdir / 'library.db'}"
    began = time.perf_counter()
    sessions = profile_pages(args.top, args.lang, args.warm, args.sessions)
    print(f"# First visit to every page, one fresh process ({time.perf_counter() - began:.1f} s in all)\n")
    print(report(sessions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
