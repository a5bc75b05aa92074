"""GitHub's comments go through our spam score and limits (issue 22, item 7): held ones stay out of view, a
gist brings at most github_comments_per_gist of them, a longer one than github_comment_chars is a link."""

import dataclasses

import pytest

from tests.client import Client
from tests.discussion import HELLO, person, submit  # noqa: F401 - a fixture
from tests.moderation import ADMIN
from tests.test_github_comments import GIST_ON_GITHUB, comments_calls, thread_order
from tests.test_revisions import refresh
from tests.test_spam import SPAM
from tornadogists.config import ConfigError, load_settings


async def anonymously(settings, path: str = f"/gists/{HELLO}") -> str:
    anonymous = Client(settings.site_url)
    try:
        return (await anonymous.get(path)).text
    finally:
        anonymous.close()


async def test_a_link_stuffed_github_comment_is_held_for_review(signed_in, person, fake_github, settings, db):
    held = fake_github.add_comment(HELLO, SPAM, login="spammer")
    fake_github.add_comment(HELLO, "An ordinary remark", login="hubot")
    await submit(signed_in)
    stored = await db.comments.find_one({"github.id": held["id"]})
    assert stored["hidden"] == ["held"]
    assert "watches.example" not in await anonymously(settings)
    assert "watches.example" not in await anonymously(settings, "/feeds/comments.atom")
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 1
    [entry] = await db.moderation_log.find({"action": "hold"}).to_list()
    assert entry["by"] is None and "85% of the text is links" in entry["reason"]
    admin = await person(ADMIN)
    assert f'value="comment:{stored["_id"]}"' in (await admin.get("/admin/held")).text
    response = await admin.post("/admin/held", {"item": f"comment:{stored['_id']}", "action": "publish"})
    assert response.code == 303
    assert "watches.example/a" in await anonymously(settings)
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 2
    assert await db.notifications.count_documents({}) == 0   # GitHub's comments bring no e-mails


async def test_a_github_comment_edited_into_spam_is_held_and_leaves_the_count(signed_in, fake_github, settings, db):
    first = fake_github.add_comment(HELLO, "A harmless first version", login="hubot")
    await submit(signed_in)
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 1
    fake_github.edit_comment(HELLO, first["id"], SPAM)
    await refresh(signed_in, db)
    assert (await db.comments.find_one({"github.id": first["id"]}))["hidden"] == ["held"]
    assert "watches.example" not in await anonymously(settings)
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 0


async def test_a_github_comment_past_the_length_cap_is_a_note_linking_to_it(signed_in, fake_github, settings, db):
    long = fake_github.add_comment(HELLO, "word " * 13_000, login="hubot")   # 65,000 characters, under GitHub's 65,536
    await submit(signed_in)
    stored = await db.comments.find_one({"github.id": long["id"]})
    assert len(stored["body"]) < 300 and "65,000 characters long, more than the 20,000" in stored["body"]
    assert f'<a href="{GIST_ON_GITHUB}#gistcomment-{long["id"]}" rel="nofollow ugc noopener">read it on GitHub</a>' \
        in stored["html"]
    assert "read it on GitHub" in await anonymously(settings)


class TestPerGistCap:
    @pytest.fixture
    def settings(self, settings):
        return dataclasses.replace(settings, github_comments_per_gist=3)

    async def test_a_gist_brings_at_most_the_cap_of_its_oldest_github_comments(self, signed_in, fake_github, db):
        for n in range(5):
            fake_github.add_comment(HELLO, f"Remark {n}", at=f"2024-03-0{n + 1}T10:00:00Z")
        await submit(signed_in)
        assert thread_order((await signed_in.get(f"/gists/{HELLO}")).text) == ["Remark 0", "Remark 1", "Remark 2"]
        assert await db.comments.count_documents({"github.id": {"$exists": True}}) == 3
        assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 3
        fake_github.add_comment(HELLO, "Remark 5")
        await refresh(signed_in, db)
        assert await db.comments.count_documents({"github.id": {"$exists": True}}) == 3

    async def test_only_the_pages_holding_the_cap_are_fetched_and_deletions_still_arrive(
            self, signed_in, fake_github, db):
        first = [fake_github.add_comment(HELLO, f"Remark {n}") for n in range(250)][0]
        await submit(signed_in)   # a cap of 3: one page of 100, not three
        assert [call.arguments["page"] for call in comments_calls(fake_github)] == [[b"1"]]
        fake_github.delete_comment(HELLO, first["id"])
        await refresh(signed_in, db)
        assert (await db.comments.find_one({"github.id": first["id"]}))["deleted"] is True
        assert thread_order((await signed_in.get(f"/gists/{HELLO}")).text)[-3:] == ["Remark 1", "Remark 2", "Remark 3"]


def test_the_github_comment_caps_are_settings_with_checked_values():
    settings = load_settings(["--github_comments_per_gist=50", "--github_comment_chars=1000"], environ={},
                             config_file="/nonexistent")
    assert (settings.github_comments_per_gist, settings.github_comment_chars) == (50, 1000)
    defaults = load_settings([], environ={}, config_file="/nonexistent")
    assert (defaults.github_comments_per_gist, defaults.github_comment_chars) == (500, 20_000)
    for bad in ("--github_comments_per_gist=0", "--github_comment_chars=-1"):
        with pytest.raises(ConfigError):
            load_settings([bad], environ={}, config_file="/nonexistent")
