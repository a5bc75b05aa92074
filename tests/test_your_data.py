"""Your data (issue 20): the JSON export, and deleting an account by a mailed link, leaving no trace of the person."""

import asyncio
import datetime
import json
import re

import pytest

from tests.client import Client
from tests.conftest import sign_in, sign_in_with_github
from tests.discussion import HELLO, comment, person
from tests.test_openapi import documented, validator

__all__ = ["person"]   # the fixture, imported for the tests below

EMAIL, HANDLE, NAME, GITHUB_LOGIN = "zelda.quill@example.com", "zquill", "Zelda Quillfeather", "zq-hub"
PERSONAL = (EMAIL, HANDLE, NAME, GITHUB_LOGIN)


@pytest.fixture
def settings(settings, fake_github):
    return fake_github.with_oauth_app(settings)


async def zelda_joins(client, outbox, fake_github, db) -> dict:
    """Zelda signs in by e-mail, names herself, links GitHub: every kind of personal data is stored."""
    await sign_in(client, outbox, EMAIL)
    assert (await client.post("/account/profile", {"handle": HANDLE, "display_name": NAME})).code == 303
    fake_github.set_user(login=GITHUB_LOGIN, id=4242, name=NAME, email=None)
    assert (await sign_in_with_github(client)).code in (302, 303)
    user = await db.users.find_one({"email": EMAIL})
    assert user["github"]["login"] == GITHUB_LOGIN and user["display_name"] == NAME
    return user


@pytest.fixture
async def zelda(client, outbox, fake_github, db, person):
    """Zelda with a gist, three comments (one edited, one under someone else's reply), a love, a report,
    a token; Grace replied to her first comment and Zelda answered."""
    user = await zelda_joins(client, outbox, fake_github, db)
    submitted = await client.post("/gists", {"url": HELLO, "tags": "tornado, async", "intro": "Why this gist matters."})
    assert submitted.code == 303, submitted.text
    first = await comment(client, "First thought")
    edited = await client.post(f"/gists/{HELLO}/comments/{first}/edit", {"body": "First thought, edited"})
    assert edited.code == 303, edited.text
    grace = await person("grace@example.com")
    reply = await comment(grace, "Grace answers", parent=first)
    answer = await comment(client, "Zelda answers back", parent=reply)
    lonely = await comment(client, "A comment nobody answered")
    assert (await client.post(f"/gists/{HELLO}/love")).code in (200, 303)
    flagged = await client.post(f"/gists/{HELLO}/comments/{reply}/flag", {"reason": "other", "note": "just checking"})
    assert flagged.code in (200, 303), flagged.text
    made = await client.post("/account/tokens", {"name": "laptop"})
    assert made.code == 201
    token = re.search(r"tgp_[A-Za-z0-9_-]+", made.text).group(0)
    return {"user": user, "first": first, "reply": reply, "answer": answer, "lonely": lonely,
            "token": token, "grace": grace}


async def export(client, handle: str = HANDLE) -> dict:
    response = await client.post("/account/export")
    assert response.code == 200, response.text
    assert response.headers["Content-Disposition"] == f'attachment; filename="tornadogists-{handle}.json"'
    assert response.headers["Content-Type"].startswith("application/json")
    assert "no-store" in response.headers["Cache-Control"]
    return response


