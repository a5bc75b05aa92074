"""BaseHandler: the signed-in person, error pages, and small helpers every handler shares."""

import http.client
import logging
import traceback

import tornado.web

from tornadogists.services.auth import local_path
from tornadogists.text.dates import ago, iso

SESSION_COOKIE = "session"
SESSION_DAYS = 30
log = logging.getLogger(__name__)


class UserError(tornado.web.HTTPError):
    """An expected failure whose message is safe and useful to show."""

    def __init__(self, status: int, message: str):
        super().__init__(status)
        self.user_message = message


class BaseHandler(tornado.web.RequestHandler):
    @property
    def services(self):
        return self.application.services

    @property
    def site(self):
        return self.application.site_settings

    async def prepare(self):
        value = self.get_signed_cookie(SESSION_COOKIE, max_age_days=SESSION_DAYS)
        self.current_user = await self.services.auth.user_for_session(value)

    def get_template_namespace(self):
        namespace = super().get_template_namespace()
        namespace.update(site=self.site, ago=ago, iso=iso, next_path=self.request.uri,
                         avatar_url=self.avatar_url)
        return namespace

    def avatar_url(self, person: dict) -> str:
        """A person's GitHub avatar, or a generated one. `person` is a user or an embedded author."""
        return person.get("avatar_url") or self.reverse_url("avatar", person["handle"])

    def sign_in(self, user: dict) -> None:
        self.set_signed_cookie(
            SESSION_COOKIE, self.services.auth.session_value(user), expires_days=SESSION_DAYS,
            httponly=True, samesite="Lax", secure=self.site.secure_cookies,
        )

    def sign_out(self) -> None:
        self.clear_cookie(SESSION_COOKIE)

    def redirect_local(self, next_url: str | None) -> None:
        self.redirect(local_path(next_url), status=303)

    def render_form(self, template: str, status: int, **kwargs) -> None:
        """Show a form again with the input kept and a message."""
        self.set_status(status)
        self.render(template, **kwargs)

    def page_argument(self) -> int:
        try:
            page = int(self.get_argument("page", "1"))
        except ValueError:
            raise UserError(400, "The page number must be a whole number.") from None
        if not 1 <= page <= 10_000:
            raise UserError(400, "The page number is out of range.")
        return page

    def write_error(self, status_code: int, **kwargs):
        error = kwargs.get("exc_info", (None, None, None))[1]
        message = getattr(error, "user_message", None) or {
            404: "There is nothing here. The address may be mistyped, or the page was removed.",
            403: "You are not allowed to do that.",
            429: "Too many requests; please slow down.",
            500: "Something went wrong on our side. It has been logged; please try again shortly.",
        }.get(status_code, "")
        if status_code == 403 and "xsrf" in str(getattr(error, "log_message", "") or ""):
            message = "This form has expired. Go back, reload the page and try again."
        details = None
        if self.settings.get("serve_traceback") and "exc_info" in kwargs:
            details = "".join(traceback.format_exception(*kwargs["exc_info"]))
        reason = http.client.responses.get(status_code, "Error")
        self.render("error.html", status=status_code, reason=reason, message=message, details=details)


class NotFoundHandler(BaseHandler):
    """Any address no route matches."""

    async def prepare(self):
        await super().prepare()
        raise tornado.web.HTTPError(404)
