"""Discussion e-mails: who hears of a comment, at most one mail per discussion per 10 minutes, unsubscribing.

A new comment queues one item per person to tell (in MongoDB, so it survives restarts).
A flusher in every process mails a person everything pending about a gist once the
person's window for that gist is open, and opens a new 10-minute window; the window is
claimed with a unique key, so two processes flushing at once send one mail.
"""

import datetime
import hashlib
import hmac

from tornadogists.background import Periodic
from tornadogists.services.visibility import may_see_comment

WINDOW = datetime.timedelta(minutes=10)
FLUSH_SECONDS = 15   # how late another process's items may go out; this process wakes at once
BATCH = 100
EXCERPT = 1200
# A reason -> the `notify` setting that allows it (a missing setting means yes).
SETTING = {"comment": "comments", "reply": "replies", "mention": "mentions"}
# What the mail says someone did, the first of these reasons an item has.
DID = {"mention": "mentioned you", "reply": "replied to your comment", "comment": "commented"}


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(body: str) -> list[str]:
    text = body if len(body) <= EXCERPT else body[:EXCERPT] + " …"
    return ["> " + line if line else ">" for line in text.splitlines()]


class NotificationService:
    def __init__(self, storage, mailer, settings, secret: str, clock):
        self.storage = storage
        self.mailer = mailer
        self.settings = settings
        self.clock = clock
        self._key = hmac.new(secret.encode(), b"unsubscribe", hashlib.sha256).digest()
        # Every FLUSH_SECONDS for other processes' comments; at once for this one's.
        self.flusher = Periodic(self.flush, FLUSH_SECONDS, "discussion e-mails")

    async def comment_posted(self, comment: dict, gist: dict, parent: dict | None) -> None:
        """Queue news of a comment for the gist's submitter, the parent's author and the people it
        mentions, never its writer."""
        reasons: dict = {}
        reasons.setdefault(gist["submitter"]["id"], set()).add("comment")
        if parent:
            reasons.setdefault(parent["author"]["id"], set()).add("reply")
        for user_id in comment.get("mentions", []):
            reasons.setdefault(user_id, set()).add("mention")
        await self._queue(comment, reasons)

    async def mentioned(self, comment: dict, user_ids: list) -> None:
        """Queue news of an edit that mentions `user_ids` for the first time."""
        await self._queue(comment, {user_id: {"mention"} for user_id in user_ids})

    async def _queue(self, comment: dict, reasons: dict) -> None:
        reasons.pop(comment["author"]["id"], None)
        now = self.clock()   # due now: a GitHub comment's own time may be past or, by its clock, ahead
        gist_id = comment["gist_id"]
        items = [
            {"key": f"{user_id}:{gist_id}", "user_id": user_id, "gist_id": gist_id,
             "comment_id": comment["_id"], "reasons": sorted(why), "created_at": now, "due_at": now}
            for user_id, why in reasons.items()
        ]
        if items:
            await self.storage.notifications.add(items)
            self.flusher.wake()

    async def flush(self) -> int:
        """Mail whatever is due; return how many mails were queued."""
        now = self.clock()
        sent = 0
        for key in await self.storage.notifications.due_keys(now, BATCH):
            sent += await self._flush_key(key, now)
        return sent

    async def _flush_key(self, key: str, now: datetime.datetime) -> bool:
        items = await self.storage.notifications.pending(key)
        if not items:
            return False
        # A window still open: nothing to read yet (each comment in a busy discussion read all pending ones).
        reopens = await self.storage.notification_windows.closed_until(key, now)
        if reopens is not None:
            await self.storage.notifications.postpone(key, reopens)
            return False
        user = await self.storage.users.get(str(items[0]["user_id"]))
        gist = await self.storage.gists.outline(items[0]["gist_id"])
        comments = {c["_id"]: c for c in
                    await self.storage.comments.public_by_ids([item["comment_id"] for item in items])}
        news = [(item, comments[item["comment_id"]]) for item in items if item["comment_id"] in comments
                and may_see_comment(comments[item["comment_id"]], gist, None) and self._wants(user, item["reasons"])]
        if not news or not user.get("email"):
            # Deleted or hidden comments or gists, switched-off settings, no address: nothing to say, ever.
            await self.storage.notifications.remove([item["_id"] for item in items])
            return False
        reopens = await self.storage.notification_windows.claim(key, now, WINDOW)
        if reopens is not None:
            await self.storage.notifications.postpone(key, reopens)
            return False
        subject, text = self._message(user, gist, news)
        await self.mailer.send(user["email"], subject, text, self.list_headers(user["_id"]))
        await self.storage.notifications.remove([item["_id"] for item in items])
        return True

    @staticmethod
    def _wants(user: dict | None, reasons: list[str]) -> bool:
        notify = (user or {}).get("notify") or {}
        return user is not None and any(notify.get(SETTING[why], True) for why in reasons)

    def _message(self, user: dict, gist: dict | None, news: list) -> tuple[str, str]:
        site = self.settings.site_url
        gist_id = news[0][0]["gist_id"]
        title = _one_line((gist or {}).get("description") or gist_id, 60)
        count = len(news)
        subject = f"{count} new comment{'s' if count > 1 else ''} on “{title}”"
        lines = [f"Hello {user['handle']},", "", f"New in the discussion of “{title}” on TornadoGists:", ""]
        for item, comment in news:
            what = next(did for why, did in DID.items() if why in item["reasons"])
            if comment.get("github"):
                what += " on GitHub"
            if comment.get("file"):
                what += f" on {comment['file']} line {comment['line']}"
            lines += [f"{comment['author']['handle']} {what}:", "", *_quoted(comment["body"]), "",
                      f"{site}/gists/{gist_id}#comment-{comment['_id']}", ""]
        lines += [
            "--",
            "You get this because you submitted this gist, wrote a comment in its discussion or were mentioned there.",
            "At most one e-mail per discussion every 10 minutes.",
            f"Stop all discussion e-mails (no sign-in needed): {self.unsubscribe_url(user['_id'])}",
            f"Choose which e-mails you get: {site}/account",
        ]
        return subject, "\n".join(lines) + "\n"

    def _token(self, user_id) -> str:
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()

    def unsubscribe_url(self, user_id) -> str:
        return f"{self.settings.site_url}/unsubscribe/{user_id}/{self._token(user_id)}"

    def list_headers(self, user_id) -> dict:
        """RFC 2369 and 8058: the mail client's own "Unsubscribe" button POSTs to our link."""
        return {"List-Unsubscribe": f"<{self.unsubscribe_url(user_id)}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}

    def valid_link(self, user_id: str, token: str) -> bool:
        return hmac.compare_digest(self._token(user_id), token)

    async def unsubscribe(self, user_id: str, token: str) -> bool:
        """Switch off every discussion e-mail for the person the link was made for."""
        if not self.valid_link(user_id, token):
            return False
        user = await self.storage.users.get(user_id)
        if user is None:
            return False
        await self.storage.users.update(user["_id"], {"notify": dict.fromkeys(SETTING.values(), False)})
        return True
