"""Personal API tokens on the account pages: make one (shown once), list them, revoke one."""

import tornado.web

from tornadogists.handlers.base import BaseHandler
from tornadogists.services.api_tokens import InvalidTokenName, TooManyTokens
from tornadogists.services.limits import RateLimited

DONE = {"revoked": "The token is revoked: programs using it can no longer write."}


class ApiTokensHandler(BaseHandler):
    """The list and the form; a new token is shown on the answer to the form, and never again."""

    @tornado.web.authenticated
    async def get(self):
        await self.render_tokens(done=DONE.get(self.get_argument("done", "")))

    @tornado.web.authenticated
    async def post(self):
        name = self.get_argument("name", "")
        try:
            token, record = await self.services.api.create_token(self.current_user, name)
        except (InvalidTokenName, TooManyTokens) as error:
            return await self.render_tokens(400, error=str(error), name=name)
        except RateLimited as error:
            return await self.render_tokens(429, error=str(error), name=name)
        await self.render_tokens(201, new_token=token, new_name=record["name"])

    async def render_tokens(self, status: int = 200, **shown) -> None:
        self.set_status(status)
        tokens = await self.services.api.tokens(self.current_user)
        self.render("account_tokens.html", tokens=tokens, **({"error": None, "name": "", "new_token": None,
                                                               "new_name": None, "done": None} | shown))


class ApiTokenRevokeHandler(BaseHandler):
    """Revoke one of your tokens: the next request that sends it gets a 401."""

    @tornado.web.authenticated
    async def post(self, token_id):
        if not await self.services.api.revoke(self.current_user, token_id):
            raise tornado.web.HTTPError(404)
        self.redirect(self.reverse_url("account-tokens") + "?done=revoked", status=303)
