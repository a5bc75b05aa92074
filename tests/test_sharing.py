"""What a pasted link shows: the description and Open Graph / Twitter card tags of gist, user and tag pages, escaped."""

from html.parser import HTMLParser

from tests.crafted import make_gist, make_user

GIST = "5a11e0000000000000ab"
HOSTILE = '"><script>alert(1)</script> & <b>'


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.tags[attrs.get("property") or attrs.get("name")] = attrs["content"]


def meta(html: str) -> dict[str, str]:
    parser = _Meta()
    parser.feed(html)
    return parser.tags


async def test_a_gist_page_describes_itself_with_its_title_author_and_the_owners_avatar(db, client, settings):
    ada = await make_user(db, "ada")
    owner = {"login": "octocat", "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
             "html_url": "https://github.com/octocat"}
    await make_gist(db, GIST, ada, HOSTILE, files={"main.py": "import os\n\nprint(os.getcwd())\n"}, owner=owner)
    page = await client.get(f"/gists/{GIST}")
    tags = meta(page.text)
    # The hostile title is shown as text, never as markup: an attribute value cannot be left.
    assert "<script>alert(1)" not in page.text
    assert tags["og:title"] == tags["twitter:title"] == HOSTILE
    assert tags["description"] == tags["og:description"] == f"{HOSTILE} · 1 file by octocat"
    assert tags["og:type"] == "article" and tags["twitter:card"] == "summary"
    assert tags["og:url"] == f"{settings.site_url}/gists/{GIST}"
    assert tags["og:image"] == tags["twitter:image"] == owner["avatar_url"]


async def test_a_gist_without_a_description_is_described_by_its_first_lines(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, "", files={"main.py": "\n\nimport os\n\n  print(1)\nthird = 3\nfourth = 4\n"})
    assert meta((await client.get(f"/gists/{GIST}")).text)["description"] == "import os print(1) third = 3 · 1 file by octocat"


async def test_a_long_description_is_cut_at_a_word(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, "word " * 100)
    description = meta((await client.get(f"/gists/{GIST}")).text)["description"]
    assert len(description) <= 200 and description.endswith("word… · 1 file by octocat")


async def test_user_and_tag_pages_describe_themselves_and_show_the_site_image(db, client, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, "Tagged", tags=["python"])
    user = meta((await client.get("/users/ada")).text)
    assert user["og:type"] == "profile" and "ada" in user["og:title"] and "ada" in user["description"]
    assert user["og:image"].startswith(f"{settings.site_url}/static/share.png")   # no GitHub avatar: the site's
    assert (await client.get(user["og:image"][len(settings.site_url):])).headers["Content-Type"] == "image/png"
    tag = meta((await client.get("/tags/python")).text)
    assert tag["og:title"] == "Gists tagged python" and "python" in tag["description"]
    home = meta((await client.get("/")).text)
    assert home["og:title"] == "TornadoGists" and home["description"]
