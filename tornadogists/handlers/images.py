"""The image proxy's answers (services/images.py)."""

from tornadogists.handlers.base import BaseHandler
from tornadogists.services.images import ImageError

MAX_AGE = 86400


class ImageProxyHandler(BaseHandler):
    """An image from a comment, fetched by the site under a signed address."""

    async def prepare(self):
        pass  # no session needed: the same image for everyone

    async def get(self, signature, encoded):
        try:
            url = self.services.images.url(signature, encoded)
            image = await self.services.images.image(url)
        except ImageError as error:
            self.set_status(error.status)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.set_header("Cache-Control", "public, max-age=300")   # a failing host is not asked on every view
            return self.finish(f"{error}\n")
        self.set_header("Content-Type", image.content_type)
        self.set_header("Cache-Control", f"public, max-age={MAX_AGE}")
        self.set_header("Content-Security-Policy", "default-src 'none'")
        self.finish(image.body)
