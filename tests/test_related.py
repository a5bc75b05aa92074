"""Related gists on a gist's page (issue 20): chosen by shared tags, language and words; kept fresh."""

import datetime
import re

from tests.crafted import client_for, days_ago, gist_id, make_gist, make_user
from tornadogists.text.ranking import most_similar

CARD_TITLE = re.compile(r'<h2><a href="/gists/([0-9a-f]+)">')


def related_on(html: str) -> list[str]:
    section = html.partition('<section class="related"')[2]
    return CARD_TITLE.findall(section.partition("</section>")[0]) if section else []


def test_tags_weigh_more_than_a_language_and_words_break_the_rest():
    when = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    def gist(n, description="", tags=(), languages=(), file_names="", days=0):
        return {"gist_id": str(n), "description": description, "tags": list(tags), "languages": list(languages),
                "file_names": file_names, "submitted_at": when - datetime.timedelta(days=days)}
    me = gist(0, "Async retry decorator", ["asyncio", "retry"], ["Python"], "retry.py")
    candidates = [
        gist(1, "Something else", languages=["Python"]),                            # a language: 1
        gist(2, "Retry with backoff", ["retry"], ["Go"], "backoff.go"),              # a tag + words
        gist(3, "Unrelated", languages=["Rust"]),                                    # nothing: left out
        gist(4, "Async retry decorator", [], ["Python"], "retry.py", days=3),        # same words + language
        gist(5, "Another python one", languages=["Python"], days=1),                 # as 1, older
        me,                                                                          # never itself
    ]
    assert [g["gist_id"] for g in most_similar(me, candidates, 5)] == ["4", "2", "1", "5"]
    assert [g["gist_id"] for g in most_similar(me, candidates, 2)] == ["4", "2"]


async def test_a_gist_page_shows_the_most_similar_gists_and_drops_one_hidden_later(db, client, settings):
    ada = await make_user(db, "ada")
    admin = await make_user(db, "root", is_admin=True)
    await make_gist(db, gist_id(1), ada, "Tornado websocket chat", tags=["tornado", "websocket"],
                    submitted_at=days_ago(5))
    await make_gist(db, gist_id(2), ada, "Websocket ping", tags=["websocket"], submitted_at=days_ago(4))
    await make_gist(db, gist_id(3), ada, "Tornado chat server", tags=["tornado", "websocket"], submitted_at=days_ago(3))
    await make_gist(db, gist_id(4), ada, "Plain", submitted_at=days_ago(2), languages=["Go"])
    for n in range(5, 12):   # more of the same language than are shown
        await make_gist(db, gist_id(n), ada, f"python thing {n}", submitted_at=days_ago(1))
    page = await client.get(f"/gists/{gist_id(1)}")
    shown = related_on(page.text)
    assert shown[:2] == [gist_id(3), gist_id(2)] and len(shown) == 5
    assert gist_id(1) not in shown and gist_id(4) not in shown
    # An admin hides the related gist: the cached page drops it at the next view.
    signed_in = await client_for(settings, admin)
    assert (await signed_in.post(f"/admin/gists/{gist_id(3)}", {"action": "hide", "reason": "spam"})).code == 303
    assert gist_id(3) not in related_on((await client.get(f"/gists/{gist_id(1)}")).text)
