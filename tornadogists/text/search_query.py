"""What a search box holds: words, "phrases", -words and filters (language:, tag:, user:, owner:, in:, is:)."""

import dataclasses
import re

MAX_QUERY = 200
SORTS = ("relevance", "newest", "loved", "discussed")
PLACES = ("title", "code", "comments")   # in:title is the gist's own card: description, tags, file names
FILTERS = ("language", "tag", "user", "owner", "in", "is")
# A phrase (an unclosed quote runs to the end), a filter, or a word; each may be negated with "-".
_TOKEN = re.compile(r'(-?)"([^"]*)"?|([A-Za-z]+):("[^"]*"?|\S*)|(-?)([^\s"]+)')


class InvalidQuery(ValueError):
    """A query the site will not run; str() says why."""


@dataclasses.dataclass
class SearchQuery:
    words: list[str] = dataclasses.field(default_factory=list)
    phrases: list[str] = dataclasses.field(default_factory=list)
    excluded: list[str] = dataclasses.field(default_factory=list)   # -word and -"phrase"
    languages: list[str] = dataclasses.field(default_factory=list)  # lower case, every one required
    tags: list[str] = dataclasses.field(default_factory=list)
    users: list[str] = dataclasses.field(default_factory=list)      # submitters' handles, lower case
    owners: list[str] = dataclasses.field(default_factory=list)     # GitHub logins, lower case
    places: tuple[str, ...] = PLACES
    loved: bool = False

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def has_filters(self) -> bool:
        return bool(self.languages or self.tags or self.users or self.owners or self.loved)

    @property
    def terms(self) -> list[str]:
        """The words a result must have matched, lower case, once each (for excerpts)."""
        terms = []
        for text in self.words + self.phrases:
            for term in re.findall(r"\w+", text.lower()):
                if term not in terms:
                    terms.append(term)
        return terms

    def key(self) -> tuple:
        """The same search, however it was typed: for the cache."""
        return tuple((name, tuple(value) if isinstance(value, list) else value)
                     for name, value in sorted(dataclasses.asdict(self).items()))


def _unquote(value: str) -> str:
    return value.strip('"').strip()


def _add_filter(query: SearchQuery, name: str, value: str, places: list[str]) -> None:
    name, value = name.lower(), _unquote(value).lower()
    if name not in FILTERS:
        known = ", ".join(f"{known}:" for known in FILTERS)
        raise InvalidQuery(f'“{name}:” is not a filter (filters are {known}); put it in quotes, '
                           f'as "{name}:{value}", to search for the text.')
    if not value:
        raise InvalidQuery(f"“{name}:” needs a value, as in {name}:{_EXAMPLES[name]}.")
    if name == "in":
        if value not in PLACES:
            raise InvalidQuery(f"in:{value} is not a place to search: use in:code, in:comments or in:title.")
        places.append(value)
    elif name == "is":
        if value != "loved":
            raise InvalidQuery(f"is:{value} is not known: is:loved shows only the gists you loved.")
        query.loved = True
    else:
        getattr(query, {"language": "languages", "tag": "tags", "user": "users", "owner": "owners"}[name]).append(value)


_EXAMPLES = {"language": "python", "tag": "asyncio", "user": "ada", "owner": "octocat", "in": "code", "is": "loved"}


def parse_query(text: str) -> SearchQuery:
    """The query as typed, parsed; raises InvalidQuery saying what is wrong with it."""
    if len(text.strip()) > MAX_QUERY:
        raise InvalidQuery(f"The search is too long: at most {MAX_QUERY} characters.")
    query, places = SearchQuery(), []
    for minus, phrase, name, value, minus2, word in _TOKEN.findall(text):
        if name:
            _add_filter(query, name, value, places)
            continue
        negated, found = bool(minus or minus2), (phrase if not word else word.lstrip("-")).strip()
        if not re.search(r"\w", found):
            continue
        target = query.excluded if negated else query.phrases if not word and " " in found else query.words
        if found not in target:
            target.append(found)
    if places:
        query.places = tuple(place for place in PLACES if place in places)
    return query


def with_filters(text: str, filters: dict[str, str]) -> str:
    """The query box's text with the form's filter row (name -> value, "" for none) added to it."""
    added = [f'{name}:"{value}"' if " " in value else f"{name}:{value}"
             for name, value in filters.items() if value.strip()]
    return " ".join([text.strip(), *added]).strip()


def parse_sort(value: str) -> str:
    """One of SORTS ("" is relevance); raises InvalidQuery for anything else."""
    if not value:
        return "relevance"
    if value not in SORTS:
        raise InvalidQuery(f"“{value}” is not a way to sort results: use {', '.join(SORTS)}.")
    return value
