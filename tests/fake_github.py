"""A fake GitHub REST API: plain Tornado handlers on a real 127.0.0.1 socket."""

import asyncio
import base64
import copy
import dataclasses
import difflib
import hashlib
import json
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest_asyncio
import tornado.httpserver
import tornado.httputil
import tornado.netutil
import tornado.web

FIXTURES = Path(__file__).parent / "fixtures" / "github" / "gists"
DOCS = "https://docs.github.com/rest/gists/gists#get-a-gist"
USER_DOCS = "https://docs.github.com/rest/users/users#get-the-authenticated-user"
OAUTH_DOCS = "https://docs.github.com/apps/oauth-apps/maintaining-oauth-apps/"
USER_GISTS_DOCS = "https://docs.github.com/rest/gists/gists#list-gists-for-a-user"
# A listed gist is GitHub's "base gist": no history, no forks, files without their contents.
LISTED_FILE_KEYS = ("filename", "type", "language", "raw_url", "size")


class FakeGitHub:
    """GitHub as far as we use it; `requests` keeps what it received, for assertions.

    `gists` maps an id to its JSON as loaded (keys starting with "_" are fixture-only,
    e.g. `_full_content`, the whole text behind a truncated file's raw_url; they are
    never served). `failures` forces an answer: an id forces `GET /gists/{id}`, and
    "{id}/{filename}" forces `GET /raw/{id}/{filename}`; the value is
    (status, headers, body), body being bytes, str, a JSON-able dict/list or None.

    OAuth (GitHub sign-in): the app is `client_id` / `client_secret`; `set_user` chooses
    who signs in on GitHub; `declines = True` makes that person click "Cancel". The
    paths "/login/oauth/access_token", "/user" and "/user/emails" are keys of `failures` too.

    Revisions (issue 11): `commit` makes a new version (history, `GET /gists/{id}/{sha}`);
    "{id}/{sha}" forces that answer. Comments: `add_comment`, `edit_comment`,
    `delete_comment`; `GET /gists/{id}/comments` pages them with GitHub's Link headers and
    answers 304 to a matching If-None-Match; "{id}/comments" forces it. Every API answer
    carries X-RateLimit-* headers from `rate_limit` / `rate_remaining`.

    A person's gists (issue 20): `GET /users/{login}/gists` lists the public gists whose
    owner is `login`, newest update first, paged with Link headers and answering 304 to a
    matching If-None-Match; `add_user_gists` makes many; "users/{login}/gists" forces it.
    """

    def __init__(self, fixtures: Path = FIXTURES):
        self.base_url = ""
        self.requests: list[tornado.httputil.HTTPServerRequest] = []
        self.gists: dict[str, dict] = {}
        self.failures: dict[str, tuple] = {}
        self.client_id, self.client_secret = "fake-client-id", "fake-client-secret"
        self.user: dict = {}
        self.emails: list[dict] = []
        self.declines = False
        self.codes: dict[str, str] = {}  # an unused code -> the redirect_uri it was issued for
        self.tokens: set[str] = set()
        self.revisions: dict[tuple[str, str], dict] = {}   # (gist id, sha) -> the gist as it was
        self.comments: dict[str, list[dict]] = {}
        self.rate_limit, self.rate_remaining = 60, 59
        self.delay = 0.0   # seconds `GET /gists/{id}` takes: a fetch that stays in flight
        self._next_comment_id = 1000
        self._fixtures = fixtures
        self._server: tornado.httpserver.HTTPServer | None = None

    async def start(self) -> None:
        [sock] = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.set_user()
        for path in sorted(self._fixtures.glob("*.json")):
            self.add_gist(json.loads(path.read_text(encoding="utf-8")))
        self._server = tornado.httpserver.HTTPServer(self._make_app())
        self._server.add_sockets([sock])

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def add_gist(self, data: dict) -> None:
        """Serve `data` (after start: "{base}" in its strings becomes base_url)."""
        gist = self.gists[data["id"]] = _fill_base(copy.deepcopy(data), self.base_url)
        for entry in gist.get("history") or []:
            self.revisions.setdefault((gist["id"], entry["version"]), copy.deepcopy(gist))

    def add_user_gists(self, login: str, count: int, public: bool = True) -> list[str]:
        """`count` one-file gists owned by `login` (like the fixture aa5a...'s owner, renamed); their ids."""
        template, ids = self.gists["aa5a315d61ae9438b18d"], []
        for n in range(count):
            gist_id = hashlib.sha1(f"{login}/{n}/{public}".encode()).hexdigest()[:20]
            owner = {**template["owner"], "login": login, "html_url": f"https://github.com/{login}"}
            name = f"snippet_{n}.py"
            self.gists[gist_id] = {
                **copy.deepcopy(template), "id": gist_id, "public": public, "owner": owner,
                "description": f"Snippet {n} of {login}", "comments": 0,
                "url": f"{self.base_url}/gists/{gist_id}", "html_url": f"https://gist.github.com/{login}/{gist_id}",
                "updated_at": f"2024-05-{1 + n % 28:02d}T{n % 24:02d}:00:{n % 60:02d}Z",
                "files": {name: self._file(gist_id, name, f"print({n})\n", None)},
            }
            self.gists[gist_id]["history"] = []
            ids.append(gist_id)
        return ids

    def commit(self, gist_id: str, changes: dict, renames: dict | None = None, description: str | None = None,
               at: str | None = None) -> str:
        """A new revision: `changes` maps a file name to its new text (None deletes the file),
        `renames` an old name to a new one. Returns the new version's sha."""
        gist = self.gists[gist_id]
        old_files = {name: _text(file) for name, file in gist["files"].items()}
        files = _renamed(gist["files"], renames or {})
        for name, text in changes.items():
            if text is None:
                files.pop(name, None)
            else:
                files[name] = self._file(gist_id, name, text, files.get(name))
        at = at or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + len(gist["history"])))
        sha = hashlib.sha1(f"{gist_id}{len(gist['history'])}{json.dumps(changes)}{at}".encode()).hexdigest()
        added, removed = _line_changes(old_files, {name: _text(file) for name, file in files.items()}, renames or {})
        gist["history"].insert(0, {
            "user": gist.get("owner"), "version": sha, "committed_at": at,
            "change_status": {"total": added + removed, "additions": added, "deletions": removed},
            "url": f"{self.base_url}/gists/{gist_id}/{sha}"})
        gist.update(files=files, updated_at=at, description=gist["description"] if description is None else description)
        self.revisions[(gist_id, sha)] = copy.deepcopy(gist)
        return sha

    def _file(self, gist_id: str, name: str, text: str, before: dict | None) -> dict:
        return {"filename": name, "type": "text/plain", "language": (before or {}).get("language") or _language(name),
                "raw_url": f"{self.base_url}/raw/{gist_id}/{name}", "size": len(text.encode()),
                "truncated": False, "content": text, "encoding": "utf-8"}

    def add_comment(self, gist_id: str, body: str, login: str = "octocat", at: str = "2024-03-03T10:00:00Z",
                    avatar_url: str | None = None) -> dict:
        """A comment written on GitHub, last of the gist's comments."""
        self._next_comment_id += 1
        number = self._next_comment_id
        comment = {
            "url": f"{self.base_url}/gists/{gist_id}/comments/{number}", "id": number,
            "node_id": f"MDExOkdpc3RDb21tZW50{number}", "body": body,
            "user": {"login": login, "id": 1000 + number, "type": "User", "site_admin": False,
                     "avatar_url": avatar_url or f"https://avatars.githubusercontent.com/u/{1000 + number}?v=4",
                     "url": f"{self.base_url}/users/{login}", "html_url": f"https://github.com/{login}"},
            "author_association": "NONE", "created_at": at, "updated_at": at,
        }
        self.comments.setdefault(gist_id, []).append(comment)
        return comment

    def edit_comment(self, gist_id: str, comment_id: int, body: str, at: str = "2024-03-04T10:00:00Z") -> None:
        for comment in self.comments[gist_id]:
            if comment["id"] == comment_id:
                comment.update(body=body, updated_at=at)

    def delete_comment(self, gist_id: str, comment_id: int) -> None:
        self.comments[gist_id] = [c for c in self.comments[gist_id] if c["id"] != comment_id]

    def set_user(self, login: str = "octocat", id: int = 583231, name: str | None = "The Octocat",
                 email: str | None = "octocat@example.com", verified: bool = True,
                 avatar_url: str | None = None) -> dict:
        """The person signed in on GitHub; `email` is their primary address (None: none at all)."""
        self.user = {
            "login": login, "id": id, "node_id": f"MDQ6VXNlcj{id}", "type": "User", "site_admin": False,
            "avatar_url": avatar_url or f"{self.base_url}/avatars/u/{id}?v=4", "gravatar_id": "",
            "url": f"{self.base_url}/users/{login}", "html_url": f"https://github.com/{login}",
            "name": name, "company": None, "blog": "", "location": None, "email": None, "bio": None,
            "public_repos": 8, "public_gists": 8, "followers": 20, "following": 0,
            "created_at": "2011-01-25T18:44:36Z", "updated_at": "2024-01-22T12:43:17Z",
        }
        self.emails = [] if email is None else [
            {"email": email, "primary": True, "verified": verified, "visibility": "public"},
            {"email": f"{id}+{login}@users.noreply.github.com", "primary": False, "verified": True,
             "visibility": None},
        ]
        return self.user

    def with_oauth_app(self, settings):
        """`settings` (a frozen dataclass) with this fake's OAuth app: GitHub sign-in on."""
        return dataclasses.replace(settings, github_client_id=self.client_id,
                                   github_client_secret=self.client_secret)

    def requests_to(self, path_prefix: str) -> list:
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    def _make_app(self) -> tornado.web.Application:
        return tornado.web.Application(
            [
                (r"/gists/([^/]+)", GistHandler, {"fake": self}),
                (r"/gists/([^/]+)/comments", CommentsHandler, {"fake": self}),
                (r"/gists/([^/]+)/([0-9a-f]{40})", RevisionHandler, {"fake": self}),
                (r"/raw/([^/]+)/([^/]+)", RawHandler, {"fake": self}),
                (r"/login/oauth/authorize", AuthorizeHandler, {"fake": self}),
                (r"/login/oauth/access_token", AccessTokenHandler, {"fake": self}),
                (r"/user", UserHandler, {"fake": self}),
                (r"/users/([^/]+)/gists", UserGistsHandler, {"fake": self}),
                (r"/user/emails", UserEmailsHandler, {"fake": self}),
                (r"/avatars/u/([0-9]+)", AvatarHandler, {"fake": self}),
            ],
            default_handler_class=NotFoundHandler,
            default_handler_args={"fake": self},
        )


