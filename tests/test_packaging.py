"""The deploy files agree with the package: Cloud installs requirements.txt, pip installs pyproject."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _normalize(req: str) -> str:
    name, _, rest = re.split(r"(==|>=|<=|~=)", req, maxsplit=1) if "=" in req else (req, "", "")
    return re.sub(r"[-_.]+", "-", name.strip().lower()) + _ + rest.strip()


def test_requirements_match_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = sorted(_normalize(d) for d in project["dependencies"])
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    listed = sorted(_normalize(x) for x in lines if x.strip() and not x.startswith("#"))
    assert listed == declared


def test_streamlit_is_pinned_and_python_floor() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(d.startswith("streamlit==") for d in project["dependencies"])
    assert project["requires-python"] == ">=3.11"


def test_analysis_never_imports_streamlit() -> None:
    pattern = re.compile(r"^\s*(import streamlit|from streamlit)", re.MULTILINE)
    offenders = [
        p for p in (ROOT / "analysis").rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_seed_article_kept_verbatim() -> None:
    seed = ROOT.parent / "shared" / "data" / "seed_article.txt"
    sample = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
    assert sample.read_text(encoding="utf-8").startswith("小米汽车陷入困境")
    if seed.exists():  # beside the checkout in development and CI
        assert sample.read_bytes() == seed.read_bytes()
