"""Generated avatars."""

from tornadogists.handlers.base import BaseHandler
from tornadogists.text.avatars import avatar_svg


class AvatarHandler(BaseHandler):
    """An SVG avatar for a handle; cached, since it never changes."""

    async def prepare(self):
        pass  # no session needed

    def get(self, handle):
        self.set_header("Content-Type", "image/svg+xml")
        self.set_header("Cache-Control", "public, max-age=604800")
        self.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        self.write(avatar_svg(handle))
