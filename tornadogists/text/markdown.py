"""Markdown (comments, intros, gist READMEs) to sanitised HTML."""

import html
import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.token import Token
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from tornadogists.text.images import proxy_images
from tornadogists.text.urls import browser_link

__all__ = [
    "ALLOWED_TAGS",
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_CLASSES",
    "CLEAN_CONTENT_TAGS",
    "URL_SCHEMES",
    "LINK_REL",
    "plain_html",
    "render_markdown",
    "sanitize_html",
]

ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li"}
    | {"blockquote", "pre", "code", "em", "strong", "del", "s", "a", "img", "span", "div"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
# `class` is not listed here: nh3 wants it only in ALLOWED_CLASSES, which keeps
# the names Pygments emits and nothing a comment could use to mimic site chrome.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
_PYGMENTS_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name) | {"hll"}
ALLOWED_CLASSES = {
    "div": {"highlight"},
    "pre": {"highlight"},
    "code": {"highlight"},
    "span": set(_PYGMENTS_CLASSES),
}
# Dropped together with their content, not just unwrapped to text.
CLEAN_CONTENT_TAGS = frozenset(
    {"script", "style", "svg", "math", "iframe", "object", "embed", "template", "noscript"}
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# A bare http(s) URL; trailing punctuation is trimmed off afterwards.
_BARE_URL = re.compile(r"(?<![\w/@])(https?://[^\s<>\"'`\x00-\x1f\x7f]+)")
_TRAILING_PUNCTUATION = ".,:;!?*_~'\""
_HTML_LINK_OPEN = re.compile(r"<a[>\s]", re.IGNORECASE)
_HTML_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing parentheses from the end."""
    unbalanced, end = url.count(")") - url.count("("), len(url)  # counted once: linear
    while end and (url[end - 1] in _TRAILING_PUNCTUATION or (url[end - 1] == ")" and unbalanced > 0)):
        unbalanced -= url[end - 1] == ")"
        end -= 1
    return url[:end]


def _link_bare_urls(state) -> None:
    """Core rule: link plain http(s) URLs in running text, never inside a link."""
    for block in state.tokens:
        if block.type != "inline" or "://" not in block.content:
            continue
        children, depth = [], 0
        for token in block.children or []:
            depth += _link_depth_change(token)
            if token.type == "text" and depth == 0 and "://" in token.content:
                children.extend(_split_urls(state.md, token))
            else:
                children.append(token)
        block.children = children


def _link_depth_change(token: Token) -> int:
    if token.type in ("link_open", "link_close"):
        return token.nesting
    if token.type == "html_inline":
        return bool(_HTML_LINK_OPEN.match(token.content)) - bool(_HTML_LINK_CLOSE.match(token.content))
    return 0


def _split_urls(md: MarkdownIt, token: Token) -> list[Token]:
    """A text token as text and link tokens, one link per bare URL."""
    text, tokens, position = token.content, [], 0
    for match in _BARE_URL.finditer(text):
        url = _trim_url(match.group(1))
        href = md.normalizeLink(url)
        if not md.validateLink(href):
            continue
        tokens.append(_text(text[position:match.start()], token.level))
        tokens.append(Token("link_open", "a", 1, attrs={"href": href}, level=token.level, markup="linkify"))
        tokens.append(_text(url, token.level + 1))
        tokens.append(Token("link_close", "a", -1, level=token.level, markup="linkify"))
        position = match.start() + len(url)
    tokens.append(_text(text[position:], token.level))
    return [t for t in tokens if t.type != "text" or t.content]


def _text(content: str, level: int) -> Token:
    return Token("text", "", 0, content=content, level=level)


def _table_align(state) -> None:
    """Core rule: `align="..."` on table cells, since the sanitiser drops style attributes."""
    for token in state.tokens:
        style = token.attrs.get("style", "") if token.type in ("th_open", "td_open") else ""
        if style.startswith("text-align:"):
            token.attrs = {"align": style.removeprefix("text-align:")}


def _render_fence(self, tokens, idx, options, env) -> str:
    """Fenced code in a language Pygments knows comes out highlighted (unless env says not), the rest escaped."""
    token = tokens[idx]
    info = unescapeAll(token.info).strip()
    language = info.split(maxsplit=1)[0] if info and env.get("highlight") else ""
    try:
        lexer = get_lexer_by_name(language, stripnl=False) if language else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        return f"<pre><code>{escapeHtml(token.content)}</code></pre>\n"
    return highlight(token.content, lexer, HtmlFormatter(cssclass="highlight", wrapcode=True))


def _make_markdown() -> MarkdownIt:
    # CommonMark (markdown-it) and not Python-Markdown: its parser is linear in the input,
    # where Python-Markdown took minutes on a 20,000-character comment of "[".
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.core.ruler.after("linkify", "bare_urls", _link_bare_urls)
    md.core.ruler.push("table_align", _table_align)
    md.add_render_rule("fence", _render_fence)
    return md


# The HTML parser re-opens every formatting element still open in each new block ("reconstruct
# the active formatting elements"), so 1,000 unclosed <em a=N> before 1,550 <p> grew 16 KB into
# 14 MB (issue 22). Closing them where a block starts keeps the output linear in the input.
_FORMATTING = r"a|b|big|code|em|font|i|nobr|s|small|strike|strong|tt|u"
_PHRASING = rf"{_FORMATTING}|span|img|br|wbr|del|ins|sub|sup|abbr|kbd|samp|var|mark|q|cite|dfn|time"
_TAG_START = re.compile(
    rf"<(?:(?P<formatting>{_FORMATTING})|/?(?:{_PHRASING})|(?P<block>/?[a-z][a-z0-9]*))(?=[\s/>])", re.IGNORECASE)
# Rendered HTML at most this much bigger than its text (Markdown's own tags, rel attributes,
# Pygments' spans); past it the text is shown as it was written, escaped.
GROWTH, GROWTH_CONSTANT = 4, 4096


def _close_formatting(markup: str) -> str:
    """Before each tag that is not phrasing content, close the formatting elements opened since the last such tag.

    A superset of what the parser sees opened (a tag name inside an attribute counts too); a
    stray end tag is dropped by the sanitiser. Each opening is closed at most once: linear.
    """
    parts, opened, position = [], [], 0
    for match in _TAG_START.finditer(markup):
        if match["formatting"]:
            opened.append(match["formatting"])
        elif match["block"] and opened:
            parts += [markup[position:match.start()], *(f"</{name}>" for name in reversed(opened))]
            position, opened = match.start(), []
    return "".join(parts) + markup[position:]


def plain_html(text: str) -> str:
    """Text shown as written, escaped, in paragraphs: what a too-slow or too-big rendering becomes."""
    paragraphs = (html.escape(block.strip("\n")).replace("\n", "<br>\n") for block in re.split(r"\n\s*\n", text or ""))
    return "\n".join(f'<p class="as-written">{block}</p>' for block in paragraphs if block)


def sanitize_html(html: str) -> str:
    """Reduce HTML to the allow-list above; the one sanitiser the site uses."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_link_filter,
    )


def _link_filter(tag: str, attribute: str, value: str) -> str:
    """Links as a browser reads them (text/urls.py): what the ban check saw is what the reader sees."""
    return browser_link(value) if attribute in ("href", "src") else value


def render_markdown(text: str, highlight: bool = True, image_key: bytes | None = None) -> str:
    """Render Markdown to HTML that is safe to put in a page as is.

    highlight=False leaves fenced code uncoloured: linear time, where some Pygments
    lexers are not (the fallback when rendering ran out of time). With `image_key`, images
    load through the site's image proxy (text/images.py), so a reader's browser calls no third party.
    """
    # A fresh parser per call: rendering runs in executor threads, and a parser is cheap.
    text = text or ""
    rendered = sanitize_html(_close_formatting(_make_markdown().render(text, {"highlight": highlight}))).rstrip("\n")
    if image_key is not None:
        rendered = proxy_images(rendered, image_key)
    return rendered if len(rendered) <= GROWTH * len(text) + GROWTH_CONSTANT else plain_html(text)
