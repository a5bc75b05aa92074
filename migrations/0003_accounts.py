"""Accounts: one per GitHub user, and e-mailed tokens that say what they are for.

- users.github.id unique (sparse: e-mail-only accounts have none): GitHub's numeric id
  finds the account even after a rename, and two sign-ins at once create one account.
- sign_in_tokens.purpose: links mailed before this migration are sign-in links.
"""


async def up(db):
    await db.users.create_index("github.id", unique=True, sparse=True)
    await db.sign_in_tokens.update_many({"purpose": {"$exists": False}}, {"$set": {"purpose": "sign-in"}})
