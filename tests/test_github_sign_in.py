"""GitHub sign-in: the OAuth round trip with `state`, its failures, and one account per person."""

import dataclasses
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import tornado.web

from tests.client import Client
from tests.conftest import github_callback, sign_in, sign_in_with_github
from tests.html_checks import active_content
from tornadogists.services import utc_now
from tornadogists.services.accounts import AccountService
from tornadogists.storage import Storage


@pytest.fixture
def github_app():
    return True  # a test turns GitHub sign-in off with @pytest.mark.parametrize("github_app", [False])


@pytest.fixture
def settings(settings, fake_github, github_app):
    return fake_github.with_oauth_app(settings) if github_app else settings


def query(url: str) -> dict:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def with_query(path: str, **changes) -> str:
    """The callback path with some of its parameters changed (None: removed)."""
    args = query(path) | changes
    return urlsplit(path).path + "?" + "&".join(f"{k}={v}" for k, v in args.items() if v is not None)


async def assert_refused(response, client, status: int, message: str):
    assert response.code == status, response.text
    assert message in response.text
    assert "Sign in with GitHub" in response.text  # the sign-in page, to try again
    assert "session" not in client.cookies
    assert "Sign out" not in (await client.get("/")).text


async def test_signing_in_with_github_creates_an_account_named_after_the_login(client, db, fake_github):
    fake_github.set_user(login="OctoCat", id=583231, name="The  Octocat", email="Octo@Example.com")
    response = await sign_in_with_github(client, "/gists/new")
    assert response.code == 303, response.text
    assert response.location == "/gists/new"
    user = await db.users.find_one()
    assert user["handle"] == "octocat"
    assert user["github"] == {"id": 583231, "login": "OctoCat", "html_url": "https://github.com/OctoCat"}
    assert user["avatar_url"] == f"{fake_github.base_url}/avatars/u/583231?v=4"
    assert user["email"] == "octo@example.com"
    assert user["display_name"] == "The Octocat"
    assert user["is_admin"] is False
    home = await client.get("/")
    assert f'src="{user["avatar_url"]}"' in home.text and "Sign out" in home.text


async def test_github_receives_what_it_expects_and_the_token_is_not_kept(client, db, fake_github, settings):
    await sign_in_with_github(client)
    [authorize] = fake_github.requests_to("/login/oauth/authorize")
    assert authorize.query_arguments["client_id"] == [b"fake-client-id"]
    assert authorize.query_arguments["redirect_uri"] == [f"{settings.site_url}/auth/github/callback".encode()]
    assert authorize.query_arguments["scope"] == [b"read:user user:email"]
    assert len(authorize.query_arguments["state"][0]) >= 32
    [exchange] = fake_github.requests_to("/login/oauth/access_token")
    assert exchange.method == "POST" and exchange.query == ""
    assert exchange.headers["Accept"] == "application/json"
    assert exchange.body_arguments["client_secret"] == [b"fake-client-secret"]
    [token] = fake_github.tokens
    for request in fake_github.requests_to("/user"):
        assert request.headers["Authorization"] == f"Bearer {token}"
        assert request.query == ""
    assert len(fake_github.requests_to("/user")) == 2  # /user and /user/emails
    for collection in ("users", "sign_in_tokens", "rate_limits"):
        assert token not in str(await db[collection].find().to_list())


async def test_the_state_cookie_is_signed_httponly_and_lives_ten_minutes(client):
    start = await client.get("/auth/github")
    [cookie] = [c for c in start.headers.get_list("Set-Cookie") if c.startswith("github_state=")]
    assert "Max-Age=600" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/auth/github" in cookie
    state = query(start.location)["state"]
    assert state not in cookie.split(";")[0].split("|")  # signed and encoded, not bare


async def test_a_missing_state_is_refused_before_the_code_is_used(client, fake_github):
    callback = await github_callback(client)
    response = await client.get(with_query(callback, state=None))
    await assert_refused(response, client, 400, "did not start in this browser")
    assert fake_github.requests_to("/login/oauth/access_token") == []


