"""Syntax highlighting of gist files: compact HTML per source line, numbered lines for the page."""

import html
import os.path
import re

from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class, get_lexer_by_name, get_lexer_for_filename
from pygments.lexers.special import TextLexer
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

__all__ = ["file_anchor", "highlight_lines", "highlight_code", "numbered_lines", "cut_after", "rest_from", "as_spans", "split_lines", "is_markdown",
           "looks_binary", "stylesheet"]

STYLE = "default"            # the light theme's; its looks decide the classes (_look_classes)
DARK_STYLE = "github-dark"   # the dark theme's colours for the same classes
CSS_CLASS = "highlight"

_MARKDOWN_EXTENSIONS = {".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn"}
_BINARY_MIME_PREFIXES = ("image/", "audio/", "video/", "font/")
_BINARY_MIME_TYPES = {
    "application/octet-stream",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/x-bzip2",
    "application/x-xz",
    "application/x-7z-compressed",
    "application/x-rar-compressed",
    "application/vnd.rar",
    "application/java-archive",
    "application/pdf",
    "application/wasm",
    "application/x-executable",
    "application/x-sharedlib",
    "application/x-mach-binary",
    "application/vnd.microsoft.portable-executable",
}
_TEXT_IMAGE_TYPES = {"image/svg+xml"}  # an SVG is XML source, shown as text


def split_lines(content: str) -> list[str]:
    """Split like Pygments and GitHub do: on \\n, \\r\\n or \\r; at least one line."""
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # a final newline ends the last line, it does not start one
    return lines


def highlight_lines(filename: str, content: str, language: str | None = None) -> list[str]:
    """Highlighted HTML per source line; elements never cross a line end."""
    return _highlighted(_lexer(filename, content, language), content)


def highlight_code(content: str, language: str) -> str | None:
    """Fenced code in Markdown coloured exactly as a file in `language` is (the same lexers, the
    same classes), as Pygments' usual spans; None when no lexer knows the language."""
    lexer = _language_lexer(language)
    return None if lexer is None else as_spans("\n".join(_highlighted(lexer, content)))


def _highlighted(lexer: Lexer, content: str) -> list[str]:
    lines = split_lines(content)
    source = "\n".join(lines) + "\n"
    highlighted = [_line_html(pieces) for pieces in _token_lines(lexer.get_tokens(source))]
    if len(highlighted) != len(lines):
        # A lexer that eats or adds lines must not shift the line anchors.
        return [html.escape(line, quote=False) for line in lines]
    return highlighted


def file_anchor(name: str) -> str:
    """A file's anchor as gist.github.com builds it: `file-` and the name lower-cased, every
    character but a-z, 0-9, `_` and `-` made a `-` (`hello_tornado.py` -> `file-hello_tornado-py`).
    A file's section carries it; its lines keep `file-{n}-L{i}` (bytes: see numbered_lines), and
    site.js turns GitHub's `#file-{name}-L{i}` into those and shows the GitHub form in the address bar."""
    return "file-" + re.sub(r"[^a-z0-9_-]", "-", name.lower())


def numbered_lines(lines: list[str], n: int) -> str:
    """File `n`'s lines as the page shows them, in an `<ol class="code">`: each an `<li>` whose id is
    its anchor, starting with a link to itself that holds its number (so it has a name to say).

    Bytes count on a 6,000-line page: attributes go unquoted and `</li>` is left out (the
    next `<li>` closes it), so `<li id=file-{n}-L{i}>` also marks where each line starts.
    """
    return "".join(f"<li id=file-{n}-L{i}><a href=#file-{n}-L{i}>{i}</a>{line}" for i, line in enumerate(lines, 1))


# A long file's first lines go out as elements, the rest in a <noscript>: lines to a browser without
# scripts, one string (nothing to lay out) to one with, which makes them lines when wanted (site.js).
SHOWN_LINES = 200


def rest_from(line_count: int) -> int | None:
    """After which line a file's page holds its lines as text (None: all as elements)."""
    return SHOWN_LINES if line_count > 2 * SHOWN_LINES else None


def cut_after(numbered: str, n: int, lines) -> list[tuple[str, int | None]]:
    """`numbered_lines` output cut after each of `lines` (to put things under them):
    [(piece ending with that line, line), ..., (the rest, None)]."""
    pieces, start = [], 0
    for line in sorted(lines):
        end = numbered.find(f"<li id=file-{n}-L{line + 1}>", start)
        end = len(numbered) if end < 0 else end   # the last line
        pieces.append((numbered[start:end], line))
        start = end
    pieces.append((numbered[start:], None))
    return pieces


def as_spans(highlighted: str) -> str:
    """Highlighted HTML with Pygments' usual `<span class="...">`, for a feed (whose sanitiser
    keeps only spans). Source text never holds a bare `<`, so every `<i class=` is ours."""
    return highlighted.replace("<i class=", "<span class=").replace("</i>", "</span>")


