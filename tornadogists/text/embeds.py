"""A gist on other sites: the embed's scoped styles, the script that writes it, the snippets. Pure functions."""

import functools
import hashlib
import html
import json
import re

from pygments.formatters import HtmlFormatter

from tornadogists.text.highlight import CSS_CLASS, DARK_STYLE, STYLE
from tornadogists.text.themes import THEMES

__all__ = ["THEMES", "stylesheet", "style_version", "js_string", "script_parts", "code_for_embed",
           "snippets", "frame_height"]

SCOPE = ".tg-embed"
# The site's palettes (static/site.css), as custom properties that exist only inside an embed.
PALETTES = {
    "light": "color-scheme:light;--tg-bg:#fff;--tg-ink:#1f2328;--tg-muted:#59636e;--tg-line:#d1d9e0;"
             "--tg-soft:#f6f8fa;--tg-link:#0b6bcb;--tg-number:#6e7781",
    "dark": "color-scheme:dark;--tg-bg:#0d1117;--tg-ink:#e6edf3;--tg-muted:#9198a1;--tg-line:#3d444d;"
            "--tg-soft:#151b23;--tg-link:#4493f8;--tg-number:#8b949e",
}
CODE_STYLES = {"light": STYLE, "dark": DARK_STYLE}
MONO = "ui-monospace,SFMono-Regular,Menlo,Consolas,monospace"
# Layout for every theme. Host pages style bare `a`, `li`, `i`, `h1`...: every property we rely on
# is set here, under the embed's own class, so a blog's stylesheet cannot reshape the code.
_LAYOUT = f"""
{SCOPE}{{display:block;margin:1em 0;padding:0;border:1px solid var(--tg-line);border-radius:6px;overflow:hidden;background:var(--tg-bg);color:var(--tg-ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;text-align:left}}
{SCOPE} *{{box-sizing:border-box}}
{SCOPE} a{{color:var(--tg-link);text-decoration:none;background:none;border:0;box-shadow:none}}
{SCOPE} a:hover{{text-decoration:underline}}
{SCOPE} .tg-file+.tg-file{{border-top:1px solid var(--tg-line)}}
{SCOPE} .tg-file-head{{display:flex;gap:12px;align-items:baseline;margin:0;padding:6px 12px;background:var(--tg-soft);border-bottom:1px solid var(--tg-line);font-size:13px}}
{SCOPE} .tg-name{{flex:1;font-family:{MONO};font-weight:600;overflow-wrap:anywhere}}
{SCOPE} .tg-file .tg-scroll.highlight{{overflow-x:auto;margin:0;padding:0;background:var(--tg-bg)}}
{SCOPE} ol.tg-code{{list-style:none;margin:0;padding:4px 0;width:max-content;min-width:100%;font:13px/1.5 {MONO};color:var(--tg-ink);background:none;border:0}}
{SCOPE} ol.tg-code>li{{display:block;list-style:none;margin:0;padding:0 12px 0 0;min-height:1.5em;white-space:pre;font:inherit;color:inherit;background:none;border:0}}
{SCOPE} ol.tg-code>li>a{{display:inline-block;box-sizing:content-box;width:4ch;margin:0 12px 0 0;padding:0 10px;text-align:right;color:var(--tg-number);border-right:1px solid var(--tg-line);user-select:none}}
{SCOPE} ol.tg-code.tg-wide>li>a{{width:6ch}}
{SCOPE} ol.tg-code i{{font-style:normal}}
{SCOPE} .tg-note{{margin:0;padding:10px 12px;color:var(--tg-muted)}}
{SCOPE} .tg-prose{{padding:4px 16px;overflow-wrap:anywhere}}
{SCOPE} .tg-prose :is(h1,h2,h3,h4,h5,h6){{margin:.8em 0 .4em;color:inherit;font-family:inherit;line-height:1.25;border:0}}
{SCOPE} .tg-prose h1{{font-size:1.5em}} {SCOPE} .tg-prose h2{{font-size:1.3em}} {SCOPE} .tg-prose h3{{font-size:1.1em}}
{SCOPE} .tg-prose :is(p,ul,ol,blockquote,table){{margin:0 0 .8em}}
{SCOPE} .tg-prose :is(ul,ol){{padding-left:2em}} {SCOPE} .tg-prose li{{margin:0 0 .25em;padding:0}}
{SCOPE} .tg-prose pre{{margin:0 0 .8em;padding:8px 12px;overflow-x:auto;border-radius:6px;font:13px/1.5 {MONO}}}
{SCOPE} .tg-prose code{{font-family:{MONO};font-size:.9em}}
{SCOPE} .tg-prose img{{max-width:100%}}
{SCOPE} .tg-foot{{display:flex;flex-wrap:wrap;gap:2px 12px;margin:0;padding:6px 12px;background:var(--tg-soft);border-top:1px solid var(--tg-line);color:var(--tg-muted);font-size:12px}}
{SCOPE} .tg-foot .tg-back{{flex:1;font-weight:600}}
body.tg-frame{{margin:0;background:transparent}}
body.tg-frame>{SCOPE}{{margin:0}}
"""
_COMMENT = re.compile(r"\s*/\*.*?\*/")


