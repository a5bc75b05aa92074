"""What the gist submit form accepts and refuses (SPEC section 7)."""

import pytest

from tornadogists.text.gist_urls import InvalidGistURL, parse_gist_ref, parse_gist_url

HEX20 = "aa5a315d61ae9438b18d"
HEX32 = "0123456789abcdef0123456789abcdef"
SHA = "b1f6a5c3e9d2" + "0" * 28


@pytest.mark.parametrize(
    ("text", "gist_id"),
    [
        (HEX20, HEX20),
        (HEX32, HEX32),
        ("1234567", "1234567"),
        (f"https://gist.github.com/{HEX20}", HEX20),
        (f"https://gist.github.com/{HEX20}/", HEX20),
        (f"https://gist.github.com/octocat/{HEX20}", HEX20),
        (f"https://gist.github.com/octocat/{HEX20}/", HEX20),
        (f"https://gist.github.com/some-user-42/{HEX32}", HEX32),
        (f"https://gist.github.com/{'a' * 39}/{HEX20}", HEX20),
        (f"https://gist.github.com/octocat/{HEX20}#file-hello-py", HEX20),
        (f"https://gist.github.com/{HEX20}#file-readme-md", HEX20),
        (f"https://gist.github.com/octocat/{HEX20}/{SHA}", HEX20),
        (f"https://gist.github.com/octocat/{HEX20}/{SHA}#file-a-py", HEX20),
        (f"https://gist.github.com/{HEX20}/{SHA}", HEX20),
        (f"https://gist.github.com/{HEX20}.git", HEX20),
        (f"https://gist.github.com/octocat/{HEX20}.git", HEX20),
        (f"https://api.github.com/gists/{HEX20}", HEX20),
        (f"https://api.github.com/gists/{HEX32}/", HEX32),
        (f"http://gist.github.com/octocat/{HEX20}", HEX20),
        (f"http://api.github.com/gists/{HEX20}", HEX20),
        (f"HTTPS://Gist.GitHub.com/octocat/{HEX20}", HEX20),
        (f"  https://gist.github.com/octocat/{HEX20}\n", HEX20),
        (f"\t{HEX20}  ", HEX20),
        ("https://gist.github.com/octocat/1234567", "1234567"),
        ("https://gist.github.com/1234567", "1234567"),
        ("https://api.github.com/gists/1234567", "1234567"),
        # What people paste (issue 18): raw, revisions, embeds, clone URLs, no scheme.
        (f"https://gist.github.com/octocat/{HEX20}/raw", HEX20),
        (f"https://gist.github.com/octocat/{HEX20}/raw/a.py", HEX20),
        (f"https://gist.github.com/octocat/{HEX20}/revisions", HEX20),
        (f"https://gist.github.com/octocat/{HEX20}.js", HEX20),
        (f"https://gist.githubusercontent.com/octocat/{HEX20}/raw", HEX20),
        (f"https://gist.githubusercontent.com/octocat/{HEX20}/raw/hello.py", HEX20),
        (f"gist.github.com/{HEX20}", HEX20),
        (f"gist.github.com/octocat/{HEX20}", HEX20),
        (f"Gist.GitHub.com/octocat/{HEX20}/revisions", HEX20),
        (f"gist.githubusercontent.com/octocat/{HEX20}/raw", HEX20),
        (f"git@gist.github.com:{HEX20}.git", HEX20),
        (f'<script src="https://gist.github.com/octocat/{HEX20}.js"></script>', HEX20),
        (f"<script src='https://gist.github.com/octocat/{HEX20}.js'></script>", HEX20),
        (f"  <SCRIPT src=https://gist.github.com/{HEX20}.js>\n</SCRIPT>\n", HEX20),
    ],
)
def test_accepted_forms_give_the_gist_id(text, gist_id):
    assert parse_gist_url(text) == gist_id


