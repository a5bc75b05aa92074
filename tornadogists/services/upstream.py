"""What a gist brings from GitHub besides its files (revisions, comments), and how GitHub's allowance is spent."""

import contextlib
import datetime
import logging
import re

from bson import ObjectId

from tornadogists.github import CommentsResponse, GitHubError
from tornadogists.services.limits import RateLimited
from tornadogists.services.moderation import Item
from tornadogists.services.visibility import HELD, is_public
from tornadogists.text.dates import github_time

log = logging.getLogger(__name__)

_SHA = re.compile(r"[0-9a-f]{40}")
# One fetch of a gist at a time across processes, and at most one a minute: a fetch holds
# the gist's lease while it runs (up to this long, should its process die) and a minute from its start.
FETCH_LEASE_SECONDS = 600
FETCH_GAP_SECONDS = 60
FETCHED_MOMENTS_AGO = ("This gist was fetched from GitHub moments ago, so its page is up to date. "
                       "Try again in a minute.")


class AllowanceKept(GitHubError):
    """GitHub's allowance left is under the reserve: only submissions may spend it."""

    status = 503

    def __init__(self, reset: datetime.datetime):
        self.user_message = (f"This needs a call to GitHub, and the calls GitHub allows us this hour are "
                             f"nearly spent (what is left is kept for new submissions). Try again after "
                             f"{reset:%H:%M} UTC.")
        super().__init__(f"allowance kept until {reset.isoformat()}")


def _count(value) -> int:
    return value if type(value) is int and value >= 0 else 0


def parse_history(history) -> list[dict]:
    """GitHub's `history` (newest first) -> {sha, committed_at, additions, deletions, total, user};
    an entry that is not a revision is left out."""
    revisions = []
    for entry in history if isinstance(history, list) else []:
        sha = entry.get("version") if isinstance(entry, dict) else None
        if not isinstance(sha, str) or not _SHA.fullmatch(sha):
            continue
        status = entry.get("change_status") if isinstance(entry.get("change_status"), dict) else {}
        user = entry.get("user") if isinstance(entry.get("user"), dict) else {}
        login = user.get("login")
        revisions.append({
            "sha": sha, "committed_at": github_time(entry.get("committed_at")),
            "additions": _count(status.get("additions")), "deletions": _count(status.get("deletions")),
            "total": _count(status.get("total")), "user": login if isinstance(login, str) else None,
        })
    return revisions


def github_link(gist: dict, comment: dict) -> str | None:
    return f"{gist['html_url']}#gistcomment-{comment['id']}" if gist.get("html_url") else None


def within_length(gist: dict, comment: dict, chars: int) -> dict:
    """The comment, or, past `chars` characters, a note linking to it on GitHub in its place:
    a 64 KB comment from GitHub costs what one of ours may (issue 22), and nothing is cut silently."""
    if len(comment["body"]) <= chars:
        return comment
    link = github_link(gist, comment)
    where = f"[read it on GitHub]({link})" if link else "read it on GitHub"
    return {**comment, "body": f"*This comment is {len(comment['body']):,} characters long, more than the "
                               f"{chars:,} shown here: {where}.*"}


def comment_doc(gist: dict, comment: dict, html: str, now: datetime.datetime) -> dict:
    """A GitHub comment as stored in `comments`: read-only here, no local author (author.id is None)."""
    author = {"id": None, "handle": comment["login"]}
    if comment["avatar_url"]:
        author["avatar_url"] = comment["avatar_url"]
    return {
        "_id": ObjectId(), "gist_id": gist["gist_id"], "author": author,
        "github": {"id": comment["id"], "url": github_link(gist, comment), "profile_url": comment["profile_url"],
                   "updated": comment["updated_at"]},
        "body": comment["body"], "html": html, "parent": None, "ancestors": [], "file": None, "line": None,
        "revision": None, "created_at": github_time(comment["created_at"]) or now,
        # updated_at is when it changed here: the live pages poll on it.
        "updated_at": now, "edited": False, "versions": [], "deleted": False, "hidden": [],
    }


