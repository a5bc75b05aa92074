"""Everything stored about one person, in every collection: read for their export, erased with their account.

One place knows where a person's data lives, so export and erasure cannot drift apart.
A deleted person's gists and comments keep GONE as their submitter or author.
"""

import re

from tornadogists.storage.lookups import starting_with
from tornadogists.text.handles import GONE

# What an export leaves out: secrets (token and session hashes) and what is derived (HTML).
COMMENT_FIELDS = {"gist_id": 1, "parent": 1, "file": 1, "line": 1, "body": 1, "created_at": 1,
                  "updated_at": 1, "edited": 1, "deleted": 1, "hidden": 1, "versions.body": 1,
                  "versions.edited_at": 1}
GIST_FIELDS = {"_id": 0, "gist_id": 1, "description": 1, "html_url": 1, "submitted_at": 1, "tags": 1, "intro": 1}
TIMES = {"_id": 0, "created_at": 1, "seen_at": 1, "expires_at": 1}


class PersonalData:
    def __init__(self, db):
        self.db = db

    async def _all(self, collection, query: dict, fields: dict | None = None) -> list[dict]:
        return await collection.find(query, fields).sort("_id", 1).to_list()

    # The export.

    async def comments(self, user_id) -> list[dict]:
        return await self._all(self.db.comments, {"author.id": user_id}, COMMENT_FIELDS)

    async def gists_submitted(self, user_id) -> list[dict]:
        return await self._all(self.db.gists, {"submitter.id": user_id}, GIST_FIELDS)

    async def loves(self, user_id) -> list[dict]:
        return await self._all(self.db.loves, {"user_id": user_id}, {"_id": 0, "gist_id": 1, "created_at": 1})

    async def reactions(self, user_id) -> list[dict]:
        """Their reactions to comments: each kept inside its comment (storage/comments.py)."""
        found = await self._all(self.db.comments, {"reactions.by.id": user_id}, {"gist_id": 1, "reactions": 1})
        return [{"gist_id": doc["gist_id"], "comment_id": doc["_id"], "kind": reaction["kind"]}
                for doc in found for reaction in doc["reactions"] if reaction["by"]["id"] == user_id]

    async def reports(self, user_id) -> list[dict]:
        fields = {"_id": 0, "item": 1, "reason": 1, "note": 1, "state": 1, "created_at": 1, "updated_at": 1}
        return await self._all(self.db.reports, {"reporter.id": user_id}, fields)

    async def api_tokens(self, user_id) -> list[dict]:
        return await self._all(self.db.api_tokens, {"user_id": user_id},
                               {"_id": 0, "name": 1, "created_at": 1, "last_used_at": 1})

    async def sessions(self, user_id) -> list[dict]:
        return await self._all(self.db.sessions, {"user_id": user_id}, TIMES)

    # Erasure.

    async def pages_of(self, user_id) -> list[str]:
        """The gists whose pages show the person: submitted, commented on, reacted on, loved."""
        found = set()
        for collection, field in ((self.db.gists, "submitter.id"), (self.db.comments, "author.id"),
                                  (self.db.comments, "reactions.by.id"), (self.db.loves, "user_id")):
            found.update(await collection.distinct("gist_id", {field: user_id}))
        return sorted(found)

    async def comments_with_replies(self, ids: list) -> set:
        """Those of `ids` under which someone else's comment sits: they stay as "[deleted]" placeholders."""
        below = await self.db.comments.distinct(
            "ancestors", {"ancestors": {"$in": ids}, "_id": {"$nin": ids}})
        return set(below) & set(ids)

    async def erase_comments(self, keep: list, gone: list, now) -> None:
        """Blank the `keep` ones (placeholders), delete the `gone` ones."""
        if keep:
            await self.db.comments.update_many({"_id": {"$in": keep}}, {"$set": {
                "deleted": True, "body": "", "html": "", "versions": [], "author": GONE, "updated_at": now}})
        if gone:
            await self.db.comments.delete_many({"_id": {"$in": gone}})

    async def disown(self, user_id, remove_intros: bool, now) -> None:
        """Kept comments and gists show GONE as their writer; `remove_intros` blanks the gists' intros."""
        await self.db.comments.update_many({"author.id": user_id}, {"$set": {"author": GONE, "updated_at": now}})
        intro = {"intro": "", "intro_html": ""} if remove_intros else {}
        await self.db.gists.update_many({"submitter.id": user_id}, {"$set": {"submitter": GONE, **intro}})

    async def forget(self, user: dict, comment_ids: list) -> None:
        """Every other trace but sessions and the user document (their storage counts those writes):
        sign-in links, tokens, mail, limits, reports, names in the log."""
        db, user_id, handle = self.db, user["_id"], user["handle"]
        email = user.get("email")
        await db.sign_in_tokens.delete_many({"$or": [{"user_id": user_id}, *([{"email": email}] if email else [])]})
        for collection in (db.api_tokens, db.notifications):
            await collection.delete_many({"user_id": user_id})
        await db.comments.update_many({"reactions.by.id": user_id}, {"$pull": {"reactions": {"by.id": user_id}}})
        await db.notification_windows.delete_many({"_id": starting_with(f"{user_id}:")})
        await db.gist_imports.delete_one({"_id": user_id})   # their GitHub login and gist listing
        await db.reports.delete_many({"reporter.id": user_id})
        # Mail to them, and mail that names them: the greeting, a discussion mail's "<handle> commented"
        # lines. Only those lines: a handle like "a" must not take everyone's mail with it.
        h = re.escape(handle)
        named = {"text": {"$regex": rf"^(Hello @?{h},|{h} (commented|replied))", "$options": "m"}}
        await db.mail_outbox.delete_many({"$or": [named, *([{"to": email}] if email else [])]})
        if email:   # sign-in limits are counted per address
            await db.rate_limits.delete_many({"_id": {"$regex": re.escape(email)}})
        # The moderation log keeps what was done, never who they were.
        log = db.moderation_log
        unnamed = {"$set": {"target.label": GONE["handle"]}}
        await log.update_many({"target.kind": "person", "target.id": str(user_id)}, unnamed)
        await log.update_many({"by.id": user_id}, {"$set": {"by": GONE}})
        if comment_ids:
            await log.update_many({"target.kind": "comment", "target.id": {"$in": [str(i) for i in comment_ids]}},
                                  unnamed)
        # An admin's name in what they removed or banned.
        await db.gists.update_many({"removed.by": handle}, {"$set": {"removed.by": GONE["handle"]}})
        await db.users.update_many({"banned.by": handle}, {"$set": {"banned.by": GONE["handle"]}})
