"""Reading a search box: words, phrases, -words and filters; what is refused and why (issue 20 item 1)."""

import pytest

from tornadogists.text.search_query import InvalidQuery, SearchQuery, parse_query, parse_sort, with_filters

ALL = ("title", "code", "comments")


@pytest.mark.parametrize("text, expected", [
    ("tornado", SearchQuery(words=["tornado"])),
    ("  Tornado   websocket ", SearchQuery(words=["Tornado", "websocket"])),
    ('"async handler" loop', SearchQuery(words=["loop"], phrases=["async handler"])),
    ('"unclosed phrase', SearchQuery(phrases=["unclosed phrase"])),
    ('"one"', SearchQuery(words=["one"])),
    ("tornado -flask", SearchQuery(words=["tornado"], excluded=["flask"])),
    ('tornado -"flask app"', SearchQuery(words=["tornado"], excluded=["flask app"])),
    ("-only", SearchQuery(excluded=["only"])),
    ("language:Python x", SearchQuery(words=["x"], languages=["python"])),
    ('language:"vim script"', SearchQuery(languages=["vim script"])),
    ("tag:asyncio tag:web", SearchQuery(tags=["asyncio", "web"])),
    ("user:Ada owner:OctoCat", SearchQuery(users=["ada"], owners=["octocat"])),
    ("x in:code", SearchQuery(words=["x"], places=("code",))),
    ("x in:comments in:title", SearchQuery(words=["x"], places=("title", "comments"))),
    ("is:loved", SearchQuery(loved=True)),
    ("IS:LOVED", SearchQuery(loved=True)),
    ("self.x: - -- * $where", SearchQuery(words=["self.x:", "$where"])),
    ("", SearchQuery()),
])
def test_a_query_is_read_into_words_phrases_and_filters(text, expected):
    assert parse_query(text) == expected


@pytest.mark.parametrize("text, says", [
    ("colour:red", "“colour:” is not a filter"),
    ("http://example.com", 'put it in quotes, as "http://example.com"'),
    ("language:", "“language:” needs a value, as in language:python"),
    ("tag:", "“tag:” needs a value"),
    ("in:files", "in:files is not a place to search: use in:code, in:comments or in:title"),
    ("is:starred", "is:starred is not known: is:loved"),
    ("a" * 201, "at most 200 characters"),
])
def test_a_bad_filter_is_refused_saying_why(text, says):
    with pytest.raises(InvalidQuery, match=None) as refused:
        parse_query(text)
    assert says in str(refused.value)


@pytest.mark.parametrize("value, expected", [
    ("", "relevance"), ("relevance", "relevance"), ("newest", "newest"), ("loved", "loved"),
    ("discussed", "discussed"),
])
def test_the_sorts(value, expected):
    assert parse_sort(value) == expected


@pytest.mark.parametrize("value", ["latest", "NEWEST", "score desc", "-loved"])
def test_an_unknown_sort_is_refused_naming_the_sorts(value):
    with pytest.raises(InvalidQuery, match="relevance, newest, loved, discussed"):
        parse_sort(value)


@pytest.mark.parametrize("text, row, expected", [
    ("tornado", {"language": "", "in": ""}, "tornado"),
    ("tornado", {"language": "python", "in": "code"}, "tornado language:python in:code"),
    (" x ", {"language": "vim script"}, 'x language:"vim script"'),
    ("", {"language": "go"}, "language:go"),
])
def test_the_forms_filter_row_joins_the_query(text, row, expected):
    assert with_filters(text, row) == expected


def test_terms_for_excerpts_leave_out_excluded_words_and_split_phrases():
    assert parse_query('"Async Handler" loop -flask loop').terms == ["loop", "async", "handler"]


def test_the_cache_key_is_the_same_however_the_query_was_typed():
    assert parse_query("x  tag:a").key() == parse_query("tag:A x").key() != parse_query("x tag:b").key()
    assert parse_query("x").places == ALL