async def test_the_export_holds_every_kind_of_data_and_no_secret(zelda, client, db):
    reacted = await client.post(f"/gists/{HELLO}/comments/{zelda['reply']}/reactions", {"kind": "+1"})
    assert reacted.code == 303, reacted.text
    response = await export(client)
    data = json.loads(response.text)
    assert data["profile"] | {"notify": None} == data["profile"] | {
        "handle": HANDLE, "display_name": NAME, "email": EMAIL, "notify": None,
        "github": {"login": GITHUB_LOGIN, "html_url": f"https://github.com/{GITHUB_LOGIN}"}}
    bodies = {c["_id"]: c for c in data["comments"]}
    assert bodies.keys() == {zelda["first"], zelda["answer"], zelda["lonely"]}
    first = bodies[zelda["first"]]
    assert first["body"] == "First thought, edited" and [v["body"] for v in first["versions"]] == ["First thought"]
    assert first["url"].endswith(f"/gists/{HELLO}#comment-{zelda['first']}")
    assert bodies[zelda["answer"]]["parent"] == zelda["reply"]
    [gist] = data["gists"]
    assert gist["gist_id"] == HELLO and gist["intro"] == "Why this gist matters."
    assert data["tags"] == sorted(gist["tags"]) == ["async", "tornado"]
    assert [love["gist_id"] for love in data["loves"]] == [HELLO]
    assert data["reactions"] == [{"gist_id": HELLO, "comment_id": zelda["reply"], "kind": "+1"}]
    assert [(r["item"], r["note"]) for r in data["reports"]] == [(f"comment:{zelda['reply']}", "just checking")]
    assert [t["name"] for t in data["api_tokens"]] == ["laptop"]
    assert data["sessions"] and all(set(s) == {"created_at", "seen_at", "expires_at"} for s in data["sessions"])
    # Nothing that would let someone act as her: no token, no hash of one, no session id.
    stored = [doc["hash"] for doc in await db.api_tokens.find().to_list()]
    stored += [doc["_id"] for doc in await db.sessions.find().to_list()]
    for secret in [zelda["token"], zelda["token"][-4:], *stored, *client.cookies.values()]:
        assert secret not in response.text
    assert '"hash"' not in response.text and '"html"' not in response.text


async def test_someone_who_wrote_nothing_exports_empty_lists(signed_in):
    data = json.loads((await export(signed_in, "ada")).text)
    assert data["reactions"] == [] and data["comments"] == [] and data["profile"]["handle"] == "ada"


async def test_the_export_is_rate_limited_and_needs_the_form_token(signed_in, client):
    assert (await signed_in.post("/account/export", xsrf=False)).code == 403
    for _ in range(5):
        await export(signed_in, "ada")
    refused = await signed_in.post("/account/export")
    assert refused.code == 429 and "several times this hour" in refused.text
    anonymous = Client(signed_in.base_url)
    assert (await anonymous.post("/account/export")).code == 403
    anonymous.close()


async def deletion_link(client, outbox, choice: str, email: str = EMAIL) -> str:
    """Ask for the link and read it from the newest mail about it (discussion mails may come between)."""
    sent = lambda: [m for m in outbox.messages() if m["Subject"] == "Confirm deleting your TornadoGists account"]
    before = len(sent())
    response = await client.post("/account/delete", {"comments": choice})
    assert response.code == 303 and response.location == "/account?done=delete-sent", response.text
    for _ in range(100):
        if len(sent()) > before:
            break
        await asyncio.sleep(0.05)
    message = sent()[-1]
    assert message["To"] == email
    return "/" + re.search(r"https?://\S+", message.get_content()).group(0).split("://", 1)[1].split("/", 1)[1]


async def traces(db) -> list[str]:
    """Every stored document, in every collection, that names the person."""
    found = []
    for name in await db.list_collection_names():
        for doc in await db[name].find().to_list():
            text = repr(doc).lower()
            found += [f"{name}: {s} in {doc}" for s in PERSONAL if s.lower() in text]
    return found


@pytest.mark.parametrize("choice", ["keep", "remove"])
async def test_deleting_the_account_keeps_threads_and_leaves_no_personal_data(zelda, client, outbox, db, choice):
    anonymous = Client(client.base_url)
    page = (await anonymous.get(f"/gists/{HELLO}")).text   # now in the page cache
    assert HANDLE in page and "First thought, edited" in page
    assert await traces(db)
    link = await deletion_link(client, outbox, choice)

    opened = await client.get(link)   # what a mail scanner does: nothing is deleted
    assert opened.code == 200 and f"Delete @{HANDLE}" in opened.text
    assert (await client.post(link, xsrf=False)).code == 403
    assert await db.users.find_one({"email": EMAIL}) is not None

    done = await client.post(link)
    assert done.code == 200 and "Your account is deleted" in done.text
    assert await traces(db) == []

    page = (await anonymous.get(f"/gists/{HELLO}")).text
    assert HANDLE not in page and NAME not in page and "submitted by [deleted]" in page
    assert "Grace answers" in page   # the thread stays whole around her comments
    gist = await db.gists.find_one({"gist_id": HELLO})
    assert gist["loves"] == 0 and gist["submitter"] == {"id": None, "handle": "[deleted]"}
    comments = {str(c["_id"]): c for c in await db.comments.find().to_list()}
    if choice == "keep":
        assert "First thought, edited" in page and "A comment nobody answered" in page
        assert gist["intro"] == "Why this gist matters."
        assert all(comments[zelda[k]]["author"]["handle"] == "[deleted]" for k in ("first", "answer", "lonely"))
        assert gist["comment_count"] == 4
    else:
        assert "First thought" not in page and "Zelda answers back" not in page and "nobody answered" not in page
        assert comments[zelda["first"]]["deleted"] and comments[zelda["first"]]["body"] == ""
        assert zelda["answer"] not in comments and zelda["lonely"] not in comments   # no replies: gone
        assert gist["intro"] == "" and gist["comment_count"] == 1
    await api_and_feeds_name_nobody(anonymous)
    log = await db.moderation_log.find_one({"action": "delete-account"})
    assert log["target"] == {"kind": "person", "id": str(zelda["user"]["_id"]), "label": "[deleted]"}
    assert (await client.get("/account")).code == 302   # signed out, here and everywhere
    assert (await anonymous.get(f"/users/{HANDLE}")).code == 404
    anonymous.close()


