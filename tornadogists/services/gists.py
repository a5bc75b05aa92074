"""Submitting, refreshing and reading gists."""

import asyncio
import logging

from pymongo.errors import DuplicateKeyError

from tornadogists.github import GistNotFound, GitHubError
from tornadogists.services.limits import RateLimited, enforce
from tornadogists.services.moderation import Item
from tornadogists.services.spam import held_why
from tornadogists.services.visibility import HELD, REMOVED, may_see_gist, reasons
from tornadogists.text.dates import github_time
from tornadogists.text.gist_urls import parse_gist_url
from tornadogists.text.feeds import FEED_LINES
from tornadogists.text.highlight import as_spans, highlight_lines, is_markdown, looks_binary, numbered_lines, split_lines
from tornadogists.text.markdown import plain_html, render_markdown
from tornadogists.text.search import search_fields
from tornadogists.text.tags import parse_tags

log = logging.getLogger(__name__)

PER_PAGE = 20
MAX_INTRO = 20_000
# A file's page HTML is up to ~3 times its source; keep a gist's files far below MongoDB's 16 MB.
CONTENT_BUDGET = 3 * 1024 * 1024
# A numbered line costs ~56 bytes however short: 600 KB of one-character lines made 17 MB (issue 22).
# As on GitHub, a file past the gist's line budget shows its first lines and a link to the whole file.
LINE_BUDGET = 60_000
SUBMISSIONS_PER_HOUR = 30
# Each refresh is a call to GitHub: at most one per gist a minute, whoever asks (the
# background refresh of a stale gist included: services/upstream.py), and a person's refreshes are counted.
REFRESHES_PER_HOUR = 20


class InvalidSubmission(ValueError):
    """Bad tags or intro; str() is the message for the form."""


def _file_kind(file: dict, budget_left: int) -> str:
    if file.get("too_large") or file.get("raw_refused") or (file.get("size") or 0) > budget_left:
        return "too_large"
    if looks_binary(file.get("content"), file.get("type")):
        return "binary"
    return "markdown" if is_markdown(file["filename"], file.get("language")) else "text"


def code_fields(n: int, name: str, content: str | None, language: str | None, highlight: bool = True,
                max_lines: int = LINE_BUDGET) -> dict:
    """A file's code as shown, rendered once: the page's numbered lines (at most `max_lines`), the feed's
    first lines. CPU-heavy: run in an executor."""
    if content is None:
        return {"code_html": "", "head_html": "", "line_count": 0, "lines_left_out": 0}
    source = split_lines(content)
    shown = "\n".join(source[:max_lines])
    lines = highlight_lines(name, shown, language if highlight else "text")  # "text": no colours, linear
    return {"code_html": numbered_lines(lines, n), "head_html": as_spans("\n".join(lines[:FEED_LINES])),
            "line_count": len(lines), "lines_left_out": len(source) - len(lines)}


def build_files(github_files: dict, max_file_bytes: int, image_key: bytes | None = None,
                highlight: bool = True, markdown: bool = True) -> list[dict]:
    """GitHub's files -> stored files with their code rendered, images through the proxy. CPU-heavy: run in an executor.
    highlight=False and markdown=False is linear in the files: the last resort, run anywhere."""
    files, budget, lines = [], CONTENT_BUDGET, LINE_BUDGET
    for n, file in enumerate(github_files.values(), start=1):
        kind = _file_kind(file, min(budget, max_file_bytes)) if lines > 0 else "too_large"
        content = (file.get("content") or "") if kind in ("text", "markdown") else None
        budget -= len(content or "")
        code = code_fields(n, file["filename"], content, file.get("language"), highlight, lines)
        lines -= code["line_count"]
        files.append({
            "n": n, "name": file["filename"], "language": file.get("language"),
            "size": file.get("size") or 0, "kind": kind, "raw_url": file.get("raw_url"),
            "content": content, **code,
            "rendered": (render_markdown(content, highlight, image_key) if markdown else plain_html(content))
                        if kind == "markdown" else None,
        })
    return files


def gist_fields(data: dict, files: list[dict]) -> dict:
    """What we keep of GitHub's gist object, besides the files."""
    owner = data.get("owner") or {}
    history = data.get("history") if isinstance(data.get("history"), list) else []
    latest = history[0] if history and isinstance(history[0], dict) else {}
    return {
        "description": data.get("description") or "",
        "owner": {"login": owner.get("login"), "avatar_url": owner.get("avatar_url"),
                  "html_url": owner.get("html_url")} if owner else None,
        "public": data.get("public", True),
        "html_url": data.get("html_url"),
        "github_created_at": github_time(data.get("created_at")),
        "github_updated_at": github_time(data.get("updated_at")),
        "revision": latest.get("version"),
        "files": files,
        "file_count": len(files),
        "languages": sorted({f["language"] for f in files if f["language"]}),
        "deleted": False,
        **search_fields(files),
    }


