"""A gist's revisions: the list, one revision's files (fetched from GitHub on first view), comparisons."""

import asyncio
import dataclasses

from tornadogists.github import GistNotFound, GitHubError
from tornadogists.services.limits import client_network, enforce
from tornadogists.services.page_cache import ByteLRU, weight
from tornadogists.services.visibility import may_see_gist

# Comparisons never change (two revisions never do): kept in memory, per process.
DIFF_CACHE_BYTES = 16 * 1024 * 1024
# A comparison not in memory costs a diff in a child process (up to render_seconds, twice):
# this many an hour per client network; the ones already made cost nothing and stay free.
NEW_COMPARISONS_PER_HOUR = 30


class RevisionGone(GitHubError):
    status = 404
    user_message = ("GitHub no longer has this revision (the gist may have been deleted there), "
                    "and the site never stored its files.")


@dataclasses.dataclass
class Comparison:
    gist: dict
    old: dict           # the two revisions, numbered
    new: dict
    files: list | None  # text/diffs.py FileDiffs; None when they took too long to compute

    @property
    def changed(self) -> list:
        return [f for f in self.files or [] if f.status != "unchanged"]


def numbered(revisions: list[dict]) -> list[dict]:
    """Newest first, each with its `number` (1 = the oldest the site has seen) and the `previous` one's sha."""
    count = len(revisions)
    for i, revision in enumerate(revisions):
        revision["number"] = count - i
        revision["previous"] = revisions[i + 1]["sha"] if i + 1 < count else None
    return revisions


class RevisionService:
    def __init__(self, storage, github, upstream, renderer, settings, clock):
        self.storage = storage
        self.clock = clock
        self.github = github
        self.upstream = upstream
        self.renderer = renderer
        self.settings = settings
        self.comparisons = ByteLRU(DIFF_CACHE_BYTES)
        self.fates = ByteLRU(DIFF_CACHE_BYTES // 4)
        self._fetching: dict[tuple[str, str], asyncio.Task] = {}

    async def _gist(self, gist_id: str, viewer: dict | None) -> dict | None:
        gist = await self.storage.gists.header(gist_id)
        return gist if gist and may_see_gist(gist, viewer) else None

    async def listing(self, gist_id: str, viewer: dict | None) -> tuple[dict, list[dict]] | None:
        """(the gist, its revisions newest first, numbered); None for no such gist, or one hidden from `viewer`."""
        gist = await self._gist(gist_id, viewer)
        if gist is None:
            return None
        return gist, numbered(await self.storage.revisions.listing(gist_id))

    async def _revision(self, gist_id: str, sha: str, viewer) -> tuple[dict, dict, int] | None:
        """(gist, revision, how many revisions) for a revision the site has seen; never asks GitHub about others."""
        found = await self.listing(gist_id, viewer)
        if found is None:
            return None
        gist, revisions = found
        revision = next((r for r in revisions if r["sha"] == sha), None)
        return (gist, revision, len(revisions)) if revision else None

    async def show(self, gist_id: str, sha: str, viewer: dict | None) -> dict | None:
        """{gist, revision, count, files}; None when unknown. Raises GitHubError when GitHub cannot send it."""
        found = await self._revision(gist_id, sha, viewer)
        if found is None:
            return None
        gist, revision, count = found
        return {"gist": gist, "revision": revision, "count": count, "files": await self.files(gist_id, sha)}

    async def files(self, gist_id: str, sha: str) -> list[dict]:
        """A revision's files: stored, or fetched and highlighted once (concurrent views share one fetch)."""
        files = await self.storage.revisions.files_of(gist_id, sha)
        if files is not None:
            return files
        key = (gist_id, sha)
        if key not in self._fetching:
            self._fetching[key] = asyncio.create_task(self._fetch(gist_id, sha))
        return await asyncio.shield(self._fetching[key])

    async def _fetch(self, gist_id: str, sha: str) -> list[dict]:
        try:
            await self.upstream.require_spare()
            try:
                response = await self.github.fetch_revision(gist_id, sha)
            except GistNotFound:
                raise RevisionGone(f"{gist_id}/{sha}") from None
            finally:
                await self.upstream.allowance()   # shared with the other processes
            files = await self.renderer.gist_files(response.data.get("files") or {}, self.settings.max_file_bytes)
            if await self.storage.revisions.put_files(gist_id, sha, files):
                # Line comments written on this revision can now link to their line there.
                await self.storage.gists.touch(gist_id)
            return files
        finally:
            self._fetching.pop((gist_id, sha), None)

    async def compare(self, gist_id: str, old_sha: str, new_sha: str, viewer: dict | None,
                      client_ip: str) -> Comparison | None:
        """Two revisions compared, file by file; None when either is unknown.
        Raises GitHubError, or RateLimited when `client_ip`'s network asked for too many new ones."""
        old, new = await self._revision(gist_id, old_sha, viewer), await self._revision(gist_id, new_sha, viewer)
        if old is None or new is None:
            return None
        key = (gist_id, old_sha, new_sha)
        files = self.comparisons.get(key)
        if files is None:
            await enforce(self.storage.rate_limits, f"compare:{client_network(client_ip)}", NEW_COMPARISONS_PER_HOUR,
                          3600, self.clock(), "Your network has asked for many new comparisons this hour; "
                          "the ones already made stay available. Please try again later.")
            old_files, new_files = await self.files(gist_id, old_sha), await self.files(gist_id, new_sha)
            files = await self.renderer.compare(old_files, new_files)
            if files is not None:
                self.comparisons.put(key, files, weight(files))
        return Comparison(gist=old[0], old=old[1], new=new[1], files=files)

    async def line_fates(self, gist: dict, docs: list[dict]) -> dict:
        """(revision, file name) -> FileFate for the line comments among `docs` written on an older
        revision whose files are here: what their line became in the gist's current files."""
        current, wanted = gist.get("revision"), {}
        for doc in docs:
            if doc.get("file") is not None and doc.get("line") is not None and doc.get("revision") not in (None, current):
                wanted.setdefault(doc["revision"], set()).add(doc["file"])
        if not wanted or not current:
            return {}
        found = {}
        texts = await self.storage.revisions.texts_of(gist["gist_id"], list(wanted))
        for sha, files in texts.items():
            fates = await self._fates(gist, sha, files, sorted(wanted[sha]))
            found.update({(sha, name): fate for name, fate in fates.items()})
        return found

    async def _fates(self, gist: dict, sha: str, old_files: list[dict], names: list[str]) -> dict:
        key = (gist["gist_id"], sha, gist["revision"], tuple(names))
        fates = self.fates.get(key)
        if fates is None:
            fates = await self.renderer.fates(old_files, gist.get("files") or [], names) or {}
            self.fates.put(key, fates, 64 + sum(8 * len(fate.changed) for fate in fates.values()))
        return fates
