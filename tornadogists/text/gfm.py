"""markdown-it core rules for GitHub Flavored Markdown: bare-URL links, @mentions, task lists, emoji
shortcodes, table alignment. Pure, and each linear in the tokens it reads."""

import re

import emoji
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tornadogists.text.handles import MAX_LENGTH
from tornadogists.text.mentions import MAX_MENTIONS, MENTION

__all__ = ["add_gfm_rules"]


def add_gfm_rules(md: MarkdownIt, mentions: bool = False) -> None:
    """The rules below on `md`; `mentions` links @handles too (comments: text/mentions.py)."""
    md.core.ruler.after("linkify", "bare_urls", _link_bare_urls)
    if mentions:
        md.core.ruler.after("bare_urls", "mentions", _link_mentions)
    md.core.ruler.after("inline", "task_lists", _task_lists)
    md.core.ruler.push("emoji", _emoji)
    md.core.ruler.push("table_align", _table_align)


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
    _split_text(state, "://", lambda token: _split_urls(state.md, token))


def _split_text(state, marker: str, split) -> None:
    """Each text token holding `marker` outside links (code is not text) replaced by `split(token)`."""
    for block in state.tokens:
        if block.type != "inline" or marker not in block.content:
            continue
        children, depth = [], 0
        for token in block.children or []:
            depth += _link_depth_change(token)
            if token.type == "text" and depth == 0 and marker in token.content:
                children.extend(split(token))
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
        tokens += [_text(text[position:match.start()], token.level), *_link(href, url, token.level, "linkify")]
        position = match.start() + len(url)
    tokens.append(_text(text[position:], token.level))
    return [t for t in tokens if t.type != "text" or t.content]


def _text(content: str, level: int) -> Token:
    return Token("text", "", 0, content=content, level=level)


def _link(href: str, text: str, level: int, markup: str) -> list[Token]:
    return [Token("link_open", "a", 1, attrs={"href": href}, level=level, markup=markup),
            _text(text, level + 1), Token("link_close", "a", -1, level=level, markup=markup)]


def _link_mentions(state) -> None:
    """Core rule: `@handle` in running text (never in code or a link) as a link to /users/handle,
    for the first MAX_MENTIONS people; env["mentions"] gets their handles (text/mentions.py)."""
    mentions = state.env.setdefault("mentions", [])
    _split_text(state, "@", lambda token: _split_mentions(token, mentions))


def _split_mentions(token: Token, mentions: list[str]) -> list[Token]:
    text, tokens, position = token.content, [], 0
    for match in MENTION.finditer(text):
        handle = match[1].lower()
        if len(handle) > MAX_LENGTH or (handle not in mentions and len(mentions) >= MAX_MENTIONS):
            continue
        if handle not in mentions:
            mentions.append(handle)
        tokens += [_text(text[position:match.start()], token.level),
                   *_link(f"/users/{handle}", match[0], token.level, "mention")]
        position = match.end()
    tokens.append(_text(text[position:], token.level))
    return [t for t in tokens if t.type != "text" or t.content]


_TASK = re.compile(r"\[([ xX])\][ \t\n\v\f\r]+")
_LISTS = {"bullet_list_open": 1, "ordered_list_open": 1, "bullet_list_close": -1, "ordered_list_close": -1}


def _task_lists(state) -> None:
    """Core rule: GitHub's task lists, `- [x] done` with a disabled checkbox, in mdit-py-plugins'
    markup. Our own because that plugin looks for each item's list by walking back from the item:
    quadratic (2,500 items took 8 s)."""
    tokens, lists = state.tokens, []
    for i, token in enumerate(tokens):
        if token.type in _LISTS:
            lists.append(token) if _LISTS[token.type] > 0 else lists.pop()
        elif (token.type == "inline" and i >= 2 and tokens[i - 1].type == "paragraph_open"
              and tokens[i - 2].type == "list_item_open" and token.children and _TASK.match(token.content)):
            checked = ' checked="checked"' if token.content[1] in "xX" else ""
            token.children[0].content = token.children[0].content[3:]
            token.children.insert(0, Token("html_inline", "", 0, content=(
                f'<input class="task-list-item-checkbox"{checked} disabled="disabled" type="checkbox">')))
            tokens[i - 2].attrSet("class", "task-list-item")
            lists[-1].attrSet("class", "contains-task-list")


def _emoji(state) -> None:
    """Core rule: GitHub's shortcodes (`:+1:`, `:tada:`) as the emoji, in text only, never in code."""
    for block in state.tokens:
        if block.type != "inline" or ":" not in block.content:
            continue
        for token in block.children or []:
            if token.type == "text" and ":" in token.content:
                token.content = emoji.emojize(token.content, language="alias")


def _table_align(state) -> None:
    """Core rule: `align="..."` on table cells, since the sanitiser drops style attributes."""
    for token in state.tokens:
        style = token.attrs.get("style", "") if token.type in ("th_open", "td_open") else ""
        if style.startswith("text-align:"):
            token.attrs = {"align": style.removeprefix("text-align:")}
