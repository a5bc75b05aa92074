"""A fake image host for the image proxy: plain Tornado handlers on a real 127.0.0.1 socket."""

import asyncio
import dataclasses
import struct
import zlib

import pytest_asyncio
import tornado.httpserver
import tornado.netutil
import tornado.web


def png(width: int = 1, height: int = 1) -> bytes:
    """A valid PNG of white pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


CAT = png(2, 2)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def proxy_to_fake(settings, **changes):
    """`settings` with the image proxy allowed to fetch from 127.0.0.1, where the fake listens."""
    return dataclasses.replace(settings, **{"image_proxy_private_hosts": True} | changes)


class FakeImages:
    """`requests` keeps every request received (headers included); `base_url` after start()."""

    def __init__(self):
        self.base_url = ""
        self.requests: list = []
        self.slow_seconds = 5.0
        self._server = None

    def url(self, path: str) -> str:
        return self.base_url + path

    async def start(self) -> None:
        [sock] = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self._server = tornado.httpserver.HTTPServer(tornado.web.Application([
            (r"/cat\.png", ImageHandler, {"fake": self, "body": CAT, "kind": "image/png"}),
            (r"/cat-typed\.png", ImageHandler, {"fake": self, "body": CAT, "kind": "image/png; charset=binary"}),
            (r"/big\.png", ImageHandler, {"fake": self, "body": png(200, 200) + b"\0" * 200_000,
                                           "kind": "image/png"}),
            (r"/big-chunked\.png", ChunkedHandler, {"fake": self}),
            (r"/page\.png", ImageHandler, {"fake": self, "body": b"<html>hi</html>", "kind": "text/html"}),
            (r"/logo\.svg", ImageHandler, {"fake": self, "body": SVG, "kind": "image/svg+xml"}),
            (r"/slow\.png", SlowHandler, {"fake": self}),
            (r"/missing\.png", MissingHandler, {"fake": self}),
            (r"/hop/([0-9]+)", RedirectHandler, {"fake": self}),
        ]))
        self._server.add_sockets([sock])

    def stop(self) -> None:
        self._server.stop()


class FakeHandler(tornado.web.RequestHandler):
    def initialize(self, fake, **options):
        self.fake, self.options = fake, options

    def prepare(self):
        self.fake.requests.append(self.request)


class ImageHandler(FakeHandler):
    def get(self):
        self.set_header("Content-Type", self.options["kind"])
        self.write(self.options["body"])


class ChunkedHandler(FakeHandler):
    """A big image sent without a Content-Length, so only counting its bytes finds it too big."""

    async def get(self):
        self.set_header("Content-Type", "image/png")
        for _ in range(100):
            self.write(b"\0" * 10_000)
            await self.flush()


class SlowHandler(FakeHandler):
    async def get(self):
        await asyncio.sleep(self.fake.slow_seconds)
        self.set_header("Content-Type", "image/png")
        self.write(CAT)


class MissingHandler(FakeHandler):
    def get(self):
        self.set_status(404)
        self.write("not here")


class RedirectHandler(FakeHandler):
    """/hop/N redirects N times, then to the cat."""

    def get(self, hops):
        self.redirect(f"/hop/{int(hops) - 1}" if int(hops) > 1 else "/cat.png")


@pytest_asyncio.fixture
async def fake_images():
    fake = FakeImages()
    await fake.start()
    yield fake
    fake.stop()
