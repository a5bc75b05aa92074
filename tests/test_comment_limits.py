"""Comment limits and integrity: the rate limit, the double-submit guard, an exact count under load."""

import asyncio
import datetime

from tests.discussion import HELLO, comment, comment_id, person, post, submit  # noqa: F401 - a fixture


async def test_at_most_ten_comments_a_minute_then_429_with_the_text_kept(signed_in, person, db):
    await submit(signed_in)
    for n in range(10):
        assert (await post(signed_in, f"comment {n}")).code == 303
    response = await post(signed_in, "the eleventh <b>one</b>", parent="", file="hello.py", line="4")
    assert response.code == 429
    assert "at most 10 comments a minute" in response.text
    assert "the eleventh &lt;b&gt;one&lt;/b&gt;</textarea>" in response.text
    assert 'value="4"' in response.text
    assert await db.comments.count_documents({}) == 10
    bob = await person("bob@example.com")
    assert (await post(bob, "someone else may still comment")).code == 303
    # The refused comment did not take its double-submit guard with it: once the minute
    # is over it goes through.
    await db.rate_limits.delete_many({})
    assert (await post(signed_in, "the eleventh <b>one</b>", file="hello.py", line="4")).code == 303


async def test_the_same_body_twice_within_ten_seconds_stores_one_comment(signed_in, person, db):
    await submit(signed_in)
    first = await post(signed_in, "double click")
    again = await post(signed_in, "double click")
    assert comment_id(first) == comment_id(again)
    at_once = await asyncio.gather(*[post(signed_in, "resent form") for _ in range(6)])
    assert len({comment_id(r) for r in at_once}) == 1
    assert await db.comments.count_documents({}) == 2
    # Not the same post: another reply target, another person, another text.
    parent = comment_id(first)
    await comment(signed_in, "double click", parent=parent)
    bob = await person("bob@example.com")
    await comment(bob, "double click")
    await comment(signed_in, "double click!")
    assert await db.comments.count_documents({}) == 5
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 5
    # Ten seconds later the same text is a new comment.
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    await db.submit_guards.update_many({}, {"$set": {"expires_at": past}})
    assert comment_id(await post(signed_in, "double click")) != parent
    assert await db.comments.count_documents({}) == 6


async def test_the_comment_count_stays_exact_under_fifty_concurrent_posts_and_racing_deletes(signed_in, person, db):
    await submit(signed_in)
    people = [signed_in] + [await person(f"p{n}@example.com") for n in range(4)]
    responses = await asyncio.gather(*[
        post(who, f"comment {n} by {i}") for i, who in enumerate(people) for n in range(10)
    ])
    assert [r.code for r in responses] == [303] * 50
    gist = await db.gists.find_one({"gist_id": HELLO})
    assert gist["comment_count"] == 50 == await db.comments.count_documents({"deleted": False})
    assert gist["last_comment_at"] is not None
    ids = [comment_id(r) for r in responses[:10]]   # ada's ten
    deletes = await asyncio.gather(*[
        signed_in.post(f"/gists/{HELLO}/comments/{cid}/delete") for cid in ids + ids
    ])
    assert sorted(r.code for r in deletes).count(303) >= 10
    visible = await db.comments.count_documents({"deleted": False})
    assert visible == 40 == (await db.gists.find_one({"gist_id": HELLO}))["comment_count"]
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert '<span class="count">40</span>' in page
