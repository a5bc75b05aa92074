"""Posting, editing, deleting and previewing comments, and a comment's earlier versions."""

import functools
from urllib.parse import urlencode

import tornado.web

from tornadogists.handlers.base import BaseHandler, ScriptOrFormHandler, UserError
from tornadogists.services.comments import EditConflict, InvalidComment, NotAllowed
from tornadogists.services.limits import RateLimited

FIELDS = ("body", "parent", "file", "line")


def signed_in(method):
    """Send anonymous people to sign in — for a POST too, which comes back to the gist's page."""

    @functools.wraps(method)
    async def wrapper(self, gist_id, *args):
        if not self.current_user:
            back = self.request.uri if self.request.method == "GET" else self.reverse_url("gist", gist_id)
            return self.redirect(f"{self.get_login_url()}?{urlencode({'next': back})}", status=303)
        return await method(self, gist_id, *args)

    return wrapper


class CommentsHandler(BaseHandler):
    """Post a comment, a reply or a line comment."""

    @signed_in
    async def post(self, gist_id):
        form = {name: self.get_argument(name, "", strip=name != "body") for name in FIELDS}
        try:
            comment = await self.services.comments.post(gist_id, self.current_user, **form)
        except InvalidComment as error:
            return self.render_form("comments/post.html", 400, gist_id=gist_id, error=str(error), **form)
        except RateLimited as error:
            return self.render_form("comments/post.html", 429, gist_id=gist_id, error=str(error), **form)
        if comment is None:
            raise tornado.web.HTTPError(404)
        self.redirect(f"{self.reverse_url('gist', gist_id)}#comment-{comment['_id']}", status=303)


class CommentEditHandler(ScriptOrFormHandler):
    """The author's edit form, and saving it: from that page, or from the form site.js opens in the thread."""

    @signed_in
    async def get(self, gist_id, comment_id):
        try:
            comment = await self.services.comments.editable(gist_id, comment_id, self.current_user)
        except NotAllowed:
            raise tornado.web.HTTPError(403) from None
        if comment is None:
            raise tornado.web.HTTPError(404)
        self.render("comments/edit.html", comment=comment, body=comment["body"], error=None)

    @signed_in
    async def post(self, gist_id, comment_id):
        body = self.get_argument("body", "", strip=False)
        comment = {"gist_id": gist_id, "_id": comment_id}
        try:
            edited = await self.services.comments.edit(gist_id, comment_id, self.current_user, body)
        except NotAllowed:
            raise tornado.web.HTTPError(403) from None
        except (InvalidComment, RateLimited, EditConflict) as error:
            status = {InvalidComment: 400, RateLimited: 429, EditConflict: 409}[type(error)]
            if self.wants_json():
                raise UserError(status, str(error)) from None
            return self.render_form("comments/edit.html", status, comment=comment, body=body, error=str(error))
        if edited is None:
            raise tornado.web.HTTPError(404)
        if self.wants_json():   # the text as stored, for the thread to show at once
            saved = await self.services.comments.history(gist_id, comment_id, self.current_user)
            return self.write({"html": saved["html"] if saved else ""})
        self.redirect(f"{self.reverse_url('gist', gist_id)}#comment-{comment_id}", status=303)


class CommentDeleteHandler(BaseHandler):
    """Delete a comment (its author, or an admin); replies stay under a "[deleted]"."""

    @signed_in
    async def post(self, gist_id, comment_id):
        try:
            comment = await self.services.comments.delete(gist_id, comment_id, self.current_user)
        except NotAllowed:
            raise tornado.web.HTTPError(403) from None
        if comment is None:
            raise tornado.web.HTTPError(404)
        self.redirect(self.reverse_url("gist", gist_id) + "#discussion", status=303)


class CommentHistoryHandler(BaseHandler):
    """Every version of an edited comment, newest first."""

    async def get(self, gist_id, comment_id):
        comment = await self.services.comments.history(gist_id, comment_id, self.current_user)
        if comment is None:
            raise tornado.web.HTTPError(404)
        self.render("comments/history.html", comment=comment)


class PreviewHandler(BaseHandler):
    """Markdown -> the HTML it would be stored as, as JSON, for the comment form's Preview tab."""

    async def post(self):
        if not self.current_user:
            return self.write_json(403, {"error": "Sign in to preview comments."})
        try:
            html = await self.services.comments.preview(self.get_argument("body", "", strip=False),
                                                        self.current_user)
        except InvalidComment as error:
            return self.write_json(400, {"error": str(error)})
        except RateLimited as error:
            return self.write_json(429, {"error": str(error)})
        self.write_json(200, {"html": html})

    def write_json(self, status: int, data: dict) -> None:
        self.set_status(status)
        self.write(data)
