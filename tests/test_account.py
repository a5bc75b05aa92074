"""The account page: handle, display name, e-mail change, notifications, GitHub link, sign out everywhere."""

import hashlib

import pytest

from tests.client import Client
from tests.conftest import HELLO_GIST, sign_in, sign_in_with_github
from tests.html_checks import active_content


@pytest.fixture
def settings(settings, fake_github):
    return fake_github.with_oauth_app(settings)


async def me(db, email="ada@example.com") -> dict:
    return await db.users.find_one({"email": email})


async def test_the_account_page_needs_a_signed_in_person(client):
    response = await client.get("/account")
    assert response.code == 302 and response.location == "/login?next=%2Faccount"
    assert (await client.post("/account/profile", {"handle": "x"})).code == 403


async def test_the_account_page_shows_what_is_stored(signed_in):
    page = (await signed_in.get("/account")).text
    assert 'name="handle" value="ada"' in page
    assert "ada@example.com" in page
    assert 'name="notify_comments" value="1" checked' in page  # on until turned off
    assert 'name="notify_replies" value="1" checked' in page
    assert "Link GitHub" in page


async def test_a_new_handle_follows_the_person_onto_their_gists_and_comments(signed_in, db):
    assert (await signed_in.post("/gists", {"url": HELLO_GIST})).code == 303
    user = await me(db)
    await db.comments.insert_one({"gist_id": HELLO_GIST, "author": {"id": user["_id"], "handle": "ada"}})
    response = await signed_in.post("/account/profile",
                                    {"handle": " Ada-L ", "display_name": " Ada \n Lovelace "})
    assert response.code == 303 and response.location == "/account?done=profile"
    user = await me(db)
    assert user["handle"] == "ada-l" and user["display_name"] == "Ada Lovelace"
    assert (await db.gists.find_one({"gist_id": HELLO_GIST}))["submitter"]["handle"] == "ada-l"
    assert (await db.comments.find_one())["author"]["handle"] == "ada-l"
    page = await signed_in.get(response.location)
    assert "Your profile is saved." in page.text and "ada-l" in page.text


async def test_changing_the_handle_without_a_comments_collection_works(signed_in, db):
    await db.comments.drop()  # made by the discussion's migration; older databases may lack it
    assert (await signed_in.post("/account/profile", {"handle": "countess"})).code == 303
    assert (await me(db))["handle"] == "countess"


@pytest.mark.parametrize("handle, message", [
    ("admin", "reserved"), ("login", "reserved"), ("new", "reserved"),
    ("a" * 40, "at most 39 characters"),
    ("grace", "taken"),
    ("ada lovelace", "only letters a-z"), ("ada_l", "only letters a-z"), ("-ada", "only letters a-z"),
    ("ad\u00e4", "only letters a-z"), ("<b>x</b>", "only letters a-z"), ("", "choose a handle"),
])
async def test_a_bad_handle_is_a_400_with_the_form_kept(client, outbox, db, handle, message):
    await sign_in(client, outbox, "grace@example.com")
    await client.post("/logout")
    await sign_in(client, outbox)
    response = await client.post("/account/profile", {"handle": handle, "display_name": "Kept Name"})
    assert response.code == 400
    assert message in response.text
    assert 'value="Kept Name"' in response.text
    assert f'name="handle" value="{handle.replace("<", "&lt;").replace(">", "&gt;")}"' in response.text
    assert active_content(response.text) == []
    assert (await me(db))["handle"] == "ada"


async def test_a_too_long_display_name_is_a_400_and_a_script_is_only_text(signed_in, db):
    response = await signed_in.post("/account/profile", {"handle": "ada", "display_name": "x" * 81})
    assert response.code == 400 and "at most 80 characters" in response.text
    assert "display_name" not in await me(db)
    name = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    assert (await signed_in.post("/account/profile", {"handle": "ada", "display_name": name})).code == 303
    page = await signed_in.get("/account")
    assert "&lt;script&gt;" in page.text and active_content(page.text) == []
    # An empty display name removes it.
    assert (await signed_in.post("/account/profile", {"handle": "ada", "display_name": "  "})).code == 303
    assert "display_name" not in await me(db)


async def test_a_new_email_address_counts_once_its_link_is_opened(signed_in, outbox, db):
    response = await signed_in.post("/account/email", {"email": " Ada@Lovelace.example "})
    assert response.code == 303 and response.location == "/account?done=email-sent"
    [_, message] = await outbox.wait_for(2)
    assert message["To"] == "ada@lovelace.example"
    link = await outbox.last_link(2)
    assert link.startswith(signed_in.base_url + "/account/email/")
    assert (await me(db)) is not None  # not changed yet
    token = link.rsplit("/", 1)[1]
    stored = await db.sign_in_tokens.find_one({"purpose": "change-email"})
    assert stored["_id"] == hashlib.sha256(token.encode()).hexdigest() and token not in str(stored)

    response = await signed_in.get(link.removeprefix(signed_in.base_url))
    assert response.code == 303 and response.location == "/account?done=email"
    assert (await me(db)) is None
    assert (await me(db, "ada@lovelace.example"))["handle"] == "ada"
    again = await signed_in.get(link.removeprefix(signed_in.base_url))
    assert again.code == 400 and "invalid, used or expired" in again.text