async def test_a_wrong_state_is_refused(client, fake_github):
    callback = await github_callback(client)
    for state in ("x" + query(callback)["state"][1:], "caf\u00e9", ""):
        await github_callback(client)  # a fresh state cookie each time
        response = await client.get(with_query(callback, state=state))
        await assert_refused(response, client, 400, "did not start in this browser")
    assert fake_github.requests_to("/login/oauth/access_token") == []


async def test_a_callback_in_another_browser_is_refused(client, settings):
    callback = await github_callback(client)
    other = Client(settings.site_url)
    try:
        await assert_refused(await other.get(callback), other, 400, "did not start in this browser")
    finally:
        other.close()


async def test_a_state_works_once(client):
    callback = await github_callback(client)
    assert (await client.get(callback)).code == 303
    await client.post("/logout")
    await assert_refused(await client.get(callback), client, 400, "did not start in this browser")


async def test_a_state_older_than_ten_minutes_is_refused(client, settings):
    callback = await github_callback(client)
    state = query(callback)["state"]
    eleven_minutes_ago = time.time() - 11 * 60
    client.cookies["github_state"] = tornado.web.create_signed_value(
        settings.cookie_secret, "github_state", f"{state} /", clock=lambda: eleven_minutes_ago).decode()
    await assert_refused(await client.get(callback), client, 400, "expired")


async def test_declining_on_github_lands_on_the_sign_in_page(client, fake_github):
    fake_github.declines = True
    callback = await github_callback(client, "/gists/new")
    assert query(callback)["error"] == "access_denied"
    response = await client.get(callback)
    await assert_refused(response, client, 400, "You cancelled signing in with GitHub")
    assert 'name="next" value="/gists/new"' in response.text


async def test_a_bad_or_used_code_is_refused(client, fake_github):
    callback = await github_callback(client)
    response = await client.get(with_query(callback, code="not-a-code"))
    await assert_refused(response, client, 400, "GitHub did not accept this sign-in")

    used = await github_callback(client)
    assert (await client.get(used)).code == 303
    await client.post("/logout")
    fresh = await github_callback(client)  # a new state, the old code
    response = await client.get(with_query(fresh, code=query(used)["code"]))
    await assert_refused(response, client, 400, "GitHub did not accept this sign-in")


@pytest.mark.parametrize("path", ["/login/oauth/access_token", "/user", "/user/emails"])
@pytest.mark.parametrize("answer", [
    (500, {}, {"message": "Server Error"}),
    (200, {"Content-Type": "application/json"}, "{not json"),
    (200, {"Content-Type": "application/json"}, {"unexpected": "shape"}),
    (401, {}, {"message": "Bad credentials"}),
], ids=["500", "invalid-json", "wrong-shape", "401"])
async def test_github_failing_or_answering_garbage_is_a_502_with_a_message(client, fake_github, db,
                                                                           path, answer):
    fake_github.failures[path] = answer
    await assert_refused(await sign_in_with_github(client), client, 502, "GitHub is unreachable")
    assert await db.users.count_documents({}) == 0


async def test_a_wrong_client_secret_is_a_502_and_no_session(client, fake_github):
    fake_github.client_secret = "rotated-on-github"
    await assert_refused(await sign_in_with_github(client), client, 502, "GitHub is unreachable")
    assert fake_github.tokens == set()


async def test_github_down_is_a_502_with_a_message(client, fake_github):
    callback = await github_callback(client)
    fake_github.stop()
    await assert_refused(await client.get(callback), client, 502, "GitHub is unreachable")


async def test_a_verified_primary_email_signs_into_the_existing_account(client, outbox, db, fake_github):
    await sign_in(client, outbox, "mona@example.com")
    await client.post("/logout")
    before = await db.users.find_one()
    fake_github.set_user(login="monalisa", id=1, email="Mona@example.com")
    assert (await sign_in_with_github(client)).code == 303
    [after] = await db.users.find().to_list()
    assert after["_id"] == before["_id"] and after["handle"] == "mona"
    assert after["github"]["login"] == "monalisa"
    assert "mona" in (await client.get("/")).text


