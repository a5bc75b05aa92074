"""Markdown rendering: every XSS trick comes out inert, the useful parts work."""

import re
from html.parser import HTMLParser

import pytest

from tornadogists.text.markdown import ALLOWED_CLASSES, ALLOWED_TAGS, LINK_REL, render_markdown

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
def test_xss_corpus_comes_out_inert(source, image_key):
    html = render_markdown(source, image_key=image_key)
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
