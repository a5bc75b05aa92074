"""Reacting to a comment, with or without JavaScript (issue 19)."""

import tornado.web

from tornadogists.handlers.base import ScriptOrFormHandler, UserError
from tornadogists.handlers.comments import signed_in
from tornadogists.services.limits import RateLimited
from tornadogists.services.reactions import InvalidReaction, NotReactable
from tornadogists.services.threads import CommentView


class CommentReactionsHandler(ScriptOrFormHandler):
    """Toggle one of the signed-in person's reactions: the reactions' new HTML for scripts, a redirect for forms."""

    @signed_in
    async def post(self, gist_id, comment_id):
        kind = self.get_argument("kind", "", strip=False)
        try:
            comment = await self.services.reactions.toggle(gist_id, comment_id, kind, self.current_user)
        except InvalidReaction as error:
            raise UserError(400, str(error)) from None
        except NotReactable as error:
            raise UserError(409, str(error)) from None
        except RateLimited as error:
            raise UserError(429, str(error)) from None
        if comment is None:
            raise UserError(404, "There is no such comment here: it may have been deleted.")
        if self.wants_json():
            view = CommentView(doc=comment, gist_id=gist_id)
            return self.write({"html": self.render_string("comments/reactions.html", c=view).decode()})
        self.redirect(f"{self.reverse_url('gist', gist_id)}#comment-{comment_id}", status=303)
