"""The image proxy: images in comments fetched by the site, so a reader's browser calls no third party."""

import asyncio
import dataclasses
import ipaddress
import logging
import socket

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.httputil import HTTPInputError
from tornado.netutil import DefaultLoopResolver, Resolver
from tornado.simple_httpclient import HTTPTimeoutError

from tornadogists.services.page_cache import ByteLRU
from tornadogists.text.images import signed_url

log = logging.getLogger(__name__)

# Raster formats a browser shows in <img>. Not SVG: opened on its own (a new tab) it is a
# document that can run script on our origin; GitHub's camo refuses it too.
IMAGE_TYPES = frozenset({
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/apng", "image/bmp",
    "image/x-icon", "image/vnd.microsoft.icon",
})
MAX_REDIRECTS = 3
USER_AGENT = "TornadoGists image proxy"


@dataclasses.dataclass(frozen=True)
class Image:
    content_type: str
    body: bytes


class ImageError(Exception):
    """An image the proxy will not serve; `status` and the message are for the reader."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class PublicResolver(Resolver):
    """Resolves only to public addresses: a signed image address (or its redirect) cannot reach
    the site's own network (the database, an admin port, a cloud metadata service)."""

    def initialize(self):
        self._resolver = DefaultLoopResolver()

    async def resolve(self, host: str, port: int, family: socket.AddressFamily = socket.AF_UNSPEC):
        found = [(kind, address) for kind, address in await self._resolver.resolve(host, port, family)
                 if ipaddress.ip_address(address[0]).is_global]
        if not found:
            raise ImageError(502, f"{host} is not a public address")
        return found


class ImageProxy:
    """Fetches signed image addresses within the limits of Settings.image_proxy_*, keeping recent ones in memory."""

    def __init__(self, settings, key: bytes):
        self.settings = settings
        self.key = key
        self._cache = ByteLRU(settings.image_proxy_cache_bytes)
        self._fetching: dict[str, asyncio.Future] = {}   # readers of a new page's image share one fetch
        self._resolver = None if settings.image_proxy_private_hosts else PublicResolver()

    def url(self, signature: str, encoded: str) -> str:
        """The image address behind a proxy path; ImageError 403 unless this site signed it."""
        url = signed_url(self.key, signature, encoded)
        if url is None:
            raise ImageError(403, "This image address was not made by this site.")
        return url

    async def image(self, url: str) -> Image:
        found = self._cache.get(url)
        if found is not None:
            return found
        fetching = self._fetching.get(url)
        if fetching is None:
            fetching = self._fetching[url] = asyncio.ensure_future(self._fetch(url))
            fetching.add_done_callback(lambda _: self._fetching.pop(url, None))
        found = await asyncio.shield(fetching)
        self._cache.put(url, found, len(found.body) + len(url))
        return found

    async def _fetch(self, url: str) -> Image:
        received = _Received(self.settings.image_proxy_max_bytes)
        # Only what an image needs: no cookie, Referer or anything else the reader's browser sent.
        request = HTTPRequest(
            url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"}, follow_redirects=True,
            max_redirects=MAX_REDIRECTS, connect_timeout=self.settings.image_proxy_timeout_seconds,
            request_timeout=self.settings.image_proxy_timeout_seconds,
            header_callback=received.header, streaming_callback=received.chunk)
        client = AsyncHTTPClient(force_instance=True, resolver=self._resolver)
        try:
            response = await client.fetch(request, raise_error=False)
        except ImageError:
            raise
        except HTTPTimeoutError:
            log.info("image proxy: %s: timed out", url)
            raise ImageError(504, "The image's server did not answer in time.") from None
        except (HTTPClientError, HTTPInputError, OSError, ValueError) as error:
            if received.refusal:
                raise received.refusal from None
            log.info("image proxy: %s: %s", url, error)
            raise ImageError(502, f"The image's server could not be reached ({error}).") from None
        finally:
            client.close()
        return _checked(response.code, received.headers.get("content-type", ""), b"".join(received.chunks))


class _Received:
    """The final answer's headers and body as they arrive, refused as soon as it is too big."""

    def __init__(self, limit: int):
        self.limit, self.size, self.chunks, self.headers = limit, 0, [], {}
        self.refusal: ImageError | None = None

    def header(self, line: str) -> None:
        name, _, value = line.partition(":")
        self.headers[name.strip().lower()] = value.strip()
        if name.lower() == "content-length" and value.strip().isdigit() and int(value) > self.limit:
            self._refuse()   # before any of the body is read

    def chunk(self, chunk: bytes) -> None:
        self.chunks.append(chunk)
        self.size += len(chunk)
        if self.size > self.limit:
            self._refuse()

    def _refuse(self):
        self.refusal = ImageError(502, f"The image is larger than {self.limit} bytes.")
        # The one exception Tornado's connection lets through from a callback: it stops reading, hangs up.
        raise HTTPInputError("image too large")


def _checked(code: int, content_type: str, body: bytes) -> Image:
    if code != 200:
        more = " (too many redirects)" if 300 <= code < 400 else ""
        raise ImageError(502, f"The image's server answered {code}{more}.")
    kind = content_type.partition(";")[0].strip().lower()
    if kind not in IMAGE_TYPES:
        why = " SVG can carry script, so this site does not serve it." if kind == "image/svg+xml" else ""
        raise ImageError(415, f"Not an image this site shows: {kind or 'no content type'}.{why}")
    return Image(kind, body)
