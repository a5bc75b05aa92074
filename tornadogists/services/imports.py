"""Importing a person's own public gists at once (issue 20): GitHub's list of them, a background run.

The run imports one gist after another through GistService.add (the one import rule), and
stops while GitHub's allowance is under the reserve (`github_reserve`, kept for
submissions), saying until when; it goes on by itself when the page is opened after that.
One run a person at a time, across processes (a lease); a run whose process died is taken
over by the next look at its page.
"""

import asyncio
import dataclasses
import datetime
import logging

from tornadogists.github import GistNotFound, GitHubError, RateLimited as GitHubRateLimited
from tornadogists.services.gists import InvalidSubmission
from tornadogists.services.limits import enforce

log = logging.getLogger(__name__)

# A listing younger than this is shown as it is: reloading the page costs GitHub nothing.
LISTING_SECONDS = 60
IMPORTS_PER_HOUR = 10
RESUMES_PER_HOUR = 30
# A run holds its lease this long after each gist; a lease left by a dead process lapses then.
LEASE_SECONDS = 120


class NotLinked(Exception):
    """The person has no GitHub account linked: there is no list of theirs to ask for."""

    def __str__(self) -> str:
        return "Sign in with GitHub (or link GitHub on your account page) to import your gists."


class LoginUnknown(GitHubError):
    status = 404

    def __init__(self, login: str):
        self.user_message = (f"GitHub knows no account {login} any more. If you renamed it, "
                             f"sign in with GitHub again to link the new name.")
        super().__init__(f"no GitHub login {login}")


class InvalidImport(ValueError):
    """A choice the form cannot have made; str() says why."""


class ImportRunning(InvalidImport):
    """An import of this person's is still going."""


@dataclasses.dataclass
class Progress:
    """A job as the page shows it."""

    total: int
    imported: int
    skipped: int
    failed: list[dict]     # [{id, why}]
    state: str             # "running", "paused" or "done"
    note: str

    @property
    def done(self) -> int:
        return self.imported + self.skipped + len(self.failed)


