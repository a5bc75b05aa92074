"""Per-line highlighting, file-kind detection and the Pygments stylesheet."""

import re

import pytest

from tornadogists.text.highlight import (
    highlight_lines,
    is_markdown,
    looks_binary,
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
    return line.count("<span") == line.count("</span>")


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
    assert 'class="sd"' in lines[3]


def test_html_in_content_is_escaped():
    lines = highlight_lines("page.html", '<script>alert("x")</script>\n<b onclick="x">&amp;</b>')
    joined = "\n".join(lines)
    assert "<script" not in joined
    assert "&lt;script&gt;" in re.sub(r"</?span[^>]*>", "", joined)
    assert "<b" not in joined
    assert "&amp;amp;" in joined


def test_html_is_escaped_in_plain_text_too():
    assert highlight_lines("notes", "<script>x</script>") == ["&lt;script&gt;x&lt;/script&gt;"]


def test_language_from_github_name():
    assert 'class="k"' in highlight_lines("no-extension", "def f(): pass", "Python")[0]
    assert 'class="kt"' in highlight_lines("main", "int main() {}", "C++")[0]


def test_language_from_filename():
    assert 'class="k"' in highlight_lines("script.py", "def f(): pass")[0]
    assert 'class="kd"' in highlight_lines("app.js", "var x = 1;")[0]


@pytest.mark.parametrize("language", ["No Such Language", "", None, "<script>"])
def test_unknown_language_falls_back_to_plain_text(language):
    assert highlight_lines("mystery.unknownext", "a < b", language) == ["a &lt; b"]


def test_unknown_language_still_uses_the_filename():
    assert 'class="k"' in highlight_lines("x.py", "def f(): pass", "Nonexistent")[0]


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


def test_stylesheet_is_scoped_to_highlight():
    css = stylesheet()
    rules = [line for line in css.splitlines() if "{" in line]
    assert ".highlight .k " in css
    assert all(rule.startswith(".highlight") for rule in rules)