class Upstream:
    def __init__(self, storage, github, settings, clock, renderer, spam, notifications):
        self.storage = storage
        self.notifications = notifications   # comments written on GitHub after the submission are news
        self.github = github
        self.settings = settings
        self.clock = clock
        self.renderer = renderer
        self.spam = spam   # GitHub's comments are scored like ours (issue 22): held ones shown to admins only

    # Revisions.

    async def arrived(self, gist_id: str, data: dict, files: list[dict]) -> dict:
        """Keep the revisions GitHub lists and the current one's files; the gist's fields about them."""
        history = parse_history(data.get("history"))
        await self.storage.revisions.record(gist_id, history, self.clock())
        if history:
            await self.storage.revisions.put_files(gist_id, history[0]["sha"], files)
        shas = [revision["sha"] for revision in await self.storage.revisions.listing(gist_id)]
        current = history[0]["sha"] if history else None
        return {"revision_count": len(shas),
                "revision_number": len(shas) - shas.index(current) if current in shas else None,
                "github_comment_count": _count(data.get("comments"))}

    # GitHub's comments.

    async def sync_comments(self, gist: dict) -> None:
        """Bring the gist's GitHub comments here: new ones rendered, edited ones again, deleted ones blanked."""
        count = gist.get("github_comment_count") or 0
        state = gist.get("github_comments") or {}
        if not count and not state.get("stored"):
            return   # none on GitHub (its gist JSON says so), none here: nothing to ask
        if count:
            # The gist's count changed: a page's ETag may not (a comment added to page 2).
            etags = (state.get("etags") or []) if state.get("count") == count else []
            response = await self.github.fetch_comments(gist["gist_id"], etags, self.settings.github_comments_per_gist)
            if response is None:
                return
        else:
            response = CommentsResponse([], [], True)
        delta, last, changed = await self._apply(gist, response)
        stored = len(response.comments) if response.complete else max(len(response.comments), state.get("stored", 0))
        new_state = {"etags": response.etags, "count": count, "stored": stored}
        if changed or new_state != state:   # the page shows what changed: its version moves
            await self.storage.gists.github_comments_synced(gist["gist_id"], delta, last, new_state)

    async def sync_comments_quietly(self, gist: dict) -> None:
        """The comments are a part of the gist page that can wait for the next refresh.
        Called after every fetch of a gist: what GitHub said of the allowance is shared then."""
        try:
            await self.sync_comments(gist)
        except GitHubError as error:
            log.info("GitHub comments of %s not brought: %s", gist["gist_id"], error.user_message)
        await self.allowance()

    async def _apply(self, gist: dict, response: CommentsResponse) -> tuple[int, datetime.datetime | None, bool]:
        """Store what changed: (change in shown comments, the newest new comment's time, whether any changed)."""
        known, now = await self.storage.github_comments.known(gist["gist_id"]), self.clock()
        # At most github_comments_per_gist of them, the oldest (GitHub lists them so, and only their
        # pages are fetched): a newer one never pushes a shown one out; past the cap, one shown before is gone.
        comments = [within_length(gist, c, self.settings.github_comment_chars)
                    for c in response.comments[:self.settings.github_comments_per_gist]]
        new = [c for c in comments if c["id"] not in known]
        edited = [c for c in comments if c["id"] in known and not known[c["id"]].get("deleted")
                  and known[c["id"]]["github"]["updated"] != c["updated_at"]]
        htmls = await self.renderer.markdown_many([c["body"] for c in new + edited]) if new or edited else []
        holds = [await self.spam.check(c["body"], None) for c in new + edited]
        docs = await self._insert(gist, new, htmls, holds, now)
        await self._tell(gist, docs)
        held_now = 0
        for comment, html, held in zip(edited, htmls[len(new):], holds[len(new):]):
            doc = known[comment["id"]]
            await self.storage.github_comments.replace_body(doc["_id"], comment["body"], html,
                                                            comment["updated_at"], now)
            held_now += await self._hold_edited(doc["_id"], held, now) if held else 0
        complete = response.complete or len(response.comments) >= self.settings.github_comments_per_gist
        gone = [] if not complete else [
            doc for number, doc in known.items()
            if number not in {c["id"] for c in comments} and not doc.get("deleted")]
        await self.storage.github_comments.mark_deleted([doc["_id"] for doc in gone], now)
        # A comment hidden by the moderators, or held, was already taken off the count (or never on it).
        shown_gone = sum(1 for doc in gone if not doc.get("hidden"))
        shown = [doc for doc in docs if not doc["hidden"]]
        last = max((doc["created_at"] for doc in shown), default=None)
        return len(shown) - shown_gone - held_now, last, bool(docs or edited or gone)

    async def _insert(self, gist: dict, new: list[dict], htmls: list[str], holds: list, now) -> list[dict]:
        """Store the new comments; one the spam score holds is hidden, for admins only, like ours."""
        docs = [{**comment_doc(gist, c, html, now), "hidden": [HELD] if held else []}
                for c, html, held in zip(new, htmls, holds)]
        await self.storage.github_comments.insert(docs)
        for doc, held in zip(docs, holds):
            if held:
                await self.spam.log_hold(Item("comment", doc).target, held)
        return docs

    async def _hold_edited(self, comment_id, held, now: datetime.datetime) -> int:
        """Hold a comment edited on GitHub into spam, as an edit of ours is; 1 when it was shown till now."""
        before = await self.storage.comments.set_hidden(comment_id, HELD, True, now)
        if before is None:
            return 0
        await self.spam.log_hold(Item("comment", before).target, held)
        return int(is_public(before))

    async def _tell(self, gist: dict, docs: list[dict]) -> None:
        """Queue news of GitHub comments written since the gist was submitted (older ones came with
        it), in the same batched mail as ours; a held one is news only once an admin publishes it."""
        since = gist.get("submitted_at")
        for doc in docs:
            if since and doc["created_at"] > since and is_public(doc):
                await self.notifications.comment_posted(doc, gist, None)

    # GitHub's allowance.

    @contextlib.asynccontextmanager
    async def fetching(self, gist_id: str):
        """Hold the gist's fetch lease for the block; RateLimited while another fetch holds it
        or one started less than a minute ago, in any process."""
        key, started = f"fetch-gist:{gist_id}", self.clock()
        token = await self.storage.leases.take(key, started, FETCH_LEASE_SECONDS)
        if token is None:
            raise RateLimited(FETCHED_MOMENTS_AGO)
        try:
            yield
        finally:
            await self.storage.leases.settle(key, token, started + datetime.timedelta(seconds=FETCH_GAP_SECONDS))

    async def allowance(self) -> dict | None:
        """The freshest word on GitHub's allowance, this process's or another's: {limit, remaining, reset, seen_at}."""
        mine, stored = self.github.rate_limit, await self.storage.github_allowance.latest()
        if mine is not None and (stored is None or mine.seen_at > stored["seen_at"]):
            await self.storage.github_allowance.save(mine.limit, mine.remaining, mine.reset, mine.seen_at)
            return {"limit": mine.limit, "remaining": mine.remaining, "reset": mine.reset, "seen_at": mine.seen_at}
        return stored

    async def spare(self) -> bool:
        """Whether work nobody waits for may call GitHub: the allowance left is above `github_reserve`,
        kept for submissions."""
        rate = await self.allowance()
        if rate is None or rate["reset"] <= self.clock().timestamp():
            return True   # nothing known, or the allowance has been renewed since
        return rate["remaining"] >= self.settings.github_reserve_calls(rate["limit"])

    async def require_spare(self) -> None:
        """Raise AllowanceKept unless spare() (for a call a visitor's page view would make)."""
        if not await self.spare():
            raise AllowanceKept((await self.github_rate_limit())["reset"])

    async def github_rate_limit(self) -> dict:
        """For the admin dashboard: {limit, remaining, reset (an aware datetime)}; None values when unknown."""
        rate = await self.allowance()
        if rate is None:
            return {"limit": None, "remaining": None, "reset": None}
        return {"limit": rate["limit"], "remaining": rate["remaining"],
                "reset": datetime.datetime.fromtimestamp(rate["reset"], datetime.UTC)}