def _look_classes(style) -> dict:
    """Token type -> CSS class, one class per look: tokens that look alike (an operator and a
    number) share the most general one's class, tokens drawn plain get none, so neighbours merge."""
    by_look: dict[tuple, list] = {}
    for ttype, name in STANDARD_TYPES.items():
        look = tuple(sorted((key, value) for key, value in style.style_for_token(ttype).items() if value))
        by_look.setdefault(look, []).append((ttype, name))
    classes = {}
    for look, members in by_look.items():
        named = [(len(ttype), len(name), name) for ttype, name in members if name]
        general = min(named)[2] if look and named else ""
        classes.update((ttype, general) for ttype, _ in members)
    return classes


_CLASSES = _look_classes(get_style_by_name(STYLE))


def _css_class(ttype) -> str:
    while ttype not in _CLASSES:   # a lexer's own token type: its nearest standard ancestor
        ttype = ttype.parent
    return _CLASSES[ttype]


def _token_lines(tokens):
    """Each line's (class, text) pieces; a token spanning lines is cut at every line end."""
    line = []
    for ttype, value in tokens:
        css = _css_class(ttype)
        first, *rest = value.split("\n")
        if first:
            line.append((css, first))
        for piece in rest:
            yield line
            line = [(css, piece)] if piece else []
    if line:
        yield line


def _line_html(pieces) -> str:
    """One element per run of one class, `<i class=k>` (the shortest way to carry a class).

    Blanks between two pieces of one class join their run: a space looks the same in any colour.
    """
    out, run, run_class, gap = [], [], "", ""
    for css, text in pieces:
        if text.isspace():
            gap += text
            continue
        if css != run_class:
            out += [_element(run_class, run), gap]
            run, run_class = [], css
        else:
            run.append(gap)
        gap = ""
        run.append(html.escape(text, quote=False))
    out += [_element(run_class, run), gap]
    return "".join(out)


def _element(css: str, parts: list[str]) -> str:
    text = "".join(parts)
    return f"<i class={css}>{text}</i>" if css and text else text


# stripnl=False: Pygments would otherwise drop leading blank lines.
_LEXER_OPTIONS = {"stripnl": False, "ensurenl": True}


def _language_lexer(language: str) -> Lexer | None:
    """The lexer of a language as GitHub or a Markdown fence names it; None for an unknown one."""
    try:
        return get_lexer_by_name(language.lower(), **_LEXER_OPTIONS)
    except ClassNotFound:
        lexer_class = find_lexer_class(language)
        return None if lexer_class is None else lexer_class(**_LEXER_OPTIONS)


def _lexer(filename: str, content: str, language: str | None) -> Lexer:
    """GitHub's language name first, then the file name, then plain text."""
    lexer = _language_lexer(language) if language else None
    if lexer is not None:
        return lexer
    if filename:
        try:
            return get_lexer_for_filename(filename, content[:4096], **_LEXER_OPTIONS)
        except ClassNotFound:
            pass
    return TextLexer(**_LEXER_OPTIONS)


def is_markdown(filename: str, language: str | None) -> bool:
    """Whether a gist file should be shown rendered rather than highlighted."""
    if language:
        return language.lower() == "markdown"
    return os.path.splitext(filename or "")[1].lower() in _MARKDOWN_EXTENSIONS


def looks_binary(content: str | None, mime_type: str | None) -> bool:
    """Whether a file cannot be shown as text (a NUL byte or a binary MIME type)."""
    mime = (mime_type or "").split(";")[0].strip().lower()
    if mime in _BINARY_MIME_TYPES:
        return True
    if mime.startswith(_BINARY_MIME_PREFIXES) and mime not in _TEXT_IMAGE_TYPES:
        return True
    return content is not None and "\x00" in content


def stylesheet(scope: str = "[data-theme={}]") -> str:
    """CSS for highlighted code inside `.highlight`, for static/pygments.css: STYLE under the light
    theme, DARK_STYLE under the dark one, and either under auto as the system setting says.

    `scope.format(theme)` selects a box showing `theme`. Each style applies only in its own
    theme, so none of the light style's colours or weights shows through the dark one.
    """
    blocks = []
    for theme, style in (("light", STYLE), ("dark", DARK_STYLE)):
        rules = _style_rules(style, scope.format(theme))
        auto = _style_rules(style, scope.format("auto"))
        blocks += [*rules, f"@media (prefers-color-scheme: {theme}) {{", *auto, "}"]
    return "/* Generated by tornadogists.text.highlight.stylesheet(); do not edit. */\n" + "\n".join(blocks) + "\n"


def _style_rules(style: str, scope: str) -> list[str]:
    formatter = HtmlFormatter(style=style)
    # Only the rules scoped to .highlight; Pygments' line-number rules style every `pre` on the page.
    prefix = f"{scope} .{CSS_CLASS}"
    return formatter.get_background_style_defs(prefix) + formatter.get_token_style_defs(prefix)
