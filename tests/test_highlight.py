"""Per-line highlighting, numbered lines, file-kind detection and the Pygments stylesheet."""

import re
from pathlib import Path

import pytest

from tornadogists.text.highlight import (
    as_spans,
    cut_after,
    file_anchor,
    highlight_lines,
    is_markdown,
    looks_binary,
    numbered_lines,
    split_lines,
    stylesheet,
)

DOCSTRING_SOURCE = '''def greet(name):
    """Say hello.

    Spans over <several> lines & must not leak.
    """
    return f"hello {name}"
'''


def _balanced(line: str) -> bool:
    return line.count("<i class=") == line.count("</i>")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", 1),
        ("\n", 1),
        ("x", 1),
        ("x\n", 1),
        ("x\n\n", 2),
        ("x\ny", 2),
        ("x\ny\n", 2),
        ("\n\nx\n\n\n", 5),
        ("a\r\nb\r\nc", 3),
        ("a\rb\r", 2),
        (DOCSTRING_SOURCE, 6),
    ],
)
def test_one_html_line_per_source_line(content, expected):
    assert len(split_lines(content)) == expected
    assert len(highlight_lines("example.py", content)) == expected
    assert len(highlight_lines("notes.txt", content)) == expected


def test_leading_blank_lines_are_kept():
    lines = highlight_lines("a.py", "\n\nimport os\n")
    assert lines[:2] == ["", ""]
    assert "os" in lines[2]


def test_spans_are_balanced_on_every_line_of_a_docstring():
    lines = highlight_lines("greet.py", DOCSTRING_SOURCE)
    assert all(_balanced(line) for line in lines)
    # the docstring's middle line is still highlighted as a string
    assert "<i class=sd>" in lines[3]


def test_html_in_content_is_escaped():
    lines = highlight_lines("page.html", '<script>alert("x")</script>\n<b onclick="x">&amp;</b>')
    joined = "\n".join(lines)
    assert "<script" not in joined
    assert "&lt;script&gt;" in re.sub(r"</?i[^>]*>", "", joined)
    assert "<b" not in joined
    assert "&amp;amp;" in joined


def test_html_is_escaped_in_plain_text_too():
    assert highlight_lines("notes", "<script>x</script>") == ["&lt;script&gt;x&lt;/script&gt;"]


def test_language_from_github_name():
    assert "<i class=k>def</i>" in highlight_lines("no-extension", "def f(): pass", "Python")[0]
    assert "<i class=kt>int</i>" in highlight_lines("main", "int main() {}", "C++")[0]


def test_language_from_filename():
    assert "<i class=k>def</i>" in highlight_lines("script.py", "def f(): pass")[0]
    assert "<i class=k>var</i>" in highlight_lines("app.js", "var x = 1;")[0]   # Keyword.Declaration looks like k


@pytest.mark.parametrize("language", ["No Such Language", "", None, "<script>"])
def test_unknown_language_falls_back_to_plain_text(language):
    assert highlight_lines("mystery.unknownext", "a < b", language) == ["a &lt; b"]


def test_unknown_language_still_uses_the_filename():
    assert "<i class=k>def</i>" in highlight_lines("x.py", "def f(): pass", "Nonexistent")[0]


def test_tokens_that_look_alike_share_one_element_and_plain_ones_get_none():
    # Numbers and operators are both grey; names and brackets are plain; spaces join either side.
    [line] = highlight_lines("big.js", "export const value0001 = (1 * 31 + 7) % 1009;  // line 4")
    assert line == ("<i class=k>export const</i> value0001 <i class=o>=</i> (<i class=o>1 * 31 + 7</i>) "
                    "<i class=o>% 1009</i>;  <i class=c>// line 4</i>")


def test_every_class_used_has_its_rule_in_the_stylesheet():
    css = stylesheet()
    source = DOCSTRING_SOURCE + "@decorator\nclass A(B):\n    x: int = 0x1F  # c\n    s = r'\\d' f'{x!r}\\n'\n"
    used = set(re.findall(r"<i class=(\w+)>", "".join(highlight_lines("a.py", source))))
    assert {"k", "nf", "sd", "o", "c", "nc", "s"} <= used
    assert all(f".highlight .{name} {{" in css for name in used)


