"""The API's OpenAPI 3.1 document: the one description that /api, the request checks, the tests and clients read."""

import copy
import functools

from tornadogists.services.comments import MAX_BODY
from tornadogists.services.discovery import SORTS
from tornadogists.services.gists import MAX_INTRO
from tornadogists.services.reactions import KINDS
from tornadogists.text.gist_urls import GIST_ID_PATTERN
from tornadogists.text.handles import MAX_LENGTH as MAX_HANDLE
from tornadogists.text.search_query import FILTERS, MAX_QUERY, SORTS as SEARCH_SORTS
from tornadogists.text.tags import MAX_TAGS, TAG

BASE_PATH = "/api/v1"
PER_PAGE, MAX_PER_PAGE, MAX_PAGE = 30, 100, 10_000
EXAMPLE_GIST = "aa5a315d61ae9438b18d"
STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer", "minimum": 0}, {"type": "boolean"}
TIME = {"type": "string", "format": "date-time", "description": "ISO 8601, UTC"}
URL = {"type": "string", "format": "uri"}


def ref(name: str, kind: str = "schemas") -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def nullable(schema: dict) -> dict:
    if "$ref" in schema:
        return {"oneOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def record(properties: dict, optional: tuple = ()) -> dict:
    """An object with exactly these properties; all required but `optional`."""
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": [name for name in properties if name not in optional]}


GIST_SUMMARY = {
    "id": STRING, "url": URL, "html_url": URL, "comments_url": URL, "description": STRING,
    "owner": nullable(ref("Owner")), "submitter": {**nullable(ref("Submitter")), "description": "null once the submitter deleted their account"}, "file_count": INTEGER,
    "languages": {"type": "array", "items": STRING}, "tags": {"type": "array", "items": STRING},
    "loves": INTEGER, "comments": {**INTEGER, "description": "visible comments"},
    "submitted_at": TIME, "updated_at": nullable(TIME), "last_comment_at": nullable(TIME), "deleted": BOOLEAN,
    "recent_comments": {**INTEGER, "description": "comments in the last 30 days (sort=discussed only)"},
}
GIST_DETAIL = {
    "intro": {**STRING, "description": "the submitter's introduction, Markdown"},
    "intro_html": {**STRING, "description": "the introduction rendered and sanitised"},
    "revision": nullable(STRING), "github_html_url": nullable(URL), "fetched_at": nullable(TIME),
    "files": {"type": "array", "items": ref("File")},
}
PIECES = {"type": "array", "items": record({"text": STRING, "match": BOOLEAN})}


def schemas() -> dict:
    person = {"handle": STRING, "avatar_url": URL, "html_url": URL, "url": URL}
    return {
        "Error": record({"error": record({"code": STRING, "message": STRING})}),
        "Owner": record({"login": STRING, "avatar_url": nullable(URL), "html_url": nullable(URL)}),
        "Submitter": record({"handle": STRING, "html_url": URL, "url": URL}),
        "Person": record(person),
        "GistSummary": record(GIST_SUMMARY, optional=("recent_comments",)),
        "Gist": record({**GIST_SUMMARY, **GIST_DETAIL}, optional=("recent_comments",)),
        "File": record({
            "name": STRING, "language": nullable(STRING), "size": INTEGER,
            "kind": {"type": "string", "enum": ["text", "markdown", "binary", "too_large"]},
            "content": {**nullable(STRING), "description": "null for binary or too large files"},
            "raw_url": nullable(URL),
        }),
        "Comment": record({
            "id": STRING, "html_url": URL,
            "parent": {**nullable(STRING), "description": "the comment this one replies to"},
            "file": nullable(STRING), "line": nullable(INTEGER),
            "outdated": {**BOOLEAN, "description": "a line comment written against an older revision"},
            "revision": nullable(STRING),
            "author": {**nullable(ref("Person")), "description": "null for a deleted comment or one from GitHub"},
            "github": {**nullable(record({"login": STRING, "html_url": nullable(URL), "comment_url": nullable(URL)})),
                       "description": "a comment written on GitHub, read-only here: its writer and the comment there"},
            "body": {**STRING, "description": "Markdown source"},
            "html": {**STRING, "description": "sanitised HTML"},
            "edited": BOOLEAN, "deleted": BOOLEAN, "created_at": TIME, "updated_at": TIME,
            "reactions": ref("ReactionCounts"),
        }),
        "ReactionCounts": {**record({kind: INTEGER for kind in KINDS}), "description": "how many reacted so"},
        "Reactions": record({
            "counts": ref("ReactionCounts"),
            "reactions": {"type": "array", "description": "oldest first", "items": record({
                "content": {"type": "string", "enum": list(KINDS)}, "user": ref("Submitter")})},
        }),
        "User": record({
            **person, "display_name": nullable(STRING),
            "github": nullable(record({"login": STRING, "html_url": nullable(URL)})),
            "joined_at": nullable(TIME), "gists": {"type": "array", "items": ref("GistSummary")},
            "more_gists": BOOLEAN,
        }),
        "Tag": record({"tag": STRING, "count": INTEGER, "html_url": URL, "gists_url": URL}),
        "SearchResults": record({"total_count": INTEGER, "items": {"type": "array", "items": ref("SearchResult")}}),
        "SearchResult": record({
            "gist": ref("GistSummary"),
            "file_match": nullable(record({"file": STRING, "line": nullable(INTEGER), "text": STRING,
                                           "pieces": PIECES})),
            "comment_match": nullable(record({"id": STRING, "html_url": URL, "text": STRING, "pieces": PIECES})),
        }),
        "NewGist": record({
            "url": {"type": "string", "maxLength": 2000,
                    "description": "a gist URL (https://gist.github.com/…, https://api.github.com/gists/…) or id"},
            "tags": {"type": "array", "maxItems": MAX_TAGS, "description": f"at most {MAX_TAGS}",
                     "items": {"type": "string", "pattern": f"^{TAG.pattern}$",
                               "description": "1-30 characters from a-z 0-9 + # . -"}},
            "intro": {"type": "string", "maxLength": MAX_INTRO, "description": "Markdown"},
        }, optional=("tags", "intro")),
        "NewComment": record({
            "body": {"type": "string", "minLength": 1, "maxLength": MAX_BODY, "description": "Markdown"},
            "parent": {"type": ["string", "null"], "pattern": "^[0-9a-f]{24}$",
                       "description": "the id of the comment to reply to"},
            "file": {"type": ["string", "null"], "maxLength": 1000, "description": "a file of the gist"},
            "line": {"type": ["integer", "null"], "minimum": 1, "maximum": 10_000_000,
                     "description": "a line of that file"},
        }, optional=("parent", "file", "line")),
    }


def parameters() -> dict:
    def query(name, schema, description, example=None, required=False):
        param = {"name": name, "in": "query", "required": required, "description": description, "schema": schema}
        return param | ({"example": example} if example is not None else {})

    def path(name, pattern, description, example):
        return {"name": name, "in": "path", "required": True, "description": description, "example": example,
                "schema": {"type": "string", "pattern": f"^{pattern}$"}}

    return {
        "page": query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                      "page number, from 1", 2),
        "per_page": query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                                       "default": PER_PAGE}, f"items a page, at most {MAX_PER_PAGE}", 50),
        "sort": query("sort", {"type": "string", "enum": list(SORTS), "default": "latest"},
                      "latest (submitted), hot (loves and comments, decaying with age), "
                      "discussed (most comments in 30 days), loved", "loved"),
        "tag": query("tag", {"type": "string", "pattern": f"^{TAG.pattern}$",
                             "description": "1-30 characters from a-z 0-9 + # . -"},
                     "only gists carrying this tag, newest first (sort must be latest)", "python"),
        "q": query("q", {"type": "string", "minLength": 1, "maxLength": MAX_QUERY, "pattern": r"\S",
                         "description": f"words or \"phrases\", -word to leave out, and filters "
                                        f"({', '.join(name + ':' for name in FILTERS)}); at most {MAX_QUERY} "
                                        "characters"},
                   "what to search for: language:python, tag:asyncio, user:ada (who submitted it), owner:octocat "
                   "(its GitHub owner), in:code, in:comments or in:title (where the words are); an unknown "
                   "filter is a 400 saying why. is:loved needs a signed-in person, so the API refuses it",
                   "tornado websocket language:python", required=True),
        "search_sort": query("sort", {"type": "string", "enum": list(SEARCH_SORTS), "default": "relevance"},
                             "relevance, newest (submitted), loved (most loves), discussed (most comments)",
                             "newest"),
        "gist_id": path("gist_id", GIST_ID_PATTERN, "GitHub's id of the gist", EXAMPLE_GIST),
        "comment_id": path("comment_id", "[0-9a-f]{24}", "a comment's id (Comment.id)", "65f0c0ffee0000000000beef"),
        "content": path("content", "(?:[+-]1|laugh|hooray|confused|heart|rocket|eyes)",
                        f"one of {', '.join(KINDS)} (GitHub's names)", "heart"),
        "handle": path("handle", f"[a-z0-9-]{{1,{MAX_HANDLE}}}", "a person's handle on the site", "ada"),
        "If-None-Match": {"name": "If-None-Match", "in": "header", "required": False, "schema": STRING,
                          "description": "an ETag from an earlier answer: 304 when nothing changed"},
    }


