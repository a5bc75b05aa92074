"""Sign-in with GitHub: an OAuth2 mixin shaped like tornado.auth.GoogleOAuth2Mixin."""

import logging
import urllib.parse

from tornado.auth import OAuth2Mixin

from tornadogists.github.errors import GitHubSignInRefused, GitHubUnreachable
from tornadogists.github.http import USER_AGENT, api_headers, get
from tornadogists.github.parse import github_person, json_answer

log = logging.getLogger("tornadogists.github")


class GitHubOAuth2Mixin(OAuth2Mixin):
    """GitHub authentication using OAuth2, shaped like `tornado.auth.GoogleOAuth2Mixin`.

    Register an OAuth app on GitHub and give the application the setting
    ``{"github_oauth": {"key": CLIENT_ID, "secret": CLIENT_SECRET,
    "oauth_url": "https://github.com", "api_url": "https://api.github.com"}}``.
    """

    _OAUTH_AUTHORIZE_PATH = "/login/oauth/authorize"
    _OAUTH_ACCESS_TOKEN_PATH = "/login/oauth/access_token"
    _OAUTH_NO_CALLBACKS = False
    _OAUTH_SETTINGS_KEY = "github_oauth"
    OAUTH_SCOPE = ["read:user", "user:email"]

    def get_github_oauth_settings(self) -> dict[str, str]:
        """The credentials and base URLs; override to provide them differently."""
        return self.settings[self._OAUTH_SETTINGS_KEY]

    @property
    def _OAUTH_AUTHORIZE_URL(self) -> str:
        return self.get_github_oauth_settings()["oauth_url"].rstrip("/") + self._OAUTH_AUTHORIZE_PATH

    @property
    def _OAUTH_ACCESS_TOKEN_URL(self) -> str:
        return self.get_github_oauth_settings()["oauth_url"].rstrip("/") + self._OAUTH_ACCESS_TOKEN_PATH

    async def get_authenticated_user(
        self, redirect_uri: str, code: str, client_id: str | None = None, client_secret: str | None = None
    ) -> dict:
        """Exchange `code` for a token, read whose it is, and let the token go.

        Returns {"id", "login", "name", "avatar_url", "html_url", "email"}, "email" being the
        verified primary address or None. Raises GitHubSignInRefused for a used or unknown
        code, GitHubUnreachable when GitHub fails or answers something else than expected.
        """
        settings = self.get_github_oauth_settings()
        token = await self._github_access_token(
            redirect_uri, code, client_id or settings["key"], client_secret or settings["secret"]
        )
        user = await self._github_api("/user", token)
        emails = await self._github_api("/user/emails", token)
        return github_person(user, emails, settings["api_url"])

    async def _github_access_token(self, redirect_uri: str, code: str, client_id: str, secret: str) -> str:
        body = urllib.parse.urlencode(
            {"client_id": client_id, "client_secret": secret, "code": code, "redirect_uri": redirect_uri})
        # Without Accept: application/json GitHub answers form-encoded.
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT,
                   "Content-Type": "application/x-www-form-urlencoded"}
        answer = json_answer(await get(self._OAUTH_ACCESS_TOKEN_URL, headers, method="POST", body=body))
        if not isinstance(answer, dict):
            raise GitHubUnreachable("GitHub sent a token answer that is not an object")
        if answer.get("error") == "bad_verification_code":
            raise GitHubSignInRefused("bad_verification_code")
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            # incorrect_client_credentials, redirect_uri_mismatch...: our set-up, not the person.
            log.warning("GitHub refused the token exchange: %s", answer.get("error") or "no access_token")
            raise GitHubUnreachable(f"token exchange: {answer.get('error')}")
        return token

    async def _github_api(self, path: str, token: str):
        url = self.get_github_oauth_settings()["api_url"].rstrip("/") + path
        return json_answer(await get(url, api_headers(token)))
