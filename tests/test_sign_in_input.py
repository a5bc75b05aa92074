"""Hostile sign-in input: `next` with control characters, handles run out, odd addresses, lockouts."""

import re

import pytest

from tests.client import Client
from tests.conftest import sign_in, sign_in_with_github
from tests.crafted import make_user

# Tornado's get_argument already drops most of C0, not \x0b, \x0c nor DEL (the audit's three);
# then C1 (NEL, CSI) and invisible ones: a bidi override, a line separator, a zero-width space.
CONTROL_NEXTS = ["/a\x0bb", "/a\x0cb", "/a\x7fb", "/a\x85b", "/a\x9bb", "/a\u202eb", "/a\u2028b", "/a\u200bb"]


@pytest.fixture
def settings(settings, fake_github):
    return fake_github.with_oauth_app(settings)


@pytest.mark.parametrize("next_path", CONTROL_NEXTS)
async def test_a_next_with_a_control_character_lands_on_the_home_page_by_email(client, outbox, next_path):
    response = await sign_in(client, outbox, "ada@example.com", next_path)   # was a 500, token used
    assert response.code == 303 and response.location == "/"
    assert "Sign out" in (await client.get("/")).text


@pytest.mark.parametrize("next_path", CONTROL_NEXTS)
async def test_a_next_with_a_control_character_lands_on_the_home_page_by_github(client, next_path):
    response = await sign_in_with_github(client, next_path)
    assert response.code == 303 and response.location == "/"
    assert "Sign out" in (await client.get("/")).text


async def test_the_exact_audit_request_by_email(client, outbox):
    """The body as the audit sent it: `next=/a%0Bb`."""
    body = f"email=ada%40example.com&next=/a%0Bb&_xsrf={await client.xsrf()}"
    response = await client.request("POST", "/auth/email", body=body,
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.code == 200
    link = await outbox.last_link()
    response = await client.post(link.removeprefix(client.base_url))
    assert response.code == 303 and response.location == "/"


async def test_the_exact_audit_request_by_github(client):
    start = await client.get("/auth/github?next=/a%0Bb")
    assert start.code == 302
    answer = await client.http.fetch(start.location, follow_redirects=False, raise_error=False)
    response = await client.get(answer.headers["Location"].removeprefix(client.base_url))
    assert response.code == 303 and response.location == "/"


async def test_ordinary_nexts_still_lead_back(client, outbox):
    for next_path, location in [("/gists/new", "/gists/new"), ("/tags/caf%C3%A9?page=2", "/tags/caf%C3%A9?page=2"),
                                ("/search?q=a+b#results", "/search?q=a+b#results"),
                                ("/tags/café", "/tags/caf%C3%A9")]:   # a Location header is ASCII
        assert (await sign_in(client, outbox, "ada@example.com", next_path)).location == location
        assert (await sign_in_with_github(client, next_path)).location == location
        await client.post("/logout")
    assert (await sign_in(client, outbox, "bob@example.com", "/" + "x" * 3000)).location == "/"


async def test_a_first_sign_in_finds_a_handle_when_the_numbered_ones_are_taken(client, outbox, db, fake_github):
    await make_user(db, "dora")
    for n in range(2, 52):
        await make_user(db, f"dora-{n}")
    await sign_in(client, outbox, "dora@example.org")   # was RuntimeError: no free handle
    dora = await db.users.find_one({"email": "dora@example.org"})
    assert re.fullmatch(r"dora-[0-9a-f]{6}", dora["handle"])
    assert (await client.get(f"/users/{dora['handle']}")).code == 200
    await client.post("/logout")
    fake_github.set_user(login="dora", id=77, email=None)
    assert (await sign_in_with_github(client)).code == 303
    assert re.fullmatch(r"dora-[0-9a-f]{6}", (await db.users.find_one({"github.id": 77}))["handle"])


@pytest.mark.parametrize("email", ['"x"@example.org', "x@example.org.", "x@example.org,", "x@[127.0.0.1]",
                                   "ü@example.org", "x\x0by@example.org", "x@localhost", "x" * 2000 + "@example.org"])
async def test_an_address_the_validator_refuses_is_a_400_and_sends_nothing(client, outbox, db, email):
    response = await client.post("/auth/email", {"email": email})
    assert response.code == 400 and "valid e-mail address" in response.text
    assert outbox.messages() == [] and await db.sign_in_tokens.count_documents({}) == 0


async def test_spellings_of_one_address_share_its_limit(client, outbox):
    """A non-ASCII domain is kept in punycode, so each spelling of it is one address."""
    spellings = ["X@Bücher.Example", "x@xn--bcher-kva.example", "x@BÜCHER.example", "x@ｂücher.example",
                 " x@bücher.example "]
    for email in spellings:
        assert (await client.post("/auth/email", {"email": email})).code == 200, email
    assert (await client.post("/auth/email", {"email": "x@bücher.example"})).code == 429
    assert {m["To"] for m in await outbox.wait_for(5)} == {"x@xn--bcher-kva.example"}


async def test_a_stranger_cannot_lock_the_owner_out(client, outbox, settings):
    """Five links for ada from the attacker's address, then ada asks from her own: she gets hers."""
    ada = Client(settings.site_url)
    try:
        for _ in range(5):
            assert (await client.post("/auth/email", {"email": "ada@example.com"})).code == 200
        assert (await client.post("/auth/email", {"email": "ada@example.com"})).code == 429
        response = await ada.post("/auth/email", {"email": "ada@example.com"}, network_interface="127.0.0.2")
        assert response.code == 200
        assert len(await outbox.wait_for(6)) == 6
    finally:
        ada.close()


async def test_an_address_gets_at_most_twenty_links_an_hour_from_everyone(client, outbox, settings):
    clients = [Client(settings.site_url) for _ in range(5)]
    try:
        for n, other in enumerate(clients):
            for _ in range(4):
                response = await other.post("/auth/email", {"email": "ada@example.com"},
                                            network_interface=f"127.0.0.{n + 2}")
                assert response.code == 200
        response = await client.post("/auth/email", {"email": "ada@example.com"})
        assert response.code == 429 and "for this address" in response.text
    finally:
        for other in clients:
            other.close()
