"""Signing in with an e-mailed link or with GitHub, and signing out."""

import logging
import secrets

import tornado.web

from tornadogists.github import GitHubError, GitHubOAuth2Mixin
from tornadogists.handlers.base import BaseHandler
from tornadogists.services.accounts import AccountError
from tornadogists.services.auth import InvalidToken, local_path
from tornadogists.services.limits import RateLimited
from tornadogists.text.emails import InvalidEmail

STATE_COOKIE = "github_state"
STATE_MINUTES = 10
log = logging.getLogger(__name__)


class LoginHandler(BaseHandler):
    """The sign-in page."""

    def get(self):
        self.render("login.html", email="", next=local_path(self.get_argument("next", "/")), error=None)


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
        self.render("login_sent.html", email=email.strip(), next=local_path(next_url))


class EmailTokenHandler(BaseHandler):
    """An e-mailed link: the GET shows a "Sign in as …" button, the POST spends the token.

    Mail scanners open every link in a message; only a person presses the button.
    """

    async def get(self, token):
        try:
            email = await self.services.auth.pending(token)
        except InvalidToken as error:
            return self.render_form("login.html", 400, email="", next="/", error=str(error))
        self.render("login_confirm.html", email=email, token=token)

    async def post(self, token):
        try:
            user, next_url = await self.services.auth.redeem(token)
        except InvalidToken as error:
            return self.render_form("login.html", 400, email="", next="/", error=str(error))
        await self.sign_in(user)
        self.redirect_local(next_url)


class LogoutHandler(BaseHandler):
    """Sign out of this browser: its session ends on the server too."""

    async def post(self):
        await self.sign_out()
        self.redirect_local("/")


class SignInFailed(Exception):
    """A GitHub round trip that must not sign anyone in; str() says why."""


class GitHubOAuthHandler(BaseHandler, GitHubOAuth2Mixin):
    """Both legs of GitHub sign-in: absent (404) unless a GitHub OAuth app is configured."""

    async def prepare(self):
        if not self.site.github_sign_in:
            raise tornado.web.HTTPError(404)
        await super().prepare()

    @property
    def redirect_uri(self) -> str:
        return self.site.site_url + self.reverse_url("auth-github-callback")


class GitHubSignInHandler(GitHubOAuthHandler):
    """Send the person to GitHub with a fresh `state` bound to this browser."""

    def get(self):
        state = secrets.token_urlsafe(32)
        # Signed and short-lived; `next` rides along so GitHub never sees it.
        self.set_signed_cookie(
            STATE_COOKIE, f"{state} {local_path(self.get_argument('next', '/'))}",
            expires_days=None, max_age=STATE_MINUTES * 60, path=self.reverse_url("auth-github"),
            httponly=True, samesite="Lax", secure=self.site.secure_cookies,
        )
        self.authorize_redirect(
            redirect_uri=self.redirect_uri, client_id=self.get_github_oauth_settings()["key"],
            scope=self.OAUTH_SCOPE, extra_params={"state": state},
        )


class GitHubCallbackHandler(GitHubOAuthHandler):
    """Back from GitHub: check `state`, learn who it is, sign in (or link GitHub when signed in)."""

    async def get(self):
        state, next_url = self.take_state_cookie()
        try:
            self.check_answer(state)
            await self.services.auth.limit_github_sign_ins(self.request.remote_ip)
            person = await self.get_authenticated_user(self.redirect_uri, self.get_argument("code"))
            user = await self.services.accounts.for_github(person, signed_in=self.current_user)
        except (SignInFailed, AccountError) as error:
            return self.render_form("login.html", 400, email="", next=next_url, error=str(error))
        except RateLimited as error:
            return self.render_form("login.html", 429, email="", next=next_url, error=str(error))
        except GitHubError as error:
            return self.render_form("login.html", error.status, email="", next=next_url,
                                    error=error.user_message)
        await self.sign_in(user)
        self.redirect_local(next_url)

    def take_state_cookie(self) -> tuple[str, str]:
        """The state this browser was sent to GitHub with, and `next`; the cookie works once."""
        saved = self.get_signed_cookie(STATE_COOKIE, max_age_days=STATE_MINUTES / (24 * 60))
        self.clear_cookie(STATE_COOKIE, path=self.reverse_url("auth-github"))
        state, _, next_url = (saved or b"").decode().partition(" ")
        return state, local_path(next_url)

    def check_answer(self, state: str) -> None:
        error = self.get_argument("error", None)
        if error == "access_denied":
            raise SignInFailed("You cancelled signing in with GitHub. "
                               "Sign in with GitHub again, or with your e-mail address.")
        # Bytes: compare_digest refuses non-ASCII str, and the query string is anyone's.
        if not state or not secrets.compare_digest(state.encode(), self.get_argument("state", "").encode()):
            raise SignInFailed("This GitHub sign-in expired or did not start in this browser. "
                               "Please try again.")
        if error or not self.get_argument("code", None):
            log.info("GitHub sent no code: %s", error)
            raise SignInFailed("GitHub did not sign you in. Please try again.")
