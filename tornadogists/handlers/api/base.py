"""ApiHandler: JSON answers and errors, CORS for reads, the per-client allowance, and Bearer tokens for writes."""

import http.client
import json
import time

import tornado.web

from tornadogists.handlers.base import BaseHandler, database_unavailable
from tornadogists.openapi import PARAMETERS, SCHEMAS
from tornadogists.services.api_tokens import bearer_token
from tornadogists.text.api_json import link_header
from tornadogists.text.schema_checks import Invalid, check_parameter, check_value, parse_json_object

READ_METHODS = ("GET", "HEAD", "OPTIONS")
# What a page on another origin may read of an answer besides the body.
EXPOSED = "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 422: "unprocessable", 429: "rate_limited", 500: "server_error",
         502: "bad_gateway", 503: "unavailable"}
MESSAGES = {
    404: "There is nothing at this address; /api lists the API's addresses.",
    500: "Something went wrong on our side. It has been logged; please try again shortly.",
    503: "The database is not answering right now. Please try again in a few seconds.",
}
NO_TOKEN = ("Send a personal API token (make one on your account page) as `Authorization: Bearer <token>`; "
            "cookies never authorise an API write.")


class ApiError(tornado.web.HTTPError):
    """An answer other than 2xx: its status, a stable `code` for programs and a message for people."""

    def __init__(self, status: int, message: str, code: str | None = None, retry_after: int | None = None):
        super().__init__(status)
        self.code = code or CODES.get(status, "error")
        self.user_message = message
        self.retry_after = retry_after   # seconds, for a Retry-After header


class ApiHandler(BaseHandler):
    """Reads are anonymous: the session cookie is never looked at, so every answer is the same for everyone."""

    SUPPORTED_METHODS = READ_METHODS
    allowance = None

    def set_default_headers(self):
        # Also called when an error clears a half-built answer: errors keep these headers too.
        super().set_default_headers()
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")   # may be kept, but asked again: the ETag makes that cheap
        self.set_header("Access-Control-Allow-Origin", "*")
        self.set_header("Access-Control-Expose-Headers", EXPOSED)
        if self.allowance is not None:
            self._allowance_headers()

    def _allowance_headers(self) -> None:
        self.set_header("X-RateLimit-Limit", self.allowance.limit)
        self.set_header("X-RateLimit-Remaining", self.allowance.remaining)
        self.set_header("X-RateLimit-Reset", int(self.allowance.reset.timestamp()))

    async def prepare(self):
        self.current_user = None
        if self.request.method == "OPTIONS":
            return
        self.allowance = await self.services.api.meter(self.request.remote_ip)
        self._allowance_headers()
        if self.allowance.exceeded:
            raise ApiError(429, f"Too many API requests from your network: at most {self.allowance.limit} every "
                                f"{self.site.api_rate_window_seconds:,} seconds. The count starts again at "
                                f"{self.allowance.reset:%H:%M:%S} UTC.")

    def check_xsrf_cookie(self):
        # Browsers never send a Bearer token by themselves, so another site cannot forge one: no XSRF
        # token is needed with it. Without one nothing may be written, whatever cookies come along.
        if bearer_token(self.request.headers.get("Authorization")) is None:
            raise ApiError(401, NO_TOKEN)

    async def authenticate(self) -> None:
        """The token's owner becomes current_user; 401 for a missing, unknown or revoked token."""
        token = bearer_token(self.request.headers.get("Authorization"))
        user = await self.services.api.user_for_token(token) if token else None
        if user is None:
            raise ApiError(401, "This token is not valid: it may have been revoked. " + NO_TOKEN)
        self.current_user = user

    def options(self, *args):
        """CORS preflight: only reads are shared with other origins."""
        self.set_header("Allow", ", ".join(self.SUPPORTED_METHODS))
        self.set_header("Access-Control-Allow-Methods", "GET, HEAD")
        self.set_header("Access-Control-Allow-Headers", "If-None-Match")
        self.set_header("Access-Control-Max-Age", "86400")
        self.clear_header("Content-Type")
        self.set_status(204)

    def links(self, name: str, *args) -> str:
        """The absolute URL of a named route."""
        return self.site.site_url.rstrip("/") + self.reverse_url(name, *args)

    def query(self, key: str):
        """A query parameter (its key in the OpenAPI document), checked against its schema there."""
        param = PARAMETERS[key]
        try:
            return check_parameter(param, self.get_query_argument(param["name"], None, strip=False))
        except Invalid as error:
            raise ApiError(400, str(error), "invalid_parameter") from None

    def json_body(self, schema: str) -> dict:
        """The request's JSON object, checked against a request schema of the OpenAPI document."""
        try:
            return check_value("body", parse_json_object(self.request.body), SCHEMAS[schema])
        except Invalid as error:
            raise ApiError(400, str(error), "invalid_body") from None

    def write_json(self, data, status: int = 200) -> None:
        self.set_status(status)
        self.finish(json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def write_page(self, data, params: dict, page: int, has_next: bool, last: int | None = None) -> None:
        """One page of a listing, with RFC 8288 links to its neighbours. `params`: the other query parameters."""
        kept = {name: value for name, value in params.items() if value is not None}
        links = link_header(self.site.site_url.rstrip("/") + self.request.path, kept, page, has_next, last)
        if links:
            self.set_header("Link", links)
        self.write_json(data)

    def write_error(self, status_code: int, **kwargs):
        error = kwargs.get("exc_info", (None, None, None))[1]
        if database_unavailable(error):
            status_code = 503
            self.set_status(503)
        if status_code == 405:
            self.set_header("Allow", ", ".join(self.SUPPORTED_METHODS))
        if status_code == 401:
            self.set_header("WWW-Authenticate", 'Bearer realm="TornadoGists API"')
        if status_code == 429 and self.allowance is not None and self.allowance.exceeded:
            self.set_header("Retry-After", max(1, int(self.allowance.reset.timestamp() - time.time())))
        if getattr(error, "retry_after", None):
            self.set_header("Retry-After", error.retry_after)
        code = getattr(error, "code", None) or CODES.get(status_code, "error")
        body = {"error": {"code": code, "message": self._error_message(status_code, error)}}
        self.finish(json.dumps(body, ensure_ascii=False).encode("utf-8"))

    def _error_message(self, status_code: int, error) -> str:
        if getattr(error, "user_message", None):
            return error.user_message
        if status_code == 405:
            allowed = ", ".join(self.SUPPORTED_METHODS)
            return f"{self.request.method} is not allowed here; this address answers {allowed}."
        if status_code in MESSAGES:
            return MESSAGES[status_code]
        if isinstance(error, tornado.web.HTTPError) and error.log_message and status_code < 500:
            # Tornado's own 4xx (an undecodable argument, a malformed body): its message says what is wrong.
            return error.log_message % error.args if error.args else error.log_message
        return http.client.responses.get(status_code, "Error")

class ApiNotFoundHandler(ApiHandler):
    """Any /api/v1 address no route matches, whatever the method."""

    SUPPORTED_METHODS = tornado.web.RequestHandler.SUPPORTED_METHODS

    def check_xsrf_cookie(self):
        pass   # nothing is written here: the answer is 404 with or without a token

    async def prepare(self):
        await super().prepare()
        raise ApiError(404, MESSAGES[404])
