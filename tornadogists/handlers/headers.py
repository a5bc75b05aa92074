"""The security headers every response carries, in one mixin for our handlers and the static files."""

import functools
from urllib.parse import urlsplit

PRIVATE = "private, no-store"
HSTS = "max-age=31536000"
# A frame-ancestors value that X-Frame-Options can say too (older browsers read only that header).
_FRAME_OPTIONS = {"'none'": "DENY", "'self'": "SAMEORIGIN"}


@functools.lru_cache(maxsize=16)
def security_headers(site_url: str, frame_ancestors: str) -> tuple:
    """(name, value) pairs for a site served at `site_url`, framable by `frame_ancestors`."""
    url = urlsplit(site_url)
    https = url.scheme == "https"
    # GitHub avatars and images in comments come from anywhere; an https page upgrades http ones itself.
    images = "'self' https:" if https else "'self' https: http:"
    # 'self' covers the page's own ws(s):// in CSP 3 browsers; older ones (Safari < 15.4) need it named.
    live = f"{'wss' if https else 'ws'}://{url.netloc}"
    policy = "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'", f"img-src {images}",
        f"connect-src 'self' {live}", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ])
    headers = [
        ("Content-Security-Policy", policy),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    if frame_ancestors in _FRAME_OPTIONS:
        headers.append(("X-Frame-Options", _FRAME_OPTIONS[frame_ancestors]))
    if https:
        headers.append(("Strict-Transport-Security", HSTS))
    return tuple(headers)


class SecurityHeaders:
    """Mixin for a RequestHandler: the headers above on every answer, errors included.

    An embeddable page sets `frame_ancestors` (a CSP source list) on its handler class.
    """

    frame_ancestors = "'none'"
    private = False  # set when the answer depends on who asks

    def set_default_headers(self):
        # Tornado calls this again when an error clears a half-built answer, so errors keep them too.
        for name, value in security_headers(self.application.site_settings.site_url, self.frame_ancestors):
            self.set_header(name, value)

    @property
    def xsrf_token(self) -> bytes:
        # A page carrying this browser's form token must never be served to another browser.
        self.private = True
        return super().xsrf_token

    def flush(self, include_footers: bool = False):
        # Decided when the headers go out: by then the session is known, even on an error page.
        if self.private or self.current_user:
            self.set_header("Cache-Control", PRIVATE)
        return super().flush(include_footers)
