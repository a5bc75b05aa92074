"""Tags: normalised and checked when edited, the tag cloud, a tag's page, suggestions."""

import pytest

from tests.crafted import client_for, gist_id, make_gist, make_user
from tests.html_checks import active_content

GIST = gist_id(1)


async def edit(client, text, gist=GIST):
    return await client.post(f"/gists/{gist}/tags", {"tags": text})


async def stored_tags(db, gist=GIST):
    return (await db.gists.find_one({"gist_id": gist}))["tags"]


async def test_the_submitter_edits_tags_and_they_are_normalised(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, tags=["old"])
    client = await client_for(settings, ada)
    page = await client.get(f"/gists/{GIST}")
    assert "Edit tags" in page.text and 'value="old"' in page.text
    response = await edit(client, " Python, ASYNC ,python, c++, , C# ")
    assert response.code == 303 and response.location == f"/gists/{GIST}"
    assert await stored_tags(db) == ["python", "async", "c++", "c#"]
    page = await client.get(f"/gists/{GIST}")
    assert 'href="/tags/c%23"' in page.text and 'href="/tags/c%2B%2B"' in page.text
    assert (await edit(client, "")).code == 303
    assert await stored_tags(db) == []


@pytest.mark.parametrize("text, named", [
    ("python, tor nado", "tor nado"),
    ("c++;", "c++;"),
    ("x" * 31, "x" * 31),
    ("émoji", "émoji"),
    ("a, b, c, d, e, f, g, h, i", "At most 8 tags"),
])
async def test_bad_tags_are_a_400_naming_the_tag_and_keep_the_input(db, settings, text, named):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, tags=["kept"])
    response = await edit(await client_for(settings, ada), text)
    assert response.code == 400
    assert named in response.text
    assert 'name="tags" value="' in response.text
    assert await stored_tags(db) == ["kept"]


async def test_markup_in_a_rejected_tag_is_shown_escaped(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada)
    response = await edit(await client_for(settings, ada), '<script>alert(1)</script>, "><img src=x onerror=alert(2)>')
    assert response.code == 400
    assert active_content(response.text) == []


async def test_only_the_submitter_and_admins_may_edit_tags(db, settings, client):
    ada, bob = await make_user(db, "ada"), await make_user(db, "bob")
    boss = await make_user(db, "boss", is_admin=True)
    await make_gist(db, GIST, ada, tags=["mine"])
    bobs = await client_for(settings, bob)
    assert "Edit tags" not in (await bobs.get(f"/gists/{GIST}")).text
    assert (await edit(bobs, "stolen")).code == 403
    anonymous = await edit(client, "stolen")
    assert anonymous.code == 403 or anonymous.location.startswith("/login")
    assert await stored_tags(db) == ["mine"]
    assert (await edit(await client_for(settings, boss), "moderated")).code == 303
    assert await stored_tags(db) == ["moderated"]
    assert (await edit(bobs, "x", gist="ffffffffffffffffffff")).code == 404


async def test_the_tag_cloud_lists_tags_by_use(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, tags=["python", "web"])
    await make_gist(db, gist_id(2), ada, tags=["python", "c#"])
    await make_gist(db, gist_id(3), ada, tags=["python", "web"])
    page = await client.get("/tags")
    assert page.code == 200
    assert page.text.index(">python<") < page.text.index(">web<") < page.text.index(">c#<")
    assert 'href="/tags/c%23"' in page.text


async def test_a_tag_page_lists_its_gists_newest_first(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "Older python", tags=["python"])
    await make_gist(db, gist_id(2), ada, "Not tagged", tags=["go"])
    await make_gist(db, gist_id(3), ada, "Newer python", tags=["python", "c#"])
    page = await client.get("/tags/python")
    assert page.code == 200
    assert page.text.index("Newer python") < page.text.index("Older python")
    assert "Not tagged" not in page.text
    assert 'rel="alternate" type="application/atom+xml"' in page.text and "/tags/python/feed.atom" in page.text
    assert "Newer python" in (await client.get("/tags/c%23")).text
    assert (await client.get("/tags/unused")).code == 404
    assert (await client.get("/tags/NOT%20A%20TAG")).code == 404


async def test_suggestions_complete_existing_tags_most_used_first(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, tags=["python", "pytest"])
    await make_gist(db, gist_id(2), ada, tags=["pytest", "go"])
    response = await client.get("/tags.json?q=Py")
    assert response.json() == {"tags": ["pytest", "python"]}
    assert (await client.get("/tags.json?q=")).json() == {"tags": []}
    assert (await client.get("/tags.json?q=%3Cscript%3E")).json() == {"tags": []}
