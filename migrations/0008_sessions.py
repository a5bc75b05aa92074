"""Sessions live in `sessions`; stored e-mail addresses take their canonical spelling.

- sessions.user_id: "sign out everywhere" deletes a person's sessions at once.
- sessions TTL on expires_at: a session ends after 30 days without a cleanup job.
- users.session_version goes: a session cookie now names a session record, so cookies
  issued before this migration sign no one in (everyone signs in once more).
- users.email: spelled as normalise_email spells it (punycode domains, no trailing dot),
  so the address someone types finds their account. An address it refuses, or whose
  canonical spelling belongs to another account, stays as it is.
"""

import logging

from pymongo.errors import DuplicateKeyError

from tornadogists.text.emails import InvalidEmail, normalise_email

log = logging.getLogger(__name__)


async def up(db):
    await db.sessions.create_index("user_id")
    await db.sessions.create_index("expires_at", expireAfterSeconds=0)
    await db.users.update_many({"session_version": {"$exists": True}}, {"$unset": {"session_version": ""}})
    # A list first: updating the `email` index while walking it could visit a user twice.
    for user in await db.users.find({"email": {"$type": "string"}}, {"email": 1}).to_list():
        try:
            email = normalise_email(user["email"])
        except InvalidEmail:
            continue
        if email != user["email"]:
            try:
                await db.users.update_one({"_id": user["_id"]}, {"$set": {"email": email}})
            except DuplicateKeyError:
                log.warning("user %s keeps %r: %r is another account's", user["_id"], user["email"], email)
