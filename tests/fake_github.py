"""A fake GitHub REST API: plain Tornado handlers on a real 127.0.0.1 socket."""

import base64
import copy
import hashlib
import json
import time
from pathlib import Path

import pytest_asyncio
import tornado.httpserver
import tornado.httputil
import tornado.netutil
import tornado.web

FIXTURES = Path(__file__).parent / "fixtures" / "github" / "gists"
DOCS = "https://docs.github.com/rest/gists/gists#get-a-gist"


class FakeGitHub:
    """GitHub as far as we use it; `requests` keeps what it received, for assertions.

    `gists` maps an id to its JSON as loaded (keys starting with "_" are fixture-only,
    e.g. `_full_content`, the whole text behind a truncated file's raw_url; they are
    never served). `failures` forces an answer: an id forces `GET /gists/{id}`, and
    "{id}/{filename}" forces `GET /raw/{id}/{filename}`; the value is
    (status, headers, body), body being bytes, str, a JSON-able dict/list or None.
    """

    def __init__(self, fixtures: Path = FIXTURES):
        self.base_url = ""
        self.requests: list[tornado.httputil.HTTPServerRequest] = []
        self.gists: dict[str, dict] = {}
        self.failures: dict[str, tuple] = {}
        self._fixtures = fixtures
        self._server: tornado.httpserver.HTTPServer | None = None

    async def start(self) -> None:
        [sock] = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
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
        self.gists[data["id"]] = _fill_base(copy.deepcopy(data), self.base_url)

    def requests_to(self, path_prefix: str) -> list:
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    def _make_app(self) -> tornado.web.Application:
        return tornado.web.Application(
            [
                (r"/gists/([^/]+)", GistHandler, {"fake": self}),
                (r"/raw/([^/]+)/([^/]+)", RawHandler, {"fake": self}),
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
        for name, value in _rate_limit_headers().items():
            self.set_header(name, value)
        for name, value in (headers or {}).items():
            self.set_header(name, value)
        self.finish(json.dumps(data).encode() if status != 304 else None)

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
    def get(self, gist_id: str) -> None:
        if gist_id in self.fake.failures:
            return self.send_forced(*self.fake.failures[gist_id])
        gist = self.fake.gists.get(gist_id)
        if gist is None:
            return self.send_not_found()
        data = _public(gist)
        etag = 'W/"%s"' % hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        if etag in _etags(self.request.headers.get("If-None-Match", "")):
            return self.send_json(304, None, {"ETag": etag})
        self.send_json(200, data, {"ETag": etag, "Cache-Control": "public, max-age=60, s-maxage=60"})


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


class NotFoundHandler(FakeHandler):
    def get(self, *args) -> None:
        self.send_not_found()

    post = get


def _raw_bytes(file: dict) -> bytes:
    if "_full_content" in file:
        return file["_full_content"].encode()
    if file.get("encoding") == "base64":
        return base64.b64decode(file["content"])
    return file["content"].encode()


def _etags(header: str) -> set[str]:
    return {tag.strip() for tag in header.split(",") if tag.strip()}


def _rate_limit_headers() -> dict:
    return {
        "X-RateLimit-Limit": "60",
        "X-RateLimit-Remaining": "59",
        "X-RateLimit-Reset": str(int(time.time()) + 3600),
        "X-RateLimit-Used": "1",
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
