"""Markdown (comments, intros, gist READMEs) to sanitised HTML."""

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString
from pygments.token import STANDARD_TYPES

__all__ = [
    "ALLOWED_TAGS",
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_CLASSES",
    "CLEAN_CONTENT_TAGS",
    "URL_SCHEMES",
    "LINK_REL",
    "render_markdown",
    "sanitize_html",
]

ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li"}
    | {"blockquote", "pre", "code", "em", "strong", "del", "a", "img", "span", "div"}
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

_EXTENSION_CONFIGS = {
    "codehilite": {"css_class": "highlight", "guess_lang": False, "use_pygments": True},
    "tables": {"use_align_attribute": True},  # align="..." instead of a style attribute
}

# A bare http(s) URL; trailing punctuation is trimmed off in the processor.
_BARE_URL_RE = r"(?<![\w/@])(https?://[^\s<>\"'`\x00-\x1f\x7f]+)"
_TRAILING_PUNCTUATION = ".,:;!?*_~'\""


class _BareURLProcessor(InlineProcessor):
    """Link a plain http(s) URL written in running text."""

    ANCESTOR_EXCLUDES = ("a",)  # never nest a link inside a link

    def handleMatch(self, m, data):
        url = _trim_url(m.group(1))
        link = etree.Element("a", href=url)
        link.text = AtomicString(url)
        return link, m.start(1), m.start(1) + len(url)


class _BareURLExtension(Extension):
    """Python-Markdown only links `<http://...>`; GitHub users expect bare URLs too."""

    def extendMarkdown(self, md):
        # Below "html" (90) so URLs inside raw tags' attributes are already stashed.
        md.inlinePatterns.register(_BareURLProcessor(_BARE_URL_RE, md), "bare_url", 85)


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and an unbalanced closing parenthesis."""
    while url and (
        url[-1] in _TRAILING_PUNCTUATION
        or (url[-1] == ")" and url.count(")") > url.count("("))
    ):
        url = url[:-1]
    return url


def _make_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["fenced_code", "codehilite", "tables", "sane_lists", _BareURLExtension()],
        extension_configs=_EXTENSION_CONFIGS,
        output_format="html",
    )


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
    )


def render_markdown(text: str) -> str:
    """Render Markdown to HTML that is safe to put in a page as is."""
    # A fresh converter per call: Markdown instances keep state and are not
    # thread-safe, and rendering may run in an executor.
    return sanitize_html(_make_markdown().convert(text or ""))
