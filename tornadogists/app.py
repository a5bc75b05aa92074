"""make_app: the one route list, every route named."""

from pathlib import Path

import tornado.web

from tornadogists.handlers import auth, avatars, gists, home
from tornadogists.handlers.base import NotFoundHandler
from tornadogists.ui import GistCard

ROOT = Path(__file__).resolve().parent.parent
GIST_ID = r"([0-9a-f]{20,32}|[0-9]{1,12})"


def routes():
    url = tornado.web.url
    return [
        url(r"/", home.HomeHandler, name="home"),
        url(r"/healthz", home.HealthHandler, name="healthz"),
        url(r"/avatars/([a-z0-9-]{1,39})\.svg", avatars.AvatarHandler, name="avatar"),
        url(r"/login", auth.LoginHandler, name="login"),
        url(r"/auth/email", auth.EmailSignInHandler, name="auth-email"),
        url(r"/auth/email/([A-Za-z0-9_-]{1,100})", auth.EmailTokenHandler, name="auth-email-token"),
        url(r"/logout", auth.LogoutHandler, name="logout"),
        url(r"/gists/new", gists.GistNewHandler, name="gist-new"),
        url(r"/gists", gists.GistSubmitHandler, name="gists"),
        url(rf"/gists/{GIST_ID}", gists.GistHandler, name="gist"),
        url(rf"/gists/{GIST_ID}/raw/([^/]+)", gists.GistRawHandler, name="gist-raw"),
        url(rf"/gists/{GIST_ID}/refresh", gists.GistRefreshHandler, name="gist-refresh"),
    ]


def make_app(settings, services, cookie_secret: str) -> tornado.web.Application:
    """Build the Tornado application from one Settings object and the services."""
    app = tornado.web.Application(
        routes(),
        template_path=str(ROOT / "templates"),
        static_path=str(ROOT / "static"),
        ui_modules={"GistCard": GistCard},
        cookie_secret=cookie_secret,
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": True, "samesite": "Lax", "secure": settings.secure_cookies},
        login_url="/login",
        default_handler_class=NotFoundHandler,
        debug=settings.debug,
    )
    app.services = services
    app.site_settings = settings
    return app
