"""E-mail sign-in: the link, its single use and expiry, `next`, sessions and the rate limit."""

import datetime
import hashlib
import re

from tests.conftest import sign_in


async def test_the_emailed_link_signs_in_and_creates_the_account(client, outbox, db):
    response = await client.post("/auth/email", {"email": " Ada.Lovelace@Example.com ", "next": "/gists/new"})
    assert response.code == 200
    assert "Check your inbox" in response.text
    link = await outbox.last_link()
    assert link.startswith(client.base_url + "/auth/email/")
    response = await client.post(link.removeprefix(client.base_url))
    assert response.code == 303
    assert response.location == "/gists/new"
    user = await db.users.find_one({"email": "ada.lovelace@example.com"})
    assert user["handle"] == "ada-lovelace"
    home = await client.get("/")
    assert "ada-lovelace" in home.text and "Sign out" in home.text


async def test_the_token_is_stored_only_as_a_hash(client, outbox, db):
    await client.post("/auth/email", {"email": "ada@example.com"})
    token = (await outbox.last_link()).rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes, base64
    stored = await db.sign_in_tokens.find_one()
    assert stored["_id"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(stored)


async def test_a_link_works_once(client, outbox):
    await client.post("/auth/email", {"email": "ada@example.com"})
    path = (await outbox.last_link()).removeprefix(client.base_url)
    assert (await client.post(path)).code == 303
    again = await client.post(path)
    assert again.code == 400
    assert "invalid, used or expired" in again.text
    assert (await client.get(path)).code == 400


async def test_opening_the_link_shows_a_button_and_never_spends_the_token(client, outbox, db):
    """Mail scanners open every link first: only the button's POST signs in."""
    await client.post("/auth/email", {"email": "Ada@Example.com", "next": "/gists/new"})
    path = (await outbox.last_link()).removeprefix(client.base_url)
    for _ in range(2):
        page = await client.get(path)
        assert page.code == 200 and "Sign in as ada@example.com" in page.text
        assert "no-store" in page.headers["Cache-Control"]
        assert 'name="_xsrf"' in page.text and "Sign out" not in page.text
    assert await db.sign_in_tokens.count_documents({}) == 1 and await db.users.count_documents({}) == 0
    response = await client.post(path)
    assert response.code == 303 and response.location == "/gists/new"
    assert "Sign out" in (await client.get("/")).text


async def test_the_button_needs_the_xsrf_token(client, outbox, db):
    await client.post("/auth/email", {"email": "ada@example.com"})
    path = (await outbox.last_link()).removeprefix(client.base_url)
    assert (await client.post(path, xsrf=False)).code == 403
    assert await db.sign_in_tokens.count_documents({}) == 1
    assert (await client.post(path)).code == 303


async def test_check_your_inbox_resends_and_offers_another_address(client, outbox):
    sent = await client.post("/auth/email", {"email": "ada@example.com", "next": "/gists/new"})
    assert 'name="email" value="ada@example.com"' in sent.text and 'name="next" value="/gists/new"' in sent.text
    assert 'href="/login?next=%2Fgists%2Fnew">Use another address' in sent.text
    again = await client.post("/auth/email", {"email": "ada@example.com", "next": "/gists/new"})
    assert again.code == 200 and "Check your inbox" in again.text
    assert len(await outbox.wait_for(2)) == 2



async def test_an_expired_link_is_refused(client, outbox, db):
    await client.post("/auth/email", {"email": "ada@example.com"})
    path = (await outbox.last_link()).removeprefix(client.base_url)
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
    await db.sign_in_tokens.update_many({}, {"$set": {"expires_at": past}})
    for response in (await client.get(path), await client.post(path)):
        assert response.code == 400 and "invalid, used or expired" in response.text
    assert "session" not in client.cookies


async def test_a_tampered_link_is_refused(client, outbox):
    await client.post("/auth/email", {"email": "ada@example.com"})
    path = (await outbox.last_link()).removeprefix(client.base_url)
    tampered = path[:-1] + ("A" if path[-1] != "A" else "B")
    assert (await client.get(tampered)).code == 400
    assert (await client.post(tampered)).code == 400
    assert (await client.post("/auth/email/not-a-token")).code == 400


async def test_the_same_answer_whether_or_not_the_address_is_known(client, outbox):
    await sign_in(client, outbox, "known@example.com")
    await client.post("/logout")
    known = await client.post("/auth/email", {"email": "known@example.com"})
    unknown = await client.post("/auth/email", {"email": "stranger@example.com"})
    assert known.code == unknown.code == 200

    def page(response, name):   # the resend form's XSRF token is masked afresh on every page
        return re.sub(r'name="_xsrf" value="[^"]+"', "", response.text).replace(name, "X")
    assert page(known, "known") == page(unknown, "stranger")


async def test_an_off_site_next_is_ignored(client, outbox):
    for next_path in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        response = await sign_in(client, outbox, "ada@example.com", next_path)
        assert response.location == "/", next_path


async def test_a_bad_address_is_a_400_with_the_form_kept(client):
    response = await client.post("/auth/email", {"email": "not an address<script>"})
    assert response.code == 400
    assert "valid e-mail address" in response.text
    assert "not an address&lt;script&gt;" in response.text


async def test_sign_in_links_are_rate_limited_per_address(client, outbox):
    for _ in range(5):
        assert (await client.post("/auth/email", {"email": "ada@example.com"})).code == 200
    response = await client.post("/auth/email", {"email": "ada@example.com"})
    assert response.code == 429
    assert "Too many sign-in links" in response.text
    assert len(await outbox.wait_for(5)) == 5


async def test_sign_in_links_are_rate_limited_per_client_ip(client):
    for n in range(20):
        assert (await client.post("/auth/email", {"email": f"p{n}@example.com"})).code == 200
    assert (await client.post("/auth/email", {"email": "p99@example.com"})).code == 429


async def test_a_post_without_xsrf_is_refused(client, outbox):
    response = await client.post("/auth/email", {"email": "ada@example.com"}, xsrf=False)
    assert response.code == 403
    assert outbox.messages() == []


async def test_the_session_cookie_is_httponly_lax_and_signed(client, outbox):
    response = await sign_in(client, outbox)
    cookie = next(c for c in response.headers.get_list("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # site_url is http in tests
    client.cookies["session"] = client.cookies["session"][:-2] + "00"
    assert "Sign out" not in (await client.get("/")).text


async def test_sign_out(signed_in):
    response = await signed_in.post("/logout")
    assert response.code == 303
    assert "session" not in signed_in.cookies
    assert "Sign in" in (await signed_in.get("/")).text