def headers() -> dict:
    integer = {"schema": {"type": "integer"}}
    return {
        "X-RateLimit-Limit": {**integer, "description": "requests allowed in the window, per client network"},
        "X-RateLimit-Remaining": {**integer, "description": "requests left in the window"},
        "X-RateLimit-Reset": {**integer, "description": "when the window ends, in seconds since the epoch"},
        "ETag": {"schema": STRING, "description": "send it back in If-None-Match"},
        "Link": {"schema": STRING, "description": 'RFC 8288 links: rel="next", "prev", "first", "last"'},
        "Retry-After": {"schema": {"type": "integer"}, "description": "seconds until the window ends"},
    }


ERRORS = {   # name: (status, when)
    "BadRequest": ("400", "a parameter or the JSON body is malformed"),
    "Unauthorized": ("401", "no valid `Authorization: Bearer <token>` (cookies never authorise a write)"),
    "NotFound": ("404", "no such gist, person or address"),
    "Conflict": ("409", "the same comment is being saved by an earlier request; a held comment takes no reactions"),
    "Unprocessable": ("422", "well formed, but the site refuses it: the message says why"),
    "RateLimited": ("429", "too many requests: see X-RateLimit-Reset and Retry-After"),
    "ServerError": ("5XX", "GitHub or the database failed (502, 503), or a bug (500)"),
}
LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def responses() -> dict:
    limits = {name: ref(name, "headers") for name in LIMIT_HEADERS}
    json = {"application/json": {"schema": ref("Error")}}
    answers = {name: {"description": text, "headers": limits, "content": json} for name, (_, text) in ERRORS.items()}
    answers["RateLimited"]["headers"] = {**limits, "Retry-After": ref("Retry-After", "headers")}
    answers["NotModified"] = {"description": "unchanged since the ETag sent in If-None-Match", "headers": limits}
    return answers