async def test_a_sign_in_link_cannot_change_an_address(client, outbox, db):
    await client.post("/auth/email", {"email": "ada@example.com"})
    token = (await outbox.last_link()).rsplit("/", 1)[1]
    assert (await client.get(f"/account/email/{token}")).code == 400
    assert (await client.post(f"/auth/email/{token}")).code == 303  # still a good sign-in link


@pytest.mark.parametrize("email, status, message", [
    ("not an address", 400, "valid e-mail address"),
    ("ada@example.com", 400, "already your address"),
    ("grace@example.com", 400, "belongs to another account"),
])
async def test_a_bad_new_address_is_refused_with_the_form_kept(client, outbox, email, status, message):
    await sign_in(client, outbox, "grace@example.com")
    await client.post("/logout")
    await sign_in(client, outbox)
    response = await client.post("/account/email", {"email": email})
    assert response.code == status and message in response.text
    assert f'value="{email}"' in response.text
    assert len(outbox.messages()) == 2  # the two sign-in links, no confirmation


async def test_an_address_taken_before_the_link_is_opened_is_refused(client, outbox, db):
    await sign_in(client, outbox)
    await client.post("/account/email", {"email": "grace@example.com"})
    link = await outbox.last_link(2)
    await client.post("/logout")
    await sign_in(client, outbox, "grace@example.com")
    response = await client.get(link.removeprefix(client.base_url))
    assert response.code == 400 and "belongs to another account" in response.text
    assert await me(db) is not None


async def test_notification_settings_are_two_checkboxes(signed_in, db):
    response = await signed_in.post("/account/notifications", {"notify_comments": "1"})
    assert response.code == 303 and response.location == "/account?done=notifications"
    assert (await me(db))["notify"] == {"comments": True, "replies": False, "mentions": False}
    page = (await signed_in.get("/account")).text
    assert 'name="notify_comments" value="1" checked' in page
    assert 'name="notify_replies" value="1" >' in page
    await signed_in.post("/account/notifications", {})
    assert (await me(db))["notify"] == {"comments": False, "replies": False, "mentions": False}


async def test_signing_in_with_github_while_signed_in_links_it(signed_in, db, fake_github):
    fake_github.set_user(login="ada-gh", id=42, email="someone-else@example.com")
    response = await sign_in_with_github(signed_in, "/account?done=github-linked")
    assert response.code == 303 and response.location == "/account?done=github-linked"
    [user] = await db.users.find().to_list()
    assert user["email"] == "ada@example.com" and user["github"]["id"] == 42
    page = (await signed_in.get(response.location)).text
    assert "GitHub is linked to your account." in page and "ada-gh" in page


async def test_a_github_account_linked_elsewhere_is_not_linked_again(client, outbox, db, fake_github):
    fake_github.set_user(login="grace", id=42, email="grace@example.com")
    await sign_in_with_github(client)
    await client.post("/logout")
    await sign_in(client, outbox)
    response = await sign_in_with_github(client, "/account")
    assert response.code == 400 and "already linked to @grace" in response.text
    assert "github" not in await me(db)
    assert "ada" in (await client.get("/")).text  # still signed in as before


async def test_github_unlinks_only_when_an_email_remains(client, db, fake_github, outbox):
    fake_github.set_user(login="nomail", id=5, email=None)
    await sign_in_with_github(client)
    response = await client.post("/account/github/unlink")
    assert response.code == 400 and "Add an e-mail address before unlinking GitHub" in response.text
    assert (await db.users.find_one())["github"]["id"] == 5

    await client.post("/logout")
    fake_github.set_user(login="ada", id=6, email="ada@example.com")
    await sign_in_with_github(client)
    response = await client.post("/account/github/unlink")
    assert response.code == 303 and response.location == "/account?done=github-unlinked"
    ada = await me(db)
    assert "github" not in ada and "avatar_url" not in ada
    await client.post("/logout")
    await sign_in(client, outbox)  # the e-mail still signs in
    assert (await me(db))["_id"] == ada["_id"]


async def test_signing_out_everywhere_ends_every_other_session(client, outbox, settings, db):
    await sign_in(client, outbox)
    other = Client(settings.site_url)
    try:
        await sign_in(other, outbox)
        old_cookie = client.cookies["session"]
        response = await client.post("/account/sessions")
        assert response.code == 303 and response.location == "/account?done=sessions"
        assert client.cookies["session"] != old_cookie
        assert "Sign out" in (await client.get("/")).text  # this browser stays signed in
        assert "Sign out" not in (await other.get("/")).text
        other.cookies["session"] = old_cookie
        assert "Sign out" not in (await other.get("/")).text
        assert await db.sessions.count_documents({"user_id": (await me(db))["_id"]}) == 1
    finally:
        other.close()


@pytest.mark.parametrize("path", ["/account/profile", "/account/email", "/account/notifications",
                                  "/account/github/unlink", "/account/sessions"])
async def test_account_forms_need_the_xsrf_token(signed_in, db, path):
    response = await signed_in.post(path, {"handle": "changed", "email": "x@example.com"}, xsrf=False)
    assert response.code == 403
    assert await db.sessions.count_documents({}) == 1 and (await me(db))["handle"] == "ada"


async def test_account_changes_are_rate_limited(signed_in):
    for _ in range(60):
        assert (await signed_in.post("/account/notifications", {"notify_comments": "1"})).code == 303
    response = await signed_in.post("/account/profile", {"handle": "ada", "display_name": "Kept"})
    assert response.code == 429 and "Too many changes" in response.text
    assert 'value="Kept"' in response.text