@pytest.mark.parametrize(
    ("text", "revision"),
    [
        (f"https://gist.github.com/octocat/{HEX20}/{SHA}", SHA),
        (f"https://gist.github.com/octocat/{HEX20}/raw/{SHA}/a.py", SHA),
        (f"https://gist.github.com/octocat/{HEX20}/raw/{SHA}", SHA),
        (f"https://gist.githubusercontent.com/octocat/{HEX20}/raw/{SHA}/hello.py", SHA),
        (f"gist.githubusercontent.com/octocat/{HEX20}/raw/{SHA}/hello.py", SHA),
        (f"https://gist.github.com/octocat/{HEX20}", None),
        (f"https://gist.github.com/octocat/{HEX20}/raw/a.py", None),
        (HEX20, None),
    ],
)
def test_a_revision_in_the_url_is_given_with_the_id(text, revision):
    assert parse_gist_ref(text) == (HEX20, revision)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Nothing was pasted."),
        (f"{HEX20} {HEX20}", "It has a space or line break inside it."),
        (f"https://evil.example/{HEX20}", "It links to evil.example, not to gist.github.com."),
        (f"https://github.com/octocat/{HEX20}", "It links to github.com, not to gist.github.com."),
        (f"ftp://gist.github.com/{HEX20}", "Only https:// (or http://) links"),
        (f"https://gist.github.com/octocat/{HEX20}?foo=bar", "no query string"),
        ("https://gist.github.com/octocat", "The path /octocat names no gist on gist.github.com."),
        (f"https://gist.github.com/octocat/{HEX20}#comments", "Only a gist page's #file-"),
        (f"https://gist.githubusercontent.com/octocat/{HEX20}/raw#file-a", "Only a gist page's #file-"),
        ("http://[gist.github.com", "It is not a well-formed URL."),
    ],
)
def test_each_refusal_says_why(text, reason):
    with pytest.raises(InvalidGistURL) as caught:
        parse_gist_url(text)
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\t",
        "https://gist.github.com",
        "https://gist.github.com/",
        "https://gist.github.com/octocat",
        "https://gist.github.com/octocat/",
        f"https://github.com/octocat/{HEX20}",
        "https://github.com/octocat/hello-world",
        f"https://evil.example/{HEX20}",
        f"https://gist.github.com.evil.example/{HEX20}",
        f"https://evil.example/gist.github.com/{HEX20}",
        f"https://gist.github.com@evil.example/{HEX20}",
        f"https://user@gist.github.com/{HEX20}",
        f"https://gist.github.com:8443/{HEX20}",
        f"https://api.github.com/repos/octocat/{HEX20}",
        "https://api.github.com/users/octocat",
        f"https://api.github.com/gists/{HEX20}/comments",
        f"https://api.github.com/gists/{HEX20}#file-a-py",
        f"https://api.github.com/{HEX20}",
        "a" * 19,
        "a" * 33,
        f"https://gist.github.com/{'a' * 19}",
        f"https://gist.github.com/{'a' * 33}",
        HEX20.upper(),
        f"https://gist.github.com/octocat/{HEX20.upper()}",
        "1234567890123",
        f"{HEX20}g",
        "javascript:alert(1)",
        f"javascript:alert('{HEX20}')",
        f"https://gist.github.com/../{HEX20}",
        f"https://gist.github.com/octocat/../{HEX20}",
        f"https://gist.github.com/octocat/{HEX20}/..",
        f"../{HEX20}",
        f"ftp://gist.github.com/{HEX20}",
        f"//gist.github.com/{HEX20}",
        f"file:///gist.github.com/{HEX20}",
        f"https://gist.github.com/octo_cat/{HEX20}",
        f"https://gist.github.com/octo.cat/{HEX20}",
        f"https://gist.github.com/-octocat/{HEX20}",
        f"https://gist.github.com/octocat-/{HEX20}",
        f"https://gist.github.com/octo--cat/{HEX20}",
        f"https://gist.github.com/{'a' * 40}/{HEX20}",
        f"https://gist.github.com/a/b/{HEX20}",
        f"https://gist.github.com/octocat/{HEX20}/{SHA[:39]}",
        f"https://gist.github.com/octocat/{HEX20}/{SHA}.git",
        f"https://gist.github.com/octocat/{HEX20}?foo=bar",
        "http://[gist.github.com",  # urlsplit raises ValueError on these two
        "http://gist.github.com\uff03x",
        f"https://[gist.github.com]/{HEX20}",
        f"https://gist.github.com/search?q={HEX20}",
        f"https://gist.github.com/octocat/{HEX20}#comments",
        f"https://gist.github.com/{HEX20[:10]} {HEX20[10:]}",
        f"https://gist.github.com/{HEX20[:10]}\n{HEX20[10:]}",
        f"https://gist.github.com/%2e%2e/{HEX20}",
        f"https://gist.github.com/{HEX20}%2f",
        f"https://gist.githubusercontent.com/{HEX20}/raw",
        f"https://gist.githubusercontent.com/octocat/{HEX20}",
        f"https://gist.githubusercontent.com/octocat/{HEX20}/raw/..",
        f"https://gist.github.com/octocat/{HEX20}/raw/a/b",
        f"https://gist.github.com/octocat/{HEX20}.json",
        f"git@gist.github.com:{HEX20}",
        f"git@github.com:{HEX20}.git",
        f'<script src="https://evil.example/{HEX20}.js"></script>',
        f'<script src="https://gist.github.com/{HEX20}.js"></script><script>alert(1)</script>',
        f"evil.example/gist.github.com/{HEX20}",
        f"{HEX20} {HEX20}",
    ],
)
def test_anything_else_is_refused(text):
    with pytest.raises(InvalidGistURL):
        parse_gist_url(text)


def test_the_refusal_says_what_is_accepted():
    with pytest.raises(InvalidGistURL) as caught:
        parse_gist_url("https://example.com/nope")
    message = str(caught.value)
    assert "https://gist.github.com/" in message
    assert "id" in message


def test_invalid_gist_url_is_a_value_error():
    assert issubclass(InvalidGistURL, ValueError)
