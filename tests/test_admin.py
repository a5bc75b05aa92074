"""The admin area: invisible to anyone but admins, the dashboard, the report queue, gists and the log."""

import re

from urllib.parse import quote_plus

from bson import ObjectId
from tornado.escape import xhtml_escape

from tests.client import Client
from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.moderation import ADMIN, established, people, report_all

def as_if_at(page: str, path: str) -> str:
    """The page with its own address (in links back to it, og:url without its query) and its form token
    (new on each page) taken out."""
    page = re.sub(r'name="_xsrf" value="[^"]*"', "", page)
    page = re.sub(rf'content="https?://[^/"]+{re.escape(path.split("?")[0])}"', 'content="ADDRESS"', page)
    return page.replace(quote_plus(path), "PATH").replace(xhtml_escape(path), "PATH")


PAGES = ["/admin", "/admin/reports", "/admin/held", "/admin/people", "/admin/people?q=ada",
         f"/admin/gists/{HELLO}", "/admin/log", "/admin/hosts"]
FORMS = {"/admin/reports": {"item": f"gist:{HELLO}", "action": "keep"},
         "/admin/held": {"item": f"gist:{HELLO}", "action": "publish"},
         "/admin/people": {"user": "0123456789abcdef01234567", "action": "ban", "reason": "spam"},
         f"/admin/gists/{HELLO}": {"action": "hide", "reason": "test"},
         "/admin/hosts": {"action": "add", "host": "spam.example"}}


async def test_the_admin_area_is_a_404_for_anyone_but_admins_and_every_post_needs_the_form_token(
        signed_in, person, settings, db):
    await submit(signed_in)
    admin, anonymous = await person(ADMIN), Client(settings.site_url)
    for client in (anonymous, signed_in):
        missing = (await client.get("/nothing-here")).text
        for path in PAGES:   # the site's own 404, as for any address that does not exist
            response = await client.get(path)
            assert response.code == 404, path
            assert as_if_at(response.text, path) == as_if_at(missing, "/nothing-here"), path
        for path, form in FORMS.items():
            assert (await client.post(path, form)).code == 404, path
    for path in PAGES:
        response = await admin.get(path)
        assert response.code == 200, (path, response.text)
        assert "noindex" in response.text
    for path, form in FORMS.items():
        assert (await admin.post(path, form, xsrf=False)).code == 403, path
    assert await db.moderation_log.count_documents({}) == 0
    assert (await db.gists.find_one({"gist_id": HELLO})).get("hidden") == []
    anonymous.close()


async def test_the_dashboard_counts_and_draws_the_last_30_days(signed_in, person, db):
    await submit(signed_in)
    admin, bob, reporters = await person(ADMIN), await person("bob@example.com"), await people(person, 1)
    await comment(bob, "One")
    await comment(bob, "Two")
    await report_all(reporters)
    page = (await admin.get("/admin")).text
    stats = dict((label.strip(), int(n)) for n, label in re.findall(
        r'<span class="stat">(\d+)</span>\s*([a-z ]+)', page))
    assert stats["gists"] == 1 and stats["comments"] == 2 and stats["people"] == 4
    assert stats["reported items"] == 1 and stats["held for review"] == 0
    assert re.search(r'<span class="stat">\d+</span> GitHub calls left of \d+', page)
    assert '<span class="stat">ok</span> database' in page
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert 'role="img"' in svg and svg.count("<title>") == 60   # 30 days, two bars each
    today = re.findall(r"<title>(\d{4}-\d\d-\d\d): 2 comments</title>", svg)
    assert len(today) == 1 and f"<title>{today[0]}: 4 sign-ups</title>" in svg
    assert "<script" not in svg and "style=" not in svg


async def test_the_dashboard_is_kept_a_few_seconds_and_a_gist_written_here_shows_at_once(signed_in, person, db):
    admin = await person(ADMIN)

    def people(page) -> int:
        return int(re.search(r'<span class="stat">(\d+)</span>\s*people', page.text).group(1))
    before = people(await admin.get("/admin"))
    await db.users.insert_one({"handle": "elsewhere", "email": "elsewhere@example.com"})   # another process
    assert people(await admin.get("/admin")) == before
    await submit(signed_in)   # a write to gists in this one
    assert people(await admin.get("/admin")) == before + 1


async def test_keep_clears_the_reports_and_shows_the_item_again(signed_in, person, settings, db):
    await submit(signed_in)
    admin, bob, reporters = await person(ADMIN), await person("bob@example.com"), await established(db, settings, 3)
    cid = await comment(bob, "An honest comment")
    await report_all(reporters, comment_id=cid)
    queue = (await admin.get("/admin/reports")).text
    assert "3 reports" in queue and "An honest comment" in queue and f'value="comment:{cid}"' in queue
    response = await admin.post("/admin/reports", {"item": f"comment:{cid}", "action": "keep", "reason": "fine"})
    assert response.code == 303 and response.location == "/admin/reports"
    assert "No open reports." in (await admin.get("/admin/reports")).text
    assert (await db.comments.find_one({"_id": ObjectId(cid)}))["hidden"] == []
    assert {doc["state"] for doc in await db.reports.find().to_list()} == {"kept"}
    anonymous = Client(settings.site_url)
    assert "An honest comment" in (await anonymous.get(f"/gists/{HELLO}")).text
    anonymous.close()
    # A report made again by the same people stays closed: kept is kept.
    await report_all(reporters, comment_id=cid)
    assert (await db.comments.find_one({"_id": ObjectId(cid)}))["hidden"] == []