def ok(schema: dict, description: str, links: bool = False, status: str = "200") -> dict:
    names = [*(["ETag"] if status == "200" else []), *LIMIT_HEADERS, *(["Link"] if links else [])]
    return {status: {"description": description, "headers": {name: ref(name, "headers") for name in names},
                     "content": {"application/json": {"schema": schema}}}}


def read(summary: str, description: str, params: list[str], answer: dict, errors=("BadRequest",)) -> dict:
    errors = sorted({*errors, "RateLimited", "ServerError"}, key=list(ERRORS).index)
    return {
        "summary": summary, "description": description, "tags": ["read"],
        "parameters": [ref(name, "parameters") for name in [*params, "If-None-Match"]],
        "responses": {**answer, "304": ref("NotModified", "responses"),
                      **{ERRORS[name][0]: ref(name, "responses") for name in errors}},
    }


def write(summary: str, description: str, params: list[str], body: str, example: dict, answer: dict) -> dict:
    errors = [name for name in ERRORS if name != "Conflict" or body == "NewComment"]
    return {
        "summary": summary, "description": description, "tags": ["write"], "security": [{"bearerAuth": []}],
        "parameters": [ref(name, "parameters") for name in params],
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref(body), "example": example}}},
        "responses": {**answer, **{ERRORS[name][0]: ref(name, "responses") for name in errors}},
    }


def react(summary: str, description: str, answer: dict) -> dict:
    """A write whose address says it all: no body."""
    errors = [name for name in ERRORS if name not in ("Unprocessable",)]
    return {
        "summary": summary, "description": description, "tags": ["write"], "security": [{"bearerAuth": []}],
        "parameters": [ref(name, "parameters") for name in ("gist_id", "comment_id", "content")],
        "responses": {**answer, **{ERRORS[name][0]: ref(name, "responses") for name in errors}},
    }


