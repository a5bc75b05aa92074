"""Signing in with an e-mailed link, and signing out."""

from tornadogists.handlers.base import BaseHandler
from tornadogists.services.auth import InvalidEmail, InvalidToken
from tornadogists.services.limits import RateLimited


class LoginHandler(BaseHandler):
    """The sign-in page."""

    def get(self):
        self.render("login.html", email="", next=self.get_argument("next", "/"), error=None)


class EmailSignInHandler(BaseHandler):
    """Send a single-use sign-in link."""

    async def post(self):
        email = self.get_argument("email", "")
        next_url = self.get_argument("next", "/")
        try:
            await self.services.auth.send_sign_in_link(email, next_url, self.request.remote_ip)
        except InvalidEmail as error:
            return self.render_form("login.html", 400, email=email, next=next_url, error=str(error))
        except RateLimited as error:
            return self.render_form("login.html", 429, email=email, next=next_url, error=str(error))
        self.render("login_sent.html", email=email.strip())


class EmailTokenHandler(BaseHandler):
    """Open an e-mailed link: sign in, creating the account on first use."""

    async def get(self, token):
        try:
            user, next_url = await self.services.auth.redeem(token)
        except InvalidToken as error:
            return self.render_form("login.html", 400, email="", next="/", error=str(error))
        self.sign_in(user)
        self.redirect_local(next_url)


class LogoutHandler(BaseHandler):
    """Sign out of this browser."""

    def post(self):
        self.sign_out()
        self.redirect_local("/")
