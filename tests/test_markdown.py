"""Markdown rendering: every XSS trick comes out inert, the useful parts work."""

import re
from html.parser import HTMLParser

import pytest

from tornadogists.text.highlight import as_spans, highlight_lines
from tornadogists.text.markdown import (ALLOWED_CLASSES, ALLOWED_TAGS, ID_PREFIX, LINK_REL, render_comment,
                                       render_markdown, sanitize_html)

SAFE_SCHEMES = ("http:", "https:", "mailto:")

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "text <script>alert(1)",
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<img src=x onerror=alert(1)",
    "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"  JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\"java\tscript:alert(1)\">click</a>",
    "<a href=\"java&#9;script:alert(1)\">click</a>",
    "<a href=\"&#x0A;javascript:alert(1)\">click</a>",
    "[click](java&#9;script:alert(1))",
    "<a href='jav&#x61;script:alert(1)'>click</a>",
    "<a href='&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)'>x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<img src=\"data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=\">",
    "<img src=\"javascript:alert(1)\">",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    '![x" onerror="alert(1)](http://example.com/a.png)',
    '![x](http://example.com/a.png" onerror="alert(1))',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<style>body { display: none }</style>",
    '<p style="position:fixed;top:0">covering</p>',
    '<span style="background:url(javascript:alert(1))">x</span>',
    "<!-- hidden <script>alert(1)</script> -->",
    "before <!-- comment --> after",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<object data=\"evil.swf\"></object>",
    "<form action=\"https://evil.example\"><input name=x></form>",
    "<div onclick=\"alert(1)\" onmouseover=alert(2)>x</div>",
    "<a href=\"http://ok.example\" onclick=\"alert(1)\">ok</a>",
    "<details open ontoggle=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<div class=\"site-header login-box\">fake chrome</div>",
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "<div>\n<script>alert(1)</script>\n</div>",
    "<table><tr><td onclick=alert(1)>x</td></tr></table>",
    "<a href=\"http://x\"\n onclick=alert(1)>x</a>",
    # GitHub Flavored Markdown's constructs (issue 19)
    "- [ ] <input type=\"text\" name=\"q\" formaction=\"https://evil.example\" autofocus onfocus=alert(1)>",
    "- [x] done\n\n<input type=submit value=Go form=f><input type=image src=javascript:alert(1)>",
    "<input type=checkbox onchange=alert(1) name=agree checked>",
    "ref[^<script>alert(1)</script>]\n\n[^<script>alert(1)</script>]: note",
    "ref[^x\" onmouseover=\"alert(1)]\n\n[^x\" onmouseover=\"alert(1)]: note",
    "ref[^1]\n\n[^1]: [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "[x](#fn1\" onclick=\"alert(1))",
    "<li id=\"xsrf-form\">clobbers</li><a id=\"site-header\" name=\"x\">x</a><sup id=y onclick=alert(1)>1</sup>",
    "<section class=\"footnotes site-header\" onclick=alert(1)><hr class=\"footnotes-sep x\"></section>",
    "<details open ontoggle=alert(1) style=\"position:fixed\"><summary onclick=alert(1) class=x>S</summary>x</details>",
    ":smile:<img src=x onerror=alert(1)>:+1:",
    "![:+1:](javascript:alert(1)) <img alt=\":tada:\" src=\"x\" onerror=\"alert(1)\">",
    "[:+1:](javascript:alert(1)) `:+1:<script>`",
    "@<script>alert(1)</script> @x<img src=x onerror=alert(1)> [@x](javascript:alert(1))",
    "<a href=\"/users/x\" onclick=alert(1)>@x</a>",
]