def paths() -> dict:
    array = lambda name: {"type": "array", "items": ref(name)}  # noqa: E731 - a one-line shorthand
    return {
        "/gists": {
            "get": read("List gists", "Gists in one order, a page at a time; `Link` names the next pages.",
                        ["sort", "tag", "page", "per_page"], ok(array("GistSummary"), "a page of gists", True),
                        errors=("BadRequest", "Unprocessable")),
            "post": write("Submit a gist", "Import a gist from GitHub and open its discussion, with the same "
                          "rules and limits as the submit form. A gist already here is answered as it is.",
                          [], "NewGist", {"url": f"https://gist.github.com/octocat/{EXAMPLE_GIST}",
                                          "tags": ["python", "tornado"], "intro": "A *tiny* server."},
                          ok(ref("Gist"), "the gist's discussion (new, or the one already here)", status="201")),
        },
        "/gists/{gist_id}": {"get": read(
            "Get a gist", "Its metadata, tags, loves, and files with their contents and languages.",
            ["gist_id"], ok(ref("Gist"), "the gist"), errors=("NotFound",))},
        "/gists/{gist_id}/comments": {
            "get": read("List a gist's comments", "The whole discussion, oldest first: Markdown source and "
                        "sanitised HTML, `parent` for replies, `file` and `line` for line comments. A deleted "
                        "comment appears only while replies hang from it.",
                        ["gist_id"], ok(array("Comment"), "the discussion"), errors=("NotFound",)),
            "post": write("Comment on a gist", "A comment, a reply (`parent`) or a line comment (`file` and "
                          "`line`), with the same rules, limits and spam checks as the comment form.",
                          ["gist_id"], "NewComment", {"body": "Nice **handler**.", "file": "hello.py", "line": 3},
                          ok(ref("Comment"), "the comment", status="201")),
        },
        "/gists/{gist_id}/comments/{comment_id}/reactions": {"get": read(
            "List a comment's reactions", "Who reacted with which of GitHub's eight kinds, and the counts.",
            ["gist_id", "comment_id"], ok(ref("Reactions"), "the reactions"), errors=("NotFound",))},
        "/gists/{gist_id}/comments/{comment_id}/reactions/{content}": {
            "put": react("React to a comment", "Add your reaction of this kind (one of each kind a person); "
                         "`200` when you had it already. A held or hidden comment takes none (`409`).",
                         {**ok(ref("Reactions"), "the comment's reactions, yours added", status="201"),
                          **ok(ref("Reactions"), "you had reacted so already")}),
            "delete": react("Take back a reaction", "Remove your reaction of this kind; `200` either way.",
                            ok(ref("Reactions"), "the comment's reactions, yours gone")),
        },
        "/users/{handle}": {"get": read(
            "Get a person", "A public profile (never an e-mail address) and the gists they submitted last.",
            ["handle"], ok(ref("User"), "the person"), errors=("NotFound",))},
        "/tags": {"get": read("List tags", "Every tag in use with its number of gists, most used first.",
                              [], ok(array("Tag"), "the tags"), errors=())},
        "/search": {"get": read(
            "Search", "Full text over descriptions, tags, file names, whole file contents and comments, with "
            "filters, best first or in the order `sort` asks.",
            ["q", "search_sort", "page", "per_page"], ok(ref("SearchResults"), "a page of results", True))},
        "/openapi.json": {"get": read("This document", "The API described in OpenAPI 3.1.", [],
                                      ok({"type": "object"}, "the OpenAPI document"), errors=())},
    }


DESCRIPTION = """Read TornadoGists' gists, discussions, people and tags as JSON, and submit gists and
comments with a personal token.

* Reads are anonymous and allowed from any origin (CORS). Writes need `Authorization: Bearer <token>`
  (make one on your account page); cookies never authorise a write, and no XSRF token is needed.
* Every request counts against a fixed window per client network: see the `X-RateLimit-*` headers.
* Answers carry an `ETag`: send it back in `If-None-Match` to get a `304` for free when nothing changed.
* Listings are paginated with `page` and `per_page` (at most 100); the `Link` header names the next pages.
* Times are ISO 8601 in UTC. Errors are `{"error": {"code": "...", "message": "..."}}` with a 4xx or
  5xx status; an unknown address under /api/v1 is a 404 and an unsupported method a 405 (with `Allow`).
"""


@functools.lru_cache(maxsize=4)
def _document(site_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "TornadoGists API", "version": "1.0.0", "description": DESCRIPTION},
        "servers": [{"url": site_url.rstrip("/") + BASE_PATH}],
        "tags": [{"name": "read", "description": "anonymous"}, {"name": "write", "description": "with a token"}],
        "paths": paths(),
        "components": {
            "schemas": schemas(), "parameters": parameters(), "headers": headers(), "responses": responses(),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "a personal API token from /account"}},
        },
    }


def document(site_url: str) -> dict:
    """The whole document for a site served at `site_url`; a copy the caller may change."""
    return copy.deepcopy(_document(site_url))


# What requests are checked against (handlers/api/base.py): the very schemas the document shows.
PARAMETERS = parameters()
SCHEMAS = schemas()
