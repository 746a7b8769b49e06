"""A brief's HTML printed to PDF by headless Chromium (Playwright's `page.pdf`): A4, page numbers
in the footer, charts drawn as SVG (vector in the PDF), text selectable and searchable in
Chinese (the CJK font stack of analysis.briefing.model). Where Chromium or Playwright is missing,
`BriefError` (code chromium_missing) says how to install them; the HTML needs neither.

The browser: $OPINION_LENS_CHROMIUM, else the distribution's Chromium (/usr/bin/chromium, …),
else Playwright's own download (`playwright install chromium`). Every request the page makes is
refused: a brief is drawn from what it carries.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from analysis.briefing.output import BriefError
from analysis.briefing.render import CHART_WIDTH
from analysis.i18n import t

CHROMIUM_ENV = "OPINION_LENS_CHROMIUM"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
INSTALL_HINT = (
    "pip install playwright, then `playwright install chromium` (or apt-get install chromium "
    "fonts-noto-cjk, or set $OPINION_LENS_CHROMIUM to a Chromium binary)"
)
CHART_TIMEOUT_MS = 20_000
MARGIN: Any = {"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}


def chromium_path() -> str | None:
    """A Chromium binary to drive, or None (then Playwright's own download may still exist)."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found


def pdf_unavailable() -> str | None:
    """Why no PDF can be made here (with how to fix it), or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"Playwright is not installed: {INSTALL_HINT}"
    if chromium_path() is None and not _playwright_chromium():
        return f"no Chromium found: {INSTALL_HINT}"
    return None


def _playwright_chromium() -> bool:
    home = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    return any(home.glob("chromium*")) if home.exists() else False


def _footer(lang: str) -> str:
    text = t(
        "rep.page", lang, page='<span class="pageNumber"></span>', pages='<span class="totalPages"></span>'
    )
    return (
        '<div style="width:100%;font-size:8px;color:#777;text-align:center;'
        f'font-family:Noto Sans CJK SC,sans-serif">{text}</div>'
    )


def _print(html: str, lang: str) -> bytes:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            path = chromium_path()
            browser = (
                p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS) if path else p.chromium.launch()
            )
            try:
                context = browser.new_context(viewport={"width": CHART_WIDTH, "height": 1000})
                page = context.new_page()
                page.route("**/*", lambda route: route.abort())  # offline: nothing leaves the page
                page.set_content(html, wait_until="load")
                page.wait_for_function(
                    "document.documentElement.dataset.charts !== 'pending'", timeout=CHART_TIMEOUT_MS
                )
                page.emulate_media(media="print")
                return fix_han_text(
                    page.pdf(
                        format="A4",
                        print_background=True,
                        display_header_footer=True,
                        header_template="<span></span>",
                        footer_template=_footer(lang),
                        margin=MARGIN,
                    )
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "Executable doesn't exist" in str(exc):
            raise BriefError(f"no Chromium found: {INSTALL_HINT}", code="chromium_missing") from None
        raise BriefError(f"Chromium could not print the report: {first}", code="pdf_failed") from None


def html_to_pdf(html: str, lang: str = "zh") -> bytes:
    """Print a brief's HTML to PDF bytes. Runs in a worker thread: Playwright's sync API refuses
    a thread with a running event loop (the Streamlit server's, a notebook's)."""
    why = pdf_unavailable()
    if why is not None:
        raise BriefError(why, code="chromium_missing")
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, lang).result()


# -- text extraction: Han characters as themselves ----------------------------------------------------
# CJK fonts (Noto Sans CJK among them) draw a Kangxi radical and its unified ideograph with one
# glyph; Chromium's PDF then maps that glyph back to the radical (⼩ U+2F29 for 小 U+5C0F), so the
# PDF looks right but its text does not search or copy as written. We map every such code point of
# every ToUnicode table to its unified ideograph (NFKC: exactly that mapping for these blocks).
_RADICAL_BLOCKS = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
_HEX = re.compile(r"<([0-9A-Fa-f]+)>")


def _is_radical(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _RADICAL_BLOCKS)


def _decode_utf16(hexes: str) -> str:
    return bytes.fromhex(hexes).decode("utf-16-be", errors="surrogatepass")


def _encode_utf16(text: str) -> str:
    return text.encode("utf-16-be", errors="surrogatepass").hex().upper()


# The simplified radicals (CJK Radicals Supplement) have no NFKC mapping; the characters they are
# drawn as in Chinese fonts:
_SIMPLIFIED = dict(
    zip(
        "⺰⻅⻆⻈⻉⻋⻐⻓⻔⻙⻚⻛⻜⻠⻢⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
        "纟见角讠贝车钅长门韦页风飞饣马鱼鸟卤麦黄黾齐齿龙龟",
        strict=True,
    )
)


def _unified(text: str) -> str:
    return "".join(
        _SIMPLIFIED.get(ch) or unicodedata.normalize("NFKC", ch) if _is_radical(ch) else ch for ch in text
    )


def fix_cmap(cmap: str) -> str:
    """A ToUnicode CMap with radical and compatibility code points mapped to unified ideographs
    (ranges expanded to single mappings where they cover one); unchanged when it has none."""
    mappings: list[tuple[str, str]] = []  # (source code hex, destination text)
    changed = False
    for block in re.finditer(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        tokens = _HEX.findall(block.group(1))
        for src, dst in zip(tokens[::2], tokens[1::2], strict=False):
            mappings.append((src, _decode_utf16(dst)))
    for block in re.finditer(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for line in block.group(1).strip().splitlines():
            tokens = _HEX.findall(line)
            if len(tokens) < 3:
                continue
            lo, hi, width = int(tokens[0], 16), int(tokens[1], 16), len(tokens[0])
            if "[" in line:  # an array of destinations
                dests = [_decode_utf16(x) for x in tokens[2:]]
            else:
                start = _decode_utf16(tokens[2])
                dests = [start[:-1] + chr(ord(start[-1]) + i) for i in range(hi - lo + 1)]
            mappings += [(f"{lo + i:0{width}X}", d) for i, d in enumerate(dests)]
    fixed = [(src, _unified(dst)) for src, dst in mappings]
    changed = any(a[1] != b[1] for a, b in zip(mappings, fixed, strict=True))
    if not changed:
        return cmap
    body = re.sub(r"\d+\s+beginbfchar.*?endbfchar\s*", "", cmap, flags=re.S)
    body = re.sub(r"\d+\s+beginbfrange.*?endbfrange\s*", "", body, flags=re.S)
    blocks = []
    for i in range(0, len(fixed), 100):
        chunk = fixed[i : i + 100]
        lines = "\n".join(f"<{src}> <{_encode_utf16(dst)}>" for src, dst in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar\n")
    return body.replace("endcmap", "".join(blocks) + "endcmap", 1)


def _to_unicode_streams(obj: Any, seen: set[int], out: list[Any]) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if isinstance(obj, IndirectObject):
        key = obj.idnum
        if key in seen:
            return
        seen.add(key)
        obj = obj.get_object()
    if isinstance(obj, DictionaryObject):
        for k, v in obj.items():
            if k == "/ToUnicode":
                out.append(v.get_object())
            elif k not in ("/Parent", "/P"):
                _to_unicode_streams(v, seen, out)
    elif isinstance(obj, ArrayObject):
        for v in obj:
            _to_unicode_streams(v, seen, out)


def fix_han_text(pdf: bytes) -> bytes:
    """The PDF with every font's ToUnicode table fixed by `fix_cmap` (pages, fonts and drawings)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    streams: list[Any] = []
    for page in writer.pages:
        _to_unicode_streams(page.get("/Resources"), set(), streams)
    changed = False
    for stream in {id(s): s for s in streams}.values():
        old = stream.get_data().decode("latin-1")
        new = fix_cmap(old)
        if new != old:
            stream.set_data(new.encode("latin-1"))
            changed = True
    if not changed:
        return pdf
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
