"""Submitting, refreshing and reading gists."""

import asyncio
import datetime
import logging

from pymongo.errors import DuplicateKeyError

from tornadogists.github import GistNotFound, GitHubError
from tornadogists.services.limits import enforce
from tornadogists.text.gist_urls import parse_gist_url
from tornadogists.text.highlight import highlight_lines, is_markdown, looks_binary
from tornadogists.text.markdown import render_markdown
from tornadogists.text.search import search_fields
from tornadogists.text.tags import parse_tags

log = logging.getLogger(__name__)

PER_PAGE = 20
MAX_INTRO = 20_000
# Highlighted HTML is a few times the source; keep a gist document far below MongoDB's 16 MB.
CONTENT_BUDGET = 3 * 1024 * 1024
SUBMISSIONS_PER_HOUR = 30


class InvalidSubmission(ValueError):
    """Bad tags or intro; str() is the message for the form."""


def _parse_time(text: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _file_kind(file: dict, budget_left: int) -> str:
    if file.get("too_large") or file.get("raw_refused") or (file.get("size") or 0) > budget_left:
        return "too_large"
    if looks_binary(file.get("content"), file.get("type")):
        return "binary"
    return "markdown" if is_markdown(file["filename"], file.get("language")) else "text"


def build_files(github_files: dict, max_file_bytes: int) -> list[dict]:
    """GitHub's files -> stored files with highlighted lines. CPU-heavy: run in an executor."""
    files, budget = [], CONTENT_BUDGET
    for n, file in enumerate(github_files.values(), start=1):
        kind = _file_kind(file, min(budget, max_file_bytes))
        content = (file.get("content") or "") if kind in ("text", "markdown") else None
        budget -= len(content or "")
        files.append({
            "n": n, "name": file["filename"], "language": file.get("language"),
            "size": file.get("size") or 0, "kind": kind, "raw_url": file.get("raw_url"),
            "content": content,
            "lines": highlight_lines(file["filename"], content, file.get("language")) if content is not None else [],
            "rendered": render_markdown(content) if kind == "markdown" else None,
        })
    return files


def gist_fields(data: dict, files: list[dict]) -> dict:
    """What we keep of GitHub's gist object, besides the files."""
    owner = data.get("owner") or {}
    history = data.get("history") or [{}]
    return {
        "description": data.get("description") or "",
        "owner": {"login": owner.get("login"), "avatar_url": owner.get("avatar_url"),
                  "html_url": owner.get("html_url")} if owner else None,
        "public": data.get("public", True),
        "html_url": data.get("html_url"),
        "github_created_at": _parse_time(data.get("created_at")),
        "github_updated_at": _parse_time(data.get("updated_at")),
        "revision": history[0].get("version"),
        "files": files,
        "file_count": len(files),
        "languages": sorted({f["language"] for f in files if f["language"]}),
        "deleted": False,
        **search_fields(files),
    }


class GistService:
    def __init__(self, storage, github, settings, clock):
        self.storage = storage
        self.github = github
        self.settings = settings
        self.clock = clock
        self._refreshing: dict[str, asyncio.Task] = {}

    async def _run(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    async def _fetch_and_build(self, gist_id: str, etag: str | None = None) -> dict | None:
        response = await self.github.fetch_gist(gist_id, etag=etag)
        if response is None:
            return None
        files = await self._run(build_files, response.data.get("files") or {}, self.settings.max_file_bytes)
        return {**gist_fields(response.data, files), "etag": response.etag, "fetched_at": self.clock()}

    async def submit(self, url: str, by: dict, tags: str = "", intro: str = "") -> dict:
        """Import a gist once; a resubmission returns the gist already here."""
        gist_id = parse_gist_url(url)
        existing = await self.storage.gists.get(gist_id)
        if existing:
            return existing
        tag_list = parse_tags(tags)
        if len(intro) > MAX_INTRO:
            raise InvalidSubmission(f"The introduction is too long: at most {MAX_INTRO:,} characters.")
        await enforce(self.storage.rate_limits, f"submit:{by['_id']}", SUBMISSIONS_PER_HOUR, 3600,
                      self.clock(), "You have submitted many gists this hour; please wait a while.")
        doc = await self._fetch_and_build(gist_id)
        doc.update({
            "gist_id": gist_id, "tags": tag_list, "intro": intro,
            "intro_html": await self._run(render_markdown, intro) if intro.strip() else "",
            "submitter": {"id": by["_id"], "handle": by["handle"]}, "submitted_at": self.clock(),
        })
        try:
            await self.storage.gists.insert(doc)
        except DuplicateKeyError:  # submitted twice at once: the first one stays
            return await self.storage.gists.get(gist_id)
        return doc

    async def refresh(self, gist_id: str) -> dict | None:
        """Re-fetch from GitHub; a 304 costs nothing, a 404 marks the gist deleted."""
        gist = await self.storage.gists.get(gist_id)
        if gist is None:
            return None
        try:
            changes = await self._fetch_and_build(gist_id, etag=gist.get("etag"))
        except GistNotFound:
            changes = {"deleted": True, "fetched_at": self.clock()}
        await self.storage.gists.update(gist_id, changes or {"fetched_at": self.clock()})
        return await self.storage.gists.get(gist_id)

    async def get(self, gist_id: str) -> dict | None:
        """The stored gist; a stale one is refreshed in the background, the stored copy served now."""
        gist = await self.storage.gists.get(gist_id)
        if gist and self._stale(gist) and gist_id not in self._refreshing:
            self._refreshing[gist_id] = asyncio.create_task(self._refresh_quietly(gist_id))
        return gist

    def _stale(self, gist: dict) -> bool:
        age = self.clock() - gist["fetched_at"]
        return age.total_seconds() > self.settings.gist_refresh_seconds

    async def _refresh_quietly(self, gist_id: str) -> None:
        try:
            await self.refresh(gist_id)
        except GitHubError as error:
            log.info("background refresh of %s failed: %s", gist_id, error.user_message)
        finally:
            self._refreshing.pop(gist_id, None)

    async def raw_file(self, gist_id: str, filename: str) -> str | None:
        for file in await self.storage.gists.file_texts(gist_id):
            if file["name"] == filename and file.get("content") is not None:
                return file["content"]
        return None