class GistService:
    def __init__(self, storage, github, settings, clock, renderer, spam, upstream):
        self.storage = storage
        self.upstream = upstream   # revisions, GitHub's comments, the allowance (services/upstream.py)
        self.spam = spam
        self.github = github
        self.settings = settings
        self.clock = clock
        self.renderer = renderer
        self._refreshing: dict[str, asyncio.Task] = {}

    async def _fetch_and_build(self, gist_id: str, etag: str | None = None) -> dict | None:
        response = await self.github.fetch_gist(gist_id, etag=etag)
        if response is None:
            return None
        files = await self.renderer.gist_files(response.data.get("files") or {}, self.settings.max_file_bytes)
        return {**gist_fields(response.data, files), **await self.upstream.arrived(gist_id, response.data, files),
                "etag": response.etag, "fetched_at": self.clock()}

    async def submit(self, url: str, by: dict, tags: str = "", intro: str = "") -> dict:
        """Import the gist `url` names (see add)."""
        return await self.add(parse_gist_url(url), by, tags, intro)

    async def add(self, gist_id: str, by: dict, tags: str = "", intro: str = "", counted: bool = True) -> dict:
        """Import a gist once; a resubmission returns the gist already here. An intro the spam
        score holds keeps the gist hidden, for its submitter and admins only, until an admin publishes it.
        counted=False: not one of the person's SUBMISSIONS_PER_HOUR (their own gists, imported at
        once: services/imports.py limits those runs)."""
        existing = await self.storage.gists.get(gist_id)
        if existing and REMOVED in reasons(existing):
            raise InvalidSubmission("This gist was removed by the moderators and cannot be submitted again.")
        if existing:
            return existing
        tag_list = parse_tags(tags)
        if len(intro) > MAX_INTRO:
            raise InvalidSubmission(f"The introduction is too long: at most {MAX_INTRO:,} characters.")
        if counted:
            await enforce(self.storage.rate_limits, f"submit:{by['_id']}", SUBMISSIONS_PER_HOUR, 3600,
                          self.clock(), "You have submitted many gists this hour; please wait a while.")
        doc = await self._fetch_and_build(gist_id)
        held = await self.spam.check(intro, by)
        doc.update({
            "hidden": [HELD] if held else [], **held_why(held),
            "gist_id": gist_id, "tags": tag_list, "intro": intro,
            "intro_html": await self.renderer.markdown(intro) if intro.strip() else "",
            "submitter": {"id": by["_id"], "handle": by["handle"]}, "submitted_at": self.clock(),
        })
        try:
            await self.storage.gists.insert(doc)
        except DuplicateKeyError:  # submitted twice at once: the first one stays
            return await self.storage.gists.get(gist_id)
        if held:
            await self.spam.log_hold(Item("gist", doc).target, held)
        await self.upstream.sync_comments_quietly(doc)
        return doc

    async def refresh(self, gist_id: str, by: dict) -> dict | None:
        """Re-fetch from GitHub at a person's asking; None for an unknown gist, or one `by` may not see
        (a hidden gist: only its submitter and admins refresh it; a removed one: nobody). Raises RateLimited."""
        gist = await self.storage.gists.get(gist_id)
        if gist is None or not may_see_gist(gist, by):
            return None
        # The gist's lease first: a second click is told the page is fresh, and costs no allowance.
        async with self.upstream.fetching(gist_id):
            await enforce(self.storage.rate_limits, f"refresh:{by['_id']}", REFRESHES_PER_HOUR, 3600, self.clock(),
                          "You have refreshed many gists this hour; please wait a while.")
            return await self._refetch(gist)

    async def _refetch(self, gist: dict) -> dict | None:
        """A 304 costs nothing, a 404 marks the gist deleted. A gist an admin removed is never
        fetched again, nor kept if removed while GitHub answered: None then."""
        gist_id = gist["gist_id"]
        if REMOVED in reasons(gist):
            return None
        try:
            changes = await self._fetch_and_build(gist_id, etag=gist.get("etag"))
        except GistNotFound:
            changes = {"deleted": True, "fetched_at": self.clock()}
        await self.storage.gists.update(gist_id, changes or {"fetched_at": self.clock()})
        gist = await self.storage.gists.get(gist_id)
        if REMOVED in reasons(gist):
            await self.storage.gists.drop_files(gist_id)
            return None
        if not gist.get("deleted"):
            await self.upstream.sync_comments_quietly(gist)
        return gist

    async def get(self, gist_id: str) -> dict | None:
        """The stored gist; a stale one is refreshed in the background, the stored copy served now."""
        gist = await self.storage.gists.get(gist_id)
        if gist:
            self.refresh_if_stale(gist)
        return gist

    def refresh_if_stale(self, gist: dict) -> None:
        """Start a background refresh of a gist fetched over gist_refresh_seconds ago; never waits."""
        gist_id = gist["gist_id"]
        if self._stale(gist) and gist_id not in self._refreshing:
            self._refreshing[gist_id] = asyncio.create_task(self._refresh_quietly(gist))

    def _stale(self, gist: dict) -> bool:
        age = self.clock() - gist["fetched_at"]
        return age.total_seconds() > self.settings.gist_refresh_seconds

    async def _refresh_quietly(self, gist: dict) -> None:
        gist_id = gist["gist_id"]
        try:
            if not await self.upstream.spare():
                return   # GitHub's allowance is low: what is left is kept for submissions
            async with self.upstream.fetching(gist_id):
                await self._refetch(gist)
        except RateLimited:
            pass   # fetched moments ago, or GitHub failed moments ago: the next view tries again
        except GitHubError as error:
            log.info("background refresh of %s failed: %s", gist_id, error.user_message)
        finally:
            self._refreshing.pop(gist_id, None)