class ImportService:
    def __init__(self, storage, github, gists, upstream, clock):
        self.storage = storage
        self.github = github
        self.gists = gists
        self.upstream = upstream
        self.clock = clock
        self._runs: dict[str, asyncio.Task] = {}   # this process's runs, by user id

    async def listing(self, user: dict) -> dict:
        """{gists: [GitHub's summary + "here"], complete}: the person's public gists, asked of
        GitHub with the ETags of the last answer (a 304 per page costs no allowance)."""
        login, record = _login(user), await self.storage.gist_imports.get(user["_id"])
        listing = (record or {}).get("listing") if (record or {}).get("login") == login else None
        now = self.clock()
        if listing is None or (now - listing["fetched_at"]).total_seconds() > LISTING_SECONDS:
            try:
                answer = await self.github.fetch_user_gists(login, listing["etags"] if listing else ())
            except GistNotFound:
                raise LoginUnknown(login) from None
            listing = {**listing, "fetched_at": now} if answer is None else {
                "gists": answer.gists, "etags": answer.etags, "complete": answer.complete, "fetched_at": now}
            await self.storage.gist_imports.save_listing(user["_id"], login, listing)
        here = await self.storage.gists.present([gist["id"] for gist in listing["gists"]])
        return {"gists": [{**gist, "here": gist["id"] in here} for gist in listing["gists"]],
                "complete": listing["complete"]}

    async def start(self, user: dict, ids: list[str] | None) -> None:
        """Import these of the person's listed gists (None: all of them) in the background; those
        here already are skipped."""
        login, record = _login(user), await self.storage.gist_imports.get(user["_id"])
        listed = [gist["id"] for gist in ((record or {}).get("listing") or {}).get("gists", [])]
        ids = listed if ids is None else ids
        if not ids:
            raise InvalidImport("Tick at least one gist to import.")
        if record is None or record.get("login") != login or not set(ids) <= set(listed):
            raise InvalidImport("Only gists of yours listed on this page can be imported; reload it and choose again.")
        if self._progress(record) and record["job"]["state"] == "running":
            raise ImportRunning("Your last import is still running; wait for it to finish.")
        await enforce(self.storage.rate_limits, f"import:{user['_id']}", IMPORTS_PER_HOUR, 3600, self.clock(),
                      "You have started many imports this hour; please wait a while.")
        ids = list(dict.fromkeys(ids))
        here = await self.storage.gists.present(ids)
        await self.storage.gist_imports.start_job(
            user["_id"], ids, [{"id": i, "outcome": "skipped", "why": ""} for i in ids if i in here], self.clock())
        self._launch(user)

    async def progress(self, user: dict, resume: bool = False) -> Progress | None:
        """The person's latest import, None when there is none. A paused run goes on once GitHub's
        allowance is renewed (`resume`: the person asks, and the allowance is asked of GitHub afresh)."""
        record = await self.storage.gist_imports.get(user["_id"])
        progress = self._progress(record)
        if progress is None or progress.state == "done":
            return progress
        resume_at = record["job"].get("resume_at")
        if resume:
            await enforce(self.storage.rate_limits, f"import-resume:{user['_id']}", RESUMES_PER_HOUR, 3600,
                          self.clock(), "You have asked to go on many times this hour; please wait a while.")
            await self.github.allowance(max_age=0)   # GET /rate_limit: costs none of the allowance
        if progress.state == "paused" and (resume or (resume_at and self.clock() >= resume_at)):
            await self.storage.gist_imports.set_state(user["_id"], "running")
            progress.state, progress.note = "running", ""
        if progress.state == "running":
            self._launch(user)   # a run whose process died goes on here
        return progress

    def _progress(self, record: dict | None) -> Progress | None:
        job = (record or {}).get("job")
        if job is None:
            return None
        outcomes = [result["outcome"] for result in job["results"]]
        failed = [{"id": r["id"], "why": r["why"]} for r in job["results"] if r["outcome"] == "failed"]
        return Progress(len(job["ids"]), outcomes.count("imported"), outcomes.count("skipped"), failed,
                        job["state"], job["note"])

    def _launch(self, user: dict) -> None:
        """Run the person's import here unless this process runs it already (another one's lease stops it)."""
        key = str(user["_id"])
        if key not in self._runs:
            self._runs[key] = asyncio.create_task(self._run_quietly(user))
            self._runs[key].add_done_callback(lambda _: self._runs.pop(key, None))

    async def stop(self) -> None:
        """Stop this process's runs (at shutdown): each lets its lease go, and the next look at its page
        takes the run up again."""
        runs = list(self._runs.values())
        for run in runs:
            run.cancel()
        await asyncio.gather(*runs, return_exceptions=True)

    async def _run_quietly(self, user: dict) -> None:
        key = f"import:{user['_id']}"
        token = await self.storage.leases.take(key, self.clock(), LEASE_SECONDS)
        if token is None:
            return   # another process runs it
        try:
            await self._run(user, key, token)
        except Exception:   # a database failure, say: the next look at the page takes the run up again
            log.exception("import of %s's gists stopped", user.get("handle"))
        finally:
            await self.storage.leases.settle(key, token, self.clock())

    async def _run(self, user: dict, key: str, token: str) -> None:
        imports, user_id = self.storage.gist_imports, user["_id"]
        job = (await imports.get(user_id))["job"]
        while todo := _next(job):
            if not await self.upstream.spare():
                reset = (await self.upstream.github_rate_limit())["reset"]
                return await imports.set_state(user_id, "paused", _paused_note(reset), reset)
            try:
                await self.gists.add(todo, by=user, counted=False)
                outcome, why = "imported", ""
            except GitHubRateLimited as error:
                return await imports.set_state(user_id, "paused", _paused_note(error.reset_at), error.reset_at)
            except GitHubError as error:
                outcome, why = "failed", error.user_message
            except InvalidSubmission as error:
                outcome, why = "failed", str(error)
            job = await imports.add_result(user_id, todo, outcome, why)
            await self.storage.leases.settle(key, token, self.clock() + datetime.timedelta(seconds=LEASE_SECONDS))
        await imports.set_state(user_id, "done")


def _login(user: dict) -> str:
    login = (user.get("github") or {}).get("login")
    if not login:
        raise NotLinked()
    return login


def _next(job: dict | None) -> str | None:
    done = {result["id"] for result in (job or {}).get("results", [])}
    return next((gist_id for gist_id in (job or {}).get("ids", []) if gist_id not in done), None)


def _paused_note(reset: datetime.datetime | None) -> str:
    when = f"after {reset:%H:%M} UTC" if reset else "later"
    return (f"Paused: the calls GitHub allows us this hour are nearly spent (what is left is kept for "
            f"single submissions). The import goes on {when}, when you open this page again.")
