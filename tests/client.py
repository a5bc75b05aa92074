"""An HTTP client for tests that keeps cookies and sends the `_xsrf` token like a browser form."""

import json as jsonlib
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPRequest


class Response:
    def __init__(self, raw):
        self.code = raw.code
        self.headers = raw.headers
        self.body = raw.body or b""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return jsonlib.loads(self.body)

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")


class Client:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies: dict[str, str] = {}
        self.http = AsyncHTTPClient(force_instance=True)

    async def request(self, method: str, path: str, body=None, headers=None, **kwargs) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        raw = await self.http.fetch(HTTPRequest(
            self.base_url + path, method=method, body=body, headers=headers,
            follow_redirects=False, request_timeout=60, **kwargs,
        ), raise_error=False)
        self._keep_cookies(raw.headers.get_list("Set-Cookie"))
        return Response(raw)

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            for name, morsel in SimpleCookie(header).items():
                expired = morsel["max-age"] == "0" or re.search(r"19[0-9]{2}", morsel["expires"] or "")
                if expired or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    async def get(self, path: str, **kwargs) -> Response:
        return await self.request("GET", path, **kwargs)

    async def xsrf(self) -> str:
        if "_xsrf" not in self.cookies:
            await self.get("/login")
        return self.cookies["_xsrf"]

    async def post(self, path: str, data: dict | None = None, xsrf: bool = True, **kwargs) -> Response:
        data = dict(data or {})
        if xsrf:
            data["_xsrf"] = await self.xsrf()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **kwargs.pop("headers", {})}
        return await self.request("POST", path, body=urlencode(data, doseq=True), headers=headers, **kwargs)

    def close(self) -> None:
        self.http.close()
