"""Static files (and robots.txt, favicon) with the same security headers as every page."""

import tornado.web

from tornadogists.handlers.headers import SecurityHeaders


class StaticFileHandler(SecurityHeaders, tornado.web.StaticFileHandler):
    """Tornado's static files; errors here get Tornado's plain page, with our headers."""

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        # No file name holds a NUL byte, and the os functions Tornado calls raise on one (a 500).
        if "\x00" in absolute_path:
            raise tornado.web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)