def _palette(theme_class: str, palette: str) -> str:
    """One palette: the colours and the code's token colours, for embeds of class `theme_class`."""
    scope = f"{SCOPE}.{theme_class}"
    formatter = HtmlFormatter(style=CODE_STYLES[palette])
    prefix = f"{scope} .{CSS_CLASS}"
    rules = formatter.get_background_style_defs(prefix) + formatter.get_token_style_defs(prefix)
    # Pygments' comments name each token type: bytes every blog reader would download.
    return f"{scope}{{{PALETTES[palette]}}}\n" + "\n".join(_COMMENT.sub("", rule) for rule in rules)


@functools.lru_cache(maxsize=len(THEMES))
def stylesheet(theme: str) -> str:
    """The whole CSS an embed of `theme` needs, every rule under `.tg-embed`; auto follows the
    system's setting. Each theme has its own class, so embeds of two themes can share a page."""
    theme_class = f"tg-{theme}"
    if theme == "auto":
        palettes = (f"@media (prefers-color-scheme:light){{\n{_palette(theme_class, 'light')}\n}}\n"
                    f"@media (prefers-color-scheme:dark){{\n{_palette(theme_class, 'dark')}\n}}")
    else:
        palettes = _palette(theme_class, theme)
    return _LAYOUT.lstrip() + palettes + "\n"


@functools.lru_cache(maxsize=len(THEMES))
def style_version(theme: str) -> str:
    """A short hash of the stylesheet: its URL's version and the id of its copy on a host page."""
    return hashlib.sha1(stylesheet(theme).encode()).hexdigest()[:10]


def js_string(text: str) -> str:
    """`text` as a JavaScript string literal that stays inert wherever the script text ends up:
    no `<` at all (so no `</script>` or `<!--`), and no raw line separators (old engines)."""
    literal = json.dumps(text, ensure_ascii=False)
    return literal.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@functools.lru_cache(maxsize=len(THEMES))
def script_parts(theme: str) -> tuple[bytes, bytes]:
    """The script around an embed's HTML (as a js_string): (before, after).

    It inserts the embed right after its own <script> element (document.currentScript), so an
    async, deferred or later-added script works too, where document.write would be ignored
    or would wipe the page; document.write is only the fallback when there is no current script.
    The styles go in once per page and theme: a second embed finds them by id.
    """
    style_id = f"tg-embed-css-{theme}-{style_version(theme)}"
    style = js_string(f'<style id="{style_id}">{stylesheet(theme)}</style>')
    opening = js_string(f'<div class="tg-embed tg-{theme}">')
    before = (f"/* A gist embedded from TornadoGists. */\n(function () {{\n"
              f"  var here = document.currentScript;\n"
              f"  var html = (document.getElementById({js_string(style_id)}) ? \"\" : {style})\n"
              f"    + {opening}\n    + ")
    after = ("\n    + \"\\u003c/div>\";\n"
             "  if (here && here.parentNode) here.insertAdjacentHTML(\"afterend\", html);\n"
             "  else document.write(html);\n})();\n")
    return before.encode(), after.encode()


def code_for_embed(code_html: str) -> str:
    """A file's numbered lines (text/highlight.py numbered_lines) with numbers that are not links:
    on someone else's page, hundreds of them would be hundreds of stops for the Tab key, and
    their anchors would point into that page. The `<a>` stays, for the CSS that styles the number,
    hidden from screen readers, which would otherwise read a number before each line."""
    return code_html.replace("<a href=#file-", "<a aria-hidden=true data-href=#file-")


def frame_height(files: list[dict]) -> int:
    """An iframe's height that shows a short gist whole and a long one in part, in CSS pixels."""
    lines = sum(min(f.get("line_count") or 3, 40) for f in files)
    return min(60 + 37 * len(files) + 20 * lines, 600)


def snippets(script_url: str, frame_url: str, title: str, height: int) -> tuple[str, str]:
    """The HTML a blog pastes: a <script> embed and an <iframe> embed."""
    script = f'<script src="{html.escape(script_url)}"></script>'
    frame = (f'<iframe src="{html.escape(frame_url)}" title="{html.escape(title)}" width="100%" '
             f'height="{height}" style="border:0" loading="lazy"></iframe>')
    return script, frame
