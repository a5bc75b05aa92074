"""The colour theme switch: auto, light or dark, kept in a cookie."""

from urllib.parse import urlsplit

from tornadogists.handlers.base import THEME_COOKIE, BaseHandler, UserError
from tornadogists.text.themes import DEFAULT, THEMES

THEME_DAYS = 365


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


class ThemeHandler(BaseHandler):
    """Keep this browser's theme: JSON for site.js, a redirect back for the form."""

    def check_xsrf_cookie(self):
        # The switch is on every page, pages an anonymous visitor shares with everyone (cached,
        # public), so its form cannot carry one browser's token. A form posted from another
        # site is refused by where the browser says it comes from instead.
        headers = self.request.headers
        origin = headers.get("Origin") or origin_of(headers.get("Referer", ""))
        ours = {origin_of(self.site.site_url), origin_of(f"{self.request.protocol}://{self.request.host}")}
        if origin.lower() not in ours:
            raise UserError(403, "The theme can only be changed from this site's own pages.")

    def post(self):
        theme = self.get_argument("theme", "")
        if theme not in THEMES:
            raise UserError(400, "Choose a theme: auto, light or dark.")
        if theme == DEFAULT:
            self.clear_cookie(THEME_COOKIE)   # no cookie: the page is the one shared by everyone
        else:
            self.set_cookie(THEME_COOKIE, theme, expires_days=THEME_DAYS, samesite="Lax",
                            secure=self.site.secure_cookies)
        if self.wants_json():
            return self.write({"theme": theme})
        self.redirect_local(self.get_argument("next", None))