@pytest.mark.parametrize(("name", "anchor"), [
    ("hello_tornado.py", "file-hello_tornado-py"),
    ("README.md", "file-readme-md"),
    ("docker-compose.yml", "file-docker-compose-yml"),
    ("My File (2).txt", "file-my-file--2--txt"),
    ("héllo wörld.py", "file-h-llo-w-rld-py"),
    ("<img src=x onerror=alert(1)>.html", "file--img-src-x-onerror-alert-1---html"),
])
def test_a_file_anchor_is_built_as_gist_github_com_builds_it(name, anchor):
    assert file_anchor(name) == anchor


def test_numbered_lines_give_every_line_its_anchor_and_a_link_to_it():
    html = numbered_lines(["<i class=k>def</i> f():", "", "    pass"], 3)
    assert html == ("<li id=file-3-L1><a href=#file-3-L1>1</a><i class=k>def</i> f():"
                    "<li id=file-3-L2><a href=#file-3-L2>2</a>"
                    "<li id=file-3-L3><a href=#file-3-L3>3</a>    pass")


def test_cut_after_splits_only_after_the_lines_asked_for():
    html = numbered_lines(["a", "b", "c", "d"], 2)
    pieces = cut_after(html, 2, {3: [], 1: []})
    assert [line for _, line in pieces] == [1, 3, None]
    assert "".join(piece for piece, _ in pieces) == html
    assert pieces[0][0].endswith("a") and pieces[1][0].endswith("c") and pieces[2][0].startswith("<li id=file-2-L4>")
    last = cut_after(html, 2, [4])   # after the last line: nothing follows
    assert last == [(html, 4), ("", None)]
    assert cut_after(html, 2, []) == [(html, None)]


def test_as_spans_gives_pygments_usual_markup_for_feeds():
    [line] = highlight_lines("a.py", "def f(): return '<b>'")
    assert as_spans(line) == ('<span class=k>def</span> <span class=nf>f</span>(): '
                              "<span class=k>return</span> <span class=s>'&lt;b&gt;'</span>")


@pytest.mark.parametrize(
    ("filename", "language", "expected"),
    [
        ("README.md", "Markdown", True),
        ("README.md", None, True),
        ("notes.markdown", None, True),
        ("NOTES.MD", None, True),
        ("x", "markdown", True),
        ("README.rst", "reStructuredText", False),
        ("script.py", "Python", False),
        ("README", None, False),
        ("", None, False),
    ],
)
def test_is_markdown(filename, language, expected):
    assert is_markdown(filename, language) is expected


@pytest.mark.parametrize(
    ("content", "mime_type", "expected"),
    [
        ("print('hi')\n", "application/x-python", False),
        ("plain", "text/plain", False),
        ("plain", None, False),
        (None, None, False),
        ("<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", False),
        ('{"a": 1}', "application/json", False),
        ("abc\x00def", "text/plain", True),
        ("\x89PNG", "image/png", True),
        (None, "image/jpeg", True),
        ("", "audio/mpeg", True),
        ("", "video/mp4", True),
        ("", "application/octet-stream", True),
        ("", "application/zip", True),
        ("", "application/pdf", True),
        ("", "Application/Octet-Stream; charset=binary", True),
    ],
)
def test_looks_binary(content, mime_type, expected):
    assert looks_binary(content, mime_type) is expected


def test_stylesheet_is_scoped_to_highlight_in_each_theme():
    css = stylesheet()
    rules = [line for line in css.splitlines() if "{" in line and not line.startswith("@media")]
    assert all(re.match(r"\[data-theme=(light|dark|auto)\] \.highlight[ {]", rule) for rule in rules)
    # Each style only in its own theme: the light style's bold keywords do not show through the dark one.
    assert "[data-theme=light] .highlight .k { color: #008000; font-weight: bold }" in css
    assert "[data-theme=dark] .highlight .k { color: #FF7B72 }" in css
    assert "@media (prefers-color-scheme: dark) {\n[data-theme=auto] .highlight .hll" in css


def test_static_pygments_css_is_the_generated_stylesheet():
    # After changing a style: .venv/bin/python -c "from tornadogists.text.highlight import stylesheet;
    #   print(stylesheet(), end='')" > static/pygments.css
    assert (Path(__file__).parent.parent / "static" / "pygments.css").read_text() == stylesheet()
