"""Markdown (comments, intros, gist READMEs) to sanitised HTML."""

import hashlib
import html
import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from mdit_py_plugins.footnote import footnote_plugin
from pygments.token import STANDARD_TYPES

from tornadogists.text.images import proxy_images
from tornadogists.text.gfm import add_gfm_rules
from tornadogists.text.highlight import highlight_code
from tornadogists.text.urls import browser_link

__all__ = [
    "ALLOWED_TAGS",
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_CLASSES",
    "CLEAN_CONTENT_TAGS",
    "URL_SCHEMES",
    "LINK_REL",
    "plain_html",
    "render_comment",
    "render_markdown",
    "sanitize_html",
]

ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li"}
    | {"blockquote", "pre", "code", "em", "strong", "del", "s", "a", "img", "span", "div"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
    | {"details", "summary", "input", "sup", "section"}   # GitHub Flavored Markdown's
)
# `class` is not listed here: nh3 wants it only in ALLOWED_CLASSES, which keeps
# the names Pygments emits and nothing a comment could use to mimic site chrome.
# `id` only gets out with ID_PREFIX in front: a comment cannot take an id the page uses.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "li": {"id"},
    "details": {"open"},
}
ID_PREFIX = "user-content-"
# A task list's box, whatever the HTML said: a checkbox, shown ticked or not, never a live control.
INPUT_VALUES = {"input": {"type": {"checkbox"}, "checked": {"", "checked"}}}
INPUT_SET = {"input": {"type": "checkbox", "disabled": "disabled"}}
_PYGMENTS_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name) | {"hll"}
ALLOWED_CLASSES = {
    "div": {"highlight"},
    "pre": {"highlight"},
    "code": {"highlight"},
    "span": set(_PYGMENTS_CLASSES),
    # mdit-py-plugins' task lists and footnotes, styled in site.css
    "ul": {"contains-task-list"}, "ol": {"contains-task-list", "footnotes-list"},
    "li": {"task-list-item", "footnote-item"}, "input": {"task-list-item-checkbox"},
    "section": {"footnotes"}, "hr": {"footnotes-sep"}, "sup": {"footnote-ref"}, "a": {"footnote-backref"},
}
# Dropped together with their content, not just unwrapped to text.
CLEAN_CONTENT_TAGS = frozenset(
    {"script", "style", "svg", "math", "iframe", "object", "embed", "template", "noscript"}
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

def _render_fence(self, tokens, idx, options, env) -> str:
    """Fenced code in a language Pygments knows comes out highlighted as a file in it is (unless env
    says not), the rest escaped."""
    token = tokens[idx]
    info = unescapeAll(token.info).strip()
    language = info.split(maxsplit=1)[0] if info and env.get("highlight") else ""
    code = highlight_code(token.content, language) if language else None
    if code is None:
        return f"<pre><code>{escapeHtml(token.content)}</code></pre>\n"
    return f'<div class="highlight"><pre><code>{code}\n</code></pre></div>\n'


def _make_markdown(mentions: bool = False) -> MarkdownIt:
    # CommonMark (markdown-it) and not Python-Markdown: its parser is linear in the input,
    # where Python-Markdown took minutes on a 20,000-character comment of "[".
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)
    add_gfm_rules(md, mentions)
    md.add_render_rule("fence", _render_fence)
    return md


# The HTML parser re-opens every formatting element still open in each new block ("reconstruct
# the active formatting elements"), so 1,000 unclosed <em a=N> before 1,550 <p> grew 16 KB into
# 14 MB (issue 22). Closing them where a block starts keeps the output linear in the input.
_FORMATTING = r"a|b|big|code|em|font|i|nobr|s|small|strike|strong|tt|u"
_PHRASING = rf"{_FORMATTING}|span|img|input|br|wbr|del|ins|sub|sup|abbr|kbd|samp|var|mark|q|cite|dfn|time"
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
        tag_attribute_values=INPUT_VALUES,
        set_tag_attribute_values=INPUT_SET,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_link_filter,
        id_prefix=ID_PREFIX,
    )


def _link_filter(tag: str, attribute: str, value: str) -> str:
    """Links as a browser reads them (text/urls.py): what the ban check saw is what the reader sees.
    A footnote's link goes to the footnote's id as ID_PREFIX made it."""
    if attribute == "href" and value.startswith(("#fn", "#user-content-fn")):
        return "#" + ID_PREFIX + value[1:].removeprefix(ID_PREFIX)
    return browser_link(value) if attribute in ("href", "src") else value


def render_markdown(text: str, highlight: bool = True, image_key: bytes | None = None) -> str:
    """Render Markdown to HTML that is safe to put in a page as is.

    highlight=False leaves fenced code uncoloured: linear time, where some Pygments
    lexers are not (the fallback when rendering ran out of time). With `image_key`, images
    load through the site's image proxy (text/images.py), so a reader's browser calls no third party.
    """
    return _render(text or "", {"highlight": highlight}, _make_markdown(), image_key)[0]


def render_comment(text: str, highlight: bool = True, image_key: bytes | None = None) -> tuple[str, list[str]]:
    """A comment's HTML and the handles it mentions (at most MAX_MENTIONS, first come first),
    linked to /users/{handle} until text/mentions.resolve() knows who they are."""
    env = {"highlight": highlight, "mentions": []}
    rendered, as_markdown = _render(text or "", env, _make_markdown(mentions=True), image_key)
    return rendered, env["mentions"] if as_markdown else []


def _render(text: str, env: dict, md: MarkdownIt, image_key: bytes | None) -> tuple[str, bool]:
    """The HTML, and whether it is Markdown's (not the text as written: GROWTH)."""
    # A fresh parser per call: rendering runs in executor threads, and a parser is cheap.
    # Footnote ids differ from comment to comment on one page (docId: mdit-py-plugins' footnotes).
    env["docId"] = hashlib.sha1(text.encode()).hexdigest()[:8]
    rendered = sanitize_html(_close_formatting(md.render(text, env))).rstrip("\n")
    if image_key is not None:
        rendered = proxy_images(rendered, image_key)
    if len(rendered) <= GROWTH * len(text) + GROWTH_CONSTANT:
        return rendered, True
    return plain_html(text), False