class _Collector(HTMLParser):
    """Record every start tag with its attributes, and every comment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.comments = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.comments.append(data)


def _parse(html):
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def _url_is_safe(url):
    # What a browser does before reading the scheme: drop tabs and newlines
    # anywhere, C0 controls and spaces at either end.
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21)))).lower()
    scheme = re.match(r"[a-z][a-z0-9+.-]*:", cleaned)
    return scheme is None or cleaned.startswith(SAFE_SCHEMES)


@pytest.mark.parametrize("image_key", [None, b"key"], ids=["hot-linked", "proxied"])
@pytest.mark.parametrize("source", XSS_CORPUS)
@pytest.mark.parametrize("render", [render_markdown, lambda text, **key: render_comment(text, **key)[0]],
                         ids=["file", "comment"])
def test_xss_corpus_comes_out_inert(source, render, image_key):
    html = render(source, image_key=image_key)
    lowered = html.lower()
    for needle in ("<script", "<style", "<svg", "<math", "<iframe", "<object", "<!--", "<form"):
        assert needle not in lowered
    parsed = _parse(html)
    assert parsed.comments == []
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") for name in attrs)
        assert "style" not in attrs
        for name in ("href", "src"):
            if name in attrs:
                assert _url_is_safe(attrs[name]), (tag, attrs)
                assert not attrs[name].lower().startswith("data:")
        if "class" in attrs:
            assert set(attrs["class"].split()) <= ALLOWED_CLASSES[tag]
        if tag == "img" and image_key:
            assert attrs["src"].startswith("/images/") and attrs["alt"], attrs
        if "id" in attrs:   # never one of the page's own ids
            assert attrs["id"].startswith(ID_PREFIX)
        if tag == "input":   # a task list's box, never a live control
            assert attrs["type"] == "checkbox" and "disabled" in attrs
            assert set(attrs) <= {"type", "disabled", "checked", "class"}


def test_markdown_text_mentioning_javascript_stays_text():
    html = render_markdown("Never write `javascript:` URLs.")
    assert "<code>javascript:</code>" in html
    assert "href" not in html


def test_fenced_python_code_is_highlighted():
    html = render_markdown("```python\ndef f():\n    return 1\n```")
    assert '<div class="highlight">' in html
    assert '<span class="k">def</span>' in html
    assert '<span class="nf">f</span>' in html


def test_code_in_an_unknown_language_is_shown_escaped():
    html = render_markdown("```nosuchlanguage\na < b && <c>\n```")
    assert "a &lt; b &amp;&amp; &lt;c&gt;" in html


def test_tables_render_with_align_attributes():
    html = render_markdown("| name | count |\n|:-----|------:|\n| a | 1 |\n")
    assert "<table>" in html
    assert '<th align="left">name</th>' in html
    assert '<td align="right">1</td>' in html


def test_links_get_nofollow_ugc_noopener():
    html = render_markdown("[docs](https://www.tornadoweb.org/)")
    assert f'<a href="https://www.tornadoweb.org/" rel="{LINK_REL}">docs</a>' in html
    assert LINK_REL == "nofollow ugc noopener"


def test_raw_html_links_get_rel_too():
    html = render_markdown('<a href="https://example.com/" rel="dofollow">x</a>')
    assert f'rel="{LINK_REL}"' in html
    assert "dofollow" not in html


def test_bare_urls_are_autolinked():
    html = render_markdown("See https://example.com/path?a=1&b=2. Thanks")
    assert (
        '<a href="https://example.com/path?a=1&amp;b=2" rel="nofollow ugc noopener">'
        "https://example.com/path?a=1&amp;b=2</a>. Thanks"
    ) in html


def test_bare_url_in_parentheses_keeps_balanced_ones():
    html = render_markdown("(see https://en.wikipedia.org/wiki/Tornado_(web_server))")
    assert 'href="https://en.wikipedia.org/wiki/Tornado_(web_server)"' in html
    assert html.endswith("</a>)</p>")


def test_urls_in_code_and_links_are_not_linked_again():
    assert "href" not in render_markdown("`https://example.com`")
    html = render_markdown("[https://a.example](https://b.example)")
    assert html.count("<a ") == 1
    assert 'href="https://b.example"' in html


def test_angle_bracket_autolinks_still_work():
    html = render_markdown("<https://example.com>")
    assert 'href="https://example.com"' in html


def test_emphasis_lists_and_quotes_survive():
    html = render_markdown("*a* **b**\n\n1. one\n2. two\n\n> quoted")
    assert "<em>a</em>" in html and "<strong>b</strong>" in html
    assert "<ol>" in html and "<li>one</li>" in html
    assert "<blockquote>" in html


def test_images_with_safe_urls_are_kept():
    html = render_markdown('![diagram](https://example.com/d.png "Title")')
    (_, attrs), = _parse(html).tags[1:]
    assert attrs == {"src": "https://example.com/d.png", "alt": "diagram", "title": "Title"}


def test_single_newlines_do_not_become_line_breaks():
    assert "<br" not in render_markdown("line one\nline two")


def test_empty_input_renders_empty():
    assert render_markdown("") == ""


# GitHub Flavored Markdown (issue 19)

def test_task_lists_render_as_boxes_that_cannot_be_ticked():
    html = render_markdown("- [ ] write tests\n- [x] write code\n")
    assert '<ul class="contains-task-list">' in html
    assert ('<li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" '
            'disabled="disabled"> write tests</li>') in html
    assert ('<input class="task-list-item-checkbox" checked="checked" type="checkbox" disabled="disabled">'
            ' write code') in html


def test_footnotes_link_both_ways_with_ids_of_their_own_per_text():
    html = render_markdown("Tornado[^why] is fast.\n\n[^why]: It does not block.\n")
    (ref_href, ref_id), = re.findall(r'<sup class="footnote-ref"><a href="#([^"]+)" id="([^"]+)"', html)
    assert ref_href.startswith(ID_PREFIX + "fn-") and ref_id.startswith(ID_PREFIX + "fnref-")
    assert f'<li id="{ref_href}" class="footnote-item"><p>It does not block. <a href="#{ref_id}"' in html
    assert '<section class="footnotes">' in html
    assert sanitize_html(html) == html   # a feed sanitises it again: the ids keep one prefix
    other = render_markdown("Another[^why].\n\n[^why]: comment.\n")
    assert ref_href not in other   # two comments on one page keep apart


def test_emoji_shortcodes_become_emoji_except_in_code():
    html = render_markdown(":+1: :tada: :thumbsup: :no_such_emoji: `:+1:`")
    assert html == "<p>\U0001f44d \U0001f389 \U0001f44d :no_such_emoji: <code>:+1:</code></p>"


def test_strikethrough_and_details_render():
    assert render_markdown("~~old~~ new") == "<p><s>old</s> new</p>"
    html = render_markdown("<details open>\n<summary>Logs</summary>\n\n*long*\n\n</details>")
    assert html == '<details open="">\n<summary>Logs</summary>\n<p><em>long</em></p>\n</details>'


def test_fenced_code_is_coloured_exactly_as_the_same_file():
    source = 'import tornado\n\n@decorator\nasync def get(self, x: int = 1) -> str:\n    return f"{x!r}"  # done\n'
    fenced = render_markdown(f"```python\n{source}```")
    as_file = as_spans("\n".join(highlight_lines("handler.py", source)))
    pieces = re.compile(r'<span class="?(\w+)"?>([^<]*)</span>')
    assert pieces.findall(fenced) == pieces.findall(as_file) and len(pieces.findall(fenced)) > 10


def test_mentions_are_found_outside_code_and_links_only():
    html, handles = render_comment("@Ada, @bob-2 and @ada; `@code`, [@linked](https://x.example), a@b.example, "
                                   "https://x.example/@path, @-no, @trailing-\n\n```\n@fenced\n```")
    assert handles == ["ada", "bob-2", "trailing"]
    assert f'<a href="/users/ada" rel="{LINK_REL}">@Ada</a>' in html and "<code>@code</code>" in html
    assert render_comment("@" + "a" * 40)[1] == []   # longer than any handle
    assert render_markdown("@ada") == "<p>@ada</p>"   # files mention nobody


def test_emphasis_holds_footnote_references_and_boxes_inside_it():
    html = render_markdown("*see[^1] and <input type=checkbox> here*\n\n[^1]: x")
    assert re.match(r'<p><em>see<sup class="footnote-ref"><a [^>]+>\[1\]</a></sup> and '
                    r'<input type="checkbox" disabled="disabled"> here</em></p>', html)