async def test_remove_deletes_the_reported_comment(signed_in, person, settings, db):
    await submit(signed_in)
    admin, bob, reporters = await person(ADMIN), await person("bob@example.com"), await established(db, settings, 3)
    cid = await comment(bob, "Spam spam spam")
    await report_all(reporters, comment_id=cid)
    response = await admin.post("/admin/reports", {"item": f"comment:{cid}", "action": "remove", "reason": "spam"})
    assert response.code == 303
    stored = await db.comments.find_one({"_id": ObjectId(cid)})
    assert stored["deleted"] and stored["body"] == ""
    assert {doc["state"] for doc in await db.reports.find().to_list()} == {"removed"}
    assert (await db.gists.find_one({"gist_id": HELLO})).get("comment_count", 0) == 0
    [entry] = await db.moderation_log.find({"action": "remove"}).to_list()
    assert entry["by"]["handle"] == "admin-user" and entry["reason"] == "spam" and entry["target"]["id"] == cid


async def test_an_admin_hides_shows_refetches_and_deletes_a_gist(signed_in, person, settings, db, fake_github):
    await submit(signed_in)
    admin, bob = await person(ADMIN), await person("bob@example.com")
    await comment(bob, "A comment that goes with the gist")
    anonymous = Client(settings.site_url)
    assert (await admin.post(f"/admin/gists/{HELLO}", {"action": "hide", "reason": "checking"})).code == 303
    assert (await anonymous.get(f"/gists/{HELLO}")).code == 404
    assert "hidden: admin" in (await admin.get(f"/admin/gists/{HELLO}")).text
    assert (await admin.post(f"/admin/gists/{HELLO}", {"action": "unhide", "reason": "fine"})).code == 303
    assert (await anonymous.get(f"/gists/{HELLO}")).code == 200
    calls = len(fake_github.requests_to(f"/gists/{HELLO}"))
    assert (await admin.post(f"/admin/gists/{HELLO}", {"action": "refetch"})).code == 303
    assert len(fake_github.requests_to(f"/gists/{HELLO}")) == calls + 1
    response = await admin.post(f"/admin/gists/{HELLO}", {"action": "delete", "reason": "malware"})
    assert response.code == 303
    assert (await anonymous.get(f"/gists/{HELLO}")).code == 404
    assert (await admin.get(f"/gists/{HELLO}")).code == 404
    assert HELLO not in (await anonymous.get("/")).text
    assert await db.comments.count_documents({"gist_id": HELLO}) == 0
    assert await db.gist_files.count_documents({"_id": HELLO}) == 0
    assert "Removed by admin-user" in (await admin.get(f"/admin/gists/{HELLO}")).text
    again = await bob.post("/gists", {"url": HELLO})
    assert again.code == 400 and "removed by the moderators" in again.text
    actions = [e["action"] for e in await db.moderation_log.find().sort("at", 1).to_list()]
    assert actions == ["hide", "unhide", "refetch", "remove"]
    anonymous.close()


async def test_the_log_says_who_did_what_when_and_why(signed_in, person, settings, db):
    await submit(signed_in)
    admin, bob, reporters = await person(ADMIN), await person("bob@example.com"), await established(db, settings, 3)
    cid = await comment(bob, "Reported comment")
    await report_all(reporters, comment_id=cid)
    await admin.post("/admin/reports", {"item": f"comment:{cid}", "action": "keep", "reason": "it is fine"})
    await admin.post("/admin/hosts", {"action": "add", "host": "https://Spam.Example/buy", "reason": "pills"})
    page = (await admin.get("/admin/log")).text
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    text = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert text[0].endswith("admin-user ban-host host spam.example pills")   # "admin" is a reserved handle
    assert "admin-user keep comment Reported comment it is fine" in text[1]
    assert "admin-user unhide (reports) comment Reported comment it is fine" in text[2]
    assert "the site hide (reports) comment Reported comment reported by 3 people" in text[3]
    assert all(re.search(r"just now|seconds? ago", row) for row in text)


async def test_bad_admin_input_gets_a_clear_message_and_a_4xx(signed_in, person):
    await submit(signed_in)
    admin = await person(ADMIN)
    cases = [
        ("/admin/reports", {"item": f"gist:{HELLO}", "action": "explode"}, 400, "Unknown action"),
        ("/admin/reports", {"item": "gist:ffffffffffffffffffff", "action": "keep"}, 404, "no such gist or comment"),
        ("/admin/reports", {"item": "nonsense", "action": "keep"}, 404, "no such gist or comment"),
        ("/admin/reports", {"item": f"gist:{HELLO}", "action": "ban"}, 400, "Say why"),
        ("/admin/reports", {"item": f"gist:{HELLO}", "action": "keep", "reason": "x" * 501}, 400, "too long"),
        ("/admin/people", {"user": "nonsense", "action": "ban", "reason": "r"}, 404, ""),
        ("/admin/people", {"user": "0123456789abcdef01234567", "action": "ban"}, 400, "Say why"),
        (f"/admin/gists/{HELLO}", {"action": "hide"}, 400, "Say why"),
        ("/admin/gists/ffffffffffffffffffff", {"action": "unhide"}, 404, ""),
        ("/admin/hosts", {"action": "add", "host": "not a host"}, 400, "Give a host name"),
        ("/admin/hosts", {"action": "remove", "host": "never.example"}, 404, "not on the list"),
    ]
    for path, form, status, message in cases:
        response = await admin.post(path, form)
        assert response.code == status and message in response.text, (path, form, response.code)
    assert (await admin.get("/admin/log?page=x")).code == 400
    assert (await admin.get("/admin/gists/ffffffffffffffffffff")).code == 404
    admin_user = (await admin.get("/admin/people?q=admin@")).text
    user_id = re.search(r'id="person-([0-9a-f]{24})"', admin_user).group(1)
    response = await admin.post("/admin/people", {"user": user_id, "action": "ban", "reason": "oops"})
    assert response.code == 400 and "Admins cannot be banned" in response.text
