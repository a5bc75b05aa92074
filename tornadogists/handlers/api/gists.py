"""The API's gists and discussions: list, get and submit gists; read a thread and comment on it."""

from tornadogists.github import GitHubError, GistNotFound
from tornadogists.github import RateLimited as GitHubRateLimited
from tornadogists.handlers.api.base import READ_METHODS, ApiError, ApiHandler
from tornadogists.services.comments import InvalidComment
from tornadogists.services.discovery import PageNotFound
from tornadogists.services.gists import InvalidSubmission
from tornadogists.services.limits import RateLimited
from tornadogists.services.reactions import InvalidReaction, NotReactable
from tornadogists.services.threads import CommentView
from tornadogists.services.visibility import may_see_gist
from tornadogists.text.api_json import comment_json, gist_json, gist_summary, reactions_json, thread_json
from tornadogists.text.gist_urls import InvalidGistURL
from tornadogists.text.tags import InvalidTags

WRITE_METHODS = (*READ_METHODS, "POST")


def github_error(error: GitHubError) -> ApiError:
    code = {GistNotFound: "gist_not_found", GitHubRateLimited: "github_rate_limited"}.get(type(error), "github_error")
    return ApiError(error.status, error.user_message, code)


class WriteHandler(ApiHandler):
    """GET is anonymous; POST needs a personal token (see ApiHandler.check_xsrf_cookie)."""

    SUPPORTED_METHODS = WRITE_METHODS

    async def prepare(self):
        await super().prepare()
        if self.request.method == "POST":
            await self.authenticate()


class GistsHandler(WriteHandler):
    """GET: gists in one order, a page at a time. POST: submit a gist, as the submit form does."""

    async def get(self):
        params = {name: self.query(name) for name in ("sort", "tag", "per_page")}
        page = self.query("page")
        if params["tag"] is not None and params["sort"] != "latest":
            raise ApiError(422, "Gists with a tag come newest first: leave out sort, or use sort=latest.")
        try:
            if params["tag"] is None:
                listing = await self.services.discovery.home(params["sort"], page, params["per_page"])
            else:
                listing = await self.services.tags.gists(params["tag"], page, params["per_page"])
        except PageNotFound:   # as GitHub answers past the last page: an empty list
            listing = None
        cards, has_next = (listing.items, listing.has_next) if listing else ([], False)
        self.write_page([gist_summary(card, self.links) for card in cards], params, page, has_next)

    async def post(self):
        data = self.json_body("NewGist")
        form = {"url": data["url"], "tags": ", ".join(data.get("tags", [])), "intro": data.get("intro", "")}
        try:
            gist = await self.services.gists.submit(by=self.current_user, **form)
        except (InvalidGistURL, InvalidTags, InvalidSubmission) as error:
            raise ApiError(422, str(error)) from None
        except RateLimited as error:
            raise ApiError(429, str(error)) from None
        except GitHubError as error:
            raise github_error(error) from None
        self.set_header("Location", self.links("api-gist", gist["gist_id"]))
        self.write_json(gist_json(gist, self.links), 201)


class GistHandler(ApiHandler):
    """A gist with its files' contents."""

    async def get(self, gist_id):
        gist = await self.services.gists.get(gist_id)
        if gist is None or not may_see_gist(gist, None):   # the API reads as anyone: no hidden gists
            raise ApiError(404, "No gist with this id has been submitted here.")
        self.write_json(gist_json(gist, self.links))


class CommentsHandler(WriteHandler):
    """GET: a gist's whole discussion. POST: a comment, reply or line comment, as the comment form posts it."""

    async def get(self, gist_id):
        thread = await self.services.comments.thread(gist_id)
        if thread is None:
            raise ApiError(404, "No gist with this id has been submitted here.")
        self.write_json(thread_json(thread, self.links))

    async def post(self, gist_id):
        data = self.json_body("NewComment")
        line = data.get("line")
        fields = {"body": data["body"], "parent": data.get("parent") or "", "file": data.get("file") or "",
                  "line": "" if line is None else str(int(line))}   # JSON's 3.0 is the integer 3
        try:
            comment = await self.services.comments.post(gist_id, self.current_user, **fields)
        except InvalidComment as error:
            raise ApiError(422, str(error)) from None
        except RateLimited as error:
            raise ApiError(429, str(error)) from None
        if comment is None:
            raise ApiError(404, "No gist with this id has been submitted here.")
        if "author" not in comment:   # the same comment, sent moments ago, is still being saved
            raise ApiError(409, "The same comment is being saved by an earlier request; it will be in the thread.")
        self.write_json(comment_json(CommentView(doc=comment, gist_id=gist_id), self.links), 201)


NO_COMMENT = "No such comment on this gist: it may have been deleted, or be hidden pending review."


class ReactionsHandler(ApiHandler):
    """Who reacted to a comment, and how."""

    async def get(self, gist_id, comment_id):
        comment = await self.services.reactions.of(gist_id, comment_id, None)
        if comment is None:
            raise ApiError(404, NO_COMMENT)
        self.write_json(reactions_json(comment, self.links))


class ReactionHandler(ApiHandler):
    """PUT: have this reaction; DELETE: not have it. The token's owner reacts."""

    SUPPORTED_METHODS = ("OPTIONS", "PUT", "DELETE")

    async def prepare(self):
        await super().prepare()
        if self.request.method in ("PUT", "DELETE"):
            await self.authenticate()

    async def put(self, gist_id, comment_id, kind):
        await self._set(gist_id, comment_id, kind, True)

    async def delete(self, gist_id, comment_id, kind):
        await self._set(gist_id, comment_id, kind, False)

    async def _set(self, gist_id, comment_id, kind, on: bool) -> None:
        try:
            state = await self.services.reactions.set(gist_id, comment_id, kind, self.current_user, on)
        except InvalidReaction as error:
            raise ApiError(400, str(error), "invalid_parameter") from None
        except NotReactable as error:
            raise ApiError(409, str(error)) from None
        except RateLimited as error:
            raise ApiError(429, str(error)) from None
        if state is None:
            raise ApiError(404, NO_COMMENT)
        comment, changed = state
        self.write_json(reactions_json(comment, self.links), 201 if on and changed else 200)