async def api_and_feeds_name_nobody(anonymous) -> None:
    """The API still answers as documented (no submitter, no comment author); feeds link to no profile."""
    spec = (await anonymous.get("/api/v1/openapi.json")).json()
    for path, address in (("/gists/{gist_id}", f"/gists/{HELLO}"), ("/gists/{gist_id}/comments", f"/gists/{HELLO}/comments")):
        response = await anonymous.get("/api/v1" + address)
        schema = documented(spec, path, "get", 200)["content"]["application/json"]["schema"]
        validator(spec, schema).validate(response.json())
        assert HANDLE not in response.text and "%5Bdeleted%5D" not in response.text
    assert (await anonymous.get(f"/api/v1/gists/{HELLO}")).json()["submitter"] is None
    for feed in ("/feeds/gists.atom", "/feeds/comments.atom"):
        text = (await anonymous.get(feed)).text
        assert HANDLE not in text and "%5Bdeleted%5D" not in text


async def test_a_used_or_expired_link_is_refused_and_deletes_nothing(zelda, client, outbox, db):
    link = await deletion_link(client, outbox, "keep")
    await db.sign_in_tokens.update_many({"purpose": "delete-account"}, {"$set": {
        "expires_at": datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)}})
    for response in (await client.get(link), await client.post(link)):
        assert response.code == 400 and "invalid, used or expired; nothing was deleted" in response.text
    assert await db.users.find_one({"email": EMAIL}) is not None
    link = await deletion_link(client, outbox, "remove")
    assert (await client.post(link)).code == 200
    again = await client.post(link)
    assert again.code == 400 and "invalid, used or expired" in again.text
    assert (await client.get("/gists/../account/delete/not-a-token")).code in (400, 404)


async def test_the_handle_is_free_once_the_account_is_deleted(signed_in, outbox, db, person):
    assert (await signed_in.post("/account/profile", {"handle": HANDLE})).code == 303
    link = await deletion_link(signed_in, outbox, "remove", "ada@example.com")
    assert (await signed_in.post(link)).code == 200
    other = await person("yara@example.com")
    assert (await other.post("/account/profile", {"handle": HANDLE})).code == 303


@pytest.mark.parametrize("choice, message", [("", "Choose what happens"), ("everything", "Choose what happens")])
async def test_a_deletion_request_needs_a_choice(signed_in, outbox, db, choice, message):
    response = await signed_in.post("/account/delete", {"comments": choice})
    assert response.code == 400 and message in response.text
    assert await db.sign_in_tokens.count_documents({"purpose": "delete-account"}) == 0


async def test_an_account_without_an_e_mail_address_cannot_ask_for_a_link(client, fake_github, db):
    fake_github.set_user(login="nomail", id=99, email=None)
    assert (await sign_in_with_github(client)).code in (302, 303)
    response = await client.post("/account/delete", {"comments": "keep"})
    assert response.code == 400 and "Add an e-mail address first" in response.text


async def test_deletion_links_are_rate_limited(signed_in, outbox):
    for _ in range(5):
        assert (await signed_in.post("/account/delete", {"comments": "keep"})).code == 303
    refused = await signed_in.post("/account/delete", {"comments": "keep"})
    assert refused.code == 429 and "Too many deletion links" in refused.text
