"""Each viewer's form token goes only where the page has a form: never into text the page shows,
and error pages rendered by the gist handler carry a real token too (issue 22 item 7, issue 18 item 8)."""

import re

from tests.crafted import client_for, make_gist, make_user

GIST = "0123456789abcdef0123"
OLD_SLOT = "\x00xsrf\x00"


def tokens(html: str) -> tuple[list[str], int]:
    """The token values in forms, and how often the first one appears anywhere."""
    values = re.findall(r'name="_xsrf" value="([^"]+)"', html)
    return values, html.count(values[0]) if values else 0


async def test_text_with_the_old_slot_marker_gets_no_token_spliced_in(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, f"Look {OLD_SLOT} here", files={"slot.txt": f"a {OLD_SLOT} b\n"})
    viewer = await client_for(settings, ada)
    page = await viewer.get(f"/gists/{GIST}")
    assert page.code == 200
    values, seen = tokens(page.text)
    assert values and seen == len(values)
    # The text is shown as it was written, with no form token put into it.
    assert f"<h1>Look {OLD_SLOT} here</h1>" in page.text


async def test_the_404_of_an_unknown_gist_signed_in_carries_a_working_token(db, settings):
    ada = await make_user(db, "ada")
    viewer = await client_for(settings, ada)
    missing = await viewer.get("/gists/ffffffffffffffffffff")
    assert missing.code == 404
    assert ">xsrf" not in missing.text and "\x00" not in missing.text
    assert tokens(missing.text)[0]
    token = tokens(missing.text)[0][0]
    out = await viewer.post("/logout", {"_xsrf": token}, xsrf=False)   # the page's own Sign out form
    assert out.code == 303, out.text


async def test_the_hidden_gist_page_signed_in_carries_a_working_token(db, settings):
    ada, bob = await make_user(db, "ada"), await make_user(db, "bob")
    await make_gist(db, GIST, ada, "Held", hidden=["flagged"])
    viewer = await client_for(settings, bob)
    hidden = await viewer.get(f"/gists/{GIST}")
    assert hidden.code == 404 and "hidden pending review" not in hidden.text   # the 404 of an unknown gist
    assert "\x00" not in hidden.text and tokens(hidden.text)[0]
