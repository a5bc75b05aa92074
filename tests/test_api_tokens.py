"""Personal API tokens on the account pages, and the two writes they allow: the forms' rules, never cookies."""

import hashlib
import json

from bson import ObjectId

from tests.api_calls import api_post, make_token
from tests.client import Client
from tests.discussion import HELLO, person, post, submit  # noqa: F401 - a fixture

OTHER = "bb6b426e72bf0549c29e"


async def test_a_token_is_shown_once_stored_hashed_and_listed_by_name(signed_in, db):
    token = await make_token(signed_in, "blog sync")
    stored = await db.api_tokens.find_one()
    assert stored["hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(stored, default=str)
    assert stored["name"] == "blog sync" and stored["last_used_at"] is None
    listing = await signed_in.get("/account/tokens")
    assert "blog sync" in listing.text and f"…{token[-4:]}" in listing.text and token not in listing.text
    assert "never used" in listing.text and listing.headers["Cache-Control"] == "private, no-store"
    assert 'href="/account/tokens"' in (await signed_in.get("/account")).text


async def test_a_token_submits_a_gist_and_comments_with_no_xsrf_and_notes_its_use(signed_in, settings, db):
    token = await make_token(signed_in)
    program = Client(settings.site_url)   # no cookies at all: a script on someone's machine
    created = await api_post(program, "/api/v1/gists", {"url": f"https://gist.github.com/octocat/{HELLO}",
                                                        "tags": ["python", "demo"], "intro": "Look *here*"}, token)
    assert created.code == 201, created.text
    assert created.headers["Location"] == f"{settings.site_url}/api/v1/gists/{HELLO}"
    gist = created.json()
    assert gist["tags"] == ["python", "demo"] and "<em>here</em>" in gist["intro_html"]
    assert gist["submitter"]["handle"] == "ada" and gist["files"]
    again = await api_post(program, "/api/v1/gists", {"url": HELLO}, token)
    assert again.code == 201 and again.json()["id"] == HELLO and await db.gists.count_documents({}) == 1
    said = await api_post(program, f"/api/v1/gists/{HELLO}/comments", {"body": "On **line 3**",
                                                                       "file": "hello.py", "line": 3}, token)
    assert said.code == 201, said.text
    remark = said.json()
    assert remark["author"]["handle"] == "ada" and (remark["file"], remark["line"]) == ("hello.py", 3)
    reply = await api_post(program, f"/api/v1/gists/{HELLO}/comments", {"body": "Yes", "parent": remark["id"]}, token)
    assert reply.code == 201 and reply.json()["parent"] == remark["id"]
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert f'id="comment-{remark["id"]}"' in page and "<strong>line 3</strong>" in page
    assert (await db.api_tokens.find_one())["last_used_at"] is not None
    assert "never used" not in (await signed_in.get("/account/tokens")).text


async def test_cookies_never_authorise_an_api_write(signed_in, db):
    xsrf = await signed_in.xsrf()
    as_form = await signed_in.post("/api/v1/gists", {"url": HELLO})   # session cookie and _xsrf field
    as_json = await api_post(signed_in, "/api/v1/gists", {"url": HELLO}, headers={"X-XSRFToken": xsrf})
    on_thread = await api_post(signed_in, f"/api/v1/gists/{HELLO}/comments", {"body": "hi"},
                               headers={"X-XSRFToken": xsrf})
    for response in (as_form, as_json, on_thread):
        assert response.code == 401 and response.json()["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert await db.gists.count_documents({}) == 0


async def test_an_unknown_or_revoked_token_gets_a_401_and_only_its_owner_revokes_it(signed_in, person, settings, db):
    token = await make_token(signed_in)
    program = Client(settings.site_url)
    made_up = await api_post(program, "/api/v1/gists", {"url": HELLO}, "tgp_" + "x" * 43)
    assert made_up.code == 401 and "not valid" in made_up.json()["error"]["message"]
    token_id = str((await db.api_tokens.find_one())["_id"])
    bob = await person("bob@example.com")
    assert (await bob.post(f"/account/tokens/{token_id}/revoke")).code == 404
    assert (await api_post(program, "/api/v1/gists", {"url": HELLO}, token)).code == 201
    revoked = await signed_in.post(f"/account/tokens/{token_id}/revoke")
    assert revoked.code == 303 and revoked.location == "/account/tokens?done=revoked"
    assert (await api_post(program, f"/api/v1/gists/{HELLO}/comments", {"body": "hi"}, token)).code == 401
    assert await db.api_tokens.count_documents({}) == 0


async def test_token_forms_need_xsrf_a_name_and_have_limits(signed_in, db):
    assert (await signed_in.post("/account/tokens", {"name": "x"}, xsrf=False)).code == 403
    for name, message in [("   ", "Give the token a name"), ("x" * 101, "at most 100 characters")]:
        refused = await signed_in.post("/account/tokens", {"name": name})
        assert refused.code == 400 and message in refused.text
    for n in range(20):
        await db.api_tokens.insert_one({"hash": f"h{n}", "user_id": (await db.users.find_one())["_id"],
                                        "name": f"t{n}", "hint": "abcd", "created_at": ObjectId().generation_time,
                                        "last_used_at": None})
    full = await signed_in.post("/account/tokens", {"name": "one more"})
    assert full.code == 400 and "revoke one first" in full.text
    await db.api_tokens.delete_many({})
    for n in range(19):
        await make_token(signed_in, f"t{n}")
    assert (await signed_in.post("/account/tokens", {"name": "too fast"})).code == 429


async def test_api_comments_share_the_forms_limit_and_double_submit_guard(signed_in, settings):
    await submit(signed_in)
    token = await make_token(signed_in)
    program = Client(settings.site_url)
    first = await api_post(program, f"/api/v1/gists/{HELLO}/comments", {"body": "same"}, token)
    twice = await api_post(program, f"/api/v1/gists/{HELLO}/comments", {"body": "same"}, token)
    assert twice.code == 201 and twice.json()["id"] == first.json()["id"]   # a resent request: one comment
    for n in range(9):
        assert (await post(signed_in, f"form comment {n}")).code == 303
    over = await api_post(program, f"/api/v1/gists/{HELLO}/comments", {"body": "eleventh"}, token)
    assert over.code == 429 and "at most 10 comments a minute" in over.json()["error"]["message"]


async def test_bad_bodies_get_a_clear_4xx(signed_in, settings):
    await submit(signed_in)
    token = await make_token(signed_in)
    program = Client(settings.site_url)
    comments = f"/api/v1/gists/{HELLO}/comments"
    cases = [
        ("/api/v1/gists", b"{not json", 400, "not valid JSON"),
        ("/api/v1/gists", b"[" * 100_000, 400, "not valid JSON"),
        ("/api/v1/gists", b"1" * 5000, 400, "not valid JSON"),
        ("/api/v1/gists", [HELLO], 400, "must be a JSON object"),
        ("/api/v1/gists", {}, 400, "“url” is required"),
        ("/api/v1/gists", {"url": HELLO, "tag": ["x"]}, 400, "Unknown field “tag”"),
        ("/api/v1/gists", {"url": 5}, 400, "“url” must be a string"),
        ("/api/v1/gists", {"url": HELLO, "tags": ["Not A Tag"]}, 400, "“tags” is not valid"),
        ("/api/v1/gists", {"url": HELLO, "tags": list("abcdefghi")}, 400, "at most 8 items"),
        ("/api/v1/gists", {"url": "https://example.com/x"}, 422, "Paste a gist URL"),
        ("/api/v1/gists", {"url": "f" * 20}, 404, "no such public gist"),
        (comments, {"body": True}, 400, "“body” must be a string"),
        (comments, {"body": "x", "line": "3"}, 400, "“line” must be a whole number or null"),
        (comments, {"body": "x", "line": 0}, 400, "“line” must be from 1"),
        (comments, {"body": "   "}, 422, "the comment is empty"),
        (comments, {"body": "x", "parent": "0" * 24}, 422, "not part of this discussion"),
        (comments, {"body": "x", "file": "hello.py", "line": 999}, 422, "there is no line 999"),
        (comments, {"body": "x", "file": "nope.py", "line": 1}, 422, "no file named"),
        (f"/api/v1/gists/{OTHER}/comments", {"body": "x"}, 404, "No gist with this id"),
    ]
    for path, data, status, message in cases:
        response = await api_post(program, path, data, token)
        assert response.code == status, (data, response.text)
        assert message.lower() in response.json()["error"]["message"].lower(), (data, response.text)
