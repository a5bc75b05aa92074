"""HTTP caching: listings answer 304 to their ETag without rendering, until they change; static files last."""

import re

from tests.client import Client
from tests.crafted import client_for, make_gist, make_user


async def revalidates(visitor: Client, path: str) -> str:
    """The page's ETag, after checking that sending it back gets an empty 304."""
    first = await visitor.get(path)
    assert first.code == 200 and first.headers["Cache-Control"].startswith("public, max-age="), path
    etag = first.headers["Etag"]
    again = await visitor.get(path, headers={"If-None-Match": etag})
    assert again.code == 304 and again.text == "", path
    return etag


async def test_listings_answer_304_until_something_new_is_listed(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, "0123456789abcdef0123", ada, "First", tags=["python"])
    visitor = Client(settings.site_url)
    paths = ["/", "/tags", "/tags/python", "/users/ada", "/people"]
    etags = {path: await revalidates(visitor, path) for path in paths[:4]}
    await revalidates(visitor, "/people")
    submitter = await client_for(settings, ada)
    assert (await submitter.post("/gists", {"url": "aa5a315d61ae9438b18d", "tags": "python"})).code == 303
    for path in paths[:4]:
        changed = await visitor.get(path, headers={"If-None-Match": etags[path]})
        assert changed.code == 200 and changed.headers["Etag"] != etags[path], path


async def test_signed_in_listings_are_private_and_never_304(db, settings):
    ada = await make_user(db, "ada")
    client = await client_for(settings, ada)
    page = await client.get("/")
    assert page.headers["Cache-Control"] == "private, no-store" and "Etag" not in page.headers


async def test_static_files_are_cached_for_a_year_through_static_url(site, settings):
    visitor = Client(settings.site_url)
    home = (await visitor.get("/")).text
    css = re.search(r'href="(/static/site\.css\?v=[0-9a-f]+)"', home).group(1)
    response = await visitor.get(css)
    assert response.code == 200
    assert int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1)) >= 365 * 24 * 3600