async def test_an_unverified_email_links_nothing(client, outbox, db, fake_github):
    await sign_in(client, outbox, "mona@example.com")
    await client.post("/logout")
    fake_github.set_user(login="mona", id=1, email="mona@example.com", verified=False)
    assert (await sign_in_with_github(client)).code == 303
    mona, github_mona = await db.users.find().sort("created_at", 1).to_list()
    assert "github" not in mona
    assert github_mona["handle"] == "mona-2" and "email" not in github_mona


async def test_a_taken_handle_gets_a_numeric_suffix(client, outbox, db, fake_github):
    await sign_in(client, outbox, "octocat@elsewhere.example")
    await client.post("/logout")
    fake_github.set_user(login="octocat", id=2, email="octocat@example.com")
    assert (await sign_in_with_github(client)).code == 303
    assert (await db.users.find_one({"github.id": 2}))["handle"] == "octocat-2"


async def test_a_renamed_github_login_finds_the_same_account(client, db, fake_github):
    fake_github.set_user(login="octocat", id=583231)
    await sign_in_with_github(client)
    await client.post("/logout")
    fake_github.set_user(login="octo-renamed", id=583231,
                         avatar_url="https://avatars.githubusercontent.com/u/583231?v=5")
    assert (await sign_in_with_github(client)).code == 303
    [user] = await db.users.find().to_list()
    assert user["handle"] == "octocat"  # ours; only GitHub's login changed
    assert user["github"]["login"] == "octo-renamed"
    assert user["github"]["html_url"] == "https://github.com/octo-renamed"
    assert user["avatar_url"] == "https://avatars.githubusercontent.com/u/583231?v=5"


async def test_a_github_name_and_urls_are_stored_safely(client, db, fake_github):
    user = fake_github.set_user(login="mallory", id=9, name="<script>alert(1)</script>\u202e\x00")
    user["avatar_url"], user["html_url"] = "javascript:alert(1)", "data:text/html,x"
    await sign_in_with_github(client)
    stored = await db.users.find_one()
    assert "avatar_url" not in stored  # the generated avatar is used
    assert stored["github"]["html_url"] == f"{fake_github.base_url}/mallory"  # github_oauth_url/login
    assert stored["display_name"] == "<script>alert(1)</script>"
    assert active_content((await client.get("/account")).text) == []


async def test_an_off_site_next_is_ignored(client):
    for next_path in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        response = await sign_in_with_github(client, next_path)
        assert response.code == 303 and response.location == "/", next_path
        await client.post("/logout")


async def test_admins_are_named_by_github_login_or_email_on_every_sign_in(site, settings):
    def accounts(admins: str) -> AccountService:
        return AccountService(Storage(site.db), None, dataclasses.replace(settings, admins=admins), utc_now)

    hubot = {"id": 7, "login": "Hubot", "name": "", "avatar_url": None, "html_url": None, "email": None}
    assert (await accounts("hubot, boss@example.com").for_github(hubot))["is_admin"] is True
    assert (await accounts("hubot, boss@example.com").for_email("boss@example.com"))["is_admin"] is True
    # Off the list: no longer an admin from the next sign-in on.
    assert (await accounts("boss@example.com").for_github(hubot))["is_admin"] is False
    assert (await accounts("").for_email("boss@example.com"))["is_admin"] is False


async def test_an_admin_email_makes_an_admin_when_signing_in_by_email(client, outbox, db):
    await sign_in(client, outbox, "Admin@Example.com")
    assert (await db.users.find_one())["is_admin"] is True


async def test_the_sign_in_page_offers_github_when_configured(client):
    page = await client.get("/login?next=/gists/new")
    assert 'href="/auth/github?next=%2Fgists%2Fnew"' in page.text


@pytest.mark.parametrize("github_app", [False])
async def test_without_a_github_app_the_routes_are_404_and_the_button_hidden(client, outbox):
    assert (await client.get("/auth/github")).code == 404
    assert (await client.get("/auth/github/callback?code=x&state=y")).code == 404
    page = await client.get("/login")
    assert "Sign in with GitHub" not in page.text and "E-mail me a sign-in link" in page.text
    await sign_in(client, outbox)  # e-mail sign-in still works