def _fill_base(value, base_url: str):
    if isinstance(value, str):
        return value.replace("{base}", base_url)
    if isinstance(value, dict):
        return {key: _fill_base(item, base_url) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill_base(item, base_url) for item in value]
    return value


def _public(value):
    """The JSON GitHub would send: fixture-only keys ("_...") removed."""
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_public(item) for item in value]
    return value


class FakeHandler(tornado.web.RequestHandler):
    def initialize(self, fake: FakeGitHub) -> None:
        self.fake = fake

    def prepare(self) -> None:
        self.fake.requests.append(self.request)

    def compute_etag(self) -> None:
        # GitHub's ETags are set by hand below; Tornado's automatic ones would differ.
        return None

    def send_json(self, status: int, data, headers: dict | None = None) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        for name, value in _rate_limit_headers(self.fake).items():
            self.set_header(name, value)
        for name, value in (headers or {}).items():
            self.set_header(name, value)
        self.finish(json.dumps(data).encode() if status != 304 else None)

    def send_conditional(self, data, headers: dict | None = None) -> None:
        """200 with a weak ETag of the body, or 304 when If-None-Match names it, as GitHub does."""
        etag = 'W/"%s"' % hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        headers = {**(headers or {}), "ETag": etag}
        if etag in _etags(self.request.headers.get("If-None-Match", "")):
            return self.send_json(304, None, headers)
        self.send_json(200, data, {**headers, "Cache-Control": "public, max-age=60, s-maxage=60"})

    def send_page(self, items: list, url: str, docs: str) -> None:
        """The `page` asked for, `per_page` items (default 30, at most 100), with GitHub's Link header."""
        try:
            per_page = min(100, max(1, int(self.get_argument("per_page", "30"))))
            page = max(1, int(self.get_argument("page", "1")))
        except ValueError:
            return self.send_json(422, {"message": "Validation Failed", "documentation_url": docs})
        last = max(1, -(-len(items) // per_page))
        links = _page_links(url, per_page, page, last)
        self.send_conditional(items[(page - 1) * per_page:page * per_page], {"Link": links} if links else {})

    def send_not_found(self) -> None:
        self.send_json(404, {"message": "Not Found", "documentation_url": DOCS})

    def send_forced(self, status: int, headers: dict, body) -> None:
        self.set_status(status)
        if isinstance(body, (dict, list)):
            self.set_header("Content-Type", "application/json; charset=utf-8")
            body = json.dumps(body)
        for name, value in headers.items():
            self.set_header(name, value)
        self.finish(body if body is not None and status != 304 else None)


class GistHandler(FakeHandler):
    async def get(self, gist_id: str) -> None:
        if self.fake.delay:
            await asyncio.sleep(self.fake.delay)
        if gist_id in self.fake.failures:
            return self.send_forced(*self.fake.failures[gist_id])
        gist = self.fake.gists.get(gist_id)
        if gist is None:
            return self.send_not_found()
        data = _public(gist)
        if gist_id in self.fake.comments:
            data["comments"] = len(self.fake.comments[gist_id])
        self.send_conditional(data)


class RevisionHandler(FakeHandler):
    def get(self, gist_id: str, sha: str) -> None:
        forced = self.fake.failures.get(f"{gist_id}/{sha}")
        if forced is not None:
            return self.send_forced(*forced)
        gist = self.fake.revisions.get((gist_id, sha))
        if gist is None or gist_id not in self.fake.gists:
            return self.send_not_found()
        self.send_json(200, _public(gist))


class CommentsHandler(FakeHandler):
    """A gist's comments, oldest first, `per_page` (default 30, at most 100) a page."""

    def get(self, gist_id: str) -> None:
        forced = self.fake.failures.get(f"{gist_id}/comments")
        if forced is not None:
            return self.send_forced(*forced)
        if gist_id not in self.fake.gists:
            return self.send_not_found()
        self.send_page(self.fake.comments.get(gist_id, []), f"{self.fake.base_url}/gists/{gist_id}/comments", DOCS)


class UserGistsHandler(FakeHandler):
    """A person's public gists, newest update first, `per_page` (default 30, at most 100) a page."""

    def get(self, login: str) -> None:
        forced = self.fake.failures.get(f"users/{login}/gists")
        if forced is not None:
            return self.send_forced(*forced)
        owned = [gist for gist in self.fake.gists.values()
                 if (gist.get("owner") or {}).get("login", "").lower() == login.lower()]
        if not owned and login.lower() != self.fake.user.get("login", "").lower():
            return self.send_json(404, {"message": "Not Found", "documentation_url": USER_GISTS_DOCS,
                                        "status": "404"})
        listed = sorted((_listed(gist) for gist in owned if gist.get("public")),
                        key=lambda gist: gist["updated_at"], reverse=True)
        self.send_page(listed, f"{self.fake.base_url}/users/{login}/gists", USER_GISTS_DOCS)


def _listed(gist: dict) -> dict:
    """A gist as GitHub lists it: the base gist, its files' names, types, languages, raw URLs and sizes."""
    data = {key: value for key, value in _public(gist).items() if key not in ("history", "forks")}
    data["files"] = {name: {key: file.get(key) for key in LISTED_FILE_KEYS} for name, file in gist["files"].items()}
    data.setdefault("truncated", False)
    return data


class RawHandler(FakeHandler):
    def get(self, gist_id: str, filename: str) -> None:
        forced = self.fake.failures.get(f"{gist_id}/{filename}")
        if forced is not None:
            return self.send_forced(*forced)
        file = self.fake.gists.get(gist_id, {}).get("files", {}).get(filename)
        if file is None:
            self.set_status(404)
            return self.finish("404: Not Found")
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(_raw_bytes(file))


class AuthorizeHandler(FakeHandler):
    """The consent page, answered at once: back to redirect_uri with a code, or access_denied."""

    def get(self) -> None:
        redirect_uri, state = self.get_argument("redirect_uri", ""), self.get_argument("state", "")
        if self.get_argument("client_id", "") != self.fake.client_id or not redirect_uri:
            self.set_status(404)
            return self.finish("404: no such OAuth application")
        if self.fake.declines:
            answer = {"error": "access_denied",
                      "error_description": "The user has denied your application access.",
                      "error_uri": OAUTH_DOCS + "troubleshooting-authorization-request-errors/#access-denied"}
        else:
            code = secrets.token_hex(10)
            self.fake.codes[code] = redirect_uri
            answer = {"code": code}
        self.redirect(tornado.httputil.url_concat(redirect_uri, answer | ({"state": state} if state else {})))


class AccessTokenHandler(FakeHandler):
    """A code for a token, once; errors come as 200 with an "error" field, as on GitHub."""

    def post(self) -> None:
        if "/login/oauth/access_token" in self.fake.failures:
            return self.send_forced(*self.fake.failures["/login/oauth/access_token"])
        arg = self.get_body_argument  # the secret travels in the body, never in the URL
        redirect_uri = self.fake.codes.pop(arg("code", ""), None)
        if (arg("client_id", ""), arg("client_secret", "")) != (self.fake.client_id, self.fake.client_secret):
            answer = _oauth_error("incorrect_client_credentials",
                                  "The client_id and/or client_secret passed are incorrect.")
        elif redirect_uri is None:
            answer = _oauth_error("bad_verification_code", "The code passed is incorrect or expired.")
        elif arg("redirect_uri", redirect_uri) != redirect_uri:
            answer = _oauth_error("redirect_uri_mismatch",
                                  "The redirect_uri MUST match the registered callback URL for this application.")
        else:
            token = "gho_" + secrets.token_hex(18)
            self.fake.tokens.add(token)
            answer = {"access_token": token, "token_type": "bearer", "scope": "read:user,user:email"}
        if "application/json" in self.request.headers.get("Accept", ""):
            return self.send_json(200, answer)
        self.set_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        self.finish(urlencode(answer))


class SignedInApiHandler(FakeHandler):
    """An API path that needs the person's token, as `Authorization: Bearer`, never in the URL."""

    def get(self) -> None:
        if self.request.path in self.fake.failures:
            return self.send_forced(*self.fake.failures[self.request.path])
        scheme, _, token = self.request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.fake.tokens or "access_token" in self.request.arguments:
            return self.send_json(401, {"message": "Requires authentication", "documentation_url": USER_DOCS,
                                        "status": "401"})
        self.send_json(200, self.answer())


class UserHandler(SignedInApiHandler):
    def answer(self):
        return self.fake.user


class UserEmailsHandler(SignedInApiHandler):
    def answer(self):
        return self.fake.emails


class AvatarHandler(FakeHandler):
    """avatars.githubusercontent.com, for a browser test's <img>."""

    def get(self, user_id: str) -> None:
        self.set_header("Content-Type", "image/svg+xml")
        self.finish('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">'
                    '<rect width="8" height="8" fill="#6e40c9"/></svg>')


class NotFoundHandler(FakeHandler):
    def get(self, *args) -> None:
        self.send_not_found()

    post = get


def _oauth_error(error: str, description: str) -> dict:
    anchor = error.replace("_", "-")
    return {"error": error, "error_description": description,
            "error_uri": OAUTH_DOCS + "troubleshooting-oauth-app-access-token-request-errors/#" + anchor}


def _raw_bytes(file: dict) -> bytes:
    if "_full_content" in file:
        return file["_full_content"].encode()
    if file.get("encoding") == "base64":
        return base64.b64decode(file["content"])
    return file["content"].encode()


def _etags(header: str) -> set[str]:
    return {tag.strip() for tag in header.split(",") if tag.strip()}


def _page_links(url: str, per_page: int, page: int, last: int) -> str:
    """GitHub's Link header: next and last after this page, first and prev before it."""
    names = {"next": page + 1, "last": last} if page < last else {}
    names |= {"first": 1, "prev": page - 1} if page > 1 else {}
    return ", ".join(f'<{url}?per_page={per_page}&page={n}>; rel="{rel}"' for rel, n in names.items())


def _text(file: dict) -> str:
    return file.get("_full_content") or file.get("content") or ""


def _language(name: str) -> str:
    return {".py": "Python", ".md": "Markdown", ".js": "JavaScript", ".txt": "Text"}.get(Path(name).suffix, "Text")


def _renamed(files: dict, renames: dict) -> dict:
    renamed = {}
    for name, file in files.items():
        new = renames.get(name, name)
        renamed[new] = {**file, "filename": new, "raw_url": file["raw_url"].rsplit("/", 1)[0] + "/" + new}
    return renamed


def _line_changes(old: dict, new: dict, renames: dict) -> tuple[int, int]:
    """(lines added, lines removed) from `old` to `new` files, as GitHub's change_status counts them."""
    added = removed = 0
    before = {renames.get(name, name): text for name, text in old.items()}
    for name in before.keys() | new.keys():
        for line in difflib.ndiff(before.get(name, "").splitlines(), new.get(name, "").splitlines()):
            added += line.startswith("+ ")
            removed += line.startswith("- ")
    return added, removed


def _rate_limit_headers(fake: FakeGitHub) -> dict:
    return {
        "X-RateLimit-Limit": str(fake.rate_limit),
        "X-RateLimit-Remaining": str(fake.rate_remaining),
        "X-RateLimit-Reset": str(int(time.time()) + 3600),
        "X-RateLimit-Used": str(fake.rate_limit - fake.rate_remaining),
        "X-RateLimit-Resource": "core",
        "X-GitHub-Api-Version-Selected": "2022-11-28",
    }


@pytest_asyncio.fixture
async def fake_github():
    """A running FakeGitHub loaded with tests/fixtures/github/gists/*.json."""
    fake = FakeGitHub()
    await fake.start()
    yield fake
    fake.stop()
